#include "kinora/core/video_writer.h"

#include "kinora/core/image_sequence.h"
#include "output_folders.h"
#include "video/audio_carrier.h"
#include "video/av_handles.h"
#include "video/encode_presets.h"
#include "video/pixel_formats.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace kinora::core {

namespace {

MediaError mediaError(const QString& path, const QString& what)
{
    return MediaError(QStringLiteral("%1: %2").arg(path, what).toStdString());
}

// What a failed write means to the person who asked for it.
QString writeErrorText(int code)
{
    if (code == AVERROR(ENOSPC) || code == AVERROR(EFBIG) || code == AVERROR(EDQUOT))
        return QStringLiteral("the disk is full (%1)").arg(QString::fromStdString(av::errorText(code)));
    if (code == AVERROR(EACCES) || code == AVERROR(EPERM) || code == AVERROR(EROFS))
        return QStringLiteral("no permission to write there (%1)")
            .arg(QString::fromStdString(av::errorText(code)));
    return QString::fromStdString(av::errorText(code));
}

// Makes the output's folder, or says why it cannot be made.
void makeFolder(const QString& path, const QString& dir)
{
    if (QFileInfo(dir).isDir())
        return;
    for (QFileInfo at(dir); !at.isRoot(); at = QFileInfo(at.absolutePath())) {
        if (at.exists() && !at.isDir())
            throw mediaError(
                path, QStringLiteral("cannot create the folder %1: %2 is a file").arg(dir, at.filePath()));
        if (at.exists())
            break;
    }
    if (!QDir().mkpath(dir))
        throw mediaError(path, QStringLiteral("cannot create the folder %1 (no permission?)").arg(dir));
}

// Pads `image` to `size` by repeating its last column and row.
QImage padded(const QImage& image, QSize size)
{
    if (image.size() == size)
        return image;
    QImage out(size, image.format());
    const int bpp = image.depth() / 8;
    const auto rowBytes = static_cast<size_t>(image.width() * bpp);
    for (int y = 0; y < size.height(); ++y) {
        const uchar* src = image.constScanLine(std::min(y, image.height() - 1));
        uchar* dst = out.scanLine(y);
        std::memcpy(dst, src, rowBytes);
        for (int x = image.width(); x < size.width(); ++x)
            std::memcpy(dst + static_cast<size_t>(x * bpp), src + rowBytes - static_cast<size_t>(bpp),
                static_cast<size_t>(bpp));
    }
    return out;
}

std::atomic<int> g_partialCounter { 0 };

} // namespace

struct VideoWriter::Impl {
    QString path; // the final name
    QString partial; // the temporary file (or, for PNG, the sequence writer's folder)
    QString createdFolder; // removed if the write does not complete
    EncodeSettings settings;
    const video::EncodePreset* preset = nullptr;
    QSize inputSize;
    QSize size; // encoded, after padding
    QImage::Format inputFormat = QImage::Format_RGB888;
    AVPixelFormat pixFmt = AV_PIX_FMT_NONE;
    bool finished = false;
    int64_t frameIndex = 0;

    std::unique_ptr<SequenceWriter> sequence; // PNG

    av::OutputPtr output;
    av::CodecContextPtr encoder;
    AVStream* stream = nullptr;
    av::SwsPtr sws;
    av::FramePtr frame;
    av::PacketPtr packet = av::makePacket();
    std::unique_ptr<video::AudioCarrier> audio;

    // GIF: frames go through split -> palettegen / paletteuse before the encoder.
    av::FilterGraphPtr graph;
    AVFilterContext* source = nullptr;
    AVFilterContext* sink = nullptr;

    ~Impl() { discard(); }
    void discard();
    void openEncoder();
    void openGifFilter();
    void encode(AVFrame* f);
    void drainFilter(bool flush);
    void writePackets();
    void check(int code, const char* what);
};

void VideoWriter::Impl::check(int code, const char* what)
{
    if (code < 0)
        throw mediaError(path, QStringLiteral("%1: %2").arg(QString::fromLatin1(what), writeErrorText(code)));
}

void VideoWriter::Impl::discard()
{
    if (finished)
        return;
    audio.reset();
    graph.reset();
    encoder.reset();
    output.reset(); // closes the file
    sequence.reset(); // removes its temporary folder
    if (!partial.isEmpty() && !sequence)
        QFile::remove(partial);
    if (!createdFolder.isEmpty())
        QDir(createdFolder).removeRecursively();
    finished = true;
}

