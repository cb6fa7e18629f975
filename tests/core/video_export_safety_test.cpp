// Export safety and sound: an existing file is replaced only when asked; a cancellation, a bad
// folder, a folder without permission or a full disk leave nothing under the final name (and no
// hidden partial file); audio carried from the source stays in sync with the frames.

#include "media_test_support.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/transcode.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"
#include "shared_data.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTime>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace {

using kinora::core::EncodeSettings;
using kinora::core::JobCallbacks;
using kinora::core::MediaError;
using kinora::core::VideoCodec;
namespace test = kinora::test;

const QSize kSize { 96, 64 };

// Everything in `dir`, hidden files included.
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    ASSERT_EQ(file.write(bytes), bytes.size());
}

TEST(VideoExport, ExistingOutputIsReplacedOnlyWithOverwrite)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("out.mp4"));
    const QByteArray old("an older export the artist wants to keep");
    writeFile(out, old);
    const std::vector<QImage> frames = test::patternFrames(6, kSize);
    EncodeSettings settings;
    EXPECT_THROW(kinora::core::writeVideo(out, frames, settings), kinora::core::OutputExistsError);
    EXPECT_EQ(contents(out), old);
    EXPECT_EQ(entries(dir.path()), QStringList { QStringLiteral("out.mp4") });

    settings.overwrite = true;
    ASSERT_TRUE(kinora::core::writeVideo(out, frames, settings));
    EXPECT_EQ(test::probeVideoStream(out).value("nb_read_frames").toString(), QLatin1String("6"));
    EXPECT_EQ(entries(dir.path()), QStringList { QStringLiteral("out.mp4") });
}

TEST(VideoExport, CancelLeavesNothingBehind)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::vector<QImage> frames = test::patternFrames(12, kSize);
    int progressed = 0;
    JobCallbacks callbacks;
    callbacks.onProgress = [&](const kinora::core::JobProgress& p) { progressed = p.step; };
    callbacks.isCancelled = [&] { return progressed >= 4; };

    // Into a folder that does not exist yet: the folder made for it goes again.
    EncodeSettings settings;
    EXPECT_FALSE(
        kinora::core::writeVideo(dir.filePath(QStringLiteral("new/out.mp4")), frames, settings, callbacks));
    EXPECT_EQ(progressed, 4);
    EXPECT_TRUE(entries(dir.path()).isEmpty()) << entries(dir.path()).join(QLatin1Char(' ')).toStdString();

    // Over an older file, allowed to replace it: the older file stays as it was.
    for (const auto& [codec, name] :
        { std::pair { VideoCodec::Ffv1, "old.mkv" }, std::pair { VideoCodec::Png, "%03d.png" } }) {
        SCOPED_TRACE(name);
        const QString out = dir.filePath(QString::fromLatin1(name));
        const QString old
            = kinora::core::isSequencePattern(out) ? kinora::core::sequenceFramePath(out, 0) : out;
        const QByteArray oldBytes("older export");
        writeFile(old, oldBytes);
        settings.codec = codec;
        settings.overwrite = true;
        progressed = 0;
        EXPECT_FALSE(kinora::core::writeVideo(out, frames, settings, callbacks));
        EXPECT_EQ(contents(old), oldBytes);
        EXPECT_EQ(entries(dir.path()), QStringList { QFileInfo(old).fileName() });
        QFile::remove(old);
    }
}

TEST(VideoExport, ParentThatIsAFileIsAClearError)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString blocker = dir.filePath(QStringLiteral("renders"));
    writeFile(blocker, "not a folder");
    for (const QString& out :
        { blocker + QStringLiteral("/out.mp4"), blocker + QStringLiteral("/shot1/out.mov") }) {
        SCOPED_TRACE(out.toStdString());
        try {
            kinora::core::writeVideo(out, test::patternFrames(2, kSize), EncodeSettings {});
            ADD_FAILURE() << "no error";
        } catch (const MediaError& e) {
            EXPECT_TRUE(QString::fromUtf8(e.what()).contains(blocker + QStringLiteral(" is a file")))
                << e.what();
        }
        EXPECT_EQ(contents(blocker), QByteArray("not a folder"));
        EXPECT_EQ(entries(dir.path()), QStringList { QStringLiteral("renders") });
    }
}

