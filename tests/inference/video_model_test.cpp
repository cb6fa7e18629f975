// The sampling loop and the tasks are generic over VideoModel (video_model.h): a tiny fake family,
// shaped like Wan rather than like kinora-native, runs every path. It is a flow-matching model with
// temporal compression 4 (a causal VAE: 1 + 4·n frames), its denoiser never reads the known latents
// (the loop's blending alone keeps them), and it runs guidance as two passes. Everything it is asked
// is counted and checked, so that a native-only assumption in the loop shows up here.

#include "kinora/inference/bench.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/task_plan.h"
#include "kinora/inference/tasks.h"
#include "kinora/inference/video_model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

using namespace kinora::inference;

namespace {

constexpr int kChannels = 4;
constexpr int kSpatial = 4;
constexpr int kTemporal = 4;
constexpr double kScale = 0.5;

// A prompt is one flat colour; the fake's clean-latent estimate is that colour everywhere.
const std::map<std::string, std::array<double, 3>> kColours {
    { "", { 0.5, 0.5, 0.5 } },
    { "warm", { 0.6, 0.5, 0.4 } },
    { "cool", { 0.45, 0.5, 0.6 } },
};

struct FakeText final : TextConditioning {
    at::Tensor prompt; // [C] the prompt's clean latent per channel
    at::Tensor negative;
};

class FakeFlowModel final : public VideoModel {
public:
    FakeFlowModel()
    {
        m_manifest.name = "fake flow";
        m_manifest.family = "fake-flow"; // no native config behind it
        m_manifest.config = "none";
        m_manifest.latentChannels = kChannels;
        m_manifest.spatialCompression = kSpatial;
        m_manifest.temporalCompression = kTemporal;
        m_manifest.latentScale = kScale;
        m_manifest.schedule.kind = "flow";
        m_manifest.schedule.trainSteps = 1000;
        m_manifest.schedule.shift = 3.0;
        m_manifest.prediction = "flow";
        m_manifest.defaults = { 32, 32, 9, 16.0, 4, 3.0, "flow-euler" };
        // Channels 0-2 hold (rgb·2 − 1)·scale: the preview undoes exactly that.
        m_manifest.latentToRgb = { { 0.5, 0, 0 }, { 0, 0.5, 0 }, { 0, 0, 0.5 }, { 0, 0, 0 } };
        m_manifest.rgbBias = { 0.5, 0.5, 0.5 };
    }

    const ModelManifest& manifest() const override { return m_manifest; }
    c10::Device device() const override { return c10::Device(c10::kCPU); }
    std::string precision() const override { return "fp32"; }
    std::map<std::string, int64_t> parameterCounts() const override { return { { "total", 0 } }; }
    int64_t weightBytes() const override { return 0; }

    std::unique_ptr<TextConditioning> encodeText(
        const std::string& prompt, const std::string& negative) override
    {
        ++textCalls;
        auto text = std::make_unique<FakeText>();
        text->prompt = colourLatent(prompt);
        text->negative = colourLatent(negative);
        return text;
    }

    at::Tensor predict(const at::Tensor& x, double timestep, const TextConditioning& text,
        const LatentConditioning& known, double guidance) override
    {
        ++predictCalls;
        EXPECT_EQ(x.dim(), 5);
        EXPECT_EQ(x.size(1), kChannels) << "the state alone, no known latents as channels";
        EXPECT_EQ(x.scalar_type(), torch::kFloat32);
        EXPECT_EQ(known.latent.sizes(), x.sizes());
        EXPECT_EQ(known.mask.size(1), 1);
        states.push_back(x.clone());
        timesteps.push_back(timestep);
        lastKnown = known;
        const auto& t = dynamic_cast<const FakeText&>(text);
        // Two passes, as Wan runs them: the prompt, then (under guidance) the negative prompt.
        const auto cond = pass(x, timestep, t.prompt);
        if (guidance == 1.0)
            return cond;
        const auto uncond = pass(x, timestep, t.negative);
        return uncond + guidance * (cond - uncond);
    }

