#include "kinora/inference/safetensors.h"

#include "../../fuzz/safetensors_header_fuzz.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using kinora::inference::NamedTensors;
using kinora::inference::parseSafetensorsBytes;
using kinora::inference::parseSafetensorsHeader;
using kinora::inference::SafetensorsDtype;
using kinora::inference::SafetensorsError;
using kinora::inference::SafetensorsFile;
using kinora::inference::saveSafetensors;

namespace {

// A folder of its own per test, removed afterwards.
class ScratchDir {
public:
    ScratchDir()
    {
        std::random_device entropy;
        m_path = fs::temp_directory_path()
            / ("kinora-safetensors-" + std::to_string(::getpid()) + "-" + std::to_string(entropy()));
        fs::create_directories(m_path);
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    const fs::path& path() const { return m_path; }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

std::string readAll(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeAll(const fs::path& path, std::string_view bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

// A safetensors file assembled by hand, independently of saveSafetensors.
std::string handMade(std::string_view header, std::string_view data)
{
    std::string bytes;
    for (int i = 0; i < 8; ++i)
        bytes += static_cast<char>((static_cast<std::uint64_t>(header.size()) >> (8 * i)) & 0xffu);
    bytes += header;
    bytes += data;
    return bytes;
}

std::string lengthPrefix(std::uint64_t length)
{
    std::string bytes;
    for (int i = 0; i < 8; ++i)
        bytes += static_cast<char>((length >> (8 * i)) & 0xffu);
    return bytes;
}

std::string bytesOf(const at::Tensor& tensor)
{
    const at::Tensor contiguous = tensor.contiguous();
    return std::string(static_cast<const char*>(contiguous.data_ptr()), contiguous.nbytes());
}

// Random bytes reinterpreted as dtype: every bit pattern, NaN payloads included, must survive.
at::Tensor randomBits(at::ScalarType dtype, at::IntArrayRef shape)
{
    int64_t count = 1;
    for (const auto dim : shape)
        count *= dim;
    if (dtype == at::kBool)
        return torch::randint(0, 2, shape, torch::kUInt8).to(at::kBool);
    const auto itemSize = static_cast<int64_t>(c10::elementSize(dtype));
    return torch::randint(0, 256, { count * itemSize }, torch::kUInt8).view(dtype).reshape(shape);
}

// The ranges /proc/self/maps shows for a file: the kernel's own account of what is mapped.
std::vector<std::pair<std::uintptr_t, std::uintptr_t>> mappedRanges(const fs::path& file)
{
    std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
    const std::string wanted = fs::canonical(file).string();
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos || line.substr(slash) != wanted)
            continue;
        const auto dash = line.find('-');
        const auto space = line.find(' ');
        ranges.emplace_back(std::stoull(line.substr(0, dash), nullptr, 16),
            std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16));
    }
    return ranges;
}

bool insideAny(
    const std::vector<std::pair<std::uintptr_t, std::uintptr_t>>& ranges, const void* begin, std::size_t size)
{
    const auto first = reinterpret_cast<std::uintptr_t>(begin);
    for (const auto& [low, high] : ranges) {
        if (first >= low && first + size <= high)
            return true;
    }
    return false;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(SafetensorsRoundTrip, EveryLibTorchDtypeIsBitExactWithMetadata)
{
    ScratchDir dir;
    const std::vector<std::pair<std::string, at::ScalarType>> dtypes = {
        { "bool", at::kBool },
        { "u8", at::kByte },
        { "i8", at::kChar },
        { "i16", at::kShort },
        { "u16", at::kUInt16 },
        { "f16", at::kHalf },
        { "bf16", at::kBFloat16 },
        { "i32", at::kInt },
        { "u32", at::kUInt32 },
        { "f32", at::kFloat },
        { "c64", at::kComplexFloat },
        { "f64", at::kDouble },
        { "i64", at::kLong },
        { "u64", at::kUInt64 },
        { "f8_e4m3", at::kFloat8_e4m3fn },
        { "f8_e5m2", at::kFloat8_e5m2 },
        { "f8_e8m0", at::kFloat8_e8m0fnu },
    };
    NamedTensors tensors;
    for (const auto& [name, dtype] : dtypes)
        tensors.emplace_back(name, randomBits(dtype, { 2, 3, 5 }));
    tensors.emplace_back("scalar", randomBits(at::kDouble, {}));
    tensors.emplace_back("empty", randomBits(at::kFloat, { 4, 0, 2 }));
    const std::map<std::string, std::string> metadata
        = { { "format", "pt" }, { "kinora.prompt", "a fox, \"quoted\", ünïcødé ✓\n" }, { "", "empty key" } };
    const fs::path path = dir / "all.safetensors";
    saveSafetensors(path, tensors, metadata);

    const SafetensorsFile file(path);
    EXPECT_EQ(file.metadata(), metadata);
    EXPECT_EQ(file.entries().size(), tensors.size());
    for (const auto& [name, original] : tensors) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(file.contains(name));
        const at::Tensor loaded = file.tensor(name);
        EXPECT_EQ(loaded.scalar_type(), original.scalar_type());
        EXPECT_EQ(loaded.sizes(), original.sizes());
        EXPECT_EQ(bytesOf(loaded), bytesOf(original)); // bit-exact, NaN payloads included
    }
    EXPECT_EQ(file.entry("f8_e4m3").dtype, SafetensorsDtype::F8E4M3);
    EXPECT_EQ(file.entry("bf16").dtype, SafetensorsDtype::BF16);
    EXPECT_EQ(file.entry("scalar").shape, std::vector<std::uint64_t> {});
}

TEST(SafetensorsRoundTrip, StridedAndLazyViewsAreSavedByValue)
{
    ScratchDir dir;
    const at::Tensor base = torch::arange(24, torch::kFloat32).reshape({ 4, 6 });
    const at::Tensor complex = torch::complex(torch::arange(3, torch::kFloat32), torch::ones({ 3 }));
    const std::map<std::string, at::Tensor> tensors = {
        { "transposed", base.t() },
        { "sliced", base.index({ torch::indexing::Slice(1, 3), torch::indexing::Slice(2, 5) }) },
        { "expanded", torch::arange(3, torch::kInt16).unsqueeze(0).expand({ 5, 3 }) },
        { "conjugated", complex.conj() },
        { "negated", torch::_neg_view(base) },
    };
    const fs::path path = dir / "views.safetensors";
    saveSafetensors(path, tensors);

    const SafetensorsFile file(path);
    for (const auto& [name, original] : tensors) {
        SCOPED_TRACE(name);
        EXPECT_TRUE(torch::equal(file.tensor(name), original.resolve_conj().resolve_neg().contiguous()));
    }
    EXPECT_EQ(
        file.tensor("conjugated").select(0, 1).item<c10::complex<float>>(), c10::complex<float>(1.0f, -1.0f));
}

TEST(SafetensorsWrite, LayoutIsDeterministicAlignedAndPadded)
{
    ScratchDir dir;
    const at::Tensor a = torch::rand({ 3 }, torch::kFloat32);
    const at::Tensor b = torch::randint(0, 9, { 5 }, torch::kUInt8);
    const at::Tensor c = torch::rand({ 2, 2 }, torch::kFloat64);
    saveSafetensors(dir / "one.safetensors", NamedTensors { { "a", a }, { "b", b }, { "c", c } });
    saveSafetensors(dir / "two.safetensors", NamedTensors { { "b", b }, { "c", c }, { "a", a } });
    saveSafetensors(
        dir / "map.safetensors", std::map<std::string, at::Tensor> { { "c", c }, { "a", a }, { "b", b } });
    const std::string bytes = readAll(dir / "one.safetensors");
    EXPECT_EQ(bytes, readAll(dir / "two.safetensors"));
    EXPECT_EQ(bytes, readAll(dir / "map.safetensors"));

    const auto header = parseSafetensorsBytes(bytes, "one.safetensors");
    std::uint64_t headerLength = 0;
    std::memcpy(&headerLength, bytes.data(), 8);
    EXPECT_EQ(headerLength % 8, 0u) << "the data buffer starts 8-byte aligned";
    ASSERT_EQ(header.entries.size(), 3u);
    EXPECT_EQ(header.entries[0].name, "c"); // 8-byte elements first
    EXPECT_EQ(header.entries[1].name, "a");
    EXPECT_EQ(header.entries[2].name, "b");
    for (const auto& entry : header.entries)
        EXPECT_EQ(entry.begin % (kinora::inference::safetensorsDtypeBits(entry.dtype) / 8), 0u) << entry.name;
}

// ---------------------------------------------------------------------------------------------
// Reading files written by hand

TEST(SafetensorsRead, HandWrittenFileGivesTheRightValues)
{
    ScratchDir dir;
    // F32 1.5, -2, 3.25, 0.5; I16 1, -2, 300; BF16 1.0 - little-endian, row-major.
    const std::string data("\x00\x00\xc0\x3f"
                           "\x00\x00\x00\xc0"
                           "\x00\x00\x50\x40"
                           "\x00\x00\x00\x3f"
                           "\x01\x00\xfe\xff\x2c\x01"
                           "\x80\x3f",
        24);
    const std::string json = R"({"__metadata__":{"source":"hand"},)"
                             R"("b":{"dtype":"I16","shape":[3],"data_offsets":[16,22]},)"
                             R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                             R"("c":{"dtype":"BF16","shape":[],"data_offsets":[22,24]}})";
    // Once padded (tensors aligned, viewed in place), once not (misaligned, copied): same values.
    const std::string padded = json + std::string((8 - json.size() % 8) % 8, ' ');
    for (const std::string& header : { padded, padded + " " }) {
        SCOPED_TRACE(header.size());
        const fs::path path = dir / "hand.safetensors";
        writeAll(path, handMade(header, data));
        const SafetensorsFile file(path);
        EXPECT_EQ(file.metadata(), (std::map<std::string, std::string> { { "source", "hand" } }));
        EXPECT_EQ(file.names(), (std::vector<std::string> { "a", "b", "c" }));
        const at::Tensor a = file.tensor("a");
        ASSERT_EQ(a.scalar_type(), at::kFloat);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data_ptr()) % 4, 0u)
            << "LibTorch kernels need aligned data";
        ASSERT_EQ(a.sizes(), (std::vector<int64_t> { 2, 2 }));
        EXPECT_EQ(a[0][0].item<float>(), 1.5f);
        EXPECT_EQ(a[0][1].item<float>(), -2.0f);
        EXPECT_EQ(a[1][0].item<float>(), 3.25f);
        EXPECT_EQ(a[1][1].item<float>(), 0.5f);
        const at::Tensor b = file.tensor("b");
        ASSERT_EQ(b.scalar_type(), at::kShort);
        EXPECT_EQ(b[0].item<int16_t>(), 1);
        EXPECT_EQ(b[1].item<int16_t>(), -2);
        EXPECT_EQ(b[2].item<int16_t>(), 300);
        const at::Tensor c = file.tensor("c");
        ASSERT_EQ(c.scalar_type(), at::kBFloat16);
        EXPECT_EQ(c.dim(), 0);
        EXPECT_EQ(c.item<float>(), 1.0f);
    }
}