// We may run as root, for whom no permission bit stops a write: /sys refuses even root.
TEST(VideoExport, NoPermissionIsAClearError)
{
    const std::pair<QString, QString> cases[] = {
        { QStringLiteral("/sys/kinora-export-test.mp4"), QStringLiteral("no permission to write there") },
        { QStringLiteral("/sys/kinora-export-test/out.mp4"),
            QStringLiteral("cannot create the folder /sys/kinora-export-test") },
    };
    for (const auto& [out, message] : cases) {
        SCOPED_TRACE(out.toStdString());
        try {
            kinora::core::writeVideo(out, test::patternFrames(2, kSize), EncodeSettings {});
            ADD_FAILURE() << "no error";
        } catch (const MediaError& e) {
            EXPECT_TRUE(QString::fromUtf8(e.what()).contains(message)) << e.what();
            EXPECT_TRUE(QString::fromUtf8(e.what()).startsWith(out)) << e.what();
        }
        EXPECT_FALSE(QFileInfo::exists(out));
        EXPECT_FALSE(
            QFileInfo::exists(QFileInfo(out).absolutePath() + QStringLiteral("/.kinora-export-test.mp4")));
    }
}

// Frames no lossless codec can shrink.
std::vector<QImage> noiseFrames(int count, QSize size)
{
    std::vector<QImage> frames;
    uint32_t state = 12345;
    for (int t = 0; t < count; ++t) {
        QImage image(size, QImage::Format_RGB888);
        for (int y = 0; y < size.height(); ++y) {
            uchar* line = image.scanLine(y);
            for (int i = 0; i < size.width() * 3; ++i) {
                state = state * 1664525u + 1013904223u;
                line[i] = static_cast<uchar>(state >> 24);
            }
        }
        frames.push_back(image);
    }
    return frames;
}

// A file-size limit stands in for a full disk: writes past it fail with EFBIG (SIGXFSZ ignored),
// as they fail with ENOSPC on a full disk. The limit is set in a child process so that the test
// runner itself is not limited; the child only encodes and exits.
TEST(VideoExport, FullDiskLeavesNothingBehind)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("full.mkv"));
    const std::vector<QImage> frames = noiseFrames(8, { 256, 256 }); // about 1.5 MB of FFV1
    std::fflush(nullptr);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit { 200 * 1024, 200 * 1024 };
        setrlimit(RLIMIT_FSIZE, &limit);
        int code = 3;
        try {
            EncodeSettings settings;
            settings.codec = VideoCodec::Ffv1;
            kinora::core::writeVideo(out, frames, settings);
        } catch (const MediaError& e) {
            code = std::strstr(e.what(), "disk is full") ? 0 : 1;
            std::fprintf(stderr, "child: %s\n", e.what());
        } catch (const std::exception& e) {
            code = 2;
            std::fprintf(stderr, "child: %s\n", e.what());
        }
        std::fflush(stderr);
        _exit(code);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the child died (signal " << WTERMSIG(status) << ")";
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1: a MediaError not saying the disk is full, 2: another exception, 3: no error at all";
    EXPECT_FALSE(QFileInfo::exists(out));
    EXPECT_TRUE(entries(dir.path()).isEmpty()) << entries(dir.path()).join(QLatin1Char(' ')).toStdString();
}

// ffprobe's duration of a stream; Matroska keeps it in a DURATION tag ("00:00:02.000000000").
double streamDuration(const QJsonObject& stream)
{
    if (stream.contains("duration"))
        return stream.value("duration").toString().toDouble();
    const QStringList hms
        = stream.value("tags").toObject().value("DURATION").toString().split(QLatin1Char(':'));
    if (hms.size() != 3)
        return -1;
    return hms[0].toDouble() * 3600 + hms[1].toDouble() * 60 + hms[2].toDouble();
}

QJsonObject streamOfType(const QString& path, const char* type)
{
    for (const QJsonObject& s : test::probeStreams(path))
        if (s.value("codec_type").toString() == QLatin1String(type))
            return s;
    return {};
}

// The first time (seconds) the first audio stream, decoded by the ffmpeg CLI, is louder than half
// its peak; -1 if never.
double audioOnset(const QString& path, const QString& dir)
{
    const QString raw = dir + QStringLiteral("/onset.s16");
    test::ffmpeg({ QStringLiteral("-i"), path, QStringLiteral("-map"), QStringLiteral("0:a:0"),
        QStringLiteral("-ac"), QStringLiteral("1"), QStringLiteral("-ar"), QStringLiteral("48000"),
        QStringLiteral("-f"), QStringLiteral("s16le"), raw });
    const QByteArray bytes = contents(raw);
    const auto* samples = reinterpret_cast<const int16_t*>(bytes.constData());
    const qsizetype n = bytes.size() / 2;
    for (qsizetype i = 0; i < n; ++i)
        if (std::abs(samples[i]) > 8000)
            return static_cast<double>(i) / 48000.0;
    return -1;
}

