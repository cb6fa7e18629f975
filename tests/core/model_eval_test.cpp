// The metrics of `kinora-cli eval`: PSNR over the scored pixels only, SSIM as Wang et al. (2004).
// The whole evaluation runs end to end in tests/app/cli_test.cpp (EvalCli).

#include "kinora/core/model_eval.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using kinora::core::accumulateFrameErrors;
using kinora::core::FrameErrors;
using kinora::core::psnrOf;
using kinora::core::ssimOf;

constexpr int kW = 40, kH = 30;

std::vector<unsigned char> gradientFrame()
{
    std::vector<unsigned char> f(static_cast<size_t>(kW) * kH * 3);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            for (int c = 0; c < 3; ++c)
                f[(static_cast<size_t>(y) * kW + x) * 3 + c]
                    = static_cast<unsigned char>(40 + 3 * x + 2 * y + 20 * c);
    return f;
}

TEST(EvalMetrics, IdenticalFramesScoreInfinityAndOne)
{
    const auto f = gradientFrame();
    FrameErrors e;
    accumulateFrameErrors(e, f.data(), f.data(), nullptr, kW, kH);
    EXPECT_EQ(e.pixels, kW * kH);
    EXPECT_TRUE(std::isinf(psnrOf(e)));
    EXPECT_NEAR(ssimOf(e), 1.0, 1e-9);
    EXPECT_TRUE(std::isnan(psnrOf(FrameErrors {}))) << "nothing scored is not a number";
}

TEST(EvalMetrics, PsnrCountsOnlyTheScoredPixels)
{
    const auto truth = gradientFrame();
    auto made = truth;
    std::vector<unsigned char> mask(static_cast<size_t>(kW) * kH, 0);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const bool inside = x >= 10 && x < 20 && y >= 5 && y < 25;
            mask[static_cast<size_t>(y) * kW + x] = inside ? 255 : 0;
            for (int c = 0; c < 3; ++c) // off by 26 inside the box, by 90 outside it
                made[(static_cast<size_t>(y) * kW + x) * 3 + c] += inside ? 26 : 90;
        }
    FrameErrors e;
    accumulateFrameErrors(e, truth.data(), made.data(), mask.data(), kW, kH);
    EXPECT_EQ(e.pixels, 10 * 20);
    EXPECT_NEAR(psnrOf(e), 20 * std::log10(255.0 / 26), 1e-9);
    // Two frames accumulate: the mean squared error over both.
    FrameErrors both = e;
    accumulateFrameErrors(both, truth.data(), truth.data(), mask.data(), kW, kH);
    EXPECT_EQ(both.pixels, 2 * 10 * 20);
    EXPECT_NEAR(psnrOf(both), 20 * std::log10(255.0 / 26) + 10 * std::log10(2.0), 1e-9);
}

TEST(EvalMetrics, SsimOfFlatFramesIsTheLuminanceTerm)
{
    // Constant frames have no variance, so SSIM reduces to (2ab + C1) / (a^2 + b^2 + C1).
    const std::vector<unsigned char> a(static_cast<size_t>(kW) * kH * 3, 100);
    const std::vector<unsigned char> b(static_cast<size_t>(kW) * kH * 3, 180);
    FrameErrors e;
    accumulateFrameErrors(e, a.data(), b.data(), nullptr, kW, kH);
    const double x = 100 / 255.0, y = 180 / 255.0, c1 = 1e-4;
    EXPECT_NEAR(ssimOf(e), (2 * x * y + c1) / (x * x + y * y + c1), 1e-9);
}

TEST(EvalMetrics, SsimFallsAsNoiseGrowsAndIsSymmetric)
{
    const auto truth = gradientFrame();
    std::mt19937 rng(3);
    double previous = 1.0;
    for (const int amplitude : { 4, 16, 48 }) {
        std::uniform_int_distribution<int> noise(-amplitude, amplitude);
        auto made = truth;
        for (auto& v : made)
            v = static_cast<unsigned char>(std::clamp(v + noise(rng), 0, 255));
        FrameErrors forward, backward;
        accumulateFrameErrors(forward, truth.data(), made.data(), nullptr, kW, kH);
        accumulateFrameErrors(backward, made.data(), truth.data(), nullptr, kW, kH);
        EXPECT_LT(ssimOf(forward), previous) << amplitude;
        EXPECT_NEAR(ssimOf(forward), ssimOf(backward), 1e-12) << amplitude;
        EXPECT_NEAR(psnrOf(forward), psnrOf(backward), 1e-12) << amplitude;
        previous = ssimOf(forward);
    }
    EXPECT_LT(previous, 0.9);
}

} // namespace
