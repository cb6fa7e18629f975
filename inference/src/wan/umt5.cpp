#include "kinora/inference/wan/umt5.h"

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/wan/wan_tokenizer.h"
#include "kinora/inference/wan/wan_weights.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>

namespace kinora::inference::wan {

namespace {

// A module holding one tensor named "weight", allocated but not initialised (it is always loaded).
struct WeightImpl : torch::nn::Module {
    WeightImpl(at::IntArrayRef shape, const at::TensorOptions& options)
    {
        weight = register_parameter("weight", torch::empty(shape, options), /*requires_grad=*/false);
    }
    at::Tensor weight;
};
TORCH_MODULE(Weight);

// T5's RMS norm: the variance in fp32, the normalised values cast back to the weight's dtype.
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps)
{
    const auto xf = x.to(at::kFloat);
    const auto normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
    return weight * normed.to(weight.scalar_type());
}

// Both references clamp a float16 residual stream that overflowed (Wan's fp16_clamp).
at::Tensor fp16Clamp(const at::Tensor& x)
{
    if (x.scalar_type() != at::kHalf || !at::isinf(x).any().item<bool>())
        return x;
    const double limit = static_cast<double>(std::numeric_limits<c10::Half>::max()) - 1000.0;
    return x.clamp(-limit, limit);
}

double lowest(c10::ScalarType dtype)
{
    switch (dtype) {
    case at::kHalf:
        return static_cast<double>(std::numeric_limits<c10::Half>::lowest());
    case at::kBFloat16:
        return static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest());
    case at::kDouble:
        return std::numeric_limits<double>::lowest();
    default:
        return std::numeric_limits<float>::lowest();
    }
}

// T5's bidirectional relative position buckets [lq, lk] for key - query distances, with the same
// tensor arithmetic as the references (a float32 log), so bucket boundaries agree exactly.
at::Tensor relativeBuckets(int64_t length, int64_t numBuckets, int64_t maxDistance, const c10::Device& device)
{
    const auto positions = torch::arange(length, torch::TensorOptions().dtype(at::kLong).device(device));
    auto relative = positions.unsqueeze(0) - positions.unsqueeze(1);
    const int64_t half = numBuckets / 2;
    auto buckets = (relative > 0).to(at::kLong) * half;
    relative = relative.abs();
    const int64_t maxExact = half / 2;
    auto large = maxExact
        + (at::log(relative.to(at::kFloat) / static_cast<double>(maxExact))
            / std::log(static_cast<double>(maxDistance) / static_cast<double>(maxExact))
            * static_cast<double>(half - maxExact))
              .to(at::kLong);
    large = at::clamp_max(large, half - 1);
    return buckets + at::where(relative < maxExact, relative, large);
}

struct AttentionImpl : torch::nn::Module {
    AttentionImpl(const UmT5Config& c, const at::TensorOptions& o)
    {
        const int64_t inner = c.numHeads * c.dKv;
        q = register_module("q", Weight(at::IntArrayRef { inner, c.dModel }, o));
        k = register_module("k", Weight(at::IntArrayRef { inner, c.dModel }, o));
        v = register_module("v", Weight(at::IntArrayRef { inner, c.dModel }, o));
        this->o = register_module("o", Weight(at::IntArrayRef { c.dModel, inner }, o));
    }
    Weight q { nullptr }, k { nullptr }, v { nullptr }, o { nullptr };
};
TORCH_MODULE(Attention);

struct BlockImpl : torch::nn::Module {
    BlockImpl(const UmT5Config& c, const at::TensorOptions& o)
        : config(c)
    {
        norm1 = register_module("norm1", Weight(at::IntArrayRef { c.dModel }, o));
        attn = register_module("attn", Attention(c, o));
        norm2 = register_module("norm2", Weight(at::IntArrayRef { c.dModel }, o));
        auto ffn = register_module("ffn", std::make_shared<torch::nn::Module>());
        // Wan's gate is nn.Sequential(Linear, GELU): its Linear is "gate.0".
        auto gateModule = ffn->register_module("gate", std::make_shared<torch::nn::Module>());
        gate = gateModule->register_module("0", Weight(at::IntArrayRef { c.dFf, c.dModel }, o));
        fc1 = ffn->register_module("fc1", Weight(at::IntArrayRef { c.dFf, c.dModel }, o));
        fc2 = ffn->register_module("fc2", Weight(at::IntArrayRef { c.dModel, c.dFf }, o));
        auto pos = register_module("pos_embedding", std::make_shared<torch::nn::Module>());
        bias = pos->register_module("embedding", Weight(at::IntArrayRef { c.numBuckets, c.numHeads }, o));
    }

