#pragma once
// The one sampling loop behind every task. The task is the conditioning: a known video and a mask of
// which pixels are known. Nothing known = text-to-video; known pixels outside a region = inpainting;
// known frames every K = interpolation; known first frames = extension and image-to-video.
// Classifier-free guidance with a negative prompt, seeded noise, a per-step callback with a cheap
// preview, and cancellation between steps.

#include "kinora/inference/native_model.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace kinora::inference {

struct DiffusionRequest {
    std::string prompt;
    std::string negativePrompt;
    int width = 0; // 0: the pack's default
    int height = 0;
    int frames = 0;
    int steps = 0; // 0: the pack's default
    double guidance = -1; // < 0: the pack's default; 1 = no guidance
    std::string sampler; // empty: the pack's default
    uint64_t seed = 0;
    // Conditioning in pixels: RGB in [0, 1] as [3, T, H, W] and a mask [T, H, W] with 1 where the
    // pixel is known. Undefined = nothing known.
    at::Tensor knownVideo;
    at::Tensor knownMask;
    int fullDecodeEvery = 0; // > 0: decode the predicted clip with the VAE every N steps
};

struct StepUpdate {
    int step = 0; // 1-based: steps done so far
    int total = 0;
    at::Tensor preview; // [3, T, h, w] in [0, 1] at latent resolution, via the preview matrix
    at::Tensor fullDecode; // [3, T, H, W] in [0, 1] on full-decode steps, else undefined
};

struct PipelineCallbacks {
    std::function<void(const StepUpdate&)> onStep;
    std::function<bool()> isCancelled;
};

class PipelineCancelled : public std::runtime_error {
public:
    PipelineCancelled()
        : std::runtime_error("cancelled")
    {
    }
};

struct DiffusionResult {
    at::Tensor video; // [3, T, H, W] float in [0, 1] on the CPU
    DiffusionRequest resolved; // the request with every default filled in
};

DiffusionResult runDiffusion(
    NativeModel& model, const DiffusionRequest& request, const PipelineCallbacks& callbacks = {});

// The preview matrix applied to latents [C, T, h, w] -> RGB [3, T, h, w] in [0, 1].
at::Tensor latentPreview(const ModelManifest& manifest, const at::Tensor& latent);

} // namespace kinora::inference
