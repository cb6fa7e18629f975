#include "kinora/inference/wan/wan_tokenizer.h"

#include "kinora/inference/wan/wan_weights.h"

#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#ifdef KINORA_HAVE_SENTENCEPIECE
#include <sentencepiece_processor.h>
#endif

namespace kinora::inference::wan {

#ifdef KINORA_HAVE_SENTENCEPIECE

struct WanTokenizer::Impl {
    sentencepiece::SentencePieceProcessor processor;
};

bool WanTokenizer::available()
{
    return true;
}

WanTokenizer WanTokenizer::fromBytes(const std::string& serializedModelProto)
{
    auto impl = std::make_shared<Impl>();
    const auto status = impl->processor.LoadFromSerializedProto(serializedModelProto);
    if (!status.ok())
        throw std::runtime_error("the umT5 tokenizer model cannot be read: " + status.ToString());
    return WanTokenizer(std::move(impl));
}

std::vector<int64_t> WanTokenizer::encode(const std::string& text, int maxLength) const
{
    if (maxLength < 1)
        throw std::invalid_argument("a text length must be at least 1 (room for EOS)");
    std::vector<int> pieces;
    const auto status = m_impl->processor.Encode(clean(text), &pieces);
    if (!status.ok())
        throw std::runtime_error("the umT5 tokenizer failed: " + status.ToString());
    const size_t kept = std::min(pieces.size(), static_cast<size_t>(maxLength - 1));
    std::vector<int64_t> ids(pieces.begin(), pieces.begin() + static_cast<std::ptrdiff_t>(kept));
    ids.push_back(kEos);
    return ids;
}

int64_t WanTokenizer::vocabSize() const
{
    return m_impl->processor.GetPieceSize();
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
