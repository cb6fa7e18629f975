// The task layer on an untrained tiny pack: sizes, windows, exact compositing, determinism,
// progress and cancellation. Whether the conditioning brings content back is conditioning_test.cpp.

#include "kinora/inference/native_video_model.h"
#include "kinora/inference/tasks.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace kinora::inference;

namespace {

struct TasksTest : ::testing::Test {
    NativeVideoModel model { createNativeModel("tiny", 21) };
    TaskRequest options(TaskKind task = TaskKind::Generate)
    {
        TaskRequest o;
        o.task = task;
        o.prompt = "a red square moving right";
        o.steps = 2;
        o.seed = 4;
        o.width = 16;
        o.height = 16;
        o.windowFrames = 4;
        o.overlapFrames = 1;
        return o;
    }
    static TaskInput clipInput(const at::Tensor& clip, const at::Tensor& mask = {})
    {
        TaskInput input;
        input.clip = clip;
        input.mask = mask;
        return input;
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
    const auto [w, h] = workingSize(model.manifest(), 1280, 720);
    EXPECT_EQ(w % 4, 0);
    EXPECT_EQ(h % 4, 0);
    EXPECT_NEAR(static_cast<double>(w) / h, 16.0 / 9.0, 0.2);
    EXPECT_LE(w * h, 32 * 32 * 1.2);
    // Footage already small enough is not blown up.
    EXPECT_EQ(workingSize(model.manifest(), 16, 8), (std::pair { 16, 8 }));
}

TEST_F(TasksTest, LongClipsAreMadeInOverlappingWindowsWithProgressAcrossThem)
{
    std::vector<TaskProgress> seen;
    TaskCallbacks callbacks;
    callbacks.onStep = [&seen](const TaskProgress& p) { seen.push_back(p); };
    auto ten = options();
    ten.frames = 10;
    const auto result = runTask(model, ten, {}, callbacks);
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
    EXPECT_TRUE(torch::equal(result.video, runTask(model, ten).video));
    auto other = ten;
    other.seed = 5;
    EXPECT_FALSE(torch::equal(result.video, runTask(model, other).video));
}

TEST_F(TasksTest, ImageToVideoStartsOnTheImage)
{
    const auto image = footage(1, 40, 40).squeeze(1);
    auto five = options();
    five.frames = 5;
    TaskInput input;
    input.firstFrame = image;
    const auto video = runTask(model, five, input).video;
    ASSERT_EQ(video.sizes(), (std::vector<int64_t> { 3, 5, 16, 16 }));
    const auto scaled = torch::nn::functional::interpolate(image.unsqueeze(0),
        torch::nn::functional::InterpolateFuncOptions()
            .size(std::vector<int64_t> { 16, 16 })
            .mode(torch::kArea));
    EXPECT_TRUE(torch::allclose(video.select(1, 0), scaled[0], 1e-5, 1e-5));
}

TEST_F(TasksTest, ExtendKeepsTheInputFramesExactly)
{
    auto o = options(TaskKind::Extend);
    o.width = 0; // fit the footage
    o.height = 0;
    o.frames = 6;
    const auto clip = footage(3, 24, 40);
    const auto result = runTask(model, o, clipInput(clip));
    ASSERT_EQ(result.video.sizes(), (std::vector<int64_t> { 3, 9, 24, 40 }));
    EXPECT_TRUE(torch::equal(result.video.narrow(1, 0, 3), clip));
    EXPECT_GE(result.windows, 2);
    EXPECT_EQ(result.resolved.width % 4, 0);
}

TEST_F(TasksTest, InpaintChangesOnlyTheMaskedPixels)
{
    auto o = options(TaskKind::Inpaint);
    o.width = 0;
    o.height = 0;
    const auto clip = footage(6, 40, 72); // scaled to 44x24 and back
    auto mask = torch::zeros({ 40, 72 });
    mask.narrow(0, 10, 14).narrow(1, 18, 26).fill_(1.0); // one image: every frame
    const auto out = runTask(model, o, clipInput(clip, mask)).video;
    ASSERT_EQ(out.sizes(), clip.sizes());
    const auto outside = (mask < 0.5).expand_as(clip);
    EXPECT_TRUE(torch::equal(out.masked_select(outside), clip.masked_select(outside)));
    const auto inside = ~outside;
    EXPECT_GT((out.masked_select(inside) - clip.masked_select(inside)).abs().mean().item<double>(), 0.01);
    EXPECT_THROW(runTask(model, o, clipInput(clip, torch::zeros({ 5, 5 }))), std::invalid_argument);
}

TEST_F(TasksTest, InterpolateKeepsEveryKeyframeAtKTimesI)
{
    auto o = options(TaskKind::Interpolate);
    o.width = 0;
    o.height = 0;
    o.factor = 3;
    const auto clip = footage(4, 16, 16);
    const auto out = runTask(model, o, clipInput(clip)).video;
    ASSERT_EQ(out.size(1), 3 * (4 - 1) + 1);
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(torch::equal(out.select(1, 3 * i), clip.select(1, i))) << "keyframe " << i;
    EXPECT_FALSE(torch::equal(out.select(1, 1), clip.select(1, 0)));
    auto one = o;
    one.factor = 1;
    EXPECT_THROW(runTask(model, one, clipInput(clip)), std::invalid_argument);
    EXPECT_THROW(runTask(model, o, clipInput(clip.narrow(1, 0, 1))), std::invalid_argument);
}

TEST_F(TasksTest, CancellingStopsWithinOneStep)
{
    int steps = 0;
    TaskCallbacks callbacks;
    callbacks.onStep = [&steps](const TaskProgress&) { ++steps; };
    callbacks.isCancelled = [&steps] { return steps >= 3; };
    auto ten = options();
    ten.frames = 10;
    EXPECT_THROW(runTask(model, ten, {}, callbacks), PipelineCancelled);
    EXPECT_EQ(steps, 3);
}

TEST_F(TasksTest, ChunkedDecodingEqualsDecodingTheWholeClip)
{
    // Give the decoder's temporal layers weights (they start as identities), so chunk borders
    // would show if the chunks lacked neighbours.
    {
        torch::NoGradGuard noGrad;
        for (auto& p : model.native().vae->named_parameters())
            if (p.key().find("mix") != std::string::npos)
                p.value().normal_(0.0, 0.2);
    }
    EXPECT_GE(decoderTemporalRadius(model.native()), 2);
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

// Resolving: every default once, from the pack and the footage, and nothing changed the second time.
TEST(ResolveTask, FillsThePacksDefaultsOnceAndIsIdempotent)
{
    const auto manifest = createNativeModel("tiny", 1).manifest;
    const auto& d = manifest.defaults;
    const auto r = resolveTask(manifest, {});
    EXPECT_EQ(r.width, d.width);
    EXPECT_EQ(r.height, d.height);
    EXPECT_EQ(r.frames, d.frames);
    EXPECT_EQ(r.fps, d.fps);
    EXPECT_EQ(r.steps, d.steps);
    EXPECT_EQ(r.guidance, d.guidance);
    EXPECT_EQ(r.sampler, d.sampler);
    EXPECT_EQ(r.windowFrames, d.frames);
    EXPECT_EQ(r.overlapFrames, std::max(1, d.frames / 4));
    EXPECT_EQ(resolveTask(manifest, r), r);

    TaskRequest asked;
    asked.width = 24;
    asked.height = 16;
    asked.frames = 5;
    asked.fps = 12;
    asked.steps = 3;
    asked.guidance = 1;
    asked.sampler = "ddim";
    const auto kept = resolveTask(manifest, asked);
    EXPECT_EQ(kept.width, 24);
    EXPECT_EQ(kept.frames, 5);
    EXPECT_EQ(kept.fps, 12);
    EXPECT_EQ(kept.guidance, 1);
    EXPECT_EQ(kept.sampler, "ddim");
}

TEST(ResolveTask, FootageGivesTheWorkingSizeAndTheRate)
{
    const auto manifest = createNativeModel("tiny", 1).manifest;
    TaskRequest inpaint;
    inpaint.task = TaskKind::Inpaint;
    const auto r = resolveTask(manifest, inpaint, { 30, 1280, 720, 29.97 });
    EXPECT_EQ(std::pair(r.width, r.height), workingSize(manifest, 1280, 720));
    EXPECT_DOUBLE_EQ(r.fps, 29.97);
    EXPECT_EQ(resolveTask(manifest, r, { 30, 1280, 720, 29.97 }), r);
    // An image sequence carries no rate: the request names it.
    inpaint.fps = 8;
    EXPECT_DOUBLE_EQ(resolveTask(manifest, inpaint, { 30, 64, 64, 0 }).fps, 8);
    // Image-to-video: the first frame's aspect ratio.
    const auto first = resolveTask(manifest, {}, { 1, 64, 32, 0 });
    EXPECT_EQ(std::pair(first.width, first.height), workingSize(manifest, 64, 32));
    EXPECT_NE(first.width, first.height);

    TaskRequest extend;
    extend.task = TaskKind::Extend;
    EXPECT_THROW(resolveTask(manifest, extend, { 4, 32, 32, 24 }), std::invalid_argument);
    extend.frames = 6;
    EXPECT_EQ(outputFrames(resolveTask(manifest, extend, { 4, 32, 32, 24 }), { 4, 32, 32, 24 }), 10);
}

TEST(ResolveTask, InterpolationToARateFindsTheFactor)
{
    const auto manifest = createNativeModel("tiny", 1).manifest;
    const auto toRate = [&](double from, double to) {
        TaskRequest r;
        r.task = TaskKind::Interpolate;
        r.fps = to;
        return resolveTask(manifest, r, { 10, 32, 32, from });
    };
    EXPECT_EQ(toRate(24, 60).factor, 3);
    EXPECT_EQ(toRate(25, 50).factor, 2);
    EXPECT_EQ(toRate(24000.0 / 1001, 60000.0 / 1001).factor, 3);
    EXPECT_DOUBLE_EQ(toRate(24, 60).fps, 60);
    EXPECT_EQ(resolveTask(manifest, toRate(24, 60), { 10, 32, 32, 24 }), toRate(24, 60));
    try {
        toRate(30, 24);
        ADD_FAILURE() << "a lower rate was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("not above the input's rate"), std::string::npos) << e.what();
    }
    EXPECT_THROW(toRate(0, 60), std::invalid_argument); // no rate to start from

    TaskRequest byFactor;
    byFactor.task = TaskKind::Interpolate;
    byFactor.factor = 2;
    const auto doubled = resolveTask(manifest, byFactor, { 10, 32, 32, 30 });
    EXPECT_DOUBLE_EQ(doubled.fps, 60);
    EXPECT_EQ(outputFrames(doubled, { 10, 32, 32, 30 }), 19);
    byFactor.fps = 75; // above what two times 30 fps can give
    EXPECT_THROW(resolveTask(manifest, byFactor, { 10, 32, 32, 30 }), std::invalid_argument);
    TaskRequest none;
    none.task = TaskKind::Interpolate;
    EXPECT_THROW(resolveTask(manifest, none, { 10, 32, 32, 30 }), std::invalid_argument);
}

TEST(ResolveTask, RefusesSizesAndWindowsTheModelCannotMake)
{
    const auto manifest = createNativeModel("tiny", 1).manifest;
    const int multiple = sizeMultiple(manifest);
    EXPECT_EQ(multiple, 4); // the tiny config: VAE /2, U-Net /2
    TaskRequest odd;
    odd.width = 30;
    odd.height = 32;
    try {
        resolveTask(manifest, odd);
        ADD_FAILURE() << "30x32 was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("multiple of 4"), std::string::npos) << e.what();
    }
    TaskRequest oneSide;
    oneSide.width = 32;
    EXPECT_THROW(resolveTask(manifest, oneSide), std::invalid_argument);
    TaskRequest window;
    window.windowFrames = 4;
    window.overlapFrames = 4;
    EXPECT_THROW(resolveTask(manifest, window), std::invalid_argument);
    EXPECT_EQ(windowStarts(10, 4, 1), (std::vector<int> { 0, 3, 6 }));
    EXPECT_EQ(windowStarts(3, 4, 1), (std::vector<int> { 0 }));
    EXPECT_EQ(windowStarts(9, 4, 2), (std::vector<int> { 0, 2, 4, 5 }));
}
