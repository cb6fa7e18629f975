#include "kinora/inference/model_manifest.h"

#include "problems.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

using kinora::inference::loadModelManifest;
using kinora::inference::ModelManifest;
using kinora::inference::ModelPackError;
using kinora::inference::parseModelManifest;
using kinora::test::mentions;

namespace {

nlohmann::json validManifest()
{
    return nlohmann::json::parse(R"({
      "format_version": 1, "name": "test-pack", "family": "kinora-native", "version": "0.0.1", "config": "tiny",
      "components": {"vae": "vae.safetensors", "denoiser": "denoiser.safetensors"},
      "latent": {"channels": 2, "spatial_compression": 4, "temporal_compression": 1, "scale": 0.5},
      "schedule": {"kind": "scaled_linear", "train_steps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
                   "zero_terminal_snr": true},
      "prediction": "v",
      "defaults": {"width": 64, "height": 48, "frames": 16, "fps": 8, "steps": 20, "guidance": 5.0,
                   "sampler": "dpm++2m"},
      "preview": {"latent_to_rgb": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], "rgb_bias": [0.5, 0.5, 0.5]}
    })");
}

std::vector<std::string> problemsOf(const nlohmann::json& j)
{
    try {
        parseModelManifest(j.dump(), "pack/kinora-model.json");
    } catch (const ModelPackError& e) {
        EXPECT_NE(std::string(e.what()).find("pack/kinora-model.json"), std::string::npos) << e.what();
        return e.problems();
    }
    return {};
}

} // namespace

TEST(ModelManifest, ParsesEveryField)
{
    const auto m = parseModelManifest(validManifest().dump(), "x");
    EXPECT_EQ(m.name, "test-pack");
    EXPECT_EQ(m.config, "tiny");
    EXPECT_EQ(m.components.at("denoiser"), "denoiser.safetensors");
    EXPECT_EQ(m.latentChannels, 2);
    EXPECT_EQ(m.spatialCompression, 4);
    EXPECT_DOUBLE_EQ(m.latentScale, 0.5);
    EXPECT_TRUE(m.schedule.zeroTerminalSnr);
    EXPECT_EQ(m.prediction, "v");
    EXPECT_EQ(m.defaults.height, 48);
    ASSERT_EQ(m.latentToRgb.size(), 2u);
    EXPECT_DOUBLE_EQ(m.latentToRgb[1][2], 0.6);
    EXPECT_DOUBLE_EQ(m.rgbBias[0], 0.5);
}

TEST(ModelManifest, RoundTripsThroughJson)
{
    const auto m = parseModelManifest(validManifest().dump(), "x");
    const auto again = parseModelManifest(m.toJson(), "y");
    EXPECT_EQ(again.toJson(), m.toJson());
    EXPECT_EQ(again.components, m.components);
    EXPECT_EQ(again.latentToRgb, m.latentToRgb);
}

TEST(ModelManifest, ListsEveryProblemAtOnce)
{
    auto j = validManifest();
    j["latent"]["channels"] = -3;
    j["prediction"] = "sample";
    j["components"]["vae"] = "vae.ckpt";
    j.erase("name");
    const auto problems = problemsOf(j);
    EXPECT_TRUE(mentions(problems, "latent.channels must be a positive integer"))
        << ::testing::PrintToString(problems);
    EXPECT_TRUE(mentions(problems, "prediction must be one of eps, v, x0, flow"));
    EXPECT_TRUE(mentions(problems, "never loads pickled weights"));
    EXPECT_TRUE(mentions(problems, "name is missing"));
    EXPECT_GE(problems.size(), 4u);
}

TEST(ModelManifest, RejectsInconsistentPacks)
{
    auto flow = validManifest();
    flow["prediction"] = "flow";
    EXPECT_TRUE(mentions(problemsOf(flow), "go together"));

    auto size = validManifest();
    size["defaults"]["width"] = 66;
    EXPECT_TRUE(mentions(problemsOf(size), "multiple of latent.spatial_compression"));

    auto preview = validManifest();
    preview["preview"]["latent_to_rgb"] = nlohmann::json::array({ { 1, 2, 3 } });
    EXPECT_TRUE(mentions(problemsOf(preview), "2 rows"));

    auto escape = validManifest();
    escape["components"]["vae"] = "../elsewhere.safetensors";
    EXPECT_TRUE(mentions(problemsOf(escape), "inside the pack"));

    auto future = validManifest();
    future["format_version"] = 99;
    EXPECT_TRUE(mentions(problemsOf(future), "update Kinora"));

    // A causal VAE that compresses time by 4 makes 1 + 4·n frames: its default must be one.
    auto causal = validManifest();
    causal["latent"]["temporal_compression"] = 4;
    EXPECT_TRUE(mentions(problemsOf(causal), "defaults.frames (16) must be 1 + 4·n"));
    causal["defaults"]["frames"] = 17;
    EXPECT_TRUE(problemsOf(causal).empty()) << ::testing::PrintToString(problemsOf(causal));

    auto multiple = validManifest();
    multiple["latent"]["size_multiple"] = 6;
    EXPECT_TRUE(mentions(problemsOf(multiple), "latent.size_multiple (6) must be a multiple"));
    multiple["latent"]["size_multiple"] = 32;
    EXPECT_TRUE(
        mentions(problemsOf(multiple), "defaults.height (48) must be a multiple of latent.size_multiple"));
}

TEST(ModelManifest, KeepsTheSizeMultipleOnlyWhereAPackSetsIt)
{
    EXPECT_EQ(
        parseModelManifest(validManifest().dump(), "x").toJson().find("size_multiple"), std::string::npos);
    auto j = validManifest();
    j["latent"]["size_multiple"] = 16;
    const auto m = parseModelManifest(j.dump(), "x");
    EXPECT_EQ(m.sizeMultiple, 16);
    EXPECT_EQ(parseModelManifest(m.toJson(), "y").sizeMultiple, 16);
}

TEST(ModelManifest, RejectsBrokenJson)
{
    EXPECT_THROW(parseModelManifest("{\"name\": ", "x"), ModelPackError);
    EXPECT_THROW(parseModelManifest("[1, 2]", "x"), ModelPackError);
    EXPECT_THROW(parseModelManifest("", "x"), ModelPackError);
}

TEST(ModelManifest, LoadChecksTheComponentFilesExist)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-manifest-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "kinora-model.json") << validManifest().dump();
    std::ofstream(dir / "vae.safetensors") << "x";
    try {
        loadModelManifest(dir);
        ADD_FAILURE() << "a pack without its denoiser file loaded";
    } catch (const ModelPackError& e) {
        EXPECT_TRUE(mentions(e.problems(), "denoiser.safetensors is not in the pack")) << e.what();
    }
    std::ofstream(dir / "denoiser.safetensors") << "x";
    EXPECT_EQ(loadModelManifest(dir).name, "test-pack");
    EXPECT_THROW(loadModelManifest(dir / "nowhere"), ModelPackError);
    std::filesystem::remove_all(dir);
}
