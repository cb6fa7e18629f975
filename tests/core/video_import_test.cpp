// Import through FFmpeg: real footage opens with the frame count, rate, size and audio ffprobe
// reports, and frame N by seeking is byte-identical to frame N by decoding in order; synthetic
// clips made by the ffmpeg command line cover odd rates, variable rates, rotation, deep and
// full-range footage, image sequences and thumbnails. Bad input is in video_import_errors_test.cpp.

#include "media_test_support.h"
#include "shared_data.h"

#include "kinora/core/video_reader.h"

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTransform>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using kinora::core::MediaError;
using kinora::core::Rational;
using kinora::core::VideoReader;
using kinora::core::VideoReaderOptions;
namespace test = kinora::test;

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

// ffprobe prints numbers as strings in its JSON.
int64_t num(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString().toLongLong() : static_cast<int64_t>(v.toDouble());
}

// The picture's bytes, without the padding at the end of each line.
QByteArray frameHash(const QImage& image)
{
    QCryptographicHash hash(QCryptographicHash::Md5);
    const qsizetype lineBytes = static_cast<qsizetype>(image.width()) * image.depth() / 8;
    for (int y = 0; y < image.height(); ++y)
        hash.addData(QByteArrayView(image.constScanLine(y), lineBytes));
    return hash.result();
}

// The video packets' presentation times (pts, else dts) in ffprobe's view, and which are keyframes,
// sorted into presentation order.
struct PacketTimes {
    std::vector<int64_t> pts;
    std::vector<int64_t> keyframes; // presentation indices
    bool complete = true; // every packet had a time
};

PacketTimes probePackets(const QString& path)
{
    const test::ProcessResult r = test::runProgram(QStringLiteral("ffprobe"),
        { QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-select_streams"),
            QStringLiteral("v:0"), QStringLiteral("-show_entries"), QStringLiteral("packet=pts,dts,flags"),
            QStringLiteral("-of"), QStringLiteral("csv=p=0"), path });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    std::vector<std::pair<int64_t, bool>> packets;
    PacketTimes times;
    int64_t order = 0;
    for (const QByteArray& line : r.out.split('\n')) {
        const QList<QByteArray> fields = line.trimmed().split(',');
        if (fields.size() < 3)
            continue;
        bool ok = false;
        int64_t ts = fields[0].toLongLong(&ok);
        if (!ok)
            ts = fields[1].toLongLong(&ok);
        if (!ok) {
            times.complete = false;
            ts = order;
        }
        ++order;
        packets.emplace_back(ts, fields[2].contains('K'));
    }
    std::stable_sort(
        packets.begin(), packets.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < packets.size(); ++i) {
        times.pts.push_back(packets[i].first);
        if (packets[i].second)
            times.keyframes.push_back(static_cast<int64_t>(i));
    }
    return times;
}