TEST(SafetensorsRead, TensorViewsTheMappingAndOutlivesTheFile)
{
    ScratchDir dir;
    const fs::path path = dir / "view.safetensors";
    const at::Tensor original = torch::rand({ 256, 64 });
    saveSafetensors(path, NamedTensors { { "w", original }, { "v", torch::arange(10, torch::kFloat32) } });

    at::Tensor view;
    at::Tensor copy;
    {
        const SafetensorsFile file(path);
        view = file.tensor("w");
        copy = file.load("w");
        const auto ranges = mappedRanges(path);
        ASSERT_FALSE(ranges.empty()) << "the file is not mapped";
        EXPECT_TRUE(insideAny(ranges, view.data_ptr(), view.nbytes()))
            << "tensor() copied instead of viewing";
        EXPECT_FALSE(insideAny(ranges, copy.data_ptr(), 1)) << "load() returned a view, not a copy";
        const at::Tensor second = file.tensor("v");
        EXPECT_EQ(static_cast<const char*>(second.data_ptr()) - static_cast<const char*>(view.data_ptr()),
            static_cast<std::ptrdiff_t>(file.entry("v").begin)
                - static_cast<std::ptrdiff_t>(file.entry("w").begin));
    }
    // The SafetensorsFile is gone; the tensor still holds the mapping.
    EXPECT_FALSE(mappedRanges(path).empty());
    EXPECT_TRUE(torch::equal(view, original));
    EXPECT_TRUE(torch::equal(copy, original));
    view = at::Tensor();
    EXPECT_TRUE(mappedRanges(path).empty()) << "the mapping outlived its last tensor";
}

