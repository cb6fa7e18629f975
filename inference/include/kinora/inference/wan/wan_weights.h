#pragma once
// The weights of a Wan 2.1 component as users have them: one or more safetensors files (a single
// file, or a Diffusers folder's shards listed by an index.json), in either published naming
// (the original Wan names, or Diffusers'), in whatever dtype each tensor was stored (F32, BF16,
// F16). Tensors are memory-mapped views; loadModuleWeights casts each one to the module's dtype and
// device as it goes, so no full fp32 copy of a checkpoint is ever made in RAM.

#include "kinora/inference/safetensors.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace kinora::inference::wan {

class WanWeights {
public:
    // Opens every file (a `.safetensors` path, or a `*.safetensors.index.json` whose shards are
    // opened). Names starting with `stripPrefix` (e.g. "model.diffusion_model.") lose it. Throws
    // SafetensorsError naming the file, or ModelPackError for a name held by two files.
    static WanWeights open(
        const std::vector<std::filesystem::path>& files, const std::string& stripPrefix = {});

    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    std::vector<std::string> names() const; // sorted
    // A view of the stored bytes (the file's dtype, CPU, read-only); throws for an unknown name.
    at::Tensor view(const std::string& name) const;
    std::vector<int64_t> shape(const std::string& name) const;
    std::string dtypeName(const std::string& name) const; // "F32", "BF16", ...
    std::vector<std::filesystem::path> files() const;

private:
    std::vector<SafetensorsFile> m_files;
    std::map<std::string, std::pair<size_t, std::string>> m_index; // name -> (file, stored name)
};

// Copies into every parameter and buffer of `module` (names as module.named_parameters() gives
// them, e.g. "blocks.0.self_attn.q.weight") the tensor `storedName(name)` of `weights`, cast to
// the parameter's dtype and device one tensor at a time. `skipBuffer(name)` true: the buffer is
// computed, not stored (RoPE tables). Every problem is collected — a missing tensor, a shape that
// differs, a stored tensor that nothing takes (only those for which `ours(storedName)` is true) —
// and thrown together as ModelPackError(`what`, problems).
void loadModuleWeights(torch::nn::Module& module, const WanWeights& weights,
    const std::function<std::string(const std::string&)>& storedName,
    const std::function<bool(const std::string&)>& ours, const std::string& what,
    const std::function<bool(const std::string&)>& skipBuffer = {});

} // namespace kinora::inference::wan
