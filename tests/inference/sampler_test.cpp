#include "kinora/inference/sampler.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

using kinora::inference::invert;
using kinora::inference::ModelFn;
using kinora::inference::NoiseLevel;
using kinora::inference::NoiseSchedule;
using kinora::inference::Prediction;
using kinora::inference::Sampler;
using kinora::inference::SamplerKind;
using kinora::inference::SamplerOptions;

// Every check below uses data x0 ~ N(mu, s^2), per element, for which the exact answers are closed
// form: with x = alpha x0 + sigma eps,
//   E[x0 | x] = mu + alpha s^2 / (alpha^2 s^2 + sigma^2) (x - alpha mu)      (the ideal denoiser)
// and the probability-flow ODE (the same for VP and flow matching, since both move the marginals
// N(alpha mu, alpha^2 s^2 + sigma^2) monotonically) keeps z = (x - alpha mu) / sqrt(alpha^2 s^2 + sigma^2).
// s differs from the noise's 1 so that mixing up data and noise cannot pass.
namespace {

constexpr double kMu = 1.0;
constexpr double kStd = 1.5;

at::Tensor idealX0(const at::Tensor& x, NoiseLevel level)
{
    const double a = level.alpha;
    const double s2 = kStd * kStd;
    return (x - a * kMu) * (a * s2 / (a * a * s2 + level.sigma * level.sigma)) + kMu;
}

// The ideal model's output in each parameterization, from the definitions.
at::Tensor idealOutput(Prediction prediction, const at::Tensor& x, NoiseLevel level)
{
    const auto x0 = idealX0(x, level);
    const auto eps = (x - x0 * level.alpha) / level.sigma;
    switch (prediction) {
    case Prediction::Epsilon:
        return eps;
    case Prediction::V:
        return eps * level.alpha - x0 * level.sigma;
    case Prediction::Sample:
        return x0;
    case Prediction::Flow:
        return eps - x0;
    }
    return {};
}

ModelFn idealModel(const NoiseSchedule& schedule, Prediction prediction)
{
    return [schedule, prediction](const at::Tensor& x, double timestep) {
        return idealOutput(prediction, x, schedule.level(timestep));
    };
}

double spread(NoiseLevel level)
{
    return std::sqrt(level.alpha * level.alpha * kStd * kStd + level.sigma * level.sigma);
}

// The exact probability-flow ODE solution from level `from` to level `to`.
at::Tensor exactFlow(const at::Tensor& x, NoiseLevel from, NoiseLevel to)
{
    return (x - from.alpha * kMu) * (spread(to) / spread(from)) + to.alpha * kMu;
}

at::Generator seeded(uint64_t seed)
{
    return at::make_generator<at::CPUGeneratorImpl>(seed);
}

// n draws rescaled to mean 0 and variance 1 exactly. A deterministic sampler with the ideal model
// is an affine map, so with these its output moments carry the sampler's error alone, not the
// ~1% sampling error of the draws.
at::Tensor standardNoise(int64_t n, uint64_t seed, at::ScalarType dtype)
{
    auto z = at::randn({ n }, seeded(seed), torch::TensorOptions().dtype(torch::kFloat64));
    z = (z - z.mean()) / z.std(/*unbiased=*/false);
    return z.to(dtype);
}

// The exact marginal at the sampler's first level. It is the pure noise the app starts from when
// the terminal SNR is zero (flow, zero-terminal-SNR) and nearly so for cosine (alpha ~5e-5).
at::Tensor startFrom(const Sampler& sampler, const at::Tensor& z)
{
    const NoiseLevel first = sampler.level(0);
    return z * spread(first) + first.alpha * kMu;
}

struct Moments {
    double meanError; // relative to mu
    double varianceError; // relative to s^2
};

Moments momentsOf(const at::Tensor& samples)
{
    const auto x = samples.to(torch::kFloat64);
    const double mean = x.mean().item<double>();
    const double variance = x.var(/*unbiased=*/false).item<double>();
    return { (mean - kMu) / kMu, (variance - kStd * kStd) / (kStd * kStd) };
}

struct MomentsCase {
    std::string name;
    SamplerKind kind;
    SamplerOptions options;
    std::string schedule; // "cosine", "sd", "sd-ztsnr", "flow"
    Prediction prediction;
    int steps;
};

void PrintTo(const MomentsCase& c, std::ostream* os)
{
    *os << c.name;
}

NoiseSchedule scheduleNamed(const std::string& name)
{
    if (name == "cosine")
        return NoiseSchedule::cosine();
    if (name == "sd")
        return NoiseSchedule::scaledLinear();
    if (name == "sd-ztsnr")
        return NoiseSchedule::scaledLinear().withZeroTerminalSnr();
    return NoiseSchedule::flowMatching();
}

// Least-squares slope of log(error) against log(steps), negated: the observed order.
double fittedOrder(const std::vector<int>& steps, const std::vector<double>& errors)
{
    double mx = 0;
    double my = 0;
    for (size_t k = 0; k < steps.size(); ++k) {
        mx += std::log(steps[k]) / steps.size();
        my += std::log(errors[k]) / errors.size();
    }
    double sxy = 0;
    double sxx = 0;
    for (size_t k = 0; k < steps.size(); ++k) {
        sxy += (std::log(steps[k]) - mx) * (std::log(errors[k]) - my);
        sxx += (std::log(steps[k]) - mx) * (std::log(steps[k]) - mx);
    }
    return -sxy / sxx;
}

} // namespace

