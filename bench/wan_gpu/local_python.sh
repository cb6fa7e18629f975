#!/usr/bin/env bash
# Makes a python3 that mimics the GPU machine's for a local test of run.sh: the torch wheel
# (scripts/lib/deps.sh) and only the packages the machine's image is known to have
# (/work/.library/device/KINDS.md), at its huggingface_hub version (1.33; diffusers 0.42.1 needs
# >= 1.32), and no diffusers: that comes from the carry, as there. Prints the wrapper's path.
#   PYTHON=$(bench/wan_gpu/local_python.sh) OUT=/tmp/wan-gpu-out JOBS=2 bench/wan_gpu/run.sh --small --device cpu
set -euo pipefail
ref=${KINORA_WAN_REF:-/root/.cache/kinora/wan-ref}
torch_sp=${KINORA_TORCH_SITE:-/root/.cache/kinora/torch-2.15.0/lib/python3.11/site-packages}
base=${KINORA_BASE_PYTHON:-/root/.pyenv/versions/3.11.7/bin/python3.11}
dir=${TMPDIR:-/tmp}/kinora-device-python
sp=$(ls -d "$ref"/lib/python3*/site-packages)
mkdir -p "$dir/site" "$dir/wheels"
# The machine's versions of what diffusers imports at import time and differs here.
[ -d "$dir/site/huggingface_hub" ] || {
  "$ref/bin/python" -m pip download -q --no-deps -d "$dir/wheels" huggingface_hub==1.33.0 "httpx<1" httpcore >&2
  for w in "$dir"/wheels/*.whl; do (cd "$dir/site" && unzip -qo "$w"); done
}
for p in numpy numpy.libs PIL pillow.libs regex requests urllib3 idna certifi charset_normalizer safetensors \
    yaml _yaml tqdm packaging h11 anyio click hf_xet; do
  ln -sfn "$sp/$p" "$dir/site/"
done
for d in "$sp"/{numpy,pillow,regex,requests,urllib3,idna,certifi,charset_normalizer,safetensors,pyyaml,tqdm,packaging,h11,anyio,click,hf_xet}-*.dist-info; do
  ln -sfn "$d" "$dir/site/"
done
cat >"$dir/python3" <<WRAP
#!/bin/sh
# -S: none of the base interpreter's own site-packages; PYTHONPATH (run.sh's carry) comes first.
export PYTHONPATH="\${PYTHONPATH:+\$PYTHONPATH:}$dir/site:$torch_sp"
exec "$base" -S "\$@"
WRAP
chmod +x "$dir/python3"
echo "$dir/python3"