TEST(SafetensorsRead, MissingTensorNamesTheFileAndTheTensor)
{
    ScratchDir dir;
    const fs::path path = dir / "one.safetensors";
    saveSafetensors(path, NamedTensors { { "present", torch::zeros({ 2 }) } });
    const SafetensorsFile file(path);
    EXPECT_FALSE(file.contains("absent"));
    try {
        (void)file.tensor("absent");
        FAIL() << "no error";
    } catch (const SafetensorsError& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("\"absent\""), std::string::npos) << e.what();
    }
}

TEST(SafetensorsRead, DtypesLibTorchLacksAreAClearError)
{
    ScratchDir dir;
    const fs::path path = dir / "packed.safetensors";
    writeAll(path,
        handMade(R"({"q":{"dtype":"F6_E2M3","shape":[4],"data_offsets":[0,3]},)"
                 R"("r":{"dtype":"F4","shape":[2],"data_offsets":[3,4]}})",
            std::string("\x01\x02\x03\x04", 4)));
    const SafetensorsFile file(path);
    EXPECT_EQ(file.entry("q").dtype, SafetensorsDtype::F6E2M3);
    for (const auto& [name, dtype] : { std::pair { "q", "F6_E2M3" }, std::pair { "r", "F4" } }) {
        try {
            (void)file.tensor(name);
            FAIL() << "no error for " << name;
        } catch (const SafetensorsError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(path.string()), std::string::npos) << message;
            EXPECT_NE(message.find(std::string("tensor \"") + name + "\""), std::string::npos) << message;
            EXPECT_NE(message.find(dtype), std::string::npos) << message;
        }
    }
}

