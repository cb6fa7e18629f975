// Exporting the cut: clips made here (lossless, so pixels compare exactly) and one real clip, laid on
// a timeline and exported; ffprobe and the decoded pictures and sound say what the file holds.

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/core/timeline_export.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"

#include "../app/process.h"
#include "shared_data.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <functional>

using namespace kinora::core;
using kinora::test::ProcessOptions;
using kinora::test::runProcess;

namespace {

std::vector<std::string> strings(const QStringList& list)
{
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

void ffmpeg(const QStringList& args)
{
    const auto r = runProcess("ffmpeg",
        strings(QStringList { QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                    QStringLiteral("error"), QStringLiteral("-y") }
            + args),
        ProcessOptions::fromPath());
    ASSERT_EQ(r.exitCode, 0) << r.err;
}

// ffprobe's streams of `path`, frames counted.
std::vector<QJsonObject> streams(const QString& path)
{
    const auto r = runProcess("ffprobe",
        { "-v", "error", "-count_frames", "-show_streams", "-of", "json", path.toStdString() },
        ProcessOptions::fromPath());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::vector<QJsonObject> out;
    for (const QJsonValue& s :
        QJsonDocument::fromJson(QByteArray::fromStdString(r.out))[QStringLiteral("streams")].toArray())
        out.push_back(s.toObject());
    return out;
}

QJsonObject stream(const QString& path, const char* type)
{
    for (const QJsonObject& s : streams(path))
        if (s[QStringLiteral("codec_type")].toString() == QLatin1String(type))
            return s;
    return {};
}

double durationOf(const QJsonObject& s)
{
    return s[QStringLiteral("duration")].toString().toDouble();
}

// The sound of `path` decoded by ffmpeg to 48 kHz mono, and its RMS over [from, to) seconds.
class Sound {
public:
    explicit Sound(const QString& path)
    {
        const QString raw = path + QStringLiteral(".raw");
        ffmpeg({ QStringLiteral("-i"), path, QStringLiteral("-vn"), QStringLiteral("-ac"),
            QStringLiteral("1"), QStringLiteral("-ar"), QStringLiteral("48000"), QStringLiteral("-f"),
            QStringLiteral("s16le"), raw });
        QFile file(raw);
        EXPECT_TRUE(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        m_samples.resize(static_cast<size_t>(bytes.size() / 2));
        std::memcpy(m_samples.data(), bytes.constData(), m_samples.size() * 2);
        file.remove();
    }
    double rms(double from, double to) const
    {
        const auto a = static_cast<size_t>(from * 48000), b = std::min(m_samples.size(), size_t(to * 48000));
        double sum = 0;
        for (size_t i = a; i < b; ++i)
            sum += double(m_samples[i]) * m_samples[i];
        return b > a ? std::sqrt(sum / double(b - a)) / 32768.0 : 0;
    }

private:
    std::vector<qint16> m_samples;
};

class TimelineExport : public ::testing::Test {
protected:
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // A lossless clip whose frame i is filled with colour(i).
    SourceDetails picture(
        const QString& id, QSize size, Rational rate, int frames, std::function<QRgb(int)> colour)
    {
        EncodeSettings settings;
        settings.codec = VideoCodec::Ffv1;
        settings.meta.fps = rate;
        const QString file = path(id + QStringLiteral(".mkv"));
        auto writer = VideoWriter::create(file, size, QImage::Format_RGB888, settings);
        for (int i = 0; i < frames; ++i) {
            QImage frame(size, QImage::Format_RGB888);
            frame.fill(colour(i));
            writer->write(frame);
        }
        writer->finish();
        return details(id, file);
    }

    // A red 64x48 clip, 1 s at 30 fps, silent for its first half second and a 440 Hz tone after.
    SourceDetails tone(const QString& id)
    {
        const QString file = path(id + QStringLiteral(".mkv"));
        ffmpeg({ QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
            QStringLiteral("color=c=red:size=64x48:rate=30"), QStringLiteral("-f"), QStringLiteral("lavfi"),
            QStringLiteral("-i"),
            QStringLiteral("aevalsrc=if(gte(t\\,0.5)\\,0.5*sin(2*PI*440*t)\\,0):s=48000"),
            QStringLiteral("-t"), QStringLiteral("1"), QStringLiteral("-c:v"), QStringLiteral("ffv1"),
            QStringLiteral("-c:a"), QStringLiteral("pcm_s16le"), file });
        return details(id, file);
    }

    SourceDetails details(const QString& id, const QString& file)
    {
        const MediaInfo info = probeMedia(file);
        SourceDetails d;
        d.id = id;
        d.name = id;
        d.path = file;
        d.frames = info.frames;
        d.size = QSize(info.width, info.height);
        d.fps = info.fps;
        d.audio = info.audio;
        d.audioStart = info.startTime;
        m_request.sources[id] = d;
        return d;
    }

    void place(const SourceDetails& s, int64_t start, int64_t length, int track, int64_t in = 0)
    {
        TimelineClip c;
        c.source = TimelineClip::Source::Media;
        c.sourceId = s.id;
        c.sourceIn = in;
        c.sourceFrames = s.frames;
        c.sourceStep = conformStep(s.fps, m_request.timeline.rate(), s.still);
        c.start = start;
        c.length = length;
        c.track = track;
        c.hasAudio = s.audio;
        m_request.timeline.add(c);
    }

    // The exported frame `j`, decoded.
    static QImage frameOf(const QString& file, int64_t j)
    {
        return VideoReader::open(file, { QImage::Format_RGB888, false, {} })->frameAt(j);
    }

    // Hidden files an unfinished export could leave (partial video, mixed sound).
    QStringList hidden() const
    {
        return QDir(m_dir.path())
            .entryList(QDir::Hidden | QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)
            .filter(QStringLiteral("kinora"));
    }

    QTemporaryDir m_dir;
    TimelineExportRequest m_request;
};

} // namespace

TEST_F(TimelineExport, TheHighestTrackWinsGapsAreBlackAndPicturesKeepTheirAspect)
{
    m_request.timeline.setRate({ 30, 1 });
    const auto red = picture("red", { 64, 48 }, { 30, 1 }, 30, [](int) { return qRgb(255, 0, 0); });
    const auto blue = picture("blue", { 32, 48 }, { 30, 1 }, 30, [](int) { return qRgb(0, 0, 255); });
    const auto green = picture("green", { 64, 48 }, { 30, 1 }, 30, [](int) { return qRgb(0, 255, 0); });
    place(red, 0, 30, 0);
    place(blue, 10, 10, 1); // above the red, narrower: pillarboxed
    place(green, 40, 10, 0); // after a gap of 10 frames
    m_request.output = path("cut.mkv");
    int progress = 0;
    JobCallbacks callbacks;
    callbacks.onProgress = [&progress](const JobProgress& p) { progress = p.step; };
    const auto result = exportTimeline(m_request, callbacks);
    EXPECT_EQ(result.frames, 50);
    EXPECT_EQ(progress, 50);
    EXPECT_FALSE(result.audio);
    const auto video = stream(path("cut.mkv"), "video");
    EXPECT_EQ(video[QStringLiteral("nb_read_frames")].toString(), QStringLiteral("50"));
    EXPECT_EQ(video[QStringLiteral("avg_frame_rate")].toString(), QStringLiteral("30/1"));
    EXPECT_EQ(video[QStringLiteral("width")].toInt(), 64) << "the largest source's size";
    EXPECT_EQ(video[QStringLiteral("height")].toInt(), 48);
    EXPECT_TRUE(stream(path("cut.mkv"), "audio").isEmpty()) << "no sound in range: no audio stream";
    EXPECT_EQ(frameOf(result.output, 5).pixel(32, 24), qRgb(255, 0, 0));
    const QImage above = frameOf(result.output, 15);
    EXPECT_EQ(above.pixel(32, 24), qRgb(0, 0, 255)) << "the higher track is shown";
    EXPECT_EQ(above.pixel(4, 24), qRgb(0, 0, 0)) << "black beside a narrower picture";
    EXPECT_EQ(above.pixel(60, 24), qRgb(0, 0, 0));
    EXPECT_EQ(frameOf(result.output, 20).pixel(32, 24), qRgb(255, 0, 0)) << "the lower track again";
    EXPECT_EQ(frameOf(result.output, 35).pixel(32, 24), qRgb(0, 0, 0)) << "a gap is black";
    EXPECT_EQ(frameOf(result.output, 45).pixel(32, 24), qRgb(0, 255, 0));
}

TEST_F(TimelineExport, ARangeExportsExactlyThoseFramesAtTheirSourceFrames)
{
    m_request.timeline.setRate({ 30, 1 });
    const auto ramp
        = picture("ramp", { 48, 32 }, { 30, 1 }, 40, [](int i) { return qRgb(i * 6, 200 - i * 5, 40); });
    place(ramp, 0, 30, 0, 5); // source frames 5..34
    m_request.first = 10;
    m_request.count = 8;
    m_request.output = path("range.mkv");
    m_request.size = { 96, 64 }; // twice the source: scaled up, no bars
    const auto result = exportTimeline(m_request);
    EXPECT_EQ(result.frames, 8);
    auto reader = VideoReader::open(result.output, { QImage::Format_RGB888, false, {} });
    ASSERT_EQ(reader->frameCount(), 8);
    EXPECT_EQ(reader->frameSize(), QSize(96, 64));
    for (int j = 0; j < 8; ++j) {
        const QImage frame = reader->frameAt(j);
        const int source = 5 + 10 + j;
        EXPECT_EQ(frame.pixel(48, 32), qRgb(source * 6, 200 - source * 5, 40)) << "output frame " << j;
        EXPECT_EQ(frame.pixel(1, 1), frame.pixel(48, 32)) << "no bars when the aspect matches";
    }
}

TEST_F(TimelineExport, ATwiceRateClipAtTwiceTheTimelineRateShowsEveryFrame)
{
    m_request.timeline.setRate({ 30, 1 });
    const auto fast
        = picture("fast", { 32, 32 }, { 60, 1 }, 20, [](int i) { return qRgb(i * 12, 0, 255 - i * 12); });
    place(fast, 0, 10, 0); // 20 source frames in 10 timeline frames
    m_request.output = path("sixty.mkv");
    m_request.fps = { 60, 1 };
    const auto result = exportTimeline(m_request);
    EXPECT_EQ(result.frames, 20);
    EXPECT_EQ(
        stream(result.output, "video")[QStringLiteral("avg_frame_rate")].toString(), QStringLiteral("60/1"));
    auto reader = VideoReader::open(result.output, { QImage::Format_RGB888, false, {} });
    for (int j = 0; j < 20; ++j)
        EXPECT_EQ(reader->frameAt(j).pixel(16, 16), qRgb(j * 12, 0, 255 - j * 12)) << "output frame " << j;
    // At the timeline's own rate every other source frame.
    m_request.fps = {};
    m_request.output = path("thirty.mkv");
    const auto thirty = exportTimeline(m_request);
    EXPECT_EQ(thirty.frames, 10);
    EXPECT_EQ(frameOf(thirty.output, 3).pixel(16, 16), qRgb(6 * 12, 0, 255 - 6 * 12));
}

// Takes are PNG sequences and stills images: read as images, a still held for its whole clip.
TEST_F(TimelineExport, TakesAndStillsAreReadAsImages)
{
    m_request.timeline.setRate({ 24, 1 });
    std::vector<QImage> frames;
    for (int i = 0; i < 4; ++i) {
        frames.emplace_back(40, 30, QImage::Format_RGB888);
        frames.back().fill(qRgb(50 * i, 100, 200));
    }
    ASSERT_TRUE(writeImageSequence(path(QStringLiteral("take/%04d.png")), frames, false));
    SourceDetails take;
    take.id = QStringLiteral("take-1");
    take.isTake = true;
    take.path = path(QStringLiteral("take/%04d.png"));
    take.frames = 4;
    take.size = QSize(40, 30);
    QImage still(40, 30, QImage::Format_RGB888);
    still.fill(qRgb(10, 220, 30));
    ASSERT_TRUE(still.save(path(QStringLiteral("still.png"))));
    SourceDetails image;
    image.id = QStringLiteral("media-1");
    image.path = path(QStringLiteral("still.png"));
    image.frames = 1;
    image.size = QSize(40, 30);
    image.still = true;
    m_request.sources = { { take.id, take }, { image.id, image } };
    place(take, 0, 4, 0);
    place(image, 4, 6, 0);
    m_request.output = path(QStringLiteral("cut.mkv"));
    const auto result = exportTimeline(m_request);
    ASSERT_EQ(result.frames, 10);
    for (int j = 0; j < 4; ++j)
        EXPECT_EQ(frameOf(result.output, j).pixel(20, 15), qRgb(50 * j, 100, 200)) << "frame " << j;
    EXPECT_EQ(frameOf(result.output, 9).pixel(20, 15), qRgb(10, 220, 30));
}

// The tone's source is silent for half a second: a clip from its frame 15 sounds at once, a clip
// from its frame 0 only half a second in; a gap between them is silent.
TEST_F(TimelineExport, TheSoundOfEachClipIsMixedWhereTheClipIs)
{
    m_request.timeline.setRate({ 30, 1 });
    const auto sound = tone("tone");
    ASSERT_TRUE(sound.audio);
    place(sound, 0, 15, 0, 15); // [0, 0.5) s: the tone
    place(sound, 30, 30, 0, 0); // [1, 1.5) s silent, [1.5, 2) s the tone
    const std::vector<std::pair<const char*, const char*>> containers { { "cut.mp4", "aac" },
        { "cut.mov", "pcm_s16le" }, { "cut.mkv", "pcm_s16le" }, { "cut.webm", "opus" } };
    for (const auto& [name, codec] : containers) {
        SCOPED_TRACE(name);
        m_request.output = path(QString::fromLatin1(name));
        const auto result = exportTimeline(m_request);
        EXPECT_TRUE(result.audio);
        EXPECT_EQ(result.frames, 60);
        const auto video = stream(result.output, "video"), audio = stream(result.output, "audio");
        ASSERT_FALSE(audio.isEmpty()) << "no audio stream";
        EXPECT_EQ(audio[QStringLiteral("codec_name")].toString().toStdString(), codec);
        if (audio.contains(QStringLiteral("duration"))) { // Matroska and WebM streams carry none
            EXPECT_NEAR(durationOf(audio), durationOf(video), 1.0 / 30) << "sound and picture as long";
        }
        const Sound mixed(result.output);
        // In sync within 10 ms at every edge.
        EXPECT_GT(mixed.rms(0.01, 0.49), 0.2) << "the first clip's tone";
        EXPECT_LT(mixed.rms(0.51, 0.99), 0.01) << "the gap";
        EXPECT_LT(mixed.rms(1.01, 1.49), 0.01) << "the second clip before its source's tone";
        EXPECT_GT(mixed.rms(1.51, 1.99), 0.2) << "the second clip's tone";
    }
    EXPECT_TRUE(hidden().isEmpty()) << hidden().join(QLatin1Char(' ')).toStdString();

    // A range with no clip in it: black, and no audio stream at all.
    m_request.first = 16;
    m_request.count = 10;
    m_request.size = { 64, 48 };
    m_request.output = path("gap.mp4");
    EXPECT_FALSE(exportTimeline(m_request).audio);
    EXPECT_TRUE(stream(path("gap.mp4"), "audio").isEmpty());
}

TEST_F(TimelineExport, ACancelledExportLeavesNoFileAndAnExistingOutputUntouched)
{
    m_request.timeline.setRate({ 30, 1 });
    place(tone("tone"), 0, 30, 0);
    {
        QFile old(path("out.mp4"));
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("an earlier export");
    }
    m_request.output = path("out.mp4");
    EXPECT_THROW(exportTimeline(m_request), OutputExistsError) << "replaced only when asked";
    m_request.overwrite = true;
    int frames = 0;
    JobCallbacks callbacks;
    callbacks.onProgress = [&frames](const JobProgress& p) { frames = p.step; };
    callbacks.isCancelled = [&frames] { return frames >= 5; };
    EXPECT_THROW(exportTimeline(m_request, callbacks), JobCancelled);
    QFile old(path("out.mp4"));
    ASSERT_TRUE(old.open(QIODevice::ReadOnly));
    EXPECT_EQ(old.readAll(), QByteArray("an earlier export"));
    // Cancelled while the sound is mixed, into a folder the export made: the folder goes too.
    m_request.output = path("new/folder/out.mp4");
    callbacks.isCancelled = [] { return true; };
    EXPECT_THROW(exportTimeline(m_request, callbacks), JobCancelled);
    EXPECT_FALSE(QFileInfo::exists(path("new")));
    EXPECT_TRUE(hidden().isEmpty()) << hidden().join(QLatin1Char(' ')).toStdString();
}

TEST_F(TimelineExport, TheProjectGivesEverySourceTheClipsUse)
{
    QTemporaryDir data;
    qputenv("KINORA_DATA_DIR", QFile::encodeName(data.path()));
    {
        Project project;
        MediaRecord media;
        media.id = project.newMediaId();
        media.name = QStringLiteral("red");
        media.path = picture("red", { 16, 16 }, { 24, 1 }, 10, [](int) { return qRgb(255, 0, 0); }).path;
        media.frames = 10;
        project.addMedia(media);
        Timeline timeline;
        TimelineClip clip;
        clip.source = TimelineClip::Source::Media;
        clip.sourceId = media.id;
        clip.sourceFrames = 10;
        clip.length = 10;
        timeline.add(clip);
        const auto sources = timelineSources(project, timeline);
        ASSERT_EQ(sources.size(), 1u);
        EXPECT_EQ(sources.at(media.id).path, media.path);
        clip.sourceId = QStringLiteral("media-9999");
        clip.start = 20;
        timeline.add(clip);
        try {
            timelineSources(project, timeline);
            ADD_FAILURE() << "a missing source was accepted";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("media-9999"), std::string::npos) << e.what();
        }
    }
    qunsetenv("KINORA_DATA_DIR");
}

// Two real clips of other rates and sizes on a 29.97 fps timeline: the AAC clip (silent sound) below,
// the MP3 clip (speech and music) above from 2 s on.
TEST_F(TimelineExport, RealFootageWithItsSound)
{
    KINORA_SHARED_DATA_FILE(coffee, "clips/04_coffee.mp4");
    KINORA_SHARED_DATA_FILE(makeup, "clips/makeup_mpeg4_mp3.avi");
    m_request.timeline.setRate({ 30000, 1001 });
    const auto below = details(QStringLiteral("coffee"), QString::fromStdString(coffee.string()));
    const auto above = details(QStringLiteral("makeup"), QString::fromStdString(makeup.string()));
    ASSERT_TRUE(below.audio && above.audio);
    place(below, 0, 90, 0);
    place(above, 60, 60, 1, 10);
    m_request.size = { 320, 180 };
    m_request.output = path("real.mp4");
    const auto result = exportTimeline(m_request);
    EXPECT_EQ(result.frames, 120);
    const auto video = stream(result.output, "video"), audio = stream(result.output, "audio");
    EXPECT_EQ(video[QStringLiteral("nb_read_frames")].toString(), QStringLiteral("120"));
    EXPECT_EQ(video[QStringLiteral("avg_frame_rate")].toString(), QStringLiteral("30000/1001"));
    EXPECT_EQ(video[QStringLiteral("width")].toInt(), 320);
    EXPECT_EQ(audio[QStringLiteral("codec_name")].toString(), QStringLiteral("aac"));
    EXPECT_NEAR(durationOf(audio), durationOf(video), 1001.0 / 30000);
    const Sound mixed(result.output);
    EXPECT_LT(mixed.rms(0.2, 1.8), 0.002) << "the coffee clip's sound is silent";
    EXPECT_GT(mixed.rms(2.2, 3.8), 0.02) << "the makeup clip's sound";
    // The 4:3 clip above is pillarboxed in 16:9; the 16:9 clip below fills the frame.
    const QImage top = frameOf(result.output, 100);
    EXPECT_LT(qGray(top.pixel(10, 90)), 24) << "a black bar";
    const QImage bottom = frameOf(result.output, 30);
    auto source = VideoReader::open(below.path, { QImage::Format_RGB888, true, {} });
    const QImage expected
        = source->frameAt(30).scaled(320, 180, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    double error = 0;
    for (int y = 0; y < 180; y += 4)
        for (int x = 0; x < 320; x += 4)
            error += std::abs(qGray(bottom.pixel(x, y)) - qGray(expected.pixel(x, y)));
    EXPECT_LT(error / (80 * 45), 8.0) << "output frame 30 is the coffee clip's frame 30";
}
