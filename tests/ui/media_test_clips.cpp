#include "media_test_clips.h"

#include "kinora/core/media.h"

#include <QFileInfo>
#include <QProcess>

#include <gtest/gtest.h>

namespace kinora::test {

namespace {

bool run(const QString& program, const QStringList& arguments, QByteArray* out = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        ADD_FAILURE() << program.toStdString() << " failed: " << process.readAllStandardError().toStdString();
        return false;
    }
    if (out)
        *out = process.readAllStandardOutput();
    return true;
}

} // namespace

bool writeTestClip(const QString& path, int frames, QSize size, int fps, bool audio)
{
    const QString seconds = QString::number(double(frames) / fps, 'f', 6);
    QStringList arguments { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        QStringLiteral("testsrc2=size=%1x%2:rate=%3").arg(size.width()).arg(size.height()).arg(fps) };
    if (audio)
        arguments << "-f"
                  << "lavfi"
                  << "-i" << QStringLiteral("sine=frequency=440:sample_rate=48000:duration=%1").arg(seconds);
    arguments << "-frames:v" << QString::number(frames) << "-g"
              << "12"
              << "-pix_fmt"
              << "yuv420p"
              << "-c:v"
              << "libx264";
    if (audio)
        arguments << "-c:a"
                  << "aac";
    arguments << path;
    return run(QStringLiteral("ffmpeg"), arguments) && QFileInfo(path).size() > 0;
}

int64_t ffprobeFrameCount(const QString& path)
{
    QByteArray out;
    if (!run(QStringLiteral("ffprobe"),
            { "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                "stream=nb_read_frames", "-of", "default=nokey=1:noprint_wrappers=1", path },
            &out))
        return -1;
    bool ok = false;
    const int64_t frames = QString::fromUtf8(out).trimmed().toLongLong(&ok);
    return ok ? frames : -1;
}

QString addProbedMedia(core::Project& project, const QString& path)
{
    const core::MediaInfo info = core::probeMedia(path);
    core::MediaRecord record;
    record.id = project.newMediaId();
    record.name = QFileInfo(path).fileName();
    record.path = path;
    record.frames = info.frames;
    const bool turned = info.rotation % 180 != 0;
    record.width = turned ? info.height : info.width;
    record.height = turned ? info.width : info.height;
    record.fps = info.fps;
    record.audio = info.audio;
    record.audioStart = info.startTime;
    project.addMedia(record);
    return record.id;
}

} // namespace kinora::test
