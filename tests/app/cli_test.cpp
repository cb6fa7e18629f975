// kinora-cli and kinora as a script would run them: exit codes and what goes where.

#include "process.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

using kinora::test::ProcessResult;
using kinora::test::runProcess;

namespace {
const char* const kContract[]
    = { "generate", "extend", "interpolate", "inpaint", "encode", "info", "train", "eval", "bench" };
}

TEST(Cli, HelpListsEveryContractSubcommand)
{
    const auto r = runProcess(KINORA_CLI_PATH, { "--help" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    for (const char* sub : kContract)
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub << " missing from:\n" << r.out;
}

TEST(Cli, VersionNamesKinoraAndLibTorch)
{
    const auto r = runProcess(KINORA_CLI_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("kinora-cli ") + KINORA_VERSION_STRING), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("LibTorch"), std::string::npos) << r.out;
}

TEST(Cli, UnknownSubcommandOrNoneIsAUsageError)
{
    const auto unknown = runProcess(KINORA_CLI_PATH, { "frobnicate" });
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_FALSE(unknown.err.empty());
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, {}).exitCode, 2);
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, { "--no-such-flag" }).exitCode, 2);
}

// The whole evaluation on an untrained tiny pack: every table filled, the model's numbers and the
// baselines' finite and in range, the interpolation scored on in-between frames only.
TEST(Cli, EvalScoresTextToVideoInpaintingAndInterpolation)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-cli-eval-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto pack = (dir / "pack").string();
    ASSERT_EQ(
        runProcess(KINORA_CLI_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", pack }).exitCode, 0);
    const auto r = runProcess(KINORA_CLI_PATH,
        { "eval", "--model", pack, "--clips", "1", "--restoration-clips", "2", "--steps", "2", "--device",
            "cpu", "--json" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out); // stdout is clean JSON
    EXPECT_EQ(report.at("model").get<std::string>(), "kinora-tiny-untrained");
    EXPECT_EQ(report.at("steps").get<int>(), 2);
    EXPECT_GT(report.at("vae_psnr").get<double>(), 3.0) << "an untrained VAE: poor but finite";
    EXPECT_LT(report.at("vae_psnr").get<double>(), 25.0) << "an untrained VAE cannot copy the clip";
    EXPECT_GT(report.at("vae_psnr").get<double>(), 3.0) << "an untrained VAE: poor but finite";
    EXPECT_LT(report.at("vae_psnr").get<double>(), 25.0) << "an untrained VAE cannot copy the clip";
    for (const char* group : { "seen", "held_out" }) {
        const auto& g = report.at("text_to_video").at(group);
        EXPECT_EQ(g.at("clips").get<int>(), 1) << group;
        for (const char* key : { "colour", "shape", "direction" }) {
            EXPECT_GE(g.at(key).get<double>(), 0.0) << group << " " << key;
            EXPECT_LE(g.at(key).get<double>(), 1.0) << group << " " << key;
        }
    }
    for (const char* task : { "inpainting", "interpolation" }) {
        const auto& t = report.at(task);
        EXPECT_EQ(t.at("clips").get<int>(), 2) << task;
        // An untrained model draws noise where it must make pixels: finite, far from perfect.
        for (const char* key : { "psnr", "baseline_psnr" }) {
            ASSERT_TRUE(t.at(key).is_number()) << task << " " << key << ": " << r.out;
            EXPECT_GT(t.at(key).get<double>(), 3.0) << task << " " << key;
            EXPECT_LT(t.at(key).get<double>(), 60.0) << task << " " << key;
        }
        for (const char* key : { "ssim", "baseline_ssim" }) {
            EXPECT_GT(t.at(key).get<double>(), -1.0) << task << " " << key;
            EXPECT_LT(t.at(key).get<double>(), 1.0) << task << " " << key;
        }
    }
    // The classical baselines do far better than untrained weights on these simple scenes.
    EXPECT_GT(report.at("inpainting").at("baseline_psnr").get<double>(),
        report.at("inpainting").at("psnr").get<double>());
    EXPECT_GT(report.at("interpolation").at("baseline_psnr").get<double>(),
        report.at("interpolation").at("psnr").get<double>());
    EXPECT_EQ(report.at("interpolation").at("factor").get<int>(), 4);
    EXPECT_NE(r.err.find("interpolation clip 2/2"), std::string::npos) << "progress on stderr: " << r.err;

    // The contact sheet: a palette PNG, a row per clip (all 8 frames at 3x, two lines of text).
    const auto sheet = (dir / "sheets" / "eval.png").string();
    const auto withSheet = runProcess(KINORA_CLI_PATH,
        { "eval", "--model", pack, "--clips", "2", "--restoration-clips", "0", "--steps", "1", "--device",
            "cpu", "--sheet", sheet, "--sheet-clips", "1" });
    ASSERT_EQ(withSheet.exitCode, 0) << withSheet.err;
    EXPECT_NE(withSheet.out.find("contact sheet: " + sheet), std::string::npos) << withSheet.out;
    const QImage image(QString::fromStdString(sheet));
    ASSERT_FALSE(image.isNull()) << sheet;
    EXPECT_EQ(image.format(), QImage::Format_Indexed8);
    const int frames = 8, side = 32; // the tiny pack's defaults
    EXPECT_EQ(image.width(), frames * (3 * side + 4) + 4);
    EXPECT_EQ(image.height(), 2 * (4 + 3 * side + 2 * 16 + 4)) << "one seen and one held-out row";
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, { "eval", "--model", pack, "--sheet", (dir / "s.jpg").string() })
                  .exitCode,
        2);

    const auto table = runProcess(KINORA_CLI_PATH,
        { "eval", "--model", pack, "--clips", "0", "--restoration-clips", "1", "--steps", "1", "--device",
            "cpu" });
    ASSERT_EQ(table.exitCode, 0) << table.err;
    EXPECT_NE(table.out.find("inpainting (Telea)"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("interpolation x4 (blend)"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find("text-to-video"), std::string::npos) << "--clips 0 skips it: " << table.out;

    EXPECT_EQ(
        runProcess(KINORA_CLI_PATH, { "eval", "--model", pack, "--clips", "0", "--restoration-clips", "0" })
            .exitCode,
        2);
    const auto missing = runProcess(KINORA_CLI_PATH, { "eval", "--model", (dir / "none").string() });
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("no model pack"), std::string::npos) << missing.err;
    EXPECT_TRUE(missing.out.empty()) << missing.out;
    std::filesystem::remove_all(dir);
}

TEST(Cli, TrainWritesAPackThatInfoDescribes)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("kinora-cli-train-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto made
        = runProcess(KINORA_CLI_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", dir.string() });
    ASSERT_EQ(made.exitCode, 0) << made.err;
    EXPECT_EQ(made.out, dir.string() + "\n");
    const auto again
        = runProcess(KINORA_CLI_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", dir.string() });
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("already holds a model pack"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("(use -y to replace it)"), std::string::npos) << again.err;
    const auto info = runProcess(KINORA_CLI_PATH, { "info", dir.string() });
    EXPECT_EQ(info.exitCode, 0) << info.err;
    EXPECT_NE(info.out.find("kinora-tiny-untrained"), std::string::npos) << info.out;
    std::filesystem::remove_all(dir);
}

TEST(Cli, BenchReportsEveryFigureAsJson)
{
    const auto r = runProcess(KINORA_CLI_PATH,
        { "bench", "--config", "tiny", "--device", "cpu", "--size", "16x16", "--frames", "4", "--steps", "3",
            "--json" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out); // stdout is clean JSON
    ASSERT_FALSE(report["runs"].empty()) << r.out;
    const auto& run = report["runs"][0];
    EXPECT_GT(run["forward_ms"].get<double>(), 0.0) << r.out;
    EXPECT_GT(run["peak_memory_mib"].get<double>(), 0.0) << r.out;
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, { "bench", "--steps", "1" }).exitCode, 2);
}

TEST(GuiApp, VersionWorksWithoutADisplay)
{
    const auto r = runProcess(KINORA_GUI_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, std::string("kinora ") + KINORA_VERSION_STRING + "\n");
}

// ---------------------------------------------------------------------------------------------
// The diffusion subcommands with an untrained tiny pack: 16x16, two steps, so each run is fast.

namespace {

namespace fs = std::filesystem;

// Runs kinora-cli and sends it SIGINT as soon as a progress line appears on stderr.
ProcessResult runAndInterruptAfterFirstStep(const std::vector<std::string>& args)
{
    return runProcess(KINORA_CLI_PATH, args, kinora::test::ProcessOptions::interruptingWhen("step "));
}

std::string fileBytes(const fs::path& path)
{
    QFile file(QString::fromStdString(path.string()));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

QImage readFrame(const fs::path& path)
{
    return QImage(QString::fromStdString(path.string())).convertToFormat(QImage::Format_RGB888);
}

std::vector<std::string> pngs(const fs::path& dir)
{
    std::vector<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().extension() == ".png")
                names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

class CliDiffusion : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("kinora-cli-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        m_pack = (m_dir / "pack").string();
        const auto made
            = runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", m_pack });
        ASSERT_EQ(made.exitCode, 0) << made.err;
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string path(const std::string& relative) const { return (m_dir / relative).string(); }

    // kinora-cli SUBCOMMAND ARGS... with the tiny pack, two steps on the CPU.
    ProcessResult cli(const std::string& sub, std::vector<std::string> args) const
    {
        args.insert(args.begin(), sub);
        for (const char* a : { "--model", m_pack.c_str(), "--steps", "2", "--device", "cpu" })
            args.push_back(a);
        return runProcess(KINORA_CLI_PATH, args);
    }

    // `count` distinct 16x16 frames as in/000.png, in/001.png, ...
    std::string writeInput(int count) const
    {
        fs::create_directories(m_dir / "in");
        for (int i = 0; i < count; ++i) {
            QImage image(16, 16, QImage::Format_RGB888);
            for (int y = 0; y < 16; ++y)
                for (int x = 0; x < 16; ++x)
                    image.setPixel(
                        x, y, qRgb((i * 60 + x * 15) % 256, (y * 16 + i) % 256, (x * y * 3) % 256));
            const auto name
                = m_dir / "in" / QStringLiteral("%1.png").arg(i, 3, 10, QLatin1Char('0')).toStdString();
            EXPECT_TRUE(image.save(QString::fromStdString(name.string())));
        }
        return path("in/%03d.png");
    }

    fs::path m_dir;
    std::string m_pack;
};

} // namespace

TEST_F(CliDiffusion, GenerateWritesTheFramesAndTheSameSeedTheSameBytes)
{
    const std::vector<std::string> args { "-p", "a red square", "--frames", "4", "--size", "16x16", "--seed",
        "5" };
    auto first = args;
    first.insert(first.end(), { "-o", path("a/%03d.png") });
    const auto r = cli("generate", first);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, path("a/%03d.png") + "\n"); // stdout carries only the result
    EXPECT_NE(r.err.find("step 2/2"), std::string::npos) << r.err;
    const std::vector<std::string> expected { "000.png", "001.png", "002.png", "003.png" };
    ASSERT_EQ(pngs(m_dir / "a"), expected);
    EXPECT_EQ(readFrame(m_dir / "a" / "003.png").size(), QSize(16, 16));

    auto same = args;
    same.insert(same.end(), { "-o", path("b/%03d.png") });
    ASSERT_EQ(cli("generate", same).exitCode, 0);
    auto other = args;
    other.back() = "6";
    other.insert(other.end(), { "-o", path("c/%03d.png") });
    ASSERT_EQ(cli("generate", other).exitCode, 0);
    bool differs = false;
    for (const auto& name : expected) {
        EXPECT_EQ(fileBytes(m_dir / "a" / name), fileBytes(m_dir / "b" / name)) << name;
        differs = differs || fileBytes(m_dir / "a" / name) != fileBytes(m_dir / "c" / name);
    }
    EXPECT_TRUE(differs) << "another seed makes another clip";

    const auto sidecar
        = QJsonDocument::fromJson(QByteArray::fromStdString(fileBytes(m_dir / "a" / "%03d.png.kinora.json")))
              .object();
    const auto request = sidecar[QStringLiteral("request")].toObject();
    EXPECT_EQ(request[QStringLiteral("seed")].toInt(), 5);
    EXPECT_EQ(request[QStringLiteral("width")].toInt(), 16);
    EXPECT_EQ(request[QStringLiteral("prompt")].toString(), QStringLiteral("a red square"));
    const auto weights
        = sidecar[QStringLiteral("model")].toObject()[QStringLiteral("weights_sha256")].toObject();
    ASSERT_FALSE(weights.isEmpty());
    const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    for (const auto& hash : weights)
        EXPECT_TRUE(hex.match(hash.toString()).hasMatch()) << hash.toString().toStdString();
    // Auto precision on the CPU is fp32; forcing bf16 is recorded and still makes the clip.
    EXPECT_EQ(sidecar[QStringLiteral("precision")].toString(), QStringLiteral("fp32"));
    auto half = args;
    half.insert(half.end(), { "--precision", "bf16", "-o", path("d/%03d.png") });
    ASSERT_EQ(cli("generate", half).exitCode, 0);
    const auto halfSidecar
        = QJsonDocument::fromJson(QByteArray::fromStdString(fileBytes(m_dir / "d" / "%03d.png.kinora.json")))
              .object();
    EXPECT_EQ(halfSidecar[QStringLiteral("precision")].toString(), QStringLiteral("bf16"));
    EXPECT_EQ(pngs(m_dir / "d"), expected);
}

// A pack that reads words (a "vocabulary" in its manifest) is warned about, once, on stderr; the
// clip is still made. The tiny pack reads bytes, so a vocabulary written into its manifest changes
// only the check, which is what this test is about.
TEST_F(CliDiffusion, GenerateNamesTheWordsThePackDoesNotKnow)
{
    const std::vector<std::string> args { "-p", "A red dragon flying, red", "--frames", "2", "--size",
        "16x16" };
    const auto withArgs = [&](const std::string& out) {
        auto all = args;
        all.insert(all.end(), { "-o", path(out) });
        return all;
    };
    const auto anyText = cli("generate", withArgs("any/%03d.png"));
    ASSERT_EQ(anyText.exitCode, 0) << anyText.err;
    EXPECT_EQ(anyText.err.find("does not know"), std::string::npos) << "no vocabulary: any text reads";

    const auto manifestPath = fs::path(m_pack) / "kinora-model.json";
    auto manifest = nlohmann::json::parse(fileBytes(manifestPath));
    manifest["vocabulary"] = { "a", "red", "blue", "square", "circle", "moving", "left" };
    {
        QFile file(QString::fromStdString(manifestPath.string()));
        ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray::fromStdString(manifest.dump(2)));
    }
    const auto r = cli("generate", withArgs("words/%03d.png"));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, path("words/%03d.png") + "\n");
    EXPECT_EQ(pngs(m_dir / "words").size(), 2u) << "the clip is still made";
    const std::string line
        = "kinora-cli generate: warning: the model does not know: dragon, flying — it knows "
          "colours, shapes and directions.\n";
    EXPECT_NE(r.err.find(line), std::string::npos) << r.err;
    size_t count = 0;
    for (size_t at = r.err.find("does not know"); at != std::string::npos;
         at = r.err.find("does not know", at + 1))
        ++count;
    EXPECT_EQ(count, 1u) << "one line: " << r.err;

    auto known = args;
    known[1] = "a blue circle moving left";
    known.insert(known.end(), { "-o", path("known/%03d.png") });
    const auto allKnown = cli("generate", known);
    ASSERT_EQ(allKnown.exitCode, 0) << allKnown.err;
    EXPECT_EQ(allKnown.err.find("does not know"), std::string::npos) << allKnown.err;
}

