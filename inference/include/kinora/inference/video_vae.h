#pragma once
// The native family's video VAE: compresses each frame spatially (2^(levels-1) per side) into a
// KL-regularised latent, and decodes with temporal layers between the spatial ones so neighbouring
// frames agree (against flicker). Normalisation is per frame, and the temporal layers start as
// identities, so an untrained decoder treats frames independently; training teaches it to mix them.

#include "kinora/inference/layers.h"
#include "kinora/inference/native_config.h"

#include <torch/nn/modules/container/modulelist.h>

#include <utility>

namespace kinora::inference {

// GroupNorm over each frame separately: [B, C, T, H, W] -> statistics per (B, T).
struct FrameNormImpl : torch::nn::Module {
    FrameNormImpl(int64_t groups, int64_t channels);
    at::Tensor forward(const at::Tensor& x);
    torch::nn::GroupNorm norm { nullptr };
};
TORCH_MODULE(FrameNorm);

struct VaeResBlockImpl : torch::nn::Module {
    VaeResBlockImpl(int64_t in, int64_t out, int64_t groups);
    at::Tensor forward(const at::Tensor& x);
    FrameNorm norm1 { nullptr }, norm2 { nullptr };
    torch::nn::Conv3d conv1 { nullptr }, conv2 { nullptr }, skip { nullptr };
};
TORCH_MODULE(VaeResBlock);

// Residual 1D convolution along time, zero-initialised.
struct TemporalMixImpl : torch::nn::Module {
    TemporalMixImpl(int64_t channels, int64_t groups);
    at::Tensor forward(const at::Tensor& x);
    FrameNorm norm { nullptr };
    torch::nn::Conv3d conv { nullptr };
};
TORCH_MODULE(TemporalMix);

// With config.spaceToDepth > 0 it has no layers at all: encode stacks each frame's f x f pixel
// blocks as channels (pixel_unshuffle) with a log-variance of zeros' worth of nothing (-30), and
// decode undoes it exactly.
struct VideoVaeImpl : torch::nn::Module {
    explicit VideoVaeImpl(const NativeConfig& config);

    // RGB in [-1, 1], [B, 3, T, H, W] with H, W multiples of the compression -> (mean, logvar).
    std::pair<at::Tensor, at::Tensor> encode(const at::Tensor& video);
    // Latent [B, C, T, h, w] -> RGB [B, 3, T, h*s, w*s], not clamped.
    at::Tensor decode(const at::Tensor& latent);

    int64_t compression;
    bool fixed = false; // space-to-depth: no parameters
    torch::nn::Conv3d encIn { nullptr }, encOut { nullptr }, decIn { nullptr }, decOut { nullptr };
    // Linear paths between the (area-averaged) colours and the latent, beside the convolutional
    // ones: the per-frame GroupNorms strip a flat region's absolute colour from the features, so
    // without them a small VAE spends most of its training relearning colour from patterns.
    torch::nn::Conv3d encColour { nullptr }, decColour { nullptr };
    torch::nn::ModuleList encBlocks, encDown, decBlocks, decMix, decUp;
    VaeResBlock encMid { nullptr }, decMid { nullptr };
    TemporalMix decMidMix { nullptr };
    FrameNorm encNorm { nullptr }, decNorm { nullptr };
};
TORCH_MODULE(VideoVae);

} // namespace kinora::inference
