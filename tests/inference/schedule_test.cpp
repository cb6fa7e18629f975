#include "kinora/inference/schedule.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

using kinora::inference::NoiseLevel;
using kinora::inference::NoiseSchedule;
using kinora::inference::parsePrediction;
using kinora::inference::Prediction;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// alpha_bar from betas by the definition, accumulated in long double as an independent reference.
template <typename BetaFn> std::vector<long double> referenceAlphasCumprod(int trainSteps, BetaFn beta)
{
    std::vector<long double> out;
    long double product = 1.0L;
    for (int t = 0; t < trainSteps; ++t) {
        product *= 1.0L - beta(t);
        out.push_back(product);
    }
    return out;
}

double halfLogSnr(NoiseLevel level)
{
    return std::log(level.alpha / level.sigma);
}

} // namespace

TEST(Schedule, ScaledLinearMatchesItsFormula)
{
    const auto abar = NoiseSchedule::scaledLinear().alphasCumprod();
    ASSERT_EQ(abar.size(), 1000u);
    const long double from = std::sqrt(0.00085L);
    const long double to = std::sqrt(0.012L);
    const auto reference = referenceAlphasCumprod(1000, [&](int t) {
        const long double root = from + (to - from) * t / 999.0L;
        return root * root;
    });
    for (size_t t = 0; t < abar.size(); ++t)
        EXPECT_NEAR(abar[t], static_cast<double>(reference[t]), 1e-13 * static_cast<double>(reference[t]))
            << t;
    // Stable Diffusion's published ends: 1 - beta_0 and ~0.0047 at the last step.
    EXPECT_NEAR(abar.front(), 1.0 - 0.00085, 4 * kEps);
    EXPECT_NEAR(abar.back(), 0.0047, 0.0001);
}

TEST(Schedule, LinearMatchesItsFormula)
{
    const auto abar = NoiseSchedule::linear().alphasCumprod();
    const auto reference
        = referenceAlphasCumprod(1000, [](int t) { return 1e-4L + (0.02L - 1e-4L) * t / 999.0L; });
    for (size_t t = 0; t < abar.size(); ++t)
        EXPECT_NEAR(abar[t], static_cast<double>(reference[t]), 1e-13 * static_cast<double>(reference[t]))
            << t;
    // DDPM's schedule leaves about 4.04e-5 of the signal's variance at T.
    EXPECT_NEAR(abar.back(), 4.036e-5, 0.001e-5);
}

TEST(Schedule, CosineMatchesItsClosedForm)
{
    const double offset = 0.008;
    const auto abar = NoiseSchedule::cosine(1000, offset, 0.999).alphasCumprod();
    auto f = [&](double u) {
        return std::pow(std::cos((u + offset) / (1.0 + offset) * std::numbers::pi / 2.0), 2);
    };
    // Step t ends at u = (t + 1) / T; only the last beta (which would be 1) is clipped.
    for (int t = 0; t < 999; ++t)
        EXPECT_NEAR(abar[t], f((t + 1) / 1000.0) / f(0.0), 1e-12 * abar[t]) << t;
    EXPECT_NEAR(abar[999], abar[998] * (1.0 - 0.999), 1e-12 * abar[999]);
    EXPECT_GT(abar[999], 0.0);
}

TEST(Schedule, ZeroTerminalSnrEndsInPureNoiseAndKeepsTheFirstStep)
{
    for (const auto& base :
        { NoiseSchedule::scaledLinear(), NoiseSchedule::linear(), NoiseSchedule::cosine() }) {
        const auto& before = base.alphasCumprod();
        const auto after = base.withZeroTerminalSnr().alphasCumprod();
        ASSERT_EQ(after.size(), before.size());
        EXPECT_EQ(after.back(), 0.0);
        EXPECT_EQ(after.front(), before.front());
        // Lin et al.: sqrt(abar) shifted by its last value and scaled to keep its first.
        const double first = std::sqrt(before.front());
        const double last = std::sqrt(before.back());
        for (size_t t : { 1, 10, 250, 500, 900, 998 }) {
            const double root = (std::sqrt(before[t]) - last) * first / (first - last);
            EXPECT_NEAR(after[t], root * root, 1e-13) << t;
        }
        for (size_t t = 1; t < after.size(); ++t)
            ASSERT_LT(after[t], after[t - 1]) << t;
    }
}

