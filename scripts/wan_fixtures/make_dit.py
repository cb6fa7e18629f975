"""Wan 2.1 DiT parity fixture: diffusers' WanTransformer3DModel in a tiny configuration that keeps
every real code path, run at three timesteps with every intermediate captured.

Writes tests/inference/fixtures/wan/
  dit.safetensors           inputs, the timestep-independent intermediates (RoPE tables, text
                            embedding, patch tokens) and the others per timestep (prefix t<step>.),
                            and the output of the model loaded in bf16 (bf16.t500.output)
  dit_diffusers.safetensors the weights under diffusers' names
  dit_original.safetensors  the same weights under the original Wan names (the inverse of
                            diffusers' converter, checked by running the converter on them)

Tiny config (wan21.md A6.2): 2 heads of 16 channels (RoPE split t:h:w = 8:4:4, uneven like the real
44:42:42), text_dim 32, ffn 64, 2 layers, cross-attention norm and RMS q/k across heads, RoPE table
length 1024. The latent is [1, 16, 3, 8, 12] (a 3 x 4 x 6 token grid: non-square). The context is
what Wan's pipeline feeds the transformer: 7 real rows then zeros up to 512 (`_get_t5_prompt_embeds`
trims the encoder output to the real tokens and pads it with zeros to max_sequence_length)."""

import copy
import sys

import torch
from diffusers import WanTransformer3DModel
from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from common import perturb, save, seed  # noqa: E402

CONFIG = dict(
    patch_size=(1, 2, 2),
    num_attention_heads=2,
    attention_head_dim=16,
    in_channels=16,
    out_channels=16,
    text_dim=32,
    freq_dim=256,
    ffn_dim=64,
    num_layers=2,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    eps=1e-6,
    rope_max_seq_len=1024,
)
TIMESTEPS = (999, 500, 1)
BF16_TIMESTEP = 500
TEXT_LEN = 512
REAL_ROWS = 7
# Intermediates that do not depend on the timestep.
SHARED = ("rope_cos", "rope_sin", "text_embedding", "patch_tokens")

# Diffusers name fragment -> original fragment: the inverse of the converter's rename dict for the
# tensors a T2V model has. The norm2 <-> norm3 swap needs no placeholder here because only the
# affine cross-attention norm (diffusers norm2, original norm3) has tensors.
TO_ORIGINAL = [
    ("condition_embedder.time_embedder.linear_1", "time_embedding.0"),
    ("condition_embedder.time_embedder.linear_2", "time_embedding.2"),
    ("condition_embedder.text_embedder.linear_1", "text_embedding.0"),
    ("condition_embedder.text_embedder.linear_2", "text_embedding.2"),
    ("condition_embedder.time_proj", "time_projection.1"),
    ("attn1.", "self_attn."),
    ("attn2.", "cross_attn."),
    (".to_out.0.", ".o."),
    (".to_q.", ".q."),
    (".to_k.", ".k."),
    (".to_v.", ".v."),
    ("ffn.net.0.proj", "ffn.0"),
    ("ffn.net.2", "ffn.2"),
    (".norm2.", ".norm3."),
    ("proj_out", "head.head"),
]


def original_name(name: str) -> str:
    if name == "scale_shift_table":
        return "head.modulation"
    if name.endswith(".scale_shift_table"):
        return name.replace("scale_shift_table", "modulation")
    for old, new in TO_ORIGINAL:
        name = name.replace(old, new)
    return name


