#pragma once
// The safetensors header, parsed and validated without LibTorch: the 8-byte length prefix, the JSON
// that names every tensor's dtype, shape and byte range, and the rules that make the byte ranges
// safe to hand out as memory views. Kept torch-free so that the fuzzer links it alone.
//
// File layout: u64 little-endian N, N bytes of UTF-8 JSON, then the data buffer. The JSON is
// {"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}
// with offsets relative to the buffer start. Like the reference implementation (huggingface's
// safetensors crate), the tensors must cover the buffer exactly: no gaps, no overlaps, nothing
// after the last tensor. Stricter than the reference: duplicate keys and unknown fields in a tensor
// entry are errors (the reference keeps the last duplicate and ignores unknown fields).

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::inference {

// Every dtype the format names (safetensors 0.6). F4 and F6_* pack elements below a byte.
enum class SafetensorsDtype : std::uint8_t {
    Bool,
    F4,
    F6E2M3,
    F6E3M2,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    F8E8M0,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    C64,
    F64,
    I64,
    U64,
};

// The name used in the file ("BOOL", "F8_E4M3", ...).
std::string_view safetensorsDtypeName(SafetensorsDtype dtype);
// Inverse of safetensorsDtypeName; nullopt for a name the format does not define.
std::optional<SafetensorsDtype> safetensorsDtypeFromName(std::string_view name);
// Bits per element: 4 (F4), 6 (F6_*), else 8 times the byte size.
std::uint32_t safetensorsDtypeBits(SafetensorsDtype dtype);

// A malformed or unreadable safetensors file. what() names the file and, where one is at fault,
// the tensor; file() and tensor() give them separately (tensor() is empty when none is).
class SafetensorsError : public std::runtime_error {
public:
    SafetensorsError(std::string_view file, const std::string& problem);
    SafetensorsError(std::string_view file, std::string_view tensor, const std::string& problem);

    const std::string& file() const { return m_file; }
    const std::string& tensor() const { return m_tensor; }

private:
    std::string m_file;
    std::string m_tensor;
};

struct SafetensorsEntry {
    std::string name;
    SafetensorsDtype dtype = SafetensorsDtype::U8;
    std::vector<std::uint64_t> shape; // empty for a scalar
    std::uint64_t begin = 0; // byte range in the data buffer, [begin, end)
    std::uint64_t end = 0;
};

struct SafetensorsHeader {
    std::map<std::string, std::string> metadata;
    // Ordered by position in the buffer (then by name for empty tensors at one offset), so they
    // tile [0, bufferSize) exactly.
    std::vector<SafetensorsEntry> entries;
};

// Headers above this are refused before they are read, as the reference implementation does: a
// corrupt length must not make the reader allocate gigabytes.
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

// Reads the header length N from the first bytes of a file of fileSize bytes and checks that the
// prefix and the N header bytes fit in the file. firstBytes may be longer than 8 bytes.
std::uint64_t readSafetensorsHeaderLength(
    std::string_view firstBytes, std::uint64_t fileSize, std::string_view fileNameForErrors);

// Parses and validates the JSON header for a data buffer of bufferSize bytes (the file size minus
// 8 minus the header length). Throws SafetensorsError on any malformed input.
SafetensorsHeader parseSafetensorsHeader(
    std::string_view headerBytes, std::uint64_t bufferSize, std::string_view fileNameForErrors);

// Both steps over a whole file held in memory (or mapped): the fuzzer's and the tests' entry.
SafetensorsHeader parseSafetensorsBytes(std::string_view fileBytes, std::string_view fileNameForErrors);

} // namespace kinora::inference
