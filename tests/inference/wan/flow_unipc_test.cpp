// Wan 2.1's sampling against diffusers (fixtures from scripts/wan_fixtures/make_scheduler.py): the
// sigma / timestep grids of UniPCMultistepScheduler(flow_prediction, use_flow_sigmas, flow_shift)
// and FlowMatchEulerDiscreteScheduler(shift), 10-step (shift 5) and 50-step (shift 3) traces of
// both driven by a synthetic state-dependent model, their add_noise / scale_noise, the loop
// (cancel, restart), inpainting's re-noised known region and the manifest's schedule.flow_grid.
// UniPC's order and moments on a closed-form Gaussian: flow_unipc_properties_test.cpp.
#include "kinora/inference/model_manifest.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/sampler.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

using kinora::inference::FlowGrid;
using kinora::inference::flowSteps;
using kinora::inference::NoiseLevel;
using kinora::inference::NoiseSchedule;
using kinora::inference::Prediction;
using kinora::inference::SafetensorsFile;
using kinora::inference::Sampler;
using kinora::inference::SamplerKind;

namespace {

const SafetensorsFile& fixture()
{
    static const SafetensorsFile file(std::string(KINORA_WAN_FIXTURES) + "/scheduler.safetensors");
    return file;
}

at::Tensor stored(const std::string& name)
{
    return fixture().load(name);
}

std::vector<double> valuesOf(const at::Tensor& t)
{
    const auto flat = t.to(torch::kFloat64).contiguous();
    return { flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel() };
}

std::string shiftKey(double shift)
{
    return std::to_string(static_cast<int>(shift)); // the fixture's shifts are whole: 1, 3, 5, 8, 12
}

double maxAbs(const at::Tensor& t)
{
    return t.abs().max().item<double>();
}

// The trace's model: v = A x (over the channels) + b t / 1000, t what the model is told.
at::Tensor syntheticModel(const at::Tensor& x, double timestep)
{
    static const at::Tensor a = stored("model.a");
    static const at::Tensor b = stored("model.b");
    return at::einsum("oc,bcthw->bothw", { a, x }) + b * (static_cast<float>(timestep) / 1000.0f);
}

struct Worst {
    double abs = 0.0;
    double rel = 0.0; // max |ours - theirs| / max |theirs|, per tensor
    void add(const at::Tensor& ours, const at::Tensor& theirs)
    {
        const double diff = maxAbs(ours - theirs);
        abs = std::max(abs, diff);
        rel = std::max(rel, diff / maxAbs(theirs));
    }
};

// Runs `name`'s trace (made at `shift`) twice: step by step from the fixture's own inputs (each
// step alone, its history that of the fixture's previous steps), and free-running from the
// fixture's start through our model (errors accumulate).
void expectTrace(const std::string& name, double shift, SamplerKind kind, FlowGrid grid)
{
    const auto inputs = stored(name + ".input");
    const auto outputs = stored(name + ".output");
    const auto samples = stored(name + ".sample");
    const int steps = static_cast<int>(inputs.size(0));
    Sampler sampler(kind, NoiseSchedule::flowMatching(), steps, { .shift = shift, .flowGrid = grid });
    const auto timesteps = valuesOf(stored(name + ".timesteps"));
    const auto sigmas = valuesOf(stored(name + ".sigmas"));
    for (int i = 0; i < steps; ++i) {
        EXPECT_EQ(sampler.timestep(i), timesteps[i]) << i;
        EXPECT_EQ(sampler.level(i).sigma, sigmas[i]) << i;
    }

    Worst forced;
    for (int i = 0; i < steps; ++i)
        forced.add(sampler.step(i, inputs[i], outputs[i], Prediction::Flow), samples[i]);

    Worst running;
    sampler.reset();
    auto x = stored("start");
    for (int i = 0; i < steps; ++i) {
        running.add(x, inputs[i]);
        const auto v = syntheticModel(x, sampler.timestep(i));
        running.add(v, outputs[i]);
        x = sampler.step(i, x, v, Prediction::Flow);
        running.add(x, samples[i]);
    }
    std::cerr << "[parity] " << name << " " << steps << " steps: step by step max abs " << forced.abs
              << " rel " << forced.rel << "; free-running max abs " << running.abs << " rel " << running.rel
              << "\n";
    ::testing::Test::RecordProperty(name + ".rel", std::to_string(std::max(forced.rel, running.rel)));
    if (kind == SamplerKind::FlowEuler) {
        EXPECT_EQ(forced.abs, 0.0); // x + (sigma_next - sigma) v: one float32 rounding each, as diffusers
    }
    EXPECT_LT(forced.rel, 1e-6);
    EXPECT_LT(running.rel, 1e-6);
}

} // namespace

