#pragma once
// Building blocks shared by the native VAE, denoiser and text encoder. Video tensors are
// [B, C, T, H, W] throughout.

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace kinora::inference {

// Multi-head attention over [B, L, D] queries and [B, S, Dc] context, with an optional key mask
// [B, S] (true = attend). Uses fused scaled-dot-product attention on LibTorch 2.x.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t heads,
    const at::Tensor& keyMask = {});

// Rotary position embedding applied to [B, heads, L, headDim] by position index 0..L-1, so that
// temporal attention depends on relative frame distance.
at::Tensor applyRotary(const at::Tensor& x);

struct AttentionImpl : torch::nn::Module {
    AttentionImpl(int64_t dim, int64_t contextDim, int64_t heads, bool rotary);
    // context undefined = self-attention.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& context = {}, const at::Tensor& keyMask = {});

    int64_t heads;
    bool rotary;
    torch::nn::Linear toQ { nullptr }, toK { nullptr }, toV { nullptr }, toOut { nullptr };
};
TORCH_MODULE(Attention);

struct FeedForwardImpl : torch::nn::Module {
    FeedForwardImpl(int64_t dim, int64_t mult = 4);
    at::Tensor forward(const at::Tensor& x);
    torch::nn::Linear in { nullptr }, out { nullptr };
};
TORCH_MODULE(FeedForward);

// 2D convolution applied to every frame: kernel 1 x k x k over [B, C, T, H, W].
torch::nn::Conv3d spatialConv(int64_t in, int64_t out, int64_t kernel = 3, int64_t stride = 1);
// Nearest-neighbour 2x upsampling of every frame: [B, C, T, H, W] -> [B, C, T, 2H, 2W].
at::Tensor upsampleSpatial(const at::Tensor& x);

// 1D convolution along time at every pixel: kernel k x 1 x 1.
torch::nn::Conv3d temporalConv(int64_t in, int64_t out, int64_t kernel = 3);

} // namespace kinora::inference
