#pragma once
// `kinora-cli train`: the engine's trainer (inference/trainer.h) behind a header free of torch, like
// engine_bench.h. The same code runs as `kinora-engine train` on machines without the app.

#include <functional>
#include <string>

namespace kinora::core {

struct TrainPackOptions {
    std::string config = "tiny"; // tiny or default
    int steps = 0; // VAE + denoiser steps; 0 writes an untrained pack
    int vaeSteps = -1; // < 0: a fifth of the steps
    int batch = 4;
    double learningRate = 5e-4;
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
    double seconds = 0;
    std::string line; // the engine's progress line: step, loss, learning rate, time, time left
};

struct TrainPackResult {
    int stepsRun = 0;
    bool resumed = false;
    bool interrupted = false; // stopped by isCancelled; a checkpoint was written
    long long parameters = 0;
};

// Throws std::runtime_error with one clear line when the folder holds a finished pack and
// overwrite is false, or when training fails.
TrainPackResult trainModelPack(const TrainPackOptions& options,
    const std::function<void(const TrainPackProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

} // namespace kinora::core
