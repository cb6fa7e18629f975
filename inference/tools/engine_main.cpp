// kinora-engine: the engine's own command line for machines that have only a compiler and LibTorch
// (a GPU box). It runs the same library code as kinora-cli's train, bench, eval and generate, takes
// the same flags for them (kinora/inference/job_flags.h) and writes outputs that need no image
// library, each with the same sidecar as kinora-cli's (sidecar.h). Exit status: 0 success, 1 runtime
// error, 2 usage error, 130 interrupted.

#include "kinora/inference/bench.h"
#include "kinora/inference/job_flags.h"
#include "kinora/inference/model_eval.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/sidecar.h"
#include "kinora/inference/tasks.h"
#include "kinora/inference/train_command.h"
#include "kinora/inference/video_model.h"
#include "kinora/inference/y4m.h"
#include "kinora/version.h"

#include <c10/util/Exception.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

namespace inf = kinora::inference;

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

using kinora::inference::flags::installInterruptHandler;
using kinora::inference::flags::interrupted;

// --model, else $KINORA_MODEL; the engine knows no installed pack.
std::string modelDirOrEnvironment(const std::string& given)
{
    if (!given.empty())
        return given;
    const char* fromEnvironment = std::getenv("KINORA_MODEL");
    return fromEnvironment != nullptr ? fromEnvironment : "";
}

int runTrain(const inf::TrainPackOptions& o)
{
    const auto result = inf::trainModelPack(
        o,
        [](const inf::TrainPackProgress& p) {
            if (p.step % 10 == 0 || p.step == p.total)
                std::cerr << "\r" << inf::describeTrainProgress(p) << "   " << std::flush;
        },
        interrupted);
    if (o.steps == 0) {
        std::cerr << "wrote untrained " << o.config << " pack to " << o.output << " (" << result.parameters
                  << " parameters)\n";
        return 0;
    }
    std::cerr << "\n";
    if (result.resumed)
        std::cerr << "resumed the training in " << o.output << "\n";
    if (result.interrupted) {
        std::cerr << "interrupted: checkpoint written to " << o.output
                  << "; run the same command to resume\n";
        return kExitInterrupted;
    }
    std::cerr << "trained " << result.stepsRun << " steps; pack in " << o.output << "\n";
    std::cout << o.output << "\n";
    return 0;
}

// The flags of `sample`: the generate request itself, bound to them, and the files around it.
struct SampleOptions {
    inf::TaskRequest request;
    std::string model;
    std::string output;
    std::string device = "auto";
    std::string precision = "auto";
    bool overwrite = false;
};

int runSample(const SampleOptions& o)
{
    namespace fs = std::filesystem;
    const fs::path out(o.output);
    const auto ext = out.extension().string();
    if (ext != ".y4m" && ext != ".safetensors") {
        std::cerr << "kinora-engine sample: the output must end in .y4m or .safetensors\n";
        return kExitUsage;
    }
    if (fs::exists(out) && !o.overwrite)
        throw inf::OutputExistsError(o.output + " exists");
    const std::string modelDir = modelDirOrEnvironment(o.model);
    if (modelDir.empty()) {
        std::cerr << "kinora-engine sample: no model: pass --model DIR or set KINORA_MODEL\n";
        return kExitRuntime;
    }
    const auto loaded = inf::loadPack(modelDir, o.device, o.precision);
    auto& model = *loaded;
    const auto hashes = inf::hashPackWeights(model.manifest(), modelDir);

    const inf::TaskRequest& request = o.request; // the same generate job kinora-cli runs
    inf::TaskCallbacks callbacks;
    callbacks.onStep = [](const inf::TaskProgress& p) {
        std::cerr << "\rstep " << p.update.step << "/" << p.update.total << std::flush;
    };
    callbacks.isCancelled = interrupted;
    const auto result = inf::runTask(model, request, {}, callbacks);
    std::cerr << "\n";
    const auto& r = result.resolved;
    fs::create_directories(fs::absolute(out).parent_path());
    if (ext == ".y4m")
        inf::writeY4m(out, result.video, static_cast<int>(std::lround(r.fps * 1000)), 1000);
    else
        inf::saveSafetensors(
            out, inf::NamedTensors { { "video", result.video } }, { { "fps", std::to_string(r.fps) } });

    inf::SidecarRequest made;
    made.task = "generate";
    made.prompt = r.prompt;
    made.negativePrompt = r.negativePrompt;
    made.output = o.output;
    made.frames = r.frames;
    made.outputFrames = static_cast<int>(result.video.size(1));
    made.outputHeight = static_cast<int>(result.video.size(2));
    made.outputWidth = static_cast<int>(result.video.size(3));
    made.width = r.width;
    made.height = r.height;
    made.fps = r.fps;
    made.steps = r.steps;
    made.guidance = r.guidance;
    made.sampler = r.sampler;
    made.seed = r.seed;
    made.windows = result.windows;
    made.windowFrames = r.windowFrames;
    made.overlapFrames = r.overlapFrames;
    try {
        inf::writeSidecar(inf::sidecarPath(out),
            inf::sidecarJson(inf::sidecarRequestJson(made),
                inf::sidecarModelJson(model.manifest(), modelDir, hashes), model.deviceName(),
                model.precision()));
    } catch (...) { // a clip without the sidecar that makes it again is not a finished take
        std::error_code ignored;
        fs::remove(out, ignored);
        throw;
    }
    std::cout << o.output << "\n";
    return 0;
}

