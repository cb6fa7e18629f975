#pragma once
// The kinora-native family behind the loop's VideoModel: a NativeModel (native_model.h) for sampling.
// Its U-Net reads the known latent and its mask as input channels beside the noisy latent, guidance
// runs prompt and negative prompt as one batch of 2, the byte-level text encoder's output is padded
// to the longer prompt, and the VAE has no temporal compression (any frame count); decoding in
// chunks takes decoderTemporalRadius neighbouring frames around each, so it equals a whole decode.
// Training and anything else that needs the modules themselves use native() (trainer.h).

#include "kinora/inference/native_model.h"
#include "kinora/inference/video_model.h"

namespace kinora::inference {

class NativeVideoModel final : public VideoModel {
public:
    // Takes the model (its modules are shared with the caller's copy) and puts it in eval mode.
    explicit NativeVideoModel(NativeModel model);

    NativeModel& native() { return m_model; }
    const NativeModel& native() const { return m_model; }

    const ModelManifest& manifest() const override { return m_model.manifest; }
    c10::Device device() const override;
    std::string precision() const override { return m_model.precision; }
    std::map<std::string, int64_t> parameterCounts() const override { return m_model.parameterCounts(); }
    int64_t weightBytes() const override;

    std::unique_ptr<TextConditioning> encodeText(
        const std::string& prompt, const std::string& negativePrompt) override;
    at::Tensor predict(const at::Tensor& x, double timestep, const TextConditioning& text,
        const LatentConditioning& known, double guidance) override;
    at::Tensor encode(const at::Tensor& video) override;
    at::Tensor decode(const at::Tensor& latents, int firstFrame, int chunkFrames,
        const std::function<bool()>& isCancelled) override;

private:
    NativeModel m_model;
};

// Frames on each side a native decoder output frame depends on (its temporal receptive radius).
int decoderTemporalRadius(const NativeModel& model);

} // namespace kinora::inference
