#pragma once
// The options of the engine's long jobs — training a pack, benchmarking the engine, evaluating a
// pack — in plain std types, defined once: kinora-engine passes them to the engine, kinora-cli to
// core's doors (model_training.h, engine_bench.h, model_eval.h re-export them), and both fill them
// from the same flags (job_flags.h). Free of torch headers.

#include <cstdint>
#include <string>

namespace kinora::inference {

// Train: an untrained pack (steps 0), a new training run, or the resumption of one, decided from
// what the output folder holds.
struct TrainPackOptions {
    std::string config = "tiny"; // tiny or default
    int steps = 0; // VAE + denoiser steps; 0 writes an untrained pack
    int vaeSteps = -1; // < 0: a fifth of the steps (none for a config without a learned VAE)
    int batch = 4;
    double learningRate = 5e-4;
    double minSnrGamma = 0; // > 0: min-SNR-γ loss weighting (trainer.h)
    double minutes = 0; // > 0: stop with a checkpoint after this many minutes of this run
    unsigned long long seed = 0;
    std::string device = "auto"; // auto, cpu or cuda
    std::string precision = "auto"; // auto (bf16 autocast on CUDA, fp32 on CPU), fp32 or bf16
    std::string output; // the pack's folder
    int checkpointEvery = 500;
    bool overwrite = false; // replace a finished pack
};

struct TrainPackProgress {
    std::string phase; // "vae" or "diffusion"
    int step = 0;
    int total = 0;
    double loss = 0;
    double learningRate = 0;
    double seconds = 0;
    double remainingSeconds = 0;
};

// The progress line both command lines print: "diffusion step 120/2000 loss 0.412 lr 4.9e-04
// 96 s, about 25 min left".
std::string describeTrainProgress(const TrainPackProgress& progress);

struct TrainPackResult {
    int stepsRun = 0;
    bool resumed = false;
    bool interrupted = false; // stopped by isCancelled; a checkpoint was written
    long long parameters = 0;
};

// Bench: the denoiser's forward time per step, the loop's overhead over it, peak memory and cancel
// latency (bench.h).
struct BenchOptions {
    std::string config = "default"; // used when modelDir is empty: a freshly initialised model
    std::string modelDir; // a model pack; its weights change nothing in the timings
    std::string device = "auto"; // auto, cpu or cuda
    int steps = 10; // sampling steps of the timed run (at least 2: the loop is timed between steps)
    int warmup = 2; // untimed denoiser forwards before timing (plus one short untimed sampling run)
    int width = 0; // 0: the pack's default
    int height = 0;
    int frames = 0;
    bool bf16 = true; // on CUDA, also run in bf16 and compare with fp32
    bool json = false; // for whoever prints the report: JSON instead of the table
};

// Eval: text-to-video clips from captions of seen and of held-out colour/shape/direction
// combinations, read back by the scorer. kinora-cli adds inpainting and interpolation beside
// classical baselines (core's ModelEvalRequest).
struct ModelEvalOptions {
    std::string modelDir; // empty: $KINORA_MODEL (kinora-cli: then the installed pack)
    std::string device = "auto"; // auto, cpu or cuda
    std::string precision = "auto"; // auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16
    int clips = 20; // text-to-video clips per group (seen, held-out)
    int steps = 0; // 0: the pack's
    double guidance = -1; // < 0: the pack's
    uint64_t seed = 0; // of the captions and scenes drawn and of the noise
    bool json = false; // for whoever prints the report: JSON instead of the table
};

} // namespace kinora::inference
