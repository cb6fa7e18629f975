#pragma once
// The Wan 2.1 VAE ("Wan2.1_VAE"; diffusers' AutoencoderKLWan): causal 3-D, 8x spatial and 4x
// temporal compression to 16 latent channels, normalised per channel by the published mean/std.
// Clips are encoded in chunks of 1, 4, 4, ... frames and decoded one latent frame at a time, each
// chunk carrying its causal context to the next through a VaeCache, exactly as the reference does:
// memory is bounded by one chunk's activations whatever the clip's length, and there is no seam
// between chunks. Parameters are registered under the original Wan names (Appendix B of
// shared/research/wan21.md); vaeOriginalName maps the Diffusers names onto them.

#include "kinora/inference/wan/wan_vae_blocks.h"
#include "kinora/inference/wan/wan_weights.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kinora::inference::wan {

struct VaeConfig {
    int64_t baseDim = 96, zDim = 16, numResBlocks = 2;
    std::vector<int64_t> dimMult { 1, 2, 4, 4 };
    std::vector<bool> temporalDownsample { false, true, true }; // the decoder upsamples in reverse
    std::vector<double> latentMean, latentStd; // the 16 published constants (set by the default)

    VaeConfig();
    // From the tensors' shapes, in either naming (the encoder's blocks give the widths, the number
    // of residual blocks and which downsamplings are temporal); mean/std are the published ones.
    // Anything that cannot be read keeps its default; loading then reports what does not fit.
    static VaeConfig fromWeights(const WanWeights& weights);

    int64_t spatialFactor() const; // 8
    int64_t temporalFactor() const; // 4
};

// encoder.conv1 -> downsamples (residual blocks and resamples, flat) -> middle (residual,
// attention, residual) -> head (RMS, SiLU, conv to 2·z). One chunk per call.
struct VaeEncoderImpl : torch::nn::Module {
    VaeEncoderImpl(const VaeConfig& config, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, VaeCache& cache);
    CausalConv3d conv1 { nullptr }, headConv { nullptr };
    RmsNorm headNorm { nullptr };
    std::vector<std::shared_ptr<VaeBlock>> downsamples, middle;
};
TORCH_MODULE(VaeEncoder);

// decoder.conv1 -> middle -> upsamples (per stage numResBlocks + 1 residual blocks, then up3d,
// up3d, up2d; every stage after the first starts at half the width) -> head (RMS, SiLU, conv to 3).
struct VaeDecoderImpl : torch::nn::Module {
    VaeDecoderImpl(const VaeConfig& config, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x, VaeCache& cache);
    CausalConv3d conv1 { nullptr }, headConv { nullptr };
    RmsNorm headNorm { nullptr };
    std::vector<std::shared_ptr<VaeBlock>> middle, upsamples;
};
TORCH_MODULE(VaeDecoder);

class WanVaeImpl : public torch::nn::Module {
public:
    // Parameters are made with `options` (device, dtype) directly: zero, gamma one, until loaded.
    explicit WanVaeImpl(const VaeConfig& config, const at::TensorOptions& options = {});

    // Normalised latents z [B, zDim, T, h, w] -> video [B, 3, 4(T-1)+1, 8h, 8w] in [-1, 1]. The
    // latent is un-normalised (z·std + mean, as WanPipeline does before vae.decode) and passes
    // conv2 whole; then the decoder runs one latent frame per call (the first gives 1 frame, each
    // later one 4), each chunk clamped and copied into the result on `outputDevice` as it comes.
    // isCancelled is polled before every chunk (PipelineCancelled). Throws std::invalid_argument
    // for a shape that does not fit.
    at::Tensor decode(const at::Tensor& z, const std::function<bool()>& isCancelled = {},
        const c10::Device& outputDevice = c10::kCPU);

    // Video [B, 3, T, H, W] in [-1, 1], T = 4n+1, H and W divisible by 8 -> the normalised mean
    // latents [B, zDim, (T-1)/4+1, H/8, W/8] ((μ - mean) / std), encoded in chunks of 1, 4, 4, ...
    // frames. isCancelled is polled before every chunk.
    at::Tensor encode(const at::Tensor& x, const std::function<bool()>& isCancelled = {});

    const VaeConfig& config() const { return m_config; }

    VaeEncoder encoder { nullptr };
    VaeDecoder decoder { nullptr };
    CausalConv3d conv1 { nullptr }, conv2 { nullptr }; // quant_conv (2z -> 2z), post_quant_conv (z -> z)

private:
    at::Tensor channelConstants(const std::vector<double>& values, const at::Tensor& like) const;

    VaeConfig m_config;
};
TORCH_MODULE(WanVae);

// Diffusers name -> original Wan name ("decoder.up_blocks.1.resnets.0.conv1.weight" ->
// "decoder.upsamples.4.residual.2.weight"); an original name comes back unchanged. The decoder's
// flat indices depend on the number of residual blocks per stage (2 in every published file).
std::string vaeOriginalName(const std::string& name, int64_t numResBlocks = 2);
// Whether an original name is one of the VAE's (encoder.*, decoder.*, conv1.*, conv2.*).
bool isVaeTensor(const std::string& originalName);

// The VAE with its configuration read from the tensors' shapes, its parameters made on `device`
// in `dtype` and loaded by name from either naming (each tensor cast as it is copied). Every
// missing, mis-shaped or unexpected tensor is reported at once (ModelPackError).
WanVae loadWanVae(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype);

} // namespace kinora::inference::wan
