#include "kinora/inference/native_model.h"
#include "kinora/inference/safetensors.h"

#include <torch/torch.h>

#include "problems.h"

#include <gtest/gtest.h>

#include <unistd.h>

using kinora::test::mentions;
using namespace kinora::inference;

namespace {

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path()
        / ("kinora-pack-" + std::to_string(::getpid()) + "-"
            + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    TempDir() { std::filesystem::remove_all(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST(NativePack, SaveThenLoadGivesTheSameWeights)
{
    TempDir dir;
    auto model = createNativeModel("tiny", 3);
    saveNativePack(model, dir.path);
    EXPECT_TRUE(std::filesystem::exists(dir.path / "kinora-model.json"));
    auto loaded = loadNativePack(dir.path);
    EXPECT_EQ(loaded.manifest.toJson(), model.manifest.toJson());
    const auto counts = loaded.parameterCounts();
    EXPECT_EQ(counts.at("total"), counts.at("vae") + counts.at("denoiser") + counts.at("text_encoder"));
    for (const auto& [role, module] : model.components()) {
        auto theirs = loaded.components().at(role)->named_parameters();
        for (const auto& p : module->named_parameters())
            EXPECT_TRUE(torch::equal(p.value(), theirs[p.key()])) << role << "." << p.key();
    }
    // A different seed gives a different model, so the comparison above could fail.
    auto other = createNativeModel("tiny", 4);
    EXPECT_FALSE(torch::equal(other.denoiser->convIn->weight, loaded.denoiser->convIn->weight));
}

TEST(NativePack, LoadListsEveryMismatchAtOnce)
{
    TempDir dir;
    auto model = createNativeModel("tiny", 3);
    saveNativePack(model, dir.path);
    NamedTensors tensors;
    for (const auto& p : model.denoiser->named_parameters())
        tensors.emplace_back(p.key(), p.value().detach());
    ASSERT_GT(tensors.size(), 3u);
    const auto dropped = tensors[0].first;
    const auto reshaped = tensors[1].first;
    const auto retyped = tensors[2].first;
    tensors.erase(tensors.begin());
    tensors[0].second = torch::zeros({ 3, 3 });
    tensors[1].second = torch::zeros(tensors[1].second.sizes(), torch::kInt32);
    tensors.emplace_back("bogus.weight", torch::zeros({ 2 }));
    saveSafetensors(dir.path / "denoiser.safetensors", tensors);
    std::filesystem::remove(dir.path / "vae.safetensors");
    try {
        loadNativePack(dir.path);
        FAIL() << "a damaged pack loaded";
    } catch (const ModelPackError& e) {
        const auto& problems = e.problems();
        EXPECT_TRUE(mentions(problems, "vae.safetensors")) << e.what();
        (void)dropped;
    }
    // With the VAE back, the denoiser's own problems are all listed together.
    saveNativePack(model, dir.path / "fresh");
    std::filesystem::copy_file(dir.path / "fresh" / "vae.safetensors", dir.path / "vae.safetensors");
    try {
        loadNativePack(dir.path);
        FAIL() << "a damaged pack loaded";
    } catch (const ModelPackError& e) {
        const auto& problems = e.problems();
        EXPECT_TRUE(mentions(problems, "missing tensor " + dropped)) << e.what();
        EXPECT_TRUE(mentions(problems, "tensor " + reshaped + " has shape [3, 3]")) << e.what();
        EXPECT_TRUE(mentions(problems, "tensor " + retyped + " has dtype Int")) << e.what();
        EXPECT_TRUE(mentions(problems, "unexpected tensor bogus.weight")) << e.what();
    }
}

TEST(NativePack, RefusesAnUnknownConfig)
{
    TempDir dir;
    auto model = createNativeModel("tiny", 1);
    model.manifest.config = "gigantic";
    saveNativePack(model, dir.path);
    EXPECT_THROW(loadNativePack(dir.path), ModelPackError);
}
