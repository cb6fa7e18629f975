#pragma once
// Resolving a task request (task_request.h) against a pack, once: every default filled from the
// manifest and the footage, every value checked, in the job's terms. Free of torch headers, so that
// a job refuses a bad request before its weights load and the window can check what a user types.

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/task_request.h"

#include <utility>
#include <vector>

namespace kinora::inference {

// The multiple every working width and height must be: the VAE's spatial compression times the
// denoiser's downsampling, both from the native config the manifest names. Throws
// std::invalid_argument for a config this build does not know.
int sizeMultiple(const ModelManifest& manifest);

// The working size for footage of `width` x `height`: the same aspect ratio, about the pack's
// default pixel count (never more pixels than the footage has), each side a multiple of
// sizeMultiple and at least one multiple.
std::pair<int, int> workingSize(const ModelManifest& manifest, int width, int height);

// Frames each window shares with the previous one when the request names none: a quarter.
int defaultOverlap(int windowFrames);

// The first frame of each window of `window` frames covering `total`, each window sharing at least
// `overlap` frames with the previous one; the last ends exactly at the clip's end. One window of
// min(window, total) frames when the clip fits.
std::vector<int> windowStarts(int total, int window, int overlap);

// The frames a resolved request outputs before any re-timing: generate its length, extend the
// footage's plus the new ones, inpaint the footage's, interpolate K·(T−1)+1.
int outputFrames(const TaskRequest& resolved, const FootageShape& footage);

// `request` with every default filled in: size (the pack's, or the footage's aspect ratio), frames,
// fps (generate: the pack's; other tasks: the footage's, times the factor for interpolate), factor
// (interpolate by a target rate: the smallest K that reaches it), steps, guidance, sampler, window
// and overlap. Resolving a resolved request returns it unchanged. Throws std::invalid_argument with
// one clear message in the job's terms (never a command-line flag's).
TaskRequest resolveTask(const ModelManifest& manifest, TaskRequest request, const FootageShape& footage = {});

} // namespace kinora::inference
