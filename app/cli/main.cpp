// kinora-cli: Kinora's jobs without a window, for scripts, render machines and the benchmarks.
// The command-line contract is in ../shared/DESIGN.md and docs/architecture.md: stdout carries only
// results (the output path, info's text or JSON), progress and errors go to stderr, and the exit
// status is 0 success, 1 runtime error, 2 usage error, 130 interrupted.

#include "error_hints.h"
#include "kinora/core/diffusion_job.h"
#include "kinora/core/engine_bench.h"
#include "kinora/core/engine_info.h"
#include "kinora/core/footage_jobs.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/model_eval.h"
#include "kinora/core/model_training.h"
#include "kinora/inference/job_flags.h"
#include "media_commands.h"

#include <CLI/CLI.hpp>

#include <QFileInfo>
#include <QJsonDocument>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <string>

namespace {

using kinora::cli::describeError;
using kinora::core::DiffusionTask;
namespace flags = kinora::inference::flags;

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

using kinora::inference::flags::installInterruptHandler;
// Set by the SIGINT handler, polled by the engine between steps.
std::atomic<bool>& interrupted = kinora::inference::flags::interruptRequested;

// What the diffusion subcommands parse: the job's own request, bound to the flags, plus the flags
// that are not part of it.
struct DiffusionOptions {
    kinora::core::DiffusionJobRequest request;
    std::string size; // WxH
};

void addDiffusionOptions(CLI::App* sub, DiffusionOptions& o)
{
    sub->add_option("-o,--output", o.request.output,
           "OUT: .mp4, .mov, .webm, .mkv, .gif or a pattern such as out/%03d.png")
        ->required();
    sub->add_option("--codec", o.request.codec,
           "OUT's codec: h264, h265, prores, prores4444, dnxhr, vp9, av1, gif, png or "
           "ffv1 (default: from OUT's extension)")
        ->check(CLI::IsMember(
            { "h264", "h265", "hevc", "prores", "prores4444", "dnxhr", "vp9", "av1", "gif", "png", "ffv1" }));
    sub->add_option("--crf", o.request.crf, "quality for h264, h265, vp9, av1 (lower is better)")
        ->check(CLI::Range(0, 63));
    sub->add_option(
        "--model", o.request.modelDir, "model pack folder (default: $KINORA_MODEL, then the installed pack)");
    sub->add_option("--steps", o.request.steps, "denoising steps (default: the pack's)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--cfg", o.request.guidance, "guidance scale, 1 = none (default: the pack's)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--seed", o.request.seed, "seed of the initial noise (default 0)");
    sub->add_option("--sampler", o.request.sampler, "sampler (default: the pack's)")
        ->check(CLI::IsMember({ "ddpm", "ddim", "euler", "euler-a", "dpm++2m", "flow-euler", "unipc" }));
    flags::addDeviceFlag(sub, o.request.device);
    flags::addPrecisionFlag(sub, o.request.precision);
    sub->add_option(
        "--preview-dir", o.request.previewDir, "write each step's preview frames to DIR/step_NNN/");
    sub->add_flag("-y", o.request.overwrite, "replace an existing OUT");
}

void addPromptOptions(CLI::App* sub, DiffusionOptions& o, bool required)
{
    auto* prompt = sub->add_option("-p,--prompt", o.request.prompt, "what to make");
    if (required)
        prompt->required();
    sub->add_option("-n,--negative", o.request.negativePrompt, "what to avoid");
}

kinora::core::DiffusionJobRequest toRequest(DiffusionTask task, const DiffusionOptions& o)
{
    auto r = o.request;
    r.task = task;
    if (!o.size.empty()) // checked by flags::sizeValidator()
        flags::parseSize(o.size, r.width, r.height);
    return r;
}

int runDiffusion(const std::string& command, DiffusionTask task, const DiffusionOptions& o)
{
    const std::string prefix = "kinora-cli " + command + ": ";
    if (task == DiffusionTask::Interpolate && o.request.factor == 0 && o.request.fps <= 0) {
        std::cerr << prefix << "give --factor K or --fps F\n";
        return kExitUsage;
    }
    // The job's own message says "interpolate by a factor instead"; here that is a flag.
    if (task == DiffusionTask::Interpolate && o.request.factor == 0
        && kinora::core::isSequencePattern(QString::fromStdString(o.request.input))) {
        std::cerr << prefix
                  << "--fps needs the input's frame rate, which an image sequence does not carry (use "
                     "--factor K instead)\n";
        return kExitRuntime;
    }

    const bool hasMethod = task == DiffusionTask::Interpolate || task == DiffusionTask::Inpaint;
    if (hasMethod && o.request.method == "auto")
        std::cerr << prefix
                  << "--method auto: using optical flow, which works on any footage without a model "
                     "(--method diffusion runs the model pack)\n";

    bool progressShown = false;
    const auto endProgressLine = [&progressShown] {
        if (progressShown)
            std::cerr << "\n";
        progressShown = false;
    };
    kinora::core::JobCallbacks callbacks;
    callbacks.isCancelled = [] { return interrupted.load(); };
    // The model reports denoising steps, the footage methods output frames.
    const bool footage
        = kinora::core::resolveMethod(toRequest(task, o)) != kinora::core::FootageMethod::Diffusion;
    callbacks.onProgress = [&progressShown, footage](const kinora::core::JobProgress& p) {
        std::cerr << (footage ? "\rframe " : "\rstep ") << p.step << "/" << p.total;
        if (p.windows > 1)
            std::cerr << " (window " << p.window + 1 << "/" << p.windows << ")";
        std::cerr << std::flush;
        progressShown = true;
    };
    callbacks.onWarning = [&](const QString& warning) {
        endProgressLine();
        std::cerr << prefix << "warning: " << warning.toStdString() << "\n";
    };
    installInterruptHandler();
    try {
        const auto result = kinora::core::runDiffusionJob(toRequest(task, o), callbacks);
        endProgressLine();
        std::cout << result.output.toStdString() << std::endl;
        return 0;
    } catch (const kinora::core::JobCancelled&) {
        endProgressLine();
        std::cerr << prefix << "interrupted; no output written\n";
        return kExitInterrupted;
    } catch (const std::exception& e) {
        endProgressLine();
        std::cerr << prefix << describeError(e) << "\n";
        return kExitRuntime;
    }
}

int runInfo(const std::string& path, bool json, bool writeManifest)
{
    const QString target = QString::fromStdString(path);
    try {
        if (writeManifest) {
            if (!QFileInfo(target).isDir())
                throw std::invalid_argument(path + " is not a folder: --write-manifest takes a model folder");
            std::cerr << "wrote " << kinora::core::writeWanManifest(target).toStdString() << "\n";
        }
        if (!QFileInfo(target).isDir())
            return kinora::cli::runMediaInfo(path, json);
        const auto info = kinora::core::describeModelPack(target);
        if (json) {
            std::cout
                << QJsonDocument(kinora::core::toJson(info)).toJson(QJsonDocument::Indented).toStdString();
            return 0;
        }
        const auto s = [](const QString& text) { return text.toStdString(); };
        std::cout << s(info.name) << " (" << s(info.family) << " " << s(info.config) << ", weights "
                  << s(info.version) << ")\n"
                  << "folder: " << s(info.dir) << "\n"
                  << "latent: " << info.latentChannels << " channels, spatial /" << info.spatialCompression
                  << ", temporal /" << info.temporalCompression << "\n"
                  << "schedule: " << s(info.schedule) << (info.zeroTerminalSnr ? " (zero terminal SNR)" : "")
                  << ", prediction " << s(info.prediction) << "\n"
                  << "defaults: " << info.width << "x" << info.height << ", " << info.frames << " frames at "
                  << info.fps << " fps, " << info.steps << " steps, guidance " << info.guidance << ", "
                  << s(info.sampler) << "\n"
                  << "components:\n";
        for (const auto& [role, file] : info.components)
            std::cout << "  " << s(role) << ": " << s(file) << "\n";
        std::cout << "parameters:\n";
        for (const auto& [role, count] : info.parameters)
            std::cout << "  " << s(role) << ": " << count << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "kinora-cli info: " << describeError(e) << "\n";
        return kExitRuntime;
    }
}

int runTrain(const kinora::core::TrainPackOptions& o)
{
    installInterruptHandler();
    bool progressShown = false;
    try {
        const auto result = kinora::core::trainModelPack(
            o,
            [&progressShown](const kinora::core::TrainPackProgress& p) {
                if (p.step % 10 == 0 || p.step == p.total) {
                    std::cerr << "\r" << kinora::core::describeTrainProgress(p) << "   " << std::flush;
                    progressShown = true;
                }
            },
            [] { return interrupted.load(); });
        if (progressShown)
            std::cerr << "\n";
        if (result.resumed)
            std::cerr << "resumed the training in " << o.output << "\n";
        if (result.interrupted) {
            std::cerr << "interrupted: checkpoint written to " << o.output
                      << "; run the same command to resume\n";
            return kExitInterrupted;
        }
        std::cerr << (o.steps == 0 ? "wrote an untrained " + o.config + " pack"
                                   : "trained " + std::to_string(result.stepsRun) + " steps")
                  << " (" << result.parameters << " parameters)\n";
        std::cout << o.output << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << (progressShown ? "\n" : "") << "kinora-cli train: " << describeError(e) << "\n";
        return kExitRuntime;
    }
}

// Progress on stderr, the tables (or JSON) on stdout.
int runEval(const kinora::core::ModelEvalRequest& request)
{
    installInterruptHandler();
    try {
        const auto report = kinora::core::evaluateModelPack(
            request,
            [](const kinora::core::ModelEvalProgress& p) {
                std::cerr << "\r" << p.stage.toStdString() << " clip " << p.done << "/" << p.total << "   "
                          << (p.done == p.total ? "\n" : "") << std::flush;
            },
            [] { return interrupted.load(); });
        std::cout << (request.json ? kinora::core::modelEvalReportJson(report)
                                   : kinora::core::formatModelEvalReport(report));
        return 0;
    } catch (const kinora::core::JobCancelled&) {
        std::cerr << "\nkinora-cli eval: interrupted\n";
        return kExitInterrupted;
    } catch (const std::invalid_argument& e) {
        std::cerr << "kinora-cli eval: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "kinora-cli eval: " << describeError(e) << "\n";
        return kExitRuntime;
    }
}

int runBench(const kinora::core::BenchOptions& o)
{
    try {
        std::cout << kinora::core::runEngineBench(
            o, [](const std::string& line) { std::cerr << line << "\n"; });
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "kinora-cli bench: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "kinora-cli bench: " << describeError(e) << "\n";
        return kExitRuntime;
    }
}

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
    app.require_subcommand(0, 1);

