#include "kinora/core/model_training.h"

#include "kinora/inference/train_command.h"

namespace kinora::core {

TrainPackResult trainModelPack(const TrainPackOptions& o,
    const std::function<void(const TrainPackProgress&)>& onProgress, const std::function<bool()>& isCancelled)
{
    inference::TrainPackOptions options;
    options.config = o.config;
    options.steps = o.steps;
    options.vaeSteps = o.vaeSteps;
    options.batch = o.batch;
    options.learningRate = o.learningRate;
    options.seed = o.seed;
    options.device = o.device;
    options.precision = o.precision;
    options.output = o.output;
    options.checkpointEvery = o.checkpointEvery;
    options.overwrite = o.overwrite;
    const auto r = inference::trainModelPack(
        options,
        [&onProgress](const inference::TrainPackProgress& p) {
            if (onProgress)
                onProgress(
                    { p.phase, p.step, p.total, p.loss, p.seconds, inference::describeTrainProgress(p) });
        },
        isCancelled);
    return { r.stepsRun, r.resumed, r.interrupted, r.parameters };
}

} // namespace kinora::core
