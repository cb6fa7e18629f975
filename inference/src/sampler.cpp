#include "kinora/inference/sampler.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace kinora::inference {

namespace {

constexpr double kKarrasRho = 7.0;

double halfLogSnr(NoiseLevel level)
{
    return std::log(level.alpha) - std::log(level.sigma);
}

// Noise is drawn in float32 on the CPU whatever the state's dtype and device: the same seed then
// gives the same picture on a GPU or the CPU, in half or full precision.
at::Tensor drawNoise(const at::Tensor& like, at::Generator& generator)
{
    if (!generator.defined())
        throw std::invalid_argument("Sampler: a stochastic sampler needs an explicit generator");
    auto noise = at::randn(like.sizes(), generator, at::TensorOptions().dtype(at::kFloat).device(at::kCPU));
    return noise.to(like.options());
}

const char* kindName(SamplerKind kind)
{
    switch (kind) {
    case SamplerKind::Ddpm:
        return "ddpm";
    case SamplerKind::Ddim:
        return "ddim";
    case SamplerKind::Euler:
        return "euler";
    case SamplerKind::EulerAncestral:
        return "euler-a";
    case SamplerKind::DpmSolver2M:
        return "dpm++2m";
    case SamplerKind::FlowEuler:
        return "flow-euler";
    case SamplerKind::UniPC:
        return "unipc";
    }
    return "?";
}

void checkCombination(
    SamplerKind kind, const NoiseSchedule& schedule, int steps, const SamplerOptions& options)
{
    const std::string name = kindName(kind);
    if (steps < 1)
        throw std::invalid_argument("Sampler: steps must be at least 1");
    if (kind == SamplerKind::FlowEuler && !schedule.isFlow())
        throw std::invalid_argument("Sampler: flow-euler needs a flow-matching schedule");
    if ((kind == SamplerKind::Euler || kind == SamplerKind::EulerAncestral) && schedule.isFlow())
        throw std::invalid_argument("Sampler: " + name + " steps in sigma-space and needs a VP schedule");
    if (!schedule.isFlow() && steps > schedule.trainSteps())
        throw std::invalid_argument("Sampler: more steps than the schedule has train steps");
    if (options.karras && schedule.isFlow())
        throw std::invalid_argument("Sampler: Karras sigmas are for VP schedules");
    if (options.karras && schedule.alphasCumprod().back() == 0.0)
        throw std::invalid_argument(
            "Sampler: Karras sigmas need a finite largest sigma (no zero terminal SNR)");
    if (options.shift != 1.0 && !schedule.isFlow())
        throw std::invalid_argument("Sampler: shift is for flow-matching schedules");
    if (!(options.shift > 0.0))
        throw std::invalid_argument("Sampler: shift must be positive");
    if (options.flowGrid != FlowGrid::Even && !schedule.isFlow())
        throw std::invalid_argument("Sampler: a flow grid is for flow-matching schedules");
    if (!(options.eta >= 0.0 && options.eta <= 1.0))
        throw std::invalid_argument("Sampler: eta must be in [0, 1]");
    if (options.eta != 0.0 && kind != SamplerKind::Ddim)
        throw std::invalid_argument("Sampler: eta applies to ddim only");
}

} // namespace

SamplerKind parseSamplerKind(const std::string& text)
{
    for (auto kind : { SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::Euler, SamplerKind::EulerAncestral,
             SamplerKind::DpmSolver2M, SamplerKind::FlowEuler, SamplerKind::UniPC }) {
        if (text == kindName(kind))
            return kind;
    }
    throw std::invalid_argument(
        "unknown sampler '" + text + "' (expected ddpm, ddim, euler, euler-a, dpm++2m, flow-euler or unipc)");
}

