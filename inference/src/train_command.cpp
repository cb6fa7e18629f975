#include "kinora/inference/train_command.h"

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/trainer.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace kinora::inference {

TrainPackResult trainModelPack(const TrainPackOptions& o,
    const std::function<void(const TrainPackProgress&)>& onProgress, const std::function<bool()>& isCancelled)
{
    namespace fs = std::filesystem;
    const fs::path out(o.output);
    const bool hasPack = fs::exists(out / kManifestFileName);
    const bool resumable = hasPack && fs::exists(out / kTrainingStateFileName);
    TrainPackResult result;
    if (o.steps == 0) {
        if (hasPack && !o.overwrite)
            throw std::runtime_error(o.output + " already holds a model pack (use -y to replace it)");
        auto model = createNativeModel(o.config, o.seed);
        saveNativePack(model, out);
        result.parameters = model.parameterCounts().at("total");
        return result;
    }
    if (hasPack && !resumable) {
        if (!o.overwrite)
            throw std::runtime_error(o.output
                + " holds a finished model pack; use -y to train a new one over it, or another folder");
        fs::remove(out / kManifestFileName);
    }
    TrainerOptions options;
    options.config = o.config;
    // A fifth of the steps for the VAE unless said otherwise: it converges much faster.
    options.vaeSteps = o.vaeSteps >= 0 ? std::min(o.vaeSteps, o.steps) : o.steps / 5;
    options.diffusionSteps = o.steps - options.vaeSteps;
    options.batch = o.batch;
    options.learningRate = o.learningRate;
    options.seed = o.seed;
    options.device = resolveDevice(parseDevicePreference(o.device));
    options.output = out;
    options.checkpointEvery = o.checkpointEvery;
    result.resumed = resumable;
    const auto trained = trainNativeModel(
        options,
        [&onProgress](const TrainProgress& p) {
            if (onProgress)
                onProgress({ p.phase, p.step, p.total, p.loss, p.seconds });
        },
        isCancelled);
    result.stepsRun = trained.stepsRun;
    result.parameters = trained.model.parameterCounts().at("total");
    result.interrupted = isCancelled && isCancelled();
    return result;
}

} // namespace kinora::inference