// The rule VideoReader promises ("frame durations vary" beyond a tick of rounding), applied to
// ffprobe's packet times.
bool variableRate(const std::vector<int64_t>& pts)
{
    if (pts.size() < 3)
        return false;
    std::vector<int64_t> deltas;
    for (size_t i = 1; i < pts.size(); ++i)
        deltas.push_back(pts[i] - pts[i - 1]);
    std::vector<int64_t> sorted = deltas;
    std::nth_element(
        sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const int64_t median = sorted[sorted.size() / 2];
    const double tolerance = std::max(1.5, 0.05 * static_cast<double>(median));
    return std::any_of(deltas.begin(), deltas.end(),
        [&](int64_t d) { return std::abs(static_cast<double>(d - median)) > tolerance; });
}

// Every frame of `path` as the ffmpeg command line decodes it (rotation applied, as players do), in
// RGB24 at `size`.
std::vector<QImage> ffmpegFrames(const QString& path, QSize size, const QStringList& inputOptions = {})
{
    const test::ProcessResult r = test::runProgram(QStringLiteral("ffmpeg"),
        QStringList { QStringLiteral("-v"), QStringLiteral("error") } + inputOptions
            + QStringList { QStringLiteral("-i"), path, QStringLiteral("-f"), QStringLiteral("rawvideo"),
                QStringLiteral("-pix_fmt"), QStringLiteral("rgb24"), QStringLiteral("-") });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    const qsizetype frameBytes = static_cast<qsizetype>(size.width()) * size.height() * 3;
    std::vector<QImage> frames;
    for (qsizetype at = 0; at + frameBytes <= r.out.size(); at += frameBytes) {
        QImage image(size, QImage::Format_RGB888);
        for (int y = 0; y < size.height(); ++y)
            std::memcpy(image.scanLine(y),
                r.out.constData() + at + static_cast<qsizetype>(y) * size.width() * 3,
                static_cast<size_t>(size.width()) * 3);
        frames.push_back(image);
    }
    return frames;
}

std::vector<QImage> readAll(VideoReader& reader)
{
    std::vector<QImage> frames;
    QImage image;
    while (reader.next(image))
        frames.push_back(image);
    return frames;
}

// ---------------------------------------------------------------------------------------------
// Real footage

class VideoImportClips : public testing::TestWithParam<const char*> { };

// Frames to fetch by index, in an order that jumps backwards as well as forwards: the middle, the
// last, around the second keyframe (or the middle when there is one), the first, and a few at random.
std::vector<int64_t> seekOrder(int64_t count, const std::vector<int64_t>& keyframes)
{
    const int64_t key = keyframes.size() > 1 ? keyframes[1] : count / 2;
    std::vector<int64_t> order { count / 2, count - 1, key + 1, key, key - 1, 0 };
    std::mt19937 random(static_cast<unsigned>(count));
    for (int i = 0; i < 2; ++i)
        order.push_back(static_cast<int64_t>(random() % static_cast<unsigned>(count)));
    std::erase_if(order, [&](int64_t i) { return i < 0 || i >= count; });
    return order;
}

TEST_P(VideoImportClips, MatchesFfprobeAndSeeksExactly)
{
    KINORA_SHARED_DATA_FILE(file, std::string("clips/") + GetParam());
    const QString path = QString::fromStdString(file.string());
    // One ffprobe run (it decodes every frame to count them) for both streams.
    QJsonObject probe;
    bool probeAudio = false;
    for (const QJsonObject& s : test::probeStreams(path)) {
        if (str(s, "codec_type") == QLatin1String("video") && probe.isEmpty())
            probe = s;
        probeAudio = probeAudio || str(s, "codec_type") == QLatin1String("audio");
    }
    ASSERT_FALSE(probe.isEmpty()) << "ffprobe sees no video stream";
    const PacketTimes packets = probePackets(path);

    auto reader = VideoReader::open(path);
    const auto& info = reader->info();
    std::vector<QByteArray> hashes;
    QImage image;
    while (reader->next(image)) {
        ASSERT_EQ(image.size(), QSize(info.width, info.height));
        hashes.push_back(frameHash(image));
    }
    const bool probeVfr = packets.complete && variableRate(packets.pts);
    std::printf(
        "[import] %-22s frames %4lld / %4lld (in order %4zu) | fps %s / %s | %dx%d / %lldx%lld | vfr %s / "
        "%s | audio %s / %s\n",
        GetParam(), static_cast<long long>(info.frames), static_cast<long long>(num(probe, "nb_read_frames")),
        hashes.size(), qPrintable(info.fps.toString()), qPrintable(str(probe, "avg_frame_rate")), info.width,
        info.height, static_cast<long long>(num(probe, "width")),
        static_cast<long long>(num(probe, "height")), info.vfr ? "yes" : "no", probeVfr ? "yes" : "no",
        info.audio ? "yes" : "no", probeAudio ? "yes" : "no");

    EXPECT_EQ(info.frames, num(probe, "nb_read_frames"));
    EXPECT_EQ(static_cast<int64_t>(hashes.size()), info.frames);
    EXPECT_EQ(info.fps.toString(), str(probe, "avg_frame_rate"));
    EXPECT_EQ(info.width, num(probe, "width"));
    EXPECT_EQ(info.height, num(probe, "height"));
    EXPECT_EQ(info.audio, probeAudio);
    EXPECT_EQ(info.vfr, probeVfr);
    EXPECT_EQ(info.codec, str(probe, "codec_name"));
    EXPECT_EQ(reader->frameCount(), info.frames);

    for (const int64_t index : seekOrder(static_cast<int64_t>(hashes.size()), packets.keyframes)) {
        SCOPED_TRACE("frameAt(" + std::to_string(index) + ")");
        const QImage frame = reader->frameAt(index);
        EXPECT_EQ(frameHash(frame), hashes[static_cast<size_t>(index)]);
        EXPECT_EQ(reader->position(), index + 1);
    }
    // And in order again from where the last seek left the reader.
    const int64_t resume = reader->position();
    if (resume < static_cast<int64_t>(hashes.size())) {
        ASSERT_TRUE(reader->next(image));
        EXPECT_EQ(frameHash(image), hashes[static_cast<size_t>(resume)]);
    }
}

INSTANTIATE_TEST_SUITE_P(VideoImport, VideoImportClips,
    testing::Values("01_dog.mp4", "02_cups.mp4", "03_blocks.mp4", "04_coffee.mp4", "05_default_juggle.mp4",
        "armwrestling.mp4", "bedroom.mp4", "makeup_mpeg4_mp3.avi", "poolcleaning.mp4"),
    [](const testing::TestParamInfo<const char*>& param) {
        std::string name = param.param;
        std::replace_if(
            name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
            '_');
        return name;
    });

TEST(VideoImport, InpaintingClipMatchesFfprobe)
{
    KINORA_SHARED_DATA_FILE(file, "inpainting/dogs_jump/video.mp4");
    const QString path = QString::fromStdString(file.string());
    const QJsonObject probe = test::probeVideoStream(path);
    auto reader = VideoReader::open(path);
    EXPECT_EQ(reader->info().frames, num(probe, "nb_read_frames"));
    EXPECT_EQ(reader->info().fps.toString(), str(probe, "avg_frame_rate"));
    EXPECT_EQ(
        QSize(reader->info().width, reader->info().height), QSize(num(probe, "width"), num(probe, "height")));
    EXPECT_EQ(static_cast<int64_t>(readAll(*reader).size()), num(probe, "nb_read_frames"));
}

// ---------------------------------------------------------------------------------------------
// Synthetic footage made by the ffmpeg command line

class VideoImportSynthetic : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    // testsrc2: every frame differs (a counter and moving shapes).
    QString make(const QString& name, const QStringList& arguments) const
    {
        test::ffmpeg(arguments + QStringList { path(name) });
        return path(name);
    }
    static QStringList testsrc(QSize size, const QString& rate, int frames)
    {
        return { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
            QStringLiteral("testsrc2=size=%1x%2:rate=%3").arg(size.width()).arg(size.height()).arg(rate),
            QStringLiteral("-frames:v"), QString::number(frames) };
    }
    static QStringList x264()
    {
        return { QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
            QStringLiteral("ultrafast"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p") };
    }

    QTemporaryDir m_dir;
};

TEST_F(VideoImportSynthetic, RationalRatesKeepTheirFractionAndCount)
{
    for (const QString& rate : { QStringLiteral("24000/1001"), QStringLiteral("179/6") }) {
        SCOPED_TRACE(rate.toStdString());
        const QString file = make(QStringLiteral("rate.mp4"), testsrc({ 64, 48 }, rate, 37) + x264());
        const QJsonObject probe = test::probeVideoStream(file);
        const auto info = kinora::core::probeMedia(file);
        EXPECT_EQ(str(probe, "avg_frame_rate"), rate);
        EXPECT_EQ(info.fps.toString(), rate);
        EXPECT_EQ(info.frames, 37);
        EXPECT_FALSE(info.vfr);
        EXPECT_NEAR(info.duration, 37 / Rational::parse(rate).value(), 1e-3);
    }
}

TEST_F(VideoImportSynthetic, VariableRateIsFoundAndResampledByTime)
{
    const QString file = make(QStringLiteral("vfr.mp4"),
        testsrc({ 64, 48 }, QStringLiteral("24"), 24)
            + QStringList { QStringLiteral("-vf"),
                QStringLiteral("setpts='if(lt(N,12),N/24,0.5+(N-12)/12)/TB'"), QStringLiteral("-fps_mode"),
                QStringLiteral("vfr"), QStringLiteral("-video_track_timescale"), QStringLiteral("240") }
            + x264());
    // 12 frames at 24 fps, then 12 at 12 fps (as ffmpeg rounded them: ask ffprobe).
    const PacketTimes packets = probePackets(file);
    ASSERT_TRUE(variableRate(packets.pts)) << "ffmpeg did not write a variable rate";
    const double tick = Rational::parse(str(test::probeVideoStream(file), "time_base")).value();
    auto source = VideoReader::open(file);
    const auto& info = source->info();
    EXPECT_TRUE(info.vfr);
    EXPECT_EQ(info.frames, 24);
    std::vector<QByteArray> hashes;
    for (const QImage& frame : readAll(*source))
        hashes.push_back(frameHash(frame));
    ASSERT_EQ(hashes.size(), 24u);

    VideoReaderOptions options;
    options.constantRate = { 24, 1 };
    auto cfr = VideoReader::open(file, options);
    EXPECT_EQ(cfr->frameCount(), std::llround(info.duration * 24));
    EXPECT_EQ(cfr->clipMeta().fps, (Rational { 24, 1 }));
    const std::vector<QImage> resampled = readAll(*cfr);
    ASSERT_EQ(static_cast<int64_t>(resampled.size()), cfr->frameCount());
    for (size_t k = 0; k < resampled.size(); ++k) {
        // The frame on screen at the middle of output frame k.
        const double t = (static_cast<double>(k) + 0.5) / 24.0;
        int shown = 0;
        while (shown + 1 < 24 && static_cast<double>(packets.pts[static_cast<size_t>(shown) + 1]) * tick <= t)
            ++shown;
        EXPECT_EQ(frameHash(resampled[k]), hashes[static_cast<size_t>(shown)]) << "output frame " << k;
    }
    // By index, backwards, as the timeline asks.
    EXPECT_EQ(frameHash(cfr->frameAt(30)), frameHash(resampled[30]));
    EXPECT_EQ(frameHash(cfr->frameAt(3)), frameHash(resampled[3]));
}

TEST_F(VideoImportSynthetic, RotationTagTurnsFramesUpright)
{
    const QString plain
        = make(QStringLiteral("plain.mp4"), testsrc({ 64, 48 }, QStringLiteral("8"), 6) + x264());
    // A display matrix turning the picture 90 degrees clockwise. ffmpeg 5's `rotate` tag writes it
    // with the sign its later `-display_rotation` flipped: ask ffprobe which way it came out.
    QString rotated;
    for (const QString& tag : { QStringLiteral("270"), QStringLiteral("90") }) {
        rotated = make(QStringLiteral("rotated%1.mp4").arg(tag),
            { QStringLiteral("-i"), plain, QStringLiteral("-c"), QStringLiteral("copy"),
                QStringLiteral("-metadata:s:v"), QStringLiteral("rotate=") + tag });
        const auto sideData
            = test::probeVideoStream(rotated).value(QStringLiteral("side_data_list")).toArray();
        if (!sideData.isEmpty() && sideData[0].toObject().value(QStringLiteral("rotation")).toInt() == -90)
            break;
        rotated.clear();
    }
    ASSERT_FALSE(rotated.isEmpty()) << "ffmpeg wrote no display matrix";

    auto stored = VideoReader::open(rotated);
    EXPECT_EQ(stored->info().rotation, 90);
    EXPECT_EQ(stored->clipMeta().rotation, 90);
    EXPECT_EQ(stored->frameSize(), QSize(64, 48));
    VideoReaderOptions options;
    options.applyRotation = true;
    auto upright = VideoReader::open(rotated, options);
    EXPECT_EQ(upright->frameSize(), QSize(48, 64));
    EXPECT_EQ(upright->clipMeta().rotation, 0);
    const std::vector<QImage> storedFrames = readAll(*stored);
    const std::vector<QImage> uprightFrames = readAll(*upright);
    ASSERT_EQ(storedFrames.size(), 6u);
    ASSERT_EQ(uprightFrames.size(), 6u);
    for (size_t i = 0; i < storedFrames.size(); ++i)
        EXPECT_EQ(uprightFrames[i], storedFrames[i].transformed(QTransform().rotate(90))) << "frame " << i;
    // The same way up as the ffmpeg command line shows it.
    EXPECT_GT(test::meanPsnr(uprightFrames, ffmpegFrames(rotated, { 48, 64 })), 35.0);
    EXPECT_EQ(upright->frameAt(4).size(), QSize(48, 64));
}

TEST_F(VideoImportSynthetic, TenBitFootageDecodesDeep)
{
    // A 10-bit luma ramp, one code value a column (limited range: 64..940), lossless.
    const QString file = make(QStringLiteral("deep.mkv"),
        { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
            QStringLiteral("nullsrc=size=880x8:rate=8,format=yuv444p10le,geq=lum='64+X':cb=512:cr=512"),
            QStringLiteral("-frames:v"), QStringLiteral("2"), QStringLiteral("-c:v"), QStringLiteral("ffv1"),
            QStringLiteral("-color_range"), QStringLiteral("tv") });
    auto reader = VideoReader::open(file);
    EXPECT_EQ(reader->info().bitDepth, 10);
    EXPECT_EQ(reader->info().pixFmt, QStringLiteral("yuv444p10le"));
    EXPECT_EQ(reader->frameFormat(), QImage::Format_RGBX64);
    QImage frame;
    ASSERT_TRUE(reader->next(frame));
    ASSERT_EQ(frame.format(), QImage::Format_RGBX64);
    std::set<quint16> levels;
    const auto* line = reinterpret_cast<const QRgba64*>(frame.constScanLine(4));
    for (int x = 0; x < frame.width(); ++x)
        levels.insert(line[x].red());
    // 877 code values from black to white: more than 8 bits hold (256 levels at most).
    EXPECT_GT(levels.size(), 600u);
    EXPECT_LT(line[0].red(), 0x0200);
    EXPECT_GT(line[frame.width() - 1].red(), 0xfe00);

    const QString prores = make(QStringLiteral("deep.mov"),
        testsrc({ 64, 48 }, QStringLiteral("8"), 2)
            + QStringList { QStringLiteral("-c:v"), QStringLiteral("prores_ks"), QStringLiteral("-pix_fmt"),
                QStringLiteral("yuv422p10le") });
    auto proresReader = VideoReader::open(prores);
    EXPECT_EQ(proresReader->info().bitDepth, 10);
    EXPECT_EQ(proresReader->frameFormat(), QImage::Format_RGBX64);
    EXPECT_GT(test::psnr(proresReader->frameAt(1), ffmpegFrames(prores, { 64, 48 }).at(1)), 35.0);
}

// Three grey bands (32, 128, 224) through a full-range encoding: a decoder that took them for
// limited range would stretch them to about 19, 130, 242.
void expectGreyBands(const QString& file)
{
    SCOPED_TRACE(file.toStdString());
    auto reader = VideoReader::open(file);
    EXPECT_EQ(reader->info().color.range, 2); // AVCOL_RANGE_JPEG
    QImage frame;
    ASSERT_TRUE(reader->next(frame));
    const QImage rgb = frame.convertToFormat(QImage::Format_RGB888);
    const int y = rgb.height() / 2;
    for (const auto& [x, grey] : { std::pair { 16, 32 }, std::pair { 48, 128 }, std::pair { 80, 224 } }) {
        const QColor c = rgb.pixelColor(x, y);
        EXPECT_NEAR(c.red(), grey, 3) << "x " << x;
        EXPECT_NEAR(c.green(), grey, 3) << "x " << x;
        EXPECT_NEAR(c.blue(), grey, 3) << "x " << x;
    }
}

TEST_F(VideoImportSynthetic, FullRangeFootageKeepsItsLevels)
{
    const QStringList bands { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
        QStringLiteral("nullsrc=size=96x32:rate=8,format=gray,geq=lum='if(lt(X,32),32,if(lt(X,64),128,224))',"
                       "format=rgb24"),
        QStringLiteral("-frames:v"), QStringLiteral("2") };
    expectGreyBands(make(QStringLiteral("jpeg.avi"),
        bands
            + QStringList { QStringLiteral("-c:v"), QStringLiteral("mjpeg"), QStringLiteral("-q:v"),
                QStringLiteral("1"), QStringLiteral("-pix_fmt"), QStringLiteral("yuvj444p") }));
    const QString pc = make(QStringLiteral("pc.mp4"),
        bands
            + QStringList { QStringLiteral("-vf"),
                QStringLiteral("scale=out_range=pc:out_color_matrix=bt709,format=yuv444p"),
                QStringLiteral("-color_range"), QStringLiteral("pc"), QStringLiteral("-colorspace"),
                QStringLiteral("bt709"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                QStringLiteral("-qp"), QStringLiteral("0") });
    ASSERT_EQ(str(test::probeVideoStream(pc), "color_range"), QStringLiteral("pc"));
    expectGreyBands(pc);
}

// A moving pattern written as numbered images by Qt, from `first`.
std::vector<QImage> writeSequence(const QString& pattern, int first, int count, const char* format)
{
    std::vector<QImage> frames = test::patternFrames(count, { 48, 32 });
    for (int i = 0; i < count; ++i) {
        const QString name = QString::asprintf(qPrintable(pattern), first + i);
        EXPECT_TRUE(frames[static_cast<size_t>(i)].save(name, format, 100)) << name.toStdString();
    }
    return frames;
}

TEST_F(VideoImportSynthetic, ImageSequencesReadFromFrameZero)
{
    const QString png = path(QStringLiteral("png/%03d.png"));
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("png"))));
    const std::vector<QImage> written = writeSequence(png, 0, 5, "PNG");
    auto reader = VideoReader::open(png);
    EXPECT_TRUE(reader->info().imageSequence);
    EXPECT_EQ(reader->info().frames, 5);
    EXPECT_EQ(reader->info().fps, (Rational { 24, 1 }));
    const std::vector<QImage> frames = readAll(*reader);
    ASSERT_EQ(frames.size(), 5u);
    for (size_t i = 0; i < frames.size(); ++i)
        EXPECT_EQ(frames[i], written[i]) << "frame " << i; // lossless both ways
    EXPECT_EQ(reader->frameAt(2), written[2]);
    EXPECT_EQ(reader->frameAt(0), written[0]);

    const QString jpg = path(QStringLiteral("jpg/%04d.jpg"));
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("jpg"))));
    const std::vector<QImage> jpgWritten = writeSequence(jpg, 0, 4, "JPG");
    const std::vector<QImage> jpgFrames = kinora::core::readVideo(jpg);
    ASSERT_EQ(jpgFrames.size(), 4u);
    // As the ffmpeg command line decodes them; Qt's own JPEG decoder upsamples chroma otherwise.
    EXPECT_GT(test::meanPsnr(jpgFrames, ffmpegFrames(jpg, { 48, 32 })), 40.0);
    EXPECT_GT(test::meanPsnr(jpgFrames, jpgWritten), 28.0);

    // Numbered from 1, as ffmpeg writes by default: refused, saying why.
    const QString fromOne = path(QStringLiteral("one/%03d.png"));
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("one"))));
    writeSequence(fromOne, 1, 3, "PNG");
    try {
        VideoReader::open(fromOne);
        ADD_FAILURE() << "a sequence from 1 opened";
    } catch (const MediaError& e) {
        const QString message = QString::fromUtf8(e.what());
        EXPECT_TRUE(message.startsWith(fromOne)) << e.what();
        EXPECT_TRUE(message.contains(QStringLiteral("numbered from 0"))) << e.what();
    }
}

