// kinora-engine's command line in the inference-only build.

#include "process.h"

#include <nlohmann/json.hpp>

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
    const std::vector<std::vector<std::string>> badBench { { "bench", "--config", "huge" },
        { "bench", "--steps", "1" }, { "bench", "--size", "16" } };
    for (const auto& args : badBench) {
        const auto r = runProcess(KINORA_ENGINE_PATH, args);
        EXPECT_EQ(r.exitCode, 2) << args[1] << " " << args[2];
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
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
    std::filesystem::remove(dir / "denoiser.safetensors");
    const auto broken = runProcess(KINORA_ENGINE_PATH, { "info", dir.string() });
    EXPECT_EQ(broken.exitCode, 1);
    EXPECT_NE(broken.err.find("denoiser.safetensors"), std::string::npos) << broken.err;
    std::filesystem::remove_all(dir);
}

TEST(EngineCli, TrainsAPackAndResumesFromItsCheckpoint)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-engine-train-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::vector<std::string> base { "train", "--config", "tiny", "--vae-steps", "2", "--batch", "1",
        "--device", "cpu", "-o", dir.string(), "--steps" };
    auto withSteps = [&base](const char* steps) {
        auto args = base;
        args.push_back(steps);
        return args;
    };
    const auto first = runProcess(KINORA_ENGINE_PATH, withSteps("4"));
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_NE(first.err.find("trained 4 steps"), std::string::npos) << first.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "training-state.safetensors"));
    const auto info = runProcess(KINORA_ENGINE_PATH, { "info", dir.string() });
    ASSERT_EQ(info.exitCode, 0) << info.err;
    EXPECT_NE(info.out.find("kinora-tiny "), std::string::npos) << info.out;
    // The same command with more steps carries on from the checkpoint instead of starting again.
    const auto more = runProcess(KINORA_ENGINE_PATH, withSteps("6"));
    ASSERT_EQ(more.exitCode, 0) << more.err;
    EXPECT_NE(more.err.find("resumed"), std::string::npos) << more.err;
    EXPECT_NE(more.err.find("trained 2 steps"), std::string::npos) << more.err;
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
    const auto sidecarText = bytes(clip + ".kinora.json");
    EXPECT_NE(sidecarText.find("\"seed\": 9"), std::string::npos) << sidecarText;
    // The same sidecar as kinora-cli's: the request, the pack with each weights file's hash, the
    // versions, the device and the precision.
    const auto sidecar = nlohmann::json::parse(sidecarText);
    const auto& request = sidecar.at("request");
    EXPECT_EQ(request.at("task"), "generate");
    EXPECT_EQ(request.at("prompt"), "a red circle");
    EXPECT_EQ(request.at("output"), std::filesystem::absolute(clip).lexically_normal().string());
    EXPECT_EQ(request.at("output_frames"), 3);
    EXPECT_EQ(request.at("width"), 16);
    EXPECT_EQ(request.at("steps"), 2);
    EXPECT_TRUE(request.at("sampler").is_string());
    const auto& model = sidecar.at("model");
    EXPECT_EQ(model.at("name"), "kinora-tiny-untrained");
    const auto& hashes = model.at("weights_sha256");
    ASSERT_EQ(hashes.size(), 3u) << sidecarText;
    for (const auto& [file, hash] : hashes.items()) {
        EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(pack) / file)) << file;
        EXPECT_EQ(hash.get<std::string>().size(), 64u) << file;
    }
    EXPECT_EQ(sidecar.at("kinora_version"), KINORA_VERSION_STRING);
    EXPECT_FALSE(sidecar.at("libtorch_version").get<std::string>().empty());
    EXPECT_TRUE(sidecar.at("device") == "cpu" || sidecar.at("device") == "cuda") << sidecarText;
    EXPECT_TRUE(sidecar.at("precision").is_string());
    // An existing output is replaced only with -y; the same seed gives the same bytes.
    const auto refused = runProcess(KINORA_ENGINE_PATH, args);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("exists (use -y to replace it)"), std::string::npos) << refused.err;
    auto again = args;
    again.push_back("-y");
    ASSERT_EQ(runProcess(KINORA_ENGINE_PATH, again).exitCode, 0);
    EXPECT_EQ(bytes(clip), video);
    std::filesystem::remove_all(dir);
}

TEST(EngineCli, AnUnusableDeviceIsNamedWithTheFlagThatAvoidsIt)
{
    if (runProcess(KINORA_ENGINE_PATH, { "--version" }).out.find("device cuda") != std::string::npos)
        GTEST_SKIP() << "this machine has a GPU: CUDA is usable";
    const auto r = runProcess(KINORA_ENGINE_PATH, { "bench", "--config", "tiny", "--device", "cuda" });
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("no usable GPU"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(use --device cpu)"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(EngineCli, BenchPrintsItsFiguresAsJson)
{
    const auto r = runProcess(KINORA_ENGINE_PATH,
        { "bench", "--config", "tiny", "--size", "16x16", "--frames", "4", "--steps", "3", "--json" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(r.err.empty()); // progress goes to stderr, the report alone to stdout
    const auto report = nlohmann::json::parse(r.out); // throws, failing the test, unless clean JSON
    ASSERT_GE(report.at("runs").size(), 1u);
    const auto& run = report["runs"][0];
    EXPECT_EQ(run.at("width"), 16);
    EXPECT_EQ(run.at("frames"), 4);
    EXPECT_GT(run.at("forward_ms").get<double>(), 0.0);
    EXPECT_GE(run.at("overhead").get<double>(), 0.0);
    EXPECT_LT(run.at("overhead").get<double>(), 1.0);
    EXPECT_GT(run.at("peak_memory_mib").get<double>(), 0.0);
    EXPECT_EQ(run.at("cancel_latency_ms").size(), 3u);
    EXPECT_GT(run.at("cancel_latency_max_ms").get<double>(), 0.0);
}

TEST(EngineCli, EvalPrintsTheSeenAndHeldOutTable)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-engine-eval-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto pack = (dir / "pack").string();
    ASSERT_EQ(
        runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", pack }).exitCode,
        0);
    const auto r = runProcess(
        KINORA_ENGINE_PATH, { "eval", "--model", pack, "--clips", "2", "--steps", "2", "--device", "cpu" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("seen"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("held-out"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("clip 4/4"), std::string::npos) << "progress on stderr: " << r.err;
    // The same report as kinora-cli eval's, as JSON too.
    const auto json = runProcess(KINORA_ENGINE_PATH,
        { "eval", "--model", pack, "--clips", "1", "--steps", "1", "--device", "cpu", "--json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const auto report = nlohmann::json::parse(json.out);
    EXPECT_EQ(report.at("model"), "kinora-tiny-untrained");
    EXPECT_EQ(report.at("device"), "cpu");
    EXPECT_EQ(report.at("text_to_video").at("held_out").at("clips"), 1);
    EXPECT_GT(report.at("vae_psnr").get<double>(), 0.0);
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, { "eval", "--model", pack, "--clips", "0" }).exitCode, 2);
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, { "eval", "--model", (dir / "none").string() }).exitCode, 1);
    std::filesystem::remove_all(dir);
}
