#!/usr/bin/env bash
# Builds bench/libtorch_step against each LibTorch given and runs it, printing each median training
# step and its ratio to the first. Usage:
#   bench/libtorch_choice.sh NAME=CMAKE_PREFIX [NAME=CMAKE_PREFIX ...]
# e.g. bench/libtorch_choice.sh wheel=$(~/.cache/kinora/torch-2.15.0/bin/python -c \
#        'import torch;print(torch.utils.cmake_prefix_path)') debian=/usr
# Two LibTorches must not be visible to one CMake run (see cmake/KinoraTorch.cmake): with Debian's
# libtorch-dev installed, the wheel's build picks up its libraries. Measure them one at a time then.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
first=""
for spec in "$@"; do
  name=${spec%%=*}
  prefix=${spec#*=}
  cmake -S "$here/libtorch_step" -B "$work/$name" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" >"$work/$name.log" 2>&1 || { echo "$name: configure failed, see log"; cat "$work/$name.log" >&2; exit 1; }
  cmake --build "$work/$name" >>"$work/$name.log" 2>&1
  line=$("$work/$name/libtorch_step")
  ms=$(sed -n 's/.*median_step_ms \([0-9.]*\).*/\1/p' <<<"$line")
  [ -n "$first" ] || first=$ms
  printf '%-8s %s  ratio_to_first %.2f\n' "$name" "$line" "$(echo "$ms / $first" | bc -l)"
done