TEST_F(CliDiffusion, InpaintKeepsEveryUnmaskedPixel)
{
    const auto input = writeInput(3);
    QImage mask(16, 16, QImage::Format_Grayscale8);
    mask.fill(0);
    for (int y = 4; y < 12; ++y)
        for (int x = 0; x < 8; ++x)
            mask.setPixel(x, y, qRgb(255, 255, 255));
    ASSERT_TRUE(mask.save(QString::fromStdString(path("mask.png"))));
    const auto r = cli("inpaint",
        { "-i", input, "-m", path("mask.png"), "-o", path("out/%03d.png"), "-p", "grass", "--method",
            "diffusion" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.err.find("--method auto"), std::string::npos) << r.err;
    const auto automatic
        = cli("inpaint", { "-i", input, "-m", path("mask.png"), "-o", path("flow/%03d.png") });
    ASSERT_EQ(automatic.exitCode, 0) << automatic.err;
    EXPECT_NE(automatic.err.find("--method auto: using optical flow"), std::string::npos)
        << "--method auto says what it picked: " << automatic.err;
    ASSERT_EQ(pngs(m_dir / "out").size(), 3u);
    bool changed = false;
    for (int i = 0; i < 3; ++i) {
        const auto name = "00" + std::to_string(i) + ".png";
        const QImage in = readFrame(m_dir / "in" / name);
        const QImage out = readFrame(m_dir / "out" / name);
        ASSERT_EQ(out.size(), in.size());
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x) {
                const bool masked = x < 8 && y >= 4 && y < 12;
                if (!masked) {
                    ASSERT_EQ(out.pixel(x, y), in.pixel(x, y)) << name << " at " << x << "," << y;
                }
                changed = changed || (masked && out.pixel(x, y) != in.pixel(x, y));
            }
    }
    EXPECT_TRUE(changed) << "the masked region was regenerated";
}

