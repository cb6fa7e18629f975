// The trainer's optimizer schedule and weight average, and that a run cut in two resumes exactly.

#include "kinora/inference/caption_words.h"
#include "kinora/inference/native_model.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/trainer.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <unistd.h>

#include <filesystem>
#include <set>

using namespace kinora::inference;
namespace fs = std::filesystem;

TEST(TrainerSchedule, WarmsUpLinearlyThenFollowsACosineToTheFloor)
{
    const double peak = 1e-3;
    EXPECT_DOUBLE_EQ(scheduledLearningRate(peak, 0, 100, 10), peak / 10);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(peak, 4, 100, 10), peak / 2);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(peak, 9, 100, 10), peak);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(peak, 10, 100, 10), peak) << "the cosine starts at the peak";
    EXPECT_NEAR(scheduledLearningRate(peak, 99, 100, 10), 0.1 * peak, 1e-12) << "and ends at the floor";
    EXPECT_NEAR(scheduledLearningRate(peak, 10 + 89 / 2, 100, 10), 0.55 * peak, 0.02 * peak) << "half way";
    double previous = peak;
    for (int step = 10; step < 100; ++step) {
        const double lr = scheduledLearningRate(peak, step, 100, 10);
        EXPECT_LE(lr, previous + 1e-15) << step;
        previous = lr;
    }
    EXPECT_DOUBLE_EQ(scheduledLearningRate(peak, 0, 1, 0), peak) << "a one-step phase runs at the peak";
    EXPECT_NEAR(scheduledLearningRate(peak, 0, 50, 0, 0.0), peak, 1e-12) << "no warm-up";
}

namespace {

TrainerOptions tinyRun(const fs::path& output)
{
    TrainerOptions o;
    o.config = "tiny";
    o.vaeSteps = 2;
    o.diffusionSteps = 6;
    o.batch = 1;
    o.width = 16;
    o.height = 16;
    o.frames = 4;
    o.seed = 5;
    o.warmupSteps = 2;
    o.emaDecay = 0.9;
    o.output = output;
    return o;
}

std::map<std::string, at::Tensor> tensorsOf(const fs::path& file)
{
    SafetensorsFile f(file);
    std::map<std::string, at::Tensor> out;
    for (const auto& name : f.names())
        out[name] = f.load(name);
    return out;
}

} // namespace

TEST(TrainerResume, ARunCutInTwoEndsWhereAnUncutRunDoes)
{
    const fs::path root = fs::temp_directory_path() / ("kinora-trainer-" + std::to_string(::getpid()));
    fs::remove_all(root);
    trainNativeModel(tinyRun(root / "whole"));

    int steps = 0;
    const auto cut = trainNativeModel(
        tinyRun(root / "cut"), [&steps](const TrainProgress&) { ++steps; },
        [&steps] { return steps >= 5; }); // stops after 3 of the 6 diffusion steps: a checkpoint
    EXPECT_EQ(cut.stepsRun, 5);
    const auto state = tensorsOf(root / "cut" / kTrainingStateFileName);
    EXPECT_TRUE(state.count("raw.0")) << "the raw weights the average hides are in the training state";
    const auto resumed = trainNativeModel(tinyRun(root / "cut"));
    EXPECT_EQ(resumed.stepsRun, 3);

    const auto whole = tensorsOf(root / "whole" / "denoiser.safetensors");
    const auto again = tensorsOf(root / "cut" / "denoiser.safetensors");
    ASSERT_EQ(whole.size(), again.size());
    for (const auto& [name, tensor] : whole)
        EXPECT_TRUE(torch::equal(tensor, again.at(name))) << name;

    // The pack holds the average, which is not the last raw weights.
    const auto finalState = tensorsOf(root / "whole" / kTrainingStateFileName);
    double difference = 0;
    size_t i = 0;
    for (const auto& p : resumed.model.denoiser->parameters())
        difference += (p - finalState.at("raw." + std::to_string(i++))).abs().sum().item<double>();
    EXPECT_GT(difference, 0.0);
    fs::remove_all(root);
}