    // Causal: frame 0 alone, then 4 frames per latent frame; area-averaged 4x4 cells.
    at::Tensor encode(const at::Tensor& video) override
    {
        ++encodeCalls;
        EXPECT_EQ(video.dim(), 4);
        EXPECT_EQ((video.size(1) - 1) % kTemporal, 0) << "the loop encodes only 1 + 4·n frames";
        auto pixels = video.to(torch::kFloat32) * 2 - 1; // [3, T, H, W]
        auto first = pixels.narrow(1, 0, 1);
        auto rest = pixels.narrow(1, 1, pixels.size(1) - 1);
        std::vector<at::Tensor> frames { first };
        for (int64_t i = 0; i < rest.size(1); i += kTemporal)
            frames.push_back(rest.narrow(1, i, kTemporal).mean(1, true));
        auto grouped = torch::cat(frames, 1); // [3, t, H, W]
        auto cells = torch::avg_pool2d(grouped, { kSpatial, kSpatial }); // [3, t, h, w] (frames as batch)
        auto latent = torch::cat({ cells, cells.mean(0, true) }, 0).unsqueeze(0);
        return latent * kScale;
    }

    at::Tensor decode(const at::Tensor& latents, int firstFrame, int chunkFrames,
        const std::function<bool()>& isCancelled) override
    {
        ++decodeCalls;
        EXPECT_EQ(latents.size(1), kChannels);
        // Pieces of latent frames, each decoded alone: pixel frames depend on their latent frame only.
        const int64_t t = latents.size(2);
        const int64_t piece = chunkFrames > 0 ? std::max<int64_t>(1, chunkFrames / kTemporal) : t;
        std::vector<at::Tensor> parts;
        for (int64_t j = 0; j < t; j += piece) {
            if (isCancelled && isCancelled())
                throw PipelineCancelled();
            const int64_t n = std::min(piece, t - j);
            auto rgb = (latents[0].narrow(0, 0, 3).narrow(1, j, n) / kScale + 1) / 2; // [3, n, h, w]
            auto repeats = torch::full({ n }, kTemporal, torch::kLong);
            if (j == 0)
                repeats[0] = 1;
            rgb = rgb.repeat_interleave(repeats, 1);
            rgb = rgb.repeat_interleave(kSpatial, 2).repeat_interleave(kSpatial, 3);
            parts.push_back(rgb.clamp(0, 1));
        }
        auto video = torch::cat(parts, 1);
        return video.narrow(1, firstFrame, video.size(1) - firstFrame).contiguous();
    }

    // The latent of a flat colour (what encode makes of it).
    static at::Tensor colourLatent(const std::string& prompt)
    {
        const auto it = kColours.find(prompt);
        const auto rgb = it != kColours.end() ? it->second : std::array<double, 3> { 0.5, 0.5, 0.5 };
        auto c = torch::tensor({ rgb[0], rgb[1], rgb[2] }, torch::kFloat32) * 2 - 1;
        return torch::cat({ c, c.mean(0, true) }) * kScale;
    }

    int textCalls = 0;
    int predictCalls = 0;
    int passes = 0;
    int encodeCalls = 0;
    int decodeCalls = 0;
    std::vector<at::Tensor> states;
    std::vector<double> timesteps;
    LatentConditioning lastKnown;

private:
    // Flow matching: x_σ = (1 − σ)·x0 + σ·ε, velocity ε − x0 = (x − x0) / σ for the estimate x0.
    at::Tensor pass(const at::Tensor& x, double timestep, const at::Tensor& clean)
    {
        ++passes;
        const double sigma = std::max(timestep / 1000.0, 1e-6);
        return (x - clean.view({ 1, kChannels, 1, 1, 1 })) / sigma;
    }

