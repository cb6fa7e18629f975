#!/usr/bin/env bash
# Makes .device/ (git-ignored): what the GPU machine lacks for bench/wan_gpu/run.sh, from this
# machine's Python reference environment (scripts/wan_fixtures: /root/.cache/kinora/wan-ref).
#   .device/wan-gpu-carry.tar.gz  py/diffusers (its .py files, without the pipelines, which
#                                 `from diffusers import WanTransformer3DModel, AutoencoderKLWan`
#                                 never imports) and its dist-info; include/nlohmann and include/CLI
#                                 (the engine build's only header-only dependencies)
#   .device/wan_shapes.json       every DiT and VAE tensor's name, shape and dtype (full and --small
#                                 configs), so that compare.py still makes the weights for Kinora's
#                                 side if diffusers cannot be imported there
# Everything else diffusers imports at import time (torch, numpy, PIL, regex, requests, safetensors,
# huggingface_hub >= 1.32, filelock, tqdm, pyyaml, packaging) is in the GPU machine's image
# (/work/.library/device/KINDS.md), and compare.py writes safetensors without the package anyway.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
py=${KINORA_WAN_REF_PYTHON:-/root/.cache/kinora/wan-ref/bin/python}
sp=$("$py" -c 'import diffusers, os; print(os.path.dirname(os.path.dirname(diffusers.__file__)))')
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/py" "$stage/include"
(cd "$sp" && find diffusers -name '*.py' ! -path 'diffusers/pipelines/*/*' \
    ! -path 'diffusers/modular_pipelines/*/*' ! -path 'diffusers/commands/*' -print0 \
  | tar --null -T - -cf - diffusers-*.dist-info) | tar -C "$stage/py" -xf -
cp -r /usr/include/nlohmann /usr/include/CLI "$stage/include/"
mkdir -p "$root/.device"
tar -C "$stage" -czf "$root/.device/wan-gpu-carry.tar.gz" py include
"$py" "$root/bench/wan_gpu/shapes.py" "$root/.device/wan_shapes.json"
du -sh "$root/.device" "$root/.device"/* >&2
