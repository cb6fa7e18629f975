#pragma once
// The seam between the one sampling loop (pipeline.h, tasks.h, bench.h, model_eval.h) and a model
// family: what the loop asks of a model, and nothing of how the family computes it. A family
// (kinora-native: native_video_model.h) implements VideoModel; the loop owns everything the families
// share: the sampler and its schedule (the manifest's), the seeded noise, re-imposing the known
// region at every step, which latent cells are known, previews, cancellation, windows and
// compositing. What differs between families is behind these calls:
// - geometry: channels, spatial and temporal compression and the frame counts a family makes,
//   read from the manifest (latentGeometry, task_plan.h), so requests are resolved before weights
//   load;
// - text: a prompt and a negative prompt become an opaque conditioning, once per request;
// - one guided prediction per step: the family decides one batch of 2 or two passes, and whether
//   the known latents go in as input channels (native) or only through the loop's blending (Wan);
// - the VAE: known pixels to latents, latents to pixels with the family's own chunking.
// Tensors: latents are [1, C, t, h, w], pixels RGB [3, T, H, W] in [0, 1], T = pixelFrames(t).

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/task_plan.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace kinora::inference {

// What is known, in the denoiser's latent space (the pack's scale), on the model's device in
// float32: latent [1, C, t, h, w] and mask [1, 1, t, h, w] (1 = known). Made by encodeKnown
// (pipeline.h).
struct LatentConditioning {
    at::Tensor latent;
    at::Tensor mask;
};

// A request's prompt and negative prompt as a family's text encoder made them: made once per
// request (VideoModel::encodeText) and handed back to every prediction. Each family subclasses it
// with what its denoiser reads; the loop only holds it.
class TextConditioning {
public:
    virtual ~TextConditioning() = default;
};

class VideoModel {
public:
    virtual ~VideoModel() = default;
    VideoModel(const VideoModel&) = delete;
    VideoModel& operator=(const VideoModel&) = delete;

    // The pack's manifest: schedule, prediction, defaults, preview matrix and geometry.
    virtual const ModelManifest& manifest() const = 0;
    // Where the weights are (the loop's tensors go there) and their type: "fp32", "bf16", "fp16".
    virtual c10::Device device() const = 0;
    virtual std::string precision() const = 0;
    // Parameters per component ("vae", "denoiser", "text_encoder", ...) and in total ("total"),
    // and the bytes the weights take where they are.
    virtual std::map<std::string, int64_t> parameterCounts() const = 0;
    virtual int64_t weightBytes() const = 0;

    // The manifest's latent geometry (latentGeometry): every family's is the manifest's, so that
    // resolveTask, which runs before weights load, agrees with the loop.
    LatentGeometry geometry() const { return latentGeometry(manifest()); }
    // "cpu" or "cuda".
    std::string deviceName() const;

    virtual std::unique_ptr<TextConditioning> encodeText(
        const std::string& prompt, const std::string& negativePrompt)
        = 0;

    // The model's output for the state `x` [1, C, t, h, w] (float32, device()) at the sampler's
    // `timestep` (in the schedule's units: [0, trainSteps]), in the manifest's parameterization
    // (eps, v, x0 or flow), float32, with classifier-free guidance:
    // uncond + guidance · (cond − uncond), the negative prompt's output being uncond; guidance 1 is
    // the prompt alone, one evaluation. `known` is what the request knows; a family whose denoiser
    // reads it as input channels does so, the loop re-imposes it on x at every step either way.
    virtual at::Tensor predict(const at::Tensor& x, double timestep, const TextConditioning& text,
        const LatentConditioning& known, double guidance)
        = 0;

    // Pixels RGB [3, T, H, W] in [0, 1] (any device; T accepted by the geometry, H and W multiples
    // of the spatial compression) to latents [1, C, t, h, w] in the denoiser's scale, float32 on
    // device(). Which latent cells count as known is the loop's rule (encodeKnown).
    virtual at::Tensor encode(const at::Tensor& video) = 0;

    // Latents [1, C, t, h, w] in the denoiser's scale to RGB [3, T − firstFrame, H, W] in [0, 1],
    // float32 on the CPU: the clip's frames from `firstFrame` on (a family may skip decoding the
    // others). `chunkFrames` > 0 asks for pieces of about that many frames, 0 leaves the pieces
    // to the family; pieces never change the result (it equals one decode of the whole clip).
    // `isCancelled` (may be empty) is checked between pieces and throws PipelineCancelled.
    virtual at::Tensor decode(
        const at::Tensor& latents, int firstFrame, int chunkFrames, const std::function<bool()>& isCancelled)
        = 0;

    // The cheap per-step preview of a clean-latent estimate [1, C, t, h, w]: RGB [3, T, h, w] in
    // [0, 1] on the CPU, at latent resolution with a frame per pixel frame. By default the
    // manifest's latent-to-RGB matrix on latents / latentScale, each latent frame repeated over the
    // pixel frames it covers.
    virtual at::Tensor preview(const at::Tensor& latents) const;

protected:
    VideoModel() = default;
};

// The one way a job loads a pack, of any family this build runs: resolves `device` ("auto",
// "cpu", "cuda"; runtime.h's resolveDevice) and `precision` ("auto": bf16 on CUDA, fp32 on the CPU;
// or "fp32", "bf16", "fp16"), reads the manifest and loads the family's weights there, checked,
// for sampling. device() and precision() say what was chosen. Throws std::invalid_argument for an
// unknown device or precision, DeviceUnavailable (job_errors.h) and ModelPackError.
std::unique_ptr<VideoModel> loadPack(const std::filesystem::path& dir, const std::string& device = "auto",
    const std::string& precision = "auto");

} // namespace kinora::inference
