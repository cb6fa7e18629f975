#include "kinora/inference/job_errors.h"
#include "kinora/inference/native_model.h"
#include "kinora/inference/native_video_model.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/sha256.h"
#include "kinora/inference/sidecar.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "problems.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

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

TEST(NativePack, LoadPackResolvesTheDeviceAndThePrecision)
{
    TempDir dir;
    saveNativePack(createNativeModel("tiny", 2), dir.path);
    const bool cuda = runtimeInfo().cudaAvailable;
    const auto loaded = loadPack(dir.path);
    const auto& automatic = dynamic_cast<const NativeVideoModel&>(*loaded).native();
    EXPECT_EQ(loaded->deviceName(), cuda ? "cuda" : "cpu");
    EXPECT_EQ(automatic.device, cuda ? "cuda" : "cpu");
    EXPECT_EQ(loaded->precision(), cuda ? "bf16" : "fp32") << "auto: bf16 on CUDA, fp32 on the CPU";
    EXPECT_EQ(automatic.denoiser->convIn->weight.scalar_type(), cuda ? torch::kBFloat16 : torch::kFloat32);
    EXPECT_FALSE(automatic.denoiser->is_training()) << "loaded for sampling: eval mode";
    const auto loadedHalf = loadPack(dir.path, "cpu", "bf16");
    const auto& half = dynamic_cast<const NativeVideoModel&>(*loadedHalf).native();
    EXPECT_EQ(loadedHalf->deviceName(), "cpu");
    EXPECT_EQ(loadedHalf->precision(), "bf16");
    EXPECT_EQ(half.vae->encIn->weight.scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(half.vae->encIn->weight.device().is_cpu());
    EXPECT_THROW(loadPack(dir.path, "gpu"), std::invalid_argument);
    EXPECT_THROW(loadPack(dir.path, "cpu", "fp8"), std::invalid_argument);
    if (!cuda) {
        EXPECT_THROW(loadPack(dir.path, "cuda"), DeviceUnavailable);
    }
}

// FIPS 180-2, appendix B: one block, two blocks, a million bytes; and the empty message.
TEST(Sha256, MatchesTheStandardsTestVectors)
{
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    EXPECT_EQ(sha256Hex(twoBlocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // Fed in uneven pieces across block boundaries, the digest is the same.
    Sha256 pieces;
    for (size_t at = 0; at < twoBlocks.size(); at += 7)
        pieces.update(std::string_view(twoBlocks).substr(at, 7));
    EXPECT_EQ(pieces.hex(), sha256Hex(twoBlocks));
    EXPECT_THROW(pieces.update("more"), std::logic_error);
}

TEST(Sidecar, RecordsTheRequestAndEveryWeightsFilesHash)
{
    TempDir dir;
    auto model = createNativeModel("tiny", 5);
    saveNativePack(model, dir.path / "pack");
    {
        std::ofstream file(dir.path / "bytes.bin", std::ios::binary);
        file << "abc";
    }
    EXPECT_EQ(sha256File(dir.path / "bytes.bin"), sha256Hex("abc"));
    EXPECT_THROW(sha256File(dir.path / "missing.bin"), std::runtime_error);

    const auto hashes = hashPackWeights(model.manifest, dir.path / "pack");
    ASSERT_EQ(hashes.files.size(), model.manifest.components.size());
    std::string all; // the combined hash: over the files' hashes in role order, as core's jobs made it
    for (const auto& [role, file] : model.manifest.components) {
        EXPECT_EQ(hashes.files.at(file), sha256File(dir.path / "pack" / file)) << file;
        all += hashes.files.at(file);
    }
    EXPECT_EQ(hashes.combined, sha256Hex(all));

    SidecarRequest request;
    request.prompt = "a red circle";
    request.output = (dir.path / "clip.y4m").string();
    request.frames = 8;
    request.outputFrames = 8;
    request.width = request.outputWidth = 32;
    request.height = request.outputHeight = 32;
    request.fps = 8;
    request.steps = 2;
    request.guidance = 5;
    request.sampler = "ddim";
    request.seed = 9;
    const auto path = sidecarPath(request.output);
    EXPECT_EQ(path.string(), request.output + ".kinora.json");
    writeSidecar(path,
        sidecarJson(sidecarRequestJson(request), sidecarModelJson(model.manifest, dir.path / "pack", hashes),
            "cpu", "fp32"));
    EXPECT_FALSE(std::filesystem::exists(dir.path / ".clip.y4m.kinora.json.partial"));
    std::ifstream in(path);
    const auto json = nlohmann::json::parse(in);
    for (const char* key :
        { "request", "model", "kinora_version", "libtorch_version", "device", "precision" })
        EXPECT_TRUE(json.contains(key)) << key << ": " << json.dump(2);
    EXPECT_EQ(json["request"]["task"], "generate");
    EXPECT_EQ(json["request"]["seed"], 9);
    EXPECT_TRUE(json["request"]["inputs"]["input"].is_null());
    EXPECT_TRUE(json["request"]["factor"].is_null());
    EXPECT_EQ(json["model"]["name"], model.manifest.name);
    EXPECT_EQ(json["model"]["dir"], std::filesystem::absolute(dir.path / "pack").lexically_normal().string());
    EXPECT_EQ(json["model"]["weights_sha256"].size(), hashes.files.size());
    EXPECT_EQ(json["libtorch_version"], runtimeInfo().libtorchVersion);
    EXPECT_EQ(json["precision"], "fp32");
}
