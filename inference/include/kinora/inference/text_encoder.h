#pragma once
// Text encoder: a small transformer over a prompt's tokens with learned positions. Tokens are the
// UTF-8 bytes (config textTokens "bytes": no vocabulary, any text reaches the model) or the words of
// the caption grammar (textTokens "words", caption_words.h: each word one token, so the model learns
// a word once instead of spelling it, and word order still tells "a red circle on a blue background"
// from its inverse; a word outside the vocabulary is one "unknown" token, and unknownWords() names
// it to the user). Every prompt starts with a BOS token; the empty prompt is therefore just [BOS],
// and its encoding is the unconditional input for guidance.

#include "kinora/inference/layers.h"
#include "kinora/inference/native_config.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>

#include <string>
#include <vector>

namespace kinora::inference {

struct TextTokens {
    at::Tensor ids; // [B, L] int64: bytes 0..255 or word indices, then BOS, PAD (and UNK for words)
    at::Tensor mask; // [B, L] bool: true for real tokens
};

struct TextLayerImpl : torch::nn::Module {
    TextLayerImpl(int64_t dim, int64_t heads);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask);
    torch::nn::LayerNorm norm1 { nullptr }, norm2 { nullptr };
    Attention attn { nullptr };
    FeedForward ff { nullptr };
};
TORCH_MODULE(TextLayer);

struct TextEncoderImpl : torch::nn::Module {
    explicit TextEncoderImpl(const NativeConfig& config);

    // Prompts longer than maxLength - 1 tokens are cut (the model copes).
    TextTokens tokenize(const std::vector<std::string>& prompts) const;
    // The prompt's words this encoder has no token for (always none for bytes).
    std::vector<std::string> unknownWords(const std::string& prompt) const;
    bool byWords() const { return !vocabulary.empty(); }
    // [B, L, D] embeddings; padded positions are zeroed so they carry nothing.
    at::Tensor forward(const TextTokens& tokens);

    int64_t maxLength;
    std::vector<std::string> vocabulary; // empty: bytes
    int64_t bos = 256, pad = 257, unk = -1; // after the bytes or the words
    torch::nn::Embedding tokenEmbedding { nullptr };
    at::Tensor positionEmbedding;
    torch::nn::ModuleList layers;
    torch::nn::LayerNorm finalNorm { nullptr };
};
TORCH_MODULE(TextEncoder);

} // namespace kinora::inference
