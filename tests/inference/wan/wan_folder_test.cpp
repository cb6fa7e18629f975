// Recognising Wan 2.1 folders as users download them, from the tensors inside: the Diffusers
// layout (sharded, with an index and config.json), the single-file repacks (a name prefix, the
// tokenizer embedded), and every problem a folder can have, listed at once.

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/wan_folder.h"

#include "../../support/problems.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
namespace inf = kinora::inference;
namespace wan = kinora::inference::wan;
using kinora::test::mentions;

namespace {

class WanFolderTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("kinora-wan-folder-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    void write(const fs::path& relative, const inf::NamedTensors& tensors)
    {
        fs::create_directories((m_dir / relative).parent_path());
        inf::saveSafetensors(m_dir / relative, tensors);
    }
    void writeText(const fs::path& relative, const std::string& text)
    {
        fs::create_directories((m_dir / relative).parent_path());
        std::ofstream(m_dir / relative) << text;
    }

    // A DiT's identifying tensors: dim 24, 16 input channels, two blocks, text dim 8.
    static inf::NamedTensors dit(const std::string& prefix, bool diffusers, int64_t inChannels = 16)
    {
        const auto z = [](std::vector<int64_t> shape) { return torch::zeros(shape, torch::kBFloat16); };
        inf::NamedTensors t { { prefix + "patch_embedding.weight", z({ 24, inChannels, 1, 2, 2 }) } };
        for (int b = 0; b < 2; ++b)
            t.push_back({ prefix + "blocks." + std::to_string(b)
                    + (diffusers ? ".attn1.to_q.weight" : ".self_attn.q.weight"),
                z({ 24, 24 }) });
        t.push_back({ prefix
                + (diffusers ? "condition_embedder.text_embedder.linear_1.weight"
                             : "text_embedding.0.weight"),
            z({ 24, 8 }) });
        return t;
    }
    static inf::NamedTensors vae(bool diffusers, int64_t z = 16)
    {
        return { { diffusers ? "encoder.conv_in.weight" : "encoder.conv1.weight",
                     torch::zeros({ 4, 3, 3, 3, 3 }) },
            { diffusers ? "encoder.conv_out.weight" : "encoder.head.2.weight",
                torch::zeros({ 2 * z, 4, 3, 3, 3 }) } };
    }
    static inf::NamedTensors umt5(bool hf, bool embedTokenizer = false)
    {
        inf::NamedTensors t { { hf ? "encoder.block.0.layer.0.SelfAttention.q.weight"
                                   : "blocks.0.attn.q.weight",
            torch::zeros({ 8, 8 }, torch::kHalf) } };
        if (embedTokenizer)
            t.push_back({ "spiece_model", torch::zeros({ 16 }, torch::kUInt8) });
        return t;
    }

    // Wan-AI/Wan2.1-T2V-1.3B-Diffusers as downloaded: the DiT in two shards with an index.
    void writeDiffusersFolder()
    {
        auto tensors = dit("", true);
        write("transformer/diffusion_pytorch_model-00001-of-00002.safetensors", { tensors[0], tensors[1] });
        write("transformer/diffusion_pytorch_model-00002-of-00002.safetensors", { tensors[2], tensors[3] });
        std::string index = R"({"metadata": {}, "weight_map": {)";
        for (size_t i = 0; i < tensors.size(); ++i)
            index += (i ? ", \"" : "\"") + tensors[i].first + "\": \"diffusion_pytorch_model-0000"
                + (i < 2 ? "1" : "2") + "-of-00002.safetensors\"";
        writeText("transformer/diffusion_pytorch_model.safetensors.index.json", index + "}}");
        writeText("transformer/config.json", R"({"num_attention_heads": 3, "attention_head_dim": 8})");
        write("vae/diffusion_pytorch_model.safetensors", vae(true));
        write("text_encoder/model.safetensors", umt5(true));
        writeText("tokenizer/spiece.model", "not parsed while scanning");
    }

    fs::path m_dir;
};

TEST_F(WanFolderTest, RecognisesTheDiffusersLayoutByItsTensors)
{
    writeDiffusersFolder();
    ASSERT_TRUE(wan::looksLikeWanFolder(m_dir));
    const auto folder = wan::scanWanFolder(m_dir);
    EXPECT_EQ(folder.dit.file, fs::path("transformer/diffusion_pytorch_model.safetensors.index.json"));
    EXPECT_EQ(folder.dit.naming, "diffusers");
    EXPECT_EQ(folder.dit.dtype, "BF16");
    EXPECT_EQ(folder.ditDim, 24);
    EXPECT_EQ(folder.ditLayers, 2);
    EXPECT_EQ(folder.ditInChannels, 16);
    EXPECT_EQ(folder.ditTextDim, 8);
    EXPECT_EQ(folder.ditHeads, std::optional<int64_t>(3));
    EXPECT_EQ(folder.size(), "custom");
    EXPECT_EQ(folder.vae.file, fs::path("vae/diffusion_pytorch_model.safetensors"));
    EXPECT_EQ(folder.vae.naming, "diffusers");
    EXPECT_EQ(folder.textEncoder.naming, "diffusers");
    EXPECT_EQ(folder.tokenizer, fs::path("tokenizer/spiece.model"));
}

TEST_F(WanFolderTest, AFolderWithoutAManifestLoadsAsAWanPackAndItsManifestRoundTrips)
{
    writeDiffusersFolder();
    EXPECT_TRUE(inf::isModelPackFolder(m_dir));
    const auto manifest = inf::loadModelManifest(m_dir);
    EXPECT_EQ(manifest.family, wan::kWanFamily);
    EXPECT_EQ(
        manifest.components.at("denoiser"), "transformer/diffusion_pytorch_model.safetensors.index.json");
    EXPECT_EQ(manifest.components.at("tokenizer"), "tokenizer/spiece.model");
    EXPECT_EQ(manifest.temporalCompression, 4);
    EXPECT_EQ(manifest.defaults.frames, 81);
    EXPECT_EQ(manifest.defaults.sampler, "unipc");
    EXPECT_EQ(manifest.latentToRgb.size(), 16u);

    // Written out (kinora-cli info --write-manifest) it reads back the same.
    std::ofstream(m_dir / inf::kManifestFileName) << manifest.toJson();
    const auto again = inf::loadModelManifest(m_dir);
    EXPECT_EQ(again.toJson(), manifest.toJson());
}

TEST_F(WanFolderTest, RecognisesSingleFileRepacksWithAPrefixAndAnEmbeddedTokenizer)
{
    write("split_files/diffusion_models/wan2.1_t2v_1.3B_bf16.safetensors",
        dit("model.diffusion_model.", false));
    write("split_files/vae/wan_2.1_vae.safetensors", vae(false));
    write("split_files/text_encoders/umt5_xxl_fp16.safetensors", umt5(true, true));
    const auto folder = wan::scanWanFolder(m_dir);
    EXPECT_EQ(folder.dit.prefix, "model.diffusion_model.");
    EXPECT_EQ(folder.dit.naming, "original");
    EXPECT_EQ(folder.vae.naming, "original");
    EXPECT_EQ(folder.textEncoder.dtype, "F16");
    EXPECT_TRUE(folder.tokenizer.empty());
    EXPECT_FALSE(folder.ditHeads.has_value());
    EXPECT_EQ(wan::wanManifest(folder).components.count("tokenizer"), 0u);
}

TEST_F(WanFolderTest, ListsEveryProblemAtOnceAndNamesTheSafetensorsToGetForAPickle)
{
    write("wan2.1_t2v_1.3B_bf16.safetensors", dit("", false));
    write("second_dit.safetensors", dit("", true));
    writeText("Wan2.1_VAE.pth", "pickle");
    writeText("models_t5_umt5-xxl-enc-bf16.pth", "pickle");
    EXPECT_TRUE(wan::looksLikeWanFolder(m_dir));
    try {
        wan::scanWanFolder(m_dir);
        FAIL() << "scanned";
    } catch (const inf::ModelPackError& e) {
        EXPECT_EQ(e.problems().size(), 3u) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "more than one Wan 2.1 DiT")) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "Wan2.1_VAE.pth is a PyTorch pickle")) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "wan_2.1_vae.safetensors")) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "models_t5_umt5-xxl-enc-bf16.pth is a PyTorch pickle"))
            << e.what();
        EXPECT_TRUE(mentions(e.problems(), "umt5_xxl_fp16.safetensors")) << e.what();
    }
}

