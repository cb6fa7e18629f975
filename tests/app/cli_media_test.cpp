// kinora-cli encode and info on video files, and the diffusion subcommands reading and writing
// video, as a script would run them: what ends up on disk, what goes to stdout, exit codes.

#include "process.h"
#include "shared_data.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using kinora::test::ProcessResult;
using kinora::test::runProcess;

namespace {

class CliMedia : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path()
            / ("kinora-cli-media-" + std::to_string(::getpid()) + "-" + test->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string path(const std::string& relative) const { return (m_dir / relative).string(); }

    static ProcessResult cli(const std::vector<std::string>& args)
    {
        return runProcess(KINORA_CLI_PATH, args);
    }

    // `ffmpeg ARGS` (lavfi sources make test clips with sound); fails the test when ffmpeg fails.
    static void ffmpeg(std::vector<std::string> args)
    {
        args.insert(args.begin(), { "-hide_banner", "-loglevel", "error", "-y" });
        const auto r = runProcess("ffmpeg", args, kinora::test::ProcessOptions::fromPath());
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }

    // kinora-cli info FILE --json, parsed.
    static QJsonObject info(const std::string& file)
    {
        const auto r = cli({ "info", file, "--json" });
        EXPECT_EQ(r.exitCode, 0) << r.err;
        QJsonParseError error {};
        const auto document = QJsonDocument::fromJson(QByteArray::fromStdString(r.out), &error);
        EXPECT_EQ(error.error, QJsonParseError::NoError) << "stdout is clean JSON: " << r.out;
        return document.object();
    }

    // `count` frames of 64x48 as in/000.png, in/001.png, ...
    std::string writeFrames(int count) const
    {
        fs::create_directories(m_dir / "in");
        for (int i = 0; i < count; ++i) {
            QImage image(64, 48, QImage::Format_RGB888);
            for (int y = 0; y < 48; ++y)
                for (int x = 0; x < 64; ++x)
                    image.setPixel(x, y, qRgb((x * 4 + i * 20) % 256, y * 5, (x + y + i * 7) % 256));
            const auto name
                = m_dir / "in" / QStringLiteral("%1.png").arg(i, 3, 10, QLatin1Char('0')).toStdString();
            EXPECT_TRUE(image.save(QString::fromStdString(name.string())));
        }
        return path("in/%03d.png");
    }

    // Files in the test folder whose names say a write did not finish.
    std::vector<std::string> leftovers() const
    {
        std::vector<std::string> partial;
        for (const auto& entry : fs::recursive_directory_iterator(m_dir))
            if (entry.path().filename().string().find("kinora-partial") != std::string::npos)
                partial.push_back(entry.path().string());
        return partial;
    }

    fs::path m_dir;
};

} // namespace

TEST_F(CliMedia, EncodePicksTheCodecByTheOutputsName)
{
    const auto input = writeFrames(8);
    const std::vector<std::pair<std::string, std::string>> cases { { "a.mp4", "h264" }, { "b.mov", "prores" },
        { "c.mkv", "ffv1" }, { "d.webm", "vp9" }, { "e.gif", "gif" }, { "f/%03d.png", "png" } };
    for (const auto& [name, codec] : cases) {
        const auto r = cli({ "encode", "-i", input, "-o", path(name) });
        ASSERT_EQ(r.exitCode, 0) << name << ": " << r.err;
        EXPECT_EQ(r.out, path(name) + "\n") << "stdout carries only the output";
        const auto described = info(path(name));
        EXPECT_EQ(described[QStringLiteral("codec")].toString().toStdString(), codec) << name;
        EXPECT_EQ(described[QStringLiteral("frames")].toInt(), 8) << name;
        EXPECT_EQ(described[QStringLiteral("width")].toInt(), 64) << name;
        EXPECT_EQ(described[QStringLiteral("height")].toInt(), 48) << name;
    }
    const auto h265 = cli({ "encode", "-i", input, "-o", path("g.mp4"), "--codec", "h265", "--crf", "30" });
    ASSERT_EQ(h265.exitCode, 0) << h265.err;
    EXPECT_EQ(info(path("g.mp4"))[QStringLiteral("codec")].toString(), QStringLiteral("hevc"));
    EXPECT_TRUE(leftovers().empty());
}

