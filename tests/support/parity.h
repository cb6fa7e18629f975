#pragma once
// Parity with a reference implementation's fixture (the Wan 2.1 tests): max |ours - reference| and
// that over max |reference|, printed and recorded for the parity table.

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace kinora::test {

struct ParityError {
    double maxAbs = 0.0;
    double relative = 0.0; // max |ours - reference| / max |reference|
};

// In float64; a shape mismatch fails the test and reads as an infinite error.
inline ParityError parityError(const at::Tensor& ours, const at::Tensor& reference)
{
    EXPECT_EQ(ours.sizes(), reference.sizes());
    if (ours.sizes() != reference.sizes())
        return { 1e30, 1e30 };
    const auto a = ours.to(at::kDouble);
    const auto b = reference.to(at::kDouble);
    const double maxAbs = (a - b).abs().max().item<double>();
    return { maxAbs, maxAbs / std::max(b.abs().max().item<double>(), 1e-30) };
}

// Prints "[parity] WHAT: max abs …, relative …" on stderr, records both as test properties, and
// fails when the relative error is above `tolerance` (fp32 parity: 1e-4).
inline void expectParity(
    const std::string& what, const at::Tensor& ours, const at::Tensor& reference, double tolerance = 1e-4)
{
    const auto e = parityError(ours, reference);
    std::fprintf(stderr, "[parity] %s: max abs %.3e, relative %.3e\n", what.c_str(), e.maxAbs, e.relative);
    testing::Test::RecordProperty(what + ".max_abs", std::to_string(e.maxAbs));
    testing::Test::RecordProperty(what + ".relative", std::to_string(e.relative));
    EXPECT_LE(e.relative, tolerance) << what;
}

} // namespace kinora::test
