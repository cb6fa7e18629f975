// The Wan VAE's building blocks: RMS norm, causal convolution, residual and attention blocks,
// spatial and temporal resampling (wan/modules/vae.py; diffusers' autoencoder_kl_wan.py).

#include "kinora/inference/wan/wan_vae_blocks.h"

#include <torch/torch.h>

#include <cmath>

namespace kinora::inference::wan {

namespace {

bool isHalf(const at::Tensor& x)
{
    return x.scalar_type() == at::kHalf || x.scalar_type() == at::kBFloat16;
}

// f over every frame of [B, C, T, H, W] as a batch of images [B·T, C, H, W].
template <typename F> at::Tensor perFrame(const at::Tensor& x, F&& f)
{
    const auto b = x.size(0), t = x.size(2);
    const auto y = f(x.permute({ 0, 2, 1, 3, 4 }).reshape({ b * t, x.size(1), x.size(3), x.size(4) }));
    return y.view({ b, t, y.size(1), y.size(2), y.size(3) }).permute({ 0, 2, 1, 3, 4 });
}

// SiLU in place on a tensor nobody else holds (a norm's fresh output).
at::Tensor siluInPlace(at::Tensor x)
{
    at::silu_(x);
    return x;
}

// A holder for children with the reference's Sequential indices ("residual.0", "head.2").
std::shared_ptr<torch::nn::Module> holder(torch::nn::Module& parent, const std::string& name)
{
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

} // namespace

RmsNormImpl::RmsNormImpl(int64_t channels, int64_t spatialDims, const at::TensorOptions& options)
    : scale(std::sqrt(static_cast<double>(channels)))
{
    std::vector<int64_t> shape(static_cast<size_t>(spatialDims) + 1, 1);
    shape[0] = channels;
    gamma = register_parameter("gamma", torch::ones(shape, options), false);
}

at::Tensor RmsNormImpl::forward(const at::Tensor& x)
{
    // F.normalize: x / max(‖x‖₂, 1e-12) over the channels; in fp32 for 16-bit inputs, as diffusers.
    const auto xf = isHalf(x) ? x.to(at::kFloat) : x;
    auto y = xf / at::linalg_vector_norm(xf, 2, { 1 }, true).clamp_min(1e-12);
    if (isHalf(x))
        y = y.to(x.scalar_type());
    return y.mul_(gamma * scale);
}

CausalConv3dImpl::CausalConv3dImpl(int64_t in, int64_t out, std::array<int64_t, 3> kernel,
    std::array<int64_t, 3> padding_, const at::TensorOptions& options, std::array<int64_t, 3> stride_)
    : padding(padding_)
    , stride(stride_)
{
    weight = register_parameter(
        "weight", torch::zeros({ out, in, kernel[0], kernel[1], kernel[2] }, options), false);
    bias = register_parameter("bias", torch::zeros({ out }, options), false);
}

at::Tensor CausalConv3dImpl::forward(const at::Tensor& x, const at::Tensor& cache)
{
    // 2·p_t frames in front (the cache's, then zeros for the rest), none behind; the spatial
    // padding is the convolution's own (symmetric zeros, as the reference's F.pad).
    int64_t front = 2 * padding[0];
    const bool useCache = cache.defined() && front > 0;
    at::Tensor in = x;
    if (useCache)
        front -= cache.size(2);
    if (front > 0 || useCache) {
        std::vector<at::Tensor> parts;
        if (front > 0) {
            auto shape = x.sizes().vec();
            shape[2] = front;
            parts.push_back(at::zeros(shape, x.options()));
        }
        if (useCache)
            parts.push_back(cache.to(x.device(), x.scalar_type()));
        parts.push_back(x);
        in = at::cat(parts, 2);
    }
    return at::conv3d(in, weight, bias, { stride[0], stride[1], stride[2] }, { 0, padding[1], padding[2] });
}

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride_, int64_t padding_,
    const at::TensorOptions& options)
    : stride(stride_)
    , padding(padding_)
{
    weight = register_parameter("weight", torch::zeros({ out, in, kernel, kernel }, options), false);
    bias = register_parameter("bias", torch::zeros({ out }, options), false);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x)
{
    return at::conv2d(x, weight, bias, { stride, stride }, { padding, padding });
}

ResidualBlockImpl::ResidualBlockImpl(int64_t in, int64_t out, const at::TensorOptions& options)
{
    auto residual = holder(*this, "residual");
    norm1 = residual->register_module("0", RmsNorm(in, 3, options));
    conv1 = residual->register_module(
        "2", CausalConv3d(in, out, Triple { 3, 3, 3 }, Triple { 1, 1, 1 }, options));
    norm2 = residual->register_module("3", RmsNorm(out, 3, options));
    conv2 = residual->register_module(
        "6", CausalConv3d(out, out, Triple { 3, 3, 3 }, Triple { 1, 1, 1 }, options));
    if (in != out)
        shortcut = register_module(
            "shortcut", CausalConv3d(in, out, Triple { 1, 1, 1 }, Triple { 0, 0, 0 }, options));
}

at::Tensor ResidualBlockImpl::forward(const at::Tensor& x, VaeCache& cache)
{
    // The 1x1x1 shortcut has no temporal context: it takes no cache slot.
    const auto h = shortcut ? shortcut->forward(x) : x;
    auto y = conv1->forward(siluInPlace(norm1(x)), cache);
    y = conv2->forward(siluInPlace(norm2(y)), cache);
    return y.add_(h);
}

AttentionBlockImpl::AttentionBlockImpl(int64_t channels, const at::TensorOptions& options)
{
    norm = register_module("norm", RmsNorm(channels, 2, options));
    toQkv = register_module("to_qkv", Conv2d(channels, 3 * channels, 1, 1, 0, options));
    proj = register_module("proj", Conv2d(channels, channels, 1, 1, 0, options));
}

at::Tensor AttentionBlockImpl::forward(const at::Tensor& x, VaeCache&)
{
    // Each frame on its own: one head over its H·W pixels, width C (scale 1/√C).
    const auto c = x.size(1);
    return perFrame(x, [&](const at::Tensor& frames) {
        const auto n = frames.size(0), h = frames.size(2), w = frames.size(3);
        const auto qkv
            = toQkv(norm(frames)).reshape({ n, 1, 3 * c, h * w }).permute({ 0, 1, 3, 2 }).contiguous();
        const auto parts = qkv.chunk(3, -1);
        const auto out = at::scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return proj(out.squeeze(1).permute({ 0, 2, 1 }).reshape({ n, c, h, w }));
    }) + x;
}

ResampleImpl::ResampleImpl(int64_t channels, ResampleMode mode_, const at::TensorOptions& options)
    : mode(mode_)
{
    auto resample = holder(*this, "resample");
    const bool up = mode == ResampleMode::Up2d || mode == ResampleMode::Up3d;
    // Index 0 is the reference's Upsample or ZeroPad2d, which has no parameters.
    conv = resample->register_module("1",
        up ? Conv2d(channels, channels / 2, 3, 1, 1, options) : Conv2d(channels, channels, 3, 2, 0, options));
    if (mode == ResampleMode::Up3d)
        timeConv = register_module("time_conv",
            CausalConv3d(channels, 2 * channels, Triple { 3, 1, 1 }, Triple { 1, 0, 0 }, options));
    if (mode == ResampleMode::Down3d)
        timeConv = register_module("time_conv",
            CausalConv3d(
                channels, channels, Triple { 3, 1, 1 }, Triple { 0, 0, 0 }, options, Triple { 2, 1, 1 }));
}

at::Tensor ResampleImpl::forward(const at::Tensor& x, VaeCache& cache)
{
    at::Tensor y = x;
    if (mode == ResampleMode::Up3d) {
        at::Tensor context;
        if (cache.upsampleTime(x, context)) {
            // 2C channels -> two groups of C interleaved in time: frame 2i from the first, 2i+1
            // from the second.
            const auto b = x.size(0), c = x.size(1), t = x.size(2), h = x.size(3), w = x.size(4);
            y = timeConv->forward(x, context)
                    .view({ b, 2, c, t, h, w })
                    .permute({ 0, 2, 3, 1, 4, 5 })
                    .reshape({ b, c, 2 * t, h, w });
        }
    }
    if (mode == ResampleMode::Up2d || mode == ResampleMode::Up3d) {
        // Nearest x2 (for an exact x2, the reference's nearest-exact picks the same pixels).
        return perFrame(y, [&](const at::Tensor& frames) {
            return conv(at::upsample_nearest2d(frames, { 2 * frames.size(2), 2 * frames.size(3) }));
        });
    }
    // ZeroPad2d(0, 1, 0, 1): one zero column on the right and one row at the bottom.
    y = perFrame(y, [&](const at::Tensor& frames) {
        return conv(at::constant_pad_nd(frames, { 0, 1, 0, 1 }));
    });
    at::Tensor previous;
    if (mode == ResampleMode::Down3d && cache.downsampleTime(y, previous))
        y = timeConv->forward(at::cat({ previous.to(y.device()), y }, 2));
    return y;
}

} // namespace kinora::inference::wan
