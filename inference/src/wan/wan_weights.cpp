#include "kinora/inference/wan/wan_weights.h"

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/wan/wan_folder.h"

#include <torch/torch.h>

#include <set>

namespace kinora::inference::wan {

namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

WanWeights WanWeights::open(const std::vector<std::filesystem::path>& files, const std::string& stripPrefix)
{
    WanWeights w;
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files) {
        if (f.filename().string().ends_with(".index.json")) {
            const auto shards = indexShards(f);
            paths.insert(paths.end(), shards.begin(), shards.end());
        } else {
            paths.push_back(f);
        }
    }
    std::vector<std::string> problems;
    for (const auto& path : paths) {
        w.m_files.emplace_back(path);
        const size_t index = w.m_files.size() - 1;
        for (const auto& stored : w.m_files.back().names()) {
            std::string name = stored;
            if (!stripPrefix.empty() && name.rfind(stripPrefix, 0) == 0)
                name = name.substr(stripPrefix.size());
            const auto [it, inserted] = w.m_index.emplace(name, std::make_pair(index, stored));
            if (!inserted)
                problems.push_back(name + " is in both "
                    + w.m_files[it->second.first].path().filename().string() + " and "
                    + path.filename().string());
        }
    }
    if (!problems.empty())
        throw ModelPackError(paths.front().parent_path().string(), problems);
    return w;
}

std::vector<std::string> WanWeights::names() const
{
    std::vector<std::string> out;
    for (const auto& [name, where] : m_index)
        out.push_back(name);
    return out;
}

at::Tensor WanWeights::view(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it == m_index.end())
        throw ModelPackError(
            m_files.empty() ? std::string() : m_files.front().path().string(), { "no tensor " + name });
    return m_files[it->second.first].tensor(it->second.second);
}

std::vector<int64_t> WanWeights::shape(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it == m_index.end())
        return {};
    const auto& entry = m_files[it->second.first].entry(it->second.second);
    return std::vector<int64_t>(entry.shape.begin(), entry.shape.end());
}

std::string WanWeights::dtypeName(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it == m_index.end())
        return {};
    return std::string(safetensorsDtypeName(m_files[it->second.first].entry(it->second.second).dtype));
}

std::vector<std::filesystem::path> WanWeights::files() const
{
    std::vector<std::filesystem::path> out;
    for (const auto& f : m_files)
        out.push_back(f.path());
    return out;
}

void loadModuleWeights(torch::nn::Module& module, const WanWeights& weights,
    const std::function<std::string(const std::string&)>& storedName,
    const std::function<bool(const std::string&)>& ours, const std::string& what,
    const std::function<bool(const std::string&)>& skipBuffer)
{
    torch::NoGradGuard noGrad;
    std::vector<std::string> problems;
    std::set<std::string> used;
    const auto take = [&](const std::string& name, at::Tensor& target) {
        const std::string stored = storedName(name);
        used.insert(stored);
        if (!weights.contains(stored)) {
            problems.push_back("missing " + stored + " " + shapeText(target.sizes().vec()));
            return;
        }
        const auto shape = weights.shape(stored);
        if (shape != target.sizes().vec()) {
            problems.push_back(
                stored + " is " + shapeText(shape) + ", expected " + shapeText(target.sizes().vec()));
            return;
        }
        target.copy_(weights.view(stored).to(target.device(), target.scalar_type()));
    };
    for (auto& item : module.named_parameters(true))
        take(item.key(), item.value());
    for (auto& item : module.named_buffers(true))
        if (!skipBuffer || !skipBuffer(item.key()))
            take(item.key(), item.value());
    for (const auto& name : weights.names())
        if (ours(name) && !used.count(name))
            problems.push_back("unexpected " + name + " " + shapeText(weights.shape(name)));
    if (!problems.empty())
        throw ModelPackError(what, problems);
}

} // namespace kinora::inference::wan
