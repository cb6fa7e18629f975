"""The Wan 2.1 VAE fixture: diffusers' AutoencoderKLWan with a tiny configuration that keeps the
real topology (dim_mult [1, 2, 4, 4], two residual blocks per stage, both shortcuts, down2d then two
down3d, two up3d then up2d, the middle attention), random weights, perturbed.

Writes two files under tests/inference/fixtures/wan/:
- vae_weights.safetensors: the weights under diffusers' names (as the Wan-AI -Diffusers folder has
  them), with metadata "original_names": a JSON object from each of them to its original Wan name
  (as Wan2.1_VAE.pth, Comfy's and Kijai's repacks have them), made by the inverse of diffusers' own
  converter and checked by running that converter on it. The tests write the original-named file
  from this map (one copy of the weights in the repository instead of two);
- vae.safetensors: the decode input (a normalised latent [1, 16, 4, 4, 6]: first-frame, 'Rep' and
  steady-state cache paths), the latent after the un-normalisation and post_quant_conv, each
  decoder call's output before the clamp (1, 4, 4 and 4 frames of 32x48) and, per call, the output
  of its middle and of its first up stage; the encode input (a video [1, 3, 13, 32, 48]), per
  encoder call the output of its middle, the encoder's output after quant_conv and the normalised
  mean latents.

The weights and the video are rounded to float16 values (and stored as F16) before the reference
runs: the fixture stays small, and loading casts F16 to F32 exactly as it does for the 16-bit
repacks. base_dim is 3, not 8: at 8 the weights alone are 3.7 MB per naming (odd widths also keep the
channel splits honest)."""

import json
import os

import torch
from diffusers import AutoencoderKLWan
from diffusers.loaders.single_file_utils import convert_wan_vae_to_diffusers
from safetensors.torch import save_file

from common import OUT, ROOT, perturb, seed, versions

CONFIG = dict(base_dim=3, z_dim=16, dim_mult=[1, 2, 4, 4], num_res_blocks=2,
              temperal_downsample=[False, True, True])
RES = {"norm1": "residual.0", "conv1": "residual.2", "norm2": "residual.3", "conv2": "residual.6",
       "conv_shortcut": "shortcut"}


def original_name(name: str, num_res_blocks: int = 2) -> str:
    """Diffusers name -> original Wan name (the inverse of diffusers' convert_vae)."""
    top = {"quant_conv": "conv1", "post_quant_conv": "conv2"}
    p = name.split(".")
    if p[0] in top:
        return ".".join([top[p[0]]] + p[1:])
    side, rest = p[0], p[1:]
    if rest[0] == "conv_in":
        rest = ["conv1"] + rest[1:]
    elif rest[0] == "norm_out":
        rest = ["head", "0"] + rest[1:]
    elif rest[0] == "conv_out":
        rest = ["head", "2"] + rest[1:]
    elif rest[0] == "mid_block":
        j = int(rest[2])
        if rest[1] == "attentions":
            rest = ["middle", str(2 * j + 1)] + rest[3:]
        else:
            rest = ["middle", str(2 * j), *RES[rest[3]].split(".")] + rest[4:]
    elif rest[0] == "down_blocks":
        inner = rest[2:]
        if inner[0] in RES:
            inner = RES[inner[0]].split(".") + inner[1:]
        rest = ["downsamples", rest[1]] + inner
    elif rest[0] == "up_blocks":
        stage = int(rest[1]) * (num_res_blocks + 2)
        if rest[2] == "resnets":
            rest = ["upsamples", str(stage + int(rest[3])), *RES[rest[4]].split(".")] + rest[5:]
        else:  # upsamplers.0
            rest = ["upsamples", str(stage + num_res_blocks + 1)] + rest[4:]
    return ".".join([side] + rest)


def write(name: str, tensors: dict, meta: dict) -> None:
    """common.save, keeping each tensor's dtype (float16 ones stay F16)."""
    path = OUT / f"{name}.safetensors"
    tensors = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    metadata = {"versions": json.dumps(versions(), sort_keys=True)}
    metadata.update({k: v if isinstance(v, str) else json.dumps(v, sort_keys=True) for k, v in meta.items()})
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=metadata)
    print(f"{path.relative_to(ROOT)}: {len(tensors)} tensors, {os.path.getsize(path) / 1024:.0f} KiB")


def main() -> None:
    seed(14)
    vae = AutoencoderKLWan(**CONFIG).eval()
    perturb(vae)
    with torch.no_grad():
        for p in vae.parameters():
            p.copy_(p.half().float())

    diffusers_sd = vae.state_dict()
    original_sd = {original_name(k): v for k, v in diffusers_sd.items()}
    assert len(original_sd) == len(diffusers_sd)
    back = convert_wan_vae_to_diffusers(original_sd)
    assert set(back) == set(diffusers_sd), set(back) ^ set(diffusers_sd)
    assert all(back[k] is diffusers_sd[k] for k in back)
    names = {k: original_name(k) for k in diffusers_sd}
    write("vae_weights", {k: v.half() for k, v in diffusers_sd.items()}, {"config": CONFIG, "original_names": names})

    z_dim = vae.config.z_dim
    mean = torch.tensor(vae.config.latents_mean).view(1, z_dim, 1, 1, 1)
    inv_std = 1.0 / torch.tensor(vae.config.latents_std).view(1, z_dim, 1, 1, 1)

    # Each call's output of a module (one call per chunk): the decoder's, and inside it the middle
    # and the first up stage (its up3d goes through the 'Rep' step); the encoder's middle.
    recorded = {"decode.chunk": [], "decode.middle": [], "decode.up0": [], "encode.middle": []}

    def record(module, key):
        return module.register_forward_hook(lambda m, args, out: recorded[key].append(out.clone()))

    hooks = [record(vae.decoder, "decode.chunk"), record(vae.decoder.mid_block, "decode.middle"),
             record(vae.decoder.up_blocks[0], "decode.up0")]
    with torch.no_grad():
        z = torch.randn(1, z_dim, 4, 4, 6)
        latents = z / inv_std + mean  # what WanPipeline does before vae.decode
        conv2 = vae.post_quant_conv(latents)
        video = vae.decode(latents).sample
    for hook in hooks:
        hook.remove()
    chunks = recorded["decode.chunk"]
    assert [c.shape[2] for c in chunks] == [1, 4, 4, 4]
    assert [c.shape[2] for c in recorded["decode.up0"]] == [1, 2, 2, 2]
    assert torch.equal(video, torch.cat(chunks, 2).clamp(-1, 1))

    with torch.no_grad():
        clip = (torch.rand(1, 3, 13, 32, 48) * 2 - 1).half().float()
        hook = record(vae.encoder.mid_block, "encode.middle")
        h = vae._encode(clip)
        hook.remove()
        assert [m.shape[2] for m in recorded["encode.middle"]] == [1, 1, 1, 1]
        mu = vae.encode(clip).latent_dist.mean
        assert torch.equal(mu, h[:, :z_dim])
        encoded = (mu - mean) * inv_std  # what the image-to-video pipelines do

    tensors = {"decode.z": z, "decode.conv2": conv2, "encode.x": clip.half(), "encode.h": h, "encode.out": encoded}
    for key, outputs in recorded.items():
        for i, c in enumerate(outputs):
            tensors[f"{key}{i}"] = c
    write("vae", tensors, {"config": CONFIG, "decode.out": "clamp(cat(decode.chunk*, frames), -1, 1)"})


if __name__ == "__main__":
    main()
