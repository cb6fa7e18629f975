#include "kinora/inference/pipeline.h"

#include "kinora/inference/sampler.h"
#include "kinora/inference/schedule.h"
#include "kinora/inference/task_plan.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace kinora::inference {

namespace F = torch::nn::functional;

at::Tensor latentPreview(const ModelManifest& manifest, const at::Tensor& latent)
{
    std::vector<double> flat;
    for (const auto& row : manifest.latentToRgb)
        flat.insert(flat.end(), row.begin(), row.end());
    auto matrix = torch::tensor(flat, torch::kFloat64).view({ -1, 3 }).to(latent.device(), torch::kFloat32);
    auto bias = torch::tensor(std::vector<double>(manifest.rgbBias.begin(), manifest.rgbBias.end()))
                    .to(latent.device(), torch::kFloat32)
                    .view({ 3, 1, 1, 1 });
    auto rgb = torch::einsum("ct,cfhw->tfhw", { matrix, latent.to(torch::kFloat32) }) + bias;
    return rgb.clamp(0.0, 1.0);
}

NoiseSchedule scheduleOf(const ModelManifest& m)
{
    const auto& s = m.schedule;
    NoiseSchedule schedule = s.kind == "flow" ? NoiseSchedule::flowMatching(s.trainSteps)
        : s.kind == "linear"                  ? NoiseSchedule::linear(s.trainSteps, s.betaStart, s.betaEnd)
        : s.kind == "cosine"                  ? NoiseSchedule::cosine(s.trainSteps)
                             : NoiseSchedule::scaledLinear(s.trainSteps, s.betaStart, s.betaEnd);
    return s.zeroTerminalSnr && s.kind != "flow" ? schedule.withZeroTerminalSnr() : schedule;
}

SamplerOptions samplerOptionsOf(const ModelManifest& m)
{
    SamplerOptions options;
    if (m.schedule.kind == "flow") {
        options.shift = m.schedule.shift;
        options.flowGrid = parseFlowGrid(m.schedule.flowGrid);
    }
    return options;
}

Prediction predictionOf(const ModelManifest& m)
{
    if (m.prediction == "eps")
        return Prediction::Epsilon;
    if (m.prediction == "x0")
        return Prediction::Sample;
    if (m.prediction == "flow")
        return Prediction::Flow;
    return Prediction::V;
}

void checkRequest(const VideoModel& model, const DiffusionRequest& r)
{
    if (r.width < 1 || r.height < 1 || r.frames < 1)
        throw std::invalid_argument("a diffusion run needs a size and at least 1 frame, got "
            + jobDescription(r.frames, r.width, r.height));
    if (r.steps < 1)
        throw std::invalid_argument("a diffusion run needs at least 1 step");
    if (r.guidance < 0)
        throw std::invalid_argument("the guidance scale must not be negative");
    const auto geometry = model.geometry();
    const int factor = geometry.sizeMultiple;
    if (r.width % factor != 0 || r.height % factor != 0)
        throw std::invalid_argument("size " + std::to_string(r.width) + "x" + std::to_string(r.height)
            + " must be a multiple of " + std::to_string(factor) + " for this model");
    if (!geometry.acceptsFrames(r.frames))
        throw std::invalid_argument("this model makes " + geometry.framesRule() + ", not "
            + std::to_string(r.frames) + " (the next it makes is "
            + std::to_string(geometry.fitFrames(r.frames)) + ")");
    if (r.knownVideo.defined() != r.knownMask.defined())
        throw std::invalid_argument("a known video needs a known mask, and the other way round");
    if (r.knownVideo.defined()) {
        const std::vector<int64_t> video { 3, r.frames, r.height, r.width };
        const std::vector<int64_t> mask { r.frames, r.height, r.width };
        if (r.knownVideo.sizes() != video || r.knownMask.sizes() != mask)
            throw std::invalid_argument(
                "known video and mask must be [3, T, H, W] and [T, H, W] at the output size");
    }
}

LatentConditioning encodeKnown(
    VideoModel& model, const at::Tensor& video, const at::Tensor& mask, int frames, int height, int width)
{
    const auto device = model.device();
    const auto g = model.geometry();
    const int64_t s = g.spatialCompression;
    const int64_t c = g.temporalCompression;
    const int64_t t = g.latentFrames(frames);
    const auto options = torch::TensorOptions(device).dtype(torch::kFloat32);
    LatentConditioning known { torch::zeros({ 1, g.channels, t, height / s, width / s }, options),
        torch::zeros({ 1, 1, t, height / s, width / s }, options) };
    if (!video.defined())
        return known;
    auto pixelMask = (mask.to(device, torch::kFloat32) > 0.5).to(torch::kFloat32);
    if (pixelMask.sum().item<double>() == 0)
        return known;
    auto latent = model.encode(video);
    // A latent cell is known when every pixel under it is: a min-pool over its pixels. Causal
    // temporal compression: frame 0 alone, then c at a time, so c − 1 copies of frame 0 make the
    // first group c long.
    if (c > 1)
        pixelMask = torch::cat({ pixelMask.narrow(0, 0, 1).expand({ c - 1, height, width }), pixelMask });
    known.mask
        = -F::max_pool3d(-pixelMask.view({ 1, 1, -1, height, width }), F::MaxPool3dFuncOptions({ c, s, s }));
    known.latent = latent * known.mask;
    return known;
}

