#!/usr/bin/env python3
"""Writes the name, shape and dtype of every tensor of diffusers' Wan DiT and VAE (compare.py's
full and --small configs) as JSON: compare.py's fallback when diffusers cannot be imported on the
GPU machine. Run by prepare_carry.sh with the reference environment's Python."""
import json
import os
import sys

import torch
from diffusers import AutoencoderKLWan, WanTransformer3DModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def shapes(model, bf16):
    keep = getattr(model, "_keep_in_fp32_modules", None) or []
    out = {}
    for name, t in model.state_dict().items():
        fp32 = not bf16 or any(k in name.split(".") for k in keep)
        out[name] = [list(t.shape), "F32" if fp32 else "BF16"]
    return out


result = {}
for size, dit, vae in (("full", compare.DIT_FULL, compare.VAE_FULL), ("small", compare.DIT_SMALL, compare.VAE_SMALL)):
    with torch.device("meta"):
        result[size] = {"dit": shapes(WanTransformer3DModel(**dit), True), "vae": shapes(AutoencoderKLWan(**vae), False)}
with open(sys.argv[1], "w") as f:
    json.dump(result, f)
print(f"{sys.argv[1]}: {len(result['full']['dit'])} DiT and {len(result['full']['vae'])} VAE tensors", file=sys.stderr)