// ---- Deterministic samplers turn noise into the data distribution ----

class SamplerMoments : public ::testing::TestWithParam<MomentsCase> { };

// 20000 samples in float32 through sample(). Second-order DPM-Solver++ is held to 2% at 50 steps.
// The first-order rules have an O(1/steps) error that on this data is 5-6% of the variance at 50
// steps (mostly the last step's shrink to the posterior mean), so they are held to 2% at 250.
TEST_P(SamplerMoments, MatchTheDataMeanAndVariance)
{
    const MomentsCase& c = GetParam();
    const auto schedule = scheduleNamed(c.schedule);
    Sampler sampler(c.kind, schedule, c.steps, c.options);
    const auto x = startFrom(sampler, standardNoise(20000, 1234, torch::kFloat32));
    const auto out = kinora::inference::sample(sampler, x, idealModel(schedule, c.prediction), c.prediction);
    ASSERT_EQ(out.scalar_type(), torch::kFloat32);
    const Moments m = momentsOf(out);
    std::cout << "[moments] " << c.name << " steps=" << c.steps << " mean " << m.meanError << " variance "
              << m.varianceError << "\n";
    EXPECT_LT(std::abs(m.meanError), 0.02);
    EXPECT_LT(std::abs(m.varianceError), 0.02);
}

INSTANTIATE_TEST_SUITE_P(Deterministic, SamplerMoments,
    ::testing::Values(
        MomentsCase { "DdimEpsCosine", SamplerKind::Ddim, {}, "cosine", Prediction::Epsilon, 250 },
        MomentsCase { "DdimVZeroSnr", SamplerKind::Ddim, {}, "sd-ztsnr", Prediction::V, 250 },
        MomentsCase { "DdimSampleCosine", SamplerKind::Ddim, {}, "cosine", Prediction::Sample, 250 },
        MomentsCase { "DdimFlow", SamplerKind::Ddim, { .shift = 3.0 }, "flow", Prediction::Flow, 250 },
        MomentsCase { "EulerEpsCosine", SamplerKind::Euler, {}, "cosine", Prediction::Epsilon, 250 },
        MomentsCase { "EulerVZeroSnr", SamplerKind::Euler, {}, "sd-ztsnr", Prediction::V, 250 },
        MomentsCase {
            "EulerKarrasSample", SamplerKind::Euler, { .karras = true }, "sd", Prediction::Sample, 250 },
        MomentsCase { "DpmEpsCosine", SamplerKind::DpmSolver2M, {}, "cosine", Prediction::Epsilon, 50 },
        MomentsCase { "DpmVZeroSnr", SamplerKind::DpmSolver2M, {}, "sd-ztsnr", Prediction::V, 50 },
        MomentsCase { "DpmSampleCosine", SamplerKind::DpmSolver2M, {}, "cosine", Prediction::Sample, 50 },
        MomentsCase {
            "DpmKarrasEps", SamplerKind::DpmSolver2M, { .karras = true }, "sd", Prediction::Epsilon, 50 },
        MomentsCase { "DpmKarrasV", SamplerKind::DpmSolver2M, { .karras = true }, "sd", Prediction::V, 50 },
        MomentsCase {
            "DpmFlowShift3", SamplerKind::DpmSolver2M, { .shift = 3.0 }, "flow", Prediction::Flow, 50 },
        MomentsCase { "FlowEuler", SamplerKind::FlowEuler, {}, "flow", Prediction::Flow, 250 },
        MomentsCase {
            "FlowEulerShift3", SamplerKind::FlowEuler, { .shift = 3.0 }, "flow", Prediction::Flow, 250 },
        MomentsCase { "FlowEulerSample", SamplerKind::FlowEuler, {}, "flow", Prediction::Sample, 250 }),
    [](const ::testing::TestParamInfo<MomentsCase>& test) { return test.param.name; });

