// SentencePiece behind a C interface, built as its own module (libkinora_spm.so) and opened by
// wan_tokenizer.cpp with RTLD_DEEPBIND, so that the protobuf-lite bundled in Debian's
// libsentencepiece never meets the system libprotobuf OpenCV loads (inference/CMakeLists.txt).

#include <sentencepiece_processor.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void setError(char* error, size_t size, const std::string& text)
{
    if (error && size > 0) {
        std::strncpy(error, text.c_str(), size - 1);
        error[size - 1] = '\0';
    }
}

} // namespace

extern "C" {

// A processor loaded from a serialized ModelProto, or null with `error` set.
__attribute__((visibility("default"))) void* kinora_spm_load(
    const char* bytes, size_t size, char* error, size_t errorSize)
{
    try {
        auto* processor = new sentencepiece::SentencePieceProcessor();
        const auto status = processor->LoadFromSerializedProto(std::string(bytes, size));
        if (!status.ok()) {
            setError(error, errorSize, status.ToString());
            delete processor;
            return nullptr;
        }
        return processor;
    } catch (const std::exception& e) {
        setError(error, errorSize, e.what());
        return nullptr;
    }
}

// The ids of `text` in `*ids` (malloc'ed: kinora_spm_free), their number in `*count`; 0 on
// success, -1 with `error` set.
__attribute__((visibility("default"))) int kinora_spm_encode(
    void* handle, const char* text, size_t size, int** ids, size_t* count, char* error, size_t errorSize)
{
    try {
        std::vector<int> pieces;
        const auto status = static_cast<sentencepiece::SentencePieceProcessor*>(handle)->Encode(
            std::string(text, size), &pieces);
        if (!status.ok()) {
            setError(error, errorSize, status.ToString());
            return -1;
        }
        *count = pieces.size();
        *ids = static_cast<int*>(std::malloc(std::max<size_t>(1, pieces.size()) * sizeof(int)));
        if (!*ids) {
            setError(error, errorSize, "out of memory");
            return -1;
        }
        std::memcpy(*ids, pieces.data(), pieces.size() * sizeof(int));
        return 0;
    } catch (const std::exception& e) {
        setError(error, errorSize, e.what());
        return -1;
    }
}

__attribute__((visibility("default"))) void kinora_spm_free(int* ids)
{
    std::free(ids);
}

__attribute__((visibility("default"))) int kinora_spm_piece_size(void* handle)
{
    return static_cast<sentencepiece::SentencePieceProcessor*>(handle)->GetPieceSize();
}

__attribute__((visibility("default"))) void kinora_spm_destroy(void* handle)
{
    delete static_cast<sentencepiece::SentencePieceProcessor*>(handle);
}
}
