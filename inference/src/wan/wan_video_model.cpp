#include "kinora/inference/wan/wan_video_model.h"

#include "kinora/inference/job_errors.h"
#include "kinora/inference/wan/umt5.h"
#include "kinora/inference/wan/wan_dit.h"
#include "kinora/inference/wan/wan_folder.h"
#include "kinora/inference/wan/wan_tokenizer.h"
#include "kinora/inference/wan/wan_vae.h"
#include "kinora/inference/wan/wan_weights.h"

#include <c10/util/Exception.h>
#include <torch/torch.h>

#include <optional>

namespace kinora::inference::wan {

namespace fs = std::filesystem;

namespace {

// Below this, the text encoder follows the model's float32 (tiny test encoders, whose parity is
// checked in float32); the real umT5-XXL runs in bfloat16, as Wan runs it.
constexpr int64_t kSmallTextEncoder = 1'000'000'000;
// Prompt pairs whose encodings are kept (a take made again, a batch of variations).
constexpr size_t kCachedPrompts = 8;

c10::ScalarType scalarTypeOf(const std::string& precision)
{
    return precision == "bf16" ? torch::kBFloat16 : precision == "fp16" ? torch::kHalf : torch::kFloat32;
}

int64_t moduleBytes(const torch::nn::Module& module)
{
    int64_t bytes = 0;
    for (const auto& p : module.parameters())
        bytes += static_cast<int64_t>(p.nbytes());
    for (const auto& b : module.buffers())
        bytes += static_cast<int64_t>(b.nbytes());
    return bytes;
}

int64_t moduleParameters(const torch::nn::Module& module)
{
    int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

// One prompt pair's umT5 output, trimmed to its tokens, [1, len, dModel] float32 on the model's
// device; the DiT pads it with zeros to 512 rows.
struct WanText final : TextConditioning {
    at::Tensor prompt;
    at::Tensor negative;
};

// Opens the component `role` of the manifest with the prefix its header shows.
WanWeights openComponent(const fs::path& dir, const ModelManifest& manifest, const std::string& role,
    std::vector<std::string>& problems, WanComponentFile& info)
{
    const auto it = manifest.components.find(role);
    if (it == manifest.components.end()) {
        problems.push_back("components." + role + " is missing from the manifest");
        return {};
    }
    std::string found;
    info = inspectWanWeights(dir, it->second, &found);
    if (found != role)
        problems.push_back(it->second + " holds " + (found.empty() ? "no Wan 2.1 component" : "the " + found)
            + ", not the " + role);
    return WanWeights::open({ dir / it->second }, info.prefix);
}

} // namespace

struct WanVideoModel::State {
    fs::path dir;
    ModelManifest manifest;
    c10::Device device { c10::kCPU };
    std::string precision;
    WanDit dit { nullptr };
    WanVae vae { nullptr };
    WanWeights textWeights; // memory-mapped; the encoder is built from them per new prompt pair
    std::optional<WanTokenizer> tokenizer;
    int64_t textParameters = 0;
    c10::Device textDevice { c10::kCPU };
    c10::ScalarType textDtype = torch::kBFloat16;
    std::list<std::pair<std::string, at::Tensor>> cache; // prompt -> encoding, most recent first
};

WanVideoModel::WanVideoModel(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

WanVideoModel::~WanVideoModel() = default;

std::unique_ptr<WanVideoModel> WanVideoModel::load(
    const fs::path& dir, ModelManifest manifest, const c10::Device& device, const std::string& precision)
{
    auto s = std::make_unique<State>();
    s->dir = dir;
    s->manifest = std::move(manifest);
    s->device = device;
    s->precision = precision;
    const auto dtype = scalarTypeOf(precision);

    // Every component's problems are gathered before one error is thrown.
    std::vector<std::string> problems;
    const auto collect = [&](const std::function<void()>& step) {
        try {
            step();
        } catch (const ModelPackError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
        } catch (const SafetensorsError& e) {
            problems.push_back(e.what());
        } catch (const std::runtime_error& e) {
            problems.push_back(e.what());
        }
    };
    collect([&] {
        WanComponentFile info;
        const auto weights = openComponent(dir, s->manifest, "denoiser", problems, info);
        s->dit
            = loadWanDit(weights, device, dtype, configuredHeads(dir, s->manifest.components.at("denoiser")));
        s->dit->eval();
    });
    collect([&] {
        WanComponentFile info;
        const auto weights = openComponent(dir, s->manifest, "vae", problems, info);
        s->vae = loadWanVae(weights, device, torch::kFloat32);
        s->vae->eval();
    });
    collect([&] {
        WanComponentFile info;
        s->textWeights = openComponent(dir, s->manifest, "text_encoder", problems, info);
        s->textParameters = wanParameterCounts(dir, s->manifest).at("text_encoder");
        // Checked now, so that a broken encoder is reported with the rest rather than at the
        // first prompt: the config is read from the shapes.
        UmT5Config::fromWeights(s->textWeights);
    });
    collect([&] {
        const auto it = s->manifest.components.find("tokenizer");
        if (it != s->manifest.components.end())
            s->tokenizer = WanTokenizer::fromFile(dir / it->second);
        else if (const auto embedded = embeddedSpieceModel(s->textWeights))
            s->tokenizer = WanTokenizer::fromBytes(*embedded);
        else
            problems.push_back("no tokenizer: the manifest names none and the text encoder file embeds none");
    });
    if (!problems.empty())
        throw ModelPackError(dir.string(), std::move(problems));

    s->textDevice = device;
    s->textDtype = dtype == torch::kFloat32 && s->textParameters < kSmallTextEncoder ? torch::kFloat32
                                                                                     : torch::kBFloat16;
    return std::unique_ptr<WanVideoModel>(new WanVideoModel(std::move(s)));
}

const ModelManifest& WanVideoModel::manifest() const
{
    return m_state->manifest;
}

c10::Device WanVideoModel::device() const
{
    return m_state->device;
}

std::string WanVideoModel::precision() const
{
    return m_state->precision;
}

c10::Device WanVideoModel::textEncoderDevice() const
{
    return m_state->textDevice;
}

std::map<std::string, int64_t> WanVideoModel::parameterCounts() const
{
    std::map<std::string, int64_t> counts;
    counts["denoiser"] = moduleParameters(*m_state->dit);
    counts["vae"] = moduleParameters(*m_state->vae);
    counts["text_encoder"] = m_state->textParameters;
    counts["total"] = counts["denoiser"] + counts["vae"] + counts["text_encoder"];
    return counts;
}

int64_t WanVideoModel::weightBytes() const
{
    // The text encoder is not held between prompts.
    return moduleBytes(*m_state->dit) + moduleBytes(*m_state->vae);
}

std::vector<at::Tensor> WanVideoModel::encodePrompts(const std::vector<std::string>& prompts)
{
    auto& s = *m_state;
    std::vector<at::Tensor> out(prompts.size());
    std::vector<std::string> missing;
    for (size_t i = 0; i < prompts.size(); ++i) {
        const auto it = std::find_if(
            s.cache.begin(), s.cache.end(), [&](const auto& entry) { return entry.first == prompts[i]; });
        if (it != s.cache.end()) {
            out[i] = it->second;
            s.cache.splice(s.cache.begin(), s.cache, it);
        } else if (std::find(missing.begin(), missing.end(), prompts[i]) == missing.end()) {
            missing.push_back(prompts[i]);
        }
    }
    if (!missing.empty()) {
        std::vector<at::Tensor> encoded;
        const auto run = [&](const c10::Device& where) {
            // Built, run and freed here: umT5-XXL is twice the DiT and only needed once per prompt.
            auto encoder = loadUmT5(s.textWeights, where, s.textDtype);
            encoder->eval();
            torch::NoGradGuard noGrad;
            encoded = wan::encodePrompts(encoder, *s.tokenizer, missing);
        };
        try {
            run(s.textDevice);
        } catch (const c10::OutOfMemoryError&) {
            if (!s.textDevice.is_cuda())
                throw;
            // The DiT stays on the GPU; the encoder runs on the CPU from now on (slower, once per
            // prompt).
            s.textDevice = c10::Device(c10::kCPU);
            s.textDtype = torch::kBFloat16;
            run(s.textDevice);
        }
        for (size_t i = 0; i < missing.size(); ++i) {
            encoded[i] = encoded[i].to(s.device, torch::kFloat32).unsqueeze(0);
            s.cache.emplace_front(missing[i], encoded[i]);
        }
        while (s.cache.size() > kCachedPrompts)
            s.cache.pop_back();
        for (size_t i = 0; i < prompts.size(); ++i)
            if (!out[i].defined())
                out[i] = encoded[std::find(missing.begin(), missing.end(), prompts[i]) - missing.begin()];
    }
    return out;
}

std::unique_ptr<TextConditioning> WanVideoModel::encodeText(
    const std::string& prompt, const std::string& negativePrompt)
{
    auto encodings = encodePrompts({ prompt, negativePrompt });
    auto text = std::make_unique<WanText>();
    text->prompt = encodings[0];
    text->negative = encodings[1];
    return text;
}

at::Tensor WanVideoModel::predict(const at::Tensor& x, double timestep, const TextConditioning& text,
    const LatentConditioning& /*known: reaches the DiT through the loop's blending only*/, double guidance)
{
    const auto& t = dynamic_cast<const WanText&>(text);
    auto& dit = m_state->dit;
    const auto dtype = scalarTypeOf(m_state->precision);
    torch::NoGradGuard noGrad;
    const auto input = x.to(dtype);
    const auto time
        = torch::full({ 1 }, timestep, torch::TensorOptions().dtype(torch::kFloat32).device(x.device()));
    // Two passes of batch 1 (cond, then uncond), as Wan and diffusers run guidance.
    auto cond = dit->forward(input, time, t.prompt.to(dtype)).to(torch::kFloat32);
    if (guidance == 1.0)
        return cond;
    auto uncond = dit->forward(input, time, t.negative.to(dtype)).to(torch::kFloat32);
    return uncond + guidance * (cond - uncond);
}

at::Tensor WanVideoModel::encode(const at::Tensor& video)
{
    torch::NoGradGuard noGrad;
    auto pixels = (video.to(m_state->device, torch::kFloat32) * 2 - 1).unsqueeze(0);
    return m_state->vae->encode(pixels).to(torch::kFloat32) * m_state->manifest.latentScale;
}

at::Tensor WanVideoModel::decode(const at::Tensor& latents, int firstFrame, int /*chunkFrames: the
    causal cache decodes one latent frame at a time, whatever is asked*/
    ,
    const std::function<bool()>& isCancelled)
{
    torch::NoGradGuard noGrad;
    auto z = (latents / m_state->manifest.latentScale).to(m_state->device, torch::kFloat32);
    auto video = m_state->vae->decode(z, isCancelled, c10::Device(c10::kCPU)); // [1, 3, T, H, W], [-1, 1]
    auto rgb = ((video[0].to(torch::kFloat32) + 1) / 2).clamp(0, 1);
    return rgb.narrow(1, firstFrame, rgb.size(1) - firstFrame).contiguous();
}

double fitWanPreview(const fs::path& dir, ModelManifest& manifest)
{
    std::vector<std::string> problems;
    WanComponentFile info;
    const auto weights = openComponent(dir, manifest, "vae", problems, info);
    if (!problems.empty())
        throw ModelPackError(dir.string(), std::move(problems));
    auto vae = loadWanVae(weights, c10::Device(c10::kCPU), torch::kFloat32);
    vae->eval();
    torch::NoGradGuard noGrad;

    // Smooth colour fields: random 4x4 grids of colours, bilinearly enlarged to 64x64, one frame each.
    constexpr int64_t kImages = 24, kSize = 64;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(20261204);
    const auto grid = torch::rand({ kImages, 3, 4, 4 }, generator);
    const auto images = torch::nn::functional::interpolate(grid,
        torch::nn::functional::InterpolateFuncOptions()
            .size(std::vector<int64_t> { kSize, kSize })
            .mode(torch::kBilinear)
            .align_corners(true));
    const auto latents = vae->encode((images * 2 - 1).unsqueeze(2)); // [N, 16, 1, 8, 8]
    const int64_t factor = vae->config().spatialFactor();
    const auto targets = torch::avg_pool2d(images, factor); // the colour each latent cell covers

    const int64_t channels = latents.size(1);
    const auto x = torch::cat({ latents.squeeze(2).permute({ 0, 2, 3, 1 }).reshape({ -1, channels }),
                                  torch::ones({ latents.size(0) * latents.size(3) * latents.size(4), 1 }) },
        1)
                       .to(torch::kFloat64);
    const auto y = targets.permute({ 0, 2, 3, 1 }).reshape({ -1, 3 }).to(torch::kFloat64);
    const auto solution = std::get<0>(at::linalg_lstsq(x, y)); // [channels + 1, 3]
    const double rms = (x.matmul(solution) - y).pow(2).mean().sqrt().item<double>();

    manifest.latentToRgb.clear();
    for (int64_t c = 0; c < channels; ++c)
        manifest.latentToRgb.push_back(
            { solution[c][0].item<double>(), solution[c][1].item<double>(), solution[c][2].item<double>() });
    manifest.rgbBias = { solution[channels][0].item<double>(), solution[channels][1].item<double>(),
        solution[channels][2].item<double>() };
    return rms;
}

} // namespace kinora::inference::wan
