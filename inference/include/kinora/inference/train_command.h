#pragma once
// The train command of kinora-engine and kinora-cli (through core's model_training.h): an untrained
// pack (steps 0), a new training run, or the resumption of one, decided from what the output folder
// holds. Free of torch headers; the options are job_options.h's.

#include "kinora/inference/job_options.h"

#include <functional>

namespace kinora::inference {

// Throws OutputExistsError (job_errors.h) when the folder holds a finished pack and
// options.overwrite is false, PrecisionUnavailable or DeviceUnavailable when the precision or the
// device cannot be used here, and std::runtime_error when training fails.
TrainPackResult trainModelPack(const TrainPackOptions& options,
    const std::function<void(const TrainPackProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

} // namespace kinora::inference
