#pragma once
// Carries the first audio stream of a source file into an output being muxed, in sync with the
// video: the source's time `start` becomes the output's 0, and nothing past `duration` is written.
// The stream is copied when the output container takes its codec, and re-encoded otherwise
// (Opus for WebM, AAC elsewhere). Private to core's video writer.

#include "video/av_handles.h"

#include <QString>

#include <memory>

namespace kinora::core::video {

class AudioCarrier {
public:
    // Adds the audio stream to `output` (before its header is written). Returns null when the
    // source has no audio. Throws MediaError when the audio can be neither copied nor re-encoded.
    static std::unique_ptr<AudioCarrier> create(
        AVFormatContext* output, const QString& source, double start, double duration);
    ~AudioCarrier();

    // Writes audio up to `seconds` of output time (interleaved with the video written so far);
    // a negative value writes the rest.
    void writeUntil(double seconds);

private:
    AudioCarrier();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kinora::core::video
