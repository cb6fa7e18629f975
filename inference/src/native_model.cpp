#include "kinora/inference/native_model.h"

#include "kinora/inference/caption_words.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/task_plan.h"

#include <torch/torch.h>

#include <fstream>
#include <sstream>

namespace kinora::inference {

namespace {

ModelManifest defaultManifest(const NativeConfig& c)
{
    ModelManifest m;
    m.name = "kinora-" + c.name + "-untrained";
    m.family = "kinora-native";
    m.version = "0.0.0";
    m.config = c.name;
    m.components = { { "denoiser", "denoiser.safetensors" }, { "text_encoder", "text_encoder.safetensors" } };
    if (c.learnedVae())
        m.components["vae"] = "vae.safetensors";
    m.latentChannels = c.latentChannels;
    m.spatialCompression = c.spatialCompression();
    m.temporalCompression = 1;
    m.latentScale = 1.0;
    m.schedule.kind = "scaled_linear";
    m.schedule.zeroTerminalSnr = true;
    m.prediction = "v";
    m.defaults.width = 32;
    m.defaults.height = 32;
    m.defaults.frames = 8;
    if (c.textTokens == "words")
        m.vocabulary = captionGrammarWords();
    // Until a pack is trained its preview shows the first three latent channels as RGB.
    for (int i = 0; i < c.latentChannels; ++i)
        m.latentToRgb.push_back({ i == 0 ? 0.5 : 0.0, i == 1 ? 0.5 : 0.0, i == 2 ? 0.5 : 0.0 });
    m.rgbBias = { 0.5, 0.5, 0.5 };
    return m;
}

std::string shapeText(at::IntArrayRef sizes)
{
    std::ostringstream s;
    s << sizes;
    return s.str();
}

void loadComponent(torch::nn::Module& module, const std::filesystem::path& file, const std::string& role,
    std::vector<std::string>& problems)
{
    std::unique_ptr<SafetensorsFile> weights;
    try {
        weights = std::make_unique<SafetensorsFile>(file);
    } catch (const std::exception& e) {
        problems.push_back(role + ": " + e.what());
        return;
    }
    torch::NoGradGuard noGrad;
    std::map<std::string, bool> expected;
    auto check = [&](const std::string& name, at::Tensor& target) {
        expected[name] = true;
        if (!weights->contains(name)) {
            problems.push_back(role + ": missing tensor " + name + " " + shapeText(target.sizes()));
            return;
        }
        auto source = weights->tensor(name);
        if (source.sizes() != target.sizes()) {
            problems.push_back(role + ": tensor " + name + " has shape " + shapeText(source.sizes())
                + ", expected " + shapeText(target.sizes()));
            return;
        }
        if (!source.is_floating_point()) {
            problems.push_back(role + ": tensor " + name + " has dtype "
                + std::string(c10::toString(source.scalar_type())) + ", expected a floating-point type");
            return;
        }
        target.copy_(source);
    };
    for (auto& p : module.named_parameters())
        check(p.key(), p.value());
    for (auto& b : module.named_buffers())
        check(b.key(), b.value());
    for (const auto& name : weights->names())
        if (!expected.count(name))
            problems.push_back(
                role + ": unexpected tensor " + name + " (not part of the " + role + " architecture)");
}

} // namespace

std::map<std::string, torch::nn::Module*> NativeModel::components() const
{
    return { { "vae", vae.ptr().get() }, { "denoiser", denoiser.ptr().get() },
        { "text_encoder", textEncoder.ptr().get() } };
}

std::map<std::string, int64_t> NativeModel::parameterCounts() const
{
    std::map<std::string, int64_t> counts;
    int64_t total = 0;
    for (const auto& [role, module] : components()) {
        int64_t n = 0;
        for (const auto& p : module->parameters())
            n += p.numel();
        counts[role] = n;
        total += n;
    }
    counts["total"] = total;
    return counts;
}

NativeModel createNativeModel(const std::string& configName, uint64_t seed)
{
    torch::manual_seed(seed);
    NativeModel model;
    model.config = nativeConfig(configName);
    model.manifest = defaultManifest(model.config);
    model.vae = VideoVae(model.config);
    model.denoiser = UNet3d(model.config);
    model.textEncoder = TextEncoder(model.config);
    return model;
}

void saveNativePack(const NativeModel& model, const std::filesystem::path& dir)
{
    std::filesystem::create_directories(dir);
    const auto components = model.components();
    for (const auto& [role, file] : model.manifest.components) {
        const auto it = components.find(role);
        if (it == components.end())
            throw std::runtime_error(
                "saveNativePack: the manifest names an unknown component '" + role + "'");
        NamedTensors tensors;
        for (const auto& p : it->second->named_parameters())
            tensors.emplace_back(p.key(), p.value().detach());
        for (const auto& b : it->second->named_buffers())
            tensors.emplace_back(b.key(), b.value().detach());
        saveSafetensors(
            dir / file, tensors, { { "kinora.component", role }, { "kinora.config", model.config.name } });
    }
    const auto manifestPath = dir / kManifestFileName;
    const auto temporary = dir / (std::string(kManifestFileName) + ".partial");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << model.manifest.toJson();
        out.flush();
        if (!out)
            throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, manifestPath);
}

