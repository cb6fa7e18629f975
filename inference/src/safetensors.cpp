#include "kinora/inference/safetensors.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <system_error>
#include <utility>

// The format stores little-endian bytes and both directions copy them verbatim.
static_assert(std::endian::native == std::endian::little,
    "safetensors I/O copies bytes verbatim; a big-endian host would need byte swapping");

#define KINORA_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace kinora::inference {
namespace {

std::string errnoText(int error)
{
    return std::generic_category().message(error);
}

// Pairs the format's dtypes with LibTorch's. F4 and F6_* have none LibTorch can view element by
// element; F8_E8M0 and the unsigned 16/32/64-bit types arrived in LibTorch 2.7 and 2.3.
struct DtypePair {
    SafetensorsDtype file;
    at::ScalarType torch;
};

constexpr DtypePair kDtypePairs[] = {
    { SafetensorsDtype::Bool, at::kBool },
    { SafetensorsDtype::U8, at::kByte },
    { SafetensorsDtype::I8, at::kChar },
    { SafetensorsDtype::I16, at::kShort },
    { SafetensorsDtype::F16, at::kHalf },
    { SafetensorsDtype::BF16, at::kBFloat16 },
    { SafetensorsDtype::I32, at::kInt },
    { SafetensorsDtype::F32, at::kFloat },
    { SafetensorsDtype::C64, at::kComplexFloat },
    { SafetensorsDtype::F64, at::kDouble },
    { SafetensorsDtype::I64, at::kLong },
    { SafetensorsDtype::F8E5M2, at::kFloat8_e5m2 },
    { SafetensorsDtype::F8E4M3, at::kFloat8_e4m3fn },
#if KINORA_TORCH_AT_LEAST(2, 3)
    { SafetensorsDtype::U16, at::kUInt16 },
    { SafetensorsDtype::U32, at::kUInt32 },
    { SafetensorsDtype::U64, at::kUInt64 },
#endif
#if KINORA_TORCH_AT_LEAST(2, 7)
    { SafetensorsDtype::F8E8M0, at::kFloat8_e8m0fnu },
#endif
};

std::optional<at::ScalarType> torchDtype(SafetensorsDtype dtype)
{
    for (const auto& pair : kDtypePairs) {
        if (pair.file == dtype)
            return pair.torch;
    }
    return std::nullopt;
}

std::optional<SafetensorsDtype> fileDtype(at::ScalarType dtype)
{
    for (const auto& pair : kDtypePairs) {
        if (pair.torch == dtype)
            return pair.file;
    }
    return std::nullopt;
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd)
        : m_fd(fd)
    {
    }
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return m_fd; }
    // Gives up ownership, for a close() whose result must be checked.
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

} // namespace

struct SafetensorsFile::Mapping {
    Mapping(void* base, std::size_t size)
        : m_base(base)
        , m_size(size)
    {
    }
    ~Mapping() { ::munmap(m_base, m_size); }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    char* data() const { return static_cast<char*>(m_base); }
    std::string_view bytes() const { return { data(), m_size }; }

    void* m_base;
    std::size_t m_size;
};

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : m_path(path)
{
    const std::string file = path.string();
    FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throw SafetensorsError(file, "cannot open: " + errnoText(errno));
    struct stat status { };
    if (::fstat(fd.get(), &status) != 0)
        throw SafetensorsError(file, "cannot read its size: " + errnoText(errno));
    if (!S_ISREG(status.st_mode))
        throw SafetensorsError(file, "not a regular file");
    const auto size = static_cast<std::uint64_t>(status.st_size);
    if (size < 8) // mmap refuses empty files; the prefix check gives the clear message
        readSafetensorsHeaderLength({}, size, file);
    if (size > std::numeric_limits<std::size_t>::max())
        throw SafetensorsError(file, "too large to map into this process's address space");

    // Read-only and private: pages come from the page cache on demand and are never copied, so a
    // checkpoint costs no RAM beyond what the kernel caches anyway.
    void* base = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (base == MAP_FAILED)
        throw SafetensorsError(file, "cannot map into memory: " + errnoText(errno));
    auto mapping = std::make_shared<const Mapping>(base, static_cast<std::size_t>(size));

    const std::string_view bytes = mapping->bytes();
    const std::uint64_t headerLength = readSafetensorsHeaderLength(bytes, size, file);
    m_header = parseSafetensorsHeader(bytes.substr(8, headerLength), size - 8 - headerLength, file);
    m_dataOffset = 8 + headerLength;
    for (std::size_t i = 0; i < m_header.entries.size(); ++i)
        m_indexByName.emplace(m_header.entries[i].name, i);
    m_mapping = std::move(mapping);
}

std::vector<std::string> SafetensorsFile::names() const
{
    std::vector<std::string> names;
    names.reserve(m_header.entries.size());
    for (const auto& entry : m_header.entries)
        names.push_back(entry.name);
    return names;
}