TEST(SafetensorsRead, EmptyTensorsWithHugeDimensionsStayWithinLibTorchSizes)
{
    ScratchDir dir;
    const fs::path path = dir / "huge.safetensors";
    writeAll(path,
        handMade(R"({"ok":{"dtype":"F32","shape":[4611686018427387904,0],"data_offsets":[0,0]},)"
                 R"("bad":{"dtype":"F32","shape":[4611686018427387904,4,0],"data_offsets":[0,0]}})",
            ""));
    const SafetensorsFile file(path);
    const at::Tensor ok = file.tensor("ok");
    EXPECT_EQ(ok.sizes(), (std::vector<int64_t> { int64_t { 1 } << 62, 0 }));
    EXPECT_EQ(ok.numel(), 0);
    try {
        (void)file.tensor("bad");
        FAIL() << "no error";
    } catch (const SafetensorsError& e) {
        EXPECT_NE(std::string(e.what()).find("tensor \"bad\": "), std::string::npos) << e.what();
    }
}

TEST(SafetensorsRead, UnopenableFilesNameThemselves)
{
    ScratchDir dir;
    for (const fs::path& path : { dir / "missing.safetensors", dir.path() }) {
        try {
            SafetensorsFile file(path);
            FAIL() << "opened " << path;
        } catch (const SafetensorsError& e) {
            EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed files: each case is its own test, opened through SafetensorsFile.

struct MalformedCase {
    std::string name;
    std::string bytes;
    std::string tensor; // as the message quotes it; empty when no single tensor is at fault
    std::string problem; // a phrase the message must hold
};

void PrintTo(const MalformedCase& c, std::ostream* out)
{
    *out << c.name;
}

namespace {

std::string entry(std::string_view dtype, std::string_view shape, std::string_view offsets)
{
    return R"({"dtype":")" + std::string(dtype) + R"(","shape":)" + std::string(shape) + R"(,"data_offsets":)"
        + std::string(offsets) + "}";
}

std::vector<MalformedCase> malformedCases()
{
    const std::string w4 = entry("F32", "[1]", "[0,4]");
    const std::string four(4, '\0');
    return {
        { "EmptyFile", "", "", "truncated" },
        { "TruncatedPrefix", std::string("\x05\x00\x00", 3), "", "truncated" },
        { "HeaderLongerThanFile", lengthPrefix(1000) + "{}", "", "larger than" },
        { "HeaderOverLimit", lengthPrefix(std::uint64_t { 1 } << 40) + "{}", "", "exceeds the limit" },
        { "HeaderTooShort", lengthPrefix(1) + "{", "", "too short" },
        { "InvalidJson", handMade(R"({"w":{"dtype":"F32",)", ""), "", "not valid JSON" },
        { "InvalidUtf8", handMade("{\"\xff\":" + w4 + "}", four), "", "not valid JSON" },
        { "NotAnObject", handMade("[1,2]", ""), "", "must be a JSON object" },
        { "DeepNesting", handMade(std::string(40, '[') + std::string(40, ']'), ""), "", "nests deeper" },
        { "EntryNotAnObject", handMade(R"({"w":5})", ""), "w", "entry must be an object" },
        { "MissingDtype", handMade(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", four), "w",
            "missing field \"dtype\"" },
        { "MissingShape", handMade(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", four), "w",
            "missing field \"shape\"" },
        { "MissingOffsets", handMade(R"({"w":{"dtype":"F32","shape":[1]}})", four), "w",
            "missing field \"data_offsets\"" },
        { "ExtraField",
            handMade(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"order":"C"}})", four), "w",
            "unexpected field \"order\"" },
        { "DuplicateField",
            handMade(R"({"w":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}})", four), "w",
            "field \"dtype\" appears twice" },
        { "DtypeNotAString", handMade(R"({"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}})", four), "w",
            "dtype must be a string" },
        { "UnknownDtype", handMade(R"({"w":)" + entry("F128", "[1]", "[0,4]") + "}", four), "w",
            "unknown dtype \"F128\"" },
        { "ShapeNotAnArray", handMade(R"({"w":)" + entry("F32", "4", "[0,4]") + "}", four), "w",
            "shape must be an array" },
        { "NegativeDimension", handMade(R"({"w":)" + entry("F32", "[-1]", "[0,4]") + "}", four), "w",
            "negative" },
        { "FractionalDimension", handMade(R"({"w":)" + entry("F32", "[1.5]", "[0,4]") + "}", four), "w",
            "not an integer" },
        { "StringDimension", handMade(R"({"w":)" + entry("F32", "[\"1\"]", "[0,4]") + "}", four), "w",
            "non-negative integer" },
        { "OffsetsOfOneElement", handMade(R"({"w":)" + entry("F32", "[1]", "[4]") + "}", four), "w",
            "two integers" },
        { "NegativeOffset", handMade(R"({"w":)" + entry("F32", "[1]", "[-4,0]") + "}", four), "w",
            "negative" },
        { "SizeMismatch", handMade(R"({"w":)" + entry("F32", "[3]", "[0,8]") + "}", std::string(8, '\0')),
            "w", "needs 12 bytes" },
        { "OffsetsPastTheBuffer",
            handMade(R"({"w":)" + entry("F32", "[4]", "[0,16]") + "}", std::string(8, '\0')), "w",
            "run past the end" },
        { "BeginAfterEnd", handMade(R"({"w":)" + entry("U8", "[0]", "[8,0]") + "}", std::string(8, '\0')),
            "w", "end before they begin" },
        { "Overlap",
            handMade(
                R"({"a":)" + entry("U8", "[8]", "[0,8]") + R"(,"b":)" + entry("U8", "[8]", "[4,12]") + "}",
                std::string(12, '\0')),
            "b", "overlap tensor \"a\"" },
        { "Gap",
            handMade(
                R"({"a":)" + entry("U8", "[4]", "[0,4]") + R"(,"b":)" + entry("U8", "[4]", "[8,12]") + "}",
                std::string(12, '\0')),
            "b", "without gaps" },
        { "TrailingBytes", handMade(R"({"a":)" + entry("U8", "[4]", "[0,4]") + "}", std::string(12, '\0')),
            "", "after the last tensor \"a\" belong to no tensor" },
        { "DuplicateName",
            handMade(R"({"a":)" + w4 + R"(,"a":)" + entry("F32", "[1]", "[4,8]") + "}", four + four), "a",
            "appears twice" },
        { "ShapeOverflow",
            handMade(R"({"w":)" + entry("F32", "[4294967296,4294967296,2]", "[0,4]") + "}", four), "w",
            "more elements than" },
        { "SizeInBitsOverflow",
            handMade(R"({"w":)" + entry("U64", "[2305843009213693952]", "[0,4]") + "}", four), "w",
            "more bits than" },
        { "PartialByte", handMade(R"({"w":)" + entry("F6_E2M3", "[3]", "[0,2]") + "}", std::string(2, '\0')),
            "w", "whole number of bytes" },
        { "MetadataNotAnObject", handMade(R"({"__metadata__":["a"]})", ""), "",
            "__metadata__ must be an object" },
        { "MetadataValueNotAString", handMade(R"({"__metadata__":{"epoch":3}})", ""), "",
            "value of \"epoch\" must be a string" },
        { "NulInName", handMade(R"({"\u0000w":)" + entry("F32", "[3]", "[0,4]") + "}", four), "\\u0000w",
            "needs 12 bytes" },
    };
}

} // namespace

class SafetensorsMalformed : public testing::TestWithParam<MalformedCase> { };

TEST_P(SafetensorsMalformed, IsRefusedNamingTheFileAndTheTensor)
{
    const MalformedCase& c = GetParam();
    ScratchDir dir;
    const fs::path path = dir / (c.name + ".safetensors");
    writeAll(path, c.bytes);
    try {
        SafetensorsFile file(path);
        FAIL() << "accepted";
    } catch (const SafetensorsError& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.file(), path.string());
        EXPECT_EQ(message.rfind(path.string() + ": ", 0), 0u) << message;
        if (!c.tensor.empty()) {
            EXPECT_NE(message.find("tensor \"" + c.tensor + "\": "), std::string::npos) << message;
        } else {
            EXPECT_EQ(e.tensor(), "") << message;
        }
        EXPECT_NE(message.find(c.problem), std::string::npos) << message;
    }
    // The parser alone (what the fuzzer runs) gives the same verdict.
    EXPECT_EQ(kinora::fuzz::checkSafetensorsInput(c.bytes), "");
    EXPECT_THROW(parseSafetensorsBytes(c.bytes, "x"), SafetensorsError);
}

