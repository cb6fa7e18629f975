// kinora-engine's command line in the inference-only build.

#include "process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

using kinora::test::runProcess;

TEST(EngineCli, VersionNamesKinoraAndLibTorch)
{
    const auto r = runProcess(KINORA_ENGINE_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("kinora-engine ") + KINORA_VERSION_STRING), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("LibTorch"), std::string::npos) << r.out;
}

TEST(EngineCli, HelpListsTheSubcommands)
{
    const auto r = runProcess(KINORA_ENGINE_PATH, { "--help" });
    EXPECT_EQ(r.exitCode, 0);
    for (const char* sub : { "train", "bench", "sample" })
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
}

TEST(EngineCli, UsageErrorsExitTwo)
{
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, {}).exitCode, 2);
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, { "frobnicate" }).exitCode, 2);
    const auto r = runProcess(KINORA_ENGINE_PATH, { "bench", "--steps", "3" });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("not built yet"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(EngineCli, WritesAnUntrainedPackAndDescribesIt)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-engine-pack-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto made
        = runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", dir.string() });
    ASSERT_EQ(made.exitCode, 0) << made.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "kinora-model.json"));
    // An existing pack is replaced only with -y.
    EXPECT_EQ(
        runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", dir.string() })
            .exitCode,
        1);
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH,
                  { "train", "--config", "tiny", "--steps", "0", "-o", dir.string(), "-y" })
                  .exitCode,
        0);
    const auto info = runProcess(KINORA_ENGINE_PATH, { "info", dir.string() });
    EXPECT_EQ(info.exitCode, 0) << info.err;
    EXPECT_NE(info.out.find("kinora-tiny-untrained"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("denoiser: "), std::string::npos) << info.out;
    // Training itself is not built yet: say so instead of writing an untrained pack.
    EXPECT_EQ(
        runProcess(KINORA_ENGINE_PATH, { "train", "--steps", "10", "-o", (dir / "x").string() }).exitCode, 2);
    std::filesystem::remove(dir / "denoiser.safetensors");
    const auto broken = runProcess(KINORA_ENGINE_PATH, { "info", dir.string() });
    EXPECT_EQ(broken.exitCode, 1);
    EXPECT_NE(broken.err.find("denoiser.safetensors"), std::string::npos) << broken.err;
    std::filesystem::remove_all(dir);
}

TEST(EngineCli, SamplesADeterministicClipWithItsSidecar)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-engine-sample-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto pack = (dir / "pack").string();
    ASSERT_EQ(
        runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", pack }).exitCode,
        0);
    const auto clip = (dir / "out" / "clip.y4m").string();
    const std::vector<std::string> args = { "sample", "--model", pack, "-p", "a red circle", "--size",
        "16x16", "--frames", "3", "--steps", "2", "--seed", "9", "-o", clip };
    const auto first = runProcess(KINORA_ENGINE_PATH, args);
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_EQ(first.out, clip + "\n"); // stdout carries only the result
    EXPECT_NE(first.err.find("step 2/2"), std::string::npos) << first.err;
    const auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    const auto video = bytes(clip);
    const std::string header = "YUV4MPEG2 W16 H16 F8000:1000 Ip A1:1 C444 XCOLORRANGE=LIMITED\n";
    ASSERT_EQ(video.substr(0, header.size()), header);
    EXPECT_EQ(video.size(), header.size() + 3 * (6 + 3 * 16 * 16));
    const auto sidecar = bytes(clip + ".kinora.json");
    EXPECT_NE(sidecar.find("\"seed\": 9"), std::string::npos) << sidecar;
    EXPECT_NE(sidecar.find("kinora-tiny-untrained"), std::string::npos) << sidecar;
    // An existing output is replaced only with -y; the same seed gives the same bytes.
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, args).exitCode, 1);
    auto again = args;
    again.push_back("-y");
    ASSERT_EQ(runProcess(KINORA_ENGINE_PATH, again).exitCode, 0);
    EXPECT_EQ(bytes(clip), video);
    std::filesystem::remove_all(dir);
}