// ---- Stochastic samplers ----

namespace {

// 1000 steps: DDPM's chain with the ideal denoiser under-disperses by O(1/steps) (it drops
// Var[x0 | x_t] from each transition; about 0.5% of the variance at 1000 steps on this data). The
// n = 32000 draws (below ATen's parallel grain, so no thread hand-offs on a busy 2-core machine)
// add a standard error of s / sqrt(n) = 0.84% of mu to the mean and sqrt(2 / n) = 0.79% to the
// variance: mean within 3.5% (4 standard errors), variance within 4% (the bias plus 4).
// Every amount of fresh noise (any DDIM eta) keeps the marginals right, so the amount is checked
// through the joint law instead: an ancestral sampler runs the forward chain backwards, so the
// state a quarter of the way in and the result correlate as the forward process makes them,
// alpha s / sqrt(alpha^2 s^2 + sigma^2) (a deterministic sampler gives 1). Standard error ~0.004.
void expectStochasticMoments(SamplerKind kind, const NoiseSchedule& schedule, Prediction prediction)
{
    Sampler sampler(kind, schedule, 1000);
    const auto model = idealModel(schedule, prediction);
    auto x
        = startFrom(sampler, at::randn({ 32000 }, seeded(99), torch::TensorOptions().dtype(torch::kFloat32)));
    auto generator = seeded(5);
    const int quarter = sampler.steps() / 4;
    at::Tensor atQuarter;
    for (int i = 0; i < sampler.steps(); ++i) {
        if (i == quarter)
            atQuarter = x.to(torch::kFloat64);
        x = sampler.step(i, x, model(x, sampler.timestep(i)), prediction, generator);
    }
    const Moments m = momentsOf(x);
    const auto a = atQuarter - atQuarter.mean();
    const auto b = x.to(torch::kFloat64) - x.to(torch::kFloat64).mean();
    const double correlation = ((a * b).sum() / (a.square().sum() * b.square().sum()).sqrt()).item<double>();
    const NoiseLevel level = sampler.level(quarter);
    const double expected = level.alpha * kStd / spread(level);
    std::cout << "[moments] stochastic mean " << m.meanError << " variance " << m.varianceError
              << " correlation " << correlation << " (forward process " << expected << ")\n";
    EXPECT_LT(std::abs(m.meanError), 0.035);
    EXPECT_LT(std::abs(m.varianceError), 0.04);
    EXPECT_NEAR(correlation, expected, 0.02);
}

} // namespace

TEST(SamplerStochastic, DdpmReproducesTheDataAndTheForwardChain)
{
    expectStochasticMoments(SamplerKind::Ddpm, NoiseSchedule::cosine(), Prediction::Epsilon);
}

TEST(SamplerStochastic, EulerAncestralReproducesTheDataAndTheForwardChain)
{
    expectStochasticMoments(
        SamplerKind::EulerAncestral, NoiseSchedule::scaledLinear().withZeroTerminalSnr(), Prediction::V);
}

