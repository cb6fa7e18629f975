#!/usr/bin/env bash
# The Python environment the Wan 2.1 fixture scripts run in (a developer runs them once; CI never
# needs Python): a venv in ~/.cache/kinora/wan-ref that sees the torch wheel scripts/lib/deps.sh
# installs for LibTorch (no second 5 GB download) and adds the reference libraries at pinned versions.
# Prints the venv's python on stdout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/deps.sh
source "$root/scripts/lib/deps.sh"
kinora_install_torch >&2
venv=${KINORA_WAN_REF_VENV:-$HOME/.cache/kinora/wan-ref}
torch_site=$("$KINORA_TORCH_VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
site=$("$venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')
echo "$torch_site" >"$site/kinora-torch.pth"
"$venv/bin/pip" install -q --disable-pip-version-check \
  diffusers==0.42.1 transformers==5.25.0 sentencepiece==0.2.3 safetensors protobuf >&2
echo "$venv/bin/python"
