#include "kinora/inference/layers.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>

namespace kinora::inference {

namespace F = torch::nn::functional;

at::Tensor attention(
    const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t heads, const at::Tensor& keyMask)
{
    const auto b = q.size(0);
    auto split = [&](const at::Tensor& t) { return t.view({ b, t.size(1), heads, -1 }).transpose(1, 2); };
    auto qh = split(q), kh = split(k), vh = split(v);
    std::optional<at::Tensor> mask;
    if (keyMask.defined())
        mask = keyMask.view({ b, 1, 1, keyMask.size(1) });
#if TORCH_VERSION_MAJOR >= 2
    auto out = at::scaled_dot_product_attention(qh, kh, vh, mask);
#else
    auto scores = torch::matmul(qh, kh.transpose(-1, -2)) / std::sqrt(static_cast<double>(qh.size(-1)));
    if (mask)
        scores = scores.masked_fill(mask->logical_not(), -std::numeric_limits<float>::infinity());
    auto out = torch::matmul(scores.softmax(-1), vh);
#endif
    return out.transpose(1, 2).reshape({ b, q.size(1), -1 });
}

at::Tensor applyRotary(const at::Tensor& x)
{
    const auto len = x.size(-2);
    const auto half = x.size(-1) / 2;
    auto opts = x.options().dtype(torch::kFloat32);
    auto freqs = torch::exp(-std::log(10000.0) * torch::arange(half, opts) / static_cast<double>(half));
    auto angles = torch::arange(len, opts).unsqueeze(1) * freqs.unsqueeze(0); // [L, half]
    auto cos = angles.cos().to(x.scalar_type()), sin = angles.sin().to(x.scalar_type());
    auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
    return torch::cat({ x1 * cos - x2 * sin, x1 * sin + x2 * cos }, -1);
}

AttentionImpl::AttentionImpl(int64_t dim, int64_t contextDim, int64_t heads_, bool rotary_)
    : heads(heads_)
    , rotary(rotary_)
{
    toQ = register_module("to_q", torch::nn::Linear(torch::nn::LinearOptions(dim, dim).bias(false)));
    toK = register_module("to_k", torch::nn::Linear(torch::nn::LinearOptions(contextDim, dim).bias(false)));
    toV = register_module("to_v", torch::nn::Linear(torch::nn::LinearOptions(contextDim, dim).bias(false)));
    toOut = register_module("to_out", torch::nn::Linear(dim, dim));
}

at::Tensor AttentionImpl::forward(const at::Tensor& x, const at::Tensor& context, const at::Tensor& keyMask)
{
    const auto& ctx = context.defined() ? context : x;
    auto q = toQ(x), k = toK(ctx), v = toV(ctx);
    if (rotary) {
        const auto b = x.size(0);
        auto rope = [&](const at::Tensor& t) {
            auto h = t.view({ b, t.size(1), heads, -1 }).transpose(1, 2);
            return applyRotary(h).transpose(1, 2).reshape({ b, t.size(1), -1 });
        };
        q = rope(q);
        k = rope(k);
    }
    return toOut(attention(q, k, v, heads, keyMask));
}

FeedForwardImpl::FeedForwardImpl(int64_t dim, int64_t mult)
{
    in = register_module("in", torch::nn::Linear(dim, dim * mult));
    out = register_module("out", torch::nn::Linear(dim * mult, dim));
}

at::Tensor FeedForwardImpl::forward(const at::Tensor& x)
{
    return out(F::gelu(in(x)));
}

torch::nn::Conv3d spatialConv(int64_t in, int64_t out, int64_t kernel, int64_t stride)
{
    return torch::nn::Conv3d(torch::nn::Conv3dOptions(in, out, { 1, kernel, kernel })
                                 .stride({ 1, stride, stride })
                                 .padding({ 0, kernel / 2, kernel / 2 }));
}

at::Tensor upsampleSpatial(const at::Tensor& x)
{
    return F::interpolate(x,
        F::InterpolateFuncOptions()
            .scale_factor(std::vector<double> { 1.0, 2.0, 2.0 })
            .mode(torch::kNearest));
}

torch::nn::Conv3d temporalConv(int64_t in, int64_t out, int64_t kernel)
{
    return torch::nn::Conv3d(
        torch::nn::Conv3dOptions(in, out, { kernel, 1, 1 }).padding({ kernel / 2, 0, 0 }));
}

} // namespace kinora::inference
