#include "video/audio_carrier.h"

#include "kinora/core/media.h"

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libavutil/opt.h>
}

#include <QFile>

#include <cmath>

namespace kinora::core::video {

namespace {

MediaError audioError(const QString& source, const QString& what)
{
    return MediaError(QStringLiteral("%1: audio: %2").arg(source, what).toStdString());
}

using FifoPtr = std::unique_ptr<AVAudioFifo, av::Deleter<av_audio_fifo_free>>;

} // namespace

struct AudioCarrier::Impl {
    QString source;
    AVFormatContext* output = nullptr;
    av::InputPtr input;
    int inStream = -1;
    AVStream* outStream = nullptr;
    AVRational inTb { 1, 1 };
    int64_t startTs = 0; // the source time that becomes 0, in inTb
    int64_t endTs = -1; // the source time after which nothing is written (-1: all), in inTb
    bool done = false;
    av::PacketPtr packet = av::makePacket();

    // Re-encoding (when the container cannot take the source's codec).
    av::CodecContextPtr decoder;
    av::CodecContextPtr encoder;
    av::SwrPtr swr;
    FifoPtr fifo;
    av::FramePtr frame = av::makeFrame();
    int64_t samplesOut = 0;

    bool readPacket(); // false at the end
    void writeCopied(double untilSeconds);
    void writeEncoded(double untilSeconds, bool flush);
    void drainEncoder();
    void mux(AVPacket* p, AVRational from);
};

AudioCarrier::AudioCarrier()
    : d(std::make_unique<Impl>())
{
}

AudioCarrier::~AudioCarrier() = default;

std::unique_ptr<AudioCarrier> AudioCarrier::create(
    AVFormatContext* output, const QString& source, double start, double duration)
{
    std::unique_ptr<AudioCarrier> carrier(new AudioCarrier());
    Impl& d = *carrier->d;
    d.source = source;
    d.output = output;
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, QFile::encodeName(source).constData(), nullptr, nullptr) < 0)
        throw audioError(source, QStringLiteral("cannot open the file"));
    d.input.reset(raw);
    if (avformat_find_stream_info(d.input.get(), nullptr) < 0)
        throw audioError(source, QStringLiteral("cannot read the stream layout"));
    d.inStream = av_find_best_stream(d.input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (d.inStream < 0)
        return nullptr;
    for (unsigned i = 0; i < d.input->nb_streams; ++i)
        if (static_cast<int>(i) != d.inStream)
            d.input->streams[i]->discard = AVDISCARD_ALL;
    AVStream* in = d.input->streams[d.inStream];
    d.inTb = in->time_base;
    d.startTs = std::llround(start / av_q2d(d.inTb));
    if (duration >= 0)
        d.endTs = d.startTs + std::llround(duration / av_q2d(d.inTb));

    d.outStream = avformat_new_stream(output, nullptr);
    if (!d.outStream)
        throw std::bad_alloc();
    const AVCodecParameters* par = in->codecpar;
    if (avformat_query_codec(output->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) == 1) {
        if (avcodec_parameters_copy(d.outStream->codecpar, par) < 0)
            throw std::bad_alloc();
        d.outStream->codecpar->codec_tag = 0;
        d.outStream->time_base = d.inTb;
        return carrier;
    }

    // Re-encode: Opus in WebM, AAC elsewhere.
    const bool webm = std::string_view(output->oformat->name) == "webm";
    const AVCodec* encoder = avcodec_find_encoder_by_name(webm ? "libopus" : "aac");
    const AVCodec* decoder = avcodec_find_decoder(par->codec_id);
    if (!encoder || !decoder)
        throw audioError(source,
            QStringLiteral("%1 cannot go in this container and cannot be re-encoded")
                .arg(QString::fromLatin1(avcodec_get_name(par->codec_id))));
    d.decoder.reset(avcodec_alloc_context3(decoder));
    if (!d.decoder || avcodec_parameters_to_context(d.decoder.get(), par) < 0)
        throw std::bad_alloc();
    d.decoder->pkt_timebase = d.inTb;
    if (avcodec_open2(d.decoder.get(), decoder, nullptr) < 0)
        throw audioError(
            source, QStringLiteral("cannot open the %1 decoder").arg(QString::fromLatin1(decoder->name)));
    d.encoder.reset(avcodec_alloc_context3(encoder));
    if (!d.encoder)
        throw std::bad_alloc();
    d.encoder->sample_rate = webm ? 48000 : (par->sample_rate > 0 ? par->sample_rate : 48000);
    d.encoder->sample_fmt = encoder->sample_fmts ? encoder->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    if (av_channel_layout_copy(&d.encoder->ch_layout, &d.decoder->ch_layout) < 0
        || d.encoder->ch_layout.nb_channels <= 0)
        av_channel_layout_default(&d.encoder->ch_layout, 2);
    // A layout that only counts channels (a plain PCM WAV's): encoders want to know which they are.
    if (d.encoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&d.encoder->ch_layout, d.encoder->ch_layout.nb_channels);
    if (d.encoder->ch_layout.nb_channels > 2)
        av_channel_layout_default(&d.encoder->ch_layout, 2);
    d.encoder->bit_rate = 192000;
    d.encoder->time_base = { 1, d.encoder->sample_rate };
    if (output->oformat->flags & AVFMT_GLOBALHEADER)
        d.encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (avcodec_open2(d.encoder.get(), encoder, nullptr) < 0)
        throw audioError(
            source, QStringLiteral("cannot open the %1 encoder").arg(QString::fromLatin1(encoder->name)));
    if (avcodec_parameters_from_context(d.outStream->codecpar, d.encoder.get()) < 0)
        throw std::bad_alloc();
    d.outStream->time_base = d.encoder->time_base;
    SwrContext* swr = nullptr;
    if (swr_alloc_set_opts2(&swr, &d.encoder->ch_layout, d.encoder->sample_fmt, d.encoder->sample_rate,
            &d.decoder->ch_layout, d.decoder->sample_fmt, d.decoder->sample_rate, 0, nullptr)
            < 0
        || swr_init(swr) < 0) {
        swr_free(&swr);
        throw audioError(source, QStringLiteral("cannot set up resampling"));
    }
    d.swr.reset(swr);
    d.fifo.reset(av_audio_fifo_alloc(d.encoder->sample_fmt, d.encoder->ch_layout.nb_channels, 4096));
    if (!d.fifo)
        throw std::bad_alloc();
    return carrier;
}

