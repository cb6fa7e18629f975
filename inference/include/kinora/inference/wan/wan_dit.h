#pragma once
// The Wan 2.1 text-to-video diffusion transformer ("WanModel", diffusers' WanTransformer3DModel),
// native in LibTorch: patch embedding, sinusoid time embedding with the 6-way modulation, the
// text embedding of the context zero-padded to 512 rows, N blocks (self-attention with RMS-normed
// q/k and 3-D RoPE, cross-attention on the text without a mask, GELU-tanh FFN), the modulated head
// and the unpatchify. Parameters carry the ORIGINAL Wan names (wan21.md A1.4) so loading by name
// is direct; ditOriginalName maps diffusers' names onto them.
//
// Precision follows diffusers (the reference the fixtures come from): the module's dtype (fp32,
// bf16 or fp16) for the linear layers, convolution and attention, while the time embedding MLP,
// the modulation tables, the affine cross-attention LayerNorm and every LayerNorm / modulation
// computation run in fp32 (diffusers' _keep_in_fp32_modules), the residual stream kept in the
// module's dtype.

#include "kinora/inference/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kinora::inference::wan {

struct DitConfig {
    std::array<int64_t, 3> patch { 1, 2, 2 }; // (t, h, w), from patch_embedding.weight
    int64_t dim = 1536; // model width
    int64_t ffnDim = 8960;
    int64_t freqDim = 256; // sinusoid width
    int64_t textDim = 4096; // umT5 d_model
    int64_t inDim = 16; // latent channels in
    int64_t outDim = 16; // latent channels out
    int64_t numHeads = 12;
    int64_t numLayers = 30;
    double eps = 1e-6; // every LayerNorm / RMSNorm (not in the weights; Wan always uses 1e-6)
    bool crossAttnNorm = true; // an affine LayerNorm before cross-attention (norm3)
    int64_t textLen = 512; // the context is zero-padded to this many rows
    int64_t ropeMaxLen = 1024; // RoPE table length per axis
    double ropeTheta = 10000.0;

    int64_t headDim() const { return dim / numHeads; }

    // Infers the config from the tensor shapes of `weights` (original or diffusers names; a
    // "model.diffusion_model." prefix should have been stripped by WanWeights::open). The head
    // count is not in the shapes: pass it (config.json's num_heads, or diffusers'
    // num_attention_heads); without it the head dim is taken to be 128, as in every published Wan
    // 2.1 model (1.3B: 12 heads, 14B: 40). Throws ModelPackError when a tensor it needs is absent
    // or the head count does not divide the width.
    static DitConfig fromWeights(const WanWeights& weights, std::optional<int64_t> numHeads = {});
};

// Every intermediate the parity fixture holds (filled when forward is given a trace). All are
// detached copies as computed (the module's dtype, or fp32 where the computation is fp32).
struct DitTrace {
    at::Tensor timeSinusoid; // [B, freqDim] fp32, cos first
    at::Tensor timeEmbedding; // [B, dim] fp32 "e" / diffusers temb, before the cast to the module dtype
    at::Tensor timeProjection; // [B, 6, dim] "e0" / diffusers timestep_proj
    at::Tensor ropeCos; // [L, headDim] fp32, each value repeated for the pair it rotates
    at::Tensor ropeSin; // [L, headDim]
    at::Tensor textEmbedding; // [B, textLen, dim]
    at::Tensor patchTokens; // [B, L, dim], tokens in (f, h, w) row-major order
    std::vector<at::Tensor> blocks; // numLayers × [B, L, dim], each block's output
    at::Tensor head; // [B, L, prod(patch) * outDim], before unpatchify
};

// The layers below allocate their parameters directly with the given options (zero-filled, no
// random initialisation: a 1.4B model is always loaded from weights) and run through at::linear /
// at::conv3d, so building the real model on a GPU in bf16 never makes an fp32 copy on the CPU.

// A Linear ("weight" [out, in], "bias" [out]).
struct WanLinearImpl : torch::nn::Module {
    WanLinearImpl(int64_t in, int64_t out, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x);
    at::Tensor weight, bias;
};
TORCH_MODULE(WanLinear);

// Linear, activation, Linear under the names "0" and "2" (text_embedding: GELU-tanh,
// time_embedding: SiLU; ffn: GELU-tanh).
struct WanMlpImpl : torch::nn::Module {
    enum class Act { GeluTanh, Silu };
    WanMlpImpl(int64_t in, int64_t hidden, int64_t out, Act act, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x);
    Act act;
    WanLinear fc0 { nullptr }, fc2 { nullptr };
};
TORCH_MODULE(WanMlp);

