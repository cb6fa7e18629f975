// The Wan DiT's weights: diffusers' names mapped onto the original ones, the config read from the
// tensor shapes, and loading straight into a module allocated on the target device and dtype.

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/wan/wan_dit.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <utility>

namespace kinora::inference::wan {

namespace {

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to)
{
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// Diffusers fragment -> original fragment, applied in order: the inverse of
// TRANSFORMER_KEYS_RENAME_DICT in diffusers' convert_wan_to_diffusers.py for the tensors of a T2V
// model (checked by make_dit.py, which runs diffusers' converter on the result). The norm2 -> norm3
// rename is safe without the converter's placeholder: only the affine cross-attention norm
// (diffusers norm2, original norm3) has tensors, so an original name never holds ".norm2.".
const std::vector<std::pair<std::string, std::string>>& toOriginal()
{
    static const std::vector<std::pair<std::string, std::string>> table {
        { "condition_embedder.time_embedder.linear_1", "time_embedding.0" },
        { "condition_embedder.time_embedder.linear_2", "time_embedding.2" },
        { "condition_embedder.text_embedder.linear_1", "text_embedding.0" },
        { "condition_embedder.text_embedder.linear_2", "text_embedding.2" },
        { "condition_embedder.time_proj", "time_projection.1" },
        { "attn1.", "self_attn." },
        { "attn2.", "cross_attn." },
        { ".to_out.0.", ".o." },
        { ".to_q.", ".q." },
        { ".to_k.", ".k." },
        { ".to_v.", ".v." },
        { "ffn.net.0.proj", "ffn.0" },
        { "ffn.net.2", "ffn.2" },
        { ".norm2.", ".norm3." },
        { "proj_out", "head.head" },
    };
    return table;
}

// original name -> the name `weights` stores it under (either naming).
std::map<std::string, std::string> storedNames(const WanWeights& weights)
{
    std::map<std::string, std::string> out;
    for (const auto& name : weights.names())
        out.emplace(ditOriginalName(name), name);
    return out;
}

std::string describe(const WanWeights& weights)
{
    const auto files = weights.files();
    return "Wan DiT" + (files.empty() ? std::string() : " (" + files.front().string() + ")");
}

} // namespace

std::string ditOriginalName(const std::string& diffusersName)
{
    if (diffusersName == "scale_shift_table")
        return "head.modulation";
    std::string name = diffusersName;
    if (name.size() > 18 && name.compare(name.size() - 18, 18, ".scale_shift_table") == 0)
        return name.substr(0, name.size() - 17) + "modulation";
    for (const auto& [from, to] : toOriginal())
        replaceAll(name, from, to);
    return name;
}

bool isDitTensor(const std::string& originalName)
{
    // Every top-level module of WanModel, the image-conditioning ones (img_emb) included, so that an
    // I2V checkpoint given to the T2V model is reported rather than half loaded.
    static const char* const prefixes[] = { "patch_embedding.", "text_embedding.", "time_embedding.",
        "time_projection.", "blocks.", "head.", "img_emb." };
    return std::any_of(std::begin(prefixes), std::end(prefixes),
        [&](const char* prefix) { return startsWith(originalName, prefix); });
}

DitConfig DitConfig::fromWeights(const WanWeights& weights, std::optional<int64_t> numHeads)
{
    const auto stored = storedNames(weights);
    std::vector<std::string> problems;
    const auto shapeOf = [&](const std::string& original, size_t rank) {
        const auto it = stored.find(original);
        if (it == stored.end()) {
            problems.push_back("missing " + original + " (needed to read the model's size)");
            return std::vector<int64_t>(rank, 0);
        }
        auto shape = weights.shape(it->second);
        if (shape.size() != rank) {
            problems.push_back(it->second + " has " + std::to_string(shape.size()) + " dimensions, expected "
                + std::to_string(rank));
            shape.assign(rank, 0);
        }
        return shape;
    };
    DitConfig c;
    const auto patch = shapeOf("patch_embedding.weight", 5); // [dim, in, pt, ph, pw]
    const auto text = shapeOf("text_embedding.0.weight", 2); // [dim, textDim]
    const auto time = shapeOf("time_embedding.0.weight", 2); // [dim, freqDim]
    const auto ffn = shapeOf("blocks.0.ffn.0.weight", 2); // [ffnDim, dim]
    const auto head = shapeOf("head.head.weight", 2); // [prod(patch) * outDim, dim]
    if (!problems.empty())
        throw ModelPackError(describe(weights), problems);
    c.dim = patch[0];
    c.inDim = patch[1];
    c.patch = { patch[2], patch[3], patch[4] };
    c.textDim = text[1];
    c.freqDim = time[1];
    c.ffnDim = ffn[0];
    const int64_t patchVolume = c.patch[0] * c.patch[1] * c.patch[2];
    c.outDim = patchVolume > 0 ? head[0] / patchVolume : 0;
    c.crossAttnNorm = stored.count("blocks.0.norm3.weight") != 0;
    c.numLayers = 0;
    for (const auto& [original, name] : stored) {
        if (!startsWith(original, "blocks."))
            continue;
        try {
            c.numLayers = std::max<int64_t>(c.numLayers, std::stoll(original.substr(7)) + 1);
        } catch (const std::exception&) {
            // not "blocks.<N>.": reported as unexpected when loading
        }
    }
    // The head count is not in any shape; every published Wan 2.1 model has 128-channel heads.
    c.numHeads = numHeads.value_or(c.dim % 128 == 0 ? c.dim / 128 : 0);
    if (c.numHeads <= 0 || c.dim % c.numHeads != 0 || (c.dim / c.numHeads) % 2 != 0)
        problems.push_back("the width " + std::to_string(c.dim) + " does not split into "
            + (numHeads ? std::to_string(*numHeads) + " heads" : std::string("heads of 128 channels"))
            + " (give the head count from config.json)");
    if (c.textDim != text[1] || text[0] != c.dim || time[0] != c.dim || ffn[1] != c.dim || head[1] != c.dim
        || head[0] != patchVolume * c.outDim)
        problems.push_back(
            "the embedding, FFN and head shapes disagree on the width " + std::to_string(c.dim));
    if (!problems.empty())
        throw ModelPackError(describe(weights), problems);
    return c;
}

WanDit loadWanDit(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype,
    std::optional<int64_t> numHeads)
{
    const auto config = DitConfig::fromWeights(weights, numHeads);
    WanDit dit(config, at::TensorOptions().device(device).dtype(dtype));
    const auto stored = storedNames(weights);
    loadModuleWeights(
        *dit, weights,
        [&](const std::string& ours) {
            const auto it = stored.find(ours);
            return it == stored.end() ? ours : it->second;
        },
        [](const std::string& name) { return isDitTensor(ditOriginalName(name)); }, describe(weights));
    dit->eval();
    return dit;
}

} // namespace kinora::inference::wan
