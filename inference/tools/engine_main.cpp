// kinora-engine: the engine's own command line for machines that have only a compiler and LibTorch
// (a GPU box). It runs the same library code as kinora-cli's train, bench and sample commands and
// writes outputs that need no image library.

#include "kinora/inference/runtime.h"
#include "kinora/version.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

namespace {

constexpr int kExitUsage = 2;

struct Planned {
    const char* name;
    const char* description;
};

// Not built yet: they parse, then say so and exit 2 rather than pretend to work.
constexpr Planned kPlanned[] = {
    { "train", "train a model pack (VAE, denoiser, text encoder)" },
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
    std::cerr << "kinora-engine " << chosen << ": not built yet in this version of Kinora\n";
    return kExitUsage;
}
