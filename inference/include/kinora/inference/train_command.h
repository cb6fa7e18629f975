#pragma once
// The train command of kinora-engine and kinora-cli: an untrained pack (--steps 0), a new training
// run, or the resumption of one, decided from what the output folder holds. Free of torch headers.

#include <functional>
#include <string>

namespace kinora::inference {

struct TrainPackOptions {
    std::string config = "tiny"; // tiny or default
    int steps = 0; // VAE + denoiser steps; 0 writes an untrained pack
    int vaeSteps = -1; // < 0: a fifth of the steps
    int batch = 4;
    double learningRate = 5e-4;
    unsigned long long seed = 0;
    std::string device = "auto"; // auto, cpu or cuda
    std::string precision = "auto"; // auto (bf16 on CUDA, fp32 on CPU), fp32 or bf16
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

// Throws std::runtime_error with one clear line when the folder holds a finished pack and
// overwrite is false, or when training fails.
TrainPackResult trainModelPack(const TrainPackOptions& options,
    const std::function<void(const TrainPackProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

} // namespace kinora::inference
