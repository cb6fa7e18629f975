#pragma once
// Noise schedules and model parameterizations: how much signal and noise a diffusion state holds at
// each training timestep, and how a denoiser's raw output turns into a clean-data and a noise
// estimate. Every schedule is described by x_t = alpha(t) x0 + sigma(t) eps, so that the samplers
// in sampler.h can treat variance-preserving and flow-matching models alike.

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace kinora::inference {

// What the denoiser was trained to output.
enum class Prediction {
    Epsilon, // the noise eps
    V, // v = alpha eps - sigma x0 (Salimans & Ho)
    Sample, // the clean data x0
    Flow, // the velocity eps - x0 of the straight path x_t = (1 - t) x0 + t eps (rectified flow)
};

// Parses "epsilon", "v", "sample" or "flow"; throws std::invalid_argument on anything else.
Prediction parsePrediction(const std::string& text);

// One point of the forward process: x = alpha x0 + sigma eps. The clean end is {1, 0}.
struct NoiseLevel {
    double alpha = 1.0;
    double sigma = 0.0;
};

// Estimates of x0 and eps from a state x at `level` and a model output of kind `prediction`. Exact
// inverses of predictionTarget for every level where they are defined (Epsilon needs alpha > 0,
// Sample needs sigma > 0 for the noise estimate). The result keeps the dtype of x.
at::Tensor predictedX0(
    Prediction prediction, const at::Tensor& x, const at::Tensor& output, NoiseLevel level);
at::Tensor predictedEps(
    Prediction prediction, const at::Tensor& x, const at::Tensor& output, NoiseLevel level);

// What a model of kind `prediction` should output for the state alpha x0 + sigma eps: the
// training target.
at::Tensor predictionTarget(
    Prediction prediction, const at::Tensor& x0, const at::Tensor& eps, NoiseLevel level);

// The timestep shift of flow-matching models (SD3, Wan): t' = s t / (1 + (s - 1) t) for t in [0, 1].
// s > 1 moves every point towards the noisy end, where large images and videos need more steps.
double shiftFlowTime(double t, double shift);

// Where the levels of a sampler over a flow-matching schedule lie, and what the model is told.
enum class FlowGrid {
    // Kinora's own: t_i = shiftFlowTime(1 - i / steps) for i = 0..steps, from pure noise (t = 1)
    // to data (t = 0), the model told t_i * trainSteps as a fraction.
    Even,
    // diffusers' UniPCMultistepScheduler(use_flow_sigmas=True, flow_shift=s), which WanPipeline
    // runs: sigmas shift(linspace(1, 1 / T, steps + 1)[:-1]) in float64, the first lowered by 1e-6
    // when it is within 1e-6 of 1 (so that its log-SNR is finite), then rounded to float32, and a
    // final 0. The model is told the INTEGER timestep trunc(sigma * T) (of the float64 sigma) while
    // the solver steps between the float32 sigmas.
    DiffusersUniPC,
    // diffusers' FlowMatchEulerDiscreteScheduler(shift=s): sigmas shift(linspace(1, m, steps)) with
    // m = shift(1 / T) computed in float32 at construction (so the smallest sigma is shifted twice,
    // as diffusers does it), rounded to float32, and a final 0; the model is told sigma * T in
    // float32 (fractional).
    DiffusersFlowMatchEuler,
};

// Parses "even", "diffusers-unipc" or "diffusers-euler"; throws std::invalid_argument otherwise.
FlowGrid parseFlowGrid(const std::string& text);

// The steps + 1 flow times (sigma = t, level {1 - t, t}) and the steps model timesteps of a grid,
// in [0, trainSteps]. Throws std::invalid_argument for steps < 1, shift <= 0 or trainSteps < 2.
struct FlowSteps {
    std::vector<double> sigmas; // decreasing, the last 0
    std::vector<double> timesteps;
};
FlowSteps flowSteps(FlowGrid grid, int steps, double shift, int trainSteps = 1000);

// A discrete variance-preserving schedule (alphas_cumprod per training step, built in float64) or
// the continuous flow-matching one. Copyable value type.
class NoiseSchedule {
public:
    // betas evenly spaced from betaStart to betaEnd (DDPM).
    static NoiseSchedule linear(int trainSteps = 1000, double betaStart = 1e-4, double betaEnd = 0.02);
    // betas = linspace(sqrt(betaStart), sqrt(betaEnd), T)^2 (Stable Diffusion's defaults).
    static NoiseSchedule scaledLinear(
        int trainSteps = 1000, double betaStart = 0.00085, double betaEnd = 0.012);
    // alpha_bar(t) = f(t) / f(0), f(t) = cos(((t / T + offset) / (1 + offset)) pi / 2)^2, with the
    // betas clipped at maxBeta (Nichol & Dhariwal).
    static NoiseSchedule cosine(int trainSteps = 1000, double offset = 0.008, double maxBeta = 0.999);
    // x_t = (1 - t) x0 + t eps with t = timestep / trainSteps: the model is told t * trainSteps.
    static NoiseSchedule flowMatching(int trainSteps = 1000);

    // Lin et al. 2023: shifts and scales sqrt(alpha_bar) so that the last step is pure noise
    // (alpha_bar exactly 0) while the first is unchanged. Such a schedule needs a V, Sample or Flow
    // model: an Epsilon model says nothing about x0 at zero signal. Throws for flow matching.
    NoiseSchedule withZeroTerminalSnr() const;

    bool isFlow() const { return m_flow; }
    int trainSteps() const { return m_trainSteps; }
    // alpha_bar per training step (empty for flow matching).
    const std::vector<double>& alphasCumprod() const { return m_alphasCumprod; }

    // The level the model is trained at for `timestep` in [0, trainSteps - 1] (VP) or [0,
    // trainSteps] (flow). Between integer VP steps the half log-SNR log(alpha / sigma) is
    // interpolated linearly, the convention Karras sigmas are mapped to timesteps with.
    NoiseLevel level(double timestep) const;
    // The inverse for VP schedules: the (fractional) timestep whose half log-SNR is `halfLogSnr`,
    // clamped to the schedule's range.
    double timestepForLogSnr(double halfLogSnr) const;

private:
    NoiseSchedule(bool flow, int trainSteps, std::vector<double> alphasCumprod);

    bool m_flow = false;
    int m_trainSteps = 0;
    std::vector<double> m_alphasCumprod;
};

} // namespace kinora::inference