// ---- Grids: the exact arrays diffusers hands the model and the solver ----

TEST(WanSchedulerGrid, SigmasAndTimestepsMatchDiffusers)
{
    double worstSigma = 0.0;
    for (auto [steps, shift] : std::vector<std::pair<int, double>> {
             { 50, 5.0 }, { 50, 3.0 }, { 4, 5.0 }, { 10, 8.0 }, { 1, 3.0 }, { 2, 1.0 }, { 30, 12.0 } }) {
        for (auto [name, grid, kind] : { std::tuple { "unipc", FlowGrid::DiffusersUniPC, SamplerKind::UniPC },
                 std::tuple { "euler", FlowGrid::DiffusersFlowMatchEuler, SamplerKind::FlowEuler } }) {
            const std::string key = std::string(name) + "." + std::to_string(steps) + "." + shiftKey(shift);
            const auto sigmas = valuesOf(stored(key + ".sigmas"));
            const auto timesteps = valuesOf(stored(key + ".timesteps"));
            const auto ours = flowSteps(grid, steps, shift);
            ASSERT_EQ(ours.sigmas.size(), sigmas.size()) << key;
            ASSERT_EQ(ours.timesteps.size(), timesteps.size()) << key;
            const Sampler sampler(
                kind, NoiseSchedule::flowMatching(), steps, { .shift = shift, .flowGrid = grid });
            for (size_t i = 0; i < sigmas.size(); ++i) {
                worstSigma = std::max(worstSigma, std::abs(ours.sigmas[i] - sigmas[i]));
                EXPECT_EQ(ours.sigmas[i], sigmas[i]) << key << " " << i; // float32 values, exactly
                EXPECT_EQ(sampler.level(static_cast<int>(i)).sigma, ours.sigmas[i]);
                EXPECT_EQ(sampler.level(static_cast<int>(i)).alpha, 1.0 - ours.sigmas[i]);
            }
            for (size_t i = 0; i < timesteps.size(); ++i) {
                // UniPC's are int64 (exact); FlowMatchEuler's are float32 sigma * 1000.
                EXPECT_EQ(ours.timesteps[i], timesteps[i]) << key << " " << i;
                EXPECT_EQ(sampler.timestep(static_cast<int>(i)), timesteps[i]);
            }
            EXPECT_EQ(ours.sigmas.back(), 0.0);
            EXPECT_EQ(sampler.initNoiseSigma(), 1.0); // diffusers' init_noise_sigma
        }
    }
    std::cerr << "[parity] flow grids: worst sigma difference " << worstSigma << "\n";
    ::testing::Test::RecordProperty("worstSigma", std::to_string(worstSigma));

    // The values quoted in wan21.md (Appendix E): the model is told integers, not sigma * 1000.
    const auto wan = flowSteps(FlowGrid::DiffusersUniPC, 4, 5.0);
    EXPECT_EQ(wan.timesteps, (std::vector<double> { 999, 937, 833, 625 }));
    EXPECT_NEAR(wan.sigmas[3], 0.625936, 1e-6);
    EXPECT_EQ(wan.sigmas[0], static_cast<double>(static_cast<float>(1.0 - 1e-6)));
    const auto fifty = flowSteps(FlowGrid::DiffusersUniPC, 50, 5.0);
    EXPECT_EQ(std::vector<double>(fifty.timesteps.end() - 3, fifty.timesteps.end()),
        (std::vector<double> { 244, 175, 96 }));

    // Kinora's own even grid is not diffusers' (it runs to t = 0 in steps + 1 even points and is
    // told fractional times): the grids exist because no single one reproduces both.
    const auto even = flowSteps(FlowGrid::Even, 4, 5.0);
    EXPECT_EQ(even.sigmas.front(), 1.0);
    EXPECT_NE(even.sigmas[3], wan.sigmas[3]);
    EXPECT_EQ(even.timesteps[1], 937.5);
    EXPECT_THROW(flowSteps(FlowGrid::Even, 0, 5.0), std::invalid_argument);
    EXPECT_THROW(flowSteps(FlowGrid::DiffusersUniPC, 10, 0.0), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::UniPC, NoiseSchedule::scaledLinear(), 10,
                     { .flowGrid = FlowGrid::DiffusersUniPC }),
        std::invalid_argument);
    EXPECT_EQ(kinora::inference::parseFlowGrid("diffusers-unipc"), FlowGrid::DiffusersUniPC);
    EXPECT_EQ(kinora::inference::parseSamplerKind("unipc"), SamplerKind::UniPC);
}

// ---- Traces: every step of diffusers' step() ----

