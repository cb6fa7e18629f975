#pragma once
// Byte-level text encoder: a small transformer over a prompt's UTF-8 bytes, so no vocabulary file is
// needed and any language or emoji reaches the model. Every prompt starts with a BOS token; the
// empty prompt is therefore just [BOS], and its encoding is the unconditional input for guidance.

#include "kinora/inference/layers.h"
#include "kinora/inference/native_config.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>

#include <string>
#include <vector>

namespace kinora::inference {

struct TextTokens {
    at::Tensor ids; // [B, L] int64: bytes 0..255, kBos, kPad
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
    static constexpr int64_t kBos = 256;
    static constexpr int64_t kPad = 257;

    explicit TextEncoderImpl(const NativeConfig& config);

    // Prompts longer than maxTextBytes - 1 bytes are cut (at a byte; the model copes).
    TextTokens tokenize(const std::vector<std::string>& prompts) const;
    // [B, L, D] embeddings; padded positions are zeroed so they carry nothing.
    at::Tensor forward(const TextTokens& tokens);

    int64_t maxLength;
    torch::nn::Embedding tokenEmbedding { nullptr };
    at::Tensor positionEmbedding;
    torch::nn::ModuleList layers;
    torch::nn::LayerNorm finalNorm { nullptr };
};
TORCH_MODULE(TextEncoder);

} // namespace kinora::inference
