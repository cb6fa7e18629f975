#include "kinora/inference/native_video_model.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/runtime.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace kinora::inference;

namespace {

struct PipelineTest : ::testing::Test {
    NativeVideoModel model { createNativeModel("tiny", 11) };
    DiffusionRequest request()
    {
        DiffusionRequest r;
        r.prompt = "a red circle moving left on a blue background";
        r.negativePrompt = "";
        r.width = 16;
        r.height = 16;
        r.frames = 4;
        r.steps = 3;
        r.guidance = 4.0;
        r.sampler = "dpm++2m";
        r.seed = 5;
        return r;
    }
};

} // namespace

TEST_F(PipelineTest, SameSeedSameClipOtherSeedOtherClip)
{
    auto a = runDiffusion(model, request()).video;
    auto b = runDiffusion(model, request()).video;
    ASSERT_EQ(a.sizes(), (std::vector<int64_t> { 3, 4, 16, 16 }));
    EXPECT_TRUE(torch::equal(a, b));
    EXPECT_GE(a.min().item<float>(), 0.0f);
    EXPECT_LE(a.max().item<float>(), 1.0f);
    auto other = request();
    other.seed = 6;
    EXPECT_FALSE(torch::equal(a, runDiffusion(model, other).video));
}

TEST_F(PipelineTest, GuidanceAndPromptChangeTheClip)
{
    auto base = runDiffusion(model, request()).video;
    auto unguided = request();
    unguided.guidance = 1.0;
    EXPECT_FALSE(torch::equal(base, runDiffusion(model, unguided).video));
    auto prompt = request();
    prompt.prompt = "a green star";
    EXPECT_FALSE(torch::equal(base, runDiffusion(model, prompt).video));
}

TEST_F(PipelineTest, InpaintingKeepsEveryKnownPixelExactly)
{
    torch::manual_seed(3);
    auto r = request();
    r.knownVideo = torch::rand({ 3, 4, 16, 16 });
    r.knownMask = torch::ones({ 4, 16, 16 });
    r.knownMask.narrow(1, 4, 8).narrow(2, 2, 9).zero_(); // the box to regenerate
    auto out = runDiffusion(model, r).video;
    auto known = r.knownMask.unsqueeze(0).expand_as(out) > 0.5;
    EXPECT_TRUE(torch::equal(out.masked_select(known), r.knownVideo.masked_select(known)));
    // ...and the box is regenerated, not copied.
    EXPECT_GT((out - r.knownVideo).abs().masked_select(~known).mean().item<float>(), 1e-3);
}

TEST_F(PipelineTest, InterpolationKeepsTheKeyframes)
{
    torch::manual_seed(4);
    auto r = request();
    r.frames = 5;
    r.knownVideo = torch::rand({ 3, 5, 16, 16 });
    r.knownMask = torch::zeros({ 5, 16, 16 });
    for (int64_t k : { 0, 2, 4 })
        r.knownMask[k].fill_(1.0);
    auto out = runDiffusion(model, r).video;
    for (int64_t k : { 0, 2, 4 })
        EXPECT_TRUE(torch::equal(out.select(1, k), r.knownVideo.select(1, k))) << "keyframe " << k;
    EXPECT_FALSE(torch::equal(out.select(1, 1), r.knownVideo.select(1, 1)));
}

TEST_F(PipelineTest, ReportsEveryStepWithAPreview)
{
    auto r = request();
    r.steps = 4;
    r.fullDecodeEvery = 2;
    std::vector<int> steps;
    int fullDecodes = 0;
    PipelineCallbacks callbacks;
    callbacks.onStep = [&](const StepUpdate& u) {
        steps.push_back(u.step);
        EXPECT_EQ(u.total, 4);
        EXPECT_EQ(u.preview.sizes(), (std::vector<int64_t> { 3, 4, 8, 8 }));
        if (u.fullDecode.defined()) {
            ++fullDecodes;
            EXPECT_EQ(u.fullDecode.sizes(), (std::vector<int64_t> { 3, 4, 16, 16 }));
        }
    };
    runDiffusion(model, r, callbacks);
    EXPECT_EQ(steps, (std::vector<int> { 1, 2, 3, 4 }));
    EXPECT_EQ(fullDecodes, 1); // at step 2; the last step's decode is the result itself
}

