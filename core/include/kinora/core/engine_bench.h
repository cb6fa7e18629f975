#pragma once
// `kinora-cli bench`: the engine benchmark (inference/bench.h) behind a header free of torch and of
// the engine's headers, which this layer's users cannot include. Returns the finished report as text
// for stdout: an aligned table, or JSON.

#include <functional>
#include <string>

namespace kinora::core {

struct EngineBenchOptions {
    std::string config = "default"; // tiny or default, randomly initialised, when modelDir is empty
    std::string modelDir;
    std::string device = "auto"; // auto, cpu or cuda
    int steps = 10; // at least 2
    int warmup = 2;
    int width = 0; // 0: the pack's default
    int height = 0;
    int frames = 0;
    bool bf16 = true; // on CUDA, also run in bf16 and compare with fp32
    bool json = false;
};

// Runs the benchmark; `progress` receives a line per phase (for stderr). Throws std::invalid_argument
// for bad options and std::runtime_error (or what the engine throws) when a run fails.
std::string runEngineBench(
    const EngineBenchOptions& options, const std::function<void(const std::string&)>& progress = {});

} // namespace kinora::core
