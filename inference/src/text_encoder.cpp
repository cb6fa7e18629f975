#include "kinora/inference/text_encoder.h"

#include "kinora/inference/caption_words.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace kinora::inference {

TextLayerImpl::TextLayerImpl(int64_t dim, int64_t heads)
{
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ dim })));
    attn = register_module("attn", Attention(dim, dim, heads, /*rotary=*/false));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ dim })));
    ff = register_module("ff", FeedForward(dim));
}

at::Tensor TextLayerImpl::forward(const at::Tensor& x, const at::Tensor& mask)
{
    auto h = x + attn->forward(norm1(x), at::Tensor(), mask);
    return h + ff(norm2(h));
}

TextEncoderImpl::TextEncoderImpl(const NativeConfig& config)
    : maxLength(config.maxTextBytes)
{
    if (config.textTokens == "words") {
        vocabulary = captionGrammarWords();
        const auto words = static_cast<int64_t>(vocabulary.size());
        bos = words;
        pad = words + 1;
        unk = words + 2;
    } else if (config.textTokens != "bytes") {
        throw std::invalid_argument("text tokens must be bytes or words, not '" + config.textTokens + "'");
    }
    tokenEmbedding
        = register_module("token_embedding", torch::nn::Embedding(byWords() ? unk + 1 : 258, config.textDim));
    positionEmbedding = register_parameter(
        "position_embedding", torch::randn({ config.maxTextBytes, config.textDim }) * 0.02);
    layers = register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < config.textLayers; ++i)
        layers->push_back(TextLayer(config.textDim, config.textHeads));
    finalNorm = register_module(
        "final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ config.textDim })));
}

TextTokens TextEncoderImpl::tokenize(const std::vector<std::string>& prompts) const
{
    const auto batch = static_cast<int64_t>(prompts.size());
    std::vector<std::vector<int64_t>> sequences;
    int64_t longest = 1;
    for (const auto& p : prompts) {
        std::vector<int64_t> ids;
        if (byWords()) {
            for (const auto& word : captionWords(p)) {
                const auto it = std::lower_bound(vocabulary.begin(), vocabulary.end(), word);
                ids.push_back(it != vocabulary.end() && *it == word ? it - vocabulary.begin() : unk);
            }
        } else {
            for (const char c : p)
                ids.push_back(static_cast<unsigned char>(c));
        }
        if (static_cast<int64_t>(ids.size()) > maxLength - 1)
            ids.resize(static_cast<size_t>(maxLength - 1));
        longest = std::max<int64_t>(longest, static_cast<int64_t>(ids.size()) + 1);
        sequences.push_back(std::move(ids));
    }
    TextTokens tokens;
    tokens.ids = torch::full({ batch, longest }, pad, torch::kInt64);
    tokens.mask = torch::zeros({ batch, longest }, torch::kBool);
    auto ids = tokens.ids.accessor<int64_t, 2>();
    auto mask = tokens.mask.accessor<bool, 2>();
    for (int64_t b = 0; b < batch; ++b) {
        ids[b][0] = bos;
        mask[b][0] = true;
        const auto& sequence = sequences[static_cast<size_t>(b)];
        for (size_t i = 0; i < sequence.size(); ++i) {
            ids[b][static_cast<int64_t>(i) + 1] = sequence[i];
            mask[b][static_cast<int64_t>(i) + 1] = true;
        }
    }
    return tokens;
}

std::vector<std::string> TextEncoderImpl::unknownWords(const std::string& prompt) const
{
    return byWords() ? kinora::inference::unknownWords(prompt, vocabulary) : std::vector<std::string> {};
}

at::Tensor TextEncoderImpl::forward(const TextTokens& tokens)
{
    const auto device = positionEmbedding.device();
    auto ids = tokens.ids.to(device);
    auto mask = tokens.mask.to(device);
    const auto len = ids.size(1);
    auto x = tokenEmbedding(ids) + positionEmbedding.narrow(0, 0, len).unsqueeze(0);
    for (const auto& layer : *layers)
        x = layer->as<TextLayer>()->forward(x, mask);
    return finalNorm(x) * mask.unsqueeze(-1).to(x.scalar_type());
}

} // namespace kinora::inference
