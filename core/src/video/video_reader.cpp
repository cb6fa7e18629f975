#include "kinora/core/video_reader.h"

#include "kinora/core/image_sequence.h"
#include "video/av_handles.h"
#include "video/pixel_formats.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <QFile>
#include <QFileInfo>
#include <QTransform>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace kinora::core {

namespace {

// Image sequences have no rate of their own; this is the one they are read at.
constexpr Rational kSequenceRate { 24, 1 };

MediaError mediaError(const QString& path, const QString& what)
{
    return MediaError(QStringLiteral("%1: %2").arg(path, what).toStdString());
}

QString errorText(int code)
{
    return QString::fromStdString(av::errorText(code));
}

// Opens the container (FFmpeg's image2 demuxer, numbered from 0, for a pattern).
av::InputPtr openInput(const QString& path)
{
    av::configureLogging();
    const bool pattern = isSequencePattern(path);
    if (!pattern && !QFileInfo::exists(path))
        throw mediaError(path, QStringLiteral("no such file"));
    if (!pattern && QFileInfo(path).isDir())
        throw mediaError(path, QStringLiteral("is a folder, not a video file"));
    if (!pattern && QFileInfo(path).size() == 0)
        throw mediaError(path, QStringLiteral("is empty (0 bytes), not a video"));
    AVDictionary* options = nullptr;
    const AVInputFormat* format = nullptr;
    if (pattern) {
        format = av_find_input_format("image2");
        av_dict_set(&options, "pattern_type", "sequence", 0);
        av_dict_set(&options, "start_number", "0", 0);
        av_dict_set(&options, "start_number_range", "1", 0);
        av_dict_set(&options, "framerate", kSequenceRate.toString().toUtf8().constData(), 0);
    }
    AVFormatContext* raw = nullptr;
    const QByteArray local = QFile::encodeName(path);
    const int r = avformat_open_input(&raw, local.constData(), format, &options);
    av_dict_free(&options);
    if (r < 0) {
        if (pattern && r == AVERROR(ENOENT))
            throw mediaError(path,
                QStringLiteral("no frame 0 (%1); sequences are numbered from 0")
                    .arg(sequenceFramePath(path, 0)));
        if (r == AVERROR_INVALIDDATA)
            throw mediaError(
                path, QStringLiteral("not a video or image FFmpeg can read (%1)").arg(errorText(r)));
        throw mediaError(path, QStringLiteral("cannot open: %1").arg(errorText(r)));
    }
    av::InputPtr input(raw);
    if (const int s = avformat_find_stream_info(input.get(), nullptr); s < 0)
        throw mediaError(path, QStringLiteral("cannot read the stream layout: %1").arg(errorText(s)));
    return input;
}

int streamRotation(const AVStream* stream)
{
    const auto* matrix = reinterpret_cast<const int32_t*>(
        av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (!matrix)
        return 0;
    const double theta = -av_display_rotation_get(matrix); // clockwise, as ffmpeg's get_rotation
    if (std::isnan(theta))
        return 0;
    int degrees = static_cast<int>(std::lround(theta / 90.0)) * 90;
    degrees %= 360;
    return degrees < 0 ? degrees + 360 : degrees;
}

QString metadataValue(const AVDictionary* dict, const char* key)
{
    const AVDictionaryEntry* e = av_dict_get(dict, key, nullptr, 0);
    return e ? QString::fromUtf8(e->value) : QString();
}

// A colour tag as an FFmpeg struct holds it. FFmpeg (C) copies whatever number a damaged stream
// holds into these enum fields, and loading an enum outside its range is undefined in C++: read the
// bytes as an int, and call a number FFmpeg has no value for unspecified.
template <typename Enum> int colorTag(const Enum& field, Enum count, Enum unspecified)
{
    static_assert(sizeof(Enum) == sizeof(int));
    int value = 0;
    std::memcpy(&value, &field, sizeof value);
    return value >= 0 && value < static_cast<int>(count) ? value : static_cast<int>(unspecified);
}

int colorSpaceOf(const AVFrame* f)
{
    return colorTag(f->colorspace, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
}

int colorRangeOf(const AVFrame* f)
{
    return colorTag(f->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
}

// Runs `sws` (made for `size` and `format`'s pixel format) on `f`. FFmpeg 5's SIMD YUV-to-RGB
// converts 8 pixels at a time and skips a last, partial block when the destination's lines have no
// room for a whole one: a 340-wide clip lost its last 4 columns (left as whatever the memory held).
// So convert into lines with room to spare, as ffmpeg's own frames have, and crop.
QImage scaleToImage(SwsContext* sws, const AVFrame* f, QSize size, QImage::Format format)
{
    const int paddedWidth = (size.width() + 15) & ~15;
    QImage image(paddedWidth, size.height(), format);
    if (image.isNull())
        throw std::bad_alloc();
    uint8_t* dst[4] = { image.bits(), nullptr, nullptr, nullptr };
    int dstStride[4] = { static_cast<int>(image.bytesPerLine()), 0, 0, 0 };
    sws_scale(sws, f->data, f->linesize, 0, f->height, dst, dstStride);
    return paddedWidth == size.width() ? image : image.copy(0, 0, size.width(), size.height());
}

// One video packet of the index, in decode order.
struct PacketEntry {
    int64_t ts = AV_NOPTS_VALUE; // presentation time (pts, else dts)
    int64_t dts = AV_NOPTS_VALUE;
    bool key = false;
    bool hasPts = false;
};

} // namespace

struct VideoReader::Impl {
    QString path;
    VideoReaderOptions options;
    MediaInfo info;
    av::InputPtr input;
    av::CodecContextPtr decoder;
    av::SwsPtr sws;
    av::FramePtr frame = av::makeFrame();
    av::PacketPtr packet = av::makePacket();
    int stream = -1;
    AVRational timeBase { 1, 1 };
    QImage::Format format = QImage::Format_RGB888;

    std::vector<int64_t> pts; // every frame's presentation time, sorted: frame index -> time
    std::vector<PacketEntry> keyframes; // in decode order
    bool timestamps = true; // false: frames are identified by counting from the start
    bool sentEof = false;
    bool fromStart = true; // decoding has gone on from the first frame without a seek
    int64_t decoded = 0; // frames the decoder returned since the last seek to the start
    int64_t sourcePos = 0; // the index of the next source frame next() would return
    int decodeErrors = 0;

    // Constant-rate resampling: output frame k shows source frame cfrSource[k].
    std::vector<int64_t> cfrSource;
    int64_t cfrPos = 0;
    QImage lastImage;
    int64_t lastIndex = -1;

    void scanPackets();
    void rewind();
    bool seekTo(int64_t key);
    bool decodeFrame();
    int64_t indexOf(const AVFrame* f);
    QImage convert(const AVFrame* f);
    QImage sourceFrame(int64_t index);
    bool nextSource(QImage& image);
};

void VideoReader::Impl::scanPackets()
{
    std::vector<PacketEntry> entries;
    for (;;) {
        const int r = av_read_frame(input.get(), packet.get());
        if (r == AVERROR_EOF)
            break;
        if (r < 0) {
            // A damaged tail: what came before is still the clip.
            if (entries.empty())
                throw mediaError(path, QStringLiteral("cannot read packets: %1").arg(errorText(r)));
            break;
        }
        if (packet->stream_index == stream && !(packet->flags & AV_PKT_FLAG_DISCARD)) {
            PacketEntry e;
            e.ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
            e.dts = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
            e.key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
            e.hasPts = packet->pts != AV_NOPTS_VALUE;
            entries.push_back(e);
        }
        av_packet_unref(packet.get());
    }
    if (entries.empty())
        throw mediaError(path, QStringLiteral("the video stream holds no frames"));
    for (const PacketEntry& e : entries) {
        // Only real presentation times name frames: streams that carry decode times alone (AVI)
        // shift them by the decoder's delay.
        if (e.ts == AV_NOPTS_VALUE || !e.hasPts)
            timestamps = false;
        if (e.key)
            keyframes.push_back(e);
        pts.push_back(e.ts);
    }
    std::sort(pts.begin(), pts.end());
    if (timestamps && std::adjacent_find(pts.begin(), pts.end()) != pts.end())
        timestamps = false; // two frames at one time: timestamps cannot name frames
    info.frames = static_cast<int64_t>(entries.size());
    if (keyframes.empty() || !timestamps) {
        keyframes.clear();
        timestamps = false;
    }
}

void VideoReader::Impl::rewind()
{
    // Seeking to the very start works in every demuxer that can seek at all.
    int r = avformat_seek_file(input.get(), -1, INT64_MIN, INT64_MIN, INT64_MAX, 0);
    if (r < 0)
        r = av_seek_frame(input.get(), stream, INT64_MIN, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
    if (r < 0) // image2 (a PNG sequence) refuses negative times but seeks to its first frame's
        r = av_seek_frame(input.get(), stream, pts.empty() ? 0 : pts.front(), AVSEEK_FLAG_BACKWARD);
    if (r < 0)
        throw mediaError(path, QStringLiteral("cannot seek to the start: %1").arg(errorText(r)));
    avcodec_flush_buffers(decoder.get());
    sentEof = false;
    fromStart = true;
    decoded = 0;
    sourcePos = 0;
}

bool VideoReader::Impl::seekTo(int64_t keyIndex)
{
    const PacketEntry& key = keyframes[static_cast<size_t>(keyIndex)];
    if (keyIndex == 0) {
        rewind();
        return true;
    }
    if (av_seek_frame(input.get(), stream, key.dts, AVSEEK_FLAG_BACKWARD) < 0)
        return false;
    avcodec_flush_buffers(decoder.get());
    sentEof = false;
    fromStart = false;
    return true;
}

// The next frame out of the decoder into `frame`; false at the end of the stream.
bool VideoReader::Impl::decodeFrame()
{
    for (;;) {
        const int r = avcodec_receive_frame(decoder.get(), frame.get());
        if (r == 0) {
            ++decoded;
            return true;
        }
        if (r == AVERROR_EOF)
            return false;
        if (r != AVERROR(EAGAIN)) {
            // A frame that does not decode is skipped, as players do; a stream that never
            // decodes is an error.
            if (++decodeErrors > 64 && decoded == 0)
                throw mediaError(path, QStringLiteral("cannot decode: %1").arg(errorText(r)));
            continue;
        }
        if (sentEof)
            return false;
        for (;;) {
            const int rr = av_read_frame(input.get(), packet.get());
            if (rr < 0) {
                avcodec_send_packet(decoder.get(), nullptr);
                sentEof = true;
                break;
            }
            if (packet->stream_index != stream) {
                av_packet_unref(packet.get());
                continue;
            }
            const int s = avcodec_send_packet(decoder.get(), packet.get());
            av_packet_unref(packet.get());
            if (s < 0 && s != AVERROR(EAGAIN) && ++decodeErrors > 64 && decoded == 0)
                throw mediaError(path, QStringLiteral("cannot decode: %1").arg(errorText(s)));
            break;
        }
    }
}

int64_t VideoReader::Impl::indexOf(const AVFrame* f)
{
    if (timestamps) {
        const int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
        const auto it = std::lower_bound(pts.begin(), pts.end(), ts);
        if (ts != AV_NOPTS_VALUE && it != pts.end() && *it == ts)
            return it - pts.begin();
        // The decoder's times do not match the packets': identify frames by counting instead,
        // which is always right from the start of the stream.
        timestamps = false;
        keyframes.clear();
        const int64_t counted = decoded - 1;
        if (!fromStart) {
            rewind();
            return -1; // the caller decodes again from the start
        }
        return counted;
    }
    return decoded - 1;
}

QImage VideoReader::Impl::convert(const AVFrame* f)
{
    const AVPixelFormat dstFormat = video::avFormatOf(format);
    // A frame whose size differs from the stream's (a resolution switch in a broadcast stream, a
    // damaged header) is scaled to the stream's size, as ffmpeg does: a clip's frames share one size.
    sws.reset(sws_getCachedContext(sws.release(), f->width, f->height, static_cast<AVPixelFormat>(f->format),
        info.width, info.height, dstFormat, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!sws)
        throw mediaError(path,
            QStringLiteral("cannot convert %1 frames to RGB")
                .arg(QString::fromLatin1(av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format)))));
    const int frameSpace = colorSpaceOf(f);
    const int frameRange = colorRangeOf(f);
    const int space
        = video::matrixFor(frameSpace != AVCOL_SPC_UNSPECIFIED ? frameSpace : info.color.space, f->height);
    const bool fullRange = frameRange == AVCOL_RANGE_JPEG
        || video::isJpegFormat(static_cast<AVPixelFormat>(f->format))
        || (frameRange == AVCOL_RANGE_UNSPECIFIED && info.color.range == AVCOL_RANGE_JPEG);
    const int* coefficients = sws_getCoefficients(space);
    sws_setColorspaceDetails(
        sws.get(), coefficients, fullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16);
    QImage image = scaleToImage(sws.get(), f, QSize(info.width, info.height), format);
    if (options.applyRotation && info.rotation != 0)
        image = image.transformed(QTransform().rotate(info.rotation));
    return image;
}

// Source frame `index` by seeking (or decoding forward when that is nearer).
QImage VideoReader::Impl::sourceFrame(int64_t index)
{
    if (index == sourcePos) {
        QImage image;
        if (nextSource(image))
            return image;
        throw mediaError(path, QStringLiteral("frame %1 does not decode").arg(index));
    }
    if (!timestamps) {
        if (index < sourcePos)
            rewind();
        QImage image;
        while (sourcePos <= index) {
            if (!nextSource(image))
                throw mediaError(path, QStringLiteral("frame %1 does not decode").arg(index));
        }
        return image;
    }
    const int64_t target = pts[static_cast<size_t>(index)];
    // The last keyframe shown at or before the target.
    int64_t key = 0;
    for (int64_t k = 0; k < static_cast<int64_t>(keyframes.size()); ++k)
        if (keyframes[static_cast<size_t>(k)].ts <= target)
            key = k;
    // Decoding forward is cheaper when no keyframe lies between here and the target.
    const int64_t keyFrameIndex
        = std::lower_bound(pts.begin(), pts.end(), keyframes[static_cast<size_t>(key)].ts) - pts.begin();
    bool forward = index > sourcePos && keyFrameIndex < sourcePos;
    for (;;) {
        if (!forward && !seekTo(key))
            key = 0, rewind();
        forward = false;
        bool overshot = false;
        for (;;) {
            if (!decodeFrame())
                throw mediaError(path, QStringLiteral("frame %1 does not decode").arg(index));
            const int64_t at = indexOf(frame.get());
            if (at < 0)
                return sourceFrame(index); // switched to counting; decodes from the start
            if (at < index)
                continue;
            if (at == index) {
                sourcePos = index + 1;
                return convert(frame.get());
            }
            overshot = true;
            break;
        }
        if (overshot && key == 0)
            throw mediaError(path, QStringLiteral("frame %1 cannot be reached by seeking").arg(index));
        --key; // the seek landed late: start one keyframe earlier
    }
}

bool VideoReader::Impl::nextSource(QImage& image)
{
    for (;;) {
        if (!decodeFrame())
            return false;
        const int64_t at = indexOf(frame.get());
        if (at < 0)
            continue; // rewound to count from the start; sourcePos is 0 again
        if (at < sourcePos)
            continue; // frames before a seek target
        // A damaged stream can decode to more pictures than it has packets (ffprobe counts them
        // too); the clip is the frames the index counted, which every caller sizes its work by.
        if (at >= info.frames)
            return false;
        sourcePos = at + 1;
        image = convert(frame.get());
        return true;
    }
}

VideoReader::VideoReader()
    : d(std::make_unique<Impl>())
{
}

VideoReader::~VideoReader() = default;

std::unique_ptr<VideoReader> VideoReader::open(const QString& path, const VideoReaderOptions& options)
{
    std::unique_ptr<VideoReader> reader(new VideoReader());
    Impl& d = *reader->d;
    d.path = path;
    d.options = options;
    d.input = openInput(path);
    d.stream = av_find_best_stream(d.input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (d.stream < 0)
        throw mediaError(path, QStringLiteral("has no video stream"));
    AVStream* st = d.input->streams[d.stream];
    // Only the video stream is read (and the audio's parameters, below).
    for (unsigned i = 0; i < d.input->nb_streams; ++i)
        if (static_cast<int>(i) != d.stream)
            d.input->streams[i]->discard = AVDISCARD_ALL;
    d.timeBase = st->time_base;
    const AVCodecParameters* par = st->codecpar;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        throw mediaError(path,
            QStringLiteral("no decoder for its video codec (%1)")
                .arg(QString::fromLatin1(avcodec_get_name(par->codec_id))));
    if (par->width <= 0 || par->height <= 0)
        throw mediaError(path, QStringLiteral("the video stream has no frame size"));
    d.decoder.reset(avcodec_alloc_context3(codec));
    if (!d.decoder)
        throw std::bad_alloc();
    if (const int r = avcodec_parameters_to_context(d.decoder.get(), par); r < 0)
        throw mediaError(path, QStringLiteral("bad codec parameters: %1").arg(errorText(r)));
    d.decoder->pkt_timebase = st->time_base;
    d.decoder->thread_count = 0;
    d.decoder->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if (const int r = avcodec_open2(d.decoder.get(), codec, nullptr); r < 0)
        throw mediaError(path,
            QStringLiteral("cannot open the %1 decoder: %2")
                .arg(QString::fromLatin1(codec->name), errorText(r)));

    MediaInfo& info = d.info;
    info.path = path;
    info.imageSequence = isSequencePattern(path);
    info.container = QString::fromLatin1(d.input->iformat->name);
    info.width = par->width;
    info.height = par->height;
    const AVRational sar = av_guess_sample_aspect_ratio(d.input.get(), st, nullptr);
    info.sampleAspect = sar.num > 0 && sar.den > 0 ? Rational { sar.num, sar.den } : Rational { 1, 1 };
    info.codec = QString::fromLatin1(avcodec_get_name(par->codec_id));
    const auto pixFmt = static_cast<AVPixelFormat>(par->format);
    info.pixFmt = QString::fromLatin1(av_get_pix_fmt_name(pixFmt) ? av_get_pix_fmt_name(pixFmt) : "unknown");
    if (const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pixFmt)) {
        int depth = 0;
        for (int c = 0; c < desc->nb_components; ++c)
            depth = std::max(depth, desc->comp[c].depth);
        info.bitDepth = depth > 0 ? depth : 8;
        info.alpha = (desc->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
    }
    info.color = { colorTag(par->color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED),
        colorTag(par->color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED),
        colorTag(par->color_space, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED),
        colorTag(par->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED) };
    if (video::isJpegFormat(pixFmt) && info.color.range == AVCOL_RANGE_UNSPECIFIED)
        info.color.range = AVCOL_RANGE_JPEG;
    info.rotation = streamRotation(st);
    info.timecode = metadataValue(st->metadata, "timecode");
    if (info.timecode.isEmpty())
        info.timecode = metadataValue(d.input->metadata, "timecode");
    const int audio = av_find_best_stream(d.input.get(), AVMEDIA_TYPE_AUDIO, -1, d.stream, nullptr, 0);
    if (audio >= 0) {
        const AVCodecParameters* a = d.input->streams[audio]->codecpar;
        info.audio = true;
        info.audioCodec = QString::fromLatin1(avcodec_get_name(a->codec_id));
        info.audioSampleRate = a->sample_rate;
        info.audioChannels = a->ch_layout.nb_channels;
    }

    d.scanPackets();
    d.rewind();

    // Rate: the container's average, else its base rate, else frames over their span.
    // Frame times of a damaged file can be anything: they count only when real and when their span
    // fits in 64 bits (then every gap between sorted times does too).
    int64_t span = 0;
    std::vector<int64_t> deltas;
    if (d.timestamps && d.pts.size() > 1 && !__builtin_sub_overflow(d.pts.back(), d.pts.front(), &span)) {
        for (size_t i = 1; i < d.pts.size(); ++i)
            deltas.push_back(d.pts[i] - d.pts[i - 1]);
    } else {
        span = 0;
    }
    int64_t median = 0;
    if (!deltas.empty()) {
        std::vector<int64_t> sorted = deltas;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        median = sorted[sorted.size() / 2];
    }
    if (d.timestamps && median > 0) {
        // Timestamps rounded to the time base jitter by a tick; real variable rates move more.
        const double tolerance = std::max(1.5, 0.05 * static_cast<double>(median));
        info.vfr = std::any_of(deltas.begin(), deltas.end(),
            [&](int64_t delta) { return std::abs(static_cast<double>(delta - median)) > tolerance; });
    }
    AVRational fps = st->avg_frame_rate;
    if (fps.num <= 0 || fps.den <= 0)
        fps = st->r_frame_rate;
    if ((fps.num <= 0 || fps.den <= 0) && span > 0)
        fps = av_d2q(static_cast<double>(d.pts.size() - 1) / (span * av_q2d(d.timeBase)), 100000);
    if (fps.num <= 0 || fps.den <= 0)
        fps = { kSequenceRate.num, kSequenceRate.den };
    info.fps = { fps.num, fps.den };
    if (d.timestamps && median > 0) {
        info.startTime = static_cast<double>(d.pts.front()) * av_q2d(d.timeBase);
        info.duration = (static_cast<double>(span) + static_cast<double>(median)) * av_q2d(d.timeBase);
    } else {
        info.duration = static_cast<double>(info.frames) / av_q2d(fps);
    }
    if (info.imageSequence)
        info.startTime = 0;

    d.format = options.format != QImage::Format_Invalid ? options.format : info.frameFormat();
    if (!video::isCoreFormat(d.format))
        throw std::invalid_argument("VideoReader: frames are RGB888, RGBA8888, RGBX64 or RGBA64");

    if (options.constantRate.valid()) {
        // Output frame k is the source frame on screen at start + k / rate (nearest within half
        // an output frame), as ffmpeg's constant-rate output does.
        const double rate = options.constantRate.value();
        const double frames = std::max(1.0, std::round(info.duration * rate));
        // A gap of hours between two frames (a damaged time) would become millions of copies.
        if (frames > 1000.0 * static_cast<double>(info.frames) + 1000.0)
            throw mediaError(path,
                QStringLiteral("its frame times span %1 s for %2 frames: too far apart to resample at %3 fps")
                    .arg(info.duration)
                    .arg(info.frames)
                    .arg(options.constantRate.toString()));
        const auto count = static_cast<int64_t>(frames);
        const double tb = av_q2d(d.timeBase);
        for (int64_t k = 0; k < count; ++k) {
            if (!d.timestamps) {
                d.cfrSource.push_back(
                    std::min<int64_t>(info.frames - 1, std::llround(k / rate * av_q2d(fps))));
                continue;
            }
            const double t = static_cast<double>(d.pts.front()) * tb + (static_cast<double>(k) + 0.5) / rate;
            const double at = std::floor(t / tb);
            // Clamped to the frames' times, which also keeps the conversion inside int64.
            int64_t ticks = d.pts.back();
            if (at < static_cast<double>(d.pts.back()))
                ticks = at > static_cast<double>(d.pts.front()) ? static_cast<int64_t>(at) : d.pts.front();
            auto it = std::upper_bound(d.pts.begin(), d.pts.end(), ticks);
            d.cfrSource.push_back(std::max<int64_t>(0, (it - d.pts.begin()) - 1));
        }
    }
    return reader;
}

const MediaInfo& VideoReader::info() const
{
    return d->info;
}

ClipMeta VideoReader::clipMeta() const
{
    ClipMeta meta = d->info.clipMeta();
    if (d->options.applyRotation)
        meta.rotation = 0;
    if (d->options.constantRate.valid())
        meta.fps = d->options.constantRate;
    return meta;
}

int64_t VideoReader::frameCount() const
{
    return d->options.constantRate.valid() ? static_cast<int64_t>(d->cfrSource.size()) : d->info.frames;
}

QSize VideoReader::frameSize() const
{
    const bool turned = d->options.applyRotation && (d->info.rotation == 90 || d->info.rotation == 270);
    return turned ? QSize(d->info.height, d->info.width) : QSize(d->info.width, d->info.height);
}

QImage::Format VideoReader::frameFormat() const
{
    return d->format;
}

int64_t VideoReader::position() const
{
    return d->options.constantRate.valid() ? d->cfrPos : d->sourcePos;
}

bool VideoReader::next(QImage& image)
{
    if (!d->options.constantRate.valid())
        return d->nextSource(image);
    if (d->cfrPos >= static_cast<int64_t>(d->cfrSource.size()))
        return false;
    image = frameAt(d->cfrPos);
    return true;
}

QImage VideoReader::frameAt(int64_t index)
{
    if (index < 0 || index >= frameCount())
        throw std::out_of_range(
            QStringLiteral("%1: frame %2 of %3").arg(d->path).arg(index).arg(frameCount()).toStdString());
    if (!d->options.constantRate.valid())
        return d->sourceFrame(index);
    const int64_t source = d->cfrSource[static_cast<size_t>(index)];
    if (source != d->lastIndex) {
        d->lastImage = d->sourceFrame(source);
        d->lastIndex = source;
    }
    d->cfrPos = index + 1;
    return d->lastImage;
}

std::vector<QImage> readVideo(
    const QString& path, const VideoReaderOptions& options, const JobCallbacks& callbacks)
{
    auto reader = VideoReader::open(path, options);
    std::vector<QImage> frames;
    const int64_t total = reader->frameCount();
    frames.reserve(static_cast<size_t>(total));
    QImage image;
    while (reader->next(image)) {
        if (callbacks.isCancelled && callbacks.isCancelled())
            throw JobCancelled();
        frames.push_back(image);
        if (callbacks.onProgress)
            callbacks.onProgress({ static_cast<int>(frames.size()), static_cast<int>(total), 0, 1 });
    }
    if (frames.empty())
        throw MediaError(QStringLiteral("%1: no frame decodes").arg(path).toStdString());
    return frames;
}

QImage videoThumbnail(const QString& path, int64_t index, QSize maxSize)
{
    av::InputPtr input = openInput(path);
    const AVCodec* codec = nullptr;
    const int stream = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (stream < 0 || !codec)
        throw mediaError(path, QStringLiteral("has no video stream this build decodes"));
    AVStream* st = input->streams[stream];
    av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder || avcodec_parameters_to_context(decoder.get(), st->codecpar) < 0)
        throw mediaError(path, QStringLiteral("bad codec parameters"));
    decoder->pkt_timebase = st->time_base;
    decoder->thread_count = 1;
    if (avcodec_open2(decoder.get(), codec, nullptr) < 0)
        throw mediaError(path, QStringLiteral("cannot open the decoder"));
    AVRational fps = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
    if (fps.num <= 0 || fps.den <= 0)
        fps = { kSequenceRate.num, kSequenceRate.den };
    const int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    const int64_t ts = start + av_rescale_q(index, av_inv_q(fps), st->time_base);
    if (index > 0)
        av_seek_frame(input.get(), stream, ts, AVSEEK_FLAG_BACKWARD);
    av::PacketPtr packet = av::makePacket();
    av::FramePtr frame = av::makeFrame();
    bool got = false;
    while (!got && av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream && avcodec_send_packet(decoder.get(), packet.get()) >= 0)
            got = avcodec_receive_frame(decoder.get(), frame.get()) == 0;
        av_packet_unref(packet.get());
    }
    if (!got) {
        avcodec_send_packet(decoder.get(), nullptr);
        got = avcodec_receive_frame(decoder.get(), frame.get()) == 0;
    }
    if (!got)
        throw mediaError(path, QStringLiteral("no frame decodes for a thumbnail"));
    const QSize size
        = QSize(frame->width, frame->height).scaled(maxSize, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    av::SwsPtr sws(sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
        size.width(), size.height(), AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr, nullptr));
    if (!sws)
        throw mediaError(path, QStringLiteral("cannot scale frames for a thumbnail"));
    const int* coefficients = sws_getCoefficients(video::matrixFor(colorSpaceOf(frame.get()), frame->height));
    sws_setColorspaceDetails(sws.get(), coefficients, colorRangeOf(frame.get()) == AVCOL_RANGE_JPEG ? 1 : 0,
        coefficients, 1, 0, 1 << 16, 1 << 16);
    QImage image = scaleToImage(sws.get(), frame.get(), size, QImage::Format_RGB888);
    if (const int rotation = streamRotation(st); rotation != 0)
        image = image.transformed(QTransform().rotate(rotation));
    return image;
}

MediaInfo probeMedia(const QString& path)
{
    return VideoReader::open(path)->info();
}

} // namespace kinora::core
