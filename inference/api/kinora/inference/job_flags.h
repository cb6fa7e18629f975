#pragma once
// The command-line words kinora-cli and kinora-engine share: the train, bench and eval flags,
// registered on a CLI11 subcommand so that both programs fill the same option structs
// (job_options.h) the same way, and the hint each adds to an engine error (job_errors.h) in terms
// of those flags. Header-only, for the two mains: they link CLI11, the libraries do not.

#include "kinora/inference/job_errors.h"
#include "kinora/inference/job_options.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <regex>
#include <string>

namespace kinora::inference::flags {

// Set by the SIGINT handler, polled by every job between its steps (training writes a checkpoint
// first). Only a lock-free atomic store is async-signal-safe.
inline std::atomic<bool> interruptRequested { false };
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" inline void onInterrupt(int)
{
    interruptRequested.store(true);
}

// The first Ctrl-C asks the job to stop at the next step and clean up; SA_RESETHAND makes a second
// one end the process at once, for a step that takes too long.
inline void installInterruptHandler()
{
    struct sigaction action { };
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, nullptr);
}

inline bool interrupted()
{
    return interruptRequested.load();
}

// "WxH", each side 1 to 99999: what --size takes.
inline const CLI::Validator& sizeValidator()
{
    static const CLI::Validator validator(
        [](std::string& text) {
            static const std::regex size(R"(([1-9][0-9]{0,4})x([1-9][0-9]{0,4}))");
            return std::regex_match(text, size) ? std::string()
                                                : "must be WxH, e.g. 64x64, not '" + text + "'";
        },
        "WxH");
    return validator;
}

// Splits a size sizeValidator() accepted.
inline void parseSize(const std::string& text, int& width, int& height)
{
    const auto x = text.find('x');
    width = std::stoi(text.substr(0, x));
    height = std::stoi(text.substr(x + 1));
}

// --size WxH straight into two ints (the validator runs first).
inline CLI::Option* addSizeFlag(CLI::App* sub, int& width, int& height, const std::string& help)
{
    return sub
        ->add_option_function<std::string>(
            "--size", [&width, &height](const std::string& text) { parseSize(text, width, height); }, help)
        ->check(sizeValidator());
}

inline CLI::Option* addDeviceFlag(CLI::App* sub, std::string& device)
{
    return sub->add_option("--device", device, "auto, cpu or cuda")
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
}

// Sampling: the weights' type. Training keeps fp32 weights and can only autocast to bf16.
inline CLI::Option* addPrecisionFlag(CLI::App* sub, std::string& precision, bool training = false)
{
    if (training)
        return sub
            ->add_option("--precision", precision, "auto (bf16 autocast on CUDA, fp32 on CPU), fp32 or bf16")
            ->check(CLI::IsMember({ "auto", "fp32", "bf16" }));
    return sub->add_option("--precision", precision, "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16")
        ->check(CLI::IsMember({ "auto", "fp32", "bf16", "fp16" }));
}

inline void addTrainFlags(CLI::App* sub, TrainPackOptions& o)
{
    sub->add_option("--config", o.config, "architecture size")->check(CLI::IsMember({ "tiny", "default" }));
    sub->add_option("--steps", o.steps, "training steps, VAE and denoiser (0: write an untrained pack)")
        ->required()
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--vae-steps", o.vaeSteps, "of which VAE steps (default: a fifth)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--batch", o.batch, "clips per step")->check(CLI::PositiveNumber);
    sub->add_option("--lr", o.learningRate, "denoiser learning rate")->check(CLI::PositiveNumber);
    sub->add_option("--min-snr", o.minSnrGamma, "min-SNR-gamma loss weighting, e.g. 5 (default: 0, none)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--minutes", o.minutes,
           "stop with a checkpoint after this many minutes (the run resumes from it; default: no limit)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--checkpoint-every", o.checkpointEvery, "steps between checkpoints")
        ->check(CLI::NonNegativeNumber);
    addDeviceFlag(sub, o.device);
    addPrecisionFlag(sub, o.precision, true);
    sub->add_option("--seed", o.seed, "seed of the weights and the training data");
    sub->add_option("-o,--output", o.output, "model pack folder to write")->required();
    sub->add_flag("-y", o.overwrite, "replace an existing finished pack");
}

inline void addBenchFlags(CLI::App* sub, BenchOptions& o)
{
    sub->add_option("--config", o.config, "architecture, randomly initialised (default: default)")
        ->check(CLI::IsMember({ "tiny", "default" }));
    sub->add_option("--model", o.modelDir, "a model pack instead of random weights");
    addDeviceFlag(sub, o.device);
    sub->add_option("--steps", o.steps, "steps of the timed sampling run (default: 10)")
        ->check(CLI::Range(2, 10000));
    sub->add_option("--warmup", o.warmup, "untimed denoiser calls first (default: 2)")
        ->check(CLI::Range(0, 1000));
    addSizeFlag(sub, o.width, o.height, "WxH (default: the pack's)");
    sub->add_option("--frames", o.frames, "frame count (default: the pack's)")->check(CLI::Range(1, 100000));
    sub->add_flag_callback(
        "--no-bf16", [&o] { o.bf16 = false; }, "on CUDA, skip the bf16 run");
    sub->add_flag("--json", o.json, "print the figures as JSON");
}

// `modelHelp` says where the pack comes from without --model, which differs between the programs.
inline void addEvalFlags(CLI::App* sub, ModelEvalOptions& o, const std::string& modelHelp)
{
    sub->add_option("--model", o.modelDir, modelHelp);
    sub->add_option("--clips", o.clips, "text-to-video clips per group (default 20)")
        ->check(CLI::Range(0, 100000));
    sub->add_option("--steps", o.steps, "denoising steps (default: the pack's)")->check(CLI::PositiveNumber);
    sub->add_option("--cfg", o.guidance, "guidance scale, 1 = none (default: the pack's)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--seed", o.seed, "seed of the captions, the scenes and the noise (default 0)");
    addDeviceFlag(sub, o.device);
    addPrecisionFlag(sub, o.precision);
    sub->add_flag("--json", o.json, "print JSON");
}

// `message` with " (hint)" after it, unless it already says so.
inline std::string withHint(std::string message, const std::string& hint)
{
    if (message.find(hint) == std::string::npos)
        message += " (" + hint + ")";
    return message;
}

// The error's message with what to type instead, for the engine's errors that have a flag for it.
inline std::string describeWithFlagHint(const std::exception& e)
{
    if (dynamic_cast<const OutputExistsError*>(&e))
        return withHint(e.what(), "use -y to replace it");
    if (dynamic_cast<const OutOfMemory*>(&e))
        return withHint(e.what(), "try a smaller --size, fewer --frames or --device cpu");
    if (dynamic_cast<const DeviceUnavailable*>(&e))
        return withHint(e.what(), "use --device cpu");
    if (dynamic_cast<const PrecisionUnavailable*>(&e))
        return withHint(e.what(), "use --precision fp32");
    return e.what();
}

} // namespace kinora::inference::flags
