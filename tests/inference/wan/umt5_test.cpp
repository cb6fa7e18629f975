// umT5 encoder parity with transformers' UMT5EncoderModel (scripts/wan_fixtures/make_umt5.py): a
// tiny random encoder with umT5's layout (3 blocks, each with its own relative position table,
// gated GELU, an attention width unlike d_model), three prompts of 300, 20 and 7 real tokens padded
// to 512, every block's output and the trimmed results.

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/umt5.h"
#include "kinora/inference/wan/wan_tokenizer.h"
#include "kinora/inference/wan/wan_weights.h"

#include "../../support/parity.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace kinora::inference;
using namespace kinora::inference::wan;
using kinora::test::expectParity;
using kinora::test::parityError;

const std::filesystem::path kFixtures = KINORA_WAN_FIXTURES;

struct Fixture {
    SafetensorsFile file { kFixtures / "umt5.safetensors" };
    at::Tensor get(const std::string& name) const { return file.load(name); }
};

UmT5Encoder load(const std::string& naming, c10::ScalarType dtype = at::kFloat)
{
    const auto weights = WanWeights::open({ kFixtures / ("umt5_weights_" + naming + ".safetensors") });
    return loadUmT5(weights, c10::Device(c10::kCPU), dtype);
}

TEST(UmT5, ConfigFromTheShapesOfEitherNaming)
{
    for (const std::string naming : { "hf", "wan" }) {
        const auto weights = WanWeights::open({ kFixtures / ("umt5_weights_" + naming + ".safetensors") });
        const auto c = UmT5Config::fromWeights(weights);
        EXPECT_EQ(c.vocab, 881) << naming;
        EXPECT_EQ(c.dModel, 16) << naming;
        EXPECT_EQ(c.numHeads, 4) << naming;
        EXPECT_EQ(c.dKv, 8) << naming;
        EXPECT_EQ(c.dFf, 48) << naming;
        EXPECT_EQ(c.numLayers, 3) << naming;
        EXPECT_EQ(c.numBuckets, 32) << naming;
        EXPECT_EQ(c.maxDistance, 128) << naming;
        EXPECT_THROW(UmT5Config::fromWeights(weights, 8), ModelPackError) << naming;
    }
}

TEST(UmT5, TransformersNamesMapOntoWans)
{
    EXPECT_EQ(umt5OriginalName("shared.weight"), "token_embedding.weight");
    EXPECT_EQ(umt5OriginalName("encoder.embed_tokens.weight"), "token_embedding.weight");
    EXPECT_EQ(umt5OriginalName("encoder.final_layer_norm.weight"), "norm.weight");
    EXPECT_EQ(umt5OriginalName("encoder.block.11.layer.0.SelfAttention.relative_attention_bias.weight"),
        "blocks.11.pos_embedding.embedding.weight");
    EXPECT_EQ(
        umt5OriginalName("encoder.block.0.layer.1.DenseReluDense.wi_0.weight"), "blocks.0.ffn.gate.0.weight");
    EXPECT_EQ(
        umt5OriginalName("encoder.block.0.layer.1.DenseReluDense.wi_1.weight"), "blocks.0.ffn.fc1.weight");
    EXPECT_EQ(
        umt5OriginalName("encoder.block.0.layer.1.DenseReluDense.wo.weight"), "blocks.0.ffn.fc2.weight");
    EXPECT_EQ(umt5OriginalName("blocks.3.attn.q.weight"), "blocks.3.attn.q.weight");
    EXPECT_TRUE(isUmT5Tensor("blocks.3.attn.q.weight"));
    EXPECT_TRUE(isUmT5Tensor("encoder.block.0.layer.2.unknown.weight")); // reported, not ignored
    EXPECT_FALSE(isUmT5Tensor("decoder.block.0.layer.0.SelfAttention.q.weight"));
    EXPECT_FALSE(isUmT5Tensor("lm_head.weight"));
    EXPECT_FALSE(isUmT5Tensor(kEmbeddedSpieceModel));
}