    ModelManifest m_manifest;
};

// The pixels of a flat colour mixed by guidance g: uncond + g·(cond − uncond), clamped.
at::Tensor guidedColour(const std::string& prompt, const std::string& negative, double g)
{
    const auto& c = kColours.at(prompt);
    const auto& u = kColours.at(negative);
    std::vector<float> rgb;
    for (int i = 0; i < 3; ++i)
        rgb.push_back(static_cast<float>(std::clamp(u[i] + g * (c[i] - u[i]), 0.0, 1.0)));
    return torch::tensor(rgb).view({ 3, 1, 1, 1 });
}

TaskRequest task(TaskKind kind = TaskKind::Generate)
{
    TaskRequest r;
    r.task = kind;
    r.prompt = "warm";
    r.steps = 4;
    r.guidance = 3.0;
    r.seed = 7;
    return r;
}

TaskInput clipInput(const at::Tensor& clip, const at::Tensor& mask = {})
{
    TaskInput input;
    input.clip = clip;
    input.mask = mask;
    input.fps = 16;
    return input;
}

at::Tensor randomClip(int frames, uint64_t seed)
{
    auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::rand({ 3, frames, 32, 32 }, g);
}

} // namespace

TEST(LatentGeometry, CountsCausalFrames)
{
    FakeFlowModel model;
    const auto g = model.geometry();
    EXPECT_EQ(g.temporalCompression, 4);
    EXPECT_EQ(g.sizeMultiple, 4) << "a family without a native config: its spatial compression";
    EXPECT_EQ(g.latentFrames(9), 3);
    EXPECT_EQ(g.latentFrames(1), 1);
    EXPECT_EQ(g.pixelFrames(3), 9);
    EXPECT_TRUE(g.acceptsFrames(5));
    EXPECT_FALSE(g.acceptsFrames(8));
    EXPECT_EQ(g.fitFrames(1), 1);
    EXPECT_EQ(g.fitFrames(2), 5);
    EXPECT_EQ(g.fitFrames(7), 9);
    EXPECT_EQ(g.fitFrames(9), 9);
    EXPECT_EQ(g.fitFrames(10), 13);
    EXPECT_NE(g.framesRule().find("1 + 4"), std::string::npos);
}

TEST(GenericLoop, TextToVideoAsksForTextOnceAndGuidesInTwoPasses)
{
    FakeFlowModel model;
    std::vector<TaskProgress> progress;
    TaskCallbacks callbacks;
    callbacks.onStep = [&](const TaskProgress& p) { progress.push_back(p); };
    auto r = task();
    r.fullDecodeEvery = 2;
    const auto result = runTask(model, r, {}, callbacks);

    ASSERT_EQ(result.video.sizes(), (std::vector<int64_t> { 3, 9, 32, 32 }));
    EXPECT_EQ(model.textCalls, 1) << "the prompts are encoded once per request";
    EXPECT_EQ(model.predictCalls, 4);
    EXPECT_EQ(model.passes, 8) << "guidance 3: two passes per step";
    EXPECT_EQ(model.encodeCalls, 0) << "nothing known: the VAE does not encode";
    EXPECT_EQ(model.decodeCalls, 2) << "one full-decode preview (step 2 of 4) and the result";
    ASSERT_EQ(model.states.front().sizes(), (std::vector<int64_t> { 1, 4, 3, 8, 8 }));
    EXPECT_EQ(model.lastKnown.mask.sum().item<double>(), 0.0);
    // The flow schedule with the manifest's shift, in the sampler's timestep units, falling.
    ASSERT_EQ(model.timesteps.size(), 4u);
    EXPECT_NEAR(model.timesteps[0], 1000.0, 1e-6);
    for (size_t i = 1; i < model.timesteps.size(); ++i)
        EXPECT_LT(model.timesteps[i], model.timesteps[i - 1]);
    // Flow-Euler lands on the guided estimate exactly.
    const auto expected = guidedColour("warm", "", 3.0).expand_as(result.video);
    EXPECT_LT((result.video - expected).abs().max().item<double>(), 1e-5);

    ASSERT_EQ(progress.size(), 4u);
    for (size_t i = 0; i < progress.size(); ++i) {
        const auto& u = progress[i].update;
        EXPECT_EQ(u.step, static_cast<int>(i) + 1);
        EXPECT_EQ(u.total, 4);
        ASSERT_TRUE(u.preview.defined());
        EXPECT_EQ(u.preview.sizes(), (std::vector<int64_t> { 3, 9, 8, 8 })) << "a frame per pixel frame";
        EXPECT_GE(u.preview.min().item<double>(), 0.0);
        EXPECT_LE(u.preview.max().item<double>(), 1.0);
        EXPECT_EQ(u.fullDecode.defined(), i == 1);
    }
    EXPECT_EQ(progress[1].update.fullDecode.sizes(), (std::vector<int64_t> { 3, 9, 32, 32 }));
    // The last preview (the clean estimate) is the guided colour too.
    EXPECT_LT(
        (progress.back().update.preview - guidedColour("warm", "", 3.0)).abs().max().item<double>(), 1e-5);
}

