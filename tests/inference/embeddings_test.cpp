#include "kinora/inference/embeddings.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <cmath>

using kinora::inference::sinusoidalEmbedding;

TEST(SinusoidalEmbedding, MatchesTheClosedFormOnCpu)
{
    const std::vector<float> steps = { 0.0f, 1.0f, 17.0f, 999.0f };
    const int64_t dim = 8;
    const double maxPeriod = 10000.0;
    auto emb = sinusoidalEmbedding(torch::tensor(steps), dim, maxPeriod);
    ASSERT_EQ(emb.sizes(), (std::vector<int64_t> { 4, dim }));
    ASSERT_EQ(emb.scalar_type(), torch::kFloat32);
    auto acc = emb.accessor<float, 2>();
    const int64_t half = dim / 2;
    for (size_t n = 0; n < steps.size(); ++n) {
        for (int64_t i = 0; i < half; ++i) {
            const double freq = std::pow(maxPeriod, -static_cast<double>(i) / half);
            const double arg = steps[n] * freq;
            // float32 arguments near 1000 rad carry ~1e-4 absolute rounding.
            EXPECT_NEAR(acc[n][i], std::cos(arg), 2e-4) << "t=" << steps[n] << " i=" << i;
            EXPECT_NEAR(acc[n][half + i], std::sin(arg), 2e-4) << "t=" << steps[n] << " i=" << i;
        }
    }
}

TEST(SinusoidalEmbedding, DistinctStepsGetDistinctCodes)
{
    auto emb = sinusoidalEmbedding(torch::arange(0, 50), 32);
    auto dists = torch::cdist(emb, emb);
    dists.fill_diagonal_(1.0);
    EXPECT_GT(dists.min().item<float>(), 1e-3f);
}

TEST(SinusoidalEmbedding, RejectsOddOrEmptyDimensions)
{
    EXPECT_THROW(sinusoidalEmbedding(torch::arange(0, 3), 7), std::invalid_argument);
    EXPECT_THROW(sinusoidalEmbedding(torch::arange(0, 3), 0), std::invalid_argument);
    EXPECT_THROW(sinusoidalEmbedding(torch::zeros({ 2, 2 }), 4), std::invalid_argument);
}
