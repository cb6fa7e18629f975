#pragma once
// The native family's denoiser: a 3D U-Net over video latents [B, C, T, H, W] with factorized
// space/time layers. Each ResBlock is a 2D spatial convolution pair conditioned on the diffusion
// time (scale/shift), followed by a 1D temporal convolution; attention levels add spatial
// self-attention, cross-attention to the prompt and temporal self-attention with rotary frame
// positions. Normalisation is GroupNorm over the whole clip (C, T, H, W), so every frame is
// normalised with the same statistics (temporal feature normalisation: no per-frame drift).
// Input = noisy latent + known latent + known mask, so one model generates, inpaints, interpolates
// and extends. Temporal layers start as identities (zero-initialised outputs).

#include "kinora/inference/layers.h"
#include "kinora/inference/native_config.h"

#include <torch/nn/modules/container/modulelist.h>

namespace kinora::inference {

struct UNetResBlockImpl : torch::nn::Module {
    UNetResBlockImpl(int64_t in, int64_t out, int64_t timeDim, int64_t groups);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& timeEmbedding);
    torch::nn::GroupNorm norm1 { nullptr }, norm2 { nullptr }, normT { nullptr };
    torch::nn::Conv3d conv1 { nullptr }, conv2 { nullptr }, convT { nullptr }, skip { nullptr };
    torch::nn::Linear timeProj { nullptr };
};
TORCH_MODULE(UNetResBlock);

struct SpatialTransformerImpl : torch::nn::Module {
    SpatialTransformerImpl(int64_t channels, int64_t textDim, int64_t heads, int64_t groups);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& text, const at::Tensor& textMask);
    torch::nn::GroupNorm norm { nullptr };
    torch::nn::Linear projIn { nullptr }, projOut { nullptr };
    torch::nn::LayerNorm ln1 { nullptr }, ln2 { nullptr }, ln3 { nullptr };
    Attention selfAttn { nullptr }, crossAttn { nullptr };
    FeedForward ff { nullptr };
};
TORCH_MODULE(SpatialTransformer);

struct TemporalTransformerImpl : torch::nn::Module {
    TemporalTransformerImpl(int64_t channels, int64_t heads, int64_t groups);
    at::Tensor forward(const at::Tensor& x);
    torch::nn::GroupNorm norm { nullptr };
    torch::nn::LayerNorm ln1 { nullptr }, ln2 { nullptr };
    Attention attn { nullptr };
    FeedForward ff { nullptr };
    torch::nn::Linear projOut { nullptr };
};
TORCH_MODULE(TemporalTransformer);

struct UNet3dImpl : torch::nn::Module {
    explicit UNet3dImpl(const NativeConfig& config);

    // x: [B, 2C+1, T, H, W] (noisy ⊕ known latent ⊕ mask), timesteps: [B] float, text: [B, L, D] with
    // mask [B, L]. Returns the model output [B, C, T, H, W] in the pack's parameterization. With
    // config.frameChannel the input gets one more channel inside: each frame's offset from the
    // clip's middle frame, in units of kFrameUnit frames.
    static constexpr double kFrameUnit = 8.0;
    at::Tensor forward(
        const at::Tensor& x, const at::Tensor& timesteps, const at::Tensor& text, const at::Tensor& textMask);

    int64_t baseChannels;
    int64_t downFactor;
    bool frameChannel = false;
    torch::nn::Linear timeMlp1 { nullptr }, timeMlp2 { nullptr };
    torch::nn::Conv3d convIn { nullptr }, convOut { nullptr };
    torch::nn::ModuleList downBlocks, downSpatial, downTemporal, downSample;
    torch::nn::ModuleList upBlocks, upSpatial, upTemporal, upSample;
    UNetResBlock mid1 { nullptr }, mid2 { nullptr };
    SpatialTransformer midSpatial { nullptr };
    TemporalTransformer midTemporal { nullptr };
    torch::nn::GroupNorm normOut { nullptr };
    std::vector<bool> attentionAt;
};
TORCH_MODULE(UNet3d);

} // namespace kinora::inference
