#pragma once
// The one sampling loop behind every task. The task is the conditioning: a known video and a mask of
// which pixels are known. Nothing known = text-to-video; known pixels outside a region = inpainting;
// known frames every K = interpolation; known first frames = extension and image-to-video.
// Classifier-free guidance with a negative prompt, seeded noise, a per-step callback with a cheap
// preview, and cancellation between steps. Written against VideoModel (video_model.h): any family
// runs through it.

#include "kinora/inference/job_errors.h"
#include "kinora/inference/sampler.h"
#include "kinora/inference/schedule.h"
#include "kinora/inference/video_model.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace kinora::inference {

// One run of the loop over one window, every field given: tasks (tasks.h) build it from a resolved
// TaskRequest (windowRequest), which is where the pack's defaults are filled in.
struct DiffusionRequest {
    std::string prompt;
    std::string negativePrompt;
    int width = 0;
    int height = 0;
    int frames = 0; // a count the model's geometry accepts
    int steps = 0;
    double guidance = 1; // 1 = no guidance
    std::string sampler;
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
    at::Tensor preview; // [3, T, h, w] in [0, 1] at latent resolution (VideoModel::preview)
    at::Tensor fullDecode; // [3, T, H, W] in [0, 1] on full-decode steps, else undefined
};

struct PipelineCallbacks {
    std::function<void(const StepUpdate&)> onStep;
    std::function<bool()> isCancelled;
};

// isCancelled() stops the run with PipelineCancelled (job_errors.h), between steps and between
// decode chunks.

struct DiffusionResult {
    at::Tensor video; // [3, T, H, W] float in [0, 1] on the CPU
};

DiffusionResult runDiffusion(
    VideoModel& model, const DiffusionRequest& request, const PipelineCallbacks& callbacks = {});

// The loop's pieces, for callers that chain windows in latent space (tasks.h).

// The noise schedule, the sampler's options (for a flow schedule its shift and grid,
// schedule.flow_grid; for any other the defaults) and the parameterization a pack's manifest names.
NoiseSchedule scheduleOf(const ModelManifest& manifest);
SamplerOptions samplerOptionsOf(const ModelManifest& manifest);
Prediction predictionOf(const ModelManifest& manifest);

// Checks that `request` is complete and fits the model (sizes, a frame count its geometry accepts,
// steps, conditioning shapes); throws std::invalid_argument. It fills nothing in: defaults are
// resolveTask's (task_plan.h).
void checkRequest(const VideoModel& model, const DiffusionRequest& request);

// Encodes known pixels ([3, T, H, W] in [0, 1], mask [T, H, W]) with the model's VAE; a latent cell
// is known when every pixel it covers is, over time too (with temporal compression c, latent frame
// 0 covers pixel frame 0 and latent frame j the c frames up to c·j). Unknown cells are zero.
// Undefined inputs, or nothing known, give an all-unknown conditioning of `frames` x `height` x
// `width` without running the VAE.
LatentConditioning encodeKnown(
    VideoModel& model, const at::Tensor& video, const at::Tensor& mask, int frames, int height, int width);

// Runs the sampling loop of a resolved request from its seed and returns the clean latents
// [1, C, t, h, w] (float32, model device), known cells equal to the conditioning. `text` is
// model.encodeText(prompt, negative prompt), made once per request. Step updates are numbered from
// `stepOffset` out of `stepTotal` (0: the request's steps), for multi-window jobs.
at::Tensor sampleLatents(VideoModel& model, const DiffusionRequest& resolved, const LatentConditioning& known,
    const TextConditioning& text, const PipelineCallbacks& callbacks, int stepOffset = 0, int stepTotal = 0);

// Decodes latents [1, C, t, h, w] (in the denoiser's scale) to RGB [3, T, H, W] in [0, 1] on the CPU
// (VideoModel::decode from frame 0): `chunkFrames` frames at a time (0: the family's choice), equal
// to a decode of the whole clip. Checks `isCancelled` between chunks.
at::Tensor decodeLatents(VideoModel& model, const at::Tensor& latents, int chunkFrames = 0,
    const std::function<bool()>& isCancelled = {});

// Runs `run`, turning the allocator's out-of-memory errors (CPU and CUDA) into OutOfMemory
// (job_errors.h) naming `job` (see jobDescription) and what to lower, in the job's terms: each front
// end adds its own hint. The caller's state is untouched: nothing is written.
void translateOutOfMemory(const std::string& job, const std::function<void()>& run);
std::string jobDescription(int frames, int width, int height);

// The preview matrix applied to latents [C, T, h, w] -> RGB [3, T, h, w] in [0, 1].
at::Tensor latentPreview(const ModelManifest& manifest, const at::Tensor& latent);

} // namespace kinora::inference