def main() -> None:
    seed(14)
    model = WanTransformer3DModel(**CONFIG).eval()
    perturb(model, 0.1)

    diffusers_sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    original_sd = {original_name(k): v for k, v in diffusers_sd.items()}
    # The inverse is right when diffusers' own converter maps it back to exactly the same tensors.
    back = convert_wan_transformer_to_diffusers(dict(original_sd))
    assert sorted(back) == sorted(diffusers_sd), sorted(set(back) ^ set(diffusers_sd))
    assert all(torch.equal(back[k], diffusers_sd[k]) for k in back)

    latent = torch.randn(1, CONFIG["in_channels"], 3, 8, 12)
    real = torch.randn(1, REAL_ROWS, CONFIG["text_dim"])
    context = torch.cat([real, real.new_zeros(1, TEXT_LEN - REAL_ROWS, CONFIG["text_dim"])], dim=1)

    captured = {}

    def hook(name, transform=lambda out: out):
        def fn(_module, _inputs, output):
            captured[name] = transform(output)

        return fn

    ce = model.condition_embedder
    hooks = [
        ce.timesteps_proj.register_forward_hook(hook("time_sinusoid")),
        ce.time_embedder.register_forward_hook(hook("time_embedding")),
        ce.time_proj.register_forward_hook(hook("time_projection", lambda o: o.unflatten(1, (6, -1)))),
        ce.text_embedder.register_forward_hook(hook("text_embedding")),
        # [1, L, 1, head_dim] -> [L, head_dim]
        model.rope.register_forward_hook(hook("rope_cos", lambda o: o[0][0, :, 0])),
        model.rope.register_forward_hook(hook("rope_sin", lambda o: o[1][0, :, 0])),
        model.patch_embedding.register_forward_hook(
            hook("patch_tokens", lambda o: o.flatten(2).transpose(1, 2))
        ),
        model.proj_out.register_forward_hook(hook("head")),
    ]
    for i, block in enumerate(model.blocks):
        hooks.append(block.register_forward_hook(hook(f"blocks.{i}")))

    tensors = {"latent": latent, "context": real}
    with torch.no_grad():
        for step in TIMESTEPS:
            captured.clear()
            # The pipeline passes the scheduler's timestep (integer-valued float) expanded to the batch.
            timestep = torch.tensor([float(step)])
            out = model(latent, timestep, context, return_dict=False)[0]
            assert out.dtype == torch.float32
            for name, value in captured.items():
                if name in SHARED:
                    # The same at every timestep: stored once.
                    assert name not in tensors or torch.equal(tensors[name], value), name
                    tensors[name] = value
                else:
                    tensors[f"t{step}.{name}"] = value
            tensors[f"t{step}.output"] = out
    for h in hooks:
        h.remove()

    # The same model as diffusers runs it in bf16: what from_pretrained(torch_dtype=bfloat16) makes
    # (its rule, done by hand because it needs accelerate: a tensor stays fp32 when a part of its
    # name is in _keep_in_fp32_modules — the RoPE tables, the time embedder, the modulation tables,
    # the norms), fed bf16 inputs like WanPipeline.
    half = copy.deepcopy(model).to(torch.bfloat16).eval()
    keep = set(WanTransformer3DModel._keep_in_fp32_modules)
    full = dict(model.named_parameters()) | dict(model.named_buffers())
    for name, tensor in list(half.named_parameters()) + list(half.named_buffers()):
        if keep & set(name.split(".")):
            tensor.data = full[name].data.clone()  # the fp32 values, not bf16 ones cast back
    assert half.condition_embedder.time_embedder.linear_1.weight.dtype == torch.float32
    assert half.blocks[0].attn1.to_q.weight.dtype == torch.bfloat16
    with torch.no_grad():
        timestep = torch.tensor([float(BF16_TIMESTEP)])
        out = half(latent.bfloat16(), timestep, context.bfloat16(), return_dict=False)[0]
    tensors[f"bf16.t{BF16_TIMESTEP}.output"] = out.float()

    meta = {
        "config": CONFIG,
        "timesteps": list(TIMESTEPS),
        "text_len": TEXT_LEN,
        "real_context_rows": REAL_ROWS,
        "about": "diffusers WanTransformer3DModel, tiny random config, perturbed; context = 7 real rows "
        "zero-padded to 512 as WanPipeline does",
    }
    save("dit", tensors, meta)
    save("dit_diffusers", diffusers_sd, {"config": CONFIG, "naming": "diffusers"})
    save("dit_original", original_sd, {"config": CONFIG, "naming": "original"})


if __name__ == "__main__":
    main()
