// kinora-wan-gpu-bench: Kinora's Wan 2.1 DiT and VAE timed on the weights and inputs that
// bench/wan_gpu/compare.py wrote, with the same protocol as compare.py's diffusers side (warm-up
// calls, then timed calls each synchronised, the allocator's peak reset before each phase), so
// that the two sides compare on one GPU. Prints one JSON object on stdout; progress on stderr.
// Not a test: bench/wan_gpu/README.md says how the device run uses it.

#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/wan_dit.h"
#include "kinora/inference/wan/wan_vae.h"
#include "kinora/inference/wan/wan_weights.h"

#include <torch/csrc/autograd/profiler_kineto.h>
#include <torch/torch.h>

// The caching allocator's statistics need c10_cuda, which only a CUDA LibTorch has (CMake defines
// KINORA_HAVE_C10_CUDA then, as for src/bench.cpp).
#if defined(KINORA_HAVE_C10_CUDA) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define KINORA_WAN_BENCH_CUDA_MEMORY 1
#endif

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace {

namespace wan = kinora::inference::wan;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr double kMiB = 1024.0 * 1024.0;

void log(const std::string& line)
{
    std::cerr << "[kinora-wan-gpu-bench] " << line << std::endl;
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void synchronize(const c10::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index() < 0 ? 0 : device.index());
}

// Peak and current bytes held by the caching allocator (what torch.cuda.max_memory_allocated
// reports on the Python side); zeros on the CPU.
struct Memory {
    static void resetPeak(const c10::Device& device)
    {
#ifdef KINORA_WAN_BENCH_CUDA_MEMORY
        if (device.is_cuda())
            c10::cuda::CUDACachingAllocator::resetPeakStats(device.index() < 0 ? 0 : device.index());
#else
        (void)device;
#endif
    }
    static double peakMiB(const c10::Device& device)
    {
        return stat(device, true);
    }
    static double currentMiB(const c10::Device& device)
    {
        return stat(device, false);
    }
    static void release(const c10::Device& device)
    {
#ifdef KINORA_WAN_BENCH_CUDA_MEMORY
        if (device.is_cuda())
            c10::cuda::CUDACachingAllocator::emptyCache();
#else
        (void)device;
#endif
    }

private:
    static double stat(const c10::Device& device, bool peak)
    {
#ifdef KINORA_WAN_BENCH_CUDA_MEMORY
        if (device.is_cuda()) {
            // getDeviceStats returns a copy: keep it alive while reading it.
            const auto stats
                = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index() < 0 ? 0 : device.index());
            const auto& bytes = stats.allocated_bytes[0];
            return static_cast<double>(peak ? bytes.peak : bytes.current) / kMiB;
        }
#endif
        (void)device;
        (void)peak;
        return 0.0;
    }
};

// Runs `call` warmup + iters times, each synchronised and timed; stops the timed calls early once
// `budgetS` seconds have gone (at least one timed call always runs).
json timeCalls(
    const c10::Device& device, int warmup, int iters, double budgetS, const std::function<void()>& call)
{
    std::vector<double> warm, timed;
    const auto phaseStart = Clock::now();
    for (int i = 0; i < warmup; ++i) {
        const auto start = Clock::now();
        call();
        synchronize(device);
        warm.push_back(secondsSince(start));
    }
    for (int i = 0; i < iters; ++i) {
        const auto start = Clock::now();
        call();
        synchronize(device);
        timed.push_back(secondsSince(start));
        if (secondsSince(phaseStart) > budgetS)
            break;
    }
    auto sorted = timed;
    std::sort(sorted.begin(), sorted.end());
    return json { { "warmup_s", warm }, { "times_s", timed },
        { "mean_s", std::accumulate(timed.begin(), timed.end(), 0.0) / double(timed.size()) },
        { "median_s", sorted[sorted.size() / 2] }, { "min_s", sorted.front() } };
}

// One call under the Kineto profiler (CPU ops, and CUDA kernels on a GPU), saved as a Chrome trace
// that compare.py sums per kernel beside diffusers' (same profiler, same aggregation).
void profileOnce(const c10::Device& device, const std::string& path, const std::function<void()>& call)
{
    namespace profiler = torch::autograd::profiler;
    using torch::profiler::impl::ActivityType;
    const torch::profiler::impl::ProfilerConfig config(torch::profiler::impl::ProfilerState::KINETO);
    std::set<ActivityType> activities { ActivityType::CPU };
    if (device.is_cuda())
        activities.insert(ActivityType::CUDA);
    profiler::prepareProfiler(config, activities);
    profiler::enableProfiler(config, activities);
    call();
    synchronize(device);
    profiler::disableProfiler()->save(path);
}

