#include "kinora/inference/wan/wan_tokenizer.h"

#include "kinora/inference/wan/wan_weights.h"

#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#ifdef KINORA_HAVE_SENTENCEPIECE
#include <dlfcn.h>
#include <unistd.h>

#include <mutex>
#endif

namespace kinora::inference::wan {

#ifdef KINORA_HAVE_SENTENCEPIECE

namespace {

// libkinora_spm.so (spm_module.cpp): SentencePiece behind a C interface, opened with
// RTLD_DEEPBIND so that its bundled protobuf binds to itself (inference/CMakeLists.txt says why).
struct SpmModule {
    void* (*load)(const char*, size_t, char*, size_t) = nullptr;
    int (*encode)(void*, const char*, size_t, int**, size_t*, char*, size_t) = nullptr;
    void (*freeIds)(int*) = nullptr;
    int (*pieceSize)(void*) = nullptr;
    void (*destroy)(void*) = nullptr;
    std::string error;
};

// Beside the running program first (an installed Kinora), then where the build put it.
std::vector<std::string> modulePlaces()
{
    std::vector<std::string> places;
    char self[4096];
    const auto n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        const auto dir = std::filesystem::path(self).parent_path();
        places.push_back((dir / "libkinora_spm.so").string());
        places.push_back((dir.parent_path() / "lib" / "libkinora_spm.so").string());
    }
    places.push_back(KINORA_SPM_MODULE);
    return places;
}

const SpmModule& spmModule()
{
    static SpmModule module;
    static std::once_flag once;
    std::call_once(once, [] {
        void* handle = nullptr;
        std::string tried;
        for (const auto& place : modulePlaces()) {
            if (!std::filesystem::exists(place))
                continue;
            handle = ::dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
            if (handle)
                break;
            tried += std::string(tried.empty() ? "" : "; ") + ::dlerror();
        }
        if (!handle) {
            module.error = "the SentencePiece module libkinora_spm.so of this build cannot be loaded"
                + (tried.empty() ? std::string(" (it is not beside the program nor at " KINORA_SPM_MODULE ")")
                                 : ": " + tried);
            return;
        }
        module.load = reinterpret_cast<decltype(module.load)>(::dlsym(handle, "kinora_spm_load"));
        module.encode = reinterpret_cast<decltype(module.encode)>(::dlsym(handle, "kinora_spm_encode"));
        module.freeIds = reinterpret_cast<decltype(module.freeIds)>(::dlsym(handle, "kinora_spm_free"));
        module.pieceSize
            = reinterpret_cast<decltype(module.pieceSize)>(::dlsym(handle, "kinora_spm_piece_size"));
        module.destroy = reinterpret_cast<decltype(module.destroy)>(::dlsym(handle, "kinora_spm_destroy"));
        if (!module.load || !module.encode || !module.freeIds || !module.pieceSize || !module.destroy)
            module.error = "libkinora_spm.so lacks a function Kinora needs: rebuild Kinora";
    });
    return module;
}

} // namespace

struct WanTokenizer::Impl {
    void* processor = nullptr;
    ~Impl()
    {
        if (processor)
            spmModule().destroy(processor);
    }
};

bool WanTokenizer::available()
{
    return true;
}

WanTokenizer WanTokenizer::fromBytes(const std::string& serializedModelProto)
{
    const auto& spm = spmModule();
    if (!spm.error.empty())
        throw std::runtime_error(spm.error);
    auto impl = std::make_shared<Impl>();
    char error[512] = "";
    impl->processor = spm.load(serializedModelProto.data(), serializedModelProto.size(), error, sizeof error);
    if (!impl->processor)
        throw std::runtime_error(std::string("the umT5 tokenizer model cannot be read: ") + error);
    return WanTokenizer(std::move(impl));
}

std::vector<int64_t> WanTokenizer::encode(const std::string& text, int maxLength) const
{
    if (maxLength < 1)
        throw std::invalid_argument("a text length must be at least 1 (room for EOS)");
    const auto& spm = spmModule();
    const auto cleaned = clean(text);
    int* pieces = nullptr;
    size_t count = 0;
    char error[512] = "";
    if (spm.encode(m_impl->processor, cleaned.data(), cleaned.size(), &pieces, &count, error, sizeof error)
        != 0)
        throw std::runtime_error(std::string("the umT5 tokenizer failed: ") + error);
    const size_t kept = std::min(count, static_cast<size_t>(maxLength - 1));
    std::vector<int64_t> ids(pieces, pieces + kept);
    spm.freeIds(pieces);
    ids.push_back(kEos);
    return ids;
}

int64_t WanTokenizer::vocabSize() const
{
    return spmModule().pieceSize(m_impl->processor);
}

#else

// Never constructed: without SentencePiece no tokenizer exists to call encode() on.
struct WanTokenizer::Impl { };

bool WanTokenizer::available()
{
    return false;
}

WanTokenizer WanTokenizer::fromBytes(const std::string&)
{
    throw std::runtime_error("this build of Kinora has no SentencePiece (libsentencepiece-dev was not "
                             "found when it was configured), so it cannot tokenise prompts for umT5; "
                             "install libsentencepiece-dev and configure again");
}

std::vector<int64_t> WanTokenizer::encode(const std::string&, int) const
{
    return {};
}

int64_t WanTokenizer::vocabSize() const
{
    return 0;
}

#endif

WanTokenizer::WanTokenizer(std::shared_ptr<const Impl> impl)
    : m_impl(std::move(impl))
{
}

WanTokenizer WanTokenizer::fromFile(const std::filesystem::path& spieceModel)
{
    if (!available())
        return fromBytes({}); // throws, saying why
    std::ifstream in(spieceModel, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read the umT5 tokenizer model " + spieceModel.string());
    const std::string bytes { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    try {
        return fromBytes(bytes);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(spieceModel.string() + ": " + e.what());
    }
}

std::optional<std::string> embeddedSpieceModel(const WanWeights& weights)
{
    if (!weights.contains(kEmbeddedSpieceModel))
        return std::nullopt;
    const auto bytes = weights.view(kEmbeddedSpieceModel).contiguous();
    if (bytes.scalar_type() != at::kByte || bytes.dim() != 1)
        throw std::runtime_error(std::string("the tensor ") + kEmbeddedSpieceModel
            + " is not a serialized tokenizer model (a 1-D uint8 tensor)");
    return std::string(static_cast<const char*>(bytes.data_ptr()), static_cast<size_t>(bytes.numel()));
}

} // namespace kinora::inference::wan
