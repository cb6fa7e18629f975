#include "kinora/inference/schedule.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace kinora::inference {

namespace {

void checkTrainSteps(int trainSteps)
{
    if (trainSteps < 2)
        throw std::invalid_argument(
            "NoiseSchedule: trainSteps must be at least 2, got " + std::to_string(trainSteps));
}

void checkBetas(double betaStart, double betaEnd)
{
    if (!(betaStart > 0.0 && betaStart <= betaEnd && betaEnd < 1.0))
        throw std::invalid_argument("NoiseSchedule: betas need 0 < betaStart <= betaEnd < 1");
}

std::vector<double> cumprodOfOneMinus(const std::vector<double>& betas)
{
    std::vector<double> alphasCumprod(betas.size());
    double product = 1.0;
    for (size_t t = 0; t < betas.size(); ++t) {
        product *= 1.0 - betas[t];
        alphasCumprod[t] = product;
    }
    return alphasCumprod;
}

// Half log-SNR log(alpha / sigma) of a VP step; -inf at zero terminal SNR.
double halfLogSnr(double alphaBar)
{
    return 0.5 * (std::log(alphaBar) - std::log1p(-alphaBar));
}

NoiseLevel levelFromAlphaBar(double alphaBar)
{
    return { std::sqrt(alphaBar), std::sqrt(1.0 - alphaBar) };
}

} // namespace

Prediction parsePrediction(const std::string& text)
{
    // Both the short names and the prediction_type values of diffusers scheduler configs.
    if (text == "epsilon")
        return Prediction::Epsilon;
    if (text == "v" || text == "v_prediction")
        return Prediction::V;
    if (text == "sample")
        return Prediction::Sample;
    if (text == "flow" || text == "flow_prediction")
        return Prediction::Flow;
    throw std::invalid_argument(
        "unknown prediction type '" + text + "' (expected epsilon, v, sample or flow)");
}

at::Tensor predictedX0(Prediction prediction, const at::Tensor& x, const at::Tensor& output, NoiseLevel level)
{
    const double a = level.alpha;
    const double s = level.sigma;
    switch (prediction) {
    case Prediction::Epsilon:
        return (x - output * s) / a;
    case Prediction::V:
        // Divided by a^2 + s^2 rather than assuming 1 so that the inverse is exact for any level.
        return (x * a - output * s) / (a * a + s * s);
    case Prediction::Sample:
        return output;
    case Prediction::Flow:
        return (x - output * s) / (a + s);
    }
    throw std::invalid_argument("predictedX0: unknown prediction");
}

at::Tensor predictedEps(
    Prediction prediction, const at::Tensor& x, const at::Tensor& output, NoiseLevel level)
{
    const double a = level.alpha;
    const double s = level.sigma;
    switch (prediction) {
    case Prediction::Epsilon:
        return output;
    case Prediction::V:
        return (x * s + output * a) / (a * a + s * s);
    case Prediction::Sample:
        return (x - output * a) / s;
    case Prediction::Flow:
        return (x + output * a) / (a + s);
    }
    throw std::invalid_argument("predictedEps: unknown prediction");
}

at::Tensor predictionTarget(
    Prediction prediction, const at::Tensor& x0, const at::Tensor& eps, NoiseLevel level)
{
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
    throw std::invalid_argument("predictionTarget: unknown prediction");
}

double shiftFlowTime(double t, double shift)
{
    if (!(shift > 0.0))
        throw std::invalid_argument("shiftFlowTime: shift must be positive");
    // One operation per statement, in the order diffusers evaluates it, so that no FMA can change
    // the last bit (flowSteps' truncated timesteps depend on it).
    const double scaled = shift * t;
    const double towards = (shift - 1.0) * t;
    const double denominator = 1.0 + towards;
    return scaled / denominator;
}

FlowGrid parseFlowGrid(const std::string& text)
{
    if (text == "even")
        return FlowGrid::Even;
    if (text == "diffusers-unipc")
        return FlowGrid::DiffusersUniPC;
    if (text == "diffusers-euler")
        return FlowGrid::DiffusersFlowMatchEuler;
    throw std::invalid_argument(
        "unknown flow grid '" + text + "' (expected even, diffusers-unipc or diffusers-euler)");
}