TEST_F(VideoImportSynthetic, ExrSequenceDecodes)
{
    const QString encoders = QString::fromUtf8(test::runProgram(
        QStringLiteral("ffmpeg"), { QStringLiteral("-hide_banner"), QStringLiteral("-encoders") })
                                                   .out);
    const QString decoders = QString::fromUtf8(test::runProgram(
        QStringLiteral("ffmpeg"), { QStringLiteral("-hide_banner"), QStringLiteral("-decoders") })
                                                   .out);
    if (!encoders.contains(QStringLiteral(" exr ")) || !decoders.contains(QStringLiteral(" exr ")))
        GTEST_SKIP() << "this FFmpeg has no OpenEXR encoder or decoder";
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("exr"))));
    const QString exr = path(QStringLiteral("exr/%03d.exr"));
    test::ffmpeg(testsrc({ 64, 48 }, QStringLiteral("8"), 3)
        + QStringList { QStringLiteral("-pix_fmt"), QStringLiteral("gbrpf32le"), QStringLiteral("-c:v"),
            QStringLiteral("exr"), QStringLiteral("-start_number"), QStringLiteral("0"), exr });
    auto reader = VideoReader::open(exr);
    EXPECT_EQ(reader->info().codec, QStringLiteral("exr"));
    EXPECT_EQ(reader->info().frames, 3);
    EXPECT_GT(reader->info().bitDepth, 8);
    EXPECT_EQ(reader->frameFormat(), QImage::Format_RGBX64);
    const std::vector<QImage> frames = readAll(*reader);
    ASSERT_EQ(frames.size(), 3u);
    const std::vector<QImage> reference
        = ffmpegFrames(exr, { 64, 48 }, { QStringLiteral("-start_number"), QStringLiteral("0") });
    ASSERT_EQ(reference.size(), 3u);
    EXPECT_GT(test::meanPsnr(frames, reference), 40.0);
}

