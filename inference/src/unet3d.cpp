#include "kinora/inference/unet3d.h"

#include "kinora/inference/embeddings.h"

#include <torch/torch.h>

namespace kinora::inference {

namespace {

void zeroInit(torch::nn::Linear& layer)
{
    torch::NoGradGuard noGrad;
    layer->weight.zero_();
    layer->bias.zero_();
}

} // namespace

UNetResBlockImpl::UNetResBlockImpl(int64_t in, int64_t out, int64_t timeDim, int64_t groups)
{
    norm1 = register_module("norm1", torch::nn::GroupNorm(groups, in));
    conv1 = register_module("conv1", spatialConv(in, out));
    timeProj = register_module("time_proj", torch::nn::Linear(timeDim, 2 * out));
    norm2 = register_module("norm2", torch::nn::GroupNorm(groups, out));
    conv2 = register_module("conv2", spatialConv(out, out));
    normT = register_module("norm_t", torch::nn::GroupNorm(groups, out));
    convT = register_module("conv_t", temporalConv(out, out));
    if (in != out)
        skip = register_module("skip", spatialConv(in, out, 1));
    torch::NoGradGuard noGrad;
    convT->weight.zero_();
    convT->bias.zero_();
}

at::Tensor UNetResBlockImpl::forward(const at::Tensor& x, const at::Tensor& timeEmbedding)
{
    auto h = conv1(torch::silu(norm1(x)));
    auto scaleShift = timeProj(torch::silu(timeEmbedding)).view({ x.size(0), -1, 1, 1, 1 }).chunk(2, 1);
    h = norm2(h) * (1 + scaleShift[0]) + scaleShift[1];
    h = conv2(torch::silu(h));
    h = h + convT(torch::silu(normT(h)));
    return (skip ? skip(x) : x) + h;
}

SpatialTransformerImpl::SpatialTransformerImpl(
    int64_t channels, int64_t textDim, int64_t heads, int64_t groups)
{
    norm = register_module("norm", torch::nn::GroupNorm(groups, channels));
    projIn = register_module("proj_in", torch::nn::Linear(channels, channels));
    ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ channels })));
    selfAttn = register_module("self_attn", Attention(channels, channels, heads, false));
    ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ channels })));
    crossAttn = register_module("cross_attn", Attention(channels, textDim, heads, false));
    ln3 = register_module("ln3", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ channels })));
    ff = register_module("ff", FeedForward(channels));
    projOut = register_module("proj_out", torch::nn::Linear(channels, channels));
}

at::Tensor SpatialTransformerImpl::forward(
    const at::Tensor& x, const at::Tensor& text, const at::Tensor& textMask)
{
    const auto b = x.size(0), c = x.size(1), t = x.size(2), hgt = x.size(3), w = x.size(4);
    // Every frame attends within itself and to the prompt: [B*T, H*W, C].
    auto tokens = norm(x).permute({ 0, 2, 3, 4, 1 }).reshape({ b * t, hgt * w, c });
    tokens = projIn(tokens);
    auto ctx = text.repeat_interleave(t, 0);
    auto ctxMask = textMask.repeat_interleave(t, 0);
    tokens = tokens + selfAttn->forward(ln1(tokens));
    tokens = tokens + crossAttn->forward(ln2(tokens), ctx, ctxMask);
    tokens = tokens + ff(ln3(tokens));
    auto out = projOut(tokens).view({ b, t, hgt, w, c }).permute({ 0, 4, 1, 2, 3 });
    return x + out;
}

TemporalTransformerImpl::TemporalTransformerImpl(int64_t channels, int64_t heads, int64_t groups)
{
    norm = register_module("norm", torch::nn::GroupNorm(groups, channels));
    ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ channels })));
    attn = register_module("attn", Attention(channels, channels, heads, /*rotary=*/true));
    ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ channels })));
    ff = register_module("ff", FeedForward(channels));
    projOut = register_module("proj_out", torch::nn::Linear(channels, channels));
    zeroInit(projOut);
}

at::Tensor TemporalTransformerImpl::forward(const at::Tensor& x)
{
    const auto b = x.size(0), c = x.size(1), t = x.size(2), hgt = x.size(3), w = x.size(4);
    // Every pixel attends along time: [B*H*W, T, C].
    auto tokens = norm(x).permute({ 0, 3, 4, 2, 1 }).reshape({ b * hgt * w, t, c });
    tokens = tokens + attn->forward(ln1(tokens));
    tokens = tokens + ff(ln2(tokens));
    auto out = projOut(tokens).view({ b, hgt, w, t, c }).permute({ 0, 4, 3, 1, 2 });
    return x + out;
}

