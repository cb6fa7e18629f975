// The Wan 2.1 DiT forward pass, step for step as diffusers' WanTransformer3DModel (0.42.1) runs it,
// which is the reference the parity fixture comes from (wan21.md A1.2 has the original's order).

#include "kinora/inference/wan/wan_dit.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace kinora::inference::wan {

namespace {

at::TensorOptions fp32(const at::TensorOptions& options)
{
    return options.dtype(at::kFloat);
}

// LayerNorm over the last dim in fp32 (diffusers' FP32LayerNorm), without an affine part unless
// weight and bias are given.
at::Tensor layerNormFp32(
    const at::Tensor& x, int64_t dim, double eps, const at::Tensor& weight = {}, const at::Tensor& bias = {})
{
    return at::layer_norm(x.to(at::kFloat), { dim }, weight, bias, eps);
}

// Rotates interleaved pairs (x[2j], x[2j+1]) of x [B, L, H, D] by the angles whose cos/sin
// ([L, D], each value repeated for both members of its pair) are given; fp32 maths, x's dtype out
// (diffusers' apply_rotary_emb inside WanAttnProcessor).
at::Tensor applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin)
{
    using namespace torch::indexing;
    const auto pairs = x.unflatten(-1, { -1, 2 });
    const auto x1 = pairs.select(-1, 0);
    const auto x2 = pairs.select(-1, 1);
    const auto c = cos.index({ Slice(), Slice(0, None, 2) }).unsqueeze(1); // [L, 1, D/2]
    const auto s = sin.index({ Slice(), Slice(1, None, 2) }).unsqueeze(1);
    return at::stack({ x1 * c - x2 * s, x1 * s + x2 * c }, -1).flatten(-2).to(x.scalar_type());
}

} // namespace

WanLinearImpl::WanLinearImpl(int64_t in, int64_t out, const at::TensorOptions& options)
{
    weight = register_parameter("weight", torch::zeros({ out, in }, options), false);
    bias = register_parameter("bias", torch::zeros({ out }, options), false);
}

at::Tensor WanLinearImpl::forward(const at::Tensor& x)
{
    return at::linear(x, weight, bias);
}

WanMlpImpl::WanMlpImpl(int64_t in, int64_t hidden, int64_t out, Act act_, const at::TensorOptions& options)
    : act(act_)
{
    fc0 = register_module("0", WanLinear(in, hidden, options));
    fc2 = register_module("2", WanLinear(hidden, out, options));
}

at::Tensor WanMlpImpl::forward(const at::Tensor& x)
{
    const auto h = fc0(x);
    return fc2(act == Act::Silu ? at::silu(h) : at::gelu(h, "tanh"));
}

WanAttentionImpl::WanAttentionImpl(
    int64_t dim, int64_t numHeads_, double eps_, const at::TensorOptions& options)
    : numHeads(numHeads_)
    , eps(eps_)
{
    q = register_module("q", WanLinear(dim, dim, options));
    k = register_module("k", WanLinear(dim, dim, options));
    v = register_module("v", WanLinear(dim, dim, options));
    o = register_module("o", WanLinear(dim, dim, options));
    // torch.nn.RMSNorm(weight) as a module of its own so the names are norm_q.weight / norm_k.weight.
    auto normQModule = register_module("norm_q", std::make_shared<torch::nn::Module>());
    auto normKModule = register_module("norm_k", std::make_shared<torch::nn::Module>());
    normQ = normQModule->register_parameter("weight", torch::zeros({ dim }, options), false);
    normK = normKModule->register_parameter("weight", torch::zeros({ dim }, options), false);
}

at::Tensor WanAttentionImpl::forward(
    const at::Tensor& x, const at::Tensor& context, const at::Tensor& ropeCos, const at::Tensor& ropeSin)
{
    const auto& kv = context.defined() ? context : x;
    const int64_t dim = x.size(-1);
    // at::rms_norm: statistics in fp32, the input's dtype out, then the weight (torch.nn.RMSNorm).
    auto query = at::rms_norm(q(x), { dim }, normQ, eps).unflatten(2, { numHeads, -1 });
    auto key = at::rms_norm(k(kv), { dim }, normK, eps).unflatten(2, { numHeads, -1 });
    auto value = v(kv).unflatten(2, { numHeads, -1 });
    if (ropeCos.defined()) {
        query = applyRope(query, ropeCos, ropeSin);
        key = applyRope(key, ropeCos, ropeSin);
    }
    // [B, L, H, D] -> [B, H, L, D] for SDPA (a fused kernel: no L×L matrix at 32k tokens on GPU).
    auto out
        = at::scaled_dot_product_attention(query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2));
    out = out.transpose(1, 2).flatten(2, 3).to(query.scalar_type());
    return o(out);
}

