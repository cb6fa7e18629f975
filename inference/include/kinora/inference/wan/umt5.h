#pragma once
// umT5-XXL's encoder, Wan 2.1's text encoder (Wan's t5.py T5Encoder; transformers'
// UMT5EncoderModel): token embedding, pre-norm blocks of self-attention with a relative position
// bias of each block's own (no 1/sqrt(d) scaling) and a gated-GELU feed-forward, a final RMS norm.
// Parameters carry Wan's original names; umt5OriginalName maps transformers' names onto them, so
// the Wan .pth-derived files and the Diffusers / ComfyUI ones load alike.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <optional>
#include <string>
#include <vector>

namespace kinora::inference::wan {

class WanWeights;
class WanTokenizer;

struct UmT5Config {
    int64_t vocab = 256384;
    int64_t dModel = 4096;
    int64_t dKv = 64;
    int64_t dFf = 10240;
    int64_t numLayers = 24;
    int64_t numHeads = 64;
    int64_t numBuckets = 32;
    int64_t maxDistance = 128; // not in the weights: umT5's value
    double eps = 1e-6;

    // From the tensor shapes (either naming). The number of heads is the relative position bias
    // table's width ([numBuckets, numHeads] in every block), and dKv = inner dim / heads; a
    // `numHeads` given (e.g. from a config.json) must agree with it. Throws ModelPackError when
    // the weights hold no umT5 encoder or its shapes disagree with each other.
    static UmT5Config fromWeights(const WanWeights& weights, std::optional<int64_t> numHeads = {});
};

class UmT5EncoderImpl : public torch::nn::Module {
public:
    // The parameters are allocated with `options` (dtype, device) but not initialised: load them
    // (loadUmT5 does). Allocating in place spares a random fp32 copy of 5.7 B parameters.
    explicit UmT5EncoderImpl(const UmT5Config& config, const at::TensorOptions& options = {});

    // ids [B, L] int64 (pad 0), mask [B, L] (nonzero for real tokens) -> hidden states [B, L,
    // dModel] float32 after the final norm. Pad positions are computed too (they attend to the
    // real tokens only); callers trim them. layerOutputs, if given, receives each block's output
    // (before the final norm) in the module's dtype.
    at::Tensor forward(
        const at::Tensor& ids, const at::Tensor& mask, std::vector<at::Tensor>* layerOutputs = nullptr);

    const UmT5Config& config() const { return m_config; }

private:
    UmT5Config m_config;
    at::Tensor m_tokenEmbedding; // "token_embedding.weight"
    torch::nn::ModuleList m_blocks; // "blocks"
    at::Tensor m_normWeight; // "norm.weight"
};
TORCH_MODULE(UmT5Encoder);

// transformers' UMT5EncoderModel name -> Wan's original name (shared.weight and its tied copy
// encoder.embed_tokens.weight -> token_embedding.weight, encoder.block.i.layer.0.SelfAttention.q
// -> blocks.i.attn.q, ...). Original names and unknown names come back unchanged.
std::string umt5OriginalName(const std::string& name);
// Whether a tensor (named originally, i.e. after umt5OriginalName) belongs to the umT5 encoder:
// token_embedding.*, blocks.*, norm.*, and, so that a stray one is reported, any unmapped name in
// transformers' encoder layout (shared.*, encoder.*). A decoder, lm_head or ComfyUI's
// spiece_model tensor is not.
bool isUmT5Tensor(const std::string& originalName);

// The encoder of `weights` (either naming; its config from the shapes, see UmT5Config), its
// parameters allocated on `device` in `dtype` and each tensor cast as it is copied. Every missing,
// mis-shaped or unexpected tensor is reported at once (ModelPackError).
UmT5Encoder loadUmT5(const WanWeights& weights, const c10::Device& device, c10::ScalarType dtype,
    std::optional<int64_t> numHeads = {});

// What Wan feeds the DiT (t5.py T5EncoderModel.__call__, diffusers' _get_t5_prompt_embeds): each
// prompt tokenised (WanTokenizer::encode, at most textLen ids with EOS), zero-padded to textLen,
// encoded with the key mask, then trimmed to its real length (EOS included): one [len_i, dModel]
// float32 tensor per prompt, on the encoder's device. Padding back to 512 is the DiT's.
std::vector<at::Tensor> encodePrompts(UmT5Encoder& encoder, const WanTokenizer& tokenizer,
    const std::vector<std::string>& prompts, int textLen = 512);

} // namespace kinora::inference::wan