TEST(UmT5, EveryBlockMatchesTransformers)
{
    torch::NoGradGuard noGrad;
    const Fixture f;
    auto encoder = load("hf");
    std::vector<at::Tensor> layers;
    const auto out = encoder->forward(f.get("ids"), f.get("mask"), &layers);
    ASSERT_EQ(layers.size(), 3u);
    for (size_t i = 0; i < layers.size(); ++i)
        expectParity("block" + std::to_string(i), layers[i], f.get("layer" + std::to_string(i)));
    // The pad rows too: they are the reference's as well (and where the capped buckets act).
    expectParity("final", out, f.get("final"));
    EXPECT_EQ(out.scalar_type(), at::kFloat);
    const auto lengths = f.get("mask").sum(1);
    for (int64_t b = 0; b < 3; ++b) {
        const auto n = lengths[b].item<int64_t>();
        expectParity(
            "trimmed" + std::to_string(b), out[b].narrow(0, 0, n), f.get("trimmed" + std::to_string(b)));
    }
}

TEST(UmT5, BothNamingsGiveIdenticalResults)
{
    torch::NoGradGuard noGrad;
    const Fixture f;
    auto hf = load("hf");
    auto wan = load("wan");
    EXPECT_TRUE(
        torch::equal(hf->forward(f.get("ids"), f.get("mask")), wan->forward(f.get("ids"), f.get("mask"))));
}

TEST(UmT5, Bfloat16StaysNearTheReference)
{
    torch::NoGradGuard noGrad;
    const Fixture f;
    auto encoder = load("wan", at::kBFloat16);
    std::vector<at::Tensor> layers;
    const auto out = encoder->forward(f.get("ids"), f.get("mask"), &layers);
    EXPECT_EQ(layers.front().scalar_type(), at::kBFloat16);
    EXPECT_EQ(out.scalar_type(), at::kFloat);
    const auto e = parityError(out, f.get("final"));
    std::cerr << "umT5 bf16 final: max abs " << e.maxAbs << ", relative " << e.relative << "\n";
    EXPECT_LT(e.relative, 5e-2);
}

TEST(UmT5, ReportsEveryMissingAndUnexpectedTensor)
{
    const auto source = SafetensorsFile(kFixtures / "umt5_weights_wan.safetensors");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& name : source.names())
        tensors[name] = source.load(name);
    tensors.erase("blocks.1.attn.k.weight");
    tensors.erase("blocks.2.ffn.fc2.weight");
    tensors["blocks.0.attn.extra.weight"] = torch::zeros({ 2 });
    tensors["lm_head.weight"] = torch::zeros({ 2 }); // not the encoder's: ignored
    const auto path = std::filesystem::temp_directory_path() / "kinora_umt5_broken.safetensors";
    saveSafetensors(path, tensors);
    try {
        loadUmT5(WanWeights::open({ path }), c10::Device(c10::kCPU), at::kFloat);
        ADD_FAILURE() << "a broken umT5 loaded";
    } catch (const ModelPackError& e) {
        const std::string text = e.what();
        EXPECT_NE(text.find("blocks.1.attn.k.weight"), std::string::npos) << text;
        EXPECT_NE(text.find("blocks.2.ffn.fc2.weight"), std::string::npos) << text;
        EXPECT_NE(text.find("blocks.0.attn.extra.weight"), std::string::npos) << text;
        EXPECT_EQ(text.find("lm_head"), std::string::npos) << text;
    }
    std::filesystem::remove(path);
}

TEST(UmT5, EncodePromptsTokenisesPadsEncodesAndTrims)
{
    if (!WanTokenizer::available())
        GTEST_SKIP() << "this build has no SentencePiece";
    torch::NoGradGuard noGrad;
    const Fixture f;
    const auto prompts
        = nlohmann::json::parse(f.file.metadata().at("prompts")).get<std::vector<std::string>>();
    ASSERT_EQ(prompts.size(), 2u);
    auto encoder = load("hf");
    const auto tokenizer = WanTokenizer::fromFile(kFixtures / "umt5_tokenizer.model");
    const auto out = encodePrompts(encoder, tokenizer, prompts, 512);
    ASSERT_EQ(out.size(), 2u);
    for (size_t i = 0; i < out.size(); ++i) {
        const auto name = "prompt" + std::to_string(i);
        const auto ids = f.get(name + ".ids");
        EXPECT_EQ(out[i].size(0), ids.size(0)) << "trimmed to the real length, EOS included";
        const auto ours = tokenizer.encode(prompts[i], 512);
        EXPECT_TRUE(torch::equal(torch::tensor(ours, torch::kLong), ids)) << name;
        expectParity(name + ".trimmed", out[i], f.get(name + ".trimmed"));
    }
    EXPECT_TRUE(encodePrompts(encoder, tokenizer, {}, 512).empty());
}

} // namespace
