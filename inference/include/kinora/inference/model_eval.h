#pragma once
// Text-to-video evaluation of a model pack: clips generated from captions of seen and of held-out
// colour/shape/direction combinations (procedural.h), read by the scorer (evaluation.h) for colour,
// shape and direction accuracy and background flicker. `kinora-engine eval` prints it; core's
// evaluateModelPack adds inpainting and interpolation. The options and the report are the
// torch-free job_options.h's and eval_report.h's, shared with kinora-cli.

#include "kinora/inference/eval_report.h"
#include "kinora/inference/evaluation.h"
#include "kinora/inference/job_options.h"
#include "kinora/inference/video_model.h"

#include <functional>
#include <string>

namespace kinora::inference {

// One generated clip and what the scorer read in it, for whoever shows them (a contact sheet).
struct EvaluatedClip {
    const SceneSpec& scene;
    bool heldOut;
    const at::Tensor& video; // [3, T, H, W] in [0, 1]
    const ClipScore& score;
};

// Fills the report's text-to-video part and its size and steps (options.modelDir, device and
// precision are the caller's: `model` is already loaded). `onClip(done, total)` after each clip;
// `isCancelled` polled between clips and denoising steps (PipelineCancelled); `onClipMade` after each
// clip is scored. Throws std::invalid_argument when options.clips < 1.
ModelEvalReport evaluateTextToVideo(VideoModel& model, const ModelEvalOptions& options,
    const std::function<void(int, int)>& onClip = {}, const std::function<bool()>& isCancelled = {},
    const std::function<void(const EvaluatedClip&)>& onClipMade = {});

// PSNR (dB, RGB in [0, 1]) of the VAE's round trip (VideoModel::encode, then decode) over `clips`
// training-style procedural clips at the pack's size and frames: the ceiling of every task's
// quality.
double vaeRoundTripPsnr(VideoModel& model, int clips, uint64_t seed);

} // namespace kinora::inference