// The diffusers grids are reproduced operation by operation (numpy's linspace is i * step + start,
// float32 where diffusers computes in float32), one operation per statement so that no compiler
// fuses a multiply and an add into an FMA: the truncated integer timesteps must come out exactly.
FlowSteps flowSteps(FlowGrid grid, int steps, double shift, int trainSteps)
{
    if (steps < 1)
        throw std::invalid_argument("flowSteps: steps must be at least 1");
    if (!(shift > 0.0))
        throw std::invalid_argument("flowSteps: shift must be positive");
    checkTrainSteps(trainSteps);
    const double trainTime = trainSteps;
    FlowSteps out;
    switch (grid) {
    case FlowGrid::Even:
        for (int i = 0; i <= steps; ++i) {
            const double t = shiftFlowTime(1.0 - static_cast<double>(i) / steps, shift);
            out.sigmas.push_back(t);
            if (i < steps)
                out.timesteps.push_back(t * trainTime);
        }
        return out;
    case FlowGrid::DiffusersUniPC: {
        // np.linspace(1, 1 / T, steps + 1)[:-1], shifted in float64.
        const double step = (1.0 / trainTime - 1.0) / steps;
        for (int i = 0; i < steps; ++i) {
            const double offset = static_cast<double>(i) * step;
            const double sigma = offset + 1.0;
            double shifted = shiftFlowTime(sigma, shift);
            // diffusers keeps log(1 - sigma) finite on the first step this way.
            if (i == 0 && std::fabs(shifted - 1.0) < 1e-6)
                shifted -= 1e-6;
            const double time = shifted * trainTime;
            out.timesteps.push_back(std::trunc(time));
            out.sigmas.push_back(static_cast<float>(shifted));
        }
        out.sigmas.push_back(0.0);
        return out;
    }
    case FlowGrid::DiffusersFlowMatchEuler: {
        // The constructor's sigmas, shifted in float32: the ends of the linspace below.
        auto shiftFloat = [&](float t) {
            const float scaled = static_cast<float>(shift) * t;
            const float towards = static_cast<float>(shift - 1.0) * t;
            const float denominator = 1.0f + towards;
            return scaled / denominator;
        };
        const double start = static_cast<double>(shiftFloat(1.0f)) * trainTime;
        const double stop
            = static_cast<double>(shiftFloat(1.0f / static_cast<float>(trainSteps))) * trainTime;
        const double step = steps > 1 ? (stop - start) / (steps - 1) : 0.0;
        for (int i = 0; i < steps; ++i) {
            const double offset = static_cast<double>(i) * step;
            const double time = (i == steps - 1 && steps > 1) ? stop : offset + start;
            const double sigma = time / trainTime;
            const auto shifted = static_cast<float>(shiftFlowTime(sigma, shift));
            out.sigmas.push_back(shifted);
            out.timesteps.push_back(shifted * static_cast<float>(trainSteps));
        }
        out.sigmas.push_back(0.0);
        return out;
    }
    }
    throw std::invalid_argument("flowSteps: unknown grid");
}

NoiseSchedule::NoiseSchedule(bool flow, int trainSteps, std::vector<double> alphasCumprod)
    : m_flow(flow)
    , m_trainSteps(trainSteps)
    , m_alphasCumprod(std::move(alphasCumprod))
{
}

NoiseSchedule NoiseSchedule::linear(int trainSteps, double betaStart, double betaEnd)
{
    checkTrainSteps(trainSteps);
    checkBetas(betaStart, betaEnd);
    std::vector<double> betas(static_cast<size_t>(trainSteps));
    for (int t = 0; t < trainSteps; ++t)
        betas[t] = betaStart + (betaEnd - betaStart) * t / (trainSteps - 1);
    return NoiseSchedule(false, trainSteps, cumprodOfOneMinus(betas));
}

NoiseSchedule NoiseSchedule::scaledLinear(int trainSteps, double betaStart, double betaEnd)
{
    checkTrainSteps(trainSteps);
    checkBetas(betaStart, betaEnd);
    const double from = std::sqrt(betaStart);
    const double to = std::sqrt(betaEnd);
    std::vector<double> betas(static_cast<size_t>(trainSteps));
    for (int t = 0; t < trainSteps; ++t) {
        const double root = from + (to - from) * t / (trainSteps - 1);
        betas[t] = root * root;
    }
    return NoiseSchedule(false, trainSteps, cumprodOfOneMinus(betas));
}