bool SafetensorsFile::contains(std::string_view name) const
{
    return m_indexByName.find(name) != m_indexByName.end();
}

const SafetensorsEntry& SafetensorsFile::entry(std::string_view name) const
{
    const auto it = m_indexByName.find(name);
    if (it == m_indexByName.end())
        throw SafetensorsError(m_path.string(), name,
            "no such tensor in the file (it holds " + std::to_string(m_header.entries.size()) + ")");
    return m_header.entries[it->second];
}

at::Tensor SafetensorsFile::tensor(std::string_view name) const
{
    const SafetensorsEntry& found = entry(name);
    const auto dtype = torchDtype(found.dtype);
    if (!dtype)
        throw SafetensorsError(m_path.string(), found.name,
            "dtype " + std::string(safetensorsDtypeName(found.dtype))
                + " has no LibTorch equivalent in this build");
    // The format allows any u64 dimensions when one of them is 0; LibTorch needs every size and
    // the contiguous strides (products of the later sizes, zeros counted as 1) in an int64.
    constexpr auto kMaxSize = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::vector<std::int64_t> sizes;
    sizes.reserve(found.shape.size());
    std::uint64_t span = 1;
    for (const auto dim : found.shape) {
        const std::uint64_t factor = std::max<std::uint64_t>(dim, 1);
        if (factor > kMaxSize / span)
            throw SafetensorsError(m_path.string(), found.name,
                "shape is too large for LibTorch's signed 64-bit sizes and strides");
        span *= factor;
        sizes.push_back(static_cast<std::int64_t>(dim));
    }
    const auto options = at::TensorOptions().dtype(*dtype).device(at::kCPU);
    char* data = m_mapping->data() + m_dataOffset + found.begin;
    const auto itemSize = c10::elementSize(*dtype);
    // Files from writers that do not pad their header leave tensors misaligned; LibTorch kernels
    // assume aligned elements, so those tensors are copied.
    if (reinterpret_cast<std::uintptr_t>(data) % itemSize != 0) {
        auto aligned = at::empty(sizes, options);
        std::memcpy(aligned.data_ptr(), data, static_cast<std::size_t>(found.end - found.begin));
        return aligned;
    }
    return at::from_blob(
        data, sizes, [keepMapped = m_mapping](void*) {}, options);
}

at::Tensor SafetensorsFile::load(std::string_view name, const c10::Device& device) const
{
    const at::Tensor view = tensor(name);
    return view.to(device, view.scalar_type(), /*non_blocking=*/false, /*copy=*/true);
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

struct Prepared {
    std::string name;
    at::Tensor bytes; // contiguous, on the CPU
    SafetensorsDtype dtype;
    std::size_t itemSize;
};

// Names and metadata go into JSON, which must be valid UTF-8 (nlohmann refuses to dump anything
// else); checked one by one so that the message can say which.
bool isUtf8(const std::string& text)
{
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

std::vector<Prepared> prepare(const NamedTensors& tensors, const std::string& file)
{
    std::set<std::string_view> seen;
    std::vector<Prepared> prepared;
    prepared.reserve(tensors.size());
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__")
            throw SafetensorsError(file, name, "the name is reserved for the file's metadata");
        if (!seen.insert(name).second)
            throw SafetensorsError(file, name, "the name appears twice");
        if (!isUtf8(name))
            throw SafetensorsError(file, name, "the name is not valid UTF-8");
        if (!tensor.defined())
            throw SafetensorsError(file, name, "the tensor is undefined");
        if (tensor.layout() != at::kStrided)
            throw SafetensorsError(
                file, name, "only dense tensors can be saved, not sparse or other layouts");
        const auto dtype = fileDtype(tensor.scalar_type());
        if (!dtype)
            throw SafetensorsError(file, name,
                std::string("LibTorch dtype ") + c10::toString(tensor.scalar_type())
                    + " has no safetensors equivalent");
        // Conjugate and negative views are lazy bits on the tensor, not in its bytes.
        at::Tensor bytes;
        try {
            bytes = tensor.to(at::kCPU).resolve_conj().resolve_neg().contiguous();
        } catch (const c10::Error& e) {
            throw SafetensorsError(
                file, name, std::string("cannot copy it to the CPU: ") + e.what_without_backtrace());
        }
        prepared.push_back({ name, std::move(bytes), *dtype, c10::elementSize(tensor.scalar_type()) });
    }
    // Larger elements first keeps every tensor aligned to its element size (the header is padded to
    // 8 bytes), so readers can view the bytes in place; the name makes the order total.
    std::sort(prepared.begin(), prepared.end(), [](const Prepared& a, const Prepared& b) {
        if (a.itemSize != b.itemSize)
            return a.itemSize > b.itemSize;
        return a.name < b.name;
    });
    return prepared;
}

std::string headerText(const std::vector<Prepared>& tensors,
    const std::map<std::string, std::string>& metadata, const std::string& file)
{
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        for (const auto& [key, value] : metadata) {
            if (!isUtf8(key))
                throw SafetensorsError(file, "a metadata key is not valid UTF-8");
            if (!isUtf8(value))
                throw SafetensorsError(file, "the metadata value of \"" + key + "\" is not valid UTF-8");
        }
        header["__metadata__"] = metadata;
    }
    std::uint64_t offset = 0;
    for (const auto& tensor : tensors) {
        const auto bytes = static_cast<std::uint64_t>(tensor.bytes.nbytes());
        std::vector<std::uint64_t> shape(tensor.bytes.sizes().begin(), tensor.bytes.sizes().end());
        header[tensor.name] = {
            { "dtype", std::string(safetensorsDtypeName(tensor.dtype)) },
            { "shape", shape },
            { "data_offsets", { offset, offset + bytes } },
        };
        offset += bytes;
    }
    std::string text = header.dump();
    // Spaces are valid JSON padding; 8-byte alignment of the data buffer is what lets readers
    // view 64-bit elements in place.
    text.append((8 - text.size() % 8) % 8, ' ');
    if (text.size() > kMaxSafetensorsHeaderBytes)
        throw SafetensorsError(file,
            "the header would take " + std::to_string(text.size()) + " bytes, more than readers accept ("
                + std::to_string(kMaxSafetensorsHeaderBytes) + ")");
    return text;
}