INSTANTIATE_TEST_SUITE_P(Cases, SafetensorsMalformed, testing::ValuesIn(malformedCases()),
    [](const testing::TestParamInfo<MalformedCase>& param) { return param.param.name; });

// ---------------------------------------------------------------------------------------------
// Headers the format allows that a stricter reader might refuse

TEST(SafetensorsHeader, AcceptsEmptyTensorsNullMetadataAndMinusZero)
{
    const std::string header
        = R"({"__metadata__":null,)"
          R"("z1":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},)"
          R"("a":{"dtype":"F32","shape":[-0],"data_offsets":[0,0]},)"
          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
          R"("z2":{"dtype":"U8","shape":[0],"data_offsets":[4,4]},)"
          R"("big":{"dtype":"F64","shape":[18446744073709551615,0],"data_offsets":[4,4]}})";
    const auto parsed = parseSafetensorsHeader(header, 4, "ok.safetensors");
    EXPECT_TRUE(parsed.metadata.empty());
    std::vector<std::string> order;
    for (const auto& e : parsed.entries)
        order.push_back(e.name);
    EXPECT_EQ(order, (std::vector<std::string> { "a", "b", "big", "z1", "z2" }));
}

TEST(SafetensorsHeader, EmptyTensorInsideAnotherIsAnOverlap)
{
    const std::string header = R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
                               R"("z":{"dtype":"U8","shape":[0],"data_offsets":[4,4]}})";
    EXPECT_THROW(parseSafetensorsHeader(header, 8, "z.safetensors"), SafetensorsError);
}

