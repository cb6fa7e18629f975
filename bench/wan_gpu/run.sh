#!/usr/bin/env bash
# The device command (bench/wan_gpu/README.md): builds kinora-wan-gpu-bench against the machine's
# own torch wheel (engine only: no Qt, FFmpeg, OpenCV, tests or SentencePiece; the header-only
# dependencies come from .device/), then runs compare.py, which times diffusers' and Kinora's Wan
# DiT and VAE on the same random 1.3B weights. Everything goes to $OUT: run.log (all output, each
# phase timed), build.log, results.json, table.md, profile.md, kinora.json,
# kinora.stderr.
#   bench/wan_gpu/run.sh [compare.py options, e.g. --small --device cpu]
# Environment: OUT (default out/wan_gpu), PYTHON (python3), JOBS (nproc), BUDGET_S (480: the whole
# run's deadline, which compare.py fits its optional phases into), BUILD_DIR (build/wan-gpu).
set -uo pipefail
start=$(date +%s)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1
OUT=${OUT:-$root/out/wan_gpu}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1
PY=${PYTHON:-python3}
JOBS=${JOBS:-$(nproc)}
BUILD_DIR=${BUILD_DIR:-build/wan-gpu}
deadline=$((start + ${BUDGET_S:-480}))
phase() { echo "=== [$(($(date +%s) - start))s] $*"; }

phase "start on $(hostname), $(nproc) cores; $($PY --version 2>&1) at $(command -v "$PY")"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
cmake --version | head -1

carry=${TMPDIR:-/tmp}/kinora-wan-gpu-carry
rm -rf "$carry" && mkdir -p "$carry"
if [ -f .device/wan-gpu-carry.tar.gz ]; then
  tar -xzf .device/wan-gpu-carry.tar.gz -C "$carry"
else
  echo "no .device/wan-gpu-carry.tar.gz (bench/wan_gpu/prepare_carry.sh makes it; name .device in carry)"
fi

phase "configure"
torch_prefix=$("$PY" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
built=0
# The carried headers, not a system package, so that the build is the same wherever it runs.
if cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DKINORA_BUILD_APP=OFF \
    -DKINORA_BUILD_TESTS=OFF -DKINORA_WITH_SENTENCEPIECE=OFF -DTORCH_CUDA_ARCH_LIST=9.0 \
    -DCMAKE_PREFIX_PATH="$torch_prefix;$carry" \
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON \
    >"$OUT/build.log" 2>&1; then
  phase "build kinora-wan-gpu-bench (-j$JOBS)"
  if cmake --build "$BUILD_DIR" -j"$JOBS" --target kinora-wan-gpu-bench >>"$OUT/build.log" 2>&1; then
    built=1
  fi
fi
if [ "$built" = 1 ]; then
  phase "built"
else
  phase "BUILD FAILED: diffusers' side only (the end of build.log follows)"
  tail -40 "$OUT/build.log"
fi

phase "compare.py (deadline in $((deadline - $(date +%s)))s)"
extra=()
[ "$built" = 1 ] || extra+=(--skip-kinora)
PYTHONPATH="$carry/py${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 \
  timeout $((deadline - $(date +%s))) "$PY" bench/wan_gpu/compare.py \
  --bench "$BUILD_DIR/bench/wan_gpu/kinora-wan-gpu-bench" --out "$OUT" \
  --manifest .device/wan_shapes.json --deadline "$deadline" "${extra[@]}" "$@"
status=$?
# The summaries last, so that the end of the output alone has them.
[ -f "$OUT/profile.md" ] && cat "$OUT/profile.md"
[ -f "$OUT/table.md" ] && cat "$OUT/table.md"
phase "done (compare.py exit $status)"
exit $status