WanDitBlockImpl::WanDitBlockImpl(const DitConfig& config, const at::TensorOptions& options)
    : dim(config.dim)
    , eps(config.eps)
{
    selfAttn = register_module("self_attn", WanAttention(config.dim, config.numHeads, config.eps, options));
    crossAttn = register_module("cross_attn", WanAttention(config.dim, config.numHeads, config.eps, options));
    if (config.crossAttnNorm) {
        auto norm3 = register_module("norm3", std::make_shared<torch::nn::Module>());
        norm3Weight = norm3->register_parameter("weight", torch::ones({ config.dim }, fp32(options)), false);
        norm3Bias = norm3->register_parameter("bias", torch::zeros({ config.dim }, fp32(options)), false);
    }
    ffn = register_module(
        "ffn", WanMlp(config.dim, config.ffnDim, config.dim, WanMlpImpl::Act::GeluTanh, options));
    modulation = register_parameter("modulation", torch::zeros({ 1, 6, config.dim }, fp32(options)), false);
}

at::Tensor WanDitBlockImpl::forward(const at::Tensor& x, const at::Tensor& e0, const at::Tensor& text,
    const at::Tensor& ropeCos, const at::Tensor& ropeSin)
{
    const auto type = x.scalar_type();
    // shift_msa, scale_msa, gate_msa, c_shift_msa, c_scale_msa, c_gate_msa, each [B, 1, dim] fp32.
    const auto m = (modulation + e0.to(at::kFloat)).chunk(6, 1);
    auto h = (layerNormFp32(x, dim, eps) * (1 + m[1]) + m[0]).to(type);
    auto out = (x.to(at::kFloat) + selfAttn->forward(h, at::Tensor(), ropeCos, ropeSin) * m[2]).to(type);

    h = norm3Weight.defined() ? layerNormFp32(out, dim, eps, norm3Weight, norm3Bias).to(type) : out;
    out = out + crossAttn->forward(h, text, at::Tensor(), at::Tensor());

    h = (layerNormFp32(out, dim, eps) * (1 + m[4]) + m[3]).to(type);
    return (out.to(at::kFloat) + ffn(h).to(at::kFloat) * m[5]).to(type);
}

WanDitHeadImpl::WanDitHeadImpl(const DitConfig& config, const at::TensorOptions& options)
    : dim(config.dim)
    , eps(config.eps)
{
    const int64_t out = config.patch[0] * config.patch[1] * config.patch[2] * config.outDim;
    head = register_module("head", WanLinear(config.dim, out, options));
    modulation = register_parameter("modulation", torch::zeros({ 1, 2, config.dim }, fp32(options)), false);
}

at::Tensor WanDitHeadImpl::forward(const at::Tensor& x, const at::Tensor& e)
{
    // Wan uses e (the time embedding, no SiLU) here, not e0; shift first, then scale.
    const auto m = (modulation + e.unsqueeze(1)).chunk(2, 1);
    return head((layerNormFp32(x, dim, eps) * (1 + m[1]) + m[0]).to(x.scalar_type()));
}

WanDitImpl::WanDitImpl(const DitConfig& config, const at::TensorOptions& options)
    : m_config(config)
{
    const auto& c = config;
    if (c.numHeads <= 0 || c.dim % c.numHeads != 0 || c.headDim() % 2 != 0)
        throw std::invalid_argument("Wan DiT: " + std::to_string(c.numHeads) + " heads do not split width "
            + std::to_string(c.dim) + " into even head dims");
    // A Conv3d whose kernel equals its stride: "patch_embedding.weight" / ".bias".
    auto patch = register_module("patch_embedding", std::make_shared<torch::nn::Module>());
    patchWeight = patch->register_parameter(
        "weight", torch::zeros({ c.dim, c.inDim, c.patch[0], c.patch[1], c.patch[2] }, options), false);
    patchBias = patch->register_parameter("bias", torch::zeros({ c.dim }, options), false);
    textEmbedding = register_module(
        "text_embedding", WanMlp(c.textDim, c.dim, c.dim, WanMlpImpl::Act::GeluTanh, options));
    timeEmbedding = register_module(
        "time_embedding", WanMlp(c.freqDim, c.dim, c.dim, WanMlpImpl::Act::Silu, fp32(options)));
    timeProjection = register_module("time_projection", std::make_shared<torch::nn::Module>())
                         ->register_module("1", WanLinear(c.dim, 6 * c.dim, options));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        blocks->push_back(WanDitBlock(c, options));
    head = register_module("head", WanDitHead(c, options));
}

c10::ScalarType WanDitImpl::dtype() const
{
    return patchWeight.scalar_type();
}

