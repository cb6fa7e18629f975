#include "kinora/inference/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_set>

namespace kinora::inference {
namespace {

using Json = nlohmann::json;

struct DtypeInfo {
    SafetensorsDtype dtype;
    std::string_view name;
    std::uint32_t bits;
};

constexpr std::array kDtypes = {
    DtypeInfo { SafetensorsDtype::Bool, "BOOL", 8 },
    DtypeInfo { SafetensorsDtype::F4, "F4", 4 },
    DtypeInfo { SafetensorsDtype::F6E2M3, "F6_E2M3", 6 },
    DtypeInfo { SafetensorsDtype::F6E3M2, "F6_E3M2", 6 },
    DtypeInfo { SafetensorsDtype::U8, "U8", 8 },
    DtypeInfo { SafetensorsDtype::I8, "I8", 8 },
    DtypeInfo { SafetensorsDtype::F8E5M2, "F8_E5M2", 8 },
    DtypeInfo { SafetensorsDtype::F8E4M3, "F8_E4M3", 8 },
    DtypeInfo { SafetensorsDtype::F8E8M0, "F8_E8M0", 8 },
    DtypeInfo { SafetensorsDtype::I16, "I16", 16 },
    DtypeInfo { SafetensorsDtype::U16, "U16", 16 },
    DtypeInfo { SafetensorsDtype::F16, "F16", 16 },
    DtypeInfo { SafetensorsDtype::BF16, "BF16", 16 },
    DtypeInfo { SafetensorsDtype::I32, "I32", 32 },
    DtypeInfo { SafetensorsDtype::U32, "U32", 32 },
    DtypeInfo { SafetensorsDtype::F32, "F32", 32 },
    DtypeInfo { SafetensorsDtype::C64, "C64", 64 },
    DtypeInfo { SafetensorsDtype::F64, "F64", 64 },
    DtypeInfo { SafetensorsDtype::I64, "I64", 64 },
    DtypeInfo { SafetensorsDtype::U64, "U64", 64 },
};

const DtypeInfo& infoOf(SafetensorsDtype dtype)
{
    for (const auto& info : kDtypes) {
        if (info.dtype == dtype)
            return info;
    }
    // Only reachable through a cast of an out-of-range integer to the enum.
    throw std::invalid_argument("unknown SafetensorsDtype value " + std::to_string(static_cast<int>(dtype)));
}

constexpr std::string_view kMetadataKey = "__metadata__";
// A valid header nests three deep (root, tensor entry, shape); the limit only has to stop inputs
// built to exhaust memory or stack, not constrain real files.
constexpr int kMaxJsonDepth = 16;
// Names and JSON errors come from the file; a name of megabytes must not make a message of
// megabytes.
constexpr std::size_t kMaxQuotedBytes = 200;
constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

std::string clipped(std::string_view text)
{
    if (text.size() <= kMaxQuotedBytes)
        return std::string(text);
    std::size_t cut = kMaxQuotedBytes;
    // Cut before a UTF-8 continuation byte would split a character.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u)
        --cut;
    return std::string(text.substr(0, cut)) + "...";
}

// Quotes a name from the file for a message. Control characters, quotes and backslashes are escaped
// as in JSON: a NUL would end what() early, a newline would forge a second line in a log.
std::string inQuotes(std::string_view text)
{
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string quoted = "\"";
    for (const char c : clipped(text)) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            quoted += "\\u00";
            quoted += kHex[byte >> 4];
            quoted += kHex[byte & 0xfu];
        } else {
            quoted += c;
        }
    }
    return quoted + "\"";
}

std::string describe(const Json& value)
{
    if (value.is_number_float())
        return "a non-integer number";
    if (value.is_number_integer())
        return "an integer";
    if (value.is_string())
        return "a string";
    if (value.is_object())
        return "an object";
    if (value.is_array())
        return "an array";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_null())
        return "null";
    return std::string(value.type_name());
}

std::string formatList(const std::vector<std::uint64_t>& values)
{
    constexpr std::size_t kMaxShown = 8;
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i == kMaxShown) {
            text += ", ... (" + std::to_string(values.size()) + " in all)";
            break;
        }
        if (i > 0)
            text += ", ";
        text += std::to_string(values[i]);
    }
    return text + "]";
}