TEST_F(CliMedia, EncodeFollowsTheContractsRulesAndExitCodes)
{
    const auto input = writeFrames(4);
    const auto out = path("out.mp4");
    ASSERT_EQ(cli({ "encode", "-i", input, "-o", out }).exitCode, 0);
    const auto size = fs::file_size(out);
    const auto again = cli({ "encode", "-i", input, "-o", out, "--crf", "40" });
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("exists (use -y"), std::string::npos) << again.err;
    EXPECT_EQ(fs::file_size(out), size) << "an existing output is kept without -y";
    EXPECT_EQ(cli({ "encode", "-i", input, "-o", out, "--crf", "40", "-y" }).exitCode, 0);
    EXPECT_NE(fs::file_size(out), size) << "-y replaces it";

    EXPECT_EQ(cli({ "encode", "-i", input, "-o", path("x.mp4"), "--codec", "mpeg2" }).exitCode, 2);
    EXPECT_EQ(cli({ "encode", "-i", input, "-o", path("x.mp4"), "--fps", "fast" }).exitCode, 2);
    EXPECT_EQ(cli({ "encode", "-o", path("x.mp4") }).exitCode, 2) << "no input";
    const auto missing = cli({ "encode", "-i", path("nope.mp4"), "-o", path("x.mp4") });
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("nope.mp4: no such file"), std::string::npos) << missing.err;
    const auto unknown = cli({ "encode", "-i", input, "-o", path("x.abc") });
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_NE(unknown.err.find("cannot tell the format"), std::string::npos) << unknown.err;
    const auto mismatch = cli({ "encode", "-i", input, "-o", path("x.mp4"), "--codec", "prores" });
    EXPECT_EQ(mismatch.exitCode, 1);
    EXPECT_NE(mismatch.err.find(".mov"), std::string::npos) << "says where ProRes goes: " << mismatch.err;
    for (const auto& r : { missing, unknown, mismatch })
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one clear line: " << r.err;
    EXPECT_FALSE(fs::exists(path("x.mp4")));
    EXPECT_TRUE(leftovers().empty());
}

TEST_F(CliMedia, EncodeResamplesToAConstantRate)
{
    // Eight frames of an image sequence are a third of a second at 24 fps: four frames at 12.
    const auto input = writeFrames(8);
    ASSERT_EQ(cli({ "encode", "-i", input, "-o", path("half.mkv"), "--fps", "12" }).exitCode, 0);
    const auto half = info(path("half.mkv"));
    EXPECT_EQ(half[QStringLiteral("fps")].toString(), QStringLiteral("12/1"));
    EXPECT_EQ(half[QStringLiteral("frames")].toInt(), 4);
    ASSERT_EQ(cli({ "encode", "-i", input, "-o", path("ntsc.mp4"), "--fps", "29.97" }).exitCode, 0);
    const auto ntsc = info(path("ntsc.mp4"));
    EXPECT_EQ(ntsc[QStringLiteral("fps")].toString(), QStringLiteral("30000/1001"));
    EXPECT_EQ(ntsc[QStringLiteral("frames")].toInt(), 10) << "a third of a second at 29.97 fps";
}

TEST_F(CliMedia, EncodeCtrlCExits130AndLeavesNothing)
{
    ffmpeg({ "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=10", "-c:v", "libx264", "-preset",
        "ultrafast", path("long.mp4") });
    fs::create_directories(m_dir / "out");
    const auto r
        = runProcess(KINORA_CLI_PATH, { "encode", "-i", path("long.mp4"), "-o", path("out/long.mov") },
            kinora::test::ProcessOptions::interruptingWhen("frame "));
    EXPECT_EQ(r.exitCode, 130) << r.err;
    EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_TRUE(fs::is_empty(m_dir / "out")) << "no output and no partial file";
}

TEST_F(CliMedia, EncodeOnAFullDiskSaysSoAndLeavesNothing)
{
    ffmpeg({ "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264", "-preset",
        "ultrafast", path("in.mp4") });
    // FFV1 of 50 frames is megabytes; the program may write 200 KB.
    const auto r = runProcess(KINORA_CLI_PATH, { "encode", "-i", path("in.mp4"), "-o", path("out/full.mkv") },
        kinora::test::ProcessOptions::withFileSizeLimit(200 * 1024));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("disk is full"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("out/full.mkv")));
    EXPECT_FALSE(fs::exists(path("out"))) << "the folder made for the output is removed again";
    EXPECT_TRUE(leftovers().empty());
}

