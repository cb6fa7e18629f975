#pragma once
// The four jobs an artist asks for, on footage of any size and length, built on the one sampling
// loop (pipeline.h) for any model family (video_model.h). Footage is scaled to the model's working
// size, made in overlapping windows when it is longer than the model's window (each window
// conditioned on the previous window's latents), scaled back and composited: pixels the user did
// not ask to change are returned exactly. A family with temporal compression c > 1 makes 1 + c·n
// frames in one window (resolveTask refuses longer jobs): a job of another length is made at the
// next such count, its last frames unknown, and they are dropped.
//
// Videos are float RGB [3, T, H, W] in [0, 1] on the CPU; masks [T, H, W] with 1 where the user wants
// new content (inpainting).

#include "kinora/inference/pipeline.h"
#include "kinora/inference/task_plan.h"
#include "kinora/inference/task_request.h"

#include <ATen/core/Tensor.h>

#include <functional>

namespace kinora::inference {

// What a task works on besides its request.
struct TaskInput {
    at::Tensor clip; // extend, inpaint, interpolate: RGB [3, T, H, W], any size
    double fps = 0; // the clip's rate (0: none, as for an image sequence)
    at::Tensor mask; // inpaint: [T, H, W] or [H, W] for every frame, >= 0.5 = regenerate
    at::Tensor firstFrame; // generate: an optional first frame [3, H, W], any size
};

// The footage's shape as resolveTask reads it (the first frame for generate).
FootageShape footageOf(const TaskInput& input);

// Progress across all windows: StepUpdate.step / total count every step of every window, and
// `window` / `windows` say which window the preview belongs to.
struct TaskProgress {
    StepUpdate update;
    int window = 0; // 0-based
    int windows = 1;
    int firstFrame = 0; // the window's first frame in the output clip
};

struct TaskCallbacks {
    std::function<void(const TaskProgress&)> onStep;
    std::function<bool()> isCancelled; // checked between steps and between decode chunks
};

struct TaskResult {
    at::Tensor video; // [3, T, H, W] float in [0, 1] on the CPU, at the footage's size
    TaskRequest resolved; // the request as resolveTask filled it in
    int windows = 1;
};

// Runs `request` (resolved here with resolveTask; an already resolved request passes unchanged):
// - generate: text-to-video, or image-to-video from `firstFrame` (output frame 0 is it, scaled to
//   the output size); `frames` long at the working size.
// - extend: continues `clip` by `frames`; the output's first T frames are the input's, exactly.
// - inpaint: regenerates where `mask` is >= 0.5; every other pixel equals the input exactly.
// - interpolate: temporal super-resolution by the factor K: K·(T−1)+1 frames, output frame K·i is
//   input frame i exactly (re-timing to a rate that is not a multiple is the caller's).
// Throws std::invalid_argument for a request or input that does not fit, PipelineCancelled and
// OutOfMemory (job_errors.h).
TaskResult runTask(VideoModel& model, const TaskRequest& request, const TaskInput& input = {},
    const TaskCallbacks& callbacks = {});

// The loop's request for one window of a resolved task: its prompts, size, steps, guidance, sampler,
// seed and `frames`.
DiffusionRequest windowRequest(const TaskRequest& resolved, int frames);

} // namespace kinora::inference