TEST(WanSchedulerUniPC, TraceMatchesDiffusers)
{
    expectTrace("trace.unipc", 5.0, SamplerKind::UniPC, FlowGrid::DiffusersUniPC);
    // WanPipeline's 480p default: 50 steps at shift 3.
    expectTrace("trace50.unipc", 3.0, SamplerKind::UniPC, FlowGrid::DiffusersUniPC);
}

TEST(WanSchedulerEuler, TraceMatchesFlowMatchEuler)
{
    expectTrace("trace.euler", 5.0, SamplerKind::FlowEuler, FlowGrid::DiffusersFlowMatchEuler);
    expectTrace("trace50.euler", 3.0, SamplerKind::FlowEuler, FlowGrid::DiffusersFlowMatchEuler);
}

// ---- The loop: cancel, restart, history ----

TEST(FlowUniPCLoop, CancelledRunLeavesNoHistoryAndStepsOutOfOrderStartOver)
{
    Sampler sampler(SamplerKind::UniPC, NoiseSchedule::flowMatching(), 10,
        { .shift = 5.0, .flowGrid = FlowGrid::DiffusersUniPC });
    const auto start = stored("start");
    const auto full = kinora::inference::sample(sampler, start, syntheticModel, Prediction::Flow);
    EXPECT_LT(maxAbs(full - stored("trace.unipc.sample")[9]), 1e-5 * maxAbs(full));

    int calls = 0;
    kinora::inference::SampleOptions cancel;
    cancel.isCancelled = [&] { return calls == 3; };
    auto counting = [&](const at::Tensor& x, double t) {
        ++calls;
        return syntheticModel(x, t);
    };
    EXPECT_THROW(kinora::inference::sample(sampler, start, counting, Prediction::Flow, {}, cancel),
        kinora::inference::PipelineCancelled);
    EXPECT_EQ(calls, 3);
    std::vector<int> seen;
    kinora::inference::SampleOptions report;
    report.onStep = [&](int step, int total, const at::Tensor& preview) {
        EXPECT_EQ(total, 10);
        EXPECT_TRUE(preview.defined());
        seen.push_back(step);
    };
    EXPECT_TRUE(torch::equal(
        kinora::inference::sample(sampler, start, syntheticModel, Prediction::Flow, {}, report), full));
    EXPECT_EQ(seen, (std::vector<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }));

    // A step that does not follow the previous one is a first step: no corrector, first order.
    const auto x5 = stored("trace.unipc.input")[5];
    const auto v5 = stored("trace.unipc.output")[5];
    Sampler fresh(SamplerKind::UniPC, NoiseSchedule::flowMatching(), 10,
        { .shift = 5.0, .flowGrid = FlowGrid::DiffusersUniPC });
    const auto alone = fresh.step(5, x5, v5, Prediction::Flow);
    const NoiseLevel from = fresh.level(5);
    const NoiseLevel to = fresh.level(6);
    const auto x0 = x5 - v5 * from.sigma;
    const auto ddim = x0 * to.alpha + (x5 - x0 * from.alpha) * (to.sigma / from.sigma);
    EXPECT_LT(maxAbs(alone - ddim), 1e-5);
    EXPECT_TRUE(torch::equal(fresh.predictedX0(), x0));
    EXPECT_FALSE(torch::allclose(alone, stored("trace.unipc.sample")[5], 1e-4, 1e-4));
    // The last step lands on the model's x0.
    const auto x9 = stored("trace.unipc.input")[9];
    const auto v9 = stored("trace.unipc.output")[9];
    EXPECT_TRUE(torch::equal(fresh.step(9, x9, v9, Prediction::Flow), x9 - v9 * fresh.level(9).sigma));
}

// ---- Inpainting: the known region re-noised at each level is where the sampler puts it ----

