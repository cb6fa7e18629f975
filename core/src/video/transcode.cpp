#include "kinora/core/transcode.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"

#include <algorithm>
#include <cmath>

namespace kinora::core {

namespace {

// QImage::scaled works in its own formats (RGB32, premultiplied ARGB); the writer is opened for
// the reader's, so the result goes back to it, 16-bit frames staying 16-bit.
QImage scaledFrame(const QImage& frame, QSize size, bool smooth)
{
    if (!size.isValid() || frame.size() == size)
        return frame;
    return frame
        .scaled(size, Qt::IgnoreAspectRatio, smooth ? Qt::SmoothTransformation : Qt::FastTransformation)
        .convertToFormat(frame.format());
}

// Source frame on screen at output frame `k` when `sourceFrames` frames at `from` become `to`.
int64_t resampledIndex(int64_t k, Rational from, Rational to, int64_t sourceFrames)
{
    const double t = static_cast<double>(k) * to.den / to.num; // seconds
    const auto index = static_cast<int64_t>(std::floor(t * from.value() + 1e-9));
    return std::clamp<int64_t>(index, 0, sourceFrames - 1);
}

} // namespace

TranscodeResult transcode(const TranscodeRequest& request, const JobCallbacks& callbacks)
{
    const VideoCodec codec = request.codec ? *request.codec : codecForOutput(request.output);
    // A sequence read at a given rate is resampled here, by frame index: the reader would take
    // its frames to be 24 fps and resample from that.
    const bool sequenceRate = request.inputRate.valid() && isSequencePattern(request.input);
    VideoReaderOptions readOptions;
    if (!sequenceRate)
        readOptions.constantRate = request.fps;
    auto reader = VideoReader::open(request.input, readOptions);
    const MediaInfo& info = reader->info();
    if (info.vfr && !request.fps.valid() && callbacks.onWarning)
        callbacks.onWarning(
            QStringLiteral("%1 has a variable frame rate; it is written at its average rate %2 "
                           "(say --fps to resample to a constant rate)")
                .arg(request.input, info.fps.toString()));

    EncodeSettings settings;
    settings.codec = codec;
    settings.crf = request.crf;
    settings.meta = reader->clipMeta();
    settings.overwrite = request.overwrite;
    int64_t total = reader->frameCount();
    const bool resample = sequenceRate && request.fps.valid() && !(request.fps == request.inputRate);
    if (sequenceRate) {
        settings.meta.fps = request.fps.valid() ? request.fps : request.inputRate;
        if (resample)
            total = std::max<int64_t>(1,
                std::llround(static_cast<double>(reader->frameCount()) * request.fps.value()
                    / request.inputRate.value()));
    }
    settings.expectedFrames = total;
    const QSize size = request.size.isValid() && !request.size.isEmpty() ? request.size : reader->frameSize();
    auto writer
        = VideoWriter::create(request.output, size, reader->frameFormat(), settings, callbacks.onWarning);

    int done = 0;
    QImage frame;
    const auto step = [&](const QImage& source) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw JobCancelled();
        writer->write(scaledFrame(source, size, request.smoothScaling));
        ++done;
        if (callbacks.onProgress)
            callbacks.onProgress({ done, static_cast<int>(total), 0, 1 });
    };
    if (resample) {
        int64_t read = 0; // source frames read so far; `frame` is frame read - 1
        for (int64_t k = 0; k < total; ++k) {
            const int64_t index = resampledIndex(k, request.inputRate, request.fps, reader->frameCount());
            while (read <= index && reader->next(frame))
                ++read;
            step(frame);
        }
    } else {
        while (reader->next(frame))
            step(frame);
    }
    if (callbacks.isCancelled && callbacks.isCancelled())
        throw JobCancelled();
    writer->finish();

    TranscodeResult result;
    result.output = request.output;
    result.codec = codec;
    result.frames = done;
    result.size = writer->encodedSize();
    result.pixelFormat = writer->pixelFormat();
    result.fps = settings.meta.fps;
    result.audio
        = !settings.meta.audioSource.isEmpty() && codec != VideoCodec::Gif && codec != VideoCodec::Png;
    return result;
}

} // namespace kinora::core