    // x [B, L, D]; keyMask [B, 1, 1, L] additive (0 or the dtype's lowest); buckets [L, L].
    at::Tensor forward(const at::Tensor& x, const at::Tensor& keyMask, const at::Tensor& buckets)
    {
        const int64_t batch = x.size(0);
        const int64_t length = x.size(1);
        const auto heads = [&](const at::Tensor& t) {
            return t.view({ batch, length, config.numHeads, config.dKv }).transpose(1, 2);
        };
        const auto h = rmsNorm(x, norm1->weight, config.eps);
        const auto q = heads(at::linear(h, attn->q->weight));
        const auto k = heads(at::linear(h, attn->k->weight));
        const auto v = heads(at::linear(h, attn->v->weight));
        // This block's own position bias [1, H, L, L] plus the key mask; no 1/sqrt(d) scaling.
        const auto mask = at::embedding(bias->weight, buckets).permute({ 2, 0, 1 }).unsqueeze(0) + keyMask;
        auto a = at::scaled_dot_product_attention(q, k, v, mask, 0.0, false, /*scale=*/1.0);
        a = a.transpose(1, 2).reshape({ batch, length, config.numHeads * config.dKv });
        auto out = fp16Clamp(x + at::linear(a, attn->o->weight));
        // Gated GELU: the tanh-approximated GELU of gate.0 (transformers' wi_0) times fc1 (wi_1).
        const auto g = rmsNorm(out, norm2->weight, config.eps);
        const auto hidden = at::gelu(at::linear(g, gate->weight), "tanh") * at::linear(g, fc1->weight);
        return fp16Clamp(out + at::linear(hidden, fc2->weight));
    }

    UmT5Config config;
    Weight norm1 { nullptr }, norm2 { nullptr }, gate { nullptr }, fc1 { nullptr }, fc2 { nullptr };
    Weight bias { nullptr };
    Attention attn { nullptr };
};
TORCH_MODULE(Block);

} // namespace

UmT5EncoderImpl::UmT5EncoderImpl(const UmT5Config& config, const at::TensorOptions& options)
    : m_config(config)
{
    m_tokenEmbedding
        = register_module("token_embedding", Weight(at::IntArrayRef { config.vocab, config.dModel }, options))
              ->weight;
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.numLayers; ++i)
        m_blocks->push_back(Block(config, options));
    m_normWeight = register_module("norm", Weight(at::IntArrayRef { config.dModel }, options))->weight;
}

at::Tensor UmT5EncoderImpl::forward(
    const at::Tensor& ids, const at::Tensor& mask, std::vector<at::Tensor>* layerOutputs)
{
    TORCH_CHECK(ids.dim() == 2 && mask.sizes() == ids.sizes(), "umT5: ids and mask must both be [B, L]");
    const auto device = m_tokenEmbedding.device();
    const auto dtype = m_tokenEmbedding.scalar_type();
    auto x = at::embedding(m_tokenEmbedding, ids.to(device, at::kLong));
    const auto real = mask.to(device).ne(0);
    const auto keyMask
        = at::zeros({ ids.size(0), 1, 1, ids.size(1) }, x.options())
              .masked_fill(real.logical_not().view({ ids.size(0), 1, 1, ids.size(1) }), lowest(dtype));
    const auto buckets = relativeBuckets(ids.size(1), m_config.numBuckets, m_config.maxDistance, device);
    if (layerOutputs)
        layerOutputs->clear();
    for (const auto& block : *m_blocks) {
        x = block->as<BlockImpl>()->forward(x, keyMask, buckets);
        if (layerOutputs)
            layerOutputs->push_back(x);
    }
    return rmsNorm(x, m_normWeight, m_config.eps).to(at::kFloat);
}

namespace {

// transformers' per-block names (after "encoder.block.<i>.") -> Wan's (after "blocks.<i>.").
const std::pair<const char*, const char*> kBlockNames[] = {
    { "layer.0.layer_norm.", "norm1." },
    { "layer.0.SelfAttention.q.", "attn.q." },
    { "layer.0.SelfAttention.k.", "attn.k." },
    { "layer.0.SelfAttention.v.", "attn.v." },
    { "layer.0.SelfAttention.o.", "attn.o." },
    { "layer.0.SelfAttention.relative_attention_bias.", "pos_embedding.embedding." },
    { "layer.1.layer_norm.", "norm2." },
    { "layer.1.DenseReluDense.wi_0.", "ffn.gate.0." },
    { "layer.1.DenseReluDense.wi_1.", "ffn.fc1." },
    { "layer.1.DenseReluDense.wo.", "ffn.fc2." },
};

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

// transformers ties encoder.embed_tokens to shared: with both present, shared is the one read.
bool isTiedCopy(const std::string& stored, const WanWeights& weights)
{
    return stored == "encoder.embed_tokens.weight" && weights.contains("shared.weight");
}

// Original name -> the name stored in `weights`, for every umT5 tensor they hold.
std::map<std::string, std::string> storedNames(const WanWeights& weights)
{
    std::map<std::string, std::string> out;
    for (const auto& stored : weights.names())
        if (!isTiedCopy(stored, weights))
            out[umt5OriginalName(stored)] = stored;
    return out;
}

std::string whereOf(const WanWeights& weights)
{
    const auto files = weights.files();
    return files.empty() ? std::string("umT5 text encoder") : files.front().string();
}

} // namespace