TEST_F(PipelineTest, CancelStopsWithinOneStep)
{
    auto r = request();
    r.steps = 6;
    int done = 0;
    PipelineCallbacks callbacks;
    callbacks.onStep = [&](const StepUpdate&) { ++done; };
    callbacks.isCancelled = [&] { return done >= 2; };
    EXPECT_THROW(runDiffusion(model, r, callbacks), PipelineCancelled);
    EXPECT_EQ(done, 2);
}

TEST_F(PipelineTest, RejectsSizesTheModelCannotMake)
{
    auto r = request();
    r.width = 18;
    EXPECT_THROW(runDiffusion(model, r), std::invalid_argument);
    auto mismatched = request();
    mismatched.knownVideo = torch::rand({ 3, 4, 16, 16 });
    EXPECT_THROW(runDiffusion(model, mismatched), std::invalid_argument);
    mismatched.knownMask = torch::ones({ 4, 8, 8 });
    EXPECT_THROW(runDiffusion(model, mismatched), std::invalid_argument);
    auto sampler = request();
    sampler.sampler = "warp-drive";
    EXPECT_THROW(runDiffusion(model, sampler), std::invalid_argument);
    // The loop fills nothing in: a request without steps or frames is refused, not defaulted.
    auto incomplete = request();
    incomplete.steps = 0;
    EXPECT_THROW(runDiffusion(model, incomplete), std::invalid_argument);
    incomplete = request();
    incomplete.frames = 0;
    EXPECT_THROW(runDiffusion(model, incomplete), std::invalid_argument);
}

TEST_F(PipelineTest, HalfPrecisionWeightsSampleCloseToFloat32)
{
    const auto reference = runDiffusion(model, request()).video;
    for (const char* precision : { "bf16", "fp16" }) {
        NativeVideoModel half { createNativeModel("tiny", 11) };
        moveNativeModel(half.native(), c10::Device(c10::kCPU), precision);
        EXPECT_EQ(half.native().denoiser->convIn->weight.scalar_type(),
            std::string(precision) == "bf16" ? torch::kBFloat16 : torch::kFloat16);
        const auto video = runDiffusion(half, request()).video;
        ASSERT_EQ(video.scalar_type(), torch::kFloat32);
        // Same seed, same noise: only the rounding of the weights and activations differs.
        const double error = (video - reference).abs().mean().item<double>();
        EXPECT_LT(error, 0.05) << precision;
        EXPECT_GT(error, 0.0) << precision << ": the weights were not converted";
    }
    EXPECT_EQ(resolvePrecision(Precision::Auto, "cpu"), "fp32");
    EXPECT_EQ(resolvePrecision(Precision::Auto, "cuda"), "bf16");
    EXPECT_EQ(resolvePrecision(parsePrecision("fp16"), "cuda"), "fp16");
    EXPECT_THROW(parsePrecision("fp8"), std::invalid_argument);
}

TEST(OutOfMemory, BecomesAnErrorNamingTheJobAndWhatToLower)
{
    const auto job = jobDescription(48, 512, 320);
    for (int kind = 0; kind < 2; ++kind) {
        try {
            translateOutOfMemory(job, [kind] {
                if (kind == 0)
                    throw std::bad_alloc();
                throw c10::OutOfMemoryError(
                    c10::SourceLocation { __func__, __FILE__, static_cast<uint32_t>(__LINE__) },
                    "CUDA out of memory. Tried to allocate 2.00 GiB");
            });
            ADD_FAILURE() << "no error";
        } catch (const OutOfMemory& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("48 frames at 512x320"), std::string::npos) << message;
            EXPECT_NE(message.find("lower the size or the number of frames"), std::string::npos) << message;
            EXPECT_EQ(message.find("--"), std::string::npos) << "no command-line flags: " << message;
            EXPECT_NE(message.find(kind == 0 ? "out of memory" : "out of GPU memory"), std::string::npos)
                << message;
        }
    }
    // Other errors pass through untouched.
    EXPECT_THROW(
        translateOutOfMemory(job, [] { throw std::invalid_argument("bad"); }), std::invalid_argument);
}
