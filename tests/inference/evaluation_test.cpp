// The evaluation scorer proves itself: it reads the procedural renderer's own clips almost
// perfectly, and an untrained model's output about as well as guessing.

#include "kinora/inference/evaluation.h"
#include "kinora/inference/model_eval.h"
#include "kinora/inference/native_video_model.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/tasks.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <iostream>

using namespace kinora::inference;

namespace {

struct Accuracy {
    int colour = 0, shape = 0, direction = 0, background = 0, total = 0;
    double flicker = 0;
    void add(const ClipScore& s)
    {
        colour += s.colour;
        shape += s.shape;
        direction += s.direction;
        background += s.background;
        flicker += s.flicker;
        ++total;
    }
    double rate(int hits) const { return static_cast<double>(hits) / total; }
};

SceneSampling singleObject(bool heldOut, uint64_t styleSeed)
{
    SceneSampling how;
    how.evaluation = true;
    how.heldOut = heldOut;
    how.twoObjects = 0;
    how.gradient = styleSeed % 3 == 1 ? 1.0 : 0.0;
    how.textured = styleSeed % 3 == 2 ? 1.0 : 0.0;
    return how;
}

} // namespace

// At the old default size and at the default pack's 32x32, 8 frames.
TEST(Evaluation, ReadsTheRenderersOwnClipsAlmostPerfectly)
{
    struct Size {
        int frames, side;
        double shape;
    };
    // At 32x32 a default-size object is 9 pixels across, and a small one 6: a few stars read as
    // circles there, as a person squinting at that size would say too.
    for (const auto size : { Size { 16, 64, 0.95 }, Size { 8, 32, 0.85 } }) {
        std::mt19937_64 rng(11);
        Accuracy all;
        for (int i = 0; i < 90; ++i) {
            auto how = singleObject(i % 2 == 1, static_cast<uint64_t>(i / 2));
            how.frames = size.frames;
            how.height = how.width = size.side;
            const auto scene = randomSceneSpec(rng, how);
            const auto clip = renderScene(scene, size.frames, size.side, size.side);
            const auto score = scoreClip(clip, scene);
            all.add(score);
            if (!(score.colour && score.shape && score.direction && score.background))
                std::cout << scene.caption() << " -> " << score.reading.colour << " " << score.reading.shape
                          << " '" << score.reading.direction << "' on " << score.reading.background << "\n";
        }
        std::cout << size.side << "x" << size.side << "x" << size.frames << " renderer clips: colour "
                  << all.rate(all.colour) << ", shape " << all.rate(all.shape) << ", direction "
                  << all.rate(all.direction) << ", background " << all.rate(all.background) << ", flicker "
                  << all.flicker / all.total << "/255\n";
        EXPECT_GE(all.rate(all.colour), 0.97) << size.side;
        EXPECT_GE(all.rate(all.shape), size.shape) << size.side;
        EXPECT_GE(all.rate(all.direction), 0.97) << size.side;
        EXPECT_GE(all.rate(all.background), 0.97) << size.side;
        EXPECT_LT(all.flicker / all.total, 0.5) << "a still background does not flicker";
    }
}

TEST(Evaluation, NamesEachDirectionAndStandingStill)
{
    for (const std::string direction :
        { "", "left", "right", "up", "down", "up-left", "up-right", "down-left", "down-right" }) {
        SceneSpec scene;
        scene.objects = { ObjectSpec { "circle", "yellow", "small", "", direction, 0.5, 0.5 } };
        scene.background = "blue";
        scene.bounce = false;
        const auto reading = readClip(renderScene(scene, 12, 64, 64));
        EXPECT_EQ(reading.direction, direction);
        EXPECT_EQ(reading.colour, "yellow");
        EXPECT_EQ(reading.shape, "circle");
    }
}

TEST(Evaluation, ReadsAnUntrainedModelAboutAsWellAsGuessing)
{
    torch::manual_seed(0);
    NativeVideoModel model { createNativeModel("tiny", 3) };
    std::mt19937_64 rng(5);
    Accuracy all;
    for (int i = 0; i < 24; ++i) {
        SceneSampling how = singleObject(false, 0);
        how.frames = 8;
        how.height = how.width = 32;
        const auto scene = randomSceneSpec(rng, how);
        TaskRequest request;
        request.prompt = scene.caption();
        request.frames = 8;
        request.steps = 3;
        request.seed = static_cast<uint64_t>(i);
        const auto made = runTask(model, request);
        all.add(scoreClip(made.video, scene));
    }
    std::cout << "untrained tiny pack: colour " << all.rate(all.colour) << ", shape " << all.rate(all.shape)
              << ", direction " << all.rate(all.direction) << "\n";
    // Chance: 1 in 10 colours, 1 in 4 shapes, 1 in 9 directions; allow luck, not skill.
    EXPECT_LE(all.rate(all.colour), 0.35);
    EXPECT_LE(all.rate(all.shape), 0.55);
    EXPECT_LE(all.rate(all.direction), 0.35);
}

TEST(ModelEvaluation, ScoresSeenAndHeldOutGroupsReproducibly)
{
    NativeVideoModel model { createNativeModel("tiny", 3) };
    ModelEvalOptions options;
    options.clips = 3;
    options.steps = 2;
    options.seed = 4;
    int calls = 0;
    const auto report = evaluateTextToVideo(model, options, [&calls](int done, int total) {
        EXPECT_EQ(done, ++calls);
        EXPECT_EQ(total, 6);
    });
    EXPECT_EQ(calls, 6);
    EXPECT_EQ(report.seen.clips, 3);
    EXPECT_EQ(report.heldOut.clips, 3);
    EXPECT_EQ(report.steps, 2);
    EXPECT_EQ(report.frames, model.manifest().defaults.frames);
    EXPECT_GT(report.secondsPerClip, 0.0);
    for (const auto* g : { &report.seen, &report.heldOut })
        for (const double rate : { g->colour, g->shape, g->direction }) {
            EXPECT_GE(rate, 0.0);
            EXPECT_LE(rate, 1.0);
        }
    const auto again = evaluateTextToVideo(model, options); // without a progress callback
    EXPECT_EQ(again.seen.flicker, report.seen.flicker) << "the same seed draws the same captions and noise";
    EXPECT_EQ(again.heldOut.flicker, report.heldOut.flicker);
    EXPECT_EQ(again.heldOut.shape, report.heldOut.shape);
    const auto table = formatModelEvalReport(report);
    EXPECT_NE(table.find("held-out"), std::string::npos) << table;
    EXPECT_NE(table.find("s per clip"), std::string::npos) << table;
    EXPECT_THROW(evaluateTextToVideo(model, options, {}, [] { return true; }), PipelineCancelled);
}
