#include "kinora/core/clip_io.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>

extern "C" {
#include <libavutil/timecode.h>
}

#include <cmath>

namespace kinora::core {

namespace {

bool cancelled(const JobCallbacks& callbacks)
{
    return callbacks.isCancelled && callbacks.isCancelled();
}

// The frames of a pattern numbered from 0, up to the first missing one.
int64_t countSequenceFrames(const QString& pattern)
{
    int64_t count = 0;
    while (QFileInfo::exists(sequenceFramePath(pattern, static_cast<int>(count))))
        ++count;
    return count;
}

// Frames [start, start + count) of a pattern, all of one size.
std::vector<QImage> readSequenceRange(const QString& pattern, int64_t start, int64_t count)
{
    std::vector<QImage> frames;
    for (int64_t i = start; i < start + count; ++i) {
        const QString file = sequenceFramePath(pattern, static_cast<int>(i));
        frames.push_back(readImage(file));
        const QSize size = frames.back().size(), first = frames.front().size();
        if (size != first)
            throw std::runtime_error(QStringLiteral("%1 is %2x%3, frame %4 is %5x%6: every frame must have "
                                                    "the same size")
                                         .arg(file)
                                         .arg(size.width())
                                         .arg(size.height())
                                         .arg(start)
                                         .arg(first.width())
                                         .arg(first.height())
                                         .toStdString());
    }
    return frames;
}

} // namespace

int64_t rangeFrames(const ClipRange& range, int64_t available, const QString& path)
{
    const auto fail = [&](const QString& what) {
        throw InputRangeError(QStringLiteral("%1 (%2 has %3 frames, 0 to %4)")
                                  .arg(what, path)
                                  .arg(available)
                                  .arg(available - 1)
                                  .toStdString());
    };
    if (range.start < 0 || range.frames < 0)
        fail(QStringLiteral("the range of frames to work on cannot start or run below 0"));
    if (range.start >= available)
        fail(QStringLiteral("the range of frames to work on starts at frame %1, past the input's end")
                 .arg(range.start));
    if (range.frames == 0)
        return available - range.start;
    if (range.frames > available - range.start)
        fail(QStringLiteral("the range of %1 frames from frame %2 runs past the input's end")
                 .arg(range.frames)
                 .arg(range.start));
    return range.frames;
}

ClipMeta metaFromFrame(const ClipMeta& meta, int64_t start)
{
    ClipMeta moved = meta;
    if (start <= 0)
        return moved;
    if (meta.fps.valid())
        moved.audioStart += static_cast<double>(start) * meta.fps.den / meta.fps.num;
    if (!meta.timecode.isEmpty()) {
        // FFmpeg's own arithmetic, so drop-frame timecodes ("01:00:00;00") skip the right labels.
        AVTimecode timecode {};
        char text[AV_TIMECODE_STR_SIZE] = {};
        if (meta.fps.valid()
            && av_timecode_init_from_string(&timecode, AVRational { meta.fps.num, meta.fps.den },
                   meta.timecode.toLatin1().constData(), nullptr)
                == 0
            && start <= INT32_MAX)
            moved.timecode
                = QString::fromLatin1(av_timecode_make_string(&timecode, text, static_cast<int>(start)));
        else // a timecode that cannot be moved would label the wrong frame
            moved.timecode.clear();
    }
    return moved;
}

Clip readClip(const QString& path, const JobCallbacks& callbacks, const ClipRange& range)
{
    Clip clip;
    if (isSequencePattern(path)) {
        const int64_t available = countSequenceFrames(path);
        if (available == 0 || (range.start == 0 && range.frames == 0)) {
            clip.frames = readImageSequence(path); // its own message for a missing frame 0
            return clip;
        }
        clip.frames = readSequenceRange(path, range.start, rangeFrames(range, available, path));
        return clip;
    }
    VideoReaderOptions options;
    options.format = QImage::Format_RGB888;
    options.applyRotation = true;
    auto reader = VideoReader::open(path, options);
    if (reader->info().vfr && callbacks.onWarning)
        callbacks.onWarning(QStringLiteral("%1 has a variable frame rate; its frames are taken as they come, "
                                           "at the average rate %2 fps")
                                .arg(path, reader->info().fps.toString()));
    if (reader->frameCount() < 1)
        throw MediaError(QStringLiteral("%1: no frame decodes").arg(path).toStdString());
    const int64_t count = rangeFrames(range, reader->frameCount(), path);
    clip.meta = metaFromFrame(reader->clipMeta(), range.start);
    clip.hasRate = true;
    QImage frame;
    if (range.start > 0) // one seek, then forward
        clip.frames.push_back(reader->frameAt(range.start));
    while (static_cast<int64_t>(clip.frames.size()) < count && reader->next(frame)) {
        if (cancelled(callbacks))
            throw JobCancelled();
        clip.frames.push_back(frame);
    }
    if (clip.frames.empty())
        throw MediaError(QStringLiteral("%1: no frame decodes").arg(path).toStdString());
    return clip;
}

std::vector<QImage> readMaskClip(const QString& path)
{
    if (isSequencePattern(path) || QImageReader(path).canRead())
        return readMasks(path);
    std::vector<QImage> masks;
    for (const QImage& frame : readVideo(path, { QImage::Format_RGB888, true, {} }))
        masks.push_back(binarizeMask(frame));
    return masks;
}

bool outputExists(const QString& path)
{
    return isSequencePattern(path) ? !existingSequenceFiles(path).isEmpty() : QFileInfo::exists(path);
}

void removeOutput(const QString& path)
{
    if (isSequencePattern(path))
        removeImageSequence(path);
    else
        QFile::remove(path);
}

} // namespace kinora::core