    std::string chosen;
    const auto choose
        = [&chosen](CLI::App* sub) { sub->callback([&chosen, sub] { chosen = sub->get_name(); }); };
    DiffusionOptions o;

    auto* generate
        = app.add_subcommand("generate", "make a clip from a prompt (optionally from a first frame)");
    addPromptOptions(generate, o, true);
    generate->add_option("--image", o.request.image, "FIRST_FRAME: an image the clip starts from");
    generate->add_option("--frames", o.request.frames, "frame count (default: the pack's)")
        ->check(CLI::PositiveNumber);
    generate->add_option("--size", o.size, "WxH (default: the pack's)")->check(flags::sizeValidator());
    generate->add_option("--fps", o.request.fps, "frame rate (default: the pack's)")
        ->check(CLI::PositiveNumber);

    auto* extend = app.add_subcommand("extend", "continue a clip by N frames");
    extend->add_option("-i,--input", o.request.input, "IN: a video file or a pattern such as in/%03d.png")
        ->required();
    extend->add_option("--frames", o.request.frames, "frames to add")->required()->check(CLI::PositiveNumber);
    addPromptOptions(extend, o, false);

    auto* interpolate
        = app.add_subcommand("interpolate", "raise a clip's frame rate (--factor K or --fps F)");
    interpolate
        ->add_option("-i,--input", o.request.input, "IN: a video file or a pattern such as in/%03d.png")
        ->required();
    auto* factor = interpolate->add_option("--factor", o.request.factor, "K: K·(N−1)+1 frames from N")
                       ->check(CLI::Range(2, 1000));
    interpolate
        ->add_option("--fps", o.request.fps,
            "resample to F frames per second (flow, blend: above or below IN's rate; diffusion: above)")
        ->check(CLI::PositiveNumber)
        ->excludes(factor);
    interpolate
        ->add_option("--method", o.request.method,
            "auto (flow), flow, blend (a cross-fade) or diffusion (the model pack)")
        ->check(CLI::IsMember({ "auto", "flow", "diffusion", "blend" }));
    addPromptOptions(interpolate, o, false);