std::string formatRange(std::uint64_t begin, std::uint64_t end)
{
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

// nlohmann keeps the last of duplicate keys silently; a file with two entries of one name is
// ambiguous (which one did the writer mean?), so the parse is watched and such a file refused.
Json parseJson(std::string_view text, std::string_view file)
{
    std::vector<std::unordered_set<std::string>> keysPerObject;
    std::string entryName; // the top-level key being read, to name it in messages
    int depth = 0;
    auto watch = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
        switch (event) {
        case Json::parse_event_t::object_start:
        case Json::parse_event_t::array_start:
            if (++depth > kMaxJsonDepth)
                throw SafetensorsError(file,
                    "header JSON nests deeper than " + std::to_string(kMaxJsonDepth)
                        + " levels (a safetensors header needs 3)");
            if (event == Json::parse_event_t::object_start)
                keysPerObject.emplace_back();
            break;
        case Json::parse_event_t::object_end:
            keysPerObject.pop_back();
            --depth;
            break;
        case Json::parse_event_t::array_end:
            --depth;
            break;
        case Json::parse_event_t::key: {
            const auto& key = parsed.get_ref<const std::string&>();
            const bool fresh = keysPerObject.back().insert(key).second;
            if (keysPerObject.size() == 1) {
                entryName = key;
                if (!fresh && key == kMetadataKey)
                    throw SafetensorsError(file, "\"__metadata__\" appears twice in the header");
                if (!fresh)
                    throw SafetensorsError(file, key, "the name appears twice in the header");
            } else if (!fresh) {
                if (entryName == kMetadataKey)
                    throw SafetensorsError(file, "__metadata__ key " + inQuotes(key) + " appears twice");
                throw SafetensorsError(file, entryName, "field " + inQuotes(key) + " appears twice");
            }
            break;
        }
        case Json::parse_event_t::value:
            break;
        }
        return true;
    };
    try {
        return Json::parse(text.data(), text.data() + text.size(), watch, /*allow_exceptions=*/true,
            /*ignore_comments=*/false);
    } catch (const Json::exception& e) {
        throw SafetensorsError(file, "header is not valid JSON: " + clipped(e.what()));
    }
}

// Shapes and offsets are unsigned 64-bit integers in the format. "-0" parses as a signed zero and
// is accepted as 0; every other negative or non-integer value is refused.
std::uint64_t unsignedInteger(
    const Json& value, std::string_view file, const std::string& tensor, const std::string& what)
{
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_number_integer()) {
        const auto signedValue = value.get<std::int64_t>();
        if (signedValue >= 0)
            return static_cast<std::uint64_t>(signedValue);
        throw SafetensorsError(file, tensor, what + " is negative (" + std::to_string(signedValue) + ")");
    }
    if (value.is_number_float())
        throw SafetensorsError(file, tensor, what + " is not an integer (" + clipped(value.dump()) + ")");
    throw SafetensorsError(file, tensor, what + " must be a non-negative integer, found " + describe(value));
}

const Json& requiredField(
    const Json& entry, const char* field, std::string_view file, const std::string& tensor)
{
    const auto it = entry.find(field);
    if (it == entry.end())
        throw SafetensorsError(file, tensor, "missing field \"" + std::string(field) + "\"");
    return *it;
}