// ---------------------------------------------------------------------------------------------
// Writing failures

TEST(SafetensorsWrite, MissingFolderLeavesNoFile)
{
    ScratchDir dir;
    const fs::path path = dir / "no-such-folder" / "w.safetensors";
    try {
        saveSafetensors(path, NamedTensors { { "w", torch::ones({ 2 }) } });
        FAIL() << "no error";
    } catch (const SafetensorsError& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path.parent_path()));
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SafetensorsWrite, FailureMidWriteKeepsTheOldFileAndLeavesNoTemporary)
{
    ScratchDir dir;
    const fs::path path = dir / "model.safetensors";
    saveSafetensors(path, NamedTensors { { "old", torch::arange(4, torch::kFloat32) } });
    const std::string before = readAll(path);

    // A file-size limit makes write() fail part way (EFBIG), as a full disk would (ENOSPC).
    rlimit original {};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &original), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = original;
    limited.rlim_cur = 64 * 1024;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    std::string message;
    try {
        saveSafetensors(path, NamedTensors { { "new", torch::zeros({ 1 << 20 }) } });
    } catch (const SafetensorsError& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &original);
    std::signal(SIGXFSZ, previousHandler);

    EXPECT_NE(message.find(path.string()), std::string::npos)
        << "no error, or one without the path: " << message;
    EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
    EXPECT_EQ(readAll(path), before) << "the old file was touched";
    std::vector<std::string> left;
    for (const auto& item : fs::directory_iterator(dir.path()))
        left.push_back(item.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string> { "model.safetensors" }) << "a temporary file was left behind";
    EXPECT_TRUE(SafetensorsFile(path).contains("old"));
}

