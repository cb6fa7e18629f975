#include "kinora/inference/pipeline.h"

#include "kinora/inference/sampler.h"
#include "kinora/inference/schedule.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace kinora::inference {

namespace F = torch::nn::functional;

namespace {

NoiseSchedule scheduleOf(const ModelManifest& m)
{
    const auto& s = m.schedule;
    NoiseSchedule schedule = s.kind == "flow" ? NoiseSchedule::flowMatching(s.trainSteps)
        : s.kind == "linear"                  ? NoiseSchedule::linear(s.trainSteps, s.betaStart, s.betaEnd)
        : s.kind == "cosine"                  ? NoiseSchedule::cosine(s.trainSteps)
                             : NoiseSchedule::scaledLinear(s.trainSteps, s.betaStart, s.betaEnd);
    return s.zeroTerminalSnr && s.kind != "flow" ? schedule.withZeroTerminalSnr() : schedule;
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

DiffusionRequest resolve(const NativeModel& model, DiffusionRequest r)
{
    const auto& d = model.manifest.defaults;
    if (r.width <= 0)
        r.width = r.knownVideo.defined() ? static_cast<int>(r.knownVideo.size(3)) : d.width;
    if (r.height <= 0)
        r.height = r.knownVideo.defined() ? static_cast<int>(r.knownVideo.size(2)) : d.height;
    if (r.frames <= 0)
        r.frames = r.knownVideo.defined() ? static_cast<int>(r.knownVideo.size(1)) : d.frames;
    if (r.steps <= 0)
        r.steps = d.steps;
    if (r.guidance < 0)
        r.guidance = d.guidance;
    if (r.sampler.empty())
        r.sampler = d.sampler;
    const int factor = model.config.spatialCompression() * static_cast<int>(model.denoiser->downFactor);
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
    return r;
}

} // namespace

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

DiffusionResult runDiffusion(
    NativeModel& model, const DiffusionRequest& request, const PipelineCallbacks& callbacks)
{
    c10::InferenceMode inference;
    const auto r = resolve(model, request);
    const auto device = model.denoiser->convIn->weight.device();
    const auto dtype = model.denoiser->convIn->weight.scalar_type();
    const int64_t c = model.config.latentChannels;
    const int64_t s = model.config.spatialCompression();
    const int64_t h = r.height / s, w = r.width / s;
    const double latentScale = model.manifest.latentScale;

    // Conditioning in latent space: a latent cell is known when every pixel it covers is known.
    auto knownLatent = torch::zeros({ 1, c, r.frames, h, w }, torch::TensorOptions(device).dtype(dtype));
    auto latentMask = torch::zeros({ 1, 1, r.frames, h, w }, knownLatent.options());
    at::Tensor pixelMask, pixelVideo;
    if (r.knownVideo.defined()) {
        pixelVideo = r.knownVideo.to(device, torch::kFloat32);
        pixelMask = (r.knownMask.to(device, torch::kFloat32) > 0.5).to(torch::kFloat32);
        auto [mean, logvar] = model.vae->encode((pixelVideo * 2 - 1).unsqueeze(0).to(dtype));
        knownLatent = mean * latentScale;
        latentMask = -F::max_pool3d(
            -pixelMask.view({ 1, 1, r.frames, r.height, r.width }), F::MaxPool3dFuncOptions({ 1, s, s }))
                          .to(dtype);
        knownLatent = knownLatent * latentMask;
    }

    auto tokens = model.textEncoder->tokenize({ r.prompt, r.negativePrompt });
    auto text = model.textEncoder->forward(tokens).to(dtype);
    auto textMask = tokens.mask.to(device);
    const bool guided = r.guidance != 1.0;

    Sampler sampler(parseSamplerKind(r.sampler), scheduleOf(model.manifest), r.steps);
    const auto prediction = predictionOf(model.manifest);
    // Noise on the CPU generator: the same seed gives the same clip on any device.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(r.seed);
    auto noise = torch::randn({ 1, c, r.frames, h, w }, generator, torch::kFloat32);
    auto x = (noise * sampler.initNoiseSigma()).to(device, dtype);
    // Fixed noise for re-imposing the known region, so that region follows one consistent path.
    auto knownNoise = torch::randn({ 1, c, r.frames, h, w }, generator, torch::kFloat32).to(device, dtype);
    const bool anyKnown = latentMask.sum().item<double>() > 0;

    for (int i = 0; i < r.steps; ++i) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw PipelineCancelled();
        if (anyKnown)
            x = latentMask * sampler.addNoise(knownLatent, knownNoise, i) + (1 - latentMask) * x;
        auto input = torch::cat({ x, knownLatent, latentMask }, 1);
        const double t = sampler.timestep(i);
        at::Tensor output;
        if (guided) {
            auto both = model.denoiser->forward(
                torch::cat({ input, input }), torch::full({ 2 }, t, torch::kFloat32), text, textMask);
            auto parts = both.chunk(2);
            output = parts[1] + r.guidance * (parts[0] - parts[1]);
        } else {
            output = model.denoiser->forward(input, torch::full({ 1 }, t, torch::kFloat32),
                text.narrow(0, 0, 1), textMask.narrow(0, 0, 1));
        }
        x = sampler.step(i, x, output, prediction, generator);
        if (callbacks.onStep) {
            StepUpdate update;
            update.step = i + 1;
            update.total = r.steps;
            const auto& x0 = sampler.predictedX0();
            update.preview = latentPreview(model.manifest, x0[0] / latentScale).cpu();
            if (r.fullDecodeEvery > 0 && (i + 1) % r.fullDecodeEvery == 0 && i + 1 < r.steps)
                update.fullDecode = ((model.vae->decode(x0 / latentScale)[0].to(torch::kFloat32) + 1) / 2)
                                        .clamp(0, 1)
                                        .cpu();
            callbacks.onStep(update);
        }
    }
    if (anyKnown)
        x = latentMask * knownLatent + (1 - latentMask) * x;
    if (callbacks.isCancelled && callbacks.isCancelled())
        throw PipelineCancelled();
    auto video = ((model.vae->decode(x / latentScale)[0].to(torch::kFloat32) + 1) / 2).clamp(0, 1);
    // Known pixels are the input's, exactly.
    if (pixelMask.defined())
        video = pixelMask.unsqueeze(0) * pixelVideo + (1 - pixelMask.unsqueeze(0)) * video;
    return { video.cpu().contiguous(), r };
}

} // namespace kinora::inference
