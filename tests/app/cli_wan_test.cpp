// End to end with a Wan 2.1 folder as users download it: a tiny random one in the Diffusers layout
// (tests/support/tiny_wan_folder.h), no kinora-model.json. kinora-cli describes it, writes its
// manifest, and generates a clip through the same loop, previews and sidecar as the native family.

#include "../support/tiny_wan_folder.h"
#include "process.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using kinora::test::runProcess;

std::string fileBytes(const fs::path& path)
{
    QFile file(QString::fromStdString(path.string()));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

std::vector<std::string> pngs(const fs::path& dir)
{
    std::vector<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& entry : fs::recursive_directory_iterator(dir))
            if (entry.path().extension() == ".png")
                names.push_back(fs::relative(entry.path(), dir).string());
    std::sort(names.begin(), names.end());
    return names;
}

class CliWan : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("kinora-cli-wan-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        m_model = m_dir / "Wan2.1-T2V-tiny-Diffusers";
        kinora::test::writeTinyWanFolder(m_model, KINORA_WAN_FIXTURES);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // kinora-cli generate on the tiny folder: 32x32, 5 frames (two latent frames), 3 UniPC steps.
    kinora::test::ProcessResult generate(
        const std::string& out, const std::string& seed, std::vector<std::string> extra = {}) const
    {
        std::vector<std::string> args { "generate", "--model", m_model.string(), "-p",
            "A cat walks slowly across a quiet street at night.", "--size", "32x32", "--frames", "5",
            "--steps", "3", "--seed", seed, "--device", "cpu", "-o", (m_dir / out).string() };
        args.insert(args.end(), extra.begin(), extra.end());
        return runProcess(KINORA_CLI_PATH, args);
    }

    fs::path m_dir;
    fs::path m_model;
};

TEST_F(CliWan, InfoDescribesTheFolderAndWritesItsManifestOnce)
{
    const auto info = runProcess(KINORA_CLI_PATH, { "info", "--json", m_model.string() });
    ASSERT_EQ(info.exitCode, 0) << info.err;
    const auto json = QJsonDocument::fromJson(QByteArray::fromStdString(info.out)).object();
    EXPECT_EQ(json[QStringLiteral("family")].toString(), QStringLiteral("wan2.1"));
    EXPECT_EQ(json[QStringLiteral("defaults")].toObject()[QStringLiteral("sampler")].toString(),
        QStringLiteral("unipc"));
    EXPECT_EQ(json[QStringLiteral("latent")].toObject()[QStringLiteral("temporal_compression")].toInt(), 4);
    EXPECT_GT(json[QStringLiteral("parameters")].toObject()[QStringLiteral("denoiser")].toInteger(), 0);
    EXPECT_FALSE(fs::exists(m_model / "kinora-model.json"));

    const auto write = runProcess(KINORA_CLI_PATH, { "info", "--write-manifest", m_model.string() });
    ASSERT_EQ(write.exitCode, 0) << write.err;
    EXPECT_TRUE(fs::is_regular_file(m_model / "kinora-model.json"));
    EXPECT_NE(write.out.find("wan2.1"), std::string::npos) << write.out;
    const auto before = fileBytes(m_model / "kinora-model.json");
    // Its preview matrix is fitted on this folder's VAE, not the starting one (ComfyUI's, whose
    // first entry is -0.1299 / 2).
    const auto written = QJsonDocument::fromJson(QByteArray::fromStdString(before)).object();
    const auto matrix
        = written[QStringLiteral("preview")].toObject()[QStringLiteral("latent_to_rgb")].toArray();
    ASSERT_EQ(matrix.size(), 16);
    EXPECT_NE(matrix[0].toArray()[0].toDouble(), -0.1299 / 2);
    const auto again = runProcess(KINORA_CLI_PATH, { "info", "--write-manifest", m_model.string() });
    EXPECT_NE(again.exitCode, 0);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    EXPECT_EQ(fileBytes(m_model / "kinora-model.json"), before) << "the manifest is left as it was";
}

