#pragma once
// Decodes the first video stream of a file (or an image-sequence pattern) into RGB QImages with
// the colour matrix and range the stream is tagged with (untagged footage: BT.601 below 720 lines,
// BT.709 from 720 up, as players guess). Sequential decode, and frame-accurate random access: the
// reader indexes every packet when it opens, seeks to the keyframe before the frame asked for and
// decodes forward, so frame N by seek is frame N by sequential decode.

#include "kinora/core/job.h"
#include "kinora/core/media.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace kinora::core {

struct VideoReaderOptions {
    // QImage::Format_Invalid: the source's depth and alpha decide (MediaInfo::frameFormat()).
    // Else one of Format_RGB888, Format_RGBA8888, Format_RGBX64, Format_RGBA64.
    QImage::Format format = QImage::Format_Invalid;
    // Turn frames upright by the rotation tag (multiples of 90 degrees); the frames are then
    // tagged rotation 0 in clipMeta().
    bool applyRotation = false;
    // Resample to this constant rate (duplicating or dropping frames by their timestamps, as
    // `ffmpeg -vsync cfr` does): for variable-rate footage. Not valid: the source's own frames.
    Rational constantRate;
};

class VideoReader {
public:
    // Throws MediaError.
    static std::unique_ptr<VideoReader> open(const QString& path, const VideoReaderOptions& options = {});
    ~VideoReader();
    VideoReader(const VideoReader&) = delete;
    VideoReader& operator=(const VideoReader&) = delete;

    const MediaInfo& info() const;
    // The metadata an export of what this reader returns keeps (rate, tags, rotation, audio).
    ClipMeta clipMeta() const;
    // Frames this reader returns: info().frames, or the resampled count with constantRate.
    int64_t frameCount() const;
    QSize frameSize() const; // after rotation
    QImage::Format frameFormat() const;

    // The next frame in order; false after the last. Throws MediaError on a decode error.
    bool next(QImage& frame);
    // Frame `index` (0-based), leaving the reader positioned after it. Throws std::out_of_range
    // past the end, MediaError on a decode error.
    QImage frameAt(int64_t index);
    // The index of the frame next() returns.
    int64_t position() const;

private:
    VideoReader();
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Every frame of `path`. Progress counts frames; cancellation throws JobCancelled.
std::vector<QImage> readVideo(
    const QString& path, const VideoReaderOptions& options = {}, const JobCallbacks& callbacks = {});

// A small picture of frame `index` for the timeline, at most `maxSize` (aspect kept): decodes only
// the keyframe at or before the frame, so it is fast and may show a frame a little earlier.
QImage videoThumbnail(const QString& path, int64_t index, QSize maxSize);

} // namespace kinora::core