    auto* inpaint = app.add_subcommand("inpaint", "regenerate the masked region of a clip");
    inpaint->add_option("-i,--input", o.request.input, "IN: a video file or a pattern such as in/%03d.png")
        ->required();
    inpaint
        ->add_option("-m,--mask", o.request.mask,
            "MASK: one image for every frame, a pattern or a video (for the --start/--count range)")
        ->required();
    inpaint->add_option("--method", o.request.method, "auto (flow), flow or diffusion (the model pack)")
        ->check(CLI::IsMember({ "auto", "flow", "diffusion" }));
    inpaint->add_option("--dilate", o.request.dilate, "grow the mask by N pixels (soft edges, shadows)")
        ->check(CLI::Range(0, 256));
    addPromptOptions(inpaint, o, false);

    // The range of IN the job works on (a trimmed clip without copying it); MASK is for the range.
    for (auto* sub : { extend, interpolate, inpaint }) {
        sub->add_option(
               "--start", o.request.inputStart, "FRAME: the first frame of IN to work on (default 0)")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--count", o.request.inputFrames,
               "N: frames of IN to work on from --start (default: to "
               "the end); OUT holds only these")
            ->check(CLI::PositiveNumber);
        sub->add_option("--input-fps", o.request.inputFps,
               "F: the frame rate of an image-sequence IN, which carries none (default: unknown)")
            ->check(CLI::PositiveNumber);
    }
    for (auto* sub : { generate, extend, interpolate, inpaint }) {
        addDiffusionOptions(sub, o);
        choose(sub);
    }

    std::string infoPath;
    bool infoJson = false;
    auto* info = app.add_subcommand("info", "describe a video, an image sequence or a model pack");
    info->add_option("FILE_OR_MODEL_DIR", infoPath,
            "a video file, a pattern such as in/%03d.png, or a model pack folder")
        ->required();
    info->add_flag("--json", infoJson, "print JSON");
    bool infoWriteManifest = false;
    info->add_flag("--write-manifest", infoWriteManifest,
        "for a folder of Wan 2.1 weights: write the kinora-model.json Kinora would use for it, to pin "
        "or edit its choices (a folder without one works as it is)");
    choose(info);

    kinora::cli::EncodeOptions encode;
    auto* encodeCmd = app.add_subcommand("encode", "convert a clip or image sequence to another format");
    encodeCmd->add_option("-i,--input", encode.input, "IN: a video file or a pattern such as in/%03d.png")
        ->required();
    encodeCmd
        ->add_option("-o,--output", encode.output, "OUT: .mp4, .mov, .webm, .mkv, .gif or a %03d.png pattern")
        ->required();
    encodeCmd->add_option("--codec", encode.codec,
        "h264, h265, prores, prores4444, dnxhr, vp9, av1, gif, png or ffv1 "
        "(default: from OUT's extension)");
    encodeCmd->add_option("--crf", encode.crf, "quality for h264, h265, vp9, av1 (lower is better)")
        ->check(CLI::Range(0, 63));
    encodeCmd->add_option("--fps", encode.fps, "resample to this constant rate (24, 29.97, 30000/1001)");
    encodeCmd->add_flag("-y", encode.overwrite, "replace an existing OUT");
    choose(encodeCmd);

    kinora::core::TrainPackOptions train;
    auto* trainCmd = app.add_subcommand("train", "train a model pack from procedural clips (resumable)");
    flags::addTrainFlags(trainCmd, train);
    choose(trainCmd);

    kinora::core::BenchOptions bench;
    auto* benchCmd
        = app.add_subcommand("bench", "benchmark the engine: denoiser, loop overhead, memory, cancel");
    flags::addBenchFlags(benchCmd, bench);
    choose(benchCmd);

    kinora::core::ModelEvalRequest eval;
    auto* evalCmd = app.add_subcommand("eval",
        "measure a model pack: text-to-video on seen and held-out captions, inpainting and "
        "interpolation on held-out clips beside classical baselines");
    flags::addEvalFlags(evalCmd, eval, "model pack folder (default: $KINORA_MODEL, then the installed pack)");
    evalCmd
        ->add_option("--restoration-clips", eval.restorationClips,
            "clips for inpainting and for interpolation (default 10; 0: skip)")
        ->check(CLI::NonNegativeNumber);
    evalCmd->add_option("--sheet", eval.sheet,
        "write a contact sheet (PNG) of the first text-to-video clips of each group, with what was read");
    evalCmd->add_option("--sheet-clips", eval.sheetClips, "clips per group on the sheet (default 8)")
        ->check(CLI::PositiveNumber);
    choose(evalCmd);

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
    if (chosen == "generate")
        return runDiffusion(chosen, DiffusionTask::Generate, o);
    if (chosen == "extend")
        return runDiffusion(chosen, DiffusionTask::Extend, o);
    if (chosen == "interpolate")
        return runDiffusion(chosen, DiffusionTask::Interpolate, o);
    if (chosen == "inpaint")
        return runDiffusion(chosen, DiffusionTask::Inpaint, o);
    if (chosen == "info")
        return runInfo(infoPath, infoJson, infoWriteManifest);
    if (chosen == "encode") {
        installInterruptHandler();
        return kinora::cli::runEncode(encode, interrupted);
    }
    if (chosen == "train")
        return runTrain(train);
    if (chosen == "bench")
        return runBench(bench);
    return runEval(eval);
}
