// The engine benchmark's figures on the tiny config: every figure is measured and in range. Speed
// itself is never asserted (this is a benchmark, not a timed test).

#include "kinora/inference/bench.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace kinora::inference;

namespace {

BenchOptions tinyOptions()
{
    BenchOptions o;
    o.config = "tiny";
    o.device = "cpu";
    o.width = 16;
    o.height = 16;
    o.frames = 4;
    o.steps = 3;
    o.warmup = 1;
    return o;
}

} // namespace

TEST(Bench, TinyRunMeasuresEveryFigure)
{
    std::vector<std::string> progress;
    const auto report = runBench(tinyOptions(), [&](const std::string& line) { progress.push_back(line); });
    ASSERT_EQ(report.runs.size(), 1u);
    EXPECT_FALSE(progress.empty());
    const auto& run = report.runs[0];
    EXPECT_EQ(run.device, "cpu");
    EXPECT_EQ(run.dtype, "float32");
    EXPECT_EQ(run.width, 16);
    EXPECT_EQ(run.frames, 4);
    EXPECT_EQ(run.batch, 2); // the pack's guidance runs prompt and negative prompt together
    EXPECT_GT(run.parameters, 0);
    EXPECT_GT(run.weightsMiB, 0.0);
    EXPECT_GT(run.forwardMs, 0.0);
    EXPECT_EQ(run.forwardSamplesMs.size(), 4u);
    EXPECT_GT(run.stepMs, 0.0);
    EXPECT_GT(run.samplingMs, 0.0);
    EXPECT_GE(run.runMs, run.samplingMs);
    EXPECT_GE(run.overhead, 0.0);
    EXPECT_LT(run.overhead, 1.0);
    EXPECT_LT(run.overheadMeasured, 1.0);
    EXPECT_GT(run.peakMemoryMiB, 0.0);
    EXPECT_GE(run.peakMemoryMiB, run.weightsMiB);
    ASSERT_EQ(run.cancelLatencyMs.size(), 3u); // every cancel request stopped its run
    for (const double latency : run.cancelLatencyMs)
        EXPECT_GE(latency, 0.0);
    EXPECT_GE(run.cancelMaxMs, run.cancelMeanMs);
    EXPECT_EQ(run.stepSamplesMs.size(), 2u);
    // Without a GPU the report says why there is no bf16 comparison.
    EXPECT_TRUE(std::any_of(report.notes.begin(), report.notes.end(),
        [](const std::string& note) { return note.find("bf16") != std::string::npos; }));

    const auto table = formatBench(report);
    for (const char* row : { "denoiser forward", "pipeline overhead", "peak memory", "cancel latency" })
        EXPECT_NE(table.find(row), std::string::npos) << row << "\n" << table;
    const auto json = nlohmann::json::parse(formatBenchJson(report));
    ASSERT_EQ(json.at("runs").size(), 1u);
    EXPECT_DOUBLE_EQ(json["runs"][0].at("forward_ms").get<double>(), run.forwardMs);
    EXPECT_EQ(json["runs"][0].at("cancel_latency_ms").size(), 3u);
}

TEST(Bench, RefusesTooFewStepsToTimeTheLoop)
{
    auto o = tinyOptions();
    o.steps = 1;
    EXPECT_THROW(runBench(o), std::invalid_argument);
}