std::string umt5OriginalName(const std::string& name)
{
    if (name == "shared.weight" || name == "encoder.embed_tokens.weight")
        return "token_embedding.weight";
    if (startsWith(name, "encoder.final_layer_norm."))
        return "norm." + name.substr(std::string("encoder.final_layer_norm.").size());
    const std::string block = "encoder.block.";
    if (!startsWith(name, block))
        return name;
    const auto dot = name.find('.', block.size());
    if (dot == std::string::npos)
        return name;
    const std::string index = name.substr(block.size(), dot - block.size());
    const std::string rest = name.substr(dot + 1);
    for (const auto& [hf, wan] : kBlockNames)
        if (startsWith(rest, hf))
            return "blocks." + index + "." + wan + rest.substr(std::string(hf).size());
    return name;
}

bool isUmT5Tensor(const std::string& originalName)
{
    for (const char* prefix : { "token_embedding.", "blocks.", "norm.", "shared.", "encoder." })
        if (startsWith(originalName, prefix))
            return true;
    return false;
}

UmT5Config UmT5Config::fromWeights(const WanWeights& weights, std::optional<int64_t> numHeads)
{
    const auto names = storedNames(weights);
    const auto shape = [&](const std::string& original) {
        const auto it = names.find(original);
        return it == names.end() ? std::vector<int64_t>() : weights.shape(it->second);
    };
    UmT5Config c;
    const auto embedding = shape("token_embedding.weight");
    const auto q = shape("blocks.0.attn.q.weight");
    const auto gate = shape("blocks.0.ffn.gate.0.weight");
    const auto bias = shape("blocks.0.pos_embedding.embedding.weight");
    std::vector<std::string> problems;
    if (embedding.size() != 2)
        problems.push_back("no umT5 token embedding (token_embedding.weight or shared.weight)");
    if (q.size() != 2 || gate.size() != 2 || bias.size() != 2)
        problems.push_back("no umT5 block 0 (blocks.0.attn.q, blocks.0.ffn.gate.0 and "
                           "blocks.0.pos_embedding.embedding weights, or transformers' names for them)");
    if (!problems.empty())
        throw ModelPackError(whereOf(weights), problems);
    c.vocab = embedding[0];
    c.dModel = embedding[1];
    c.dFf = gate[0];
    c.numBuckets = bias[0];
    c.numHeads = bias[1];
    if (numHeads && *numHeads != c.numHeads)
        problems.push_back("the configuration says " + std::to_string(*numHeads)
            + " heads, the position bias tables have " + std::to_string(c.numHeads));
    if (c.numHeads <= 0 || q[0] % c.numHeads != 0)
        problems.push_back("the attention width " + std::to_string(q[0]) + " does not divide into "
            + std::to_string(c.numHeads) + " heads");
    else
        c.dKv = q[0] / c.numHeads;
    c.numLayers = 0;
    for (const auto& [original, stored] : names) {
        if (!startsWith(original, "blocks."))
            continue;
        const auto index = original.substr(7, original.find('.', 7) - 7);
        if (!index.empty() && index.find_first_not_of("0123456789") == std::string::npos)
            c.numLayers = std::max<int64_t>(c.numLayers, std::stoll(index) + 1);
    }
    if (!problems.empty())
        throw ModelPackError(whereOf(weights), problems);
    return c;
}

UmT5Encoder loadUmT5(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype,
    std::optional<int64_t> numHeads)
{
    const auto config = UmT5Config::fromWeights(weights, numHeads);
    UmT5Encoder encoder(config, torch::TensorOptions().dtype(dtype).device(device));
    const auto names = storedNames(weights);
    loadModuleWeights(
        *encoder, weights,
        [&](const std::string& ours) {
            const auto it = names.find(ours);
            return it == names.end() ? ours : it->second;
        },
        [&](const std::string& stored) {
            return !isTiedCopy(stored, weights) && isUmT5Tensor(umt5OriginalName(stored));
        },
        "umT5 text encoder (" + whereOf(weights) + ")");
    encoder->eval();
    return encoder;
}

std::vector<at::Tensor> encodePrompts(
    UmT5Encoder& encoder, const WanTokenizer& tokenizer, const std::vector<std::string>& prompts, int textLen)
{
    torch::NoGradGuard noGrad;
    const auto batch = static_cast<int64_t>(prompts.size());
    if (batch == 0)
        return {};
    auto ids = torch::zeros({ batch, textLen }, torch::kLong); // pad id 0
    auto mask = torch::zeros({ batch, textLen }, torch::kLong);
    std::vector<int64_t> lengths;
    for (int64_t b = 0; b < batch; ++b) {
        const auto tokens = tokenizer.encode(prompts[static_cast<size_t>(b)], textLen);
        const auto len = static_cast<int64_t>(tokens.size());
        ids[b].narrow(0, 0, len).copy_(torch::tensor(tokens, torch::kLong));
        mask[b].narrow(0, 0, len).fill_(1);
        lengths.push_back(len);
    }
    const auto hidden = encoder->forward(ids, mask);
    std::vector<at::Tensor> out;
    for (int64_t b = 0; b < batch; ++b)
        out.push_back(hidden[b].narrow(0, 0, lengths[static_cast<size_t>(b)]).clone());
    return out;
}

} // namespace kinora::inference::wan
