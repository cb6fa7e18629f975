#pragma once
// `kinora-cli encode` (and, later, the export dialog): footage or an image sequence in, one of the
// export presets out, frame by frame (never the whole clip in memory), keeping the source's rate,
// colour tags, depth, sample aspect, rotation, timecode and audio.

#include "kinora/core/job.h"
#include "kinora/core/media.h"
#include "kinora/core/video_writer.h"

#include <QSize>
#include <QString>

#include <cstdint>
#include <optional>

namespace kinora::core {

struct TranscodeRequest {
    QString input;
    QString output;
    std::optional<VideoCodec> codec; // empty: codecForOutput(output)
    int crf = -1;
    Rational fps; // valid: resample to this constant rate (drop or repeat frames)
    // Valid: the rate an image-sequence input's frames are at (a sequence has none of its own and
    // is otherwise read at 24 fps); `fps` then resamples from this rate. Ignored for video files.
    Rational inputRate;
    QSize size; // valid: scale every frame to this size; empty: the source's
    // Scaling filter for `size`: false is nearest-neighbour, which keeps the hard pixels of small
    // generated takes when they are enlarged.
    bool smoothScaling = true;
    bool overwrite = false;
};

struct TranscodeResult {
    QString output;
    VideoCodec codec = VideoCodec::H264;
    int64_t frames = 0;
    QSize size;
    QString pixelFormat;
    Rational fps;
    bool audio = false;
};

// Throws JobCancelled (nothing written), OutputExistsError, MediaError.
TranscodeResult transcode(const TranscodeRequest& request, const JobCallbacks& callbacks = {});

} // namespace kinora::core