TEST(GenericLoop, WithoutGuidanceOnePassAndTheSeedDecides)
{
    FakeFlowModel model;
    auto r = task();
    r.guidance = 1.0;
    r.prompt = "cool";
    const auto a = runTask(model, r).video;
    EXPECT_EQ(model.passes, 4);
    EXPECT_LT((a - guidedColour("cool", "", 1.0).expand_as(a)).abs().max().item<double>(), 1e-5);

    // The result is the estimate whatever the noise: the seed shows in the states on the way.
    DiffusionRequest d = windowRequest(resolveTask(model.manifest(), r), 9);
    const auto known = encodeKnown(model, {}, {}, 9, 32, 32);
    const auto text = model.encodeText(d.prompt, d.negativePrompt);
    auto first = model.states.size();
    sampleLatents(model, d, known, *text, {});
    const auto state1 = model.states[first + 1].clone();
    sampleLatents(model, d, known, *text, {});
    EXPECT_TRUE(torch::equal(state1, model.states[first + 5])) << "the same seed, the same path";
    d.seed = 8;
    sampleLatents(model, d, known, *text, {});
    EXPECT_FALSE(torch::equal(state1, model.states[first + 9]));
}

TEST(GenericLoop, TheKnownRegionIsKeptByBlendingAlone)
{
    FakeFlowModel model;
    const auto clip = randomClip(9, 3);
    auto mask = torch::zeros({ 9, 32, 32 });
    mask.narrow(1, 8, 16).narrow(2, 8, 16).fill_(1.0); // regenerate the centre, on cell borders
    const auto out = runTask(model, task(TaskKind::Inpaint), clipInput(clip, mask)).video;

    ASSERT_EQ(out.sizes(), clip.sizes());
    const auto outside = 1 - mask.unsqueeze(0);
    EXPECT_TRUE(torch::equal(out * outside, clip * outside)) << "the input outside the mask, exactly";
    const auto centre = out.narrow(2, 8, 16).narrow(3, 8, 16);
    EXPECT_LT((centre - guidedColour("warm", "", 3.0).expand_as(centre)).abs().max().item<double>(), 1e-5);

    // What the denoiser was handed: the known cells (all but the centre 4x4 of every latent frame)
    // and, at those cells, the state re-noised from the known latents with one fixed noise.
    const auto& known = model.lastKnown;
    ASSERT_EQ(known.mask.sizes(), (std::vector<int64_t> { 1, 1, 3, 8, 8 }));
    EXPECT_EQ(known.mask.sum().item<double>(), 3 * (64 - 16));
    EXPECT_EQ(known.mask.narrow(3, 2, 4).narrow(4, 2, 4).sum().item<double>(), 0.0);
    const auto encoded = model.encode(clip);
    EXPECT_LT(((known.latent - encoded) * known.mask).abs().max().item<double>(), 1e-6);
    at::Tensor firstNoise;
    for (size_t i = 0; i < model.states.size(); ++i) {
        const double sigma = model.timesteps[i] / 1000.0;
        const auto noise = (model.states[i] - (1 - sigma) * known.latent) / sigma * known.mask;
        if (!firstNoise.defined())
            firstNoise = noise;
        else
            EXPECT_LT((noise - firstNoise).abs().max().item<double>(), 1e-4) << "step " << i;
    }
    EXPECT_GT(firstNoise.abs().max().item<double>(), 0.5) << "the known cells are noised, not clean";

    // The loop's own result in latent space: the known cells are the known latents exactly.
    auto d = windowRequest(
        resolveTask(model.manifest(), task(TaskKind::Inpaint), footageOf(clipInput(clip))), 9);
    const auto latents = sampleLatents(model, d, known, *model.encodeText("warm", ""), {});
    EXPECT_TRUE(torch::equal(latents * known.mask, known.latent * known.mask));
}