Sampler::Sampler(SamplerKind kind, NoiseSchedule schedule, int steps, SamplerOptions options)
    : m_kind(kind)
    , m_schedule(std::move(schedule))
    , m_options(options)
{
    checkCombination(m_kind, m_schedule, steps, m_options);
    const int trainSteps = m_schedule.trainSteps();
    if (m_schedule.isFlow()) {
        FlowSteps grid = flowSteps(m_options.flowGrid, steps, m_options.shift, trainSteps);
        for (double t : grid.sigmas)
            m_levels.push_back({ 1.0 - t, t });
        m_timesteps = std::move(grid.timesteps);
        return;
    }
    if (m_options.karras) {
        // Karras et al. (2022), eq. 5, in sigma-space s = sigma / alpha between the schedule's ends.
        const auto& abar = m_schedule.alphasCumprod();
        const double maxRoot = std::pow(std::sqrt((1.0 - abar.back()) / abar.back()), 1.0 / kKarrasRho);
        const double minRoot = std::pow(std::sqrt((1.0 - abar.front()) / abar.front()), 1.0 / kKarrasRho);
        for (int i = 0; i < steps; ++i) {
            const double frac = steps > 1 ? static_cast<double>(i) / (steps - 1) : 0.0;
            const double s = std::pow(maxRoot + frac * (minRoot - maxRoot), kKarrasRho);
            const double alpha = 1.0 / std::sqrt(1.0 + s * s);
            m_levels.push_back({ alpha, s * alpha });
            m_timesteps.push_back(m_schedule.timestepForLogSnr(-std::log(s)));
        }
    } else {
        for (int i = 0; i < steps; ++i) {
            const double t = static_cast<double>(
                std::llround(trainSteps - static_cast<double>(i) * trainSteps / steps) - 1);
            m_timesteps.push_back(t);
            m_levels.push_back(m_schedule.level(t));
        }
    }
    // Past the schedule's first step lies the data itself.
    m_levels.push_back({ 1.0, 0.0 });
}

bool Sampler::isStochastic() const
{
    return m_kind == SamplerKind::Ddpm || m_kind == SamplerKind::EulerAncestral
        || (m_kind == SamplerKind::Ddim && m_options.eta > 0.0);
}

double Sampler::timestep(int i) const
{
    if (i < 0 || i >= steps())
        throw std::out_of_range("Sampler::timestep: step out of range");
    return m_timesteps[static_cast<size_t>(i)];
}

NoiseLevel Sampler::level(int i) const
{
    if (i < 0 || i > steps())
        throw std::out_of_range("Sampler::level: level out of range");
    return m_levels[static_cast<size_t>(i)];
}

double Sampler::initNoiseSigma() const
{
    if (m_schedule.isFlow())
        return 1.0;
    const NoiseLevel first = m_levels.front();
    return std::sqrt(first.alpha * first.alpha + first.sigma * first.sigma);
}

void Sampler::reset()
{
    m_lastX0 = at::Tensor();
    m_lastStep = -1;
    m_olderX0 = at::Tensor();
    m_lastInput = at::Tensor();
    m_lastOrder = 0;
}

at::Tensor Sampler::addNoise(const at::Tensor& x0, const at::Tensor& noise, int i) const
{
    const NoiseLevel target = level(i);
    return x0 * target.alpha + noise * target.sigma;
}

at::Tensor Sampler::step(
    int i, const at::Tensor& x, const at::Tensor& modelOutput, Prediction prediction, at::Generator generator)
{
    if (i < 0 || i >= steps())
        throw std::out_of_range("Sampler::step: step out of range");
    if (!x.sizes().equals(modelOutput.sizes()))
        throw std::invalid_argument("Sampler::step: model output and state differ in shape");
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    if (prediction == Prediction::Epsilon && from.alpha == 0.0)
        throw std::invalid_argument(
            "Sampler::step: an epsilon model cannot be sampled from zero SNR; use v, sample or flow");

    const at::Tensor x0 = inference::predictedX0(prediction, x, modelOutput, from);
    const at::Tensor eps = predictedEps(prediction, x, modelOutput, from);
    at::Tensor next;
    switch (m_kind) {
    case SamplerKind::Ddpm:
        next = ancestral(i, x0, eps, 1.0, generator);
        break;
    case SamplerKind::Ddim:
        next = ancestral(i, x0, eps, m_options.eta, generator);
        break;
    case SamplerKind::Euler:
        next = euler(i, x, x0, eps);
        break;
    case SamplerKind::EulerAncestral:
        next = eulerAncestral(i, x0, eps, generator);
        break;
    case SamplerKind::DpmSolver2M:
        next = dpmSolver2M(i, x, x0);
        break;
    case SamplerKind::FlowEuler: {
        // dx/dt along the straight path is eps - x0, and sigma is t.
        const double dt = m_levels[static_cast<size_t>(i) + 1].sigma - from.sigma;
        next = x + (prediction == Prediction::Flow ? modelOutput : eps - x0) * dt;
        break;
    }
    case SamplerKind::UniPC:
        next = uniPC(i, x, x0);
        break;
    }
    m_lastX0 = x0;
    m_lastStep = i;
    return next;
}

