#pragma once
// `kinora-cli train`: the engine's trainer (inference/trainer.h) behind a header free of torch, like
// engine_bench.h. The options and results are the engine's own torch-free structs
// (kinora/inference/job_options.h), so kinora-cli and `kinora-engine train` fill one definition.

#include "kinora/inference/job_options.h"

#include <functional>

namespace kinora::core {

using inference::describeTrainProgress;
using inference::TrainPackOptions;
using inference::TrainPackProgress;
using inference::TrainPackResult;

// Throws inference::OutputExistsError (kinora/inference/job_errors.h) when the folder holds a
// finished pack and options.overwrite is false, inference::DeviceUnavailable or
// inference::PrecisionUnavailable when the device or the precision cannot be used here, and
// std::runtime_error when training fails. The messages speak of the job; front ends add hints.
TrainPackResult trainModelPack(const TrainPackOptions& options,
    const std::function<void(const TrainPackProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

} // namespace kinora::core