TEST(Schedule, LevelsFollowAlphasCumprodAndInterpolateLogSnr)
{
    for (const auto& schedule : { NoiseSchedule::scaledLinear(), NoiseSchedule::cosine() }) {
        const auto& abar = schedule.alphasCumprod();
        for (int t : { 0, 1, 17, 500, 998, 999 }) {
            const NoiseLevel level = schedule.level(t);
            EXPECT_EQ(level.alpha, std::sqrt(abar[t]));
            EXPECT_NEAR(level.sigma, std::sqrt(1.0 - abar[t]), kEps);
        }
        for (double t : { 0.25, 41.5, 700.75, 998.5 }) {
            const double lower = halfLogSnr(schedule.level(std::floor(t)));
            const double upper = halfLogSnr(schedule.level(std::ceil(t)));
            const NoiseLevel level = schedule.level(t);
            const double frac = t - std::floor(t);
            EXPECT_NEAR(halfLogSnr(level), lower + frac * (upper - lower), 1e-12) << t;
            EXPECT_NEAR(level.alpha * level.alpha + level.sigma * level.sigma, 1.0, 4 * kEps);
            EXPECT_NEAR(schedule.timestepForLogSnr(halfLogSnr(level)), t, 1e-9) << t;
        }
    }
    const auto schedule = NoiseSchedule::scaledLinear();
    EXPECT_EQ(schedule.timestepForLogSnr(50.0), 0.0);
    EXPECT_EQ(schedule.timestepForLogSnr(-50.0), 999.0);
    EXPECT_THROW(schedule.level(-0.5), std::out_of_range);
    EXPECT_THROW(schedule.level(999.5), std::out_of_range);
}

TEST(Schedule, FlowMatchingIsTheStraightPathAndShiftMovesTowardsNoise)
{
    const auto flow = NoiseSchedule::flowMatching();
    EXPECT_TRUE(flow.isFlow());
    EXPECT_TRUE(flow.alphasCumprod().empty());
    const NoiseLevel quarter = flow.level(250.0);
    EXPECT_DOUBLE_EQ(quarter.alpha, 0.75);
    EXPECT_DOUBLE_EQ(quarter.sigma, 0.25);
    EXPECT_EQ(flow.level(1000.0).alpha, 0.0);
    EXPECT_EQ(flow.level(0.0).sigma, 0.0);
    EXPECT_THROW(flow.level(1000.5), std::out_of_range);
    EXPECT_THROW(flow.withZeroTerminalSnr(), std::invalid_argument);

    using kinora::inference::shiftFlowTime;
    EXPECT_DOUBLE_EQ(shiftFlowTime(0.5, 3.0), 0.75); // 1.5 / 2
    EXPECT_DOUBLE_EQ(shiftFlowTime(0.25, 3.0), 0.5); // 0.75 / 1.5
    EXPECT_EQ(shiftFlowTime(0.0, 5.0), 0.0);
    EXPECT_EQ(shiftFlowTime(1.0, 5.0), 1.0);
    for (double t : { 0.1, 0.37, 0.9 }) {
        EXPECT_DOUBLE_EQ(shiftFlowTime(t, 1.0), t);
        EXPECT_GT(shiftFlowTime(t, 3.0), t);
        EXPECT_LT(shiftFlowTime(t, 0.5), t);
    }
    EXPECT_THROW(shiftFlowTime(0.5, 0.0), std::invalid_argument);
}