// DDIM's update (Song et al., eq. 12) written with alpha and sigma: the noise part of x0's
// re-noising is split into the model's eps and c fresh noise, c^2 = eta^2 times the DDPM posterior
// variance sigma_n^2 (1 - e^{-2h}), h the step in half log-SNR. At eta 1 this is DDPM's ancestral
// step with the posterior variance, for any spacing of the levels.
at::Tensor Sampler::ancestral(
    int i, const at::Tensor& x0, const at::Tensor& eps, double eta, at::Generator& generator) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    const NoiseLevel to = m_levels[static_cast<size_t>(i) + 1];
    if (to.sigma == 0.0)
        return x0 * to.alpha;
    const double decay = (from.alpha * to.sigma) / (from.sigma * to.alpha); // e^{-h}
    const double fresh = eta * to.sigma * std::sqrt(std::max(0.0, 1.0 - decay * decay));
    const double kept = std::sqrt(std::max(0.0, to.sigma * to.sigma - fresh * fresh));
    auto next = x0 * to.alpha + eps * kept;
    if (fresh > 0.0)
        next = next + drawNoise(x0, generator) * fresh;
    return next;
}

// Euler on dx~/ds = eps in sigma-space (x~ = x / alpha, s = sigma / alpha; Karras et al.).
at::Tensor Sampler::euler(int i, const at::Tensor& x, const at::Tensor& x0, const at::Tensor& eps) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    const NoiseLevel to = m_levels[static_cast<size_t>(i) + 1];
    // At zero SNR s is infinite; the step's limit is x0 re-noised to the target.
    if (from.alpha == 0.0)
        return x0 * to.alpha + eps * to.sigma;
    const double sFrom = from.sigma / from.alpha;
    const double sTo = to.sigma / to.alpha;
    return (x / from.alpha + eps * (sTo - sFrom)) * to.alpha;
}

// k-diffusion's ancestral Euler: Euler down to s_down, then fresh noise s_up back up to s_to, with
// s_up the posterior spread s_to sqrt(1 - s_to^2 / s_from^2) and s_down^2 + s_up^2 = s_to^2.
at::Tensor Sampler::eulerAncestral(
    int i, const at::Tensor& x0, const at::Tensor& eps, at::Generator& generator) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    const NoiseLevel to = m_levels[static_cast<size_t>(i) + 1];
    const double sTo = to.sigma / to.alpha;
    // At zero SNR (s_from infinite) the Euler part lands on x0 and s_down is 0.
    const double ratio = from.alpha == 0.0 ? 0.0 : sTo / (from.sigma / from.alpha);
    const double sUp = sTo * std::sqrt(std::max(0.0, 1.0 - ratio * ratio));
    const double sDown = sTo * ratio;
    // x~ + (s_down - s_from) eps, with x~ - s_from eps = x0.
    auto next = x0 + eps * sDown;
    if (sUp > 0.0)
        next = next + drawNoise(x0, generator) * sUp;
    return next * to.alpha;
}