// Data that is known exactly (a point mass at x0): the ideal flow model then outputs noise - x0 at
// every level, and a correct solver walks the noising path (1 - sigma) x0 + sigma noise exactly.
// So re-imposing the known region with addNoise after each step must change nothing there beyond
// rounding: a sampler or addNoise on another level would leave a seam at the mask's edge.
TEST(WanSchedulerInpainting, KnownRegionFollowsAddNoiseAtEveryLevel)
{
    const auto x0 = stored("trace.unipc.input")[3];
    const auto noise = stored("start");
    const auto mask = (at::arange(x0.numel()) % 3 == 0).reshape(x0.sizes()).to(torch::kFloat32);
    for (auto [kind, grid] : { std::pair { SamplerKind::UniPC, FlowGrid::DiffusersUniPC },
             std::pair { SamplerKind::FlowEuler, FlowGrid::DiffusersFlowMatchEuler } }) {
        Sampler sampler(kind, NoiseSchedule::flowMatching(), 10, { .shift = 5.0, .flowGrid = grid });
        // diffusers' add_noise (UniPC) and scale_noise (FlowMatchEuler) at each step's level.
        const auto theirs = stored(kind == SamplerKind::UniPC ? "noised.unipc" : "noised.euler");
        double worstNoised = 0.0;
        for (int i = 0; i < 10; ++i)
            worstNoised = std::max(worstNoised, maxAbs(sampler.addNoise(x0, noise, i) - theirs[i]));
        std::cerr << "[parity] addNoise " << (kind == SamplerKind::UniPC ? "unipc" : "flow-euler")
                  << " max abs " << worstNoised << "\n";
        EXPECT_EQ(worstNoised, 0.0); // alpha x0 + sigma noise in float32, as diffusers
        EXPECT_TRUE(torch::equal(sampler.addNoise(x0, noise, 10), x0));
        auto x = sampler.addNoise(x0, noise, 0);
        double worst = 0.0;
        for (int i = 0; i < 10; ++i) {
            const auto v = (x - x0) / sampler.level(i).sigma; // noise - x0, from the state
            x = sampler.step(i, x, v, Prediction::Flow);
            const auto known = sampler.addNoise(x0, noise, i + 1);
            worst = std::max(worst, maxAbs((x - known) * mask));
            x = known * mask + x * (1 - mask);
        }
        std::cout << "[inpaint] " << (kind == SamplerKind::UniPC ? "unipc" : "flow-euler")
                  << " worst distance of the state from the re-noised known region " << worst << "\n";
        EXPECT_LT(worst, 1e-5);
        EXPECT_LT(maxAbs(x - x0), 1e-5);
    }
}

// ---- The manifest: schedule.flow_grid and the "unipc" sampler, optional so older packs still read ----

TEST(WanSchedulerManifest, FlowGridIsOptionalCheckedAndReachesTheSampler)
{
    using kinora::inference::ModelPackError;
    using kinora::inference::parseModelManifest;
    using kinora::inference::samplerOptionsOf;
    auto j = nlohmann::json::parse(R"({
      "format_version": 1, "name": "flow-pack", "family": "kinora-native", "version": "0.0.1", "config": "tiny",
      "components": {"vae": "vae.safetensors", "denoiser": "denoiser.safetensors"},
      "latent": {"channels": 2, "spatial_compression": 4, "temporal_compression": 1},
      "schedule": {"kind": "flow", "shift": 5.0},
      "prediction": "flow",
      "defaults": {"width": 64, "height": 48, "frames": 16, "fps": 8, "steps": 4, "guidance": 5.0,
                   "sampler": "flow-euler"},
      "preview": {"latent_to_rgb": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]}
    })");
    // A manifest written before flow grids existed keeps Kinora's even grid, now with its shift.
    const auto old = parseModelManifest(j.dump(), "old");
    EXPECT_EQ(old.schedule.flowGrid, "even");
    EXPECT_EQ(samplerOptionsOf(old).flowGrid, FlowGrid::Even);
    EXPECT_EQ(samplerOptionsOf(old).shift, 5.0);

    j["schedule"]["flow_grid"] = "diffusers-unipc";
    j["defaults"]["sampler"] = "unipc";
    const auto wan = parseModelManifest(j.dump(), "wan");
    EXPECT_EQ(parseModelManifest(wan.toJson(), "again").schedule.flowGrid, "diffusers-unipc");
    const Sampler sampler(kinora::inference::parseSamplerKind(wan.defaults.sampler),
        kinora::inference::scheduleOf(wan), wan.defaults.steps, samplerOptionsOf(wan));
    EXPECT_EQ(sampler.timesteps(), (std::vector<double> { 999, 937, 833, 625 })); // wan21.md, Appendix E

    auto unknown = j;
    unknown["schedule"]["flow_grid"] = "wan";
    EXPECT_THROW(parseModelManifest(unknown.dump(), "unknown"), ModelPackError);
    auto vp = j;
    vp["schedule"] = { { "kind", "scaled_linear" }, { "shift", 2.0 }, { "flow_grid", "diffusers-euler" } };
    vp["prediction"] = "v";
    try {
        parseModelManifest(vp.dump(), "vp");
        ADD_FAILURE() << "a flow grid on a VP schedule was accepted";
    } catch (const ModelPackError& e) {
        EXPECT_NE(std::string(e.what()).find("flow-matching"), std::string::npos) << e.what();
    }
    // A VP manifest's shift (read but meaningless there) never reaches a sampler, which would refuse it.
    vp["schedule"].erase("flow_grid");
    EXPECT_EQ(samplerOptionsOf(parseModelManifest(vp.dump(), "vp")).shift, 1.0);
}