TEST(Schedule, RejectsImpossibleParameters)
{
    EXPECT_THROW(NoiseSchedule::linear(1), std::invalid_argument);
    EXPECT_THROW(NoiseSchedule::linear(1000, 0.02, 0.01), std::invalid_argument);
    EXPECT_THROW(NoiseSchedule::scaledLinear(1000, 0.0, 0.012), std::invalid_argument);
    EXPECT_THROW(NoiseSchedule::scaledLinear(1000, 0.00085, 1.0), std::invalid_argument);
    EXPECT_THROW(NoiseSchedule::cosine(1000, -0.1), std::invalid_argument);
    EXPECT_THROW(NoiseSchedule::flowMatching(0), std::invalid_argument);
}

// Model outputs are built here from their definitions; predictedX0 / predictedEps must recover the
// x0 and eps they came from at every level, to float64 rounding amplified only by the division the
// conversion cannot avoid (1 / alpha for Epsilon, 1 / sigma for Sample).
TEST(ScheduleParameterization, ConversionsInvertTheDefinitionsAtEveryLevel)
{
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
    const auto x0 = at::randn({ 64 }, gen, opts) * 1.7 + 0.4;
    const auto eps = at::randn({ 64 }, gen, opts);
    auto maxError
        = [](const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); };

    const std::vector<NoiseSchedule> schedules = { NoiseSchedule::scaledLinear(), NoiseSchedule::cosine(),
        NoiseSchedule::scaledLinear().withZeroTerminalSnr(), NoiseSchedule::flowMatching() };
    int checked = 0;
    for (const auto& schedule : schedules) {
        const int last = schedule.isFlow() ? schedule.trainSteps() : schedule.trainSteps() - 1;
        std::vector<int> timesteps;
        for (int t = 0; t < last; t += 37)
            timesteps.push_back(t);
        timesteps.push_back(last);
        for (int t : timesteps) {
            const NoiseLevel level = schedule.level(t);
            const double a = level.alpha;
            const double s = level.sigma;
            const auto x = x0 * a + eps * s;
            const std::vector<std::pair<Prediction, at::Tensor>> outputs = {
                { Prediction::Epsilon, eps },
                { Prediction::V, eps * a - x0 * s },
                { Prediction::Sample, x0 },
                { Prediction::Flow, eps - x0 },
            };
            for (const auto& [prediction, output] : outputs) {
                EXPECT_LT(maxError(kinora::inference::predictionTarget(prediction, x0, eps, level), output),
                    8 * kEps);
                const double base = 16 * kEps * 10.0; // |x0|, |eps| stay below ~10
                if (!(prediction == Prediction::Epsilon && a == 0.0)) {
                    const double tol = prediction == Prediction::Epsilon ? base / a : base;
                    EXPECT_LT(maxError(kinora::inference::predictedX0(prediction, x, output, level), x0), tol)
                        << "t=" << t << " prediction=" << static_cast<int>(prediction);
                }
                if (!(prediction == Prediction::Sample && s == 0.0)) {
                    const double tol = prediction == Prediction::Sample ? base / s : base;
                    EXPECT_LT(
                        maxError(kinora::inference::predictedEps(prediction, x, output, level), eps), tol)
                        << "t=" << t << " prediction=" << static_cast<int>(prediction);
                }
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 400);
}

TEST(ScheduleParameterization, ParsesTheNamesOfModelConfigs)
{
    EXPECT_EQ(parsePrediction("epsilon"), Prediction::Epsilon);
    EXPECT_EQ(parsePrediction("v"), Prediction::V);
    EXPECT_EQ(parsePrediction("v_prediction"), Prediction::V);
    EXPECT_EQ(parsePrediction("sample"), Prediction::Sample);
    EXPECT_EQ(parsePrediction("flow"), Prediction::Flow);
    EXPECT_THROW(parsePrediction("eps"), std::invalid_argument);
}