at::Tensor sampleLatents(VideoModel& model, const DiffusionRequest& r, const LatentConditioning& known,
    const TextConditioning& text, const PipelineCallbacks& callbacks, int stepOffset, int stepTotal)
{
    const auto device = model.device();
    const auto shape = known.latent.sizes().vec();
    const auto& manifest = model.manifest();

    Sampler sampler(parseSamplerKind(r.sampler), scheduleOf(manifest), r.steps, samplerOptionsOf(manifest));
    const auto prediction = predictionOf(manifest);
    // Noise on the CPU generator: the same seed gives the same clip on any device. The sampler's
    // state stays in float32 whatever the model's dtype; the family casts its own inputs.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(r.seed);
    auto noise = torch::randn(shape, generator, torch::kFloat32);
    auto x = (noise * sampler.initNoiseSigma()).to(device);
    // Fixed noise for re-imposing the known region, so that region follows one consistent path.
    auto knownNoise = torch::randn(shape, generator, torch::kFloat32).to(device);
    const auto& latentMask = known.mask;
    const bool anyKnown = latentMask.sum().item<double>() > 0;
    const int total = stepTotal > 0 ? stepTotal : r.steps;

    for (int i = 0; i < r.steps; ++i) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw PipelineCancelled();
        if (anyKnown)
            x = latentMask * sampler.addNoise(known.latent, knownNoise, i) + (1 - latentMask) * x;
        const auto output = model.predict(x, sampler.timestep(i), text, known, r.guidance);
        x = sampler.step(i, x, output, prediction, generator);
        if (callbacks.onStep) {
            StepUpdate update;
            update.step = stepOffset + i + 1;
            update.total = total;
            const auto& x0 = sampler.predictedX0();
            update.preview = model.preview(x0);
            if (r.fullDecodeEvery > 0 && (i + 1) % r.fullDecodeEvery == 0 && i + 1 < r.steps)
                update.fullDecode = decodeLatents(model, x0);
            callbacks.onStep(update);
        }
    }
    if (anyKnown)
        x = latentMask * known.latent + (1 - latentMask) * x;
    return x;
}

at::Tensor decodeLatents(
    VideoModel& model, const at::Tensor& latents, int chunkFrames, const std::function<bool()>& isCancelled)
{
    return model.decode(latents, 0, chunkFrames, isCancelled);
}

DiffusionResult runDiffusion(
    VideoModel& model, const DiffusionRequest& request, const PipelineCallbacks& callbacks)
{
    c10::InferenceMode inference;
    checkRequest(model, request);
    const auto& r = request;
    DiffusionResult result;
    translateOutOfMemory(jobDescription(r.frames, r.width, r.height), [&] {
        const auto text = model.encodeText(r.prompt, r.negativePrompt);
        const auto known = encodeKnown(model, r.knownVideo, r.knownMask, r.frames, r.height, r.width);
        const auto latents = sampleLatents(model, r, known, *text, callbacks);
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw PipelineCancelled();
        auto video = decodeLatents(model, latents, 0, callbacks.isCancelled);
        // Known pixels are the input's, exactly.
        if (r.knownMask.defined()) {
            const auto pixelMask = (r.knownMask.to(torch::kFloat32) > 0.5).to(torch::kFloat32).unsqueeze(0);
            video = pixelMask * r.knownVideo.to(torch::kFloat32) + (1 - pixelMask) * video;
        }
        result.video = video.contiguous();
    });
    return result;
}

std::string jobDescription(int frames, int width, int height)
{
    return std::to_string(frames) + " frames at " + std::to_string(width) + "x" + std::to_string(height);
}

void translateOutOfMemory(const std::string& job, const std::function<void()>& run)
{
    const std::string advice = ": lower the size or the number of frames, or run on the CPU";
    try {
        run();
    } catch (const std::bad_alloc&) {
        throw OutOfMemory("out of memory making " + job + advice);
#if TORCH_VERSION_MAJOR >= 2
    } catch (const c10::OutOfMemoryError&) {
        throw OutOfMemory("out of GPU memory making " + job + advice);
#endif
    }
}

} // namespace kinora::inference
