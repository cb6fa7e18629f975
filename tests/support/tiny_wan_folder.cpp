#include "tiny_wan_folder.h"

#include "kinora/inference/safetensors.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>
#include <stdexcept>

namespace kinora::test {

namespace fs = std::filesystem;
namespace inf = kinora::inference;

namespace {

inf::NamedTensors readAll(const inf::SafetensorsFile& file)
{
    inf::NamedTensors tensors;
    for (const auto& name : file.names())
        tensors.emplace_back(name, file.load(name));
    return tensors;
}

void writeJson(const fs::path& path, const nlohmann::json& json)
{
    std::ofstream out(path);
    out << json.dump(2) << "\n";
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

} // namespace

void writeTinyWanFolder(const fs::path& dir, const fs::path& fixtures)
{
    for (const char* sub : { "transformer", "vae", "text_encoder", "tokenizer" })
        fs::create_directories(dir / sub);

    // The text encoder and its tokenizer.
    const inf::SafetensorsFile umt5(fixtures / "umt5_weights_hf.safetensors");
    fs::copy_file(umt5.path(), dir / "text_encoder/model.safetensors", fs::copy_options::overwrite_existing);
    const auto textConfig = nlohmann::json::parse(umt5.metadata().at("config"));
    writeJson(dir / "text_encoder/config.json", textConfig);
    fs::copy_file(fixtures / "umt5_tokenizer.model", dir / "tokenizer/spiece.model",
        fs::copy_options::overwrite_existing);

    // The VAE.
    fs::copy_file(fixtures / "vae_weights.safetensors", dir / "vae/diffusion_pytorch_model.safetensors",
        fs::copy_options::overwrite_existing);

    // The DiT, its text projection redrawn for the tiny umT5's width, in two shards.
    const inf::SafetensorsFile ditFile(fixtures / "dit_diffusers.safetensors");
    auto dit = readAll(ditFile);
    auto config = nlohmann::json::parse(ditFile.metadata().at("config"));
    const int64_t textDim = textConfig.at("d_model").get<int64_t>();
    torch::manual_seed(7);
    for (auto& [name, tensor] : dit)
        if (name == "condition_embedder.text_embedder.linear_1.weight")
            tensor = torch::randn({ tensor.size(0), textDim }) / std::sqrt(static_cast<double>(textDim));
    config["text_dim"] = textDim;
    config["_class_name"] = "WanTransformer3DModel";
    writeJson(dir / "transformer/config.json", config);
    const size_t half = dit.size() / 2;
    const inf::NamedTensors first(dit.begin(), dit.begin() + static_cast<std::ptrdiff_t>(half));
    const inf::NamedTensors second(dit.begin() + static_cast<std::ptrdiff_t>(half), dit.end());
    const std::string names[2] = { "diffusion_pytorch_model-00001-of-00002.safetensors",
        "diffusion_pytorch_model-00002-of-00002.safetensors" };
    inf::saveSafetensors(dir / "transformer" / names[0], first);
    inf::saveSafetensors(dir / "transformer" / names[1], second);
    nlohmann::json index;
    index["metadata"] = nlohmann::json::object();
    for (size_t i = 0; i < dit.size(); ++i)
        index["weight_map"][dit[i].first] = names[i < half ? 0 : 1];
    writeJson(dir / "transformer/diffusion_pytorch_model.safetensors.index.json", index);
}

} // namespace kinora::test
