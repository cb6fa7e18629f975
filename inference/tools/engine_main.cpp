// kinora-engine: the engine's own command line for machines that have only a compiler and LibTorch
// (a GPU box). It runs the same library code as kinora-cli's train, bench and sample commands and
// writes outputs that need no image library.

#include "kinora/inference/native_model.h"
#include "kinora/inference/runtime.h"
#include "kinora/version.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string>

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

struct TrainOptions {
    std::string config = "tiny";
    int steps = -1;
    uint64_t seed = 0;
    std::string output;
    bool overwrite = false;
};

int runTrain(const TrainOptions& o)
{
    namespace fs = std::filesystem;
    if (o.steps != 0) {
        std::cerr
            << "kinora-engine train: training is not built yet in this version of Kinora; --steps 0 writes "
               "an untrained pack\n";
        return kExitUsage;
    }
    if (fs::exists(fs::path(o.output) / kinora::inference::kManifestFileName) && !o.overwrite) {
        std::cerr << "kinora-engine train: " << o.output
                  << " already holds a model pack (use -y to replace it)\n";
        return kExitRuntime;
    }
    auto model = kinora::inference::createNativeModel(o.config, o.seed);
    kinora::inference::saveNativePack(model, o.output);
    std::cerr << "wrote untrained " << o.config << " pack to " << o.output << " ("
              << model.parameterCounts().at("total") << " parameters)\n";
    return 0;
}

int runInfo(const std::string& dir)
{
    const auto model = kinora::inference::loadNativePack(dir);
    const auto& m = model.manifest;
    std::cout << m.name << " (" << m.family << " " << m.config << ", weights " << m.version << ")\n"
              << "latent: " << m.latentChannels << " channels, spatial /" << m.spatialCompression
              << ", temporal /" << m.temporalCompression << "\n"
              << "schedule: " << m.schedule.kind << (m.schedule.zeroTerminalSnr ? " (zero terminal SNR)" : "")
              << ", prediction " << m.prediction << "\n"
              << "defaults: " << m.defaults.width << "x" << m.defaults.height << ", " << m.defaults.frames
              << " frames at " << m.defaults.fps << " fps, " << m.defaults.steps << " steps, guidance "
              << m.defaults.guidance << ", " << m.defaults.sampler << "\n"
              << "parameters:\n";
    for (const auto& [role, count] : model.parameterCounts())
        std::cout << "  " << role << ": " << count << "\n";
    return 0;
}

struct Planned {
    const char* name;
    const char* description;
};

// Not built yet: they parse, then say so and exit 2 rather than pretend to work.
constexpr Planned kPlanned[] = {
    { "bench", "benchmark the denoiser and the sampling loop" },
    { "sample", "sample a clip from a model pack to Y4M or safetensors" },
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "Kinora's diffusion engine without the app: train, bench, sample.", "kinora-engine" };
    app.set_version_flag("--version", [] {
        const auto info = kinora::inference::runtimeInfo();
        return std::string("kinora-engine ") + kinora::kVersion + " (LibTorch " + info.libtorchVersion
            + ", device " + info.device + ")";
    });

    std::string chosen;
    TrainOptions train;
    auto* trainCmd = app.add_subcommand("train", "train a model pack (VAE, denoiser, text encoder)");
    trainCmd->add_option("--config", train.config, "architecture size")
        ->check(CLI::IsMember({ "tiny", "default" }));
    trainCmd->add_option("--steps", train.steps, "training steps (0: write an untrained pack)")->required();
    trainCmd->add_option("--seed", train.seed, "seed of the initial weights");
    trainCmd->add_option("-o,--output", train.output, "model pack folder to write")->required();
    trainCmd->add_flag("-y", train.overwrite, "replace an existing pack");
    trainCmd->callback([&chosen] { chosen = "train"; });
    std::string infoDir;
    auto* infoCmd = app.add_subcommand("info", "describe a model pack: manifest and parameter counts");
    infoCmd->add_option("DIR", infoDir, "model pack folder")->required();
    infoCmd->callback([&chosen] { chosen = "info"; });
    for (const auto& planned : kPlanned) {
        auto* sub = app.add_subcommand(planned.name, planned.description);
        sub->allow_extras();
        sub->callback([&chosen, &planned] { chosen = planned.name; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }

    if (chosen.empty()) { // no subcommand: a usage error, with the usage where errors go
        std::cerr << app.help();
        return kExitUsage;
    }
    try {
        if (chosen == "train")
            return runTrain(train);
        if (chosen == "info")
            return runInfo(infoDir);
    } catch (const std::exception& e) {
        std::cerr << "kinora-engine " << chosen << ": " << e.what() << "\n";
        return kExitRuntime;
    }
    std::cerr << "kinora-engine " << chosen << ": not built yet in this version of Kinora\n";
    return kExitUsage;
}