// Self- or cross-attention ("self_attn" / "cross_attn"): q, k, v, o with biases, q and k
// RMS-normed across all heads (norm_q / norm_k weights, fp32 statistics) before the heads split.
struct WanAttentionImpl : torch::nn::Module {
    WanAttentionImpl(int64_t dim, int64_t numHeads, double eps, const at::TensorOptions& options);
    // x: [B, L, dim]; context: [B, S, dim] for cross-attention, undefined for self-attention;
    // ropeCos/ropeSin: [L, headDim] fp32 (self-attention only) or undefined.
    at::Tensor forward(
        const at::Tensor& x, const at::Tensor& context, const at::Tensor& ropeCos, const at::Tensor& ropeSin);
    int64_t numHeads;
    double eps;
    WanLinear q { nullptr }, k { nullptr }, v { nullptr }, o { nullptr };
    at::Tensor normQ, normK; // "norm_q.weight", "norm_k.weight"
};
TORCH_MODULE(WanAttention);

// One WanAttentionBlock: modulated self-attention, cross-attention, modulated FFN.
struct WanDitBlockImpl : torch::nn::Module {
    WanDitBlockImpl(const DitConfig& config, const at::TensorOptions& options);
    // x: [B, L, dim] (module dtype); e0: [B, 6, dim]; text: [B, textLen, dim].
    at::Tensor forward(const at::Tensor& x, const at::Tensor& e0, const at::Tensor& text,
        const at::Tensor& ropeCos, const at::Tensor& ropeSin);
    int64_t dim;
    double eps;
    WanAttention selfAttn { nullptr }, crossAttn { nullptr };
    at::Tensor norm3Weight, norm3Bias; // fp32 affine cross-attention LayerNorm; undefined without
    WanMlp ffn { nullptr }; // "ffn.0", "ffn.2"
    at::Tensor modulation; // [1, 6, dim] fp32
};
TORCH_MODULE(WanDitBlock);

// The head: LayerNorm (no affine) modulated by shift/scale from "modulation" + e, then a Linear.
struct WanDitHeadImpl : torch::nn::Module {
    WanDitHeadImpl(const DitConfig& config, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& e);
    int64_t dim;
    double eps;
    WanLinear head { nullptr };
    at::Tensor modulation; // [1, 2, dim] fp32
};
TORCH_MODULE(WanDitHead);

class WanDitImpl : public torch::nn::Module {
public:
    // Allocates every parameter with `options` (dtype and device) except those the reference keeps
    // in fp32 (time_embedding.*, every modulation table, norm3), which get fp32 on the same device.
    explicit WanDitImpl(const DitConfig& config, const at::TensorOptions& options = {});

    // x: [B, inDim, t, h, w] latent (t, h, w multiples of the patch); timestep: [B] (the
    // scheduler's timestep, integer-valued in Wan's pipelines); context: [B, L <= textLen, textDim]
    // text encoder output trimmed to the real tokens (it is zero-padded to textLen here, as Wan
    // does; the padded rows are attended to, no mask). Returns the velocity [B, outDim, t, h, w]
    // in fp32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& timestep, const at::Tensor& context,
        DitTrace* trace = nullptr);

    const DitConfig& config() const { return m_config; }
    // The dtype of the linear layers (what the residual stream and attention run in).
    c10::ScalarType dtype() const;

    // The RoPE cos/sin tables for a grid of (f, h, w) tokens: [f*h*w, headDim] fp32 each.
    std::pair<at::Tensor, at::Tensor> rope(int64_t f, int64_t h, int64_t w, const c10::Device& device) const;

    at::Tensor patchWeight, patchBias; // "patch_embedding.weight" / ".bias" (a Conv3d)
    WanMlp textEmbedding { nullptr }; // Linear, GELU(tanh), Linear
    WanMlp timeEmbedding { nullptr }; // Linear, SiLU, Linear (fp32)
    WanLinear timeProjection { nullptr }; // "time_projection.1", after a SiLU
    torch::nn::ModuleList blocks { nullptr }; // WanDitBlock
    WanDitHead head { nullptr };

private:
    DitConfig m_config;
};
TORCH_MODULE(WanDit);

// The original Wan name of a diffusers DiT tensor name (original names are returned unchanged).
std::string ditOriginalName(const std::string& diffusersName);
// Whether `originalName` is a tensor of the T2V DiT (so a loader can report unexpected ones).
bool isDitTensor(const std::string& originalName);

// Builds a WanDit from `weights` (either naming; config from the shapes, see
// DitConfig::fromWeights) with its parameters allocated directly on `device` in `dtype` (fp32
// where the reference keeps fp32) and filled one tensor at a time. Every missing, mis-shaped or
// unexpected tensor is reported at once in one ModelPackError.
WanDit loadWanDit(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype,
    std::optional<int64_t> numHeads = {});

} // namespace kinora::inference::wan