SafetensorsEntry parseEntry(
    const std::string& name, const Json& value, std::uint64_t bufferSize, std::string_view file)
{
    if (!value.is_object())
        throw SafetensorsError(file, name,
            "entry must be an object with dtype, shape and data_offsets, found " + describe(value));
    for (auto it = value.begin(); it != value.end(); ++it) {
        const auto& key = it.key();
        if (key != "dtype" && key != "shape" && key != "data_offsets")
            throw SafetensorsError(file, name, "unexpected field " + inQuotes(key));
    }

    SafetensorsEntry entry;
    entry.name = name;

    const Json& dtype = requiredField(value, "dtype", file, name);
    if (!dtype.is_string())
        throw SafetensorsError(file, name, "dtype must be a string, found " + describe(dtype));
    const auto& dtypeName = dtype.get_ref<const std::string&>();
    const auto parsedDtype = safetensorsDtypeFromName(dtypeName);
    if (!parsedDtype)
        throw SafetensorsError(file, name, "unknown dtype " + inQuotes(dtypeName));
    entry.dtype = *parsedDtype;

    const Json& shape = requiredField(value, "shape", file, name);
    if (!shape.is_array())
        throw SafetensorsError(file, name, "shape must be an array, found " + describe(shape));
    entry.shape.reserve(shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i)
        entry.shape.push_back(unsignedInteger(shape[i], file, name, "shape dimension " + std::to_string(i)));

    const Json& offsets = requiredField(value, "data_offsets", file, name);
    if (!offsets.is_array() || offsets.size() != 2)
        throw SafetensorsError(file, name,
            "data_offsets must be an array of two integers [begin, end], found "
                + (offsets.is_array() ? "an array of " + std::to_string(offsets.size()) + " elements"
                                      : describe(offsets)));
    entry.begin = unsignedInteger(offsets[0], file, name, "data_offsets begin");
    entry.end = unsignedInteger(offsets[1], file, name, "data_offsets end");
    const std::string range = "data_offsets " + formatRange(entry.begin, entry.end);
    if (entry.begin > entry.end)
        throw SafetensorsError(file, name, range + " end before they begin");
    if (entry.end > bufferSize)
        throw SafetensorsError(file, name,
            range + " run past the end of the data buffer (" + std::to_string(bufferSize)
                + " bytes); the file may be truncated");

    // A zero dimension makes the tensor empty whatever the others are, so only a product without
    // zeros can overflow.
    std::uint64_t elements = 1;
    const bool empty = std::find(entry.shape.begin(), entry.shape.end(), 0u) != entry.shape.end();
    if (empty) {
        elements = 0;
    } else {
        for (const auto dim : entry.shape) {
            if (elements > kMaxU64 / dim)
                throw SafetensorsError(file, name,
                    "shape " + formatList(entry.shape) + " has more elements than a 64-bit count holds");
            elements *= dim;
        }
    }
    const std::uint32_t bits = safetensorsDtypeBits(entry.dtype);
    if (elements > kMaxU64 / bits)
        throw SafetensorsError(file, name,
            "shape " + formatList(entry.shape) + " of dtype " + std::string(safetensorsDtypeName(entry.dtype))
                + " has more bits than a 64-bit count holds");
    const std::uint64_t totalBits = elements * bits;
    if (totalBits % 8 != 0)
        throw SafetensorsError(file, name,
            "shape " + formatList(entry.shape) + " of dtype " + std::string(safetensorsDtypeName(entry.dtype))
                + " does not fill a whole number of bytes");
    const std::uint64_t bytes = totalBits / 8;
    if (bytes != entry.end - entry.begin)
        throw SafetensorsError(file, name,
            "shape " + formatList(entry.shape) + " of dtype " + std::string(safetensorsDtypeName(entry.dtype))
                + " needs " + std::to_string(bytes) + " bytes but " + range + " hold "
                + std::to_string(entry.end - entry.begin));
    return entry;
}

void parseMetadata(const Json& value, std::string_view file, std::map<std::string, std::string>& metadata)
{
    // The reference reader takes null as "no metadata"; its writer leaves the key out instead.
    if (value.is_null())
        return;
    if (!value.is_object())
        throw SafetensorsError(file, "__metadata__ must be an object of strings, found " + describe(value));
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (!it.value().is_string())
            throw SafetensorsError(file,
                "__metadata__ value of " + inQuotes(it.key()) + " must be a string, found "
                    + describe(it.value()));
        metadata.emplace(it.key(), it.value().get<std::string>());
    }
}

// The reference format requires the tensors to tile the buffer: every byte belongs to exactly one
// tensor. Holes would be bytes a reader never checks; overlaps would make two tensors alias.
void checkCoverage(
    const std::vector<SafetensorsEntry>& entries, std::uint64_t bufferSize, std::string_view file)
{
    std::uint64_t covered = 0;
    const SafetensorsEntry* coveredBy = nullptr;
    for (const auto& entry : entries) {
        const std::string range = "data_offsets " + formatRange(entry.begin, entry.end);
        if (entry.begin < covered)
            throw SafetensorsError(file, entry.name,
                range + " overlap tensor " + inQuotes(coveredBy->name) + " at "
                    + formatRange(coveredBy->begin, coveredBy->end));
        if (entry.begin > covered)
            throw SafetensorsError(file, entry.name,
                range + " leave the " + std::to_string(entry.begin - covered) + " bytes from offset "
                    + std::to_string(covered)
                    + " to no tensor; safetensors requires the tensors to cover the data "
                      "buffer without gaps");
        if (entry.end > entry.begin || coveredBy == nullptr) {
            covered = entry.end;
            coveredBy = &entry;
        }
    }
    if (covered != bufferSize) {
        std::string problem = "the data buffer holds " + std::to_string(bufferSize)
            + " bytes but the tensors cover only " + std::to_string(covered) + "; the bytes after ";
        problem += coveredBy ? "the last tensor " + inQuotes(coveredBy->name) : std::string("the header");
        problem += " belong to no tensor";
        throw SafetensorsError(file, problem);
    }
}

} // namespace