TEST(SamplerStochastic, SameSeedIsBitIdenticalAndAnotherSeedDiffers)
{
    const auto schedule = NoiseSchedule::scaledLinear();
    for (SamplerKind kind : { SamplerKind::Ddpm, SamplerKind::EulerAncestral, SamplerKind::Ddim }) {
        const SamplerOptions options
            = kind == SamplerKind::Ddim ? SamplerOptions { .eta = 0.5 } : SamplerOptions {};
        auto run = [&](uint64_t seed) {
            Sampler sampler(kind, schedule, 20, options);
            auto gen = seeded(seed);
            const auto x = at::randn({ 1000 }, gen, torch::TensorOptions().dtype(torch::kFloat32));
            return kinora::inference::sample(
                sampler, x, idealModel(schedule, Prediction::Epsilon), Prediction::Epsilon, gen);
        };
        const auto first = run(42);
        EXPECT_TRUE(torch::equal(first, run(42))) << static_cast<int>(kind);
        EXPECT_FALSE(torch::allclose(first, run(43))) << static_cast<int>(kind);
    }
    Sampler sampler(SamplerKind::Ddpm, schedule, 20);
    const auto x = torch::zeros({ 4 });
    EXPECT_THROW(sampler.step(0, x, x, Prediction::Epsilon), std::invalid_argument);
}

// ---- Convergence order against the exact ODE solution ----

namespace {

struct OrderCase {
    SamplerKind kind;
    SamplerOptions options;
    NoiseSchedule schedule;
    Prediction prediction;
};

// Max error over 64 fixed noise values after running the sampler from level 0 to the measured
// level, in float64. Even grids are measured at their half-way level (train step 499 of the VP
// grids, t = shift(1/2) of flow), Karras grids at their smallest sigma: the final jump to sigma 0 is
// an infinite log-SNR step that no solver takes to its order, so it would hide the order of the rest.
double odeError(const OrderCase& c, int steps)
{
    Sampler sampler(c.kind, c.schedule, steps, c.options);
    const int measured = c.options.karras ? steps - 1 : steps / 2;
    const auto z = at::randn({ 64 }, seeded(2024), torch::TensorOptions().dtype(torch::kFloat64));
    const auto start = startFrom(sampler, z);
    auto x = start;
    for (int i = 0; i < measured; ++i) {
        const auto output = idealOutput(c.prediction, x, sampler.level(i));
        x = sampler.step(i, x, output, c.prediction);
    }
    const auto exact = exactFlow(start, sampler.level(0), sampler.level(measured));
    return (x - exact).abs().max().item<double>();
}

double measuredOrder(const OrderCase& c, const char* name)
{
    const std::vector<int> steps = { 10, 20, 40, 80 };
    std::vector<double> errors;
    for (int n : steps)
        errors.push_back(odeError(c, n));
    const double order = fittedOrder(steps, errors);
    std::cout << "[order] " << name << " errors";
    for (double e : errors)
        std::cout << " " << e;
    std::cout << " fitted order " << order << "\n";
    return order;
}

} // namespace

TEST(SamplerOrder, FirstOrderRulesConvergeLinearly)
{
    const auto sd = NoiseSchedule::scaledLinear();
    EXPECT_NEAR(measuredOrder({ SamplerKind::Ddim, {}, sd, Prediction::Epsilon }, "ddim"), 1.0, 0.12);
    EXPECT_NEAR(measuredOrder({ SamplerKind::Euler, {}, sd, Prediction::V }, "euler"), 1.0, 0.12);
    EXPECT_NEAR(
        measuredOrder({ SamplerKind::Euler, { .karras = true }, sd, Prediction::Sample }, "euler-karras"),
        1.0, 0.12);
    EXPECT_NEAR(measuredOrder({ SamplerKind::FlowEuler, { .shift = 3.0 }, NoiseSchedule::flowMatching(),
                                  Prediction::Flow },
                    "flow-euler-shift3"),
        1.0, 0.12);
}