// The `tiny` config learns in a few CPU steps (one clip, so the loss is not drowned by the variety
// of scenes), in fp32 and under bf16 autocast; bf16 leaves the weights fp32.
TEST(TrainerLoss, DropsInFp32AndUnderBf16Autocast)
{
    for (const char* precision : { "fp32", "bf16" }) {
        TrainerOptions o;
        o.config = "tiny";
        o.vaeSteps = 30;
        o.diffusionSteps = 60;
        o.batch = 2;
        o.width = 16;
        o.height = 16;
        o.frames = 4;
        o.seed = 11;
        o.warmupSteps = 3;
        o.precision = precision;
        SceneSpec scene;
        scene.objects.push_back(ObjectSpec { "circle", "yellow", "large", "", "right", 0.3, 0.5 });
        o.clips = { scene };
        std::vector<double> vae, diffusion;
        const auto trained = trainNativeModel(
            o, [&](const TrainProgress& p) { (p.phase == "vae" ? vae : diffusion).push_back(p.loss); });
        ASSERT_EQ(vae.size(), 30u);
        ASSERT_EQ(diffusion.size(), 60u);
        const auto mean = [](const std::vector<double>& v, size_t from, size_t count) {
            double sum = 0;
            for (size_t i = from; i < from + count; ++i)
                sum += v[i];
            return sum / static_cast<double>(count);
        };
        EXPECT_LT(mean(vae, 25, 5), 0.6 * mean(vae, 0, 5)) << precision;
        EXPECT_LT(mean(diffusion, 45, 15), 0.8 * mean(diffusion, 0, 15)) << precision;
        for (const auto& p : trained.model.denoiser->parameters())
            ASSERT_EQ(p.scalar_type(), at::kFloat) << precision;
    }
}

// The multi-task masks: every task at about its share, holes of every kind (fixed in time, moving,
// on some frames only), keyframe spacings from 2 to 8.
TEST(TrainerTasks, MasksCoverEveryTaskAndHoleKind)
{
    std::mt19937_64 rng(7);
    const int64_t frames = 16, h = 16, w = 16;
    const int draws = 2000;
    int textToVideo = 0, inpainting = 0, interpolation = 0, extension = 0;
    int movingHoles = 0, partialHoles = 0, staticHoles = 0;
    std::set<int64_t> spacings;
    for (int i = 0; i < draws; ++i) {
        const auto mask = trainingTaskMask(rng, frames, h, w);
        ASSERT_EQ(mask.sizes(), (std::vector<int64_t> { 1, frames, h, w }));
        ASSERT_TRUE(((mask == 0) | (mask == 1)).all().item<bool>());
        const auto perFrame = mask[0].flatten(1).mean(1); // known share of each frame
        const bool wholeFrames = ((perFrame == 0) | (perFrame == 1)).all().item<bool>();
        if (mask.sum().item<double>() == 0) {
            ++textToVideo;
        } else if (!wholeFrames) {
            ++inpainting;
            const auto hole = 1 - mask[0];
            const auto holed = hole.flatten(1).sum(1) > 0; // frames with a hole
            if (!holed.all().item<bool>())
                ++partialHoles;
            else if (hole.sub(hole[0]).abs().sum().item<double>() > 0)
                ++movingHoles;
            else
                ++staticHoles;
            EXPECT_LT(hole.mean().item<double>(), 0.9) << "a hole leaves something known";
        } else { // whole frames known: a prefix (extension) or evenly spaced keyframes from 0
            std::vector<int64_t> known;
            for (int64_t t = 0; t < frames; ++t)
                if (perFrame[t].item<double>() == 1)
                    known.push_back(t);
            ASSERT_EQ(known.front(), 0);
            if (known.back() == static_cast<int64_t>(known.size()) - 1) {
                ++extension;
                EXPECT_LE(known.size(), static_cast<size_t>(frames / 2));
            } else {
                ++interpolation;
                ASSERT_GE(known.size(), 2u);
                spacings.insert(known[1] - known[0]);
                for (size_t k = 1; k < known.size(); ++k)
                    EXPECT_EQ(known[k] - known[k - 1], known[1] - known[0]) << "even spacing";
            }
        }
    }
    const auto share = [&](int n) { return static_cast<double>(n) / draws; };
    EXPECT_NEAR(share(textToVideo), 0.30, 0.04);
    EXPECT_NEAR(share(inpainting), 0.20, 0.04);
    EXPECT_NEAR(share(interpolation + extension), 0.50, 0.05);
    EXPECT_GT(interpolation, draws / 8);
    EXPECT_GT(extension, draws / 10);
    EXPECT_GT(movingHoles, inpainting / 6) << "moving holes";
    EXPECT_GT(partialHoles, inpainting / 6) << "holes on some frames only";
    EXPECT_GT(staticHoles, inpainting / 3) << "boxes and blobs";
    EXPECT_EQ(spacings, (std::set<int64_t> { 2, 3, 4, 5, 6, 7, 8 }));
}

