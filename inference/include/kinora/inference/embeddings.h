#pragma once
// Sinusoidal embeddings: how the denoiser is told the diffusion time step (and, later, how temporal
// attention is told frame positions).

#include <ATen/core/Tensor.h>

namespace kinora::inference {

// Returns [N, dim] for N time steps: the first dim/2 columns are cos(t * f_i), the last dim/2 are
// sin(t * f_i), with f_i = maxPeriod^(-i / (dim/2)) for i in [0, dim/2). dim must be even and > 0.
at::Tensor sinusoidalEmbedding(const at::Tensor& timesteps, int64_t dim, double maxPeriod = 10000.0);

} // namespace kinora::inference