std::pair<at::Tensor, at::Tensor> WanDitImpl::rope(
    int64_t f, int64_t h, int64_t w, const c10::Device& device) const
{
    // head_dim d split t : h : w = d - 4(d/6) : 2(d/6) : 2(d/6) (44:42:42 for 128); each axis has its
    // own frequencies 1/theta^(2j/d_axis), computed in float64 like the references.
    const int64_t d = m_config.headDim();
    const int64_t hw = 2 * (d / 6);
    const std::array<int64_t, 3> dims { d - 2 * hw, hw, hw };
    const std::array<int64_t, 3> sizes { f, h, w };
    std::vector<at::Tensor> cosParts, sinParts;
    for (int axis = 0; axis < 3; ++axis) {
        if (sizes[axis] > m_config.ropeMaxLen)
            throw std::invalid_argument("Wan DiT: a token grid of " + std::to_string(sizes[axis])
                + " exceeds the RoPE table length " + std::to_string(m_config.ropeMaxLen));
        const auto f64 = at::TensorOptions().dtype(at::kDouble).device(device);
        const auto freqs
            = 1.0 / at::pow(m_config.ropeTheta, at::arange(0, dims[axis], 2, f64) / double(dims[axis]));
        const auto angles = at::outer(at::arange(sizes[axis], f64), freqs);
        std::vector<int64_t> view { 1, 1, 1, -1 };
        view[axis] = sizes[axis];
        const auto expand = [&](const at::Tensor& t) {
            return t.repeat_interleave(2, 1).to(at::kFloat).view(view).expand({ f, h, w, -1 });
        };
        cosParts.push_back(expand(angles.cos()));
        sinParts.push_back(expand(angles.sin()));
    }
    return { at::cat(cosParts, -1).reshape({ f * h * w, d }),
        at::cat(sinParts, -1).reshape({ f * h * w, d }) };
}

at::Tensor WanDitImpl::forward(
    const at::Tensor& x, const at::Tensor& timestep, const at::Tensor& context, DitTrace* trace)
{
    const auto& c = m_config;
    const auto type = dtype();
    const auto device = patchWeight.device();
    TORCH_CHECK(
        x.dim() == 5 && x.size(1) == c.inDim, "Wan DiT: the latent must be [B, ", c.inDim, ", t, h, w]");
    const int64_t batch = x.size(0);
    const int64_t f = x.size(2) / c.patch[0], h = x.size(3) / c.patch[1], w = x.size(4) / c.patch[2];
    TORCH_CHECK(f * c.patch[0] == x.size(2) && h * c.patch[1] == x.size(3) && w * c.patch[2] == x.size(4),
        "Wan DiT: the latent's frames, height and width must be multiples of the patch");
    TORCH_CHECK(timestep.dim() == 1 && timestep.size(0) == batch, "Wan DiT: the timestep must be [B]");
    TORCH_CHECK(context.dim() == 3 && context.size(0) == batch && context.size(2) == c.textDim
            && context.size(1) <= c.textLen,
        "Wan DiT: the context must be [B, L <= ", c.textLen, ", ", c.textDim, "]");
    const auto keep = [&](const at::Tensor& t) { return trace ? t.detach().clone() : at::Tensor(); };

    const auto [ropeCos, ropeSin] = rope(f, h, w, device);

    auto tokens
        = at::conv3d(x.to(device, type), patchWeight, patchBias, { c.patch[0], c.patch[1], c.patch[2] });
    tokens = tokens.flatten(2).transpose(1, 2).contiguous(); // [B, L, dim], (f, h, w) row-major

    // Sinusoid as diffusers' Timesteps(flip_sin_to_cos): fp32 frequencies exp(-ln(1e4) k / half),
    // [cos, sin]. (The original computes it in float64; the difference is below fp32 rounding of t.)
    const int64_t half = c.freqDim / 2;
    const auto fp32Options = at::TensorOptions().dtype(at::kFloat).device(device);
    const auto freqs = at::exp(-std::log(10000.0) * at::arange(half, fp32Options) / double(half));
    const auto angles = timestep.to(device, at::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
    const auto sinusoid = at::cat({ angles.cos(), angles.sin() }, 1);
    const auto eFp32 = timeEmbedding(sinusoid);
    const auto e = eFp32.to(type); // diffusers: temb.type_as(encoder_hidden_states)
    const auto e0 = timeProjection(at::silu(e)).unflatten(1, { 6, c.dim });

    // The context zero-padded to textLen rows; the padded rows are embedded and attended to.
    auto padded = context.to(device, type);
    if (padded.size(1) < c.textLen)
        padded = at::cat(
            { padded, at::zeros({ batch, c.textLen - padded.size(1), c.textDim }, padded.options()) }, 1);
    const auto text = textEmbedding(padded);

    if (trace) {
        trace->timeSinusoid = keep(sinusoid);
        trace->timeEmbedding = keep(eFp32);
        trace->timeProjection = keep(e0);
        trace->ropeCos = ropeCos;
        trace->ropeSin = ropeSin;
        trace->textEmbedding = keep(text);
        trace->patchTokens = keep(tokens);
        trace->blocks.clear();
    }
    for (const auto& module : *blocks) {
        tokens = module->as<WanDitBlockImpl>()->forward(tokens, e0, text, ropeCos, ropeSin);
        if (trace)
            trace->blocks.push_back(keep(tokens));
    }
    auto out = head(tokens, e);
    if (trace)
        trace->head = keep(out);
    // Unpatchify: the head's outputs are ordered (p_t, p_h, p_w, c), c fastest.
    out = out.reshape({ batch, f, h, w, c.patch[0], c.patch[1], c.patch[2], -1 })
              .permute({ 0, 7, 1, 4, 2, 5, 3, 6 });
    return out.flatten(6, 7).flatten(4, 5).flatten(2, 3).to(at::kFloat);
}

} // namespace kinora::inference::wan