TEST(SamplerOrder, DpmSolverPlusPlus2MConvergesQuadratically)
{
    const auto sd = NoiseSchedule::scaledLinear();
    EXPECT_NEAR(
        measuredOrder({ SamplerKind::DpmSolver2M, {}, sd, Prediction::Epsilon }, "dpm++2m"), 2.0, 0.25);
    EXPECT_NEAR(
        measuredOrder({ SamplerKind::DpmSolver2M, { .karras = true }, sd, Prediction::V }, "dpm++2m-karras"),
        2.0, 0.25);
    EXPECT_NEAR(measuredOrder({ SamplerKind::DpmSolver2M, { .shift = 3.0 }, NoiseSchedule::flowMatching(),
                                  Prediction::Flow },
                    "dpm++2m-flow-shift3"),
        2.0, 0.25);
}

// ---- Inversion, zero terminal SNR, grids and the loop ----

// Inverting 50 steps and sampling again returns the data; each fixed-point iteration of invert()
// shrinks the round-trip error by a factor of about 20 here (the explicit backward step alone,
// the usual "DDIM inversion", leaves about 0.1).
TEST(SamplerInversion, DdimInvertsAndRegeneratesTheLatent)
{
    struct Case {
        SamplerKind kind;
        SamplerOptions options;
        NoiseSchedule schedule;
        Prediction prediction;
    };
    const std::vector<Case> cases = {
        { SamplerKind::Ddim, {}, NoiseSchedule::scaledLinear().withZeroTerminalSnr(), Prediction::V },
        { SamplerKind::Euler, { .karras = true }, NoiseSchedule::scaledLinear(), Prediction::Epsilon },
        { SamplerKind::FlowEuler, { .shift = 3.0 }, NoiseSchedule::flowMatching(), Prediction::Flow },
    };
    for (const auto& c : cases) {
        Sampler sampler(c.kind, c.schedule, 50, c.options);
        const auto model = idealModel(c.schedule, c.prediction);
        const auto data
            = at::randn({ 256 }, seeded(8), torch::TensorOptions().dtype(torch::kFloat64)) * kStd + kMu;
        auto roundTrip = [&](int iterations) {
            const auto latent = invert(sampler, data, model, c.prediction, iterations);
            const auto again = kinora::inference::sample(sampler, latent, model, c.prediction);
            return (again - data).abs().max().item<double>();
        };
        const double once = roundTrip(1);
        const double fourTimes = roundTrip(4);
        std::cout << "[inversion] kind=" << static_cast<int>(c.kind) << " round-trip error, 1 iteration "
                  << once << ", 4 iterations " << fourTimes << "\n";
        EXPECT_LT(once, 1e-2);
        EXPECT_LT(fourTimes, 1e-5);
        // The latent is the ODE's preimage: close to the exact one (z of the data), within the
        // sampler's own O(1/steps) error.
        const auto latent = invert(sampler, data, model, c.prediction, 4);
        const auto exactLatent = exactFlow(data, sampler.level(sampler.steps()), sampler.level(0));
        EXPECT_LT((latent - exactLatent).abs().max().item<double>(), 0.2);
    }
}

// With SD's schedule, pure noise is not the marginal at the last train step (alpha_T = 0.068 of the
// signal remains), so the data mean comes out pulled towards 0 by the closed-form amount
// s alpha_T mu / sqrt(alpha_T^2 s^2 + sigma_T^2); the zero-terminal-SNR rescale removes that shift.
TEST(SamplerZeroTerminalSnr, RemovesTheMeanShiftOfStartingFromPureNoise)
{
    auto meanFromPureNoise = [](const NoiseSchedule& schedule) {
        Sampler sampler(SamplerKind::DpmSolver2M, schedule, 50);
        const auto x = standardNoise(20000, 77, torch::kFloat64) * sampler.initNoiseSigma();
        return kinora::inference::sample(sampler, x, idealModel(schedule, Prediction::V), Prediction::V)
            .mean()
            .item<double>();
    };
    const auto sd = NoiseSchedule::scaledLinear();
    const NoiseLevel last = sd.level(999);
    const double predicted = kMu - kStd * last.alpha * kMu / spread(last);
    EXPECT_NEAR(meanFromPureNoise(sd), predicted, 0.003);
    EXPECT_GT(kMu - predicted, 0.09);
    EXPECT_NEAR(meanFromPureNoise(sd.withZeroTerminalSnr()), kMu, 0.003);
}

