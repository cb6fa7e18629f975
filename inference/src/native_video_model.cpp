#include "kinora/inference/native_video_model.h"

#include "kinora/inference/job_errors.h"

#include <torch/torch.h>

#include <algorithm>

namespace kinora::inference {

namespace {

// The prompt and the negative prompt as one batch of 2, in the denoiser's dtype.
struct NativeText final : TextConditioning {
    at::Tensor text; // [2, L, D]
    at::Tensor mask; // [2, L]
};

c10::ScalarType weightType(const NativeModel& model)
{
    return model.denoiser->convIn->weight.scalar_type();
}

} // namespace

NativeVideoModel::NativeVideoModel(NativeModel model)
    : m_model(std::move(model))
{
    for (const auto& [role, module] : m_model.components())
        module->eval();
}

c10::Device NativeVideoModel::device() const
{
    return m_model.denoiser->convIn->weight.device();
}

int64_t NativeVideoModel::weightBytes() const
{
    int64_t bytes = 0;
    for (const auto& [role, module] : m_model.components()) {
        for (const auto& p : module->parameters())
            bytes += static_cast<int64_t>(p.nbytes());
        for (const auto& b : module->buffers())
            bytes += static_cast<int64_t>(b.nbytes());
    }
    return bytes;
}

std::unique_ptr<TextConditioning> NativeVideoModel::encodeText(
    const std::string& prompt, const std::string& negativePrompt)
{
    auto tokens = m_model.textEncoder->tokenize({ prompt, negativePrompt });
    tokens.ids = tokens.ids.to(device());
    auto conditioning = std::make_unique<NativeText>();
    conditioning->text = m_model.textEncoder->forward(tokens).to(weightType(m_model));
    conditioning->mask = tokens.mask.to(device());
    return conditioning;
}

at::Tensor NativeVideoModel::predict(const at::Tensor& x, double timestep, const TextConditioning& text,
    const LatentConditioning& known, double guidance)
{
    const auto& t = dynamic_cast<const NativeText&>(text);
    // The U-Net's input: noisy latent, known latent and mask as channels.
    auto input = torch::cat({ x, known.latent, known.mask }, 1).to(weightType(m_model));
    if (guidance != 1.0) { // prompt and negative prompt as one batch of 2
        auto both = m_model.denoiser->forward(
            torch::cat({ input, input }), torch::full({ 2 }, timestep, torch::kFloat32), t.text, t.mask);
        auto parts = both.to(torch::kFloat32).chunk(2);
        return parts[1] + guidance * (parts[0] - parts[1]);
    }
    return m_model.denoiser
        ->forward(input, torch::full({ 1 }, timestep, torch::kFloat32), t.text.narrow(0, 0, 1),
            t.mask.narrow(0, 0, 1))
        .to(torch::kFloat32);
}

at::Tensor NativeVideoModel::encode(const at::Tensor& video)
{
    auto pixels = video.to(device(), torch::kFloat32) * 2 - 1;
    auto [mean, logvar] = m_model.vae->encode(pixels.unsqueeze(0).to(weightType(m_model)));
    return mean.to(torch::kFloat32) * m_model.manifest.latentScale;
}

at::Tensor NativeVideoModel::decode(
    const at::Tensor& latents, int firstFrame, int chunkFrames, const std::function<bool()>& isCancelled)
{
    const auto dtype = weightType(m_model);
    const int64_t radius = decoderTemporalRadius(m_model);
    // Frames before firstFrame are decoded only as the neighbours its first chunk needs.
    const int64_t total = latents.size(2);
    const int64_t begin = std::max<int64_t>(0, firstFrame - radius);
    const auto clip = latents.narrow(2, begin, total - begin);
    const int64_t frames = clip.size(2);
    const int64_t chunk = chunkFrames > 0 ? std::min<int64_t>(chunkFrames, frames) : frames;
    std::vector<at::Tensor> parts;
    for (int64_t first = 0; first < frames; first += chunk) {
        if (isCancelled && isCancelled())
            throw PipelineCancelled();
        const int64_t count = std::min(chunk, frames - first);
        // Decode with `radius` real neighbours on each side, keep the centre: the same as one decode.
        const int64_t from = std::max<int64_t>(0, first - radius);
        const int64_t to = std::min(frames, first + count + radius);
        auto piece = clip.narrow(2, from, to - from) / m_model.manifest.latentScale;
        auto rgb = m_model.vae->decode(piece.to(dtype)).to(torch::kFloat32);
        parts.push_back(((rgb[0].narrow(1, first - from, count) + 1) / 2).clamp(0, 1).cpu());
    }
    return torch::cat(parts, 1).contiguous().narrow(1, firstFrame - begin, total - firstFrame);
}

int decoderTemporalRadius(const NativeModel& model)
{
    int radius = 0;
    for (const auto& module : model.vae->modules(false))
        if (auto* mix = module->as<TemporalMixImpl>())
            radius += static_cast<int>(mix->conv->options.kernel_size()->at(0) / 2);
    return radius;
}

} // namespace kinora::inference