TEST(GenericLoop, ImageToVideoKnowsTheFirstLatentFrameOnly)
{
    FakeFlowModel model;
    TaskInput input;
    input.firstFrame = randomClip(1, 4).select(1, 0);
    auto r = task();
    r.frames = 7; // made as 9 (1 + 4·2), the last two dropped
    const auto out = runTask(model, r, input).video;
    ASSERT_EQ(out.sizes(), (std::vector<int64_t> { 3, 7, 32, 32 }));
    EXPECT_TRUE(torch::equal(out.select(1, 0), input.firstFrame)) << "frame 0 is the image, exactly";
    const auto rest = out.narrow(1, 1, 6);
    EXPECT_LT((rest - guidedColour("warm", "", 3.0).expand_as(rest)).abs().max().item<double>(), 1e-5);
    const auto& mask = model.lastKnown.mask;
    ASSERT_EQ(mask.sizes(), (std::vector<int64_t> { 1, 1, 3, 8, 8 }));
    EXPECT_EQ(mask.select(2, 0).min().item<double>(), 1.0) << "latent frame 0 is pixel frame 0 alone";
    EXPECT_EQ(mask.narrow(2, 1, 2).max().item<double>(), 0.0);
}

TEST(GenericLoop, ExtendsInOneWindowAndRefusesWhatItCannotJoin)
{
    FakeFlowModel model;
    const auto clip = randomClip(5, 5);
    auto r = task(TaskKind::Extend);
    r.frames = 4;
    TaskResult result = runTask(model, r, clipInput(clip));
    ASSERT_EQ(result.video.sizes(), (std::vector<int64_t> { 3, 9, 32, 32 }));
    EXPECT_EQ(result.windows, 1);
    EXPECT_TRUE(torch::equal(result.video.narrow(1, 0, 5), clip));
    const auto made = result.video.narrow(1, 5, 4);
    EXPECT_LT((made - guidedColour("warm", "", 3.0).expand_as(made)).abs().max().item<double>(), 1e-5);
    const auto& mask = model.lastKnown.mask;
    EXPECT_EQ(mask.narrow(2, 0, 2).min().item<double>(), 1.0) << "frames 0 and 1-4 are known";
    EXPECT_EQ(mask.select(2, 2).max().item<double>(), 0.0);

    // Latents of a causal VAE do not join across windows: longer than one window is refused, with
    // a message that says so, before anything runs; so is a window it cannot make.
    r.frames = 8;
    const int before = model.predictCalls;
    try {
        runTask(model, r, clipInput(clip));
        ADD_FAILURE() << "a 13-frame job in a 9-frame window ran";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("one window"), std::string::npos) << e.what();
    }
    r.frames = 4;
    r.windowFrames = 8;
    EXPECT_THROW(runTask(model, r, clipInput(clip)), std::invalid_argument);
    EXPECT_EQ(model.predictCalls, before);
    // A longer window (more memory) takes the longer job.
    r.frames = 8;
    r.windowFrames = 13;
    EXPECT_EQ(runTask(model, r, clipInput(clip)).video.size(1), 13);
}