// The default config has no VAE: its pack has no vae file, the latent scale and the preview come
// from the pixels at the first step, and a VAE phase is refused.
TEST(TrainerDefault, TrainsTheFixedLatentDesignAndWritesItsVocabulary)
{
    const fs::path root
        = fs::temp_directory_path() / ("kinora-trainer-default-" + std::to_string(::getpid()));
    fs::remove_all(root);
    TrainerOptions o;
    o.config = "default";
    o.diffusionSteps = 2;
    o.batch = 1;
    o.width = 16;
    o.height = 16;
    o.frames = 4;
    o.output = root;
    const auto trained = trainNativeModel(o);
    EXPECT_EQ(trained.stepsRun, 2);
    EXPECT_FALSE(fs::exists(root / "vae.safetensors"));
    const auto pack = loadNativePack(root, c10::Device("cpu"), "fp32");
    EXPECT_EQ(pack.manifest.components.count("vae"), 0u);
    EXPECT_EQ(pack.manifest.vocabulary, captionGrammarWords());
    // Pixels in [-1, 1] have a spread well under 1, so the scale that makes it 1 is above 1.
    EXPECT_GT(pack.manifest.latentScale, 1.2);
    // Each latent channel is one pixel of one colour: the fitted preview reads it back as that
    // colour, a quarter each (the four pixels of a block average into one preview pixel).
    ASSERT_EQ(pack.manifest.latentToRgb.size(), 12u);
    EXPECT_NEAR(pack.manifest.latentToRgb[0][0] * pack.manifest.latentScale * 2, 0.25, 0.02);
    EXPECT_NEAR(pack.manifest.latentToRgb[0][1], 0.0, 0.02);
    o.vaeSteps = 1;
    EXPECT_THROW(trainNativeModel(o), std::invalid_argument);
    fs::remove_all(root);
}

// min-SNR-γ changes the loss only where the v-loss weight SNR + 1 is above γ: a huge γ is the plain
// loss exactly, a small one lowers it.
TEST(TrainerLoss, MinSnrWeightsOnlyTheCleanLevels)
{
    auto lossWith = [](double gamma) {
        TrainerOptions o = tinyRun({});
        o.vaeSteps = 0;
        o.diffusionSteps = 3;
        o.batch = 4;
        o.minSnrGamma = gamma;
        std::vector<double> losses;
        trainNativeModel(o, [&](const TrainProgress& p) { losses.push_back(p.loss); });
        return losses;
    };
    const auto plain = lossWith(0), huge = lossWith(1e12), clamped = lossWith(1.0);
    EXPECT_EQ(plain, huge);
    ASSERT_EQ(clamped.size(), plain.size());
    EXPECT_LT(clamped[0], plain[0]);
}

// A time budget stops the run with a checkpoint it resumes from.
TEST(TrainerResume, ATimeBudgetStopsWithACheckpoint)
{
    const fs::path root = fs::temp_directory_path() / ("kinora-trainer-budget-" + std::to_string(::getpid()));
    fs::remove_all(root);
    auto o = tinyRun(root);
    o.maxSeconds = 1e-6; // past after the first step
    const auto first = trainNativeModel(o);
    EXPECT_EQ(first.stepsRun, 1);
    ASSERT_TRUE(fs::exists(root / kTrainingStateFileName));
    o.maxSeconds = 0;
    EXPECT_EQ(trainNativeModel(o).stepsRun, 7);
    fs::remove_all(root);
}