TEST(SafetensorsWrite, ReplacesAnExistingFileWhole)
{
    ScratchDir dir;
    const fs::path path = dir / "model.safetensors";
    saveSafetensors(path, NamedTensors { { "old", torch::zeros({ 1000 }) } });
    saveSafetensors(path, NamedTensors { { "new", torch::ones({ 2 }) } });
    const SafetensorsFile file(path);
    EXPECT_EQ(file.names(), std::vector<std::string> { "new" });
    EXPECT_EQ(fs::file_size(path), readAll(path).size());
}

TEST(SafetensorsWrite, RefusesWhatTheFormatCannotHoldNamingTheTensor)
{
    ScratchDir dir;
    const fs::path path = dir / "bad.safetensors";
    const std::vector<std::pair<NamedTensors, std::string>> cases = {
        { { { "twice", torch::ones({ 1 }) }, { "twice", torch::ones({ 1 }) } }, "twice" },
        { { { "__metadata__", torch::ones({ 1 }) } }, "__metadata__" },
        { { { "undefined", at::Tensor() } }, "undefined" },
        { { { "complex128", torch::ones({ 1 }, torch::kComplexDouble) } }, "complex128" },
        { { { "sparse", torch::eye(3).to_sparse() } }, "sparse" },
    };
    for (const auto& [tensors, name] : cases) {
        try {
            saveSafetensors(path, tensors);
            ADD_FAILURE() << "saved " << name;
        } catch (const SafetensorsError& e) {
            EXPECT_NE(std::string(e.what()).find("tensor \"" + name + "\""), std::string::npos) << e.what();
        }
        EXPECT_FALSE(fs::exists(path)) << name;
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// ---------------------------------------------------------------------------------------------
// The fuzzer's seed corpus, replayed through the fuzzer's own check without libFuzzer.

TEST(SafetensorsCorpus, SeedsReplayThroughTheFuzzCheck)
{
    const fs::path corpus = fs::path(KINORA_FUZZ_CORPUS_DIR) / "safetensors_header";
    ASSERT_TRUE(fs::is_directory(corpus)) << corpus;
    int replayed = 0;
    for (const auto& item : fs::directory_iterator(corpus)) {
        const std::string bytes = readAll(item.path());
        const std::string name = item.path().filename().string();
        SCOPED_TRACE(name);
        EXPECT_EQ(kinora::fuzz::checkSafetensorsInput(bytes), "");
        if (name.rfind("valid_", 0) == 0) {
            EXPECT_NO_THROW(parseSafetensorsBytes(bytes, name));
        }
        if (name.rfind("invalid_", 0) == 0) {
            EXPECT_THROW(parseSafetensorsBytes(bytes, name), SafetensorsError);
        }
        ++replayed;
    }
    EXPECT_GE(replayed, 20);
}
