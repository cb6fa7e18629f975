#include "kinora/core/engine_bench.h"

#include "kinora/inference/bench.h"

namespace kinora::core {

std::string runEngineBench(
    const EngineBenchOptions& options, const std::function<void(const std::string&)>& progress)
{
    inference::BenchOptions engine;
    engine.config = options.config;
    engine.modelDir = options.modelDir;
    engine.device = options.device;
    engine.steps = options.steps;
    engine.warmup = options.warmup;
    engine.width = options.width;
    engine.height = options.height;
    engine.frames = options.frames;
    engine.bf16 = options.bf16;
    const auto report = inference::runBench(engine, progress);
    return options.json ? inference::formatBenchJson(report) : inference::formatBench(report);
}

} // namespace kinora::core
