#pragma once
// Samplers: the update rules that walk a diffusion state from noise to data, one model evaluation
// per step, and the small loop that drives them. The state always stays in the model's own
// coordinates x = alpha x0 + sigma eps (no separate "scale the model input" step); rules that are
// defined in sigma-space (Euler, Karras sigmas) convert on the fly.

#include "kinora/inference/job_errors.h"
#include "kinora/inference/schedule.h"

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kinora::inference {

// In exact arithmetic on the same grid, Ddim at eta 0, Euler and FlowEuler take the same step, and
// so do Ddpm and EulerAncestral: they are kept apart because artists know them by these names and
// because each computes in its own coordinates (sigma-space for Euler, flow time for FlowEuler).
enum class SamplerKind {
    Ddpm, // ancestral, posterior variance (Ho et al.); stochastic
    Ddim, // Song et al.; deterministic at eta 0
    Euler, // Karras et al.'s Euler step in sigma-space; deterministic
    EulerAncestral, // Euler to a lower level plus fresh noise back up to the target; stochastic
    DpmSolver2M, // DPM-Solver++(2M): multistep second order in log-SNR, data prediction
    FlowEuler, // Euler in flow time t of a flow-matching schedule
    // UniPC (Zhao et al. 2023) as diffusers' UniPCMultistepScheduler runs it by default and Wan 2.1
    // samples with it: order 2, B(h) = expm1(-h) ("bh2"), on the data prediction x0 (x - sigma v for
    // a flow model), in half log-SNR lambda = log alpha - log sigma (log(1 - sigma) - log sigma for
    // flow). Each step i >= 1 first corrects its input with the UniC corrector (order 1 on step 1,
    // then 2: the model output at the input refines the previous step's prediction, no extra model
    // call), then predicts the next level with UniP (order 1 on the first step, whose rho for the
    // order-2 term is 0.5, and on the last: lower_order_final). The step into clean data (sigma 0,
    // an infinite lambda-step) lands on x0. predictedX0() is the model's x0 at the uncorrected input.
    // Deterministic; keeps the last two x0 estimates and the last corrected state (reset()).
    UniPC,
};

// Parses "ddpm", "ddim", "euler", "euler-a", "dpm++2m", "flow-euler" or "unipc"; throws
// std::invalid_argument on anything else.
SamplerKind parseSamplerKind(const std::string& text);

struct SamplerOptions {
    // DDIM only: 0 is deterministic, 1 adds DDPM's posterior noise. In [0, 1].
    double eta = 0.0;
    // VP schedules with a non-zero terminal SNR: place the levels by Karras et al.'s rho = 7 rule
    // between the schedule's largest and smallest sigma / alpha, instead of evenly in train steps.
    bool karras = false;
    // Flow-matching schedules only: shiftFlowTime() applied to the grid's times.
    double shift = 1.0;
    // Flow-matching schedules only: where the levels lie and what the model is told (schedule.h).
    // Wan 2.1 as diffusers' WanPipeline samples it: DiffusersUniPC with UniPC, DiffusersFlowMatchEuler
    // with FlowEuler (FlowEuler on that grid is exactly FlowMatchEulerDiscreteScheduler(shift)).
    FlowGrid flowGrid = FlowGrid::Even;
};

// A step grid over a schedule plus the update rule. Levels are numbered 0..steps: step i takes the
// state at level i (the model sees timestep(i)) to level i + 1; level(steps) is clean data. Evenly
// spaced VP grids start on train step T - 1 ("trailing" spacing, Lin et al.) so that sampling
// starts from the schedule's noisiest level. Holds the multistep history: one run at a time.
class Sampler {
public:
    Sampler(SamplerKind kind, NoiseSchedule schedule, int steps, SamplerOptions options = {});

    SamplerKind kind() const { return m_kind; }
    const NoiseSchedule& schedule() const { return m_schedule; }
    int steps() const { return static_cast<int>(m_timesteps.size()); }
    bool isStochastic() const;

    // Model timesteps, one per step, decreasing: what the model is told, which for
    // FlowGrid::DiffusersUniPC is an integer near but not equal to sigma * trainSteps (the solver
    // uses level(i), the float sigma). Fractional for Karras sigmas and the other flow grids.
    const std::vector<double>& timesteps() const { return m_timesteps; }
    double timestep(int i) const;
    // Level of the state before step i, i in [0, steps].
    NoiseLevel level(int i) const;

    // x at level 0 is noise * initNoiseSigma() for unit-variance data: sqrt(alpha^2 + sigma^2) of
    // level 0, which is 1 for VP and flow schedules alike because the state is never in sigma-space.
    // Exactly 1 for every flow grid, as diffusers starts its flow schedulers from plain noise even
    // where the first level lies a hair below t = 1 (FlowGrid::DiffusersUniPC: 1 - 1e-6).
    double initNoiseSigma() const;

    // One update from level i to level i + 1 given the model's output for (x, timestep(i)).
    // Stochastic kinds draw their noise on the CPU from `generator` (required for them) and move it
    // to x's device, so that a seed reproduces across devices. Multistep kinds use the previous
    // step's estimate only when the previous call was step i - 1.
    at::Tensor step(int i, const at::Tensor& x, const at::Tensor& modelOutput, Prediction prediction,
        at::Generator generator = {});

    // x0 noised to level i (alpha_i x0 + sigma_i noise; (1 - sigma_i) x0 + sigma_i noise for flow):
    // for inpainting, which re-imposes the known region at the current level after each step, and
    // for starting part-way (image-to-video). The blended state is simply the next step's input.
    // UniPC's corrector rebuilds that input from the previous one and the model's x0 (diffusers does
    // the same), so there the blend reaches the solver through what the model sees; the known
    // region of every model input, and of the result (level steps is x0 itself), stays exact.
    at::Tensor addNoise(const at::Tensor& x0, const at::Tensor& noise, int i) const;

    // The clean-data estimate of the last step() (undefined before the first): the preview.
    const at::Tensor& predictedX0() const { return m_lastX0; }
    // Forgets the multistep history and the last estimate.
    void reset();

private:
    at::Tensor ancestral(
        int i, const at::Tensor& x0, const at::Tensor& eps, double eta, at::Generator& generator) const;
    at::Tensor euler(int i, const at::Tensor& x, const at::Tensor& x0, const at::Tensor& eps) const;
    at::Tensor eulerAncestral(
        int i, const at::Tensor& x0, const at::Tensor& eps, at::Generator& generator) const;
    at::Tensor dpmSolver2M(int i, const at::Tensor& x, const at::Tensor& x0) const;
    // sampler_unipc.cpp: corrects x with the history, predicts level i + 1, updates the history.
    at::Tensor uniPC(int i, const at::Tensor& x, const at::Tensor& x0);
    at::Tensor uniC(int i, const at::Tensor& x0) const;
    at::Tensor uniP(int i, const at::Tensor& x, const at::Tensor& x0, int order) const;

    SamplerKind m_kind;
    NoiseSchedule m_schedule;
    SamplerOptions m_options;
    std::vector<double> m_timesteps;
    std::vector<NoiseLevel> m_levels; // steps + 1 entries
    at::Tensor m_lastX0;
    int m_lastStep = -1;
    // UniPC: the x0 estimate of the step before the last, the last step's (corrected) input and
    // its predictor's order.
    at::Tensor m_olderX0;
    at::Tensor m_lastInput;
    int m_lastOrder = 0;
};

// The model: output for state x at `timestep` (broadcast it over the batch as the model needs).
using ModelFn = std::function<at::Tensor(const at::Tensor& x, double timestep)>;

struct SampleOptions {
    // First step to run: 0 starts from noise; later steps start from addNoise(x0, noise, firstStep).
    int firstStep = 0;
    // After each step: (steps done, total, clean-data estimate). Runs on the sampling thread.
    std::function<void(int step, int total, const at::Tensor& predictedX0)> onStep;
    // Polled before each model call; true stops the run with PipelineCancelled (job_errors.h), the
    // one exception every stage of a job throws when it is cancelled.
    std::function<bool()> isCancelled;
};

// Runs steps firstStep..steps-1 from x (already at level firstStep) and returns the clean result.
at::Tensor sample(Sampler& sampler, at::Tensor x, const ModelFn& model, Prediction prediction,
    at::Generator generator = {}, const SampleOptions& options = {});

// Runs the deterministic sampler backwards: the latent at level 0 that sample() maps back to x0.
// Each backward step solves the forward step's equation for its input by fixed-point iteration,
// `iterations` model calls per step (at least 1), starting from the explicit backward step, which
// alone would drift by O(1 / steps) over the run. Needs a deterministic first-order kind (Ddim with
// eta 0, Euler or FlowEuler: in exact arithmetic the three take the same step).
at::Tensor invert(
    Sampler& sampler, const at::Tensor& x0, const ModelFn& model, Prediction prediction, int iterations = 2);

} // namespace kinora::inference
