// The Wan VAE's names (Diffusers -> original), its configuration read from tensor shapes, and
// loading (wan21.md A2.5 and Appendix B; diffusers' convert_wan_vae_to_diffusers is the inverse).

#include "kinora/inference/wan/wan_vae.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace kinora::inference::wan {

namespace {

std::vector<std::string> split(const std::string& name)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot; (dot = name.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(name.substr(start, dot - start));
    parts.push_back(name.substr(start));
    return parts;
}

std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ".") + p;
    return out;
}

bool isIndex(const std::string& s)
{
    return !s.empty() && s.size() < 9
        && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Inside a residual block: Diffusers' norm1/conv1/norm2/conv2/conv_shortcut are the original
// Sequential indices residual.0/.2/.3/.6 and shortcut.
std::vector<std::string> resnetInner(const std::vector<std::string>& rest, size_t from)
{
    static const std::map<std::string, std::vector<std::string>> names { { "norm1", { "residual", "0" } },
        { "conv1", { "residual", "2" } }, { "norm2", { "residual", "3" } }, { "conv2", { "residual", "6" } },
        { "conv_shortcut", { "shortcut" } } };
    std::vector<std::string> out;
    if (from < rest.size()) {
        const auto it = names.find(rest[from]);
        if (it != names.end()) {
            out = it->second;
            ++from;
        }
    }
    out.insert(
        out.end(), rest.begin() + static_cast<std::ptrdiff_t>(std::min(from, rest.size())), rest.end());
    return out;
}

std::vector<std::string> tail(const std::vector<std::string>& rest, size_t from)
{
    return { rest.begin() + static_cast<std::ptrdiff_t>(std::min(from, rest.size())), rest.end() };
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// encoder.* / decoder.* below the side's name.
std::vector<std::string> originalSide(const std::vector<std::string>& rest, int64_t numResBlocks)
{
    const auto& head = rest[0];
    if (head == "conv_in")
        return concat({ "conv1" }, tail(rest, 1));
    if (head == "norm_out")
        return concat({ "head", "0" }, tail(rest, 1));
    if (head == "conv_out")
        return concat({ "head", "2" }, tail(rest, 1));
    if (head == "mid_block" && rest.size() > 3 && isIndex(rest[2])) {
        const auto j = std::stoll(rest[2]);
        if (rest[1] == "attentions")
            return concat({ "middle", std::to_string(2 * j + 1) }, tail(rest, 3));
        if (rest[1] == "resnets")
            return concat({ "middle", std::to_string(2 * j) }, resnetInner(rest, 3));
    }
    if (head == "down_blocks" && rest.size() > 2 && isIndex(rest[1]))
        return concat({ "downsamples", rest[1] }, resnetInner(rest, 2));
    if (head == "up_blocks" && rest.size() > 4 && isIndex(rest[1]) && isIndex(rest[3])) {
        // Each stage is numResBlocks + 1 residual blocks then its resample, flat in the original.
        const auto stage = std::stoll(rest[1]) * (numResBlocks + 2);
        if (rest[2] == "resnets")
            return concat({ "upsamples", std::to_string(stage + std::stoll(rest[3])) }, resnetInner(rest, 4));
        if (rest[2] == "upsamplers")
            return concat({ "upsamples", std::to_string(stage + numResBlocks + 1) }, tail(rest, 4));
    }
    return rest;
}

constexpr double kLatentMean[] = { -0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508,
    0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921 };
constexpr double kLatentStd[] = { 2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687,
    2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.9160 };

} // namespace

std::string vaeOriginalName(const std::string& name, int64_t numResBlocks)
{
    auto parts = split(name);
    if (parts[0] == "quant_conv")
        parts[0] = "conv1";
    else if (parts[0] == "post_quant_conv")
        parts[0] = "conv2";
    else if ((parts[0] == "encoder" || parts[0] == "decoder") && parts.size() > 1)
        return parts[0] + "." + join(originalSide(tail(parts, 1), numResBlocks));
    return join(parts);
}

bool isVaeTensor(const std::string& originalName)
{
    for (const char* prefix : { "encoder.", "decoder.", "conv1.", "conv2." })
        if (originalName.rfind(prefix, 0) == 0)
            return true;
    return false;
}

VaeConfig::VaeConfig()
    : latentMean(std::begin(kLatentMean), std::end(kLatentMean))
    , latentStd(std::begin(kLatentStd), std::end(kLatentStd))
{
}

int64_t VaeConfig::spatialFactor() const
{
    return int64_t { 1 } << (dimMult.size() - 1);
}

int64_t VaeConfig::temporalFactor() const
{
    return int64_t { 1 } << std::count(temporalDownsample.begin(), temporalDownsample.end(), true);
}

VaeConfig VaeConfig::fromWeights(const WanWeights& weights)
{
    VaeConfig c;
    // Original name -> shape. The encoder's and the top-level names do not depend on the number
    // of residual blocks, so the default is good enough here.
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& name : weights.names())
        shapes[vaeOriginalName(name)] = weights.shape(name);
    const auto dim0 = [&](const std::string& name) -> int64_t {
        const auto it = shapes.find(name);
        return it == shapes.end() || it->second.empty() ? 0 : it->second[0];
    };
    if (const auto base = dim0("encoder.conv1.weight"))
        c.baseDim = base;
    if (const auto z = dim0("conv2.weight"))
        c.zDim = z;

    // encoder.downsamples.N, in index order: residual blocks (their width) and resamples (temporal
    // when they have a time_conv), which end each stage but the last.
    struct Block {
        int64_t width = 0;
        bool resample = false, temporal = false;
    };
    std::map<int64_t, Block> blocks;
    const std::string prefix = "encoder.downsamples.";
    for (const auto& [name, shape] : shapes) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        const auto parts = split(name.substr(prefix.size()));
        if (parts.size() < 2 || !isIndex(parts[0]))
            continue;
        auto& block = blocks[std::stoll(parts[0])];
        if (parts[1] == "resample" || parts[1] == "time_conv")
            block.resample = true;
        block.temporal = block.temporal || parts[1] == "time_conv";
        if (parts[1] == "residual" && parts.size() > 2 && (parts[2] == "2" || parts[2] == "6")
            && !shape.empty())
            block.width = shape[0];
    }
    std::vector<int64_t> mult;
    std::vector<bool> temporal;
    int64_t inStage = 0, firstStage = 0, width = 0;
    for (const auto& [index, block] : blocks) {
        if (!block.resample) {
            width = block.width ? block.width : width;
            ++inStage;
            continue;
        }
        mult.push_back(width / c.baseDim);
        temporal.push_back(block.temporal);
        firstStage = firstStage ? firstStage : inStage;
        inStage = 0;
    }
    if (!mult.empty() && width > 0 && firstStage > 0) {
        mult.push_back(width / c.baseDim);
        c.dimMult = mult;
        c.temporalDownsample = temporal;
        c.numResBlocks = firstStage;
    }
    return c;
}

WanVae loadWanVae(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype)
{
    const auto config = VaeConfig::fromWeights(weights);
    WanVae vae(config, at::TensorOptions().device(device).dtype(dtype));
    std::map<std::string, std::string> stored; // original name -> the file's
    for (const auto& name : weights.names())
        stored.emplace(vaeOriginalName(name, config.numResBlocks), name);
    const auto files = weights.files();
    loadModuleWeights(
        *vae, weights,
        [&](const std::string& name) {
            const auto it = stored.find(name);
            return it == stored.end() ? name : it->second;
        },
        [&](const std::string& name) { return isVaeTensor(vaeOriginalName(name, config.numResBlocks)); },
        files.empty() ? std::string("Wan VAE") : files.front().string());
    vae->eval();
    return vae;
}

} // namespace kinora::inference::wan
