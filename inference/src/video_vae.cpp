#include "kinora/inference/video_vae.h"

#include <torch/torch.h>

namespace kinora::inference {

FrameNormImpl::FrameNormImpl(int64_t groups, int64_t channels)
{
    norm = register_module("norm", torch::nn::GroupNorm(groups, channels));
}

at::Tensor FrameNormImpl::forward(const at::Tensor& x)
{
    const auto b = x.size(0), c = x.size(1), t = x.size(2), h = x.size(3), w = x.size(4);
    auto frames = x.permute({ 0, 2, 1, 3, 4 }).reshape({ b * t, c, h, w });
    return norm(frames).view({ b, t, c, h, w }).permute({ 0, 2, 1, 3, 4 });
}

VaeResBlockImpl::VaeResBlockImpl(int64_t in, int64_t out, int64_t groups)
{
    norm1 = register_module("norm1", FrameNorm(groups, in));
    conv1 = register_module("conv1", spatialConv(in, out));
    norm2 = register_module("norm2", FrameNorm(groups, out));
    conv2 = register_module("conv2", spatialConv(out, out));
    if (in != out)
        skip = register_module("skip", spatialConv(in, out, 1));
}

at::Tensor VaeResBlockImpl::forward(const at::Tensor& x)
{
    auto h = conv1(torch::silu(norm1(x)));
    h = conv2(torch::silu(norm2(h)));
    return (skip ? skip(x) : x) + h;
}

TemporalMixImpl::TemporalMixImpl(int64_t channels, int64_t groups)
{
    norm = register_module("norm", FrameNorm(groups, channels));
    conv = register_module("conv", temporalConv(channels, channels));
    torch::NoGradGuard noGrad;
    conv->weight.zero_();
    conv->bias.zero_();
}

at::Tensor TemporalMixImpl::forward(const at::Tensor& x)
{
    return x + conv(torch::silu(norm(x)));
}

VideoVaeImpl::VideoVaeImpl(const NativeConfig& c)
    : compression(c.spatialCompression())
    , fixed(!c.learnedVae())
{
    if (fixed)
        return;
    const auto levels = static_cast<int64_t>(c.vaeMultipliers.size());
    auto width = [&](int64_t level) { return static_cast<int64_t>(c.vaeChannels) * c.vaeMultipliers[level]; };

    encIn = register_module("enc_in", spatialConv(c.imageChannels, width(0)));
    encBlocks = register_module("enc_blocks", torch::nn::ModuleList());
    encDown = register_module("enc_down", torch::nn::ModuleList());
    for (int64_t i = 0; i < levels; ++i) {
        encBlocks->push_back(VaeResBlock(i == 0 ? width(0) : width(i - 1), width(i), c.groups));
        if (i + 1 < levels)
            encDown->push_back(spatialConv(width(i), width(i), 3, 2));
    }
    encMid = register_module("enc_mid", VaeResBlock(width(levels - 1), width(levels - 1), c.groups));
    encNorm = register_module("enc_norm", FrameNorm(c.groups, width(levels - 1)));
    encOut = register_module("enc_out", spatialConv(width(levels - 1), 2 * c.latentChannels));
    {
        // The log-variance half starts at -6 (noise std 0.05), not 0: with the small KL weight the
        // encoder would otherwise spend its first hundreds of steps shouting over unit noise.
        torch::NoGradGuard noGrad;
        encOut->bias.narrow(0, c.latentChannels, c.latentChannels).fill_(-6.0);
    }

    decIn = register_module("dec_in", spatialConv(c.latentChannels, width(levels - 1)));
    decMid = register_module("dec_mid", VaeResBlock(width(levels - 1), width(levels - 1), c.groups));
    decMidMix = register_module("dec_mid_mix", TemporalMix(width(levels - 1), c.groups));
    decBlocks = register_module("dec_blocks", torch::nn::ModuleList());
    decMix = register_module("dec_mix", torch::nn::ModuleList());
    decUp = register_module("dec_up", torch::nn::ModuleList());
    for (int64_t i = levels - 1; i >= 0; --i) {
        const auto in = i == levels - 1 ? width(i) : width(i + 1);
        decBlocks->push_back(VaeResBlock(in, width(i), c.groups));
        decMix->push_back(TemporalMix(width(i), c.groups));
        if (i > 0)
            decUp->push_back(spatialConv(width(i), width(i)));
    }
    decNorm = register_module("dec_norm", FrameNorm(c.groups, width(0)));
    decOut = register_module("dec_out", spatialConv(width(0), c.imageChannels));
    encColour = register_module("enc_colour", spatialConv(c.imageChannels, c.latentChannels, 1));
    decColour = register_module("dec_colour", spatialConv(c.latentChannels, c.imageChannels, 1));
}

namespace {

// [B, C, T, H, W] <-> [B*T, C, H, W]
at::Tensor framesOf(const at::Tensor& x)
{
    return x.permute({ 0, 2, 1, 3, 4 }).reshape({ x.size(0) * x.size(2), x.size(1), x.size(3), x.size(4) });
}

at::Tensor clipOf(const at::Tensor& frames, int64_t batch)
{
    return frames.view({ batch, frames.size(0) / batch, frames.size(1), frames.size(2), frames.size(3) })
        .permute({ 0, 2, 1, 3, 4 })
        .contiguous();
}

} // namespace

std::pair<at::Tensor, at::Tensor> VideoVaeImpl::encode(const at::Tensor& video)
{
    TORCH_CHECK(video.dim() == 5 && video.size(3) % compression == 0 && video.size(4) % compression == 0,
        "VideoVae::encode: expected [B, 3, T, H, W] with H and W multiples of ", compression, ", got ",
        video.sizes());
    if (fixed) {
        auto latent = clipOf(torch::pixel_unshuffle(framesOf(video), compression), video.size(0));
        return { latent, torch::full_like(latent, -30.0) };
    }
    auto h = encIn(video);
    for (size_t i = 0; i < encBlocks->size(); ++i) {
        h = encBlocks[i]->as<VaeResBlock>()->forward(h);
        if (i < encDown->size())
            h = encDown[i]->as<torch::nn::Conv3dImpl>()->forward(h);
    }
    h = encOut(torch::silu(encNorm(encMid(h))));
    auto parts = h.chunk(2, 1);
    const auto colours = torch::avg_pool3d(video, { 1, compression, compression });
    return { parts[0] + encColour(colours), parts[1].clamp(-30.0, 20.0) };
}

at::Tensor VideoVaeImpl::decode(const at::Tensor& latent)
{
    if (fixed)
        return clipOf(torch::pixel_shuffle(framesOf(latent), compression), latent.size(0));
    auto h = decMidMix(decMid(decIn(latent)));
    for (size_t i = 0; i < decBlocks->size(); ++i) {
        h = decBlocks[i]->as<VaeResBlock>()->forward(h);
        h = decMix[i]->as<TemporalMix>()->forward(h);
        if (i < decUp->size()) {
            h = upsampleSpatial(h);
            h = decUp[i]->as<torch::nn::Conv3dImpl>()->forward(h);
        }
    }
    namespace F = torch::nn::functional;
    const auto colours = F::interpolate(decColour(latent),
        F::InterpolateFuncOptions()
            .scale_factor(std::vector<double> {
                1.0, static_cast<double>(compression), static_cast<double>(compression) })
            .mode(torch::kTrilinear)
            .align_corners(false));
    return decOut(torch::silu(decNorm(h))) + colours;
}

} // namespace kinora::inference
