#include "kinora/inference/train_command.h"

#include "kinora/inference/job_errors.h"
#include "kinora/inference/model_manifest.h"
#include "kinora/inference/native_config.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/trainer.h"

#include <algorithm>
#include <cstdio>
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
            throw OutputExistsError(
                o.output + " already holds a model pack; choose another folder or allow replacing it");
        auto model = createNativeModel(o.config, o.seed);
        saveNativePack(model, out);
        result.parameters = model.parameterCounts().at("total");
        return result;
    }
    if (hasPack && !resumable) {
        if (!o.overwrite)
            throw OutputExistsError(o.output
                + " holds a finished model pack; choose another folder or allow training a new one over it");
        fs::remove(out / kManifestFileName);
    }
    TrainerOptions options;
    options.config = o.config;
    // A fifth of the steps for the VAE unless said otherwise: it converges much faster. A config
    // whose latent is the pixels rearranged has no VAE to train.
    const bool learnedVae = nativeConfig(o.config).learnedVae();
    if (!learnedVae && o.vaeSteps > 0)
        throw std::invalid_argument("config " + o.config
            + " has no VAE to train (its latent is the pixels "
              "rearranged): leave out --vae-steps");
    options.vaeSteps = !learnedVae ? 0 : o.vaeSteps >= 0 ? std::min(o.vaeSteps, o.steps) : o.steps / 5;
    options.minSnrGamma = o.minSnrGamma;
    options.maxSeconds = 60.0 * o.minutes;
    options.diffusionSteps = o.steps - options.vaeSteps;
    options.batch = o.batch;
    options.learningRate = o.learningRate;
    options.seed = o.seed;
    options.device = resolveDevice(parseDevicePreference(o.device));
    if (o.precision != "auto" && o.precision != "fp32" && o.precision != "bf16")
        throw std::invalid_argument(
            "training precision must be auto, fp32 or bf16, not '" + o.precision + "'");
    options.precision = o.precision == "auto" ? (options.device == "cuda" ? "bf16" : "fp32") : o.precision;
    options.output = out;
    options.checkpointEvery = o.checkpointEvery;
    result.resumed = resumable;
    const auto trained = trainNativeModel(
        options,
        [&onProgress](const TrainProgress& p) {
            if (onProgress)
                onProgress(
                    { p.phase, p.step, p.total, p.loss, p.learningRate, p.seconds, p.remainingSeconds });
        },
        isCancelled);
    result.stepsRun = trained.stepsRun;
    result.parameters = trained.model.parameterCounts().at("total");
    result.interrupted = isCancelled && isCancelled();
    return result;
}

std::string describeTrainProgress(const TrainPackProgress& p)
{
    const auto duration = [](double seconds) {
        const auto s = static_cast<long long>(seconds + 0.5);
        if (s < 120)
            return std::to_string(s) + " s";
        if (s < 2 * 3600)
            return std::to_string((s + 30) / 60) + " min";
        return std::to_string(s / 3600) + " h " + std::to_string((s % 3600 + 30) / 60) + " min";
    };
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, " loss %.4f lr %.1e ", p.loss, p.learningRate);
    std::string line = p.phase + " step " + std::to_string(p.step) + "/" + std::to_string(p.total) + numbers
        + duration(p.seconds);
    if (p.step < p.total)
        line += ", about " + duration(p.remainingSeconds) + " left";
    return line;
}

} // namespace kinora::inference
