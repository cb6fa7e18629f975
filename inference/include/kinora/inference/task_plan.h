#pragma once
// Resolving a task request (task_request.h) against a pack, once: every default filled from the
// manifest and the footage, every value checked, in the job's terms. Free of torch headers, so that
// a job refuses a bad request before its weights load and the window can check what a user types.

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/task_request.h"

#include <string>
#include <utility>
#include <vector>

namespace kinora::inference {

// How a family's latents cover the pixels, read from the manifest alone, so that a request is
// resolved and checked before any weights load (the loop reads the same through
// VideoModel::geometry()).
struct LatentGeometry {
    int channels = 4;
    int spatialCompression = 8;
    // 1: a latent frame per pixel frame, any frame count (kinora-native). c > 1: a causal VAE (Wan:
    // 4) that encodes the first frame alone and then c frames per latent frame, so it makes
    // 1 + c·n frames only.
    int temporalCompression = 1;
    int sizeMultiple = 8; // every working width and height is a multiple of this

    // Latent frames of a clip of `frames` accepted pixel frames: frames, or (frames − 1) / c + 1.
    int latentFrames(int frames) const;
    // Pixel frames of `latentFrames` latent frames: the inverse.
    int pixelFrames(int latentFrames) const;
    bool acceptsFrames(int frames) const;
    // The smallest accepted frame count at or above `frames` (at least 1).
    int fitFrames(int frames) const;
    // The rule in words, for messages: "1 + 4·n frames (1, 5, 9, …)".
    std::string framesRule() const;
};

// The geometry a manifest describes. Size multiple: `latent.size_multiple` when the manifest sets
// it, else the family's own: kinora-native's VAE compression times its U-Net's downsampling (from
// the config the manifest names; std::invalid_argument for a config this build does not know),
// any other family its spatial compression.
LatentGeometry latentGeometry(const ModelManifest& manifest);

// latentGeometry(manifest).sizeMultiple.
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
// A family with temporal compression c > 1 (LatentGeometry) makes a clip in one window: the window
// must be 1 + c·n frames, and a job longer than it (when the footage says how long) is refused with
// a message naming the limit. Its frame count itself is any: the tasks make the smallest 1 + c·n
// frames that cover it and drop the rest (tasks.h).
TaskRequest resolveTask(const ModelManifest& manifest, TaskRequest request, const FootageShape& footage = {});

} // namespace kinora::inference