UNet3dImpl::UNet3dImpl(const NativeConfig& c)
    : baseChannels(c.unetChannels)
    , downFactor(1LL << (static_cast<int64_t>(c.unetMultipliers.size()) - 1))
    , frameChannel(c.frameChannel)
    , attentionAt(c.unetAttention)
{
    const auto levels = static_cast<int64_t>(c.unetMultipliers.size());
    TORCH_CHECK(static_cast<int64_t>(c.unetAttention.size()) == levels,
        "NativeConfig: unetAttention needs one entry per level");
    auto width
        = [&](int64_t level) { return static_cast<int64_t>(c.unetChannels) * c.unetMultipliers[level]; };
    const int64_t timeDim = 4 * c.unetChannels;

    timeMlp1 = register_module("time_mlp1", torch::nn::Linear(c.unetChannels, timeDim));
    timeMlp2 = register_module("time_mlp2", torch::nn::Linear(timeDim, timeDim));
    convIn = register_module(
        "conv_in", spatialConv(c.denoiserInputChannels() + (c.frameChannel ? 1 : 0), width(0)));

    downBlocks = register_module("down_blocks", torch::nn::ModuleList());
    downSpatial = register_module("down_spatial", torch::nn::ModuleList());
    downTemporal = register_module("down_temporal", torch::nn::ModuleList());
    downSample = register_module("down_sample", torch::nn::ModuleList());
    upBlocks = register_module("up_blocks", torch::nn::ModuleList());
    upSpatial = register_module("up_spatial", torch::nn::ModuleList());
    upTemporal = register_module("up_temporal", torch::nn::ModuleList());
    upSample = register_module("up_sample", torch::nn::ModuleList());

    for (int64_t i = 0; i < levels; ++i) {
        downBlocks->push_back(UNetResBlock(i == 0 ? width(0) : width(i - 1), width(i), timeDim, c.groups));
        if (c.unetAttention[i]) {
            downSpatial->push_back(SpatialTransformer(width(i), c.textDim, c.attentionHeads, c.groups));
            downTemporal->push_back(TemporalTransformer(width(i), c.attentionHeads, c.groups));
        }
        if (i + 1 < levels)
            downSample->push_back(spatialConv(width(i), width(i), 3, 2));
    }
    const auto top = width(levels - 1);
    mid1 = register_module("mid1", UNetResBlock(top, top, timeDim, c.groups));
    midSpatial
        = register_module("mid_spatial", SpatialTransformer(top, c.textDim, c.attentionHeads, c.groups));
    midTemporal = register_module("mid_temporal", TemporalTransformer(top, c.attentionHeads, c.groups));
    mid2 = register_module("mid2", UNetResBlock(top, top, timeDim, c.groups));
    for (int64_t i = levels - 1; i >= 0; --i) {
        const auto in = (i == levels - 1 ? top : width(i + 1)) + width(i); // previous output ⊕ skip
        upBlocks->push_back(UNetResBlock(in, width(i), timeDim, c.groups));
        if (c.unetAttention[i]) {
            upSpatial->push_back(SpatialTransformer(width(i), c.textDim, c.attentionHeads, c.groups));
            upTemporal->push_back(TemporalTransformer(width(i), c.attentionHeads, c.groups));
        }
        if (i > 0)
            upSample->push_back(spatialConv(width(i), width(i)));
    }
    normOut = register_module("norm_out", torch::nn::GroupNorm(c.groups, width(0)));
    convOut = register_module("conv_out", spatialConv(width(0), c.latentChannels));
}

at::Tensor UNet3dImpl::forward(
    const at::Tensor& x, const at::Tensor& timesteps, const at::Tensor& text, const at::Tensor& textMask)
{
    TORCH_CHECK(x.dim() == 5 && x.size(3) % downFactor == 0 && x.size(4) % downFactor == 0,
        "UNet3d: expected [B, C, T, H, W] with H and W multiples of ", downFactor, ", got ", x.sizes());
    auto emb = sinusoidalEmbedding(timesteps.to(x.device()), baseChannels).to(x.scalar_type());
    emb = timeMlp2(torch::silu(timeMlp1(emb)));

    const auto levels = downBlocks->size();
    std::vector<at::Tensor> skips;
    at::Tensor input = x;
    if (frameChannel) {
        const auto t = x.size(2);
        auto place = (torch::arange(t, x.options()) - static_cast<double>(t - 1) / 2) / kFrameUnit;
        input = torch::cat(
            { x, place.view({ 1, 1, t, 1, 1 }).expand({ x.size(0), 1, t, x.size(3), x.size(4) }) }, 1);
    }
    auto h = convIn(input);
    size_t attnIndex = 0;
    for (size_t i = 0; i < levels; ++i) {
        h = downBlocks[i]->as<UNetResBlock>()->forward(h, emb);
        if (attentionAt[i]) {
            h = downSpatial[attnIndex]->as<SpatialTransformer>()->forward(h, text, textMask);
            h = downTemporal[attnIndex]->as<TemporalTransformer>()->forward(h);
            ++attnIndex;
        }
        skips.push_back(h);
        if (i + 1 < levels)
            h = downSample[i]->as<torch::nn::Conv3dImpl>()->forward(h);
    }
    h = mid1(h, emb);
    h = midTemporal(midSpatial(h, text, textMask));
    h = mid2(h, emb);
    attnIndex = 0;
    for (size_t j = 0; j < levels; ++j) {
        const auto level = levels - 1 - j;
        h = torch::cat({ h, skips[level] }, 1);
        h = upBlocks[j]->as<UNetResBlock>()->forward(h, emb);
        if (attentionAt[level]) {
            h = upSpatial[attnIndex]->as<SpatialTransformer>()->forward(h, text, textMask);
            h = upTemporal[attnIndex]->as<TemporalTransformer>()->forward(h);
            ++attnIndex;
        }
        if (level > 0) {
            h = upsampleSpatial(h);
            h = upSample[j]->as<torch::nn::Conv3dImpl>()->forward(h);
        }
    }
    return convOut(torch::silu(normOut(h)));
}

} // namespace kinora::inference