TEST_F(VideoImportSynthetic, ThumbnailsFitAndShowTheFrame)
{
    const QString file = make(QStringLiteral("thumb.mp4"),
        testsrc({ 320, 180 }, QStringLiteral("24"), 48) + x264()
            + QStringList { QStringLiteral("-g"), QStringLiteral("12") });
    auto reader = VideoReader::open(file);
    const std::vector<QImage> frames = readAll(*reader);
    for (const auto& [index, box] : { std::pair { int64_t { 0 }, QSize(160, 160) },
             std::pair { int64_t { 30 }, QSize(96, 96) }, std::pair { int64_t { 47 }, QSize(400, 100) } }) {
        SCOPED_TRACE("frame " + std::to_string(index));
        const QImage thumb = kinora::core::videoThumbnail(file, index, box);
        ASSERT_FALSE(thumb.isNull());
        EXPECT_LE(thumb.width(), box.width());
        EXPECT_LE(thumb.height(), box.height());
        EXPECT_TRUE(thumb.width() == box.width() || thumb.height() == box.height());
        EXPECT_NEAR(double(thumb.width()) / thumb.height(), 16.0 / 9.0, 0.1);
        // The keyframe at or before the frame (every 12th), or the frame itself: whichever matches.
        double best = 0;
        for (int64_t candidate = index / 12 * 12; candidate <= index; ++candidate) {
            const QImage scaled = frames[static_cast<size_t>(candidate)].scaled(
                thumb.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            best = std::max(best, test::psnr(thumb, scaled));
        }
        EXPECT_GT(best, 22.0);
    }
}

// Widths that are not a multiple of 8 (armwrestling.mp4 is 340 wide): every column converts, the
// last ones too, as the ffmpeg command line converts them.
TEST_F(VideoImportSynthetic, OddWidthsConvertEveryColumn)
{
    for (const QSize size : { QSize(100, 60), QSize(342, 32), QSize(34, 18) }) {
        SCOPED_TRACE(std::to_string(size.width()) + "x" + std::to_string(size.height()));
        const QString file = make(QStringLiteral("odd.mkv"),
            testsrc(size, QStringLiteral("8"), 3)
                + QStringList { QStringLiteral("-c:v"), QStringLiteral("ffv1"), QStringLiteral("-pix_fmt"),
                    QStringLiteral("yuv420p") });
        const std::vector<QImage> ours = kinora::core::readVideo(file);
        const std::vector<QImage> theirs = ffmpegFrames(file, size);
        ASSERT_EQ(ours.size(), 3u);
        ASSERT_EQ(theirs.size(), 3u);
        for (size_t i = 0; i < ours.size(); ++i) {
            const QImage lastColumns = ours[i].copy(size.width() - 8, 0, 8, size.height());
            EXPECT_GT(test::psnr(lastColumns, theirs[i].copy(size.width() - 8, 0, 8, size.height())), 40.0)
                << i;
            EXPECT_GT(test::psnr(ours[i], theirs[i]), 40.0) << i;
        }
        // A thumbnail at the frame's own size converts the same way.
        const QImage thumb = kinora::core::videoThumbnail(file, 0, size);
        ASSERT_EQ(thumb.size(), size);
        EXPECT_GT(test::psnr(thumb, ours[0]), 40.0);
    }
}

// Two streams of different sizes, back to back in one MPEG-TS (a broadcast resolution switch):
// every frame comes out at the size the stream starts with, as the ffmpeg command line scales it.
TEST_F(VideoImportSynthetic, MidStreamSizeChangeKeepsOneSize)
{
    const QString first = make(QStringLiteral("a.ts"), testsrc({ 64, 48 }, QStringLiteral("8"), 8) + x264());
    const QString second = make(QStringLiteral("b.ts"),
        testsrc({ 96, 64 }, QStringLiteral("8"), 8) + x264()
            + QStringList { QStringLiteral("-output_ts_offset"), QStringLiteral("1") });
    QFile joined(path(QStringLiteral("joined.ts")));
    ASSERT_TRUE(joined.open(QIODevice::WriteOnly));
    for (const QString& part : { first, second }) {
        QFile in(part);
        ASSERT_TRUE(in.open(QIODevice::ReadOnly));
        joined.write(in.readAll());
    }
    joined.close();
    auto reader = VideoReader::open(joined.fileName());
    EXPECT_EQ(reader->frameSize(), QSize(64, 48));
    const std::vector<QImage> frames = readAll(*reader);
    EXPECT_EQ(frames.size(), 16u);
    for (const QImage& frame : frames)
        EXPECT_EQ(frame.size(), QSize(64, 48));
    const std::vector<QImage> reference = ffmpegFrames(joined.fileName(), { 64, 48 });
    ASSERT_EQ(reference.size(), frames.size());
    EXPECT_GT(test::psnr(frames.back(), reference.back()), 25.0);
}

} // namespace
