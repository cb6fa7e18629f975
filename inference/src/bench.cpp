#include "kinora/inference/bench.h"

#include "kinora/inference/native_video_model.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/tasks.h"

#include <torch/torch.h>

// The CUDA caching allocator's statistics need c10_cuda, which only a CUDA build of LibTorch has
// (CMake defines KINORA_HAVE_C10_CUDA then): its headers alone are not enough to link.
#if defined(KINORA_HAVE_C10_CUDA) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define KINORA_BENCH_CUDA_MEMORY 1
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kinora::inference {

namespace {

using Clock = std::chrono::steady_clock;
using Log = std::function<void(const std::string&)>;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr const char* kPrompt = "a red circle moving left on a blue background";
// Cancel requests, in step times after the first step's callback: a quarter, a half and three
// quarters into a step, so that the latencies sample where in a step a user presses Cancel.
constexpr double kCancelAt[] = { 0.25, 1.5, 2.75 };
// The cancelled runs get many steps so that a late cancel (a busy machine) still lands in the loop;
// they stop at the cancel, so the steps they do not run cost nothing.
constexpr int kCancelRunSteps = 100;

double msBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

double mean(const std::vector<double>& values)
{
    return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

// The share of all CPUs' time spent busy over a short window while this process sleeps, from
// /proc/stat's first line (user nice system idle iowait irq softirq steal); 0 where it is missing.
// The load average would lag by a minute, long enough to flag a quiet machine or miss a busy one.
double busyCpuShare()
{
    const auto sample = [](double& busy, double& total) {
        std::ifstream in("/proc/stat");
        std::string cpu;
        in >> cpu;
        busy = total = 0;
        for (int i = 0; i < 8; ++i) {
            double ticks = 0;
            in >> ticks;
            total += ticks;
            if (i != 3 && i != 4) // idle and iowait
                busy += ticks;
        }
    };
    double busy0 = 0, total0 = 0, busy1 = 0, total1 = 0;
    sample(busy0, total0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    sample(busy1, total1);
    return total1 > total0 ? (busy1 - busy0) / (total1 - total0) : 0.0;
}

void synchronize(const c10::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize();
}

// A line of /proc/self/status such as "VmHWM:   123456 kB", in MiB; 0 when absent (not Linux).
double procStatusMiB(const std::string& key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            std::istringstream value(line.substr(key.size() + 1));
            double kib = 0;
            value >> kib;
            return kib / 1024.0;
        }
    }
    return 0.0;
}

// Starts a peak-memory window. CPU: "5" in clear_refs resets the resident-set high-water mark
// (Linux >= 4.0); where that fails the peak counts from the process's start. CUDA: the caching
// allocator's peak of allocated bytes (weights, activations and the loop's tensors).
std::string startMemoryWindow(const c10::Device& device, double& baselineMiB)
{
    if (device.is_cuda()) {
#ifdef KINORA_BENCH_CUDA_MEMORY
        namespace allocator = c10::cuda::CUDACachingAllocator;
        const c10::DeviceIndex index = device.has_index() ? device.index() : 0;
        allocator::resetPeakStats(index);
        baselineMiB = static_cast<double>(allocator::getDeviceStats(index).allocated_bytes[0].current) / kMiB;
        return "cuda allocator";
#else
        baselineMiB = 0;
        return "unavailable (this LibTorch has no c10_cuda)";
#endif
    }
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    baselineMiB = procStatusMiB("VmRSS");
    return clear.good() ? "rss" : "rss since start";
}

double peakMemoryMiB(const c10::Device& device)
{
    if (device.is_cuda()) {
#ifdef KINORA_BENCH_CUDA_MEMORY
        const c10::DeviceIndex index = device.has_index() ? device.index() : 0;
        return static_cast<double>(
                   c10::cuda::CUDACachingAllocator::getDeviceStats(index).allocated_bytes[0].peak)
            / kMiB;
#else
        return 0.0;
#endif
    }
    return procStatusMiB("VmHWM");
}

// The prediction's inputs exactly as the sampling loop builds them: a state of the clip's latent
// shape, the request's text conditioning and an all-unknown conditioning.
struct ForwardInputs {
    at::Tensor x;
    std::unique_ptr<TextConditioning> text;
    LatentConditioning known;
};

ForwardInputs forwardInputs(VideoModel& model, const DiffusionRequest& r)
{
    c10::InferenceMode inference;
    ForwardInputs in;
    in.text = model.encodeText(r.prompt, r.negativePrompt);
    in.known = encodeKnown(model, {}, {}, r.frames, r.height, r.width);
    in.x = torch::randn(in.known.latent.sizes(), torch::TensorOptions(model.device()).dtype(torch::kFloat32));
    return in;
}

// Each call timed on its own, synchronised on CUDA: the loop waits for every step too (its preview).
// One call is the step's whole guided prediction (one batch of 2 or two passes, as the family does).
void timeForwards(VideoModel& model, const ForwardInputs& in, double guidance, int calls,
    const c10::Device& device, std::vector<double>* samples)
{
    c10::InferenceMode inference;
    for (int i = 0; i < calls; ++i) {
        synchronize(device);
        const auto start = Clock::now();
        model.predict(in.x, 500.0, *in.text, in.known, guidance);
        synchronize(device);
        if (samples)
            samples->push_back(msBetween(start, Clock::now()));
    }
}

// One decode of a whole clip's latents, with the family's own chunking.
double timeDecode(VideoModel& model, const ForwardInputs& in, const c10::Device& device)
{
    c10::InferenceMode inference;
    synchronize(device);
    const auto start = Clock::now();
    model.decode(in.x, 0, 0, {});
    synchronize(device);
    return msBetween(start, Clock::now());
}

// Cancels one run `afterSteps` step times after its first step and returns the time from the
// store to runDiffusion throwing, or a negative value when the run finished first.
double cancelLatencyMs(VideoModel& model, DiffusionRequest request, double afterSteps, double stepMs)
{
    request.steps = kCancelRunSteps;
    std::atomic<bool> cancel { false };
    Clock::time_point storedAt;
    Clock::time_point caughtAt;
    bool caught = false;
    {
        std::jthread canceller; // joined before storedAt is read, also when runDiffusion throws
        PipelineCallbacks callbacks;
        callbacks.isCancelled = [&cancel] { return cancel.load(std::memory_order_acquire); };
        callbacks.onStep = [&](const StepUpdate& update) {
            if (update.step != 1)
                return;
            const auto when = Clock::now()
                + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double, std::milli>(afterSteps * stepMs));
            canceller = std::jthread([&cancel, &storedAt, when] {
                std::this_thread::sleep_until(when);
                storedAt = Clock::now();
                cancel.store(true, std::memory_order_release);
            });
        };
        try {
            runDiffusion(model, request, callbacks);
        } catch (const PipelineCancelled&) {
            caughtAt = Clock::now();
            caught = true;
        }
    }
    return caught ? msBetween(storedAt, caughtAt) : -1.0;
}

BenchRun runOne(VideoModel& model, const BenchOptions& o, const Log& log)
{
    const auto device = model.device();
    BenchRun run;
    run.device = model.deviceName();
    run.dtype = model.precision() == "bf16" ? "bfloat16"
        : model.precision() == "fp16"       ? "float16"
                                            : "float32";
    TaskRequest task; // text-to-video at the pack's defaults, with the bench's size and steps
    task.prompt = kPrompt;
    task.width = o.width;
    task.height = o.height;
    task.frames = o.frames;
    task.steps = o.steps;
    const auto resolved = resolveTask(model.manifest(), task);
    // A family with temporal compression makes 1 + c·n frames: the next such count.
    auto request = windowRequest(resolved, model.geometry().fitFrames(resolved.frames));
    run.width = request.width;
    run.height = request.height;
    run.frames = request.frames;
    run.steps = request.steps;
    run.batch = request.guidance != 1.0 ? 2 : 1;
    run.parameters = model.parameterCounts().at("total");
    run.weightsMiB = static_cast<double>(model.weightBytes()) / kMiB;
    const std::string name = run.device + " " + run.dtype;
    const auto inputs = forwardInputs(model, request);

    log(name + ": warming up");
    timeForwards(model, inputs, request.guidance, o.warmup, device, nullptr);
    if (o.warmup > 0) { // the text encoder, VAE decode and the loop's own kernels, once
        auto brief = request;
        brief.steps = 2;
        runDiffusion(model, brief);
    }

    // Half the forward timings before the sampling run and half after, so that a drift in the
    // machine's speed (another process, clocks) weighs on both sides of the comparison alike.
    const int calls = std::max(o.steps, 4);
    log(name + ": timing " + std::to_string(calls) + " denoiser forwards and a " + std::to_string(o.steps)
        + "-step sampling run");
    timeForwards(model, inputs, request.guidance, calls / 2, device, &run.forwardSamplesMs);
    std::vector<Clock::time_point> stepTimes;
    PipelineCallbacks callbacks;
    callbacks.onStep = [&stepTimes](const StepUpdate&) { stepTimes.push_back(Clock::now()); };
    synchronize(device);
    run.memoryKind = startMemoryWindow(device, run.baselineMemoryMiB);
    const auto start = Clock::now();
    runDiffusion(model, request, callbacks);
    synchronize(device);
    run.runMs = msBetween(start, Clock::now());
    run.peakMemoryMiB = peakMemoryMiB(device);
    timeForwards(model, inputs, request.guidance, calls - calls / 2, device, &run.forwardSamplesMs);
    log(name + ": timing a decode of the whole clip");
    run.decodeMs = timeDecode(model, inputs, device);
    run.decodeMsPerFrame = run.decodeMs / run.frames;

    run.forwardMs = median(run.forwardSamplesMs);
    for (std::size_t i = 1; i < stepTimes.size(); ++i)
        run.stepSamplesMs.push_back(msBetween(stepTimes[i - 1], stepTimes[i]));
    run.stepMs = median(run.stepSamplesMs);
    run.samplingMs = msBetween(stepTimes.front(), stepTimes.back());
    run.overheadMeasured = 1.0 - run.forwardMs / run.stepMs;
    run.overhead = std::clamp(run.overheadMeasured, 0.0, 1.0);

    for (std::size_t i = 0; i < std::size(kCancelAt); ++i) {
        log(name + ": cancel " + std::to_string(i + 1) + "/" + std::to_string(std::size(kCancelAt)));
        const double latency = cancelLatencyMs(model, request, kCancelAt[i], run.stepMs);
        if (latency >= 0)
            run.cancelLatencyMs.push_back(latency);
        else
            log(name + ": a cancel request came after its run had finished; not counted");
    }
    run.cancelMeanMs = mean(run.cancelLatencyMs);
    run.cancelMaxMs = run.cancelLatencyMs.empty()
        ? 0.0
        : *std::max_element(run.cancelLatencyMs.begin(), run.cancelLatencyMs.end());
    run.cancelMaxSteps = run.stepMs > 0 ? run.cancelMaxMs / run.stepMs : 0.0;
    return run;
}

} // namespace