std::string_view safetensorsDtypeName(SafetensorsDtype dtype)
{
    return infoOf(dtype).name;
}

std::optional<SafetensorsDtype> safetensorsDtypeFromName(std::string_view name)
{
    for (const auto& info : kDtypes) {
        if (info.name == name)
            return info.dtype;
    }
    return std::nullopt;
}

std::uint32_t safetensorsDtypeBits(SafetensorsDtype dtype)
{
    return infoOf(dtype).bits;
}

SafetensorsError::SafetensorsError(std::string_view file, const std::string& problem)
    : std::runtime_error(std::string(file) + ": " + problem)
    , m_file(file)
{
}

SafetensorsError::SafetensorsError(std::string_view file, std::string_view tensor, const std::string& problem)
    : std::runtime_error(std::string(file) + ": tensor " + inQuotes(tensor) + ": " + problem)
    , m_file(file)
    , m_tensor(tensor)
{
}

std::uint64_t readSafetensorsHeaderLength(
    std::string_view firstBytes, std::uint64_t fileSize, std::string_view fileNameForErrors)
{
    const auto& file = fileNameForErrors;
    constexpr std::uint64_t kPrefix = 8;
    if (fileSize < kPrefix || firstBytes.size() < kPrefix)
        throw SafetensorsError(file,
            "truncated: " + std::to_string(std::min<std::uint64_t>(fileSize, firstBytes.size()))
                + " bytes, fewer than the 8-byte header length a safetensors file starts with");
    std::uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(firstBytes[static_cast<std::size_t>(i)]);
    if (length > kMaxSafetensorsHeaderBytes)
        throw SafetensorsError(file,
            "header length " + std::to_string(length) + " exceeds the limit of "
                + std::to_string(kMaxSafetensorsHeaderBytes)
                + " bytes: not a safetensors file, or a corrupt one");
    if (length > fileSize - kPrefix)
        throw SafetensorsError(file,
            "header length " + std::to_string(length) + " is larger than the "
                + std::to_string(fileSize - kPrefix)
                + " bytes that follow it: the file is truncated or not a safetensors file");
    if (length < 2)
        throw SafetensorsError(
            file, "header length " + std::to_string(length) + " is too short for a JSON object");
    return length;
}

SafetensorsHeader parseSafetensorsHeader(
    std::string_view headerBytes, std::uint64_t bufferSize, std::string_view fileNameForErrors)
{
    const auto& file = fileNameForErrors;
    if (headerBytes.size() > kMaxSafetensorsHeaderBytes)
        throw SafetensorsError(file,
            "header of " + std::to_string(headerBytes.size()) + " bytes exceeds the limit of "
                + std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
    const Json root = parseJson(headerBytes, file);
    if (!root.is_object())
        throw SafetensorsError(file, "header must be a JSON object, found " + describe(root));

    SafetensorsHeader header;
    header.entries.reserve(root.size());
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == kMetadataKey)
            parseMetadata(it.value(), file, header.metadata);
        else
            header.entries.push_back(parseEntry(it.key(), it.value(), bufferSize, file));
    }
    std::sort(header.entries.begin(), header.entries.end(), [](const auto& a, const auto& b) {
        if (a.begin != b.begin)
            return a.begin < b.begin;
        if (a.end != b.end)
            return a.end < b.end;
        return a.name < b.name;
    });
    checkCoverage(header.entries, bufferSize, file);
    return header;
}

SafetensorsHeader parseSafetensorsBytes(std::string_view fileBytes, std::string_view fileNameForErrors)
{
    const std::uint64_t length = readSafetensorsHeaderLength(fileBytes, fileBytes.size(), fileNameForErrors);
    return parseSafetensorsHeader(
        fileBytes.substr(8, length), fileBytes.size() - 8 - length, fileNameForErrors);
}

} // namespace kinora::inference