TEST_F(WanFolderTest, RefusesImageToVideoModelsWan22VaesAndAMissingTokenizer)
{
    write("transformer/i2v.safetensors", dit("", false, 36));
    write("vae/wan2.2_vae.safetensors", vae(false, 48));
    write("text_encoder/umt5.safetensors", umt5(false));
    try {
        wan::scanWanFolder(m_dir);
        FAIL() << "scanned";
    } catch (const inf::ModelPackError& e) {
        EXPECT_EQ(e.problems().size(), 3u) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "image-to-video")) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "Wan 2.2")) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "spiece.model")) << e.what();
    }
}

TEST_F(WanFolderTest, AFolderOfOtherThingsIsNotAWanFolder)
{
    write("weights.safetensors", { { "unet.conv_in.weight", torch::zeros({ 4 }) } });
    writeText("notes.txt", "hello");
    EXPECT_FALSE(wan::looksLikeWanFolder(m_dir));
    EXPECT_FALSE(inf::isModelPackFolder(m_dir));
    try {
        inf::loadModelManifest(m_dir);
        FAIL() << "loaded";
    } catch (const inf::ModelPackError& e) {
        EXPECT_TRUE(mentions(e.problems(), "no kinora-model.json")) << e.what();
    }
}

TEST(WanManifest, ComponentPathsStayInsideThePackAndNeverNameAPickle)
{
    auto manifest = wan::wanManifest(wan::WanFolder {});
    manifest.components = { { "denoiser", "../elsewhere/dit.safetensors" }, { "vae", "vae/Wan2.1_VAE.pth" },
        { "text_encoder", "text_encoder/model.safetensors.index.json" } };
    try {
        inf::parseModelManifest(manifest.toJson(), "kinora-model.json");
        FAIL() << "parsed";
    } catch (const inf::ModelPackError& e) {
        EXPECT_EQ(e.problems().size(), 2u) << e.what();
        EXPECT_TRUE(mentions(e.problems(), "components.denoiser must name a file inside the pack"))
            << e.what();
        EXPECT_TRUE(mentions(e.problems(), "components.vae must be a .safetensors file")) << e.what();
    }
}

} // namespace