NoiseSchedule NoiseSchedule::cosine(int trainSteps, double offset, double maxBeta)
{
    checkTrainSteps(trainSteps);
    if (!(offset >= 0.0) || !(maxBeta > 0.0 && maxBeta <= 1.0))
        throw std::invalid_argument("NoiseSchedule::cosine: needs offset >= 0 and 0 < maxBeta <= 1");
    auto f = [&](double u) {
        const double c = std::cos((u + offset) / (1.0 + offset) * std::numbers::pi / 2.0);
        return c * c;
    };
    // Step t covers [t / T, (t + 1) / T]: alpha_bar[t] = f((t + 1) / T) / f(0) until the clip bites.
    // The clip keeps the last step from being pure noise, which a discrete DDPM cannot sample from.
    std::vector<double> betas(static_cast<size_t>(trainSteps));
    for (int t = 0; t < trainSteps; ++t) {
        const double ratio
            = f(static_cast<double>(t + 1) / trainSteps) / f(static_cast<double>(t) / trainSteps);
        betas[t] = std::min(1.0 - ratio, maxBeta);
    }
    return NoiseSchedule(false, trainSteps, cumprodOfOneMinus(betas));
}

NoiseSchedule NoiseSchedule::flowMatching(int trainSteps)
{
    checkTrainSteps(trainSteps);
    return NoiseSchedule(true, trainSteps, {});
}

NoiseSchedule NoiseSchedule::withZeroTerminalSnr() const
{
    if (m_flow)
        throw std::invalid_argument(
            "withZeroTerminalSnr: a flow-matching schedule already ends in pure noise");
    const double first = std::sqrt(m_alphasCumprod.front());
    const double last = std::sqrt(m_alphasCumprod.back());
    const double scale = first / (first - last);
    std::vector<double> rescaled(m_alphasCumprod.size());
    for (size_t t = 0; t < rescaled.size(); ++t) {
        const double root = (std::sqrt(m_alphasCumprod[t]) - last) * scale;
        rescaled[t] = root * root;
    }
    // The two ends are the point of the rescale; pin them so that rounding cannot move them.
    rescaled.front() = m_alphasCumprod.front();
    rescaled.back() = 0.0;
    return NoiseSchedule(false, m_trainSteps, std::move(rescaled));
}

NoiseLevel NoiseSchedule::level(double timestep) const
{
    if (m_flow) {
        if (!(timestep >= 0.0 && timestep <= m_trainSteps))
            throw std::out_of_range("NoiseSchedule::level: flow timestep outside [0, trainSteps]");
        const double t = timestep / m_trainSteps;
        return { 1.0 - t, t };
    }
    const double last = static_cast<double>(m_trainSteps - 1);
    if (!(timestep >= 0.0 && timestep <= last))
        throw std::out_of_range("NoiseSchedule::level: timestep outside [0, trainSteps - 1]");
    const double lower = std::floor(timestep);
    const auto index = static_cast<size_t>(lower);
    if (timestep == lower)
        return levelFromAlphaBar(m_alphasCumprod[index]);
    const double frac = timestep - lower;
    const double abar0 = m_alphasCumprod[index];
    const double abar1 = m_alphasCumprod[index + 1];
    if (abar1 == 0.0) {
        // Zero terminal SNR: log-SNR is -inf at the end, so interpolate alpha there instead.
        const double alpha = (1.0 - frac) * std::sqrt(abar0);
        return { alpha, std::sqrt(1.0 - alpha * alpha) };
    }
    const double lambda = (1.0 - frac) * halfLogSnr(abar0) + frac * halfLogSnr(abar1);
    // alpha^2 = sigmoid(2 lambda), sigma^2 = sigmoid(-2 lambda), written to stay accurate at both ends.
    return { 1.0 / std::sqrt(1.0 + std::exp(-2.0 * lambda)), 1.0 / std::sqrt(1.0 + std::exp(2.0 * lambda)) };
}

double NoiseSchedule::timestepForLogSnr(double lambda) const
{
    if (m_flow)
        throw std::logic_error("timestepForLogSnr: only for variance-preserving schedules");
    const auto& abar = m_alphasCumprod;
    if (lambda >= halfLogSnr(abar.front()))
        return 0.0;
    if (lambda <= halfLogSnr(abar.back()))
        return static_cast<double>(m_trainSteps - 1);
    // Half log-SNR falls with t: find the step k with lambda(k) >= lambda > lambda(k + 1).
    size_t lo = 0;
    size_t hi = abar.size() - 1;
    while (hi - lo > 1) {
        const size_t mid = (lo + hi) / 2;
        if (halfLogSnr(abar[mid]) >= lambda)
            lo = mid;
        else
            hi = mid;
    }
    if (abar[hi] == 0.0) {
        const double alpha = 1.0 / std::sqrt(1.0 + std::exp(-2.0 * lambda));
        return static_cast<double>(lo) + 1.0 - alpha / std::sqrt(abar[lo]);
    }
    const double l0 = halfLogSnr(abar[lo]);
    const double l1 = halfLogSnr(abar[hi]);
    return static_cast<double>(lo) + (l0 - lambda) / (l0 - l1);
}

} // namespace kinora::inference