TEST_F(CliDiffusion, InterpolateByTwoKeepsTheInputAsEveryOtherFrame)
{
    const auto r = cli("interpolate", { "-i", writeInput(3), "--factor", "2", "-o", path("out/%03d.png") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(pngs(m_dir / "out").size(), 5u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(readFrame(m_dir / "out" / ("00" + std::to_string(2 * i) + ".png")),
            readFrame(m_dir / "in" / ("00" + std::to_string(i) + ".png")))
            << "output frame " << 2 * i;
}

TEST_F(CliDiffusion, ExtendKeepsTheClipAndAddsFrames)
{
    const auto r = cli("extend", { "-i", writeInput(4), "--frames", "2", "-o", path("out/%03d.png") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(pngs(m_dir / "out").size(), 6u);
    for (int i = 0; i < 4; ++i) {
        const auto name = "00" + std::to_string(i) + ".png";
        EXPECT_EQ(readFrame(m_dir / "out" / name), readFrame(m_dir / "in" / name)) << name;
    }
}

TEST_F(CliDiffusion, AnExistingOutputIsReplacedOnlyWithDashY)
{
    const std::vector<std::string> args { "-p", "x", "--frames", "2", "--size", "16x16", "-o",
        path("out/%03d.png") };
    ASSERT_EQ(cli("generate", args).exitCode, 0);
    const auto before = fileBytes(m_dir / "out" / "000.png");
    auto other = args;
    other.insert(other.end(), { "--seed", "3" });
    const auto refused = cli("generate", other);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("exists (use -y to replace it)"), std::string::npos) << refused.err;
    EXPECT_TRUE(refused.out.empty());
    EXPECT_EQ(fileBytes(m_dir / "out" / "000.png"), before);
    other.push_back("-y");
    ASSERT_EQ(cli("generate", other).exitCode, 0);
    EXPECT_NE(fileBytes(m_dir / "out" / "000.png"), before);
}

// The engine's error speaks of the job ("run on the CPU"); kinora-cli adds its own flag for it.
TEST_F(CliDiffusion, AnUnusableDeviceIsNamedWithTheFlagThatAvoidsIt)
{
    if (runProcess(KINORA_CLI_PATH, { "--version" }).out.find("device cuda") != std::string::npos)
        GTEST_SKIP() << "this machine has a GPU: CUDA is usable";
    const auto r = runProcess(KINORA_CLI_PATH,
        { "generate", "-p", "x", "--model", m_pack, "--device", "cuda", "-o", path("gpu/%03d.png") });
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("no usable GPU"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(use --device cpu)"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(m_dir / "gpu")) << "nothing written";
}

// What scripts/run --cli generate does on a fresh clone: no --model, no $KINORA_MODEL, so the pack
// the source tree ships (resources/models/kinora-default) makes the clip.
TEST_F(CliDiffusion, GeneratesWithTheShippedDefaultModel)
{
    ::unsetenv("KINORA_MODEL");
    const auto out = path("shipped/clip.mp4");
    const auto r = runProcess(KINORA_CLI_PATH,
        { "generate", "-p", "a yellow star moving left on a blue background", "-o", out, "--steps", "2",
            "--device", "cpu" });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, out + "\n");
    QFile sidecar(QString::fromStdString(out + ".kinora.json"));
    ASSERT_TRUE(sidecar.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(sidecar.readAll().toStdString());
    EXPECT_EQ(json.at("model").at("name").get<std::string>(), "kinora-default") << json.dump(2);
    const auto info = runProcess(KINORA_CLI_PATH, { "info", out, "--json" });
    ASSERT_EQ(info.exitCode, 0) << info.err;
    const auto meta = nlohmann::json::parse(info.out);
    EXPECT_EQ(meta.at("frames").get<int>(), 8);
    EXPECT_EQ(meta.at("width").get<int>(), 32);
    EXPECT_EQ(r.err.find("does not know"), std::string::npos)
        << "every word of the caption is the pack's: " << r.err;
}

TEST_F(CliDiffusion, MissingModelExitsOneListingThePlacesTried)
{
    const auto nowhere = path("nowhere");
    const auto given = runProcess(
        KINORA_CLI_PATH, { "generate", "-p", "x", "-o", path("o/%03d.png"), "--model", nowhere });
    EXPECT_EQ(given.exitCode, 1);
    EXPECT_NE(given.err.find(nowhere), std::string::npos) << given.err;
    ::setenv("KINORA_MODEL", nowhere.c_str(), 1);
    const auto fromEnvironment
        = runProcess(KINORA_CLI_PATH, { "generate", "-p", "x", "-o", path("o/%03d.png") });
    EXPECT_EQ(fromEnvironment.exitCode, 1);
    EXPECT_NE(fromEnvironment.err.find(nowhere), std::string::npos) << fromEnvironment.err;
    ::unsetenv("KINORA_MODEL");
    const auto none
        = runProcess(KINORA_CLI_PATH, { "generate", "-p", "x", "-o", path("o/%03d.png"), "--steps", "1" });
    if (none.exitCode == 0)
        GTEST_SKIP() << "a default model pack is installed or in the source tree";
    EXPECT_EQ(none.exitCode, 1);
    EXPECT_NE(none.err.find("share/kinora/models/kinora-default"), std::string::npos) << none.err;
    EXPECT_NE(none.err.find("resources/models/kinora-default"), std::string::npos) << none.err;
    EXPECT_EQ(std::count(none.err.begin(), none.err.end(), '\n'), 1) << "one clear line: " << none.err;
    EXPECT_FALSE(fs::exists(m_dir / "o"));
}

TEST_F(CliDiffusion, UsageErrorsExitTwoAndRuntimeErrorsExitOne)
{
    const auto out = path("o/%03d.png");
    for (const char* size : { "16", "0x16", "16x16x2" })
        EXPECT_EQ(cli("generate", { "-p", "x", "-o", out, "--size", size }).exitCode, 2) << size;
    EXPECT_EQ(cli("generate", { "-o", out }).exitCode, 2) << "no prompt";
    EXPECT_EQ(cli("generate", { "-p", "x", "-o", out, "--sampler", "magic" }).exitCode, 2);
    const auto input = writeInput(2);
    EXPECT_EQ(
        cli("interpolate", { "-i", input, "-o", out, "--factor", "2", "--method", "warp" }).exitCode, 2);
    EXPECT_EQ(cli("inpaint", { "-i", input, "-m", input, "-o", out, "--method", "blend" }).exitCode, 2);
    EXPECT_EQ(cli("inpaint", { "-i", input, "-m", input, "-o", out, "--dilate", "-1" }).exitCode, 2);
    EXPECT_EQ(cli("interpolate", { "-i", input, "-o", out }).exitCode, 2) << "neither --factor nor --fps";
    EXPECT_EQ(cli("interpolate", { "-i", input, "-o", out, "--factor", "1" }).exitCode, 2);
    const auto noRate = cli("interpolate", { "-i", input, "-o", out, "--fps", "24" });
    EXPECT_EQ(noRate.exitCode, 1) << "an image sequence has no rate to resample from";
    EXPECT_NE(noRate.err.find("--factor"), std::string::npos) << noRate.err;
    EXPECT_EQ(cli("generate", { "-p", "x", "-o", out, "--codec", "mpeg1" }).exitCode, 2);
    const auto unknown = cli("generate", { "-p", "x", "-o", path("clip.xyz") });
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_NE(unknown.err.find("cannot tell the format"), std::string::npos) << unknown.err;
    EXPECT_FALSE(fs::exists(m_dir / "clip.xyz"));
    EXPECT_FALSE(fs::exists(m_dir / "o"));
}

TEST_F(CliDiffusion, CtrlCExits130AndLeavesNoOutput)
{
    const auto r = runAndInterruptAfterFirstStep({ "generate", "-p", "x", "--frames", "2", "--size", "16x16",
        "--steps", "500", "--model", m_pack, "--device", "cpu", "-o", path("out/%03d.png") });
    EXPECT_EQ(r.exitCode, 130) << r.err;
    EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.find("step 500/500"), std::string::npos) << "stopped early";
    EXPECT_FALSE(fs::exists(m_dir / "out"));
}

TEST_F(CliDiffusion, InfoDescribesAPackAsTextOrJson)
{
    const auto text = runProcess(KINORA_CLI_PATH, { "info", m_pack });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    for (const char* part :
        { "kinora-tiny-untrained", "kinora-native tiny", "latent: 4 channels", "denoiser: ", "total: " })
        EXPECT_NE(text.out.find(part), std::string::npos) << part << " in:\n" << text.out;
    const auto json = runProcess(KINORA_CLI_PATH, { "info", m_pack, "--json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    QJsonParseError error {};
    const auto document = QJsonDocument::fromJson(QByteArray::fromStdString(json.out), &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << "stdout is clean JSON: " << json.out;
    const auto info = document.object();
    EXPECT_EQ(info[QStringLiteral("config")].toString(), QStringLiteral("tiny"));
    EXPECT_GT(info[QStringLiteral("parameters")].toObject()[QStringLiteral("total")].toInteger(), 0);
    EXPECT_EQ(info[QStringLiteral("defaults")].toObject()[QStringLiteral("frames")].toInt(), 8);
    QFile clip(QString::fromStdString(path("clip.mp4")));
    ASSERT_TRUE(clip.open(QIODevice::WriteOnly));
    clip.close();
    const auto video = runProcess(KINORA_CLI_PATH, { "info", path("clip.mp4") });
    EXPECT_EQ(video.exitCode, 1);
    EXPECT_NE(video.err.find("clip.mp4: is empty"), std::string::npos) << video.err;
    EXPECT_TRUE(video.out.empty());
}