// The file being written under a temporary name beside the target; removed unless committed.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::filesystem::path& target)
        : m_target(target)
        , m_fd(-1)
    {
        const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
        std::random_device entropy;
        // O_EXCL picks a name nobody else holds; retrying covers the unlikely collision.
        for (int attempt = 0; attempt < 16; ++attempt) {
            // Hidden, and named after the target so that a leftover from a crash explains itself.
            std::string name = ".";
            name += target.filename().string();
            name += ".tmp-";
            name += std::to_string(::getpid());
            name += '-';
            name += std::to_string(entropy());
            m_path = folder / name;
            const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd >= 0) {
                m_fd.reset(fd);
                return;
            }
            const int error = errno;
            if (error == EEXIST)
                continue;
            if (error == ENOENT)
                throw SafetensorsError(target.string(), "the folder " + folder.string() + " does not exist");
            throw SafetensorsError(
                target.string(), "cannot create a file in " + folder.string() + ": " + errnoText(error));
        }
        throw SafetensorsError(target.string(), "cannot find a free temporary name in " + folder.string());
    }
    ~TemporaryFile()
    {
        if (!m_committed)
            ::unlink(m_path.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    void write(const void* data, std::size_t size)
    {
        // write() may take less than asked (signals, large sizes); loop until all of it is down.
        const char* next = static_cast<const char*>(data);
        while (size > 0) {
            const std::size_t chunk = std::min<std::size_t>(size, std::size_t { 1 } << 30);
            const ssize_t written = ::write(m_fd.get(), next, chunk);
            if (written < 0) {
                if (errno == EINTR)
                    continue;
                fail("cannot write", errno);
            }
            next += written;
            size -= static_cast<std::size_t>(written);
        }
    }

    // Data on disk before the rename, so that a crash leaves the old file or the whole new one.
    void commit()
    {
        if (::fsync(m_fd.get()) != 0)
            fail("cannot flush to disk", errno);
        if (::close(m_fd.release()) != 0)
            fail("cannot close", errno);
        if (::rename(m_path.c_str(), m_target.c_str()) != 0)
            fail("cannot rename the finished file into place", errno);
        m_committed = true;
        // Best effort: the file is complete and in place; syncing the folder only makes the new
        // name survive a power cut sooner, and some file systems refuse fsync on folders.
        const std::filesystem::path folder = m_target.has_parent_path() ? m_target.parent_path() : ".";
        FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir.get() >= 0)
            (void)::fsync(dir.get());
    }

private:
    [[noreturn]] void fail(const std::string& what, int error) const
    {
        throw SafetensorsError(m_target.string(),
            what + " (temporary file " + m_path.filename().string() + "): " + errnoText(error));
    }

    std::filesystem::path m_target;
    std::filesystem::path m_path;
    FileDescriptor m_fd;
    bool m_committed = false;
};

} // namespace

void saveSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
    const std::map<std::string, std::string>& metadata)
{
    const std::string file = path.string();
    const std::vector<Prepared> prepared = prepare(tensors, file);
    const std::string header = headerText(prepared, metadata, file);

    TemporaryFile out(path);
    std::uint8_t prefix[8];
    for (int i = 0; i < 8; ++i)
        prefix[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(header.size()) >> (8 * i));
    out.write(prefix, sizeof prefix);
    out.write(header.data(), header.size());
    for (const auto& tensor : prepared)
        out.write(tensor.bytes.data_ptr(), tensor.bytes.nbytes());
    out.commit();
}

void saveSafetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
    const std::map<std::string, std::string>& metadata)
{
    saveSafetensors(path, NamedTensors(tensors.begin(), tensors.end()), metadata);
}

} // namespace kinora::inference
