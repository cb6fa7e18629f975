// The task layer on an untrained tiny pack: sizes, windows, exact compositing, determinism,
// progress and cancellation. Whether the conditioning brings content back is conditioning_test.cpp.

#include "kinora/inference/tasks.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace kinora::inference;

namespace {

struct TasksTest : ::testing::Test {
    NativeModel model = createNativeModel("tiny", 21);
    TaskOptions options()
    {
        TaskOptions o;
        o.prompt = "a red square moving right";
        o.steps = 2;
        o.seed = 4;
        o.width = 16;
        o.height = 16;
        o.windowFrames = 4;
        o.overlapFrames = 1;
        return o;
    }
    static at::Tensor footage(int frames, int height, int width)
    {
        auto g = at::make_generator<at::CPUGeneratorImpl>(9);
        return torch::rand({ 3, frames, height, width }, g);
    }
};

} // namespace

TEST_F(TasksTest, WorkingSizeKeepsTheAspectRatioWithinThePixelBudget)
{
    // The tiny pack's default is 32x32 and its size factor 4.
    const auto [w, h] = workingSize(model, 1280, 720);
    EXPECT_EQ(w % 4, 0);
    EXPECT_EQ(h % 4, 0);
    EXPECT_NEAR(static_cast<double>(w) / h, 16.0 / 9.0, 0.2);
    EXPECT_LE(w * h, 32 * 32 * 1.2);
    // Footage already small enough is not blown up.
    EXPECT_EQ(workingSize(model, 16, 8), (std::pair { 16, 8 }));
}

TEST_F(TasksTest, LongClipsAreMadeInOverlappingWindowsWithProgressAcrossThem)
{
    std::vector<TaskProgress> seen;
    TaskCallbacks callbacks;
    callbacks.onStep = [&seen](const TaskProgress& p) { seen.push_back(p); };
    const auto result = generateVideo(model, options(), 10, {}, callbacks);
    // Windows of 4 sharing 1 frame: starts 0, 3, 6 → the last ends at 10.
    EXPECT_EQ(result.windows, 3);
    EXPECT_EQ(result.video.sizes(), (std::vector<int64_t> { 3, 10, 16, 16 }));
    ASSERT_EQ(seen.size(), 6u);
    for (size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i].update.step, static_cast<int>(i) + 1);
        EXPECT_EQ(seen[i].update.total, 6);
        EXPECT_EQ(seen[i].windows, 3);
    }
    EXPECT_EQ(seen.back().window, 2);
    EXPECT_EQ(seen.back().firstFrame, 6);
    EXPECT_TRUE(torch::equal(result.video, generateVideo(model, options(), 10).video));
    auto other = options();
    other.seed = 5;
    EXPECT_FALSE(torch::equal(result.video, generateVideo(model, other, 10).video));
}

TEST_F(TasksTest, ImageToVideoStartsOnTheImage)
{
    const auto image = footage(1, 40, 40).squeeze(1);
    const auto video = generateVideo(model, options(), 5, image).video;
    ASSERT_EQ(video.sizes(), (std::vector<int64_t> { 3, 5, 16, 16 }));
    const auto scaled = torch::nn::functional::interpolate(image.unsqueeze(0),
        torch::nn::functional::InterpolateFuncOptions()
            .size(std::vector<int64_t> { 16, 16 })
            .mode(torch::kArea));
    EXPECT_TRUE(torch::allclose(video.select(1, 0), scaled[0], 1e-5, 1e-5));
}

TEST_F(TasksTest, ExtendKeepsTheInputFramesExactly)
{
    auto o = options();
    o.width = 0; // fit the footage
    o.height = 0;
    const auto clip = footage(3, 24, 40);
    const auto result = extendVideo(model, o, clip, 6);
    ASSERT_EQ(result.video.sizes(), (std::vector<int64_t> { 3, 9, 24, 40 }));
    EXPECT_TRUE(torch::equal(result.video.narrow(1, 0, 3), clip));
    EXPECT_GE(result.windows, 2);
    EXPECT_EQ(result.resolved.width % 4, 0);
}

TEST_F(TasksTest, InpaintChangesOnlyTheMaskedPixels)
{
    auto o = options();
    o.width = 0;
    o.height = 0;
    const auto clip = footage(6, 40, 72); // scaled to 44x24 and back
    auto mask = torch::zeros({ 40, 72 });
    mask.narrow(0, 10, 14).narrow(1, 18, 26).fill_(1.0); // one image: every frame
    const auto out = inpaintVideo(model, o, clip, mask).video;
    ASSERT_EQ(out.sizes(), clip.sizes());
    const auto outside = (mask < 0.5).expand_as(clip);
    EXPECT_TRUE(torch::equal(out.masked_select(outside), clip.masked_select(outside)));
    const auto inside = ~outside;
    EXPECT_GT((out.masked_select(inside) - clip.masked_select(inside)).abs().mean().item<double>(), 0.01);
    EXPECT_THROW(inpaintVideo(model, o, clip, torch::zeros({ 5, 5 })), std::invalid_argument);
}

TEST_F(TasksTest, InterpolateKeepsEveryKeyframeAtKTimesI)
{
    auto o = options();
    o.width = 0;
    o.height = 0;
    const auto clip = footage(4, 16, 16);
    const auto out = interpolateVideo(model, o, clip, 3).video;
    ASSERT_EQ(out.size(1), 3 * (4 - 1) + 1);
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(torch::equal(out.select(1, 3 * i), clip.select(1, i))) << "keyframe " << i;
    EXPECT_FALSE(torch::equal(out.select(1, 1), clip.select(1, 0)));
    EXPECT_THROW(interpolateVideo(model, o, clip, 1), std::invalid_argument);
    EXPECT_THROW(interpolateVideo(model, o, clip.narrow(1, 0, 1), 2), std::invalid_argument);
}

TEST_F(TasksTest, CancellingStopsWithinOneStep)
{
    int steps = 0;
    TaskCallbacks callbacks;
    callbacks.onStep = [&steps](const TaskProgress&) { ++steps; };
    callbacks.isCancelled = [&steps] { return steps >= 3; };
    EXPECT_THROW(generateVideo(model, options(), 10, {}, callbacks), PipelineCancelled);
    EXPECT_EQ(steps, 3);
}

TEST_F(TasksTest, ChunkedDecodingEqualsDecodingTheWholeClip)
{
    // Give the decoder's temporal layers weights (they start as identities), so chunk borders
    // would show if the chunks lacked neighbours.
    {
        torch::NoGradGuard noGrad;
        for (auto& p : model.vae->named_parameters())
            if (p.key().find("mix") != std::string::npos)
                p.value().normal_(0.0, 0.2);
    }
    EXPECT_GE(decoderTemporalRadius(model), 2);
    c10::InferenceMode inference;
    auto g = at::make_generator<at::CPUGeneratorImpl>(2);
    const auto latents = torch::randn({ 1, 4, 11, 4, 4 }, g);
    const auto whole = decodeLatents(model, latents);
    const auto chunked = decodeLatents(model, latents, 3);
    EXPECT_TRUE(torch::allclose(whole, chunked, 1e-5, 1e-5));
    // Without the neighbours, the borders differ: the check above is not vacuous.
    const auto alone = torch::cat(
        { decodeLatents(model, latents.narrow(2, 0, 3)), decodeLatents(model, latents.narrow(2, 3, 8)) }, 1);
    EXPECT_FALSE(torch::allclose(whole, alone, 1e-4, 1e-4));
}
