#pragma once
// The Wan 2.1 VAE's building blocks (wan/modules/vae.py; diffusers' autoencoder_kl_wan.py), with
// their parameters under the original Wan names (residual.0/.2/.3/.6, shortcut, resample.1,
// time_conv, norm/to_qkv/proj). Video tensors are [B, C, T, H, W]. Every temporal convolution is
// causal and runs chunk by chunk through a VaeCache, so a clip is processed a few frames at a time
// and still equals one causal pass over the whole sequence (except where the reference itself
// differs: the first chunk of a temporal up- or downsampling, see VaeCache).

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <cstdint>
#include <vector>

namespace kinora::inference::wan {

using Triple = std::array<int64_t, 3>; // (t, h, w)

// What one encode or decode carries from a chunk to the next: one slot per cached operation, taken
// in the order the chunk's pass visits them (the same every chunk), as the reference does. A slot
// holds at most the last two input frames of its convolution (one for a temporal downsampling), so
// the cache is bounded by two frames per layer whatever the clip's length.
class VaeCache {
public:
    static constexpr int64_t kFrames = 2; // the reference's CACHE_T: a kernel of 3 needs 2 before

    // Called before each chunk's pass: the slots are visited again from the first.
    void beginChunk() { m_next = 0; }
    // The number of slots one pass visited (the same for every chunk of a clip).
    size_t visited() const { return m_next; }

    // A causal convolution's slot: returns the frames to put before x (undefined on the first
    // chunk: zero padding) and keeps x's last two frames (the previous last one and x's when x has
    // a single frame).
    at::Tensor exchange(const at::Tensor& x);

    // The up3d slot ('Rep' in the reference): false on the first chunk (which is not doubled in
    // time; the slot is marked). Then `context` is the cache to prepend (undefined right after the
    // first chunk: zero padding, the first frame is not used as context) and x's last frames are kept.
    bool upsampleTime(const at::Tensor& x, at::Tensor& context);

    // The down3d slot: false on the first chunk (whose frames are kept, and which is not
    // downsampled in time). Then `previous` is the last kept frame and x's last frame is kept.
    bool downsampleTime(const at::Tensor& x, at::Tensor& previous);

    // Bytes and the largest number of frames held by any slot, for memory checks.
    int64_t bytes() const;
    int64_t maxFrames() const;

private:
    enum class State { Empty, Rep, Frames };
    struct Slot {
        State state = State::Empty;
        at::Tensor frames;
    };
    Slot& take();

    std::vector<Slot> m_slots;
    size_t m_next = 0;
};

// F.normalize over channels (x / max(|x|, 1e-12)) * sqrt(C) * gamma, the norm in fp32 for 16-bit x.
// gamma is [C, 1, 1, 1] in the 3-D blocks (spatialDims 3), [C, 1, 1] in the attention (2).
struct RmsNormImpl : torch::nn::Module {
    RmsNormImpl(int64_t channels, int64_t spatialDims, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x);
    double scale;
    at::Tensor gamma;
};
TORCH_MODULE(RmsNorm);

// Conv3d with causal temporal padding: 2·p_t zero frames (or the cache's frames) in front, none
// behind; spatial padding symmetric.
struct CausalConv3dImpl : torch::nn::Module {
    CausalConv3dImpl(int64_t in, int64_t out, Triple kernel, Triple padding, const at::TensorOptions& options,
        Triple stride = { 1, 1, 1 });
    at::Tensor forward(const at::Tensor& x, const at::Tensor& cache = {});
    // With a cache slot: prepends what it holds, keeps this chunk's last frames.
    at::Tensor forward(const at::Tensor& x, VaeCache& cache) { return forward(x, cache.exchange(x)); }
    Triple padding, stride;
    at::Tensor weight, bias;
};
TORCH_MODULE(CausalConv3d);

// A plain Conv2d (weight, bias) applied to [N, C, H, W].
struct Conv2dImpl : torch::nn::Module {
    Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
        const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x);
    int64_t stride, padding;
    at::Tensor weight, bias;
};
TORCH_MODULE(Conv2d);

// One step of an encoder or decoder's block list.
struct VaeBlock : torch::nn::Module {
    virtual at::Tensor forward(const at::Tensor& x, VaeCache& cache) = 0;
};

// shortcut(x) + conv(SiLU(RMS(conv(SiLU(RMS(x)))))), the convolutions 3x3x3 causal; the shortcut a
// 1x1x1 convolution when the width changes. Names: residual.0, .2, .3, .6 and shortcut.
struct ResidualBlockImpl : VaeBlock {
    ResidualBlockImpl(int64_t in, int64_t out, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, VaeCache& cache) override;
    RmsNorm norm1 { nullptr }, norm2 { nullptr };
    CausalConv3d conv1 { nullptr }, conv2 { nullptr }, shortcut { nullptr };
};
TORCH_MODULE(ResidualBlock);

// Single-head self-attention over each frame's pixels (width C), between 1x1 convolutions.
struct AttentionBlockImpl : VaeBlock {
    AttentionBlockImpl(int64_t channels, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, VaeCache& cache) override;
    RmsNorm norm { nullptr };
    Conv2d toQkv { nullptr }, proj { nullptr };
};
TORCH_MODULE(AttentionBlock);

// Spatial resampling per frame, with a causal temporal step for the 3-D modes:
// up2d: nearest x2 then Conv2d 3x3 (C -> C/2); up3d: first time_conv (C -> 2C, the two halves
// interleaved in time, doubling the frames), then up2d; down2d: ZeroPad2d(0, 1, 0, 1) then Conv2d
// 3x3 stride 2; down3d: down2d, then time_conv (kernel 3, stride 2) over the previous frame and x.
enum class ResampleMode { Up2d, Up3d, Down2d, Down3d };
struct ResampleImpl : VaeBlock {
    ResampleImpl(int64_t channels, ResampleMode mode, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, VaeCache& cache) override;
    ResampleMode mode;
    Conv2d conv { nullptr };
    CausalConv3d timeConv { nullptr };
};
TORCH_MODULE(Resample);

} // namespace kinora::inference::wan