TEST_F(CliMedia, InfoOfASharedClipAgreesWithFfprobe)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/bedroom.mp4");
    const auto described = info(clip.string());
    const auto probe = runProcess("ffprobe",
        { "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
            "stream=width,height,avg_frame_rate,nb_read_frames,codec_name,pix_fmt,color_space", "-of", "json",
            clip.string() },
        kinora::test::ProcessOptions::fromPath());
    ASSERT_EQ(probe.exitCode, 0) << probe.err;
    const auto stream = QJsonDocument::fromJson(QByteArray::fromStdString(probe.out))
                            .object()[QStringLiteral("streams")]
                            .toArray()
                            .first()
                            .toObject();
    EXPECT_EQ(described[QStringLiteral("width")].toInt(), stream[QStringLiteral("width")].toInt());
    EXPECT_EQ(described[QStringLiteral("height")].toInt(), stream[QStringLiteral("height")].toInt());
    EXPECT_EQ(
        described[QStringLiteral("fps")].toString(), stream[QStringLiteral("avg_frame_rate")].toString());
    EXPECT_EQ(QString::number(described[QStringLiteral("frames")].toInt()),
        stream[QStringLiteral("nb_read_frames")].toString());
    EXPECT_EQ(described[QStringLiteral("codec")].toString(), stream[QStringLiteral("codec_name")].toString());
    EXPECT_EQ(described[QStringLiteral("pix_fmt")].toString(), stream[QStringLiteral("pix_fmt")].toString());
    EXPECT_EQ(described[QStringLiteral("color_space")].toString(),
        stream[QStringLiteral("color_space")].toString());
    EXPECT_FALSE(described[QStringLiteral("vfr")].toBool());
    EXPECT_FALSE(described[QStringLiteral("audio")].toBool());
    EXPECT_NEAR(described[QStringLiteral("duration")].toDouble(), 200.0 / 30.0, 1e-6);

    const auto text = cli({ "info", clip.string() });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("960x540"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("frames: 200"), std::string::npos) << text.out;
}

