#pragma once
// `kinora-cli bench`: the engine benchmark (inference/bench.h) behind a header free of torch and of
// the engine's headers, which this layer's users cannot include. The options are the engine's own
// torch-free struct (kinora/inference/job_options.h), shared with `kinora-engine bench`. Returns the
// finished report as text for stdout: the engine's table, or its JSON (options.json).

#include "kinora/inference/job_options.h"

#include <functional>
#include <string>

namespace kinora::core {

using inference::BenchOptions;

// Runs the benchmark; `progress` receives a line per phase (for stderr). Throws std::invalid_argument
// for bad options, inference::DeviceUnavailable for a device that cannot be used, and
// std::runtime_error (or what the engine throws) when a run fails.
std::string runEngineBench(
    const BenchOptions& options, const std::function<void(const std::string&)>& progress = {});

} // namespace kinora::core
