// libFuzzer target for the torch-free safetensors header parser. Beyond "no crash, no UB" (ASan and
// UBSan catch those) it checks what the parser promises its callers, because a wrong but
// crash-free answer would become an out-of-bounds tensor view in SafetensorsFile.

#include "safetensors_header_fuzz.h"

#include "kinora/inference/safetensors_header.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>

namespace kinora::fuzz {
namespace {

using inference::SafetensorsError;
using inference::SafetensorsHeader;
// __extension__ keeps -Wpedantic quiet about a type ISO C++ lacks; GCC and clang both have it.
__extension__ typedef unsigned __int128 Uint128;

std::string checkAccepted(const SafetensorsHeader& header, std::uint64_t bufferSize)
{
    std::set<std::string> names;
    std::uint64_t covered = 0;
    for (const auto& entry : header.entries) {
        if (entry.name == "__metadata__")
            return "an entry is named __metadata__";
        if (!names.insert(entry.name).second)
            return "two entries share the name " + entry.name;
        if (entry.begin != covered)
            return "entries do not tile the buffer at " + entry.name;
        if (entry.begin > entry.end || entry.end > bufferSize)
            return "entry outside the buffer: " + entry.name;
        if (entry.end > covered)
            covered = entry.end;
        // Recount in 128 bits, independently of the parser's overflow checks.
        // Saturates at 2^80 bits, more than any buffer holds, so the product cannot wrap.
        constexpr Uint128 kCap = static_cast<Uint128>(1) << 80;
        Uint128 bits = inference::safetensorsDtypeBits(entry.dtype);
        for (const auto dim : entry.shape)
            bits = (dim != 0 && bits > kCap / dim) ? kCap : bits * dim;
        if (bits % 8 != 0 || bits / 8 != entry.end - entry.begin)
            return "size of " + entry.name + " does not match its shape and dtype";
        const auto name = inference::safetensorsDtypeName(entry.dtype);
        if (inference::safetensorsDtypeFromName(name) != entry.dtype)
            return "dtype name does not round-trip for " + entry.name;
    }
    if (covered != bufferSize)
        return "entries do not cover the whole buffer";
    return {};
}

// Escapes as the parser's messages promise to: JSON-style, so that no control byte reaches what().
std::string escaped(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            char code[8];
            std::snprintf(code, sizeof code, "\\u%04x", byte);
            out += code;
        } else {
            out += c;
        }
    }
    return out;
}

std::string checkRefused(const SafetensorsError& error)
{
    const std::string_view message = error.what();
    const std::string filePrefix = std::string(kFuzzFileName) + ": ";
    if (error.file() != kFuzzFileName || message.substr(0, filePrefix.size()) != filePrefix)
        return "error does not start with the file name: " + std::string(message);
    for (const char c : message) {
        if (static_cast<unsigned char>(c) < 0x20)
            return "error holds a control character: " + std::string(message);
    }
    if (!error.tensor().empty()) {
        // Names past 200 bytes are clipped in messages; their first 100 bytes always show.
        const std::string_view name = error.tensor();
        const std::string expected = filePrefix + "tensor \""
            + (name.size() <= 200 ? escaped(name) + "\": " : escaped(name.substr(0, 100)));
        if (message.substr(0, expected.size()) != expected)
            return "error does not name the tensor: " + std::string(message);
    }
    return {};
}

} // namespace

std::string checkSafetensorsInput(std::string_view bytes)
{
    try {
        const auto header = inference::parseSafetensorsBytes(bytes, kFuzzFileName);
        const std::uint64_t length
            = inference::readSafetensorsHeaderLength(bytes, bytes.size(), kFuzzFileName);
        return checkAccepted(header, bytes.size() - 8 - length);
    } catch (const SafetensorsError& error) {
        return checkRefused(error);
    } catch (const std::exception& error) {
        return std::string("refused with an exception other than SafetensorsError: ") + error.what();
    }
}

} // namespace kinora::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem
        = kinora::fuzz::checkSafetensorsInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "safetensors header fuzz: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
