#include "kinora/inference/text_encoder.h"

#include <torch/torch.h>

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
    tokenEmbedding = register_module("token_embedding", torch::nn::Embedding(258, config.textDim));
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
    int64_t longest = 1;
    for (const auto& p : prompts)
        longest
            = std::max<int64_t>(longest, std::min<int64_t>(static_cast<int64_t>(p.size()) + 1, maxLength));
    TextTokens tokens;
    tokens.ids = torch::full({ batch, longest }, kPad, torch::kInt64);
    tokens.mask = torch::zeros({ batch, longest }, torch::kBool);
    auto ids = tokens.ids.accessor<int64_t, 2>();
    auto mask = tokens.mask.accessor<bool, 2>();
    for (int64_t b = 0; b < batch; ++b) {
        ids[b][0] = kBos;
        mask[b][0] = true;
        const auto& p = prompts[static_cast<size_t>(b)];
        for (int64_t i = 1; i < longest && i - 1 < static_cast<int64_t>(p.size()); ++i) {
            ids[b][i] = static_cast<unsigned char>(p[static_cast<size_t>(i - 1)]);
            mask[b][i] = true;
        }
    }
    return tokens;
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
