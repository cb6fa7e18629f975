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

void checkRequest(const NativeModel& model, const DiffusionRequest& r)
{
    if (r.width < 1 || r.height < 1 || r.frames < 1)
        throw std::invalid_argument("a diffusion run needs a size and at least 1 frame, got "
            + jobDescription(r.frames, r.width, r.height));
    if (r.steps < 1)
        throw std::invalid_argument("a diffusion run needs at least 1 step");
    if (r.guidance < 0)
        throw std::invalid_argument("the guidance scale must not be negative");
    const int factor = sizeMultiple(model.manifest);
    if (r.width % factor != 0 || r.height % factor != 0)
        throw std::invalid_argument("size " + std::to_string(r.width) + "x" + std::to_string(r.height)
            + " must be a multiple of " + std::to_string(factor) + " for this model");
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

int decoderTemporalRadius(const NativeModel& model)
{
    int radius = 0;
    for (const auto& module : model.vae->modules(false))
        if (auto* mix = module->as<TemporalMixImpl>())
            radius += static_cast<int>(mix->conv->options.kernel_size()->at(0) / 2);
    return radius;
}

LatentConditioning encodeKnown(
    NativeModel& model, const at::Tensor& video, const at::Tensor& mask, int frames, int height, int width)
{
    const auto device = model.denoiser->convIn->weight.device();
    const auto dtype = model.denoiser->convIn->weight.scalar_type();
    const int64_t c = model.config.latentChannels;
    const int64_t s = model.config.spatialCompression();
    const auto options = torch::TensorOptions(device).dtype(torch::kFloat32);
    LatentConditioning known { torch::zeros({ 1, c, frames, height / s, width / s }, options),
        torch::zeros({ 1, 1, frames, height / s, width / s }, options) };
    if (!video.defined())
        return known;
    const auto pixelMask = (mask.to(device, torch::kFloat32) > 0.5).to(torch::kFloat32);
    if (pixelMask.sum().item<double>() == 0)
        return known;
    auto pixels = video.to(device, torch::kFloat32) * 2 - 1;
    auto [mean, logvar] = model.vae->encode(pixels.unsqueeze(0).to(dtype));
    known.mask = -F::max_pool3d(
        -pixelMask.view({ 1, 1, frames, height, width }), F::MaxPool3dFuncOptions({ 1, s, s }));
    known.latent = mean.to(torch::kFloat32) * model.manifest.latentScale * known.mask;
    return known;
}

at::Tensor sampleLatents(NativeModel& model, const DiffusionRequest& r, const LatentConditioning& known,
    const PipelineCallbacks& callbacks, int stepOffset, int stepTotal)
{
    const auto device = model.denoiser->convIn->weight.device();
    const auto dtype = model.denoiser->convIn->weight.scalar_type();
    const auto shape = known.latent.sizes().vec();
    const double latentScale = model.manifest.latentScale;

    auto tokens = model.textEncoder->tokenize({ r.prompt, r.negativePrompt });
    tokens.ids = tokens.ids.to(device);
    auto text = model.textEncoder->forward(tokens).to(dtype);
    auto textMask = tokens.mask.to(device);
    const bool guided = r.guidance != 1.0;

    Sampler sampler(
        parseSamplerKind(r.sampler), scheduleOf(model.manifest), r.steps, samplerOptionsOf(model.manifest));
    const auto prediction = predictionOf(model.manifest);
    // Noise on the CPU generator: the same seed gives the same clip on any device. The sampler's
    // state stays in float32 whatever the model's dtype; only the denoiser's input is cast.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(r.seed);
    auto noise = torch::randn(shape, generator, torch::kFloat32);
    auto x = (noise * sampler.initNoiseSigma()).to(device);
    // Fixed noise for re-imposing the known region, so that region follows one consistent path.
    auto knownNoise = torch::randn(shape, generator, torch::kFloat32).to(device);
    const auto& latentMask = known.mask;
    const bool anyKnown = latentMask.sum().item<double>() > 0;
    const auto conditioning = torch::cat({ known.latent, latentMask }, 1);
    const int total = stepTotal > 0 ? stepTotal : r.steps;

    for (int i = 0; i < r.steps; ++i) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw PipelineCancelled();
        if (anyKnown)
            x = latentMask * sampler.addNoise(known.latent, knownNoise, i) + (1 - latentMask) * x;
        auto input = torch::cat({ x, conditioning }, 1).to(dtype);
        const double t = sampler.timestep(i);
        at::Tensor output;
        if (guided) {
            auto both = model.denoiser->forward(
                torch::cat({ input, input }), torch::full({ 2 }, t, torch::kFloat32), text, textMask);
            auto parts = both.to(torch::kFloat32).chunk(2);
            output = parts[1] + r.guidance * (parts[0] - parts[1]);
        } else {
            output = model.denoiser
                         ->forward(input, torch::full({ 1 }, t, torch::kFloat32), text.narrow(0, 0, 1),
                             textMask.narrow(0, 0, 1))
                         .to(torch::kFloat32);
        }
        x = sampler.step(i, x, output, prediction, generator);
        if (callbacks.onStep) {
            StepUpdate update;
            update.step = stepOffset + i + 1;
            update.total = total;
            const auto& x0 = sampler.predictedX0();
            update.preview = latentPreview(model.manifest, x0[0] / latentScale).cpu();
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
    NativeModel& model, const at::Tensor& latents, int chunkFrames, const std::function<bool()>& isCancelled)
{
    const auto dtype = model.denoiser->convIn->weight.scalar_type();
    const int64_t frames = latents.size(2);
    const int64_t chunk = chunkFrames > 0 ? std::min<int64_t>(chunkFrames, frames) : frames;
    const int64_t radius = decoderTemporalRadius(model);
    std::vector<at::Tensor> parts;
    for (int64_t first = 0; first < frames; first += chunk) {
        if (isCancelled && isCancelled())
            throw PipelineCancelled();
        const int64_t count = std::min(chunk, frames - first);
        // Decode with `radius` real neighbours on each side, keep the centre: the same as one decode.
        const int64_t from = std::max<int64_t>(0, first - radius);
        const int64_t to = std::min(frames, first + count + radius);
        auto piece = latents.narrow(2, from, to - from) / model.manifest.latentScale;
        auto rgb = model.vae->decode(piece.to(dtype)).to(torch::kFloat32);
        parts.push_back(((rgb[0].narrow(1, first - from, count) + 1) / 2).clamp(0, 1).cpu());
    }
    return torch::cat(parts, 1).contiguous();
}

DiffusionResult runDiffusion(
    NativeModel& model, const DiffusionRequest& request, const PipelineCallbacks& callbacks)
{
    c10::InferenceMode inference;
    checkRequest(model, request);
    const auto& r = request;
    DiffusionResult result;
    translateOutOfMemory(jobDescription(r.frames, r.width, r.height), [&] {
        const auto known = encodeKnown(model, r.knownVideo, r.knownMask, r.frames, r.height, r.width);
        const auto latents = sampleLatents(model, r, known, callbacks);
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
