"""The umT5 encoder's parity fixture: transformers' UMT5EncoderModel (eager attention) with a tiny
random configuration that keeps every code path of umT5-XXL (a relative position table in every
block, 32 buckets, max distance 128, gated GELU, 512 positions of which few are real), perturbed so
the norms' ones matter.

Writes tests/inference/fixtures/wan/:
- umt5_weights_hf.safetensors: the weights under transformers' names (shared.weight, encoder.*);
- umt5_weights_wan.safetensors: the same tensors under Wan's original t5.py names;
- umt5.safetensors: three prompts' ids and masks [3, 512] (300, 20 and 7 real tokens, EOS last:
  distances past max_distance 128 reach the capped buckets), each block's output [3, 512, 16] (pad
  rows included), the final output and each prompt trimmed to its real length, as Wan's
  T5EncoderModel trims; and, for encodePrompts, two text prompts tokenised with the fixture
  tokenizer (run make_tokenizer.py first), encoded over 512 padded positions and trimmed.

The attention width (4 heads x 8 = 32) differs from d_model (16), so a wiring that confuses them
fails to load."""

import torch
from transformers import UMT5Config, UMT5EncoderModel

from common import OUT, perturb, save, seed

TEXT_LEN = 512
# transformers' per-block names -> Wan's (wan/modules/t5.py T5Encoder); research wan21.md App. D.
BLOCK_NAMES = {
    "layer.0.layer_norm.weight": "norm1.weight",
    "layer.0.SelfAttention.q.weight": "attn.q.weight",
    "layer.0.SelfAttention.k.weight": "attn.k.weight",
    "layer.0.SelfAttention.v.weight": "attn.v.weight",
    "layer.0.SelfAttention.o.weight": "attn.o.weight",
    "layer.0.SelfAttention.relative_attention_bias.weight": "pos_embedding.embedding.weight",
    "layer.1.layer_norm.weight": "norm2.weight",
    "layer.1.DenseReluDense.wi_0.weight": "ffn.gate.0.weight",
    "layer.1.DenseReluDense.wi_1.weight": "ffn.fc1.weight",
    "layer.1.DenseReluDense.wo.weight": "ffn.fc2.weight",
}
PROMPTS = [
    "A cat walks slowly across a quiet street at night.",
    "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，"
    "低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，"
    "毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走",
]


def wan_name(hf: str) -> str:
    if hf in ("shared.weight", "encoder.embed_tokens.weight"):
        return "token_embedding.weight"
    if hf == "encoder.final_layer_norm.weight":
        return "norm.weight"
    _, _, index, rest = hf.split(".", 3)  # encoder.block.<i>.<rest>
    return f"blocks.{index}.{BLOCK_NAMES[rest]}"


def tokenizer_ids():
    import sentencepiece as spm
    from make_tokenizer import kinora_clean

    sp = spm.SentencePieceProcessor(model_file=str(OUT / "umt5_tokenizer.model"))
    return sp, [(sp.encode(kinora_clean(p)) + [1])[:TEXT_LEN] for p in PROMPTS]


def batch(rows: list):
    ids = torch.zeros(len(rows), TEXT_LEN, dtype=torch.int64)
    mask = torch.zeros(len(rows), TEXT_LEN, dtype=torch.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return ids, mask


def encode(model, ids, mask):
    """The final hidden states, each block's output captured by a hook (whatever the version's
    output tuple holds)."""
    layers = []
    hooks = [b.register_forward_hook(lambda m, i, o: layers.append((o[0] if isinstance(o, tuple) else o).clone()))
             for b in model.encoder.block]
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask).last_hidden_state
    for h in hooks:
        h.remove()
    return out, layers


def main() -> None:
    seed(14)
    sp, text_ids = tokenizer_ids()
    config = UMT5Config(
        vocab_size=sp.get_piece_size(), d_model=16, d_kv=8, d_ff=48, num_layers=3, num_heads=4,
        relative_attention_num_buckets=32, relative_attention_max_distance=128,
        feed_forward_proj="gated-gelu", layer_norm_epsilon=1e-6, dropout_rate=0.0,
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    model = UMT5EncoderModel._from_config(config, attn_implementation="eager").eval()
    perturb(model)
    # Every block has a position bias table of its own (umT5, unlike T5, shares none).
    tables = [b.layer[0].SelfAttention.relative_attention_bias.weight for b in model.encoder.block]
    assert all(b.layer[0].SelfAttention.has_relative_attention_bias for b in model.encoder.block)
    assert not torch.equal(tables[0], tables[1])
    assert config.dense_act_fn == "gelu_new", config.dense_act_fn

    real = [300, 20, 7]
    rows = [torch.randint(4, config.vocab_size, (n - 1,)).tolist() + [1] for n in real]
    ids, mask = batch(rows)
    out, layers = encode(model, ids, mask)
    tensors = {"ids": ids, "mask": mask, "final": out}
    for i, layer in enumerate(layers):
        tensors[f"layer{i}"] = layer
    # Wan's T5EncoderModel.__call__: [u[:v] for u, v in zip(context, seq_lens)].
    for i, n in enumerate(mask.sum(1).tolist()):
        tensors[f"trimmed{i}"] = out[i, :n].clone()

    text_ids_t, text_mask = batch(text_ids)
    text_out, _ = encode(model, text_ids_t, text_mask)
    for i, n in enumerate(text_mask.sum(1).tolist()):
        tensors[f"prompt{i}.ids"] = text_ids_t[i, :n].clone()
        tensors[f"prompt{i}.trimmed"] = text_out[i, :n].clone()

    state = {k: v.clone() for k, v in model.state_dict().items() if k != "encoder.embed_tokens.weight"}
    assert torch.equal(model.state_dict()["encoder.embed_tokens.weight"], state["shared.weight"])
    meta = {"config": config.to_diff_dict(), "real_tokens": real, "prompts": PROMPTS}
    save("umt5_weights_hf", state, {"what": "tiny random UMT5EncoderModel, transformers' names", **meta})
    save("umt5_weights_wan", {wan_name(k): v for k, v in state.items()},
         {"what": "the same tensors under Wan's original t5.py names", **meta})
    save("umt5", tensors, {"what": "umT5 encoder parity: ids, masks, block outputs, final, trimmed", **meta})


if __name__ == "__main__":
    main()
