#include "footage/clip_streams.h"

#include "footage/image_mat.h"

#include "kinora/core/image_sequence.h"

#include <QFileInfo>
#include <QImageReader>

namespace kinora::core::footage {

namespace {

std::string utf8(const QString& text)
{
    return text.toStdString();
}

int64_t patternFrames(const QString& pattern)
{
    int64_t count = 0;
    while (QFileInfo::exists(sequenceFramePath(pattern, static_cast<int>(count))))
        ++count;
    return count;
}

} // namespace

FrameStream::FrameStream(const QString& path, const JobCallbacks& callbacks, const ClipRange& range)
    : m_path(path)
    , m_start(range.start)
{
    if (isSequencePattern(path)) {
        const int64_t available = patternFrames(path);
        if (available == 0)
            throw std::runtime_error(
                utf8(QStringLiteral("%1: no frame 0 (%2)").arg(path, sequenceFramePath(path, 0))));
        m_count = rangeFrames(range, available, path);
        const QImage first = readImage(sequenceFramePath(path, static_cast<int>(m_start)));
        m_size = first.size();
        return;
    }
    VideoReaderOptions options;
    options.format = QImage::Format_RGB888;
    options.applyRotation = true;
    m_reader = VideoReader::open(path, options);
    if (m_reader->info().vfr && callbacks.onWarning)
        callbacks.onWarning(
            QStringLiteral("%1 has a variable frame rate; its frames are taken as they come, at the "
                           "average rate %2 fps")
                .arg(path, m_reader->info().fps.toString()));
    if (m_reader->frameCount() < 1)
        throw MediaError(utf8(QStringLiteral("%1: no frame decodes").arg(path)));
    m_count = rangeFrames(range, m_reader->frameCount(), path);
    m_meta = metaFromFrame(m_reader->clipMeta(), m_start);
    m_size = m_reader->frameSize();
}

void FrameStream::assumeRate(double fps)
{
    if (m_reader || fps <= 0)
        return;
    m_meta.fps = Rational::parse(QString::number(fps, 'g', 12));
    m_assumedRate = m_meta.fps.valid();
}

bool FrameStream::next(QImage& frame)
{
    if (m_next >= m_count)
        return false;
    if (m_reader) {
        // The first frame of a range past 0 by one seek; the rest decode forward.
        if (m_next == 0 && m_start > 0)
            frame = m_reader->frameAt(m_start);
        else if (!m_reader->next(frame))
            return false;
        ++m_next;
        return true;
    }
    const int64_t index = m_start + m_next++;
    frame = readImage(sequenceFramePath(m_path, static_cast<int>(index)));
    if (frame.size() != m_size)
        throw std::runtime_error(utf8(QStringLiteral("%1: frame %2 is %3x%4, frame %5 %6x%7")
                                          .arg(m_path)
                                          .arg(index)
                                          .arg(frame.width())
                                          .arg(frame.height())
                                          .arg(m_start)
                                          .arg(m_size.width())
                                          .arg(m_size.height())));
    return true;
}

MaskStream::MaskStream(const QString& path, int64_t frames, QSize size, const JobCallbacks& callbacks)
    : m_path(path)
    , m_size(size)
    , m_warn(callbacks.onWarning)
{
    if (isSequencePattern(path)) {
        checkCount(patternFrames(path), frames);
        m_pattern = true;
    } else if (QImageReader(path).canRead()) {
        m_single = fit(readMasks(path).front());
    } else {
        m_video = VideoReader::open(path, { QImage::Format_RGB888, true, {} });
        checkCount(m_video->frameCount(), frames);
    }
}

cv::Mat MaskStream::next()
{
    if (!m_single.isNull())
        return maskToMat(m_single);
    if (m_pattern)
        return maskToMat(fit(readMasks(sequenceFramePath(m_path, static_cast<int>(m_index++))).front()));
    QImage frame;
    if (!m_video->next(frame))
        throw MediaError(utf8(QStringLiteral("%1: a mask frame does not decode").arg(m_path)));
    return maskToMat(fit(binarizeMask(frame)));
}

void MaskStream::checkCount(int64_t masks, int64_t frames) const
{
    if (masks == 1 || masks == frames)
        return;
    throw std::runtime_error(
        utf8(QStringLiteral("MASK has %1 frames and the job works on %2 frames of IN: give one mask image "
                            "for every frame, or one mask per frame worked on")
                 .arg(masks)
                 .arg(frames)));
}

QImage MaskStream::fit(const QImage& mask)
{
    if (mask.size() == m_size)
        return mask;
    if (!m_warned && m_warn)
        m_warn(QStringLiteral("the mask is %1x%2 and the clip %3x%4: the mask is resized (nearest)")
                   .arg(mask.width())
                   .arg(mask.height())
                   .arg(m_size.width())
                   .arg(m_size.height()));
    m_warned = true;
    return mask.scaled(m_size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

} // namespace kinora::core::footage
