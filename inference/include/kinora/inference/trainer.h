#pragma once
// Trains a native model pack from procedural clips (procedural.h): first the VAE (reconstruction
// with a small KL term), then the denoiser and the text encoder together with the VAE frozen
// (v-prediction on the pack's schedule). Each denoiser sample gets a random task — nothing known,
// a known box outside a hole (inpainting), known frames every K (interpolation), known first frames
// (extension, image-to-video) — so one model learns every conditioning the pipeline uses, and a
// share of empty prompts teaches the unconditional branch classifier-free guidance needs.
//
// Resumable: checkpoints (the pack plus `training-state.safetensors` with the step and the
// optimizers' moments) go to the output folder, and a run pointed at a folder holding one carries on
// from it. Randomness is drawn from the seed and the step number, so a resumed run makes the same
// batches an uninterrupted one would.

#include "kinora/inference/native_model.h"
#include "kinora/inference/procedural.h"

#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace kinora::inference {

struct TrainerOptions {
    std::string config = "tiny";
    std::string name; // the pack's name; empty: "kinora-<config>"
    int vaeSteps = 0;
    int diffusionSteps = 0;
    int batch = 4;
    // The VAE phase's clips: `vaeBatch` clips (0: `batch`) of `vaeFrames` frames (0: 4, or fewer
    // when the clips are shorter). The VAE is per-frame but for its decoder's temporal layers, so
    // short clips give it four times the optimizer steps for the same time as full-length ones.
    int vaeBatch = 0;
    int vaeFrames = 0;
    double vaeLearningRate = 1e-3;
    double learningRate = 5e-4;
    double klWeight = 1e-4;
    double textDropout = 0.1; // share of samples trained with the empty prompt
    // Each phase's learning rate rises linearly over `warmupSteps` (< 0: 5% of the phase, at most
    // 500) and then follows a cosine down to 10% of its peak; "constant" keeps the peak throughout.
    std::string schedule = "cosine";
    int warmupSteps = -1;
    // Exponential moving average of the denoiser's and text encoder's weights (0: none): the pack
    // holds the averaged weights, the training state the raw ones, so a resumed run is exact.
    double emaDecay = 0.999;
    uint64_t seed = 0;
    int width = 0, height = 0, frames = 0; // clip size; 0: the config's defaults
    // > frames: clips are rendered this long and a random window of `frames` is cut from each, so
    // the model sees objects mid-path and learns to continue motion from any known frames.
    int clipFrames = 0;
    std::vector<SceneSpec> clips; // non-empty: train on these only (tests overfit one on purpose)
    std::string device = "cpu"; // cpu | cuda
    // fp32, or bf16: the forward passes run under autocast to bfloat16 (matrix products and
    // convolutions in bf16, reductions and the loss in fp32); weights, gradients and the optimizer's
    // moments stay fp32, so checkpoints and packs are the same either way.
    std::string precision = "fp32";
    // Loss weight over noise levels: 0 = plain (every level as the prediction's MSE weighs it);
    // > 0 = min-SNR-γ, the x0-error weight clamped at γ (for v-prediction, min(1, γ / (SNR + 1))),
    // so the many nearly clean levels stop dominating the gradient.
    double minSnrGamma = 0;
    // > 0: stop (with a checkpoint) once this many seconds of this run have passed, whatever the
    // step; the learning-rate schedule still follows the full step count.
    double maxSeconds = 0;
    std::filesystem::path output; // empty: no checkpoints
    int checkpointEvery = 0; // steps between checkpoints; 0: at the end only
};

struct TrainProgress {
    std::string phase; // "vae" or "diffusion"
    int step = 0; // 1-based within all steps (VAE steps first)
    int total = 0;
    double loss = 0;
    double learningRate = 0; // this step's
    double seconds = 0; // since this run started
    double remainingSeconds = 0; // estimated from this run's pace
};

struct TrainResult {
    NativeModel model;
    int stepsRun = 0; // in this run (fewer than total when resumed)
    double lastVaeLoss = 0;
    double lastDiffusionLoss = 0;
};

TrainResult trainNativeModel(const TrainerOptions& options,
    const std::function<void(const TrainProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

// The learning rate at `step` (0-based) of a phase of `steps` steps: linear warm-up over
// `warmupSteps`, then a cosine from `peak` down to `floor` × `peak` at the phase's last step.
double scheduledLearningRate(double peak, int step, int steps, int warmupSteps, double floor = 0.1);

// What one denoiser training sample knows, at latent resolution [1, frames, h, w], 1 = known:
// nothing (text-to-video, 30%), all but a hole (inpainting, 20%: a box, a blob of ellipses or a
// moving box, over all frames or a run of them), keyframes every K frames, K from 2 to 8
// (interpolation, 25%), or the first frames (extension and image-to-video, 25%).
at::Tensor trainingTaskMask(std::mt19937_64& rng, int64_t frames, int64_t h, int64_t w);

inline constexpr const char* kTrainingStateFileName = "training-state.safetensors";

} // namespace kinora::inference
