#pragma once
// The four jobs an artist asks for, on footage of any size and length, built on the one sampling
// loop (pipeline.h). Footage is scaled to the model's working size, made in overlapping windows when
// it is longer than the model's window (each window conditioned on the previous window's latents),
// scaled back and composited: pixels the user did not ask to change are returned exactly.
//
// Videos are float RGB [3, T, H, W] in [0, 1] on the CPU; masks [T, H, W] with 1 where the user wants
// new content (inpainting).

#include "kinora/inference/pipeline.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace kinora::inference {

// The diffusion settings every task shares. Zero / negative / empty = the pack's default.
struct TaskOptions {
    std::string prompt;
    std::string negativePrompt;
    int steps = 0;
    double guidance = -1;
    std::string sampler;
    uint64_t seed = 0;
    // Working size of the model. generate: the output size. Other tasks: 0 = fit the footage's
    // aspect ratio into about the pack's default pixel count.
    int width = 0;
    int height = 0;
    int windowFrames = 0; // frames per window (0: the pack's default frames)
    int overlapFrames = 0; // frames each window shares with the previous one (0: a quarter of the window)
    int fullDecodeEvery = 0;
};

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
    at::Tensor video; // [3, T, H, W] float in [0, 1] on the CPU
    TaskOptions resolved; // with the working size, steps, guidance and sampler filled in
    int windows = 1;
};

// Text-to-video (`firstFrame` undefined) or image-to-video (`firstFrame` [3, H, W], any size: scaled
// to the output size; output frame 0 is it). Output at the working size, `frames` long.
TaskResult generateVideo(NativeModel& model, const TaskOptions& options, int frames,
    const at::Tensor& firstFrame = {}, const TaskCallbacks& callbacks = {});

// Continues `clip` by `newFrames`: the output's first T frames are the input's, exactly.
TaskResult extendVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip, int newFrames,
    const TaskCallbacks& callbacks = {});

// Regenerates the region where `mask` [T, H, W] (or [H, W] for every frame) is >= 0.5; every other
// pixel equals the input exactly.
TaskResult inpaintVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip,
    const at::Tensor& mask, const TaskCallbacks& callbacks = {});

// Temporal super-resolution by `factor` K >= 2: K·(T−1)+1 frames, output frame K·i is input frame i
// exactly.
TaskResult interpolateVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip,
    int factor, const TaskCallbacks& callbacks = {});

// The working size for footage of `width` x `height`: the same aspect ratio, about the pack's default
// pixel count, each side a multiple of the model's size factor.
std::pair<int, int> workingSize(const NativeModel& model, int width, int height);

} // namespace kinora::inference