// DPM-Solver++(2M) (Lu et al. 2022, algorithm 2): exponential integrator in half log-SNR lambda on
// the data prediction, with x0 linearly extrapolated from the previous step's estimate. First order
// on the first step, after a jump in the calls, after a zero-SNR level and on the step to clean
// data, whose lambda-step is infinite.
at::Tensor Sampler::dpmSolver2M(int i, const at::Tensor& x, const at::Tensor& x0) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    const NoiseLevel to = m_levels[static_cast<size_t>(i) + 1];
    if (to.sigma == 0.0)
        return x0 * to.alpha;
    const double decay = (from.alpha * to.sigma) / (from.sigma * to.alpha); // e^{-h}
    at::Tensor data = x0;
    if (i >= 1 && m_lastStep == i - 1 && m_lastX0.defined()) {
        const NoiseLevel previous = m_levels[static_cast<size_t>(i) - 1];
        if (previous.alpha > 0.0) {
            const double h = halfLogSnr(to) - halfLogSnr(from);
            const double hPrevious = halfLogSnr(from) - halfLogSnr(previous);
            const double weight = h / (2.0 * hPrevious); // 1 / (2 r)
            data = x0 * (1.0 + weight) - m_lastX0 * weight;
        }
    }
    return x * (to.sigma / from.sigma) + data * (to.alpha * (1.0 - decay));
}

at::Tensor sample(Sampler& sampler, at::Tensor x, const ModelFn& model, Prediction prediction,
    at::Generator generator, const SampleOptions& options)
{
    const int total = sampler.steps();
    if (options.firstStep < 0 || options.firstStep > total)
        throw std::out_of_range("sample: firstStep out of range");
    sampler.reset();
    for (int i = options.firstStep; i < total; ++i) {
        if (options.isCancelled && options.isCancelled())
            throw PipelineCancelled();
        const at::Tensor output = model(x, sampler.timestep(i));
        x = sampler.step(i, x, output, prediction, generator);
        if (options.onStep)
            options.onStep(i + 1, total, sampler.predictedX0());
    }
    return x;
}

at::Tensor invert(
    Sampler& sampler, const at::Tensor& x0, const ModelFn& model, Prediction prediction, int iterations)
{
    const SamplerKind kind = sampler.kind();
    const bool firstOrderOde = kind == SamplerKind::Euler || kind == SamplerKind::FlowEuler
        || (kind == SamplerKind::Ddim && !sampler.isStochastic());
    if (!firstOrderOde)
        throw std::invalid_argument("invert: needs ddim with eta 0, euler or flow-euler");
    if (iterations < 1)
        throw std::invalid_argument("invert: iterations must be at least 1");
    sampler.reset();
    // The forward step from level j is x_{j+1} = alpha_{j+1} x0(x_j) + sigma_{j+1} eps(x_j). It is
    // solved for x_j through eps where the model's eps barely depends on x_j (high SNR, and the step
    // into clean data, where sigma_{j+1} = 0) and through x0 where x0 barely does (low SNR, and zero
    // SNR, where alpha_j = 0): each iteration then shrinks the error by a factor O(step).
    at::Tensor x = x0;
    at::Tensor eps;
    for (int j = sampler.steps() - 1; j >= 0; --j) {
        const NoiseLevel noisier = sampler.level(j);
        const NoiseLevel cleaner = sampler.level(j + 1);
        if (prediction == Prediction::Epsilon && noisier.alpha == 0.0)
            throw std::invalid_argument(
                "invert: an epsilon model cannot reach zero SNR; use v, sample or flow");
        const bool solveThroughEps
            = cleaner.sigma == 0.0 || (noisier.alpha > 0.0 && noisier.alpha >= noisier.sigma);
        const double scale = noisier.alpha / cleaner.alpha;
        const double epsWeight = noisier.sigma - noisier.alpha * cleaner.sigma / cleaner.alpha;
        at::Tensor guess = eps.defined() ? x * scale + eps * epsWeight : x * scale;
        for (int k = 0; k < iterations; ++k) {
            const at::Tensor output = model(guess, sampler.timestep(j));
            eps = predictedEps(prediction, guess, output, noisier);
            if (solveThroughEps) {
                guess = x * scale + eps * epsWeight;
            } else {
                const at::Tensor data = predictedX0(prediction, guess, output, noisier);
                guess = (x - data * (cleaner.alpha - cleaner.sigma * noisier.alpha / noisier.sigma))
                    * (noisier.sigma / cleaner.sigma);
            }
        }
        x = guess;
    }
    return x;
}

} // namespace kinora::inference
