#include "kinora/inference/embeddings.h"

#include <torch/torch.h>

#include <stdexcept>

namespace kinora::inference {

at::Tensor sinusoidalEmbedding(const at::Tensor& timesteps, int64_t dim, double maxPeriod)
{
    if (dim <= 0 || dim % 2 != 0)
        throw std::invalid_argument(
            "sinusoidalEmbedding: dim must be even and positive, got " + std::to_string(dim));
    if (timesteps.dim() != 1)
        throw std::invalid_argument("sinusoidalEmbedding: timesteps must be a 1-D tensor");
    const int64_t half = dim / 2;
    auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device());
    // Frequencies in float64 on the host side of the formula would differ from a GPU float32 run by
    // rounding only; compute them in float32 like the rest of the network.
    auto freqs = torch::exp(-std::log(maxPeriod) * torch::arange(half, opts) / static_cast<double>(half));
    auto args = timesteps.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
    return torch::cat({ torch::cos(args), torch::sin(args) }, /*dim=*/1);
}

} // namespace kinora::inference
