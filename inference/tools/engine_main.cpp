// kinora-engine: the engine's own command line for machines that have only a compiler and LibTorch
// (a GPU box). It runs the same library code as kinora-cli's train, bench and sample commands and
// writes outputs that need no image library.

#include "kinora/inference/bench.h"
#include "kinora/inference/model_eval.h"
#include "kinora/inference/native_model.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/train_command.h"
#include "kinora/inference/y4m.h"
#include "kinora/version.h"

#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

// Ctrl-C while training: stop after the current step and write a checkpoint to resume from.
std::atomic<bool> g_interrupted { false };

int runTrain(const kinora::inference::TrainPackOptions& o)
{
    using namespace kinora::inference;
    std::signal(SIGINT, [](int) { g_interrupted = true; });
    const auto result = trainModelPack(
        o,
        [](const TrainPackProgress& p) {
            if (p.step % 10 == 0 || p.step == p.total)
                std::cerr << "\r" << describeTrainProgress(p) << "   " << std::flush;
        },
        [] { return g_interrupted.load(); });
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

struct SampleOptions {
    std::string model;
    std::string prompt;
    std::string negative;
    std::string output;
    std::string size;
    int frames = 0;
    double fps = 0;
    int steps = 0;
    double guidance = -1;
    uint64_t seed = 0;
    std::string sampler;
    std::string device = "auto";
    std::string precision = "auto";
    bool overwrite = false;
};

int runSample(const SampleOptions& o)
{
    namespace fs = std::filesystem;
    using namespace kinora::inference;
    const fs::path out(o.output);
    const auto ext = out.extension().string();
    if (ext != ".y4m" && ext != ".safetensors") {
        std::cerr << "kinora-engine sample: the output must end in .y4m or .safetensors\n";
        return kExitUsage;
    }
    if (fs::exists(out) && !o.overwrite) {
        std::cerr << "kinora-engine sample: " << o.output << " exists (use -y to replace it)\n";
        return kExitRuntime;
    }
    std::string modelDir = o.model;
    if (modelDir.empty() && std::getenv("KINORA_MODEL") != nullptr)
        modelDir = std::getenv("KINORA_MODEL");
    if (modelDir.empty()) {
        std::cerr << "kinora-engine sample: no model: pass --model DIR or set KINORA_MODEL\n";
        return kExitRuntime;
    }
    const auto device = resolveDevice(parseDevicePreference(o.device));
    const auto precision = resolvePrecision(parsePrecision(o.precision), device);
    auto model = loadNativePack(modelDir, c10::Device(device), precision);

    DiffusionRequest request;
    request.prompt = o.prompt;
    request.negativePrompt = o.negative;
    request.frames = o.frames;
    request.steps = o.steps;
    request.guidance = o.guidance;
    request.seed = o.seed;
    request.sampler = o.sampler;
    if (!o.size.empty()) {
        const auto x = o.size.find('x');
        if (x == std::string::npos) {
            std::cerr << "kinora-engine sample: --size must be WxH\n";
            return kExitUsage;
        }
        request.width = std::stoi(o.size.substr(0, x));
        request.height = std::stoi(o.size.substr(x + 1));
    }
    PipelineCallbacks callbacks;
    callbacks.onStep
        = [](const StepUpdate& u) { std::cerr << "\rstep " << u.step << "/" << u.total << std::flush; };
    const auto result = runDiffusion(model, request, callbacks);
    std::cerr << "\n";
    fs::create_directories(fs::absolute(out).parent_path());
    const double fps = o.fps > 0 ? o.fps : model.manifest.defaults.fps;
    if (ext == ".y4m")
        writeY4m(out, result.video, static_cast<int>(std::lround(fps * 1000)), 1000);
    else
        saveSafetensors(out, NamedTensors { { "video", result.video } }, { { "fps", std::to_string(fps) } });

    const auto& r = result.resolved;
    nlohmann::ordered_json sidecar;
    sidecar["request"] = { { "task", "generate" }, { "prompt", r.prompt },
        { "negative_prompt", r.negativePrompt }, { "width", r.width }, { "height", r.height },
        { "frames", r.frames }, { "fps", fps }, { "steps", r.steps }, { "guidance", r.guidance },
        { "sampler", r.sampler }, { "seed", r.seed } };
    sidecar["model"] = { { "name", model.manifest.name }, { "version", model.manifest.version },
        { "dir", fs::absolute(modelDir).string() } };
    sidecar["kinora_version"] = kinora::kVersion;
    sidecar["libtorch_version"] = runtimeInfo().libtorchVersion;
    sidecar["device"] = device;
    sidecar["precision"] = precision;
    std::ofstream(o.output + ".kinora.json") << sidecar.dump(2) << "\n";
    std::cout << o.output << "\n";
    return 0;
}

struct EvalCommand {
    std::string model;
    std::string device = "auto";
    kinora::inference::ModelEvalOptions options;
};

// Text-to-video accuracy on seen and held-out captions; the table goes to stdout.
int runEval(const EvalCommand& c)
{
    using namespace kinora::inference;
    std::string modelDir = c.model;
    if (modelDir.empty() && std::getenv("KINORA_MODEL") != nullptr)
        modelDir = std::getenv("KINORA_MODEL");
    if (modelDir.empty()) {
        std::cerr << "kinora-engine eval: no model: pass --model DIR or set KINORA_MODEL\n";
        return kExitRuntime;
    }
    const auto device = resolveDevice(parseDevicePreference(c.device));
    auto model = loadNativePack(modelDir, c10::Device(device), resolvePrecision(Precision::Auto, device));
    std::signal(SIGINT, [](int) { g_interrupted = true; });
    try {
        const auto report = evaluateTextToVideo(
            model, c.options,
            [](int done, int total) { std::cerr << "\rclip " << done << "/" << total << std::flush; },
            [] { return g_interrupted.load(); });
        std::cerr << "\n";
        std::cout << formatEvalReport(report);
        std::printf("VAE round trip: %.2f dB PSNR\n", vaeRoundTripPsnr(model, 8, c.options.seed));
        return 0;
    } catch (const PipelineCancelled&) {
        std::cerr << "\nkinora-engine eval: interrupted\n";
        return kExitInterrupted;
    }
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

struct BenchCommand {
    kinora::inference::BenchOptions options;
    std::string size;
    bool noBf16 = false;
    bool json = false;
};

int runBenchCommand(const BenchCommand& c)
{
    auto options = c.options;
    options.bf16 = !c.noBf16;
    if (!c.size.empty()) {
        const auto x = c.size.find('x');
        const auto digits = [](const std::string& t) {
            return !t.empty() && t.size() < 6 && t.find_first_not_of("0123456789") == std::string::npos;
        };
        if (x == std::string::npos || !digits(c.size.substr(0, x)) || !digits(c.size.substr(x + 1))) {
            std::cerr << "kinora-engine bench: --size must be WxH\n";
            return kExitUsage;
        }
        options.width = std::stoi(c.size.substr(0, x));
        options.height = std::stoi(c.size.substr(x + 1));
    }
    // Progress on stderr; stdout carries only the report.
    const auto report
        = kinora::inference::runBench(options, [](const std::string& line) { std::cerr << line << "\n"; });
    std::cout << (c.json ? kinora::inference::formatBenchJson(report)
                         : kinora::inference::formatBench(report));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "Kinora's diffusion engine without the app: train, bench, sample, eval.",
        "kinora-engine" };
    app.set_version_flag("--version", [] {
        const auto info = kinora::inference::runtimeInfo();
        return std::string("kinora-engine ") + kinora::kVersion + " (LibTorch " + info.libtorchVersion
            + ", device " + info.device + ")";
    });

    std::string chosen;
    kinora::inference::TrainPackOptions train;
    auto* trainCmd = app.add_subcommand("train", "train a model pack (VAE, denoiser, text encoder)");
    trainCmd->add_option("--config", train.config, "architecture size")
        ->check(CLI::IsMember({ "tiny", "default" }));
    trainCmd
        ->add_option("--steps", train.steps, "training steps, VAE and denoiser (0: write an untrained pack)")
        ->required()
        ->check(CLI::NonNegativeNumber);
    trainCmd->add_option("--vae-steps", train.vaeSteps, "of which VAE steps (default: a fifth)")
        ->check(CLI::NonNegativeNumber);
    trainCmd->add_option("--batch", train.batch, "clips per step")->check(CLI::PositiveNumber);
    trainCmd->add_option("--lr", train.learningRate, "denoiser learning rate")->check(CLI::PositiveNumber);
    trainCmd->add_option("--checkpoint-every", train.checkpointEvery, "steps between checkpoints");
    trainCmd->add_option("--device", train.device, "auto, cpu or cuda")
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    trainCmd
        ->add_option(
            "--precision", train.precision, "auto (bf16 autocast on CUDA, fp32 on CPU), fp32 or bf16")
        ->check(CLI::IsMember({ "auto", "fp32", "bf16" }));
    trainCmd->add_option("--seed", train.seed, "seed of the weights and the training data");
    trainCmd->add_option("-o,--output", train.output, "model pack folder to write")->required();
    trainCmd->add_flag("-y", train.overwrite, "replace an existing finished pack");
    trainCmd->callback([&chosen] { chosen = "train"; });
    std::string infoDir;
    auto* infoCmd = app.add_subcommand("info", "describe a model pack: manifest and parameter counts");
    infoCmd->add_option("DIR", infoDir, "model pack folder")->required();
    infoCmd->callback([&chosen] { chosen = "info"; });
    SampleOptions sample;
    auto* sampleCmd = app.add_subcommand(
        "sample", "make a clip from a prompt with a model pack, to .y4m or .safetensors");
    sampleCmd->add_option("--model", sample.model, "model pack folder (default: $KINORA_MODEL)");
    sampleCmd->add_option("-p,--prompt", sample.prompt, "what to make")->required();
    sampleCmd->add_option("-n,--negative", sample.negative, "what to avoid");
    sampleCmd->add_option("-o,--output", sample.output, "clip.y4m or clip.safetensors")->required();
    sampleCmd->add_option("--size", sample.size, "WxH (default: the pack's)");
    sampleCmd->add_option("--frames", sample.frames, "frame count (default: the pack's)");
    sampleCmd->add_option("--fps", sample.fps, "frame rate (default: the pack's)");
    sampleCmd->add_option("--steps", sample.steps, "denoising steps (default: the pack's)");
    sampleCmd->add_option("--cfg", sample.guidance, "guidance scale (default: the pack's)");
    sampleCmd->add_option("--seed", sample.seed, "seed of the initial noise");
    sampleCmd->add_option("--sampler", sample.sampler, "ddpm, ddim, euler, euler-a, dpm++2m or flow-euler");
    sampleCmd->add_option("--device", sample.device, "auto, cpu or cuda")
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    sampleCmd
        ->add_option("--precision", sample.precision, "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16")
        ->check(CLI::IsMember({ "auto", "fp32", "bf16", "fp16" }));
    sampleCmd->add_flag("-y", sample.overwrite, "replace an existing output");
    sampleCmd->callback([&chosen] { chosen = "sample"; });
    EvalCommand eval;
    auto* evalCmd = app.add_subcommand(
        "eval", "text-to-video accuracy (colour, shape, direction, flicker) on seen and held-out captions");
    evalCmd->add_option("--model", eval.model, "model pack folder (default: $KINORA_MODEL)");
    evalCmd->add_option("--clips", eval.options.clips, "clips per group (default: 20)")
        ->check(CLI::Range(1, 100000));
    evalCmd->add_option("--steps", eval.options.steps, "denoising steps (default: the pack's)")
        ->check(CLI::PositiveNumber);
    evalCmd->add_option("--seed", eval.options.seed, "seed of the captions and the noise");
    evalCmd->add_option("--device", eval.device, "auto, cpu or cuda")
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    evalCmd->callback([&chosen] { chosen = "eval"; });
    BenchCommand bench;
    auto* benchCmd = app.add_subcommand("bench",
        "benchmark the denoiser and the sampling loop: forward time, loop overhead, peak memory, cancel "
        "latency (and bf16 vs fp32 on CUDA)");
    benchCmd
        ->add_option(
            "--config", bench.options.config, "architecture, randomly initialised (default: default)")
        ->check(CLI::IsMember({ "tiny", "default" }));
    benchCmd->add_option("--model", bench.options.modelDir, "model pack folder instead of --config");
    benchCmd->add_option("--device", bench.options.device, "auto, cpu or cuda")
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    benchCmd->add_option("--steps", bench.options.steps, "steps of the timed sampling run (default: 10)")
        ->check(CLI::Range(2, 10000));
    benchCmd->add_option("--warmup", bench.options.warmup, "untimed denoiser calls first (default: 2)")
        ->check(CLI::Range(0, 1000));
    benchCmd->add_option("--size", bench.size, "WxH (default: the pack's)");
    benchCmd->add_option("--frames", bench.options.frames, "frame count (default: the pack's)")
        ->check(CLI::Range(1, 100000));
    benchCmd->add_flag("--no-bf16", bench.noBf16, "on CUDA, skip the bf16 run");
    benchCmd->add_flag("--json", bench.json, "print the figures as JSON");
    benchCmd->callback([&chosen] { chosen = "bench"; });

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
        if (chosen == "sample")
            return runSample(sample);
        if (chosen == "bench")
            return runBenchCommand(bench);
        if (chosen == "eval")
            return runEval(eval);
    } catch (const std::exception& e) {
        std::cerr << "kinora-engine " << chosen << ": " << e.what() << "\n";
        return kExitRuntime;
    }
    std::cerr << "kinora-engine " << chosen << ": unknown command\n";
    return kExitUsage;
}