BenchReport runBench(const BenchOptions& o, const std::function<void(const std::string&)>& log)
{
    const auto make
        = [&o](const std::string& device, const std::string& precision) -> std::unique_ptr<VideoModel> {
        if (!o.modelDir.empty())
            return loadPack(o.modelDir, device, precision);
        auto model = createNativeModel(o.config, 0); // on the CPU in fp32
        moveNativeModel(model, c10::Device(device), precision);
        return std::make_unique<NativeVideoModel>(std::move(model));
    };
    return runBench(o, make, log);
}

BenchReport runBench(const BenchOptions& o, const BenchModelMaker& makeModel,
    const std::function<void(const std::string&)>& log)
{
    if (o.steps < 2)
        throw std::invalid_argument(
            "the benchmark needs at least 2 sampling steps: the loop is timed between its steps");
    if (o.warmup < 0 || o.width < 0 || o.height < 0 || o.frames < 0)
        throw std::invalid_argument("the warm-up count, the size and the frame count must not be negative");
    const Log say = [&log](const std::string& line) {
        if (log)
            log(line);
    };
    // Before anything slow: a device that cannot be used fails at once.
    const auto deviceName = resolveDevice(parseDevicePreference(o.device));
    const c10::Device device(deviceName);
    BenchReport report;
    // Measured first, before this process's own threads have anything to do.
    say("measuring what else keeps this machine busy (0.5 s)");
    report.othersCpuShare = busyCpuShare();
    report.cpus = static_cast<int>(std::thread::hardware_concurrency());
    // Other processes competing for the cores make every time here unreliable; say so.
    if (report.othersCpuShare > 0.2)
        report.notes.push_back("the machine was busy: other processes used "
            + std::to_string(static_cast<int>(std::lround(100 * report.othersCpuShare))) + "% of its "
            + std::to_string(report.cpus) + " CPUs just before the benchmark, so the times are unreliable");
    say("preparing "
        + (o.modelDir.empty() ? "the " + o.config + " model (random weights)" : "the pack at " + o.modelDir));
    auto model = makeModel(deviceName, "fp32");

    const auto runtime = runtimeInfo();
    report.config = model->manifest().config;
    report.model = model->manifest().name;
    report.libtorchVersion = runtime.libtorchVersion;
    report.cpuThreads = runtime.cpuThreads;
    report.runs.push_back(runOne(*model, o, say));
    if (!device.is_cuda())
        report.notes.push_back(runtime.cudaAvailable
                ? "CUDA bf16 vs fp32: not run (the benchmark was asked to run on the CPU)"
                : "CUDA bf16 vs fp32: needs a GPU, and LibTorch finds none here");
    else if (!o.bf16)
        report.notes.push_back("CUDA bf16 vs fp32: not run (bf16 switched off)");
    else {
        model.reset(); // the fp32 weights go before the bf16 ones come
        model = makeModel(deviceName, "bf16");
        report.runs.push_back(runOne(*model, o, say));
    }
    return report;
}

} // namespace kinora::inference