// The diffusion subcommands on video: an untrained tiny pack, two steps, so only what the files
// hold is judged (frame counts, rates, the audio), not the picture.
class CliVideoJobs : public CliMedia {
protected:
    void SetUp() override
    {
        CliMedia::SetUp();
        m_pack = path("pack");
        const auto made
            = runProcess(KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", m_pack });
        ASSERT_EQ(made.exitCode, 0) << made.err;
        // Six frames at 25 fps with a tone: footage with sound.
        ffmpeg({ "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-frames:v", "6", "-t", "0.24", "-c:v", "libx264", "-c:a",
            "aac", "-shortest", path("clip.mp4") });
    }

    ProcessResult job(std::vector<std::string> args) const
    {
        for (const char* a : { "--model", m_pack.c_str(), "--steps", "2", "--device", "cpu" })
            args.push_back(a);
        return cli(args);
    }

    std::string m_pack;
};

TEST_F(CliVideoJobs, InterpolateAVideoDoublesItsRateAndCarriesTheAudio)
{
    const auto r = job({ "interpolate", "-i", path("clip.mp4"), "--factor", "2", "-o", path("twice.mp4") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = info(path("twice.mp4"));
    EXPECT_EQ(out[QStringLiteral("frames")].toInt(), 11) << "K(N-1)+1";
    EXPECT_EQ(out[QStringLiteral("fps")].toString(), QStringLiteral("50/1"));
    EXPECT_EQ(out[QStringLiteral("width")].toInt(), 96) << "scaled back to the footage's size";
    EXPECT_TRUE(out[QStringLiteral("audio")].toBool()) << "the footage's sound is carried";
    EXPECT_EQ(out[QStringLiteral("audio_codec")].toString(), QStringLiteral("aac"));
    EXPECT_TRUE(fs::exists(path("twice.mp4.kinora.json")));

    const auto resampled
        = job({ "interpolate", "-i", path("clip.mp4"), "--fps", "60", "-o", path("sixty.mkv") });
    ASSERT_EQ(resampled.exitCode, 0) << resampled.err;
    const auto sixty = info(path("sixty.mkv"));
    EXPECT_EQ(sixty[QStringLiteral("fps")].toString(), QStringLiteral("60/1"));
    EXPECT_EQ(sixty[QStringLiteral("frames")].toInt(), 13)
        << "5 intervals of 1/25 s at 60 fps, and the last frame";
    EXPECT_TRUE(sixty[QStringLiteral("audio")].toBool());
    // Optical flow (the automatic method) re-times downwards too: 25 -> 20 fps, every output frame
    // 1.25 input frames on.
    const auto slower = job({ "interpolate", "-i", path("clip.mp4"), "--fps", "20", "-o", path("slow.mp4") });
    ASSERT_EQ(slower.exitCode, 0) << slower.err;
    const auto twenty = info(path("slow.mp4"));
    EXPECT_EQ(twenty[QStringLiteral("fps")].toString(), QStringLiteral("20/1"));
    EXPECT_EQ(twenty[QStringLiteral("frames")].toInt(), 5);
    EXPECT_TRUE(twenty[QStringLiteral("audio")].toBool());
    // The model only adds frames.
    const auto model = job({ "interpolate", "-i", path("clip.mp4"), "--fps", "20", "--method", "diffusion",
        "-o", path("m.mp4") });
    EXPECT_EQ(model.exitCode, 1);
    EXPECT_NE(model.err.find("not above the input's rate"), std::string::npos) << model.err;
}

TEST_F(CliVideoJobs, InpaintAVideoWithAVideoMaskWritesProRes)
{
    // The mask: white box on black, as a video of the same length.
    ffmpeg({ "-f", "lavfi", "-i", "color=black:size=96x64:rate=25", "-vf",
        "drawbox=x=30:y=20:w=30:h=20:color=white:t=fill", "-frames:v", "6", "-c:v", "ffv1",
        path("mask.mkv") });
    const auto r
        = job({ "inpaint", "-i", path("clip.mp4"), "-m", path("mask.mkv"), "-o", path("fixed.mov") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = info(path("fixed.mov"));
    EXPECT_EQ(out[QStringLiteral("codec")].toString(), QStringLiteral("prores"));
    EXPECT_EQ(out[QStringLiteral("frames")].toInt(), 6);
    EXPECT_EQ(out[QStringLiteral("fps")].toString(), QStringLiteral("25/1"));
    EXPECT_TRUE(out[QStringLiteral("audio")].toBool());
}

// A range of IN: OUT holds only the range's frames (every other one of them the input's own), with
// the footage's sound; a range past IN's end is exit 1 naming the flags.
TEST_F(CliMedia, InterpolateARangeWithStartAndCount)
{
    ffmpeg({ "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "0.4", "-c:v", "libx264", "-c:a", "aac",
        path("clip.mp4") }); // 10 frames, and sound all along (-frames:v would end the sound early)
    ASSERT_EQ(cli({ "encode", "-i", path("clip.mp4"), "-o", path("in/%03d.png") }).exitCode, 0);
    const auto r = cli({ "interpolate", "-i", path("clip.mp4"), "--factor", "2", "--start", "4", "--count",
        "3", "-o", path("out/%03d.png") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, path("out/%03d.png") + "\n");
    EXPECT_EQ(info(path("out/%03d.png"))[QStringLiteral("frames")].toInt(), 5) << "K(n-1)+1 of the 3";
    for (int i = 0; i < 3; ++i) {
        const auto name
            = [](int frame) { return QStringLiteral("%1.png").arg(frame, 3, 10, QLatin1Char('0')); };
        const QImage made(QString::fromStdString(path("out/")) + name(2 * i));
        const QImage input(QString::fromStdString(path("in/")) + name(4 + i));
        ASSERT_FALSE(made.isNull());
        EXPECT_EQ(made.convertToFormat(QImage::Format_RGB888), input.convertToFormat(QImage::Format_RGB888))
            << "output frame " << 2 * i << " is not input frame " << 4 + i;
    }

    const auto video = cli({ "interpolate", "-i", path("clip.mp4"), "--factor", "2", "--start", "4",
        "--count", "3", "-o", path("part.mp4") });
    ASSERT_EQ(video.exitCode, 0) << video.err;
    const auto part = info(path("part.mp4"));
    EXPECT_EQ(part[QStringLiteral("frames")].toInt(), 5);
    EXPECT_EQ(part[QStringLiteral("fps")].toString(), QStringLiteral("50/1"));
    EXPECT_TRUE(part[QStringLiteral("audio")].toBool()) << "the range's sound is carried";

    const auto past = cli({ "interpolate", "-i", path("clip.mp4"), "--factor", "2", "--start", "8", "--count",
        "3", "-o", path("past.mp4") });
    EXPECT_EQ(past.exitCode, 1) << past.err;
    EXPECT_NE(past.err.find("has 10 frames"), std::string::npos) << past.err;
    EXPECT_NE(past.err.find("--start and --count"), std::string::npos) << past.err;
    EXPECT_FALSE(fs::exists(path("past.mp4")));
    EXPECT_TRUE(leftovers().empty());
}

namespace {

double psnrRgb(const QImage& a, const QImage& b, const QImage& mask = {})
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888), y = b.convertToFormat(QImage::Format_RGB888);
    double sum = 0;
    int64_t count = 0;
    for (int row = 0; row < x.height(); ++row)
        for (int col = 0; col < x.width(); ++col) {
            if (!mask.isNull() && qGray(mask.pixel(col, row)) < 128)
                continue;
            const uchar* p = x.constScanLine(row) + 3 * col;
            const uchar* q = y.constScanLine(row) + 3 * col;
            for (int c = 0; c < 3; ++c)
                sum += (p[c] - q[c]) * (p[c] - q[c]);
            count += 3;
        }
    return 10 * std::log10(255.0 * 255.0 / std::max(sum / std::max<int64_t>(count, 1), 1e-10));
}

} // namespace

// The interpolation protocol on a real triplet: im0, im1 in, the middle frame against gt.
TEST_F(CliMedia, FlowInterpolationOfARealTripletBeatsTheCrossFade)
{
    KINORA_SHARED_DATA_FILE(middle, "interpolation/ucf101/1/gt.png");
    fs::create_directories(m_dir / "in");
    fs::copy_file(middle.parent_path() / "im0.png", m_dir / "in" / "000.png");
    fs::copy_file(middle.parent_path() / "im1.png", m_dir / "in" / "001.png");
    const QImage truth(QString::fromStdString(middle.string()));
    double psnr[2] = { 0, 0 };
    int i = 0;
    for (const char* method : { "flow", "blend" }) {
        const std::string out = path(std::string(method) + "/%03d.png");
        const auto r = cli(
            { "interpolate", "-i", path("in/%03d.png"), "--factor", "2", "--method", method, "-o", out });
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_EQ(info(out)[QStringLiteral("frames")].toInt(), 3);
        psnr[i++] = psnrRgb(QImage(QString::fromStdString(path(std::string(method) + "/001.png"))), truth);
    }
    std::cout << "flow " << psnr[0] << " dB, cross-fade " << psnr[1] << " dB\n";
    EXPECT_GE(psnr[0], psnr[1] + 1.0);
    QFile sidecarFile(QString::fromStdString(path("flow/%03d.png.kinora.json")));
    ASSERT_TRUE(sidecarFile.open(QIODevice::ReadOnly));
    const auto sidecar = QJsonDocument::fromJson(sidecarFile.readAll()).object();
    EXPECT_EQ(sidecar[QStringLiteral("request")].toObject()[QStringLiteral("method")].toString(),
        QStringLiteral("flow"));
}

// A real clip under its own object masks (palette PNGs): every pixel outside the masks is the
// decoded input's, and the clip keeps its length.
TEST_F(CliMedia, FlowInpaintingOfARealClipKeepsEveryPixelOutsideTheMask)
{
    KINORA_SHARED_DATA_FILE(video, "inpainting/dogs_jump/video.mp4");
    const auto masks = video.parent_path() / "masks" / "%05d.png";
    ASSERT_EQ(cli({ "encode", "-i", video.string(), "-o", path("in/%03d.png") }).exitCode, 0);
    const auto r
        = cli({ "inpaint", "-i", path("in/%03d.png"), "-m", masks.string(), "-o", path("out/%03d.png") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("using optical flow"), std::string::npos) << r.err;
    EXPECT_EQ(info(path("out/%03d.png"))[QStringLiteral("frames")].toInt(), 66);
    for (const int frame : { 0, 33, 65 }) {
        char name[16];
        std::snprintf(name, sizeof name, "%03d.png", frame);
        char maskName[16];
        std::snprintf(maskName, sizeof maskName, "%05d.png", frame);
        const QImage in(QString::fromStdString(path(std::string("in/") + name)));
        const QImage out(QString::fromStdString(path(std::string("out/") + name)));
        QImage mask(QString::fromStdString((video.parent_path() / "masks" / maskName).string()));
        mask = mask.convertToFormat(QImage::Format_Indexed8);
        ASSERT_EQ(out.size(), in.size());
        int changedOutside = 0, changedInside = 0;
        for (int y = 0; y < in.height(); ++y)
            for (int x = 0; x < in.width(); ++x) {
                const bool masked = mask.pixelIndex(x, y) != 0;
                const bool same = in.pixel(x, y) == out.pixel(x, y);
                changedOutside += !masked && !same;
                changedInside += masked && !same;
            }
        EXPECT_EQ(changedOutside, 0) << "frame " << frame;
        EXPECT_GT(changedInside, 0) << "frame " << frame << ": the object was not removed";
    }
}
