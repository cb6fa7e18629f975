#pragma once
// umT5's prompt tokenizer as Wan 2.1 uses it: the prompt cleaned as Wan cleans it, split by the
// SentencePiece unigram model umT5 ships (`spiece.model`, or the copy ComfyUI embeds in its text
// encoder files), EOS appended, cut to the text length with EOS kept last. Padding and the mask are
// the caller's (encodePrompts in umt5.h).
//
// SentencePiece is Debian's libsentencepiece, which is not header-only: a build without it (an
// inference-only build on a machine without the package) still compiles, but available() is false
// and constructing a tokenizer throws, saying so.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kinora::inference::wan {

class WanWeights;

class WanTokenizer {
public:
    static constexpr int64_t kPad = 0;
    static constexpr int64_t kEos = 1;

    // Whether this build has SentencePiece.
    static bool available();
    // Throw std::runtime_error naming the file or the parse failure, or saying that the build has
    // no SentencePiece.
    static WanTokenizer fromFile(const std::filesystem::path& spieceModel);
    static WanTokenizer fromBytes(const std::string& serializedModelProto);

    // clean(text)'s pieces' ids + EOS (1); longer than maxLength: the first maxLength - 1 ids and
    // EOS. Not padded. Throws std::invalid_argument for maxLength < 1.
    std::vector<int64_t> encode(const std::string& text, int maxLength = 512) const;
    int64_t vocabSize() const;

    // Wan's clean='whitespace' (wan/modules/tokenizers.py, diffusers' prompt_clean), which is
    // ftfy.fix_text, html.unescape twice, strip, runs of whitespace to one space, strip. ftfy is a
    // Python library: of it only the quote straightening is done (“ ” ‘ ’ and kin to " and ', the
    // one ftfy fix that changes umT5's ids for ordinary prompts, since umT5's normaliser already
    // folds widths and ligatures); its mojibake repair, control-character removal and own HTML
    // unescaping are skipped. html.unescape: numeric references as Python does them (cp1252
    // C1 mapping, invalid code points dropped or U+FFFD) and the HTML 4 named references plus
    // &apos; (with and, where HTML allows it, without the ';'); the other HTML5 names are left
    // as typed. Invalid UTF-8 bytes become U+FFFD.
    static std::string clean(const std::string& text);

private:
    struct Impl;
    explicit WanTokenizer(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> m_impl;
};

// ComfyUI's text encoder files carry the tokenizer model as a uint8 tensor of this name (read in
// ComfyUI's comfy/sd.py into tokenizer_data["spiece_model"]; checked in its source, not in a real
// file's header).
inline constexpr const char* kEmbeddedSpieceModel = "spiece_model";

// The serialized model of `weights`' kEmbeddedSpieceModel tensor, if it has one.
std::optional<std::string> embeddedSpieceModel(const WanWeights& weights);

} // namespace kinora::inference::wan