// The first time (seconds) a frame turns white.
double videoOnset(const QString& path)
{
    auto reader = kinora::core::VideoReader::open(path);
    QImage frame;
    for (int64_t i = 0; reader->next(frame); ++i)
        if (qGray(frame.convertToFormat(QImage::Format_RGB32).pixel(frame.width() / 2, frame.height() / 2))
            > 200)
            return static_cast<double>(i) / reader->info().fps.value();
    return -1;
}

struct AudioCase {
    const char* output;
    const char* audioCodec;
};
const AudioCase kAudioCases[] = { { "out.mp4", "aac" }, { "out.webm", "opus" }, { "out.mov", "aac" } };

// The audio stream is there, starts with the video and lasts as long.
void expectAudioAligned(const QString& out, const char* audioCodec)
{
    const QJsonObject video = streamOfType(out, "video");
    const QJsonObject audio = streamOfType(out, "audio");
    ASSERT_FALSE(audio.isEmpty()) << "no audio stream";
    EXPECT_EQ(audio.value("codec_name").toString(), QLatin1String(audioCodec));
    EXPECT_NEAR(audio.value("start_time").toString().toDouble(), 0.0, 0.03);
    // WebM: the muxer shifts every stream by Opus's 6.5 ms of priming (7 ms), as the ffmpeg CLI does.
    EXPECT_NEAR(video.value("start_time").toString().toDouble(), 0.0, 0.01);
    EXPECT_NEAR(streamDuration(audio), streamDuration(video), 0.1)
        << "audio " << streamDuration(audio) << " s, video " << streamDuration(video) << " s";
}

// A clip that turns white at 1 s while a beep starts at 1 s: the export keeps both together.
TEST(VideoExport, CarriedAudioStaysInSync)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString source = dir.filePath(QStringLiteral("beep.mp4"));
    test::ffmpeg({ QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
        QStringLiteral("color=c=black:s=128x72:r=24:d=2,"
                       "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='gte(t,1)'"),
        QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
        QStringLiteral("aevalsrc='if(gte(t,1),0.5*sin(2*PI*1000*t),0)':s=48000:c=mono:d=2"),
        QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
        QStringLiteral("ultrafast"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"),
        QStringLiteral("-c:a"), QStringLiteral("aac"), source });
    ASSERT_NEAR(audioOnset(source, dir.path()), 1.0, 0.01);
    ASSERT_NEAR(videoOnset(source), 1.0, 0.001);
    for (const AudioCase& c : kAudioCases) {
        SCOPED_TRACE(c.output);
        kinora::core::TranscodeRequest request;
        request.input = source;
        request.output = dir.filePath(QString::fromLatin1(c.output));
        const kinora::core::TranscodeResult result = kinora::core::transcode(request);
        EXPECT_TRUE(result.audio);
        EXPECT_EQ(result.frames, 48);
        expectAudioAligned(request.output, c.audioCodec);
        const double audio = audioOnset(request.output, dir.path());
        const double video = videoOnset(request.output);
        std::cout << "[ sync ] " << c.output << ": beep at " << audio << " s, white frame at " << video
                  << " s" << std::endl;
        EXPECT_NEAR(video, 1.0, 0.001);
        EXPECT_NEAR(audio, video, 0.025) << "audio and video drifted apart";
    }
}

// Real footage with AAC sound (the first 2 s of a shared clip, made smaller to keep this quick).
TEST(VideoExport, SharedClipAudioIsCarried)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/01_dog.mp4");
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString source = dir.filePath(QStringLiteral("dog.mp4"));
    test::ffmpeg({ QStringLiteral("-t"), QStringLiteral("2"), QStringLiteral("-i"),
        QString::fromStdString(clip.string()), QStringLiteral("-vf"), QStringLiteral("scale=320:180"),
        QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
        QStringLiteral("ultrafast"), QStringLiteral("-c:a"), QStringLiteral("copy"), source });
    for (const AudioCase& c : kAudioCases) {
        SCOPED_TRACE(c.output);
        kinora::core::TranscodeRequest request;
        request.input = source;
        request.output = dir.filePath(QString::fromLatin1(c.output));
        EXPECT_TRUE(kinora::core::transcode(request).audio);
        expectAudioAligned(request.output, c.audioCodec);
    }
}

} // namespace
