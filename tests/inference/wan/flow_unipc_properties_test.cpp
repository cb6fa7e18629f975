// UniPC's own properties, independent of any reference implementation: on data x0 ~ N(mu, s^2),
// where the ideal model and the probability-flow ODE's solution have closed forms (as in
// sampler_test.cpp), its order of convergence (UniP-2 + UniC) and the moments of what it samples,
// on diffusers' Wan grid, Kinora's even flow grid and VP schedules alike. The parity with
// diffusers itself is flow_unipc_test.cpp's.
#include "kinora/inference/sampler.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <tuple>
#include <vector>

using kinora::inference::FlowGrid;
using kinora::inference::NoiseLevel;
using kinora::inference::NoiseSchedule;
using kinora::inference::Prediction;
using kinora::inference::Sampler;
using kinora::inference::SamplerKind;
using kinora::inference::SamplerOptions;

namespace {

constexpr double kMu = 1.0;
constexpr double kStd = 1.5;

double spread(NoiseLevel level)
{
    return std::sqrt(level.alpha * level.alpha * kStd * kStd + level.sigma * level.sigma);
}

// The ideal model's output E[x0 | x] in the parameterization `prediction`.
at::Tensor idealOutput(Prediction prediction, const at::Tensor& x, NoiseLevel level)
{
    const double a = level.alpha;
    const auto x0 = (x - a * kMu) * (a * kStd * kStd / (spread(level) * spread(level))) + kMu;
    const auto eps = (x - x0 * a) / level.sigma;
    switch (prediction) {
    case Prediction::Epsilon:
        return eps;
    case Prediction::V:
        return eps * a - x0 * level.sigma;
    case Prediction::Sample:
        return x0;
    case Prediction::Flow:
        return eps - x0;
    }
    return {};
}

// Max error over 64 noise values against the exact probability-flow ODE solution, run from level
// 0 to the half-way level (the final infinite log-SNR step would hide the order), float64.
double odeError(
    SamplerKind kind, const NoiseSchedule& schedule, SamplerOptions options, Prediction prediction, int steps)
{
    Sampler sampler(kind, schedule, steps, options);
    const int measured = steps / 2;
    const auto z = at::randn({ 64 }, at::make_generator<at::CPUGeneratorImpl>(2024), torch::kFloat64);
    const NoiseLevel first = sampler.level(0);
    const NoiseLevel last = sampler.level(measured);
    auto x = z * spread(first) + first.alpha * kMu;
    const auto exact = z * spread(last) + last.alpha * kMu;
    for (int i = 0; i < measured; ++i)
        x = sampler.step(i, x, idealOutput(prediction, x, sampler.level(i)), prediction);
    return (x - exact).abs().max().item<double>();
}

// Least-squares slope of log(error) against log(steps), negated.
double fittedOrder(SamplerKind kind, const NoiseSchedule& schedule, SamplerOptions options,
    Prediction prediction, const char* name)
{
    const std::vector<int> steps = { 10, 20, 40, 80 };
    std::vector<double> lx;
    std::vector<double> ly;
    std::cout << "[order] " << name << " errors";
    for (int n : steps) {
        const double error = odeError(kind, schedule, options, prediction, n);
        std::cout << " " << error;
        lx.push_back(std::log(n));
        ly.push_back(std::log(error));
    }
    const double mx = (lx[0] + lx[1] + lx[2] + lx[3]) / 4;
    const double my = (ly[0] + ly[1] + ly[2] + ly[3]) / 4;
    double sxy = 0;
    double sxx = 0;
    for (size_t k = 0; k < lx.size(); ++k) {
        sxy += (lx[k] - mx) * (ly[k] - my);
        sxx += (lx[k] - mx) * (lx[k] - mx);
    }
    std::cout << " fitted order " << -sxy / sxx << "\n";
    return -sxy / sxx;
}

} // namespace

TEST(FlowUniPCOrder, ConvergesWithTheCorrectorsOrder)
{
    const auto flow = NoiseSchedule::flowMatching();
    const auto sd = NoiseSchedule::scaledLinear();
    for (auto [name, schedule, options, prediction] :
        { std::tuple { "unipc-flow-diffusers-shift5", flow,
              SamplerOptions { .shift = 5.0, .flowGrid = FlowGrid::DiffusersUniPC }, Prediction::Flow },
            // From exactly zero SNR (t = 1): the first lambda-step is infinite, handled by IEEE limits.
            std::tuple { "unipc-flow-even-shift3", flow, SamplerOptions { .shift = 3.0 }, Prediction::Flow },
            std::tuple { "unipc-vp-eps", sd, SamplerOptions {}, Prediction::Epsilon },
            std::tuple { "unipc-vp-karras-v", sd, SamplerOptions { .karras = true }, Prediction::V } }) {
        // UniP-2 followed by UniC is of order 3 (Zhao et al. 2023, Theorem 3.3), more than the
        // predictor's 2: measured 2.7 (Karras v) to 4.1 (eps, where the Gaussian's x0 is nearly linear).
        const double order = fittedOrder(SamplerKind::UniPC, schedule, options, prediction, name);
        EXPECT_GT(order, 2.5) << name;
        EXPECT_LT(order, 5.0) << name;
    }
}

TEST(FlowUniPCMoments, SampleMatchesTheDataMeanAndVariance)
{
    const auto schedule = NoiseSchedule::flowMatching();
    Sampler sampler(SamplerKind::UniPC, schedule, 50, { .shift = 3.0 });
    auto z = at::randn({ 20000 }, at::make_generator<at::CPUGeneratorImpl>(1234), torch::kFloat64);
    z = ((z - z.mean()) / z.std(/*unbiased=*/false)).to(torch::kFloat32);
    auto model = [&](const at::Tensor& x, double timestep) {
        return idealOutput(Prediction::Flow, x, schedule.level(timestep));
    };
    const auto out = kinora::inference::sample(sampler, z, model, Prediction::Flow).to(torch::kFloat64);
    const double meanError = (out.mean().item<double>() - kMu) / kMu;
    const double varianceError = (out.var(/*unbiased=*/false).item<double>() - kStd * kStd) / (kStd * kStd);
    std::cout << "[moments] unipc-flow-shift3 steps=50 mean " << meanError << " variance " << varianceError
              << "\n";
    EXPECT_LT(std::abs(meanError), 0.02);
    EXPECT_LT(std::abs(varianceError), 0.02);
}