// Allows only the named SDPA backend ("flash", "cudnn", "efficient"; "" restores them all but
// math's, which LibTorch keeps as the fallback anyway), to time each kernel family on its own.
void allowOnlySdpa(const std::string& backend)
{
    auto& context = at::globalContext();
    const bool all = backend.empty();
    context.setSDPUseFlash(all || backend == "flash");
    context.setSDPUseCuDNN(all || backend == "cudnn");
    context.setSDPUseMemEfficient(all || backend == "efficient");
    context.setSDPUseMath(all);
}

c10::ScalarType parseDtype(const std::string& name)
{
    if (name == "bf16")
        return at::kBFloat16;
    if (name == "fp16")
        return at::kHalf;
    if (name == "fp32")
        return at::kFloat;
    throw CLI::ValidationError("dtype", "expected bf16, fp16 or fp32, got " + name);
}

// A strided sample of a result for compare.py's agreement check (the whole VAE output is ~400 MB).
at::Tensor sample(const at::Tensor& video)
{
    using torch::indexing::Slice;
    return video
        .index({ Slice(), Slice(), Slice(0, torch::indexing::None, 4), Slice(0, torch::indexing::None, 8),
            Slice(0, torch::indexing::None, 8) })
        .to(at::kCPU, at::kFloat)
        .contiguous();
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "Kinora's Wan 2.1 DiT and VAE timed on compare.py's weights and inputs (bench/wan_gpu)" };
    std::string ditFile, vaeFile, inputsFile, outputsFile, profileFile, deviceName = "cuda",
                                                                        ditDtypeName = "bf16";
    std::vector<std::string> vaeDtypes { "fp32" }, sdpaVariants;
    int ditWarmup = 2, ditIters = 5, vaeWarmup = 1, vaeIters = 2, threads = 0;
    int64_t numHeads = 12;
    double ditBudget = 60, vaeBudget = 60;
    bool vaeOutputOnCpu = false;
    app.add_option("--dit", ditFile, "DiT weights (safetensors, either naming)");
    app.add_option("--vae", vaeFile, "VAE weights (safetensors, either naming)");
    app.add_option("--inputs", inputsFile, "latent, timestep, context and vae_latent (compare.py writes it)")
        ->required();
    app.add_option("--outputs", outputsFile, "where to write the DiT output and a VAE output sample");
    app.add_option(
        "--profile-dit", profileFile, "after the timing, one DiT pass profiled into this Chrome trace");
    app.add_option("--sdpa-variants", sdpaVariants,
           "after the timing, DiT passes with only this SDPA backend allowed, each in turn (flash, cudnn, "
           "efficient)")
        ->delimiter(',');
    app.add_option("--device", deviceName, "cuda or cpu");
    app.add_option("--dit-dtype", ditDtypeName, "bf16, fp16 or fp32");
    app.add_option("--vae-dtypes", vaeDtypes, "the VAE's dtypes, each timed in turn")->delimiter(',');
    app.add_option("--num-heads", numHeads, "attention heads of the DiT (12 for the 1.3B)");
    app.add_option("--dit-warmup", ditWarmup);
    app.add_option("--dit-iters", ditIters);
    app.add_option("--vae-warmup", vaeWarmup);
    app.add_option("--vae-iters", vaeIters);
    app.add_option("--dit-budget-s", ditBudget, "stop the timed DiT passes after this long");
    app.add_option("--vae-budget-s", vaeBudget, "stop the timed VAE decodes after this long (per dtype)");
    app.add_option("--threads", threads, "intra-op threads on the CPU (0: LibTorch's default)");
    app.add_flag("--vae-output-cpu", vaeOutputOnCpu,
        "decode into a CPU tensor (Kinora's pipeline does) instead of the GPU");
    CLI11_PARSE(app, argc, argv);

    json report;
    int status = 0;
    std::map<std::string, at::Tensor> outputs;
    // One JSON line after each measured phase (compare.py reads the last whole one), the outputs
    // saved with it: a later phase that fails, or crashes the process, loses only itself.
    const auto emit = [&] {
        if (!outputsFile.empty() && !outputs.empty())
            kinora::inference::saveSafetensors(outputsFile, outputs);
        std::cout << report.dump() << std::endl;
    };
    try {
        if (threads > 0)
            torch::set_num_threads(threads);
        const c10::Device device(deviceName);
        if (device.is_cuda() && !torch::cuda::is_available())
            throw std::runtime_error("--device cuda, but this LibTorch sees no GPU");
        // The caching allocator's statistics exist only once CUDA is initialised: resetting them
        // first fails with "Invalid device argument" (the first device run did exactly that).
        if (device.is_cuda())
            torch::zeros({ 1 }, at::TensorOptions().device(device));
        report["device"] = deviceName;
        report["libtorch"] = TORCH_VERSION;
#ifdef KINORA_WAN_BENCH_CUDA_MEMORY
        report["memory"]
            = device.is_cuda() ? "cuda caching allocator, allocated bytes" : "not measured on the CPU";
#else
        report["memory"] = "not measured (no c10_cuda in this LibTorch)";
#endif
        const auto inputs = wan::WanWeights::open({ inputsFile });

        if (!ditFile.empty()) {
            const auto dtype = parseDtype(ditDtypeName);
            json dit;
            Memory::resetPeak(device);
            auto start = Clock::now();
            auto model = wan::loadWanDit(wan::WanWeights::open({ ditFile }), device, dtype, numHeads);
            synchronize(device);
            dit["load_s"] = secondsSince(start);
            dit["weights_mib"] = Memory::currentMiB(device);
            const auto& c = model->config();
            dit["config"] = { { "dim", c.dim }, { "layers", c.numLayers }, { "heads", c.numHeads },
                { "ffn", c.ffnDim } };
            const auto x = inputs.view("latent").to(device, dtype);
            const auto t = inputs.view("timestep").to(device);
            const auto context = inputs.view("context").to(device, dtype);
            dit["latent"] = x.sizes().vec();
            dit["tokens"] = x.size(2) / c.patch[0] * (x.size(3) / c.patch[1]) * (x.size(4) / c.patch[2]);
            log("DiT loaded in " + std::to_string(dit["load_s"].get<double>()) + " s; timing forward passes");
            Memory::resetPeak(device);
            at::Tensor out;
            dit["forward"] = timeCalls(device, ditWarmup, ditIters, ditBudget, [&] {
                c10::InferenceMode inference;
                out = model->forward(x, t, context);
            });
            dit["peak_mib"] = Memory::peakMiB(device);
            dit["step_s"] = 2.0 * dit["forward"]["median_s"].get<double>(); // CFG: two passes a step
            outputs["dit_out"] = out.to(at::kCPU, at::kFloat).contiguous();
            report["dit"] = dit;
            emit(); // the figures out before the diagnostics below, which cannot lose them then
            log("DiT forward median " + std::to_string(dit["forward"]["median_s"].get<double>()) + " s");
            // Whether another attention kernel would be faster here (the default choice is LibTorch's).
            for (const auto& backend : sdpaVariants) {
                try {
                    allowOnlySdpa(backend);
                    dit["sdpa"][backend] = timeCalls(device, 1, std::min(ditIters, 4), ditBudget, [&] {
                        c10::InferenceMode inference;
                        out = model->forward(x, t, context);
                    });
                } catch (const std::exception& e) {
                    dit["sdpa"][backend] = { { "error", std::string(e.what()).substr(0, 300) } };
                }
                allowOnlySdpa("");
            }
            if (!profileFile.empty()) {
                try {
                    profileOnce(device, profileFile, [&] {
                        c10::InferenceMode inference;
                        out = model->forward(x, t, context);
                    });
                    dit["profile"] = profileFile;
                } catch (const std::exception& e) {
                    dit["profile_error"] = e.what(); // a diagnostic only: the figures stand
                }
            }
            report["dit"] = dit;
            out = at::Tensor();
            model = nullptr;
            Memory::release(device);
        }

        if (!vaeFile.empty()) {
            for (const auto& name : vaeDtypes) {
                const auto dtype = parseDtype(name);
                json vae;
                auto start = Clock::now();
                auto model = wan::loadWanVae(wan::WanWeights::open({ vaeFile }), device, dtype);
                synchronize(device);
                vae["load_s"] = secondsSince(start);
                vae["weights_mib"] = Memory::currentMiB(device);
                const auto z = inputs.view("vae_latent").to(device, dtype);
                const c10::Device outputDevice = vaeOutputOnCpu ? c10::Device(c10::kCPU) : device;
                vae["output_device"] = outputDevice.str();
                log("VAE (" + name + ") loaded; timing decodes");
                Memory::resetPeak(device);
                at::Tensor video;
                vae["decode"] = timeCalls(device, vaeWarmup, vaeIters, vaeBudget, [&] {
                    c10::InferenceMode inference;
                    video = at::Tensor(); // the previous result is not held during the next decode
                    video = model->decode(z, {}, outputDevice);
                });
                vae["peak_mib"] = Memory::peakMiB(device);
                vae["frames"] = video.size(2);
                vae["video"] = video.sizes().vec();
                vae["per_frame_s"] = vae["decode"]["median_s"].get<double>() / double(video.size(2));
                outputs["vae_out_sample_" + name] = sample(video);
                report["vae_" + name] = vae;
                emit();
                log("VAE (" + name + ") decode median "
                    + std::to_string(vae["decode"]["median_s"].get<double>()) + " s");
                video = at::Tensor();
                model = nullptr;
                Memory::release(device);
            }
        }
    } catch (const std::exception& e) {
        report["error"] = e.what();
        log(std::string("error: ") + e.what());
        status = 1;
    }
    std::cout << report.dump() << std::endl;
    return status;
}
