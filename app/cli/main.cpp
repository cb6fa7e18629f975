// kinora-cli: Kinora's jobs without a window, for scripts, render machines and the benchmarks.
// The command-line contract is in ../shared/DESIGN.md and docs/architecture.md.

#include "kinora/core/engine_info.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

namespace {

constexpr int kExitUsage = 2;

struct Planned {
    const char* name;
    const char* description;
};

// Subcommands of the contract that are not built yet. They parse, then say so and exit 2 rather than
// pretend to work.
constexpr Planned kPlanned[] = {
    { "generate", "make a clip from a prompt (optionally from a first frame)" },
    { "extend", "continue a clip by N frames" },
    { "interpolate", "raise a clip's frame rate (--factor K or --fps F)" },
    { "inpaint", "regenerate the masked region of a clip" },
    { "encode", "convert a clip or image sequence to another format" },
    { "info", "describe a video file or a model pack (--json)" },
    { "train", "train a model pack" },
    { "eval", "measure a model pack's quality" },
    { "bench", "benchmark the engine and the video paths" },
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "Kinora's jobs without a window: generate, extend, interpolate, inpaint, encode.",
        "kinora-cli" };
    app.set_version_flag("--version", [] {
        const auto info = kinora::core::engineInfo();
        return "kinora-cli " + info.kinoraVersion.toStdString() + " (LibTorch "
            + info.libtorchVersion.toStdString() + ", FFmpeg " + info.ffmpegVersion.toStdString()
            + ", device " + info.device.toStdString() + ")";
    });
    app.footer("Exit status: 0 success, 1 runtime error, 2 usage error, 130 interrupted.");

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
    std::cerr << "kinora-cli " << chosen << ": not built yet in this version of Kinora\n";
    return kExitUsage;
}
