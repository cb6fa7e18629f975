// Parity of the native Wan 2.1 DiT with diffusers' WanTransformer3DModel, on the tiny random model
// scripts/wan_fixtures/make_dit.py wrote (2 heads of 16 channels, 2 blocks, a 3x4x6 token grid, 7
// context rows zero-padded to 512, timesteps 999 / 500 / 1).

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/wan_dit.h"

#include "../../support/parity.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

namespace fs = std::filesystem;
using namespace kinora::inference;
using namespace kinora::inference::wan;
using kinora::test::expectParity;

namespace {

const fs::path kFixtures = KINORA_WAN_FIXTURES;
constexpr int64_t kHeads = 2; // the fixture's num_attention_heads (head dim 16, not Wan's 128)
const int kTimesteps[] = { 999, 500, 1 };

WanWeights fixtureWeights(const std::string& naming)
{
    return WanWeights::open({ kFixtures / ("dit_" + naming + ".safetensors") });
}

const SafetensorsFile& reference()
{
    static const SafetensorsFile file(kFixtures / "dit.safetensors");
    return file;
}

at::Tensor fixture(const std::string& name)
{
    return reference().tensor(name).to(at::kFloat);
}

class ScratchDir {
public:
    ScratchDir()
    {
        std::random_device entropy;
        m_path = fs::temp_directory_path()
            / ("kinora-wan-dit-" + std::to_string(::getpid()) + "-" + std::to_string(entropy()));
        fs::create_directories(m_path);
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

} // namespace

TEST(WanDit, ConfigFromShapes)
{
    const auto config = DitConfig::fromWeights(fixtureWeights("original"), kHeads);
    EXPECT_EQ(config.dim, 32);
    EXPECT_EQ(config.numHeads, 2);
    EXPECT_EQ(config.headDim(), 16);
    EXPECT_EQ(config.ffnDim, 64);
    EXPECT_EQ(config.freqDim, 256);
    EXPECT_EQ(config.textDim, 32);
    EXPECT_EQ(config.inDim, 16);
    EXPECT_EQ(config.outDim, 16);
    EXPECT_EQ(config.numLayers, 2);
    EXPECT_EQ(config.patch, (std::array<int64_t, 3> { 1, 2, 2 }));
    EXPECT_TRUE(config.crossAttnNorm);
    const auto diffusers = DitConfig::fromWeights(fixtureWeights("diffusers"), kHeads);
    EXPECT_EQ(diffusers.numLayers, 2);
    EXPECT_TRUE(diffusers.crossAttnNorm);
    // Width 32 does not split into Wan's 128-channel heads: the head count must be given.
    EXPECT_THROW(DitConfig::fromWeights(fixtureWeights("original")), ModelPackError);
}

TEST(WanDit, DiffusersNamesMapToOriginal)
{
    EXPECT_EQ(ditOriginalName("scale_shift_table"), "head.modulation");
    EXPECT_EQ(ditOriginalName("blocks.7.scale_shift_table"), "blocks.7.modulation");
    EXPECT_EQ(ditOriginalName("blocks.7.norm2.bias"), "blocks.7.norm3.bias");
    EXPECT_EQ(ditOriginalName("blocks.0.attn1.to_out.0.weight"), "blocks.0.self_attn.o.weight");
    EXPECT_EQ(ditOriginalName("blocks.0.attn2.norm_k.weight"), "blocks.0.cross_attn.norm_k.weight");
    EXPECT_EQ(ditOriginalName("blocks.0.ffn.net.0.proj.bias"), "blocks.0.ffn.0.bias");
    EXPECT_EQ(ditOriginalName("condition_embedder.time_proj.weight"), "time_projection.1.weight");
    EXPECT_EQ(ditOriginalName("proj_out.bias"), "head.head.bias");
    EXPECT_EQ(ditOriginalName("blocks.3.norm3.weight"), "blocks.3.norm3.weight"); // original: unchanged
    EXPECT_TRUE(isDitTensor("blocks.0.self_attn.q.weight"));
    EXPECT_TRUE(isDitTensor("img_emb.proj.1.weight")); // an I2V tensor is reported, not ignored
    EXPECT_FALSE(isDitTensor("encoder.conv1.weight"));
    // Both fixture files hold the same names once mapped.
    auto diffusers = fixtureWeights("diffusers").names();
    for (auto& name : diffusers)
        name = ditOriginalName(name);
    std::sort(diffusers.begin(), diffusers.end());
    EXPECT_EQ(diffusers, fixtureWeights("original").names());
}

TEST(WanDit, EveryIntermediateMatchesDiffusersFp32)
{
    torch::NoGradGuard noGrad;
    auto dit = loadWanDit(fixtureWeights("original"), c10::kCPU, at::kFloat, kHeads);
    const auto latent = fixture("latent");
    const auto context = fixture("context"); // the 7 real rows; the model pads to 512
    for (const int step : kTimesteps) {
        DitTrace trace;
        const auto out = dit->forward(latent, torch::tensor({ float(step) }), context, &trace);
        const std::string t = "t" + std::to_string(step) + ".";
        if (step == kTimesteps[0]) { // the timestep-independent ones are stored once
            expectParity("rope_cos", trace.ropeCos, fixture("rope_cos"));
            expectParity("rope_sin", trace.ropeSin, fixture("rope_sin"));
            expectParity("text_embedding", trace.textEmbedding, fixture("text_embedding"));
            expectParity("patch_tokens", trace.patchTokens, fixture("patch_tokens"));
        }
        expectParity(t + "time_sinusoid", trace.timeSinusoid, fixture(t + "time_sinusoid"));
        expectParity(t + "time_embedding", trace.timeEmbedding, fixture(t + "time_embedding"));
        expectParity(t + "time_projection", trace.timeProjection, fixture(t + "time_projection"));
        ASSERT_EQ(trace.blocks.size(), 2u);
        for (size_t i = 0; i < trace.blocks.size(); ++i)
            expectParity(t + "blocks." + std::to_string(i), trace.blocks[i],
                fixture(t + "blocks." + std::to_string(i)));
        expectParity(t + "head", trace.head, fixture(t + "head"));
        expectParity(t + "output", out, fixture(t + "output"));
        EXPECT_EQ(out.scalar_type(), at::kFloat);
    }
}

TEST(WanDit, BatchesSamplesWithTheirOwnTimestepsAndContexts)
{
    // Classifier-free guidance runs the prompt and the negative prompt as one batch: each sample
    // must get its own timestep and text, and equal what it gives alone.
    torch::NoGradGuard noGrad;
    auto dit = loadWanDit(fixtureWeights("original"), c10::kCPU, at::kFloat, kHeads);
    const auto latent = fixture("latent"), context = fixture("context");
    const auto other = torch::zeros_like(context); // an empty prompt's rows
    const auto both = dit->forward(
        at::cat({ latent, latent }), torch::tensor({ 999.0f, 1.0f }), at::cat({ context, other }));
    expectParity("batch[0] t999", both.slice(0, 0, 1), fixture("t999.output"));
    expectParity("batch[1] alone", both.slice(0, 1, 2), dit->forward(latent, torch::tensor({ 1.0f }), other));
}

TEST(WanDit, BothNamingsLoadTheSameModel)
{
    torch::NoGradGuard noGrad;
    auto original = loadWanDit(fixtureWeights("original"), c10::kCPU, at::kFloat, kHeads);
    auto diffusers = loadWanDit(fixtureWeights("diffusers"), c10::kCPU, at::kFloat, kHeads);
    const auto a = original->named_parameters();
    const auto b = diffusers->named_parameters();
    ASSERT_EQ(a.size(), b.size());
    for (const auto& item : a)
        EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();
    const auto latent = fixture("latent"), context = fixture("context");
    const auto t = torch::tensor({ 500.0f });
    EXPECT_TRUE(torch::equal(original->forward(latent, t, context), diffusers->forward(latent, t, context)));
}

TEST(WanDit, ReportsMissingAndMisshapedTensorsTogether)
{
    const auto file = SafetensorsFile(kFixtures / "dit_original.safetensors");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& name : file.names())
        tensors[name] = file.tensor(name).clone();
    tensors.erase("blocks.1.self_attn.q.weight");
    tensors["blocks.0.ffn.2.bias"] = torch::zeros({ 33 });
    tensors["blocks.0.img_emb_stray.weight"] = torch::zeros({ 2 });
    ScratchDir dir;
    saveSafetensors(dir / "broken.safetensors", tensors);
    try {
        loadWanDit(WanWeights::open({ dir / "broken.safetensors" }), c10::kCPU, at::kFloat, kHeads);
        FAIL() << "a broken checkpoint loaded";
    } catch (const ModelPackError& e) {
        const auto& problems = e.problems();
        const auto mentions = [&](const std::string& text) {
            return std::any_of(problems.begin(), problems.end(),
                [&](const std::string& p) { return p.find(text) != std::string::npos; });
        };
        EXPECT_EQ(problems.size(), 3u) << e.what();
        EXPECT_TRUE(mentions("missing blocks.1.self_attn.q.weight")) << e.what();
        EXPECT_TRUE(mentions("blocks.0.ffn.2.bias is [33], expected [32]")) << e.what();
        EXPECT_TRUE(mentions("unexpected blocks.0.img_emb_stray.weight")) << e.what();
    }
}

TEST(WanDit, Bf16MatchesDiffusersBf16AndStaysCloseToFp32)
{
    torch::NoGradGuard noGrad;
    const auto weights = fixtureWeights("diffusers");
    auto full = loadWanDit(weights, c10::kCPU, at::kFloat, kHeads);
    auto half = loadWanDit(weights, c10::kCPU, at::kBFloat16, kHeads);
    // The layers run in bf16, while the time embedding, modulation and norm3 stay fp32 as in diffusers.
    EXPECT_EQ(half->dtype(), at::kBFloat16);
    EXPECT_EQ(half->timeEmbedding->fc0->weight.scalar_type(), at::kFloat);
    EXPECT_EQ(half->head->modulation.scalar_type(), at::kFloat);
    EXPECT_EQ(half->blocks[0]->as<WanDitBlockImpl>()->norm3Weight.scalar_type(), at::kFloat);
    const auto latent = fixture("latent"), context = fixture("context");
    // Against diffusers' own bf16 run (from_pretrained's fp32 modules): the same operations in the
    // same precisions (bit-exact here; kernels on another CPU may accumulate bf16 in another order).
    const auto t500 = torch::tensor({ 500.0f });
    expectParity(
        "bf16 vs diffusers bf16", half->forward(latent, t500, context), fixture("bf16.t500.output"), 2e-3);
    for (const int step : kTimesteps) {
        const auto t = torch::tensor({ float(step) });
        const auto a = half->forward(latent, t, context);
        EXPECT_EQ(a.scalar_type(), at::kFloat);
        expectParity("bf16 vs fp32 t" + std::to_string(step), a, full->forward(latent, t, context), 3e-2);
    }
}