TEST(GenericLoop, InterpolatesWithTheKeyframesExact)
{
    FakeFlowModel model;
    const auto clip = randomClip(3, 6);
    auto r = task(TaskKind::Interpolate);
    r.factor = 4;
    const auto out = runTask(model, r, clipInput(clip)).video;
    ASSERT_EQ(out.sizes(), (std::vector<int64_t> { 3, 9, 32, 32 }));
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(torch::equal(out.select(1, 4 * i), clip.select(1, i)));
}

TEST(GenericLoop, CancelsBetweenStepsAndBetweenDecodePieces)
{
    FakeFlowModel model;
    int steps = 0;
    bool cancel = false;
    TaskCallbacks callbacks;
    callbacks.onStep = [&](const TaskProgress&) { cancel = ++steps == 2; };
    callbacks.isCancelled = [&] { return cancel; };
    EXPECT_THROW(runTask(model, task(), {}, callbacks), PipelineCancelled);
    EXPECT_EQ(model.predictCalls, 2) << "no step after the cancel";
    EXPECT_EQ(model.decodeCalls, 0);

    // Cancelled after the last step: the family's decode sees it between its pieces.
    FakeFlowModel late;
    steps = 0;
    cancel = false;
    callbacks.onStep = [&](const TaskProgress&) { cancel = ++steps == 4; };
    EXPECT_THROW(runTask(late, task(), {}, callbacks), PipelineCancelled);
    EXPECT_EQ(late.predictCalls, 4);
    EXPECT_EQ(late.decodeCalls, 1);
}

TEST(GenericLoop, ChecksRequestsAgainstTheGeometry)
{
    FakeFlowModel model;
    DiffusionRequest r;
    r.prompt = "warm";
    r.width = r.height = 32;
    r.frames = 8;
    r.steps = 2;
    r.sampler = "flow-euler";
    try {
        runDiffusion(model, r);
        ADD_FAILURE() << "8 frames ran on a 1 + 4·n model";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("1 + 4"), std::string::npos) << e.what();
    }
    r.frames = 9;
    r.width = 30;
    EXPECT_THROW(runDiffusion(model, r), std::invalid_argument);
    EXPECT_EQ(model.predictCalls, 0);
    r.width = 32;
    EXPECT_EQ(runDiffusion(model, r).video.sizes(), (std::vector<int64_t> { 3, 9, 32, 32 }));
}

TEST(GenericLoop, DecodingInPiecesEqualsOneDecode)
{
    FakeFlowModel model;
    auto g = at::make_generator<at::CPUGeneratorImpl>(9);
    const auto latents = torch::randn({ 1, 4, 4, 8, 8 }, g) * 0.3;
    const auto whole = decodeLatents(model, latents);
    ASSERT_EQ(whole.sizes(), (std::vector<int64_t> { 3, 13, 32, 32 }));
    EXPECT_TRUE(torch::equal(whole, decodeLatents(model, latents, 5)));
    EXPECT_TRUE(torch::equal(whole.narrow(1, 6, 7), model.decode(latents, 6, 4, {})));
}

TEST(GenericLoop, BenchmarksAnyFamily)
{
    BenchOptions options;
    options.device = "cpu";
    options.steps = 2;
    options.warmup = 0;
    options.frames = 7; // made as 9
    const auto report = runBench(
        options, [](const std::string&, const std::string&) { return std::make_unique<FakeFlowModel>(); });
    ASSERT_EQ(report.runs.size(), 1u);
    const auto& run = report.runs[0];
    EXPECT_EQ(run.frames, 9);
    EXPECT_EQ(run.batch, 2);
    EXPECT_EQ(run.width, 32);
    EXPECT_GT(run.stepMs, 0.0);
    EXPECT_GE(run.decodeMsPerFrame, 0.0);
    EXPECT_EQ(report.model, "fake flow");
}