TEST(SamplerGrid, TrailingKarrasAndShiftedFlowLevels)
{
    const auto sd = NoiseSchedule::scaledLinear();
    const auto& abar = sd.alphasCumprod();
    Sampler even(SamplerKind::Ddim, sd, 50);
    ASSERT_EQ(even.timesteps().size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(even.timestep(i), 999.0 - 20.0 * i);
        EXPECT_DOUBLE_EQ(even.level(i).alpha, std::sqrt(abar[999 - 20 * i]));
    }
    EXPECT_EQ(even.level(50).alpha, 1.0);
    EXPECT_EQ(even.level(50).sigma, 0.0);
    EXPECT_NEAR(even.initNoiseSigma(), 1.0, 1e-15);
    EXPECT_EQ(Sampler(SamplerKind::Ddpm, sd, 1000).timestep(999), 0.0);

    // Karras et al.: s_i^(1/7) evenly spaced from s_max to s_min, s = sigma / alpha.
    Sampler karras(SamplerKind::DpmSolver2M, sd, 12, { .karras = true });
    auto ratio = [](NoiseLevel l) { return l.sigma / l.alpha; };
    const double sMax = std::sqrt((1.0 - abar[999]) / abar[999]);
    const double sMin = std::sqrt((1.0 - abar[0]) / abar[0]);
    for (int i = 0; i < 12; ++i) {
        const double root
            = std::pow(sMax, 1.0 / 7) + i / 11.0 * (std::pow(sMin, 1.0 / 7) - std::pow(sMax, 1.0 / 7));
        EXPECT_NEAR(ratio(karras.level(i)), std::pow(root, 7.0), 1e-12 * sMax) << i;
        // The model is told the timestep whose trained level is this one.
        const NoiseLevel trained = sd.level(karras.timestep(i));
        EXPECT_NEAR(ratio(trained), ratio(karras.level(i)), 1e-9 * ratio(karras.level(i))) << i;
    }
    EXPECT_NEAR(karras.timestep(0), 999.0, 1e-9);
    EXPECT_NEAR(karras.timestep(11), 0.0, 1e-9);

    // Flow with shift 3 over 4 steps: t = shift(1, 3/4, 1/2, 1/4, 0) = 1, 0.9, 0.75, 0.5, 0.
    Sampler flow(SamplerKind::FlowEuler, NoiseSchedule::flowMatching(), 4, { .shift = 3.0 });
    const std::vector<double> times = { 1.0, 0.9, 0.75, 0.5, 0.0 };
    for (int i = 0; i <= 4; ++i) {
        EXPECT_NEAR(flow.level(i).sigma, times[i], 1e-15);
        EXPECT_NEAR(flow.level(i).alpha, 1.0 - times[i], 1e-15);
        if (i < 4) {
            EXPECT_NEAR(flow.timestep(i), 1000.0 * times[i], 1e-12);
        }
    }
    EXPECT_EQ(flow.initNoiseSigma(), 1.0);
}

TEST(SamplerGrid, AddNoiseReachesTheLevelOfAStep)
{
    Sampler sampler(SamplerKind::Euler, NoiseSchedule::scaledLinear(), 25);
    const auto x0 = torch::full({ 8 }, 0.7, torch::kFloat64);
    const auto noise = torch::full({ 8 }, -1.3, torch::kFloat64);
    const double abar
        = NoiseSchedule::scaledLinear().alphasCumprod()[static_cast<size_t>(sampler.timestep(10))];
    const double expected = std::sqrt(abar) * 0.7 - std::sqrt(1.0 - abar) * 1.3;
    EXPECT_NEAR(sampler.addNoise(x0, noise, 10)[0].item<double>(), expected, 1e-15);
    EXPECT_TRUE(torch::equal(sampler.addNoise(x0, noise, 25), x0));
    EXPECT_THROW(sampler.addNoise(x0, noise, 26), std::out_of_range);
}

