#pragma once
// IN and MASK for the footage jobs, one frame at a time, so that memory stays bounded on long
// clips: FrameStream reads a range of a video (one seek, then forward) or of a pattern; MaskStream
// gives the mask of each frame of that range.

#include "kinora/core/clip_io.h"
#include "kinora/core/job.h"
#include "kinora/core/media.h"
#include "kinora/core/video_reader.h"

#include <opencv2/core.hpp>

#include <QImage>
#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace kinora::core::footage {

// `range` of IN (ClipRange): frame 0 of the stream is IN's frame range.start. Throws
// InputRangeError for a range outside IN, before anything is decoded past the header.
class FrameStream {
public:
    FrameStream(const QString& path, const JobCallbacks& callbacks, const ClipRange& range = {});

    bool hasRate() const { return m_reader != nullptr || m_assumedRate; }
    // An image sequence's frames are at `fps` (> 0; the request's inputFps). No effect on videos.
    void assumeRate(double fps);
    // IN's metadata moved to the range's first frame (metaFromFrame).
    const ClipMeta& meta() const { return m_meta; }
    int64_t frameCount() const { return m_count; } // in the range
    QSize size() const { return m_size; }

    bool next(QImage& frame);

private:
    QString m_path;
    std::unique_ptr<VideoReader> m_reader;
    ClipMeta m_meta;
    int64_t m_start = 0;
    int64_t m_count = 0;
    int64_t m_next = 0; // frames of the range given so far
    bool m_assumedRate = false;
    QSize m_size;
};

// MASK, one per frame of the range: one image for every frame, a pattern (one mask per frame of
// the range, its frame 0 the range's first) or a video (luma >= 128 is masked), resized to the
// clip (nearest) with one warning.
class MaskStream {
public:
    MaskStream(const QString& path, int64_t frames, QSize size, const JobCallbacks& callbacks);

    cv::Mat next();

private:
    void checkCount(int64_t masks, int64_t frames) const;
    QImage fit(const QImage& mask);

    QString m_path;
    QSize m_size;
    std::function<void(const QString&)> m_warn;
    bool m_warned = false;
    bool m_pattern = false;
    int64_t m_index = 0;
    QImage m_single;
    std::unique_ptr<VideoReader> m_video;
};

} // namespace kinora::core::footage
