#include "kinora/core/transcode.h"

#include "kinora/core/video_reader.h"

namespace kinora::core {

TranscodeResult transcode(const TranscodeRequest& request, const JobCallbacks& callbacks)
{
    const VideoCodec codec = request.codec ? *request.codec : codecForOutput(request.output);
    VideoReaderOptions readOptions;
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
    settings.expectedFrames = reader->frameCount();
    auto writer = VideoWriter::create(
        request.output, reader->frameSize(), reader->frameFormat(), settings, callbacks.onWarning);

    const auto total = static_cast<int>(reader->frameCount());
    int done = 0;
    QImage frame;
    while (reader->next(frame)) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw JobCancelled();
        writer->write(frame);
        ++done;
        if (callbacks.onProgress)
            callbacks.onProgress({ done, total, 0, 1 });
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
