#pragma once
// The Wan 2.1 text-to-video family behind the loop's VideoModel: the DiT (wan_dit.h), the causal
// VAE (wan_vae.h) and umT5 with its tokenizer (umt5.h, wan_tokenizer.h), loaded from a folder as
// users download it (wan_folder.h). What differs from kinora-native:
// - guidance runs the prompt and the negative prompt as two passes of batch 1, as the reference
//   does (half the activation memory of a batch of 2 at 32,760 tokens);
// - the DiT reads no known latent: inpainting, image-to-video and extension reach it only through
//   the loop's blending of the known region at every step;
// - the text encoder (5.7 B parameters) is not kept: each new prompt pair loads it memory-mapped,
//   encodes and frees it before the DiT runs again; the last few encodings are kept;
// - the VAE works in float32 whatever the DiT's precision (as diffusers' Wan examples run it) and
//   decodes one latent frame at a time through its causal cache.

#include "kinora/inference/video_model.h"

#include <filesystem>
#include <list>
#include <memory>
#include <utility>

namespace kinora::inference::wan {

class WanVideoModel final : public VideoModel {
public:
    // Loads the pack at `dir` (its manifest already read: family wan2.1) on `device` in `precision`
    // ("fp32", "bf16", "fp16"). Throws ModelPackError listing every missing, mis-shaped or
    // unexpected tensor of every component, or naming a tokenizer that cannot be read.
    static std::unique_ptr<WanVideoModel> load(const std::filesystem::path& dir, ModelManifest manifest,
        const c10::Device& device, const std::string& precision);
    ~WanVideoModel() override;

    const ModelManifest& manifest() const override;
    c10::Device device() const override;
    std::string precision() const override;
    std::map<std::string, int64_t> parameterCounts() const override;
    int64_t weightBytes() const override;

    std::unique_ptr<TextConditioning> encodeText(
        const std::string& prompt, const std::string& negativePrompt) override;
    at::Tensor predict(const at::Tensor& x, double timestep, const TextConditioning& text,
        const LatentConditioning& known, double guidance) override;
    at::Tensor encode(const at::Tensor& video) override;
    at::Tensor decode(const at::Tensor& latents, int firstFrame, int chunkFrames,
        const std::function<bool()>& isCancelled) override;

    // Where and in which dtype the text encoder runs: the model's device, bfloat16 (float32 when
    // the model runs in float32 and the encoder is small, as in tests). After an out-of-memory
    // error on the GPU it runs on the CPU instead.
    c10::Device textEncoderDevice() const;

private:
    struct State;
    explicit WanVideoModel(std::unique_ptr<State> state);
    // The umT5 encodings [1, len, dModel] of `prompt`, from the cache or encoded now.
    std::vector<at::Tensor> encodePrompts(const std::vector<std::string>& prompts);

    std::unique_ptr<State> m_state;
};

// The latent-to-RGB preview matrix fitted on a pack's own VAE: smooth random colour fields (seeded)
// are encoded, and the least-squares map from each normalised latent cell (plus a bias) to the mean
// colour of the 8x8 pixels it covers is solved. What the manifest's starting matrix (ComfyUI's fit
// on the published VAE) is for the real weights, this is for any VAE, including fine-tunes and the
// tiny test ones. Sets manifest.latentToRgb and rgbBias; returns the fit's RMS error in [0, 1] RGB.
double fitWanPreview(const std::filesystem::path& dir, ModelManifest& manifest);

} // namespace kinora::inference::wan
