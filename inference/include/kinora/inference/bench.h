#pragma once
// The engine benchmark behind `kinora-engine bench` and `kinora-cli bench`, for a model of any family
// (video_model.h): the denoiser's time per step (the step's guided prediction), the sampling loop's
// overhead over it, the VAE's decode time per frame, peak memory and cancel latency, on the CPU
// and, where there is a GPU, on CUDA in fp32 and bf16. Figures are given as ratios against a peer
// measured in the same process where one exists (loop vs forward, bf16 vs fp32, latency vs step),
// because absolute times say more about the machine than about the code.
// Kept free of torch headers so that core/ can include it cheaply; the options are job_options.h's,
// shared with kinora-cli.

#include "kinora/inference/job_options.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kinora::inference {

class VideoModel;

// The target for the loop's overhead over the denoiser.
inline constexpr double kBenchOverheadTarget = 0.05;

// One device and dtype. Times in milliseconds, memory in MiB.
struct BenchRun {
    std::string device; // "cpu" or "cuda"
    std::string dtype; // "float32" or "bfloat16"
    int width = 0;
    int height = 0;
    int frames = 0;
    int steps = 0;
    // Denoiser evaluations per step: 2 with guidance (prompt and negative prompt, as one batch of 2
    // or two passes: the family's choice), else 1.
    int batch = 0;
    int64_t parameters = 0;
    double weightsMiB = 0;

    // Per-step figures are medians: on a busy machine one descheduled call would otherwise decide
    // the result. On a quiet one they equal the means.
    double forwardMs = 0; // median guided prediction (VideoModel::predict), same shapes as the loop's
    std::vector<double> forwardSamplesMs;
    double stepMs = 0; // median interval between consecutive steps of the sampling loop
    std::vector<double> stepSamplesMs;
    double samplingMs = 0; // first step's callback to the last one's: steps - 1 full steps
    double runMs = 0; // the whole runDiffusion call: text, noise, every step, VAE decode
    double decodeMs = 0; // one VAE decode of the whole clip's latents, the family's chunking
    double decodeMsPerFrame = 0;
    // 1 - forwardMs / stepMs: the share of the loop's time (the sampling wall time less the model's
    // forwards, over the sampling wall time) spent outside the model: the sampler, guidance,
    // conditioning and the per-step preview. overheadMeasured comes out slightly negative when the
    // overhead is below timing noise; overhead is that clamped at 0.
    double overhead = 0;
    double overheadMeasured = 0;

    std::string memoryKind; // "rss" (CPU: process peak resident set) or "cuda allocator"
    double peakMemoryMiB = 0; // during the timed sampling run
    double baselineMemoryMiB = 0; // just before it

    std::vector<double> cancelLatencyMs; // from setting the flag to runDiffusion throwing
    double cancelMeanMs = 0;
    double cancelMaxMs = 0;
    double cancelMaxSteps = 0; // cancelMaxMs / stepMs: the target is at most 1
};

struct BenchReport {
    std::string config;
    std::string model; // the pack's name
    std::string libtorchVersion;
    int cpuThreads = 0;
    std::vector<BenchRun> runs;
    double othersCpuShare = 0; // share of the CPUs other processes kept busy just before the start
    int cpus = 0;
    std::vector<std::string> notes; // e.g. why there is no bf16 run, or that the machine was busy
};

// Runs the benchmark; `log` receives progress lines (what is being measured now). The model is
// options.modelDir's pack (loadPack) or, without one, a native model of options.config with random
// weights. Throws std::invalid_argument for bad options and whatever loading or running the model
// throws.
BenchReport runBench(const BenchOptions& options, const std::function<void(const std::string&)>& log = {});

// Makes the model to measure on `device` ("cpu" or "cuda") in `precision` ("fp32", then "bf16").
using BenchModelMaker
    = std::function<std::unique_ptr<VideoModel>(const std::string& device, const std::string& precision)>;

// The same with a model of the caller's (options.config and modelDir only name it in the report's
// progress line).
BenchReport runBench(const BenchOptions& options, const BenchModelMaker& makeModel,
    const std::function<void(const std::string&)>& log = {});

// A small aligned table, one column per run, with the ratios and targets under it.
std::string formatBench(const BenchReport& report);

// The same figures as JSON (an object with "runs" and, with two runs, "bf16_vs_fp32").
std::string formatBenchJson(const BenchReport& report);

} // namespace kinora::inference