TEST_F(CliWan, GenerateMakesAClipWithPreviewsAndASidecarDeterministicPerSeed)
{
    const auto r = generate("a/%03d.png", "3", { "--preview-dir", (m_dir / "previews").string() });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("step 3/3"), std::string::npos) << r.err;
    const std::vector<std::string> frames { "000.png", "001.png", "002.png", "003.png", "004.png" };
    ASSERT_EQ(pngs(m_dir / "a"), frames);
    EXPECT_EQ(QImage(QString::fromStdString((m_dir / "a/004.png").string())).size(), QSize(32, 32));
    // A preview per step, a frame per pixel frame.
    const auto previews = pngs(m_dir / "previews");
    EXPECT_EQ(previews.size(), 3u * frames.size()) << previews.size();

    const auto sidecar
        = QJsonDocument::fromJson(QByteArray::fromStdString(fileBytes(m_dir / "a" / "%03d.png.kinora.json")))
              .object();
    const auto model = sidecar[QStringLiteral("model")].toObject();
    EXPECT_EQ(model[QStringLiteral("family")].toString(), QStringLiteral("wan2.1"))
        << fileBytes(m_dir / "a" / "%03d.png.kinora.json");
    EXPECT_EQ(sidecar[QStringLiteral("request")].toObject()[QStringLiteral("sampler")].toString(),
        QStringLiteral("unipc"));

    ASSERT_EQ(generate("b/%03d.png", "3").exitCode, 0);
    ASSERT_EQ(generate("c/%03d.png", "4").exitCode, 0);
    bool differs = false;
    for (const auto& name : frames) {
        EXPECT_EQ(fileBytes(m_dir / "a" / name), fileBytes(m_dir / "b" / name)) << name;
        differs = differs || fileBytes(m_dir / "a" / name) != fileBytes(m_dir / "c" / name);
    }
    EXPECT_TRUE(differs) << "another seed makes another clip";
}

TEST_F(CliWan, AFrameCountTheCausalVaeCannotMakeIsCoveredAndTrimmed)
{
    // 1 + 4n frames only: 7 asks for 9 made and 7 kept.
    const auto r = runProcess(KINORA_CLI_PATH,
        { "generate", "--model", m_model.string(), "-p", "rain", "--size", "32x32", "--frames", "7",
            "--steps", "1", "--device", "cpu", "-o", (m_dir / "t/%03d.png").string() });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(pngs(m_dir / "t").size(), 7u);
}

TEST_F(CliWan, AMissingComponentIsNamedWithTheFileToGet)
{
    fs::remove_all(m_model / "vae");
    const auto r = runProcess(KINORA_CLI_PATH,
        { "generate", "--model", m_model.string(), "-p", "rain", "--size", "32x32", "--frames", "5",
            "--steps", "1", "--device", "cpu", "-o", (m_dir / "x/%03d.png").string() });
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("no Wan 2.1 VAE"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("wan_2.1_vae.safetensors"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(m_dir / "x" / "000.png"));
}

TEST_F(CliWan, InpaintingBlendsTheKnownLatentsAndKeepsEveryUnmaskedPixel)
{
    // Wan's DiT reads no mask: the loop re-imposes the known region at every step, and the
    // compositing puts the footage back outside the mask.
    fs::create_directories(m_dir / "in");
    for (int i = 0; i < 5; ++i) {
        QImage frame(32, 32, QImage::Format_RGB888);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x)
                frame.setPixel(x, y, qRgb(i * 40, x * 8, 128 + y));
        ASSERT_TRUE(frame.save(
            QString::fromStdString((m_dir / "in" / ("00" + std::to_string(i) + ".png")).string())));
    }
    QImage mask(32, 32, QImage::Format_Grayscale8);
    mask.fill(0);
    for (int y = 8; y < 24; ++y)
        for (int x = 8; x < 24; ++x)
            mask.setPixel(x, y, qRgb(255, 255, 255));
    ASSERT_TRUE(mask.save(QString::fromStdString((m_dir / "mask.png").string())));
    const auto r = runProcess(KINORA_CLI_PATH,
        { "inpaint", "--model", m_model.string(), "-i", (m_dir / "in/%03d.png").string(), "-m",
            (m_dir / "mask.png").string(), "-p", "grass", "--steps", "2", "--device", "cpu", "--method",
            "diffusion", "-o", (m_dir / "out/%03d.png").string() });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(pngs(m_dir / "out").size(), 5u);
    int changedInside = 0;
    for (int i = 0; i < 5; ++i) {
        const auto name = "00" + std::to_string(i) + ".png";
        const QImage in = QImage(QString::fromStdString((m_dir / "in" / name).string()))
                              .convertToFormat(QImage::Format_RGB888);
        const QImage out = QImage(QString::fromStdString((m_dir / "out" / name).string()))
                               .convertToFormat(QImage::Format_RGB888);
        ASSERT_EQ(out.size(), in.size());
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const bool masked = x >= 8 && x < 24 && y >= 8 && y < 24;
                if (!masked)
                    ASSERT_EQ(out.pixel(x, y), in.pixel(x, y)) << name << " at " << x << "," << y;
                else
                    changedInside += out.pixel(x, y) != in.pixel(x, y);
            }
    }
    EXPECT_GT(changedInside, 0) << "the masked region is made anew";
}

} // namespace