void VideoWriter::Impl::openGifFilter()
{
    graph.reset(avfilter_graph_alloc());
    if (!graph)
        throw std::bad_alloc();
    const QByteArray args
        = QStringLiteral("video_size=%1x%2:pix_fmt=%3:time_base=%4/%5:pixel_aspect=%6/%7")
              .arg(size.width())
              .arg(size.height())
              .arg(static_cast<int>(video::avFormatOf(inputFormat)))
              .arg(encoder->time_base.num)
              .arg(encoder->time_base.den)
              .arg(encoder->sample_aspect_ratio.num > 0 ? encoder->sample_aspect_ratio.num : 1)
              .arg(encoder->sample_aspect_ratio.den > 0 ? encoder->sample_aspect_ratio.den : 1)
              .toLatin1();
    check(avfilter_graph_create_filter(
              &source, avfilter_get_by_name("buffer"), "in", args.constData(), nullptr, graph.get()),
        "GIF palette filter (buffer)");
    check(avfilter_graph_create_filter(
              &sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, graph.get()),
        "GIF palette filter (buffersink)");
    const AVPixelFormat pal8[] = { AV_PIX_FMT_PAL8, AV_PIX_FMT_NONE };
    check(av_opt_set_int_list(sink, "pix_fmts", pal8, AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN),
        "GIF palette filter");
    AVFilterInOut* outputs = avfilter_inout_alloc();
    AVFilterInOut* inputs = avfilter_inout_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    const int r = avfilter_graph_parse_ptr(graph.get(), video::kGifFilter, &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    check(r, "GIF palette filter");
    check(avfilter_graph_config(graph.get(), nullptr), "GIF palette filter");
}

void VideoWriter::Impl::openEncoder()
{
    const QString dir = QFileInfo(path).absolutePath();
    const QByteArray finalName = QFile::encodeName(path);
    const AVOutputFormat* format = av_guess_format(video::muxerFor(path), finalName.constData(), nullptr);
    if (!format)
        throw mediaError(path, QStringLiteral("FFmpeg knows no container for this file name"));
    const AVCodec* codec = avcodec_find_encoder_by_name(preset->encoder);
    if (!codec)
        throw mediaError(
            path, QStringLiteral("this FFmpeg has no %1 encoder").arg(QString::fromLatin1(preset->encoder)));
    if (avformat_query_codec(format, codec->id, FF_COMPLIANCE_NORMAL) != 1)
        throw mediaError(path,
            QStringLiteral("%1 does not go in a .%2 file (use %3)")
                .arg(QString::fromLatin1(codecName(preset->codec)), QFileInfo(path).suffix(),
                    QString::fromLatin1(preset->extensions)));

    partial = QStringLiteral("%1/.%2.kinora-partial-%3-%4")
                  .arg(dir, QFileInfo(path).fileName())
                  .arg(::getpid())
                  .arg(g_partialCounter.fetch_add(1));
    AVFormatContext* raw = nullptr;
    check(avformat_alloc_output_context2(&raw, format, nullptr, QFile::encodeName(partial).constData()),
        "cannot set up the container");
    output.reset(raw);

    encoder.reset(avcodec_alloc_context3(codec));
    if (!encoder)
        throw std::bad_alloc();
    const ClipMeta& meta = settings.meta;
    const AVRational fps
        = meta.fps.valid() ? AVRational { meta.fps.num, meta.fps.den } : AVRational { 24, 1 };
    encoder->width = size.width();
    encoder->height = size.height();
    encoder->pix_fmt = pixFmt;
    encoder->time_base = av_inv_q(fps);
    encoder->framerate = fps;
    encoder->sample_aspect_ratio = meta.sampleAspect.valid()
        ? AVRational { meta.sampleAspect.num, meta.sampleAspect.den }
        : AVRational { 1, 1 };
    const video::EncodedColor color = video::encodedColor(*preset, meta.color, pixFmt, size.height());
    encoder->color_primaries = static_cast<AVColorPrimaries>(color.tags.primaries);
    encoder->color_trc = static_cast<AVColorTransferCharacteristic>(color.tags.transfer);
    encoder->colorspace = static_cast<AVColorSpace>(color.tags.space);
    encoder->color_range = static_cast<AVColorRange>(color.tags.range);
    encoder->thread_count = 0;
    if (output->oformat->flags & AVFMT_GLOBALHEADER)
        encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* options = nullptr;
    for (const auto& [key, value] : video::encoderOptions(*preset, settings.crf, pixFmt))
        av_dict_set(&options, key.toUtf8().constData(), value.toUtf8().constData(), 0);
    const int opened = avcodec_open2(encoder.get(), codec, &options);
    av_dict_free(&options);
    if (opened < 0)
        throw mediaError(path,
            QStringLiteral("cannot open the %1 encoder for %2x%3 %4: %5")
                .arg(QString::fromLatin1(codec->name))
                .arg(size.width())
                .arg(size.height())
                .arg(QString::fromLatin1(av_get_pix_fmt_name(pixFmt)), writeErrorText(opened)));

    stream = avformat_new_stream(output.get(), nullptr);
    if (!stream)
        throw std::bad_alloc();
    check(avcodec_parameters_from_context(stream->codecpar, encoder.get()), "cannot set up the stream");
    if (preset->codecTag)
        stream->codecpar->codec_tag = preset->codecTag;
    stream->time_base = encoder->time_base;
    stream->avg_frame_rate = fps;
    stream->r_frame_rate = fps;
    stream->sample_aspect_ratio = encoder->sample_aspect_ratio;
    if (meta.rotation % 360 != 0) {
        auto* matrix = reinterpret_cast<int32_t*>(
            av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
        if (!matrix)
            throw std::bad_alloc();
        // av_display_rotation_get() returns minus the angle given here (whatever the docs say);
        // ffmpeg and players turn by minus what get() returns, clockwise: so `rotation`, unnegated.
        av_display_rotation_set(matrix, meta.rotation);
    }
    if (!meta.timecode.isEmpty()) {
        av_dict_set(&stream->metadata, "timecode", meta.timecode.toUtf8().constData(), 0);
        av_dict_set(&output->metadata, "timecode", meta.timecode.toUtf8().constData(), 0);
    }
    av_dict_set(&output->metadata, "encoder", "Kinora", 0);

    if (!meta.audioSource.isEmpty() && preset->audio) {
        const double duration = static_cast<double>(settings.expectedFrames) / av_q2d(fps);
        audio = video::AudioCarrier::create(
            output.get(), meta.audioSource, meta.audioStart, settings.expectedFrames > 0 ? duration : -1);
    }

    if (!(output->oformat->flags & AVFMT_NOFILE)) {
        const int r = avio_open(&output->pb, QFile::encodeName(partial).constData(), AVIO_FLAG_WRITE);
        if (r < 0)
            throw mediaError(path, QStringLiteral("cannot write in %1: %2").arg(dir, writeErrorText(r)));
    }
    AVDictionary* muxOptions = nullptr;
    if (output->oformat == av_guess_format("mov", nullptr, nullptr)
        || output->oformat == av_guess_format("mp4", nullptr, nullptr))
        av_dict_set(&muxOptions, "movflags", "+write_colr", 0);
    const int header = avformat_write_header(output.get(), &muxOptions);
    av_dict_free(&muxOptions);
    check(header, "cannot write the header");

    frame = av::makeFrame();
    frame->format = video::isGif(*preset) ? video::avFormatOf(inputFormat) : pixFmt;
    frame->width = size.width();
    frame->height = size.height();
    // prores_ks writes the frame's colour tags (not the context's) into every frame header, and
    // the decoder's header values override the container's: untagged frames make an untagged file.
    frame->color_primaries = encoder->color_primaries;
    frame->color_trc = encoder->color_trc;
    frame->colorspace = encoder->colorspace;
    frame->color_range = encoder->color_range;
    check(av_frame_get_buffer(frame.get(), 0), "out of memory");
    if (video::isGif(*preset))
        openGifFilter();
    else {
        sws.reset(sws_getContext(size.width(), size.height(), video::avFormatOf(inputFormat), size.width(),
            size.height(), pixFmt, SWS_BICUBIC, nullptr, nullptr, nullptr));
        if (!sws)
            throw mediaError(path,
                QStringLiteral("cannot convert frames to %1")
                    .arg(QString::fromLatin1(av_get_pix_fmt_name(pixFmt))));
        const int* coefficients = sws_getCoefficients(color.matrix);
        sws_setColorspaceDetails(sws.get(), coefficients, 1, coefficients,
            color.tags.range == AVCOL_RANGE_JPEG ? 1 : 0, 0, 1 << 16, 1 << 16);
    }
}

void VideoWriter::Impl::writePackets()
{
    for (;;) {
        const int r = avcodec_receive_packet(encoder.get(), packet.get());
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
            return;
        check(r, "encoding failed");
        av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
        packet->stream_index = stream->index;
        const double seconds = packet->dts != AV_NOPTS_VALUE
            ? static_cast<double>(packet->dts) * av_q2d(stream->time_base)
            : 0.0;
        check(av_interleaved_write_frame(output.get(), packet.get()), "cannot write");
        if (audio)
            audio->writeUntil(seconds);
    }
}

void VideoWriter::Impl::encode(AVFrame* f)
{
    check(avcodec_send_frame(encoder.get(), f), "encoding failed");
    writePackets();
}

void VideoWriter::Impl::drainFilter(bool flush)
{
    if (flush)
        check(av_buffersrc_add_frame_flags(source, nullptr, 0), "GIF palette filter");
    av::FramePtr filtered = av::makeFrame();
    for (;;) {
        const int r = av_buffersink_get_frame(sink, filtered.get());
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
            return;
        check(r, "GIF palette filter");
        filtered->pict_type = AV_PICTURE_TYPE_NONE;
        encode(filtered.get());
        av_frame_unref(filtered.get());
    }
}

VideoWriter::VideoWriter()
    : d(std::make_unique<Impl>())
{
}

VideoWriter::~VideoWriter() = default;

std::unique_ptr<VideoWriter> VideoWriter::create(const QString& path, QSize size, QImage::Format format,
    const EncodeSettings& settings, const std::function<void(const QString&)>& warn)
{
    av::configureLogging();
    if (!video::isCoreFormat(format))
        throw std::invalid_argument("VideoWriter: frames are RGB888, RGBA8888, RGBX64 or RGBA64");
    if (size.width() <= 0 || size.height() <= 0)
        throw mediaError(
            path, QStringLiteral("nothing to write: frames are %1x%2").arg(size.width()).arg(size.height()));
    std::unique_ptr<VideoWriter> writer(new VideoWriter());
    Impl& d = *writer->d;
    d.path = path;
    d.settings = settings;
    d.preset = &video::presetOf(settings.codec);
    d.inputSize = size;
    d.inputFormat = format;
    d.pixFmt = video::pixelFormatFor(*d.preset, format);
    const bool pattern = isSequencePattern(path);
    if (pattern != (settings.codec == VideoCodec::Png))
        throw mediaError(path,
            pattern ? QStringLiteral("a %d pattern is written as PNG (--codec png)")
                    : QStringLiteral("PNG frames are written to a pattern such as out/%03d.png"));
    if (pattern) {
        d.size = size;
        d.sequence = SequenceWriter::create(path, settings.overwrite);
        return writer;
    }
    if (QFileInfo(path).isDir())
        throw mediaError(path, QStringLiteral("is a folder"));
    if (QFileInfo::exists(path) && !settings.overwrite)
        throw OutputExistsError(path.toStdString() + " exists");
    // DNxHR's smallest frame (the encoder's own limit, which it reports only as "Invalid argument").
    if (settings.codec == VideoCodec::DnxHR && (size.width() < 256 || size.height() < 120))
        throw mediaError(path,
            QStringLiteral("DNxHR needs frames of at least 256x120, these are %1x%2: use prores or h264")
                .arg(size.width())
                .arg(size.height()));
    d.size = video::alignedSize(*d.preset, d.pixFmt, size);
    if (d.size != size && warn)
        warn(QStringLiteral("%1x%2 is padded to %3x%4 for %5 (%6)")
                 .arg(size.width())
                 .arg(size.height())
                 .arg(d.size.width())
                 .arg(d.size.height())
                 .arg(QString::fromLatin1(codecName(settings.codec)),
                     QString::fromLatin1(av_get_pix_fmt_name(d.pixFmt))));
    const QString dir = QFileInfo(path).absolutePath();
    d.createdFolder = firstMissingFolder(dir);
    makeFolder(path, dir);
    d.openEncoder();
    return writer;
}

void VideoWriter::write(const QImage& image)
{
    Impl& d = *this->d;
    if (d.finished)
        throw std::logic_error("VideoWriter::write after finish");
    if (image.size() != d.inputSize)
        throw mediaError(d.path,
            QStringLiteral("frame %1 is %2x%3, the clip %4x%5")
                .arg(d.frameIndex)
                .arg(image.width())
                .arg(image.height())
                .arg(d.inputSize.width())
                .arg(d.inputSize.height()));
    const QImage converted = image.format() == d.inputFormat ? image : image.convertToFormat(d.inputFormat);
    if (d.sequence) {
        d.sequence->write(converted);
        ++d.frameIndex;
        return;
    }
    const QImage source = padded(converted, d.size);
    d.check(av_frame_make_writable(d.frame.get()), "out of memory");
    if (video::isGif(*d.preset)) {
        av_image_copy_plane(d.frame->data[0], d.frame->linesize[0], source.constBits(),
            static_cast<int>(source.bytesPerLine()), static_cast<int>(source.bytesPerLine()),
            source.height());
        d.frame->pts = d.frameIndex++;
        d.check(av_buffersrc_add_frame_flags(d.source, d.frame.get(), AV_BUFFERSRC_FLAG_KEEP_REF),
            "GIF palette filter");
        d.drainFilter(false);
        return;
    }
    const uint8_t* src[4] = { source.constBits(), nullptr, nullptr, nullptr };
    const int srcStride[4] = { static_cast<int>(source.bytesPerLine()), 0, 0, 0 };
    sws_scale(d.sws.get(), src, srcStride, 0, source.height(), d.frame->data, d.frame->linesize);
    d.frame->pts = d.frameIndex++;
    d.encode(d.frame.get());
}

void VideoWriter::finish()
{
    Impl& d = *this->d;
    if (d.finished)
        throw std::logic_error("VideoWriter::finish twice");
    if (d.frameIndex == 0)
        throw mediaError(d.path, QStringLiteral("no frames to write"));
    if (d.sequence) {
        d.sequence->commit();
        d.sequence.reset();
        d.finished = true;
        return;
    }
    if (d.graph)
        d.drainFilter(true);
    d.encode(nullptr);
    if (d.audio)
        d.audio->writeUntil(-1);
    d.check(av_write_trailer(d.output.get()), "cannot finish the file");
    if (d.output->pb) {
        avio_flush(d.output->pb);
        d.check(d.output->pb->error, "cannot write");
        d.check(avio_closep(&d.output->pb), "cannot write");
    }
    std::error_code ec;
    std::filesystem::rename(
        QFile::encodeName(d.partial).toStdString(), QFile::encodeName(d.path).toStdString(), ec);
    if (ec)
        throw mediaError(d.path,
            QStringLiteral("cannot move the finished file into place (%1)")
                .arg(QString::fromStdString(ec.message())));
    d.partial.clear();
    d.createdFolder.clear();
    d.finished = true;
}

QSize VideoWriter::encodedSize() const
{
    return d->size;
}

QString VideoWriter::pixelFormat() const
{
    return QString::fromLatin1(av_get_pix_fmt_name(d->pixFmt));
}

bool writeVideo(const QString& path, const std::vector<QImage>& frames, const EncodeSettings& settings,
    const JobCallbacks& callbacks)
{
    if (frames.empty())
        throw mediaError(path, QStringLiteral("no frames to write"));
    EncodeSettings s = settings;
    s.expectedFrames = static_cast<int64_t>(frames.size());
    auto writer = VideoWriter::create(
        path, frames.front().size(), video::coreFormatOf(frames.front().format()), s, callbacks.onWarning);
    const int total = static_cast<int>(frames.size());
    for (int i = 0; i < total; ++i) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            return false;
        writer->write(frames[static_cast<size_t>(i)]);
        if (callbacks.onProgress)
            callbacks.onProgress({ i + 1, total, 0, 1 });
    }
    if (callbacks.isCancelled && callbacks.isCancelled())
        return false;
    writer->finish();
    return true;
}

} // namespace kinora::core
