// UniPC (Zhao et al. 2023, "UniPC: A Unified Predictor-Corrector Framework for Fast Sampling of
// Diffusion Models"), written to give what diffusers' UniPCMultistepScheduler gives with its
// defaults (solver_order 2, solver_type "bh2", predict_x0, lower_order_final, the corrector on
// every step after the first), the scheduler Wan 2.1 is sampled with. The arithmetic follows
// multistep_uni_p_bh_update / multistep_uni_c_bh_update term by term, with the coefficients in
// float64 (diffusers computes them in float32; the states agree to ~1e-6 relative).
#include "kinora/inference/sampler.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace kinora::inference {

namespace {

// Half log-SNR lambda = log alpha - log sigma: -inf at zero SNR (alpha 0), +inf at clean data.
double lambdaOf(NoiseLevel level)
{
    return std::log(level.alpha) - std::log(level.sigma);
}

// The B(h) coefficients of a step of h in lambda on the data prediction (hh = -h):
// h phi_1 = expm1(hh), B(h) = expm1(hh) ("bh2"), and b_k = (k - 1)! h phi_k(hh) / B(h) for k = 1, 2
// through diffusers' recurrence h phi_{k+1} = h phi_k / hh - 1 / k!. At h = +inf (a step from zero
// SNR) the limits come out of IEEE arithmetic: h phi_1 = B(h) = -1, b_1 = b_2 = 1.
struct Coefficients {
    double hPhi1;
    double bh;
    double b1;
    double b2;
};

Coefficients coefficients(double h)
{
    const double hh = -h;
    const double hPhi1 = std::expm1(hh);
    const double bh = hPhi1;
    double hPhiK = hPhi1 / hh - 1.0;
    const double b1 = hPhiK / bh;
    hPhiK = hPhiK / hh - 0.5;
    const double b2 = hPhiK * 2.0 / bh;
    return { hPhi1, bh, b1, b2 };
}

} // namespace

// One call is diffusers' step(): the corrector on the input (when the previous call was step i - 1),
// then the predictor from the corrected input. The history is the last two x0 estimates, the last
// corrected input and its predictor's order; a call that does not follow step i - 1 starts it over
// (first order, no corrector), as diffusers does when its history is empty.
at::Tensor Sampler::uniPC(int i, const at::Tensor& x, const at::Tensor& x0)
{
    const bool continues = i >= 1 && m_lastStep == i - 1 && m_lastX0.defined() && m_lastInput.defined();
    const at::Tensor input = continues ? uniC(i, x0) : x;
    // Warm-up: order 1 until a previous estimate exists; lower_order_final: order 1 on the last.
    const int order = continues ? std::min(2, steps() - i) : 1;
    at::Tensor next = uniP(i, input, x0, order);
    m_olderX0 = continues ? m_lastX0 : at::Tensor();
    m_lastInput = input;
    m_lastOrder = order;
    return next;
}

// UniC: redoes the previous step (from its corrected input at level i - 1 to level i) with the
// model's estimate x0 at level i added to the data-prediction differences, which raises the order
// by one without another model call. The uncorrected input enters only through x0 (diffusers
// computes x0 from it and likewise ignores it otherwise). The corrector's order is that of the
// previous predictor: 1 on step 1 (rho = 0.5), else 2 (rho solved from the 2x2 system R rho = b,
// R = [[1, 1], [r, 1]]).
at::Tensor Sampler::uniC(int i, const at::Tensor& x0) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i) - 1];
    const NoiseLevel to = m_levels[static_cast<size_t>(i)];
    const double h = lambdaOf(to) - lambdaOf(from);
    const Coefficients c = coefficients(h);
    at::Tensor corrected = m_lastInput * (to.sigma / from.sigma) - m_lastX0 * (to.alpha * c.hPhi1);
    double rhoNew = 0.5;
    if (m_lastOrder >= 2) {
        // r = -inf when level i - 2 is at zero SNR: the older difference then weighs 0 and rho0 is 0.
        const NoiseLevel older = m_levels[static_cast<size_t>(i) - 2];
        const double r = (lambdaOf(older) - lambdaOf(from)) / h;
        const double rhoOld = (c.b1 - c.b2) / (1.0 - r);
        rhoNew = c.b1 - rhoOld;
        corrected = corrected - (m_olderX0 - m_lastX0) * (to.alpha * c.bh * rhoOld / r);
    }
    return corrected - (x0 - m_lastX0) * (to.alpha * c.bh * rhoNew);
}

// UniP from level i to i + 1: the exponential-integrator step on x0 (first order, DDIM's step),
// plus for order 2 the difference to the previous estimate with rho = 0.5. The step into clean
// data (sigma 0, lambda +inf) is first order and lands on x0, which is also what IEEE arithmetic
// makes of diffusers' formula there (0 x + x0).
at::Tensor Sampler::uniP(int i, const at::Tensor& x, const at::Tensor& x0, int order) const
{
    const NoiseLevel from = m_levels[static_cast<size_t>(i)];
    const NoiseLevel to = m_levels[static_cast<size_t>(i) + 1];
    if (to.sigma == 0.0)
        return x0 * to.alpha;
    const double h = lambdaOf(to) - lambdaOf(from);
    const Coefficients c = coefficients(h);
    at::Tensor next = x * (to.sigma / from.sigma) - x0 * (to.alpha * c.hPhi1);
    if (order >= 2) {
        // D1 = (x0_{i-1} - x0_i) / r; r = -inf after a zero-SNR level makes the term 0.
        const NoiseLevel previous = m_levels[static_cast<size_t>(i) - 1];
        const double r = (lambdaOf(previous) - lambdaOf(from)) / h;
        next = next - (m_lastX0 - x0) * (to.alpha * c.bh * 0.5 / r);
    }
    return next;
}

} // namespace kinora::inference