bool AudioCarrier::Impl::readPacket()
{
    for (;;) {
        if (av_read_frame(input.get(), packet.get()) < 0)
            return false;
        if (packet->stream_index == inStream)
            return true;
        av_packet_unref(packet.get());
    }
}

void AudioCarrier::Impl::mux(AVPacket* p, AVRational from)
{
    av_packet_rescale_ts(p, from, outStream->time_base);
    p->stream_index = outStream->index;
    p->pos = -1;
    const int r = av_interleaved_write_frame(output, p);
    if (r < 0)
        throw MediaError(QStringLiteral("cannot write the audio: %1")
                             .arg(QString::fromStdString(av::errorText(r)))
                             .toStdString());
}

void AudioCarrier::Impl::writeCopied(double untilSeconds)
{
    while (!done) {
        if (!readPacket()) {
            done = true;
            return;
        }
        const int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (ts != AV_NOPTS_VALUE && endTs >= 0 && ts >= endTs) {
            av_packet_unref(packet.get());
            done = true;
            return;
        }
        if (ts != AV_NOPTS_VALUE && ts + packet->duration < startTs) {
            av_packet_unref(
                packet.get()); // wholly before the clip (a priming packet that ends at the start is kept)
            continue;
        }
        if (packet->pts != AV_NOPTS_VALUE)
            packet->pts -= startTs;
        if (packet->dts != AV_NOPTS_VALUE)
            packet->dts -= startTs;
        const double at = static_cast<double>(ts - startTs) * av_q2d(inTb);
        mux(packet.get(), inTb);
        av_packet_unref(packet.get());
        if (untilSeconds >= 0 && at > untilSeconds)
            return;
    }
}