void moveNativeModel(NativeModel& model, const c10::Device& device, const std::string& precision)
{
    const auto dtype = precision == "bf16" ? torch::kBFloat16
        : precision == "fp16"              ? torch::kFloat16
        : precision == "fp32"              ? torch::kFloat32
                              : throw std::invalid_argument("unknown precision '" + precision + "'");
    for (const auto& [role, module] : model.components())
        module->to(device, dtype);
    model.device = device.is_cuda() ? "cuda" : "cpu";
    model.precision = precision;
}

NativeModel loadNativePack(
    const std::filesystem::path& dir, const c10::Device& device, const std::string& precision)
{
    auto manifest = loadModelManifest(dir);
    NativeModel model;
    try {
        model.config = nativeConfig(manifest.config);
    } catch (const std::invalid_argument& e) {
        throw ModelPackError(dir.string(), { std::string("config: ") + e.what() });
    }
    std::vector<std::string> problems;
    if (manifest.latentChannels != model.config.latentChannels)
        problems.push_back("latent.channels is " + std::to_string(manifest.latentChannels) + " but config "
            + manifest.config + " has " + std::to_string(model.config.latentChannels));
    if (manifest.spatialCompression != model.config.spatialCompression())
        problems.push_back("latent.spatial_compression is " + std::to_string(manifest.spatialCompression)
            + " but config " + manifest.config + " compresses by "
            + std::to_string(model.config.spatialCompression()));
    if (manifest.sizeMultiple > 0) {
        auto derived = manifest;
        derived.sizeMultiple = 0;
        if (manifest.sizeMultiple != sizeMultiple(derived))
            problems.push_back("latent.size_multiple is " + std::to_string(manifest.sizeMultiple)
                + " but config " + manifest.config + " needs " + std::to_string(sizeMultiple(derived)));
    }
    if (manifest.temporalCompression != 1)
        problems.push_back("latent.temporal_compression is " + std::to_string(manifest.temporalCompression)
            + " but the kinora-native VAE does not compress time (1)");
    model.manifest = std::move(manifest);
    model.vae = VideoVae(model.config);
    model.denoiser = UNet3d(model.config);
    model.textEncoder = TextEncoder(model.config);
    const auto components = model.components();
    if (model.config.textTokens == "words" && model.manifest.vocabulary != captionGrammarWords())
        problems.push_back("vocabulary: config " + model.manifest.config
            + " reads the caption grammar's words, and this pack lists other words");
    if (!model.config.learnedVae() && model.manifest.components.count("vae"))
        problems.push_back("components.vae: config " + model.manifest.config
            + " has no VAE weights (its latent is the pixels rearranged)");
    for (const auto& role : { "vae", "denoiser", "text_encoder" }) {
        if (std::string(role) == "vae" && !model.config.learnedVae())
            continue;
        const auto file = model.manifest.components.find(role);
        if (file == model.manifest.components.end()) {
            problems.push_back(std::string("components.") + role + " is missing");
            continue;
        }
        loadComponent(*components.at(role), dir / file->second, role, problems);
    }
    if (!problems.empty())
        throw ModelPackError(dir.string(), std::move(problems));
    moveNativeModel(model, device, precision);
    for (const auto& [role, module] : components)
        module->eval();
    return model;
}

} // namespace kinora::inference
