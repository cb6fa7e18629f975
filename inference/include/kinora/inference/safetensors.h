#pragma once
// Model weights in the safetensors format: SafetensorsFile maps a file into memory and hands out
// tensors that view the mapping (a 5 GB checkpoint costs address space, not 5 GB more RAM), and
// saveSafetensors writes one so that a crash or a full disk never leaves a half-written file under
// the final name. The header rules live in safetensors_header.h.

#include "kinora/inference/safetensors_header.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinora::inference {

// A safetensors file opened for reading. Cheap to copy: copies share one mapping. The header is
// validated once when opening; const members may be called from several threads.
class SafetensorsFile {
public:
    // Maps the file and validates its header; throws SafetensorsError naming the file (and the
    // tensor at fault) when it cannot be opened or is malformed.
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return m_path; }
    const std::map<std::string, std::string>& metadata() const { return m_header.metadata; }
    // Tensor names in byte order of the file.
    std::vector<std::string> names() const;
    const std::vector<SafetensorsEntry>& entries() const { return m_header.entries; }
    bool contains(std::string_view name) const;
    // Throws SafetensorsError when the file holds no tensor of that name.
    const SafetensorsEntry& entry(std::string_view name) const;

    // A CPU tensor over the mapped bytes, no copy. It keeps the mapping alive on its own, so it may
    // outlive this object. The mapping is read-only (that is what spares the RAM): writing into the
    // tensor in place faults; take load() or clone() for a tensor to modify. A tensor whose bytes
    // are not aligned to its element size (possible in files from other writers) is copied
    // instead, since LibTorch kernels assume aligned data. Throws SafetensorsError for dtypes
    // LibTorch lacks (F4, F6_*) and for shapes LibTorch cannot index with 64-bit strides.
    at::Tensor tensor(std::string_view name) const;
    // An owned copy on device, independent of the mapping.
    at::Tensor load(std::string_view name, const c10::Device& device = c10::Device(c10::kCPU)) const;

private:
    struct Mapping;

    std::filesystem::path m_path;
    std::shared_ptr<const Mapping> m_mapping;
    SafetensorsHeader m_header;
    std::map<std::string, std::size_t, std::less<>> m_indexByName;
    std::uint64_t m_dataOffset = 0; // where the data buffer starts in the file
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

// Writes tensors (any device, any strides; copied to contiguous little-endian CPU bytes as needed)
// and metadata as a safetensors file. The layout is deterministic: larger element sizes first,
// then by name, so every tensor is aligned to its element size and the same input gives the same
// bytes. The file is written beside path under a temporary name, flushed to disk, and renamed over
// path only when complete. Throws SafetensorsError naming the path (and tensor) on any failure:
// duplicate or reserved names, an unsupported dtype, a missing folder, a full disk.
void saveSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
    const std::map<std::string, std::string>& metadata = {});
void saveSafetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
    const std::map<std::string, std::string>& metadata = {});

} // namespace kinora::inference
