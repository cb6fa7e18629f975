#include "kinora/core/clip_io.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>

namespace kinora::core {

Clip readClip(const QString& path, const JobCallbacks& callbacks)
{
    Clip clip;
    if (isSequencePattern(path)) {
        clip.frames = readImageSequence(path);
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
    clip.meta = reader->clipMeta();
    clip.hasRate = true;
    QImage frame;
    while (reader->next(frame)) {
        if (callbacks.isCancelled && callbacks.isCancelled())
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
