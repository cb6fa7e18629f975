// Export through FFmpeg: every preset writes a file ffprobe reads back with the codec, pixel format,
// size, frame count and rate asked for, and pictures as good as the ffmpeg command line's for the
// same settings; lossless presets are bit-exact; deep frames keep more than 8 bits; metadata and odd
// sizes survive. Safety and audio are in video_export_safety_test.cpp.

#include "media_test_support.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTransform>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

namespace {

using kinora::core::ClipMeta;
using kinora::core::EncodeSettings;
using kinora::core::JobCallbacks;
using kinora::core::Rational;
using kinora::core::VideoCodec;
using kinora::core::VideoReaderOptions;
namespace test = kinora::test;

const QSize kSize { 128, 72 };
constexpr int kFrames = 24;

struct PresetCase {
    VideoCodec codec;
    Rational fps;
    const char* output; // in the temporary folder
    const char* probeCodec; // ffprobe's codec_name
    const char* probePixFmt; // ffprobe's pix_fmt: what the decoder gives, not always what was written
    double minPsnr; // what this pattern keeps at best: 4:2:0 and 4:2:2 blur its sharp colour edges
    QSize size = kSize;
};

// How gtest (and CTest's test names) show a case.
void PrintTo(const PresetCase& c, std::ostream* os)
{
    *os << kinora::core::codecName(c.codec) << " at " << c.fps.toString().toStdString();
}

std::string caseName(const testing::TestParamInfo<PresetCase>& info)
{
    return std::string(kinora::core::codecName(info.param.codec)) + "_" + std::to_string(info.param.fps.num)
        + "_" + std::to_string(info.param.fps.den);
}

bool isPattern(const QString& output)
{
    return output.contains(QLatin1Char('%'));
}

// The file ffprobe looks at: the first frame of a PNG sequence.
QString probePath(const QString& output)
{
    return isPattern(output) ? kinora::core::sequenceFramePath(output, 0) : output;
}

std::vector<QImage> readBack(const QString& path, QImage::Format format = QImage::Format_RGB888)
{
    VideoReaderOptions options;
    options.format = format;
    return kinora::core::readVideo(path, options);
}

// The ffmpeg command line's encode of the same frames with ffmpegArguments().
QString encodeWithCli(const QString& dir, const std::vector<QImage>& frames, const EncodeSettings& settings,
    const QString& name)
{
    const QString raw = dir + QStringLiteral("/raw.rgb");
    QFile file(raw);
    if (!file.open(QIODevice::WriteOnly) || file.write(test::rawRgb24(frames)) < 0)
        throw std::runtime_error("cannot write raw frames");
    file.close();
    const QSize size = frames.front().size();
    const QString out = dir + QStringLiteral("/cli-") + name;
    QStringList args { QStringLiteral("-f"), QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"),
        QStringLiteral("rgb24"), QStringLiteral("-s"),
        QStringLiteral("%1x%2").arg(size.width()).arg(size.height()), QStringLiteral("-r"),
        settings.meta.fps.toString(), QStringLiteral("-i"), raw };
    args << kinora::core::ffmpegArguments(settings, QImage::Format_RGB888, size);
    if (isPattern(out))
        args << QStringLiteral("-start_number") << QStringLiteral("0");
    test::ffmpeg(args << out);
    return out;
}

std::string formatPsnr(double db)
{
    char text[32];
    std::snprintf(text, sizeof text, db >= 100 ? "exact" : "%.2f dB", db);
    return text;
}

class VideoExportPreset : public testing::TestWithParam<PresetCase> {
public:
    static void TearDownTestSuite()
    {
        std::cout
            << "\n[ export table ] preset | codec | pix_fmt | frames | fps | PSNR ours | PSNR ffmpeg CLI\n";
        for (const std::string& row : table())
            std::cout << "[ export table ] " << row << "\n";
        std::cout << std::flush;
    }

protected:
    static std::vector<std::string>& table()
    {
        static std::vector<std::string> rows;
        return rows;
    }
};

// Writes the pattern clip with writeVideo() and with the ffmpeg CLI; ffprobe checks ours, and both
// are decoded the same way (readVideo) and compared with the source frames.
TEST_P(VideoExportPreset, RoundTripMatchesAskedAndFfmpegCli)
{
    const PresetCase& c = GetParam();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::vector<QImage> frames = test::patternFrames(kFrames, c.size);
    EncodeSettings settings;
    settings.codec = c.codec;
    settings.meta.fps = c.fps;
    const QString out = dir.filePath(QString::fromLatin1(c.output));
    ASSERT_TRUE(kinora::core::writeVideo(out, frames, settings));

    const QJsonObject s = test::probeVideoStream(probePath(out));
    EXPECT_EQ(s.value("codec_name").toString(), QLatin1String(c.probeCodec));
    // ProRes 4444 is written as yuva444p10le, but FFmpeg's prores decoder always hands 4444 out as
    // 12-bit (yuva444p12le), so that is what ffprobe reports.
    EXPECT_EQ(s.value("pix_fmt").toString(), QLatin1String(c.probePixFmt));
    EXPECT_EQ(s.value("width").toInt(), c.size.width());
    EXPECT_EQ(s.value("height").toInt(), c.size.height());
    int frameCount = s.value("nb_read_frames").toString().toInt();
    if (isPattern(out)) {
        frameCount
            = static_cast<int>(QDir(dir.path()).entryList({ QStringLiteral("*.png") }, QDir::Files).size());
        EXPECT_EQ(s.value("nb_read_frames").toString(), QLatin1String("1"));
    } else {
        EXPECT_EQ(s.value("avg_frame_rate").toString(), c.fps.toString());
    }
    EXPECT_EQ(frameCount, kFrames);

    const std::vector<QImage> ours = readBack(out);
    ASSERT_EQ(ours.size(), frames.size());
    const double oursDb = test::meanPsnr(frames, ours);
    const std::vector<QImage> cli
        = readBack(encodeWithCli(dir.path(), frames, settings, QFileInfo(out).fileName()));
    ASSERT_EQ(cli.size(), frames.size());
    const double cliDb = test::meanPsnr(frames, cli);
    EXPECT_GT(oursDb, c.minPsnr) << "the pictures are damaged";
    EXPECT_NEAR(oursDb, cliDb, 0.1) << "ours " << oursDb << " dB, ffmpeg CLI " << cliDb << " dB";

    const std::string row = std::string(kinora::core::codecName(c.codec)) + " | "
        + s.value("codec_name").toString().toStdString() + " | " + s.value("pix_fmt").toString().toStdString()
        + " | " + std::to_string(frameCount) + " | "
        + (isPattern(out) ? std::string("(sequence)") : s.value("avg_frame_rate").toString().toStdString())
        + " | " + formatPsnr(oursDb) + " | " + formatPsnr(cliDb);
    std::cout << "[ export table ] " << row << std::endl;
    RecordProperty("row", row);
    table().push_back(row);
}

const Rational kNtsc { 30000, 1001 };

INSTANTIATE_TEST_SUITE_P(Presets, VideoExportPreset,
    testing::Values(PresetCase { VideoCodec::H264, kNtsc, "out.mp4", "h264", "yuv420p", 28 },
        PresetCase { VideoCodec::H264, { 24, 1 }, "out.mp4", "h264", "yuv420p", 28 },
        PresetCase { VideoCodec::H264, { 179, 6 }, "out.mp4", "h264", "yuv420p", 28 },
        PresetCase { VideoCodec::H265, kNtsc, "out.mp4", "hevc", "yuv420p", 28 },
        PresetCase { VideoCodec::ProRes, kNtsc, "out.mov", "prores", "yuv422p10le", 32 },
        PresetCase { VideoCodec::ProRes4444, kNtsc, "out.mov", "prores", "yuva444p12le", 55 },
        // DNxHR takes nothing smaller than 256x120.
        PresetCase { VideoCodec::DnxHR, kNtsc, "out.mov", "dnxhd", "yuv422p", 32, { 256, 144 } },
        PresetCase { VideoCodec::Vp9, kNtsc, "out.webm", "vp9", "yuv420p", 28 },
        PresetCase { VideoCodec::Av1, kNtsc, "out.mp4", "av1", "yuv420p", 28 },
        // GIF stores delays in centiseconds: 25 fps (4 cs) is exact.
        PresetCase { VideoCodec::Gif, { 25, 1 }, "out.gif", "gif", "bgra", 24 },
        PresetCase { VideoCodec::Png, kNtsc, "%03d.png", "png", "rgb24", 100 - 1e-9 },
        PresetCase { VideoCodec::Ffv1, kNtsc, "out.mkv", "ffv1", "bgr0", 100 - 1e-9 }),
    caseName);

// Channel values that differ between two frames of one format (any count of channels and depth).
int64_t differingValues(const QImage& a, const QImage& b)
{
    if (a.size() != b.size() || a.format() != b.format())
        return -1;
    const bool deep = a.depth() == 64;
    const bool padded = a.format() == QImage::Format_RGBX64; // the X channel carries nothing
    int64_t count = 0;
    for (int y = 0; y < a.height(); ++y) {
        if (deep) {
            const auto* p = reinterpret_cast<const quint16*>(a.constScanLine(y));
            const auto* q = reinterpret_cast<const quint16*>(b.constScanLine(y));
            for (int i = 0; i < a.width() * 4; ++i)
                count += (!padded || i % 4 != 3) && p[i] != q[i];
        } else {
            const uchar* p = a.constScanLine(y);
            const uchar* q = b.constScanLine(y);
            for (int i = 0; i < a.width() * a.depth() / 8; ++i)
                count += p[i] != q[i];
        }
    }
    return count;
}

TEST(VideoExport, PngAndFfv1AreBitExact)
{
    struct Case {
        VideoCodec codec;
        const char* output;
        QImage::Format format;
        const char* probePixFmt;
    };
    const Case cases[] = {
        { VideoCodec::Png, "rgb8/%03d.png", QImage::Format_RGB888, "rgb24" },
        { VideoCodec::Png, "rgb16/%03d.png", QImage::Format_RGBX64, "rgb48be" },
        { VideoCodec::Png, "rgba8/%03d.png", QImage::Format_RGBA8888, "rgba" },
        { VideoCodec::Ffv1, "rgb8.mkv", QImage::Format_RGB888, "bgr0" },
        // Written as rgb48le; FFV1 stores RGB as planes, so its decoder hands out gbrp16le.
        { VideoCodec::Ffv1, "rgb16.mkv", QImage::Format_RGBX64, "gbrp16le" },
        { VideoCodec::Ffv1, "rgba8.mkv", QImage::Format_RGBA8888, "bgra" },
    };
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    for (const Case& c : cases) {
        SCOPED_TRACE(c.output);
        const std::vector<QImage> frames = test::patternFrames(8, { 96, 64 }, c.format);
        EncodeSettings settings;
        settings.codec = c.codec;
        const QString out = dir.filePath(QString::fromLatin1(c.output));
        ASSERT_TRUE(kinora::core::writeVideo(out, frames, settings));
        EXPECT_EQ(
            test::probeVideoStream(probePath(out)).value("pix_fmt").toString(), QLatin1String(c.probePixFmt));
        const std::vector<QImage> back = readBack(out, c.format);
        ASSERT_EQ(back.size(), frames.size());
        for (size_t i = 0; i < frames.size(); ++i)
            EXPECT_EQ(differingValues(frames[i], back[i]), 0) << "frame " << i;
    }
}

// A smooth 16-bit gradient whose values mostly fall between 8-bit steps.
std::vector<QImage> deepGradient(int count, QSize size)
{
    std::vector<QImage> frames;
    for (int t = 0; t < count; ++t) {
        QImage image(size, QImage::Format_RGBX64);
        for (int y = 0; y < size.height(); ++y) {
            auto* line = reinterpret_cast<QRgba64*>(image.scanLine(y));
            for (int x = 0; x < size.width(); ++x) {
                const auto r = static_cast<quint16>(20000 + 97 * x + 13 * t);
                const auto g = static_cast<quint16>(24000 + 61 * y + 29 * x);
                const auto b = static_cast<quint16>(30000 + 53 * (x + y));
                line[x] = QRgba64::fromRgba64(r, g, b, 65535);
            }
        }
        frames.push_back(image);
    }
    return frames;
}

// Mean absolute difference of the R, G, B channels in 16-bit units.
double meanAbsError16(const std::vector<QImage>& a, const std::vector<QImage>& b)
{
    double sum = 0;
    int64_t n = 0;
    for (size_t f = 0; f < a.size(); ++f)
        for (int y = 0; y < a[f].height(); ++y) {
            const auto* p = reinterpret_cast<const quint16*>(a[f].constScanLine(y));
            const auto* q = reinterpret_cast<const quint16*>(b[f].constScanLine(y));
            for (int i = 0; i < a[f].width() * 4; ++i)
                if (i % 4 != 3) {
                    sum += std::abs(int(p[i]) - int(q[i]));
                    ++n;
                }
        }
    return sum / double(n);
}

// The same frames rounded to 8 bits a channel: what an 8-bit path would keep at best.
std::vector<QImage> roundedTo8Bits(const std::vector<QImage>& frames)
{
    std::vector<QImage> out;
    for (const QImage& f : frames)
        out.push_back(f.convertToFormat(QImage::Format_RGB888).convertToFormat(QImage::Format_RGBX64));
    return out;
}

TEST(VideoExport, DeepFramesKeepMoreThanEightBits)
{
    struct Case {
        VideoCodec codec;
        const char* output;
        const char* probePixFmt;
    };
    const Case cases[] = {
        { VideoCodec::ProRes, "deep.mov", "yuv422p10le" },
        { VideoCodec::DnxHR, "deep-dnxhr.mov", "yuv422p10le" },
        { VideoCodec::Ffv1, "deep.mkv", "gbrp16le" },
        { VideoCodec::Png, "deep/%03d.png", "rgb48be" },
    };
    const std::vector<QImage> frames = deepGradient(6, { 256, 144 }); // DNxHR's smallest is 256x120
    const double eightBitError = meanAbsError16(frames, roundedTo8Bits(frames));
    ASSERT_GT(eightBitError, 40.0) << "the gradient should fall between 8-bit steps";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    for (const Case& c : cases) {
        SCOPED_TRACE(c.output);
        EncodeSettings settings;
        settings.codec = c.codec;
        const QString out = dir.filePath(QString::fromLatin1(c.output));
        ASSERT_TRUE(kinora::core::writeVideo(out, frames, settings));
        EXPECT_EQ(
            test::probeVideoStream(probePath(out)).value("pix_fmt").toString(), QLatin1String(c.probePixFmt));
        const std::vector<QImage> back = readBack(out, QImage::Format_RGBX64);
        ASSERT_EQ(back.size(), frames.size());
        const double error = meanAbsError16(frames, back);
        if (c.codec == VideoCodec::Png || c.codec == VideoCodec::Ffv1) {
            EXPECT_EQ(error, 0.0);
            continue;
        }
        // The same export made from the frames rounded to 8 bits: what an 8-bit path would keep.
        const QString shallow = dir.filePath(QStringLiteral("8bit-") + QFileInfo(out).fileName());
        ASSERT_TRUE(kinora::core::writeVideo(shallow, roundedTo8Bits(frames), settings));
        const double shallowError = meanAbsError16(frames, readBack(shallow, QImage::Format_RGBX64));
        std::cout << "[ deep ] " << kinora::core::codecName(c.codec) << ": mean error " << error
                  << " (16-bit units); from 8-bit frames " << shallowError << "; rounding to 8 bits alone "
                  << eightBitError << std::endl;
        EXPECT_LT(error, eightBitError * 0.75);
        EXPECT_LT(error, shallowError * 0.75);
    }
}

QString tag(const QJsonObject& stream, const char* key)
{
    return stream.value("tags").toObject().value(QLatin1String(key)).toString();
}

// ffprobe 5.1 prints the display matrix as side data ("rotation": -90 for a player turning the
// picture 90 degrees clockwise); older versions printed a "rotate" tag.
int probedRotation(const QJsonObject& stream)
{
    for (const QJsonValue& side : stream.value("side_data_list").toArray())
        if (side.toObject().contains("rotation"))
            return side.toObject().value("rotation").toInt();
    return tag(stream, "rotate").isEmpty() ? 0 : -tag(stream, "rotate").toInt();
}

QString probedTimecode(const QString& path)
{
    for (const QJsonObject& s : test::probeStreams(path))
        if (!tag(s, "timecode").isEmpty())
            return tag(s, "timecode");
    return {};
}

// Frame 0 as the ffmpeg CLI shows it: turned upright by the display matrix (autorotate).
QImage firstFrameAsPlayed(const QString& path, const QString& dir)
{
    const QString raw = dir + QStringLiteral("/played.rgb");
    test::ffmpeg(
        { QStringLiteral("-i"), path, QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-f"),
            QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"), QStringLiteral("rgb24"), raw });
    const QJsonObject s = test::probeVideoStream(path);
    const bool turned = std::abs(probedRotation(s)) == 90;
    const int w = s.value(turned ? "height" : "width").toInt();
    const int h = s.value(turned ? "width" : "height").toInt();
    QFile file(raw);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    if (bytes.size() != w * h * 3)
        return {};
    QImage image(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        std::memcpy(image.scanLine(y), bytes.constData() + static_cast<ptrdiff_t>(y) * w * 3,
            static_cast<size_t>(w) * 3);
    return image;
}

TEST(VideoExport, KeepsSampleAspectRotationTimecodeAndColourTags)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::vector<QImage> frames = test::patternFrames(12, kSize);
    for (const auto& [codec, name] :
        { std::pair { VideoCodec::H264, "meta.mp4" }, std::pair { VideoCodec::ProRes, "meta.mov" } }) {
        SCOPED_TRACE(name);
        EncodeSettings settings;
        settings.codec = codec;
        settings.meta.fps = kNtsc;
        settings.meta.sampleAspect = { 64, 45 };
        settings.meta.rotation = 90;
        settings.meta.timecode = QStringLiteral("01:00:00:00");
        settings.meta.color = { 6, 6, 6, 1 }; // BT.601 (SMPTE 170M) primaries, transfer and matrix
        const QString out = dir.filePath(QString::fromLatin1(name));
        ASSERT_TRUE(kinora::core::writeVideo(out, frames, settings));
        const QJsonObject s = test::probeVideoStream(out);
        EXPECT_EQ(s.value("sample_aspect_ratio").toString(), QLatin1String("64:45"));
        EXPECT_EQ(probedRotation(s), -90);
        EXPECT_EQ(probedTimecode(out), QLatin1String("01:00:00:00"));
        EXPECT_EQ(s.value("color_space").toString(), QLatin1String("smpte170m"));
        EXPECT_EQ(s.value("color_primaries").toString(), QLatin1String("smpte170m"));
        EXPECT_EQ(s.value("color_transfer").toString(), QLatin1String("smpte170m"));
        EXPECT_EQ(s.value("color_range").toString(), QLatin1String("tv"));
        // Our own reader sees the same, so a re-export keeps it.
        const kinora::core::MediaInfo info = kinora::core::probeMedia(out);
        EXPECT_EQ(info.rotation, 90);
        EXPECT_EQ(info.sampleAspect, (Rational { 64, 45 }));
        EXPECT_EQ(info.timecode, QLatin1String("01:00:00:00"));
        EXPECT_EQ(info.color, settings.meta.color);
        // The picture was converted with the BT.601 matrix it is tagged with, as the CLI converts.
        const QString cli = encodeWithCli(dir.path(), frames, settings, QFileInfo(out).fileName());
        EXPECT_EQ(test::probeVideoStream(cli).value("color_space").toString(), QLatin1String("smpte170m"));
        EXPECT_NEAR(test::meanPsnr(frames, readBack(out)), test::meanPsnr(frames, readBack(cli)), 0.1);
        // A player (ffmpeg, which turns pictures by the display matrix) shows them turned clockwise.
        const QImage shown = firstFrameAsPlayed(out, dir.path());
        const QImage clockwise = frames[0].transformed(QTransform().rotate(90));
        ASSERT_EQ(shown.size(), clockwise.size());
        EXPECT_GT(test::psnr(shown, clockwise), 25.0);
        EXPECT_GT(test::psnr(shown, clockwise),
            test::psnr(shown, frames[0].transformed(QTransform().rotate(-90))) + 5);
    }
}

TEST(VideoExport, GeneratedClipsAreTaggedBt709Limited)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("generated.mp4"));
    ASSERT_TRUE(kinora::core::writeVideo(out, test::patternFrames(6, kSize), EncodeSettings {}));
    const QJsonObject s = test::probeVideoStream(out);
    EXPECT_EQ(s.value("color_space").toString(), QLatin1String("bt709"));
    EXPECT_EQ(s.value("color_primaries").toString(), QLatin1String("bt709"));
    EXPECT_EQ(s.value("color_transfer").toString(), QLatin1String("bt709"));
    EXPECT_EQ(s.value("color_range").toString(), QLatin1String("tv"));
    EXPECT_EQ(s.value("avg_frame_rate").toString(), QLatin1String("24/1"));
    EXPECT_EQ(probedRotation(s), 0);
}

TEST(VideoExport, OddSizeIsPaddedOnlyWhereChromaNeedsIt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::vector<QImage> frames = test::patternFrames(6, { 127, 71 });
    QStringList warnings;
    JobCallbacks callbacks;
    callbacks.onWarning = [&](const QString& w) { warnings << w; };

    EncodeSettings h264;
    const QString padded = dir.filePath(QStringLiteral("odd.mp4"));
    ASSERT_TRUE(kinora::core::writeVideo(padded, frames, h264, callbacks));
    QJsonObject s = test::probeVideoStream(padded);
    EXPECT_EQ(s.value("width").toInt(), 128);
    EXPECT_EQ(s.value("height").toInt(), 72);
    ASSERT_EQ(warnings.size(), 1);
    EXPECT_TRUE(
        warnings[0].contains(QLatin1String("127x71")) && warnings[0].contains(QLatin1String("128x72")))
        << warnings[0].toStdString();
    // The padding repeats the last column and row, so the picture inside is intact.
    const std::vector<QImage> back = readBack(padded);
    ASSERT_EQ(back.size(), frames.size());
    std::vector<QImage> cropped;
    for (const QImage& f : back)
        cropped.push_back(f.copy(0, 0, 127, 71));
    EXPECT_GT(test::meanPsnr(frames, cropped), 28.0);
    for (const QImage& f : back) // the added column and row repeat their neighbours
        EXPECT_GT(test::psnr(f.copy(127, 0, 1, 72), f.copy(126, 0, 1, 72)), 30.0);

    warnings.clear();
    EncodeSettings ffv1;
    ffv1.codec = VideoCodec::Ffv1;
    const QString exact = dir.filePath(QStringLiteral("odd.mkv"));
    ASSERT_TRUE(kinora::core::writeVideo(exact, frames, ffv1, callbacks));
    s = test::probeVideoStream(exact);
    EXPECT_EQ(s.value("width").toInt(), 127);
    EXPECT_EQ(s.value("height").toInt(), 71);
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();
}

TEST(VideoExport, ProgressCountsEveryFrame)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    std::vector<kinora::core::JobProgress> seen;
    JobCallbacks callbacks;
    callbacks.onProgress = [&](const kinora::core::JobProgress& p) { seen.push_back(p); };
    const std::vector<QImage> frames = test::patternFrames(9, kSize);
    ASSERT_TRUE(kinora::core::writeVideo(dir.filePath(QStringLiteral("p.mp4")), frames, {}, callbacks));
    ASSERT_EQ(seen.size(), frames.size());
    for (size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i].step, static_cast<int>(i) + 1);
        EXPECT_EQ(seen[i].total, static_cast<int>(frames.size()));
    }
}

} // namespace