void AudioCarrier::Impl::drainEncoder()
{
    av::PacketPtr out = av::makePacket();
    while (avcodec_receive_packet(encoder.get(), out.get()) == 0) {
        mux(out.get(), encoder->time_base);
        av_packet_unref(out.get());
    }
}

void AudioCarrier::Impl::writeEncoded(double untilSeconds, bool flush)
{
    const int frameSize = encoder->frame_size > 0 ? encoder->frame_size : 1024;
    const int64_t limit = endTs >= 0 ? av_rescale_q(endTs - startTs, inTb, encoder->time_base) : INT64_MAX;
    auto encodeFifo = [&](bool all) {
        while (av_audio_fifo_size(fifo.get()) >= (all ? 1 : frameSize) && samplesOut < limit) {
            av::FramePtr chunk = av::makeFrame();
            chunk->nb_samples = std::min<int>(frameSize, av_audio_fifo_size(fifo.get()));
            chunk->format = encoder->sample_fmt;
            chunk->sample_rate = encoder->sample_rate;
            av_channel_layout_copy(&chunk->ch_layout, &encoder->ch_layout);
            if (av_frame_get_buffer(chunk.get(), 0) < 0)
                throw std::bad_alloc();
            av_audio_fifo_read(fifo.get(), reinterpret_cast<void**>(chunk->data), chunk->nb_samples);
            chunk->pts = samplesOut;
            samplesOut += chunk->nb_samples;
            if (avcodec_send_frame(encoder.get(), chunk.get()) < 0)
                throw audioError(source, QStringLiteral("encoding failed"));
            drainEncoder();
        }
    };
    while (!done
        && (untilSeconds < 0 || static_cast<double>(samplesOut) / encoder->sample_rate <= untilSeconds)) {
        if (!readPacket()) {
            done = true;
            avcodec_send_packet(decoder.get(), nullptr);
        } else {
            avcodec_send_packet(decoder.get(), packet.get());
            av_packet_unref(packet.get());
        }
        while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
            // Trim to the clip by sample position: drop what lies before `startTs`.
            int64_t skip = 0;
            if (frame->pts != AV_NOPTS_VALUE && frame->pts < startTs)
                skip = av_rescale_q(startTs - frame->pts, inTb, { 1, frame->sample_rate });
            if (skip < frame->nb_samples) {
                const int outCount = swr_get_out_samples(swr.get(), frame->nb_samples);
                uint8_t** converted = nullptr;
                if (av_samples_alloc_array_and_samples(
                        &converted, nullptr, encoder->ch_layout.nb_channels, outCount, encoder->sample_fmt, 0)
                    < 0)
                    throw std::bad_alloc();
                const uint8_t** in = const_cast<const uint8_t**>(frame->extended_data);
                std::vector<const uint8_t*> offset;
                if (skip > 0) {
                    const int bytes = av_get_bytes_per_sample(static_cast<AVSampleFormat>(frame->format));
                    const bool planar = av_sample_fmt_is_planar(static_cast<AVSampleFormat>(frame->format));
                    const int planes = planar ? frame->ch_layout.nb_channels : 1;
                    for (int p = 0; p < planes; ++p)
                        offset.push_back(frame->extended_data[p]
                            + skip * bytes * (planar ? 1 : frame->ch_layout.nb_channels));
                    in = offset.data();
                }
                const int got = swr_convert(
                    swr.get(), converted, outCount, in, frame->nb_samples - static_cast<int>(skip));
                if (got > 0)
                    av_audio_fifo_write(fifo.get(), reinterpret_cast<void**>(converted), got);
                av_freep(&converted[0]);
                av_freep(&converted);
            }
            av_frame_unref(frame.get());
        }
        encodeFifo(false);
        if (samplesOut >= limit)
            done = true;
    }
    if (flush) {
        encodeFifo(true);
        avcodec_send_frame(encoder.get(), nullptr);
        drainEncoder();
    }
}

void AudioCarrier::writeUntil(double seconds)
{
    if (d->encoder)
        d->writeEncoded(seconds, seconds < 0);
    else
        d->writeCopied(seconds);
}

} // namespace kinora::core::video