TEST(SamplerLoop, ReportsEachStepAndStopsWhenCancelled)
{
    const auto schedule = NoiseSchedule::flowMatching();
    Sampler sampler(SamplerKind::FlowEuler, schedule, 8);
    const auto model = idealModel(schedule, Prediction::Flow);
    std::vector<int> seen;
    kinora::inference::SampleOptions options;
    options.onStep = [&](int step, int total, const at::Tensor& preview) {
        EXPECT_EQ(total, 8);
        EXPECT_TRUE(preview.defined());
        seen.push_back(step);
    };
    kinora::inference::sample(sampler, torch::randn({ 16 }), model, Prediction::Flow, {}, options);
    EXPECT_EQ(seen, (std::vector<int> { 1, 2, 3, 4, 5, 6, 7, 8 }));

    int calls = 0;
    auto counting = [&](const at::Tensor& x, double t) {
        ++calls;
        return model(x, t);
    };
    kinora::inference::SampleOptions cancelAfterThree;
    cancelAfterThree.isCancelled = [&] { return calls == 3; };
    EXPECT_THROW(kinora::inference::sample(
                     sampler, torch::randn({ 16 }), counting, Prediction::Flow, {}, cancelAfterThree),
        kinora::inference::PipelineCancelled);
    EXPECT_EQ(calls, 3);

    // Starting at the last level runs nothing and hands the state back.
    kinora::inference::SampleOptions atTheEnd;
    atTheEnd.firstStep = 8;
    const auto x = torch::randn({ 16 });
    EXPECT_TRUE(
        torch::equal(kinora::inference::sample(sampler, x, counting, Prediction::Flow, {}, atTheEnd), x));
    EXPECT_EQ(calls, 3);
}

TEST(SamplerGrid, RejectsCombinationsThatDoNotFit)
{
    const auto sd = NoiseSchedule::scaledLinear();
    const auto flow = NoiseSchedule::flowMatching();
    EXPECT_THROW(Sampler(SamplerKind::FlowEuler, sd, 20), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Euler, flow, 20), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Ddim, sd, 0), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Ddim, sd, 1001), std::invalid_argument);
    EXPECT_THROW(
        Sampler(SamplerKind::Ddim, sd.withZeroTerminalSnr(), 20, { .karras = true }), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::DpmSolver2M, flow, 20, { .karras = true }), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Ddim, sd, 20, { .shift = 3.0 }), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Euler, sd, 20, { .eta = 0.5 }), std::invalid_argument);
    EXPECT_THROW(Sampler(SamplerKind::Ddim, sd, 20, { .eta = 1.5 }), std::invalid_argument);

    Sampler zeroSnr(SamplerKind::Ddim, sd.withZeroTerminalSnr(), 20);
    const auto x = torch::randn({ 4 });
    EXPECT_THROW(zeroSnr.step(0, x, x, Prediction::Epsilon), std::invalid_argument);
    EXPECT_THROW(zeroSnr.step(20, x, x, Prediction::V), std::out_of_range);
    EXPECT_THROW(zeroSnr.step(0, x, torch::randn({ 5 }), Prediction::V), std::invalid_argument);
    Sampler stochastic(SamplerKind::Ddpm, sd, 20);
    EXPECT_THROW(invert(stochastic, x, idealModel(sd, Prediction::Epsilon), Prediction::Epsilon),
        std::invalid_argument);

    using kinora::inference::parseSamplerKind;
    EXPECT_EQ(parseSamplerKind("dpm++2m"), SamplerKind::DpmSolver2M);
    EXPECT_EQ(parseSamplerKind("euler-a"), SamplerKind::EulerAncestral);
    EXPECT_EQ(parseSamplerKind("flow-euler"), SamplerKind::FlowEuler);
    EXPECT_THROW(parseSamplerKind("heun"), std::invalid_argument);
}
