// The benchmark's report as text and JSON, apart from the measuring (bench.cpp): it needs no torch.

#include "kinora/inference/bench.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace kinora::inference {

namespace {

std::string fixed(double value, int decimals)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << value;
    return s.str();
}

std::string percent(double fraction)
{
    return fixed(100.0 * fraction, 1) + "%";
}

// A row of the table: a field of every run in a unit, and whether a bf16/fp32 ratio makes sense.
struct Row {
    const char* label;
    double BenchRun::*field;
    const char* unit; // "ms", "MiB", "%" or "" (a plain ratio)
    bool ratio;
};

constexpr Row kRows[] = {
    { "denoiser forward", &BenchRun::forwardMs, "ms", true },
    { "sampling step", &BenchRun::stepMs, "ms", true },
    { "pipeline overhead", &BenchRun::overhead, "%", false },
    { "whole run (with decode)", &BenchRun::runMs, "ms", true },
    { "VAE decode per frame", &BenchRun::decodeMsPerFrame, "ms", true },
    { "peak memory", &BenchRun::peakMemoryMiB, "MiB", true },
    { "  before sampling", &BenchRun::baselineMemoryMiB, "MiB", true },
    { "  weights", &BenchRun::weightsMiB, "MiB", true },
    { "cancel latency, mean", &BenchRun::cancelMeanMs, "ms", false },
    { "cancel latency, max", &BenchRun::cancelMaxMs, "ms", false },
    { "  max / sampling step", &BenchRun::cancelMaxSteps, "", false },
};

std::string cell(double value, const std::string& unit)
{
    if (unit == "%")
        return percent(value);
    if (unit.empty())
        return fixed(value, 2);
    return fixed(value, value < 10 ? 2 : 1) + " " + unit; // two decimals only where they matter
}

} // namespace

std::string formatBench(const BenchReport& report)
{
    if (report.runs.empty())
        return "no runs\n";
    std::ostringstream out;
    const auto& first = report.runs.front();
    out << "Kinora engine benchmark: " << report.model << " (config " << report.config << ", "
        << fixed(static_cast<double>(first.parameters) / 1e6, 2) << " M parameters)\n"
        << first.width << "x" << first.height << ", " << first.frames << " frames, " << first.steps
        << " steps, " << first.batch << " denoiser evaluation"
        << (first.batch == 2 ? "s per step (guidance)" : " per step") << "; LibTorch "
        << report.libtorchVersion << ", " << report.cpuThreads
        << " CPU threads; per-step times are medians\n\n";

    // One column per run and, with two runs (CUDA fp32 and bf16), their ratio.
    const bool ratio = report.runs.size() == 2;
    std::vector<std::vector<std::string>> rows;
    rows.push_back({ "" });
    for (const auto& run : report.runs)
        rows.back().push_back(run.device + " " + run.dtype);
    if (ratio)
        rows.back().push_back("bf16/fp32");
    for (const auto& row : kRows) {
        rows.push_back({ row.label });
        for (const auto& run : report.runs)
            rows.back().push_back(cell(run.*row.field, row.unit));
        if (ratio) {
            const double base = first.*row.field;
            rows.back().push_back(row.ratio && base > 0 ? fixed(report.runs[1].*row.field / base, 2) : "");
        }
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    for (const auto& row : rows) {
        out << row[0] << std::string(widths[0] - row[0].size(), ' ');
        for (std::size_t i = 1; i < row.size(); ++i)
            out << "   " << std::string(widths[i] - row[i].size(), ' ') << row[i];
        out << "\n";
    }

    out << "\n";
    for (const auto& run : report.runs) {
        out << run.device << " " << run.dtype << ": overhead " << percent(run.overhead)
            << " of the sampling time (measured " << percent(run.overheadMeasured) << ", target < "
            << percent(kBenchOverheadTarget) << ": "
            << (run.overhead < kBenchOverheadTarget ? "met" : "NOT met") << "); cancel within "
            << fixed(run.cancelMaxSteps, 2) << " of a step over " << run.cancelLatencyMs.size()
            << " cancels (target <= 1: " << (run.cancelMaxSteps <= 1.0 ? "met" : "NOT met")
            << "); memory: " << run.memoryKind << "\n";
    }
    for (const auto& note : report.notes)
        out << note << "\n";
    return out.str();
}

std::string formatBenchJson(const BenchReport& report)
{
    nlohmann::ordered_json json;
    json["config"] = report.config;
    json["model"] = report.model;
    json["libtorch_version"] = report.libtorchVersion;
    json["cpu_threads"] = report.cpuThreads;
    json["cpus"] = report.cpus;
    json["others_cpu_share"] = report.othersCpuShare;
    json["runs"] = nlohmann::ordered_json::array();
    for (const auto& r : report.runs) {
        json["runs"].push_back({ { "device", r.device }, { "dtype", r.dtype }, { "width", r.width },
            { "height", r.height }, { "frames", r.frames }, { "steps", r.steps }, { "batch", r.batch },
            { "parameters", r.parameters }, { "weights_mib", r.weightsMiB }, { "forward_ms", r.forwardMs },
            { "forward_samples_ms", r.forwardSamplesMs }, { "step_ms", r.stepMs },
            { "step_samples_ms", r.stepSamplesMs }, { "sampling_ms", r.samplingMs }, { "run_ms", r.runMs },
            { "decode_ms", r.decodeMs }, { "decode_ms_per_frame", r.decodeMsPerFrame },
            { "overhead", r.overhead }, { "overhead_measured", r.overheadMeasured },
            { "memory_kind", r.memoryKind }, { "peak_memory_mib", r.peakMemoryMiB },
            { "baseline_memory_mib", r.baselineMemoryMiB }, { "cancel_latency_ms", r.cancelLatencyMs },
            { "cancel_latency_mean_ms", r.cancelMeanMs }, { "cancel_latency_max_ms", r.cancelMaxMs },
            { "cancel_latency_max_steps", r.cancelMaxSteps } });
    }
    if (report.runs.size() == 2) {
        const auto ratio = [&](double BenchRun::*field) {
            const double base = report.runs[0].*field;
            return base > 0 ? report.runs[1].*field / base : 0.0;
        };
        json["bf16_vs_fp32"] = { { "forward", ratio(&BenchRun::forwardMs) },
            { "step", ratio(&BenchRun::stepMs) }, { "decode", ratio(&BenchRun::decodeMs) },
            { "peak_memory", ratio(&BenchRun::peakMemoryMiB) } };
    }
    json["notes"] = report.notes;
    return json.dump(2) + "\n";
}

} // namespace kinora::inference