// Text-to-video accuracy on seen and held-out captions; the table (or JSON) goes to stdout.
int runEval(const inf::ModelEvalOptions& o)
{
    if (o.clips < 1) // the engine measures text-to-video only: nothing else to run
        throw std::invalid_argument("the evaluation needs at least one text-to-video clip per group");
    const std::string modelDir = modelDirOrEnvironment(o.modelDir);
    if (modelDir.empty()) {
        std::cerr << "kinora-engine eval: no model: pass --model DIR or set KINORA_MODEL\n";
        return kExitRuntime;
    }
    const auto loaded = inf::loadPack(modelDir, o.device, o.precision);
    auto& model = *loaded;
    const double vaePsnr = inf::vaeRoundTripPsnr(model, 8, o.seed);
    auto report = inf::evaluateTextToVideo(
        model, o, [](int done, int total) { std::cerr << "\rclip " << done << "/" << total << std::flush; },
        interrupted);
    std::cerr << "\n";
    report.modelDir = std::filesystem::absolute(modelDir).lexically_normal().string();
    report.modelName = model.manifest().name;
    report.device = model.deviceName();
    report.precision = model.precision();
    report.vaePsnr = vaePsnr;
    std::cout << (o.json ? inf::modelEvalReportJson(report) : inf::formatModelEvalReport(report));
    return 0;
}

int runInfo(const std::string& dir)
{
    const auto model = inf::loadPack(dir, "cpu");
    const auto& m = model->manifest();
    std::cout << m.name << " (" << m.family << " " << m.config << ", weights " << m.version << ")\n"
              << "latent: " << m.latentChannels << " channels, spatial /" << m.spatialCompression
              << ", temporal /" << m.temporalCompression << "\n"
              << "schedule: " << m.schedule.kind << (m.schedule.zeroTerminalSnr ? " (zero terminal SNR)" : "")
              << ", prediction " << m.prediction << "\n"
              << "defaults: " << m.defaults.width << "x" << m.defaults.height << ", " << m.defaults.frames
              << " frames at " << m.defaults.fps << " fps, " << m.defaults.steps << " steps, guidance "
              << m.defaults.guidance << ", " << m.defaults.sampler << "\n"
              << "parameters:\n";
    for (const auto& [role, count] : model->parameterCounts())
        std::cout << "  " << role << ": " << count << "\n";
    return 0;
}

