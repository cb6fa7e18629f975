#pragma once
// Encodes QImage frames to the formats editors take, through FFmpeg's libraries: H.264 and H.265
// MP4, ProRes 422 HQ and ProRes 4444 (with alpha) MOV, DNxHR MOV, VP9 WebM, AV1 (SVT-AV1), GIF
// (palette made by libavfilter's palettegen), PNG sequence and FFV1 MKV (lossless RGB). The file is
// written beside the target under a hidden temporary name and renamed only when complete: a
// failure, a full disk or a cancellation leaves nothing under the final name (and an older file
// there untouched).

#include "kinora/core/job.h"
#include "kinora/core/media.h"

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>

#include <memory>
#include <optional>
#include <vector>

namespace kinora::core {

enum class VideoCodec { H264, H265, ProRes, ProRes4444, DnxHR, Vp9, Av1, Gif, Png, Ffv1 };

// "h264", "h265", "prores", "prores4444", "dnxhr", "vp9", "av1", "gif", "png", "ffv1".
const char* codecName(VideoCodec codec);
std::optional<VideoCodec> codecFromName(const QString& name);
QStringList codecNames();

// The codec an output's name implies: `.mp4` H.264, `.mov` ProRes 422 HQ, `.webm` VP9, `.mkv`
// FFV1, `.gif` GIF, a `%d` pattern PNG. Throws MediaError for any other name.
VideoCodec codecForOutput(const QString& path);

struct EncodeSettings {
    VideoCodec codec = VideoCodec::H264;
    int crf = -1; // < 0: the preset's (H.264 18, H.265 20, VP9 31, AV1 30); ignored by the rest
    ClipMeta meta; // rate, colour tags, sample aspect, rotation, timecode, audio to carry
    bool overwrite = false; // replace an existing output (else OutputExistsError)
    int64_t expectedFrames = 0; // > 0: the clip's length, where carried audio is cut
};

// The ffmpeg command-line arguments (after the input) that ask for the encode `settings` describe
// for frames of `format` and `size`: codec, options, pixel format, colour tags and the conversion
// filter. The tests and the benchmark run them to compare against.
QStringList ffmpegArguments(const EncodeSettings& settings, QImage::Format format, QSize size);

class VideoWriter {
public:
    // Checks the output (codec and container agree, an existing file, the folder can be made and
    // written) and opens the encoder for frames of `size` and `format` (one of the four core
    // formats). Sizes a codec cannot take (odd sizes for 4:2:0 / 4:2:2) are padded by repeating the
    // last column or row, reported through `warn`. Throws MediaError or OutputExistsError.
    static std::unique_ptr<VideoWriter> create(const QString& path, QSize size, QImage::Format format,
        const EncodeSettings& settings, const std::function<void(const QString&)>& warn = {});
    ~VideoWriter(); // without finish(): removes the temporary file
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    // Frames must have the size and format given to create() (others are converted).
    void write(const QImage& frame);
    // Flushes the encoder, carries the audio, writes the trailer and renames into place.
    void finish();
    QSize encodedSize() const;
    QString pixelFormat() const; // the stream's ("yuv420p", "yuv422p10le", "pal8", "rgb24")

private:
    VideoWriter();
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Writes `frames` to `path` (a video file or a PNG pattern). Progress counts frames; returns false,
// having left nothing behind, when isCancelled() turns true.
bool writeVideo(const QString& path, const std::vector<QImage>& frames, const EncodeSettings& settings,
    const JobCallbacks& callbacks = {});

} // namespace kinora::core
