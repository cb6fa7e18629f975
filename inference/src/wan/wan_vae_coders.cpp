// The Wan VAE's encoder and decoder, and the chunk loops of encode and decode (the reference's
// AutoencoderKLWan._encode / _decode, with WanPipeline's latent un-normalisation).

#include "kinora/inference/job_errors.h"
#include "kinora/inference/wan/wan_vae.h"

#include <torch/torch.h>

#include <stdexcept>

namespace kinora::inference::wan {

namespace {

// Chunks of the reference's encode: the first frame alone, then 4 at a time.
constexpr int64_t kEncodeChunk = 4;

// Registers `block` as the next child of `list` (names "0", "1", ...) and keeps it in `blocks`.
template <typename Holder>
void append(torch::nn::Module& list, std::vector<std::shared_ptr<VaeBlock>>& blocks, Holder block)
{
    list.register_module(std::to_string(blocks.size()), block.ptr());
    blocks.push_back(block.ptr());
}

// middle: residual, attention, residual at one width.
void addMiddle(torch::nn::Module& parent, std::vector<std::shared_ptr<VaeBlock>>& blocks, int64_t dim,
    const at::TensorOptions& options)
{
    auto list = parent.register_module("middle", std::make_shared<torch::nn::Module>());
    append(*list, blocks, ResidualBlock(dim, dim, options));
    append(*list, blocks, AttentionBlock(dim, options));
    append(*list, blocks, ResidualBlock(dim, dim, options));
}

// head: RMS (0), SiLU (1, no parameters), causal conv (2).
void addHead(torch::nn::Module& parent, RmsNorm& norm, CausalConv3d& conv, int64_t in, int64_t out,
    const at::TensorOptions& options)
{
    auto head = parent.register_module("head", std::make_shared<torch::nn::Module>());
    norm = head->register_module("0", RmsNorm(in, 3, options));
    conv = head->register_module("2", CausalConv3d(in, out, Triple { 3, 3, 3 }, Triple { 1, 1, 1 }, options));
}

at::Tensor run(const at::Tensor& x, const std::vector<std::shared_ptr<VaeBlock>>& blocks, VaeCache& cache)
{
    at::Tensor y = x;
    for (const auto& block : blocks)
        y = block->forward(y, cache);
    return y;
}

void checkConfig(const VaeConfig& c)
{
    if (c.dimMult.empty() || c.temporalDownsample.size() + 1 != c.dimMult.size() || c.baseDim <= 0
        || c.zDim <= 0 || c.numResBlocks <= 0)
        throw std::invalid_argument("Wan VAE: inconsistent configuration (dimMult, temporalDownsample)");
}

} // namespace

VaeEncoderImpl::VaeEncoderImpl(const VaeConfig& c, const at::TensorOptions& options)
{
    checkConfig(c);
    std::vector<int64_t> dims { c.baseDim };
    for (const auto m : c.dimMult)
        dims.push_back(c.baseDim * m);
    conv1
        = register_module("conv1", CausalConv3d(3, dims[0], Triple { 3, 3, 3 }, Triple { 1, 1, 1 }, options));
    auto list = register_module("downsamples", std::make_shared<torch::nn::Module>());
    const auto stages = c.dimMult.size();
    for (size_t i = 0; i < stages; ++i) {
        int64_t in = dims[i];
        for (int64_t r = 0; r < c.numResBlocks; ++r, in = dims[i + 1])
            append(*list, downsamples, ResidualBlock(in, dims[i + 1], options));
        if (i + 1 < stages)
            append(*list, downsamples,
                Resample(dims[i + 1], c.temporalDownsample[i] ? ResampleMode::Down3d : ResampleMode::Down2d,
                    options));
    }
    addMiddle(*this, middle, dims.back(), options);
    addHead(*this, headNorm, headConv, dims.back(), 2 * c.zDim, options);
}

at::Tensor VaeEncoderImpl::forward(const at::Tensor& x, VaeCache& cache)
{
    auto y = conv1->forward(x, cache);
    y = run(run(y, downsamples, cache), middle, cache);
    auto h = headNorm(y);
    return headConv->forward(at::silu_(h), cache);
}

VaeDecoderImpl::VaeDecoderImpl(const VaeConfig& c, const at::TensorOptions& options)
{
    checkConfig(c);
    std::vector<int64_t> dims { c.baseDim * c.dimMult.back() };
    for (auto it = c.dimMult.rbegin(); it != c.dimMult.rend(); ++it)
        dims.push_back(c.baseDim * *it);
    conv1 = register_module(
        "conv1", CausalConv3d(c.zDim, dims[0], Triple { 3, 3, 3 }, Triple { 1, 1, 1 }, options));
    addMiddle(*this, middle, dims[0], options);
    auto list = register_module("upsamples", std::make_shared<torch::nn::Module>());
    const auto stages = c.dimMult.size();
    for (size_t i = 0; i < stages; ++i) {
        // Wan 2.1: each stage after the first starts at half its width (the resample halves it).
        int64_t in = i > 0 ? dims[i] / 2 : dims[i];
        for (int64_t r = 0; r <= c.numResBlocks; ++r, in = dims[i + 1])
            append(*list, upsamples, ResidualBlock(in, dims[i + 1], options));
        if (i + 1 < stages) {
            const bool temporal = c.temporalDownsample[stages - 2 - i]; // the reverse order
            append(*list, upsamples,
                Resample(dims[i + 1], temporal ? ResampleMode::Up3d : ResampleMode::Up2d, options));
        }
    }
    addHead(*this, headNorm, headConv, dims.back(), 3, options);
}

at::Tensor VaeDecoderImpl::forward(const at::Tensor& x, VaeCache& cache)
{
    auto y = conv1->forward(x, cache);
    y = run(run(y, middle, cache), upsamples, cache);
    auto h = headNorm(y);
    return headConv->forward(at::silu_(h), cache);
}

WanVaeImpl::WanVaeImpl(const VaeConfig& config, const at::TensorOptions& options)
    : m_config(config)
{
    if (config.latentMean.size() != static_cast<size_t>(config.zDim)
        || config.latentStd.size() != static_cast<size_t>(config.zDim))
        throw std::invalid_argument("Wan VAE: latentMean and latentStd need one value per latent channel");
    encoder = register_module("encoder", VaeEncoder(config, options));
    conv1 = register_module("conv1",
        CausalConv3d(2 * config.zDim, 2 * config.zDim, Triple { 1, 1, 1 }, Triple { 0, 0, 0 }, options));
    conv2 = register_module(
        "conv2", CausalConv3d(config.zDim, config.zDim, Triple { 1, 1, 1 }, Triple { 0, 0, 0 }, options));
    decoder = register_module("decoder", VaeDecoder(config, options));
}

at::Tensor WanVaeImpl::channelConstants(const std::vector<double>& values, const at::Tensor& like) const
{
    // As the pipelines: float32 from the published values (the callers then cast to the latents').
    return torch::tensor(std::vector<float>(values.begin(), values.end()), at::kFloat)
        .view({ 1, -1, 1, 1, 1 })
        .to(like.device());
}

at::Tensor WanVaeImpl::decode(
    const at::Tensor& z, const std::function<bool()>& isCancelled, const c10::Device& outputDevice)
{
    if (z.dim() != 5 || z.size(1) != m_config.zDim || z.size(2) < 1)
        throw std::invalid_argument("Wan VAE decode: latents must be [B, " + std::to_string(m_config.zDim)
            + ", T, h, w], got " + c10::str(z.sizes()));
    torch::NoGradGuard noGrad;
    auto x = z.to(conv2->weight.device(), conv2->weight.scalar_type());
    // WanPipeline: latents / (1 / std) + mean, then vae.decode.
    const auto mean = channelConstants(m_config.latentMean, x).to(x.scalar_type());
    const auto invStd = (1.0 / channelConstants(m_config.latentStd, x)).to(x.scalar_type());
    x = conv2->forward(x / invStd + mean);

    const auto frames = z.size(2);
    const auto tf = m_config.temporalFactor(), sf = m_config.spatialFactor();
    auto out = at::empty({ z.size(0), 3, 1 + (frames - 1) * tf, z.size(3) * sf, z.size(4) * sf },
        x.options().device(outputDevice));
    VaeCache cache;
    int64_t written = 0;
    for (int64_t i = 0; i < frames; ++i) {
        if (isCancelled && isCancelled())
            throw PipelineCancelled();
        cache.beginChunk();
        const auto chunk = decoder(x.narrow(2, i, 1), cache).clamp_(-1.0, 1.0);
        out.narrow(2, written, chunk.size(2)).copy_(chunk);
        written += chunk.size(2);
    }
    TORCH_INTERNAL_ASSERT(written == out.size(2), "Wan VAE decode: chunk frames do not add up");
    return out;
}

at::Tensor WanVaeImpl::encode(const at::Tensor& x, const std::function<bool()>& isCancelled)
{
    const auto sf = m_config.spatialFactor();
    if (x.dim() != 5 || x.size(1) != 3 || x.size(2) % kEncodeChunk != 1 || x.size(3) % sf != 0
        || x.size(4) % sf != 0)
        throw std::invalid_argument("Wan VAE encode: the video must be [B, 3, 4n+1, H, W] with H and W "
                                    "divisible by "
            + std::to_string(sf) + ", got " + c10::str(x.sizes()));
    torch::NoGradGuard noGrad;
    const auto video = x.to(conv1->weight.device(), conv1->weight.scalar_type());
    VaeCache cache;
    std::vector<at::Tensor> latents;
    for (int64_t start = 0; start < video.size(2);) {
        const int64_t length = start == 0 ? 1 : kEncodeChunk;
        if (isCancelled && isCancelled())
            throw PipelineCancelled();
        cache.beginChunk();
        latents.push_back(encoder(video.narrow(2, start, length), cache));
        start += length;
    }
    const auto h = conv1->forward(at::cat(latents, 2));
    const auto mu = h.narrow(1, 0, m_config.zDim);
    // The image-to-video pipelines: (μ - mean) * (1 / std).
    const auto mean = channelConstants(m_config.latentMean, mu).to(mu.scalar_type());
    const auto invStd = (1.0 / channelConstants(m_config.latentStd, mu)).to(mu.scalar_type());
    return (mu - mean) * invStd;
}

} // namespace kinora::inference::wan