int runBenchCommand(const inf::BenchOptions& o)
{
    // Progress on stderr; stdout carries only the report.
    const auto report = inf::runBench(o, [](const std::string& line) { std::cerr << line << "\n"; });
    std::cout << (o.json ? inf::formatBenchJson(report) : inf::formatBench(report));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    namespace flags = kinora::inference::flags;
    CLI::App app { "Kinora's diffusion engine without the app: train, bench, sample, eval.",
        "kinora-engine" };
    app.set_version_flag("--version", [] {
        const auto info = inf::runtimeInfo();
        return std::string("kinora-engine ") + kinora::kVersion + " (LibTorch " + info.libtorchVersion
            + ", device " + info.device + ")";
    });
    app.footer("Exit status: 0 success, 1 runtime error, 2 usage error, 130 interrupted.");

    std::string chosen;
    const auto choose
        = [&chosen](CLI::App* sub) { sub->callback([&chosen, sub] { chosen = sub->get_name(); }); };

    inf::TrainPackOptions train;
    auto* trainCmd = app.add_subcommand("train", "train a model pack (VAE, denoiser, text encoder)");
    flags::addTrainFlags(trainCmd, train);
    choose(trainCmd);

    std::string infoDir;
    auto* infoCmd = app.add_subcommand("info", "describe a model pack: manifest and parameter counts");
    infoCmd->add_option("DIR", infoDir, "model pack folder")->required();
    choose(infoCmd);

    SampleOptions sample;
    auto* sampleCmd = app.add_subcommand(
        "sample", "make a clip from a prompt with a model pack, to .y4m or .safetensors");
    sampleCmd->add_option("--model", sample.model, "model pack folder (default: $KINORA_MODEL)");
    sampleCmd->add_option("-p,--prompt", sample.request.prompt, "what to make")->required();
    sampleCmd->add_option("-n,--negative", sample.request.negativePrompt, "what to avoid");
    sampleCmd->add_option("-o,--output", sample.output, "clip.y4m or clip.safetensors")->required();
    flags::addSizeFlag(sampleCmd, sample.request.width, sample.request.height, "WxH (default: the pack's)");
    sampleCmd->add_option("--frames", sample.request.frames, "frame count (default: the pack's)")
        ->check(CLI::PositiveNumber);
    sampleCmd->add_option("--fps", sample.request.fps, "frame rate (default: the pack's)")
        ->check(CLI::PositiveNumber);
    sampleCmd->add_option("--steps", sample.request.steps, "denoising steps (default: the pack's)")
        ->check(CLI::PositiveNumber);
    sampleCmd->add_option("--cfg", sample.request.guidance, "guidance scale, 1 = none (default: the pack's)")
        ->check(CLI::NonNegativeNumber);
    sampleCmd->add_option("--seed", sample.request.seed, "seed of the initial noise");
    sampleCmd->add_option("--sampler", sample.request.sampler, "sampler (default: the pack's)")
        ->check(CLI::IsMember({ "ddpm", "ddim", "euler", "euler-a", "dpm++2m", "flow-euler", "unipc" }));
    flags::addDeviceFlag(sampleCmd, sample.device);
    flags::addPrecisionFlag(sampleCmd, sample.precision);
    sampleCmd->add_flag("-y", sample.overwrite, "replace an existing output");
    choose(sampleCmd);

    inf::ModelEvalOptions eval;
    auto* evalCmd = app.add_subcommand(
        "eval", "text-to-video accuracy (colour, shape, direction, flicker) on seen and held-out captions");
    flags::addEvalFlags(evalCmd, eval, "model pack folder (default: $KINORA_MODEL)");
    choose(evalCmd);

    inf::BenchOptions bench;
    auto* benchCmd = app.add_subcommand("bench",
        "benchmark the denoiser and the sampling loop: forward time, loop overhead, peak memory, cancel "
        "latency (and bf16 vs fp32 on CUDA)");
    flags::addBenchFlags(benchCmd, bench);
    choose(benchCmd);

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
    const std::string prefix = "kinora-engine " + chosen + ": ";
    installInterruptHandler();
    try {
        if (chosen == "train")
            return runTrain(train);
        if (chosen == "info")
            return runInfo(infoDir);
        if (chosen == "sample")
            return runSample(sample);
        if (chosen == "bench")
            return runBenchCommand(bench);
        if (chosen == "eval")
            return runEval(eval);
    } catch (const inf::PipelineCancelled&) {
        std::cerr << "\n" << prefix << "interrupted; no output written\n";
        return kExitInterrupted;
    } catch (const std::invalid_argument& e) { // options the flags' checks could not see
        std::cerr << prefix << e.what() << "\n";
        return kExitUsage;
    } catch (const c10::Error& e) { // LibTorch's own messages carry a C++ backtrace: keep the first line
        std::cerr << prefix << e.what_without_backtrace() << "\n";
        return kExitRuntime;
    } catch (const std::exception& e) {
        std::cerr << prefix << flags::describeWithFlagHint(e) << "\n";
        return kExitRuntime;
    }
    std::cerr << prefix << "unknown command\n";
    return kExitUsage;
}
