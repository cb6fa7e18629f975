#pragma once
// Text-to-video evaluation of a model pack: clips generated from captions of seen and of held-out
// colour/shape/direction combinations (procedural.h), read by the scorer (evaluation.h) for colour,
// shape and direction accuracy and background flicker. `kinora-engine eval` prints it.

#include "kinora/inference/evaluation.h"
#include "kinora/inference/native_model.h"

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

struct ModelEvalOptions {
    int clips = 20; // per group (seen, held-out)
    int steps = 0; // 0: the pack's
    double guidance = -1; // < 0: the pack's
    uint64_t seed = 0; // of the captions drawn and of the noise
    std::function<void(const EvaluatedClip&)> onClipMade; // after each clip is scored
};

struct GroupScore {
    int clips = 0;
    double colour = 0, shape = 0, direction = 0; // accuracy in [0, 1]
    double flicker = 0; // mean, 1/255
};

struct ModelEvalReport {
    GroupScore seen, heldOut;
    double secondsPerClip = 0;
    int frames = 0, width = 0, height = 0, steps = 0;
};

// `onClip(done, total)` after each clip; `isCancelled` polled between clips.
ModelEvalReport evaluateTextToVideo(NativeModel& model, const ModelEvalOptions& options,
    const std::function<void(int, int)>& onClip = {}, const std::function<bool()>& isCancelled = {});

// PSNR (dB, RGB in [0, 1]) of the VAE's round trip (encode to the mean latent, decode) over
// `clips` training-style procedural clips at the pack's size: the ceiling of every task's quality.
double vaeRoundTripPsnr(NativeModel& model, int clips, uint64_t seed);

// The report as a small table ("group clips colour shape direction flicker").
std::string formatEvalReport(const ModelEvalReport& report);

} // namespace kinora::inference
