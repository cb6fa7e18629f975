#include "video/audio_mix.h"

#include "kinora/core/job.h"
#include "kinora/core/media.h"
#include "video/av_handles.h"

#include <QFile>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>

namespace kinora::core::video {

namespace {

MediaError audioError(const QString& path, const QString& what)
{
    return MediaError(QStringLiteral("%1: audio: %2").arg(path, what).toStdString());
}

// One source's first audio stream from a point on, as 48 kHz stereo float samples, interleaved.
class SourceAudio {
public:
    SourceAudio(const QString& path, double startSeconds)
        : m_path(path)
        , m_start(startSeconds)
    {
        av::configureLogging();
        AVFormatContext* raw = nullptr;
        if (avformat_open_input(&raw, QFile::encodeName(path).constData(), nullptr, nullptr) < 0)
            throw audioError(path, QStringLiteral("cannot open the file"));
        m_input.reset(raw);
        if (avformat_find_stream_info(m_input.get(), nullptr) < 0)
            throw audioError(path, QStringLiteral("cannot read the stream layout"));
        m_stream = av_find_best_stream(m_input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
        if (m_stream < 0) { // probed with sound once, but none now: it stays silent
            m_ended = true;
            return;
        }
        for (unsigned i = 0; i < m_input->nb_streams; ++i)
            if (static_cast<int>(i) != m_stream)
                m_input->streams[i]->discard = AVDISCARD_ALL;
        const AVStream* stream = m_input->streams[m_stream];
        const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
        if (!codec)
            throw audioError(path,
                QStringLiteral("no decoder for %1")
                    .arg(QString::fromLatin1(avcodec_get_name(stream->codecpar->codec_id))));
        m_decoder.reset(avcodec_alloc_context3(codec));
        if (!m_decoder || avcodec_parameters_to_context(m_decoder.get(), stream->codecpar) < 0)
            throw std::bad_alloc();
        m_decoder->pkt_timebase = stream->time_base;
        if (avcodec_open2(m_decoder.get(), codec, nullptr) < 0)
            throw audioError(
                path, QStringLiteral("cannot open the %1 decoder").arg(QString::fromLatin1(codec->name)));
        // Seek to the keyframe before the start; the samples before it are dropped once decoded.
        if (m_start > 0) {
            const auto ts = static_cast<int64_t>(std::floor(m_start / av_q2d(stream->time_base)));
            if (av_seek_frame(m_input.get(), m_stream, ts, AVSEEK_FLAG_BACKWARD) >= 0)
                avcodec_flush_buffers(m_decoder.get());
        }
    }

    // Adds the next `count` samples into `mix` (interleaved stereo); silence past the end.
    void addTo(float* mix, int64_t count)
    {
        while (available() < count && !m_ended)
            decodeMore();
        const int64_t n = std::min(count, available());
        const float* from = m_samples.data() + 2 * m_read;
        for (int64_t i = 0; i < 2 * n; ++i)
            mix[i] += from[i];
        m_read += n;
        if (m_read > 2 * kMixRate) { // drop what was used, now and then
            m_samples.erase(m_samples.begin(), m_samples.begin() + 2 * m_read);
            m_read = 0;
        }
    }

private:
    int64_t available() const { return static_cast<int64_t>(m_samples.size() / 2) - m_read; }

    void decodeMore()
    {
        av::PacketPtr packet = av::makePacket();
        for (;;) {
            const int received = avcodec_receive_frame(m_decoder.get(), m_frame.get());
            if (received == 0) {
                append(m_frame.get());
                av_frame_unref(m_frame.get());
                return;
            }
            if (received == AVERROR_EOF) {
                flush();
                m_ended = true;
                return;
            }
            if (received != AVERROR(EAGAIN))
                throw audioError(m_path,
                    QStringLiteral("cannot decode: %1").arg(QString::fromStdString(av::errorText(received))));
            // The decoder wants input.
            int read = 0;
            while (
                (read = av_read_frame(m_input.get(), packet.get())) >= 0 && packet->stream_index != m_stream)
                av_packet_unref(packet.get());
            avcodec_send_packet(m_decoder.get(), read >= 0 ? packet.get() : nullptr);
            av_packet_unref(packet.get());
        }
    }

    void openResampler(const AVFrame* frame)
    {
        AVChannelLayout in {};
        if (frame->ch_layout.nb_channels > 0 && frame->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC)
            av_channel_layout_copy(&in, &frame->ch_layout);
        else
            av_channel_layout_default(&in, std::max(1, frame->ch_layout.nb_channels));
        AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        SwrContext* swr = nullptr;
        const int made = swr_alloc_set_opts2(&swr, &stereo, AV_SAMPLE_FMT_FLT, kMixRate, &in,
            static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
        av_channel_layout_uninit(&in);
        if (made < 0 || swr_init(swr) < 0) {
            swr_free(&swr);
            throw audioError(m_path, QStringLiteral("cannot resample to 48 kHz stereo"));
        }
        m_swr.reset(swr);
        // Where the first decoded sample sits against the start: silence before it, or samples to drop.
        const int64_t pts = frame->best_effort_timestamp;
        const double first = pts != AV_NOPTS_VALUE
            ? static_cast<double>(pts) * av_q2d(m_input->streams[m_stream]->time_base)
            : 0;
        const int64_t lead = std::llround((first - m_start) * kMixRate);
        if (lead > 0)
            m_samples.insert(m_samples.end(), static_cast<size_t>(2 * lead), 0.0F);
        else
            m_skip = -lead;
    }

    // Resamples `frame` (null: flushes the resampler) onto the end of the samples.
    void append(const AVFrame* frame)
    {
        if (!m_swr)
            openResampler(frame);
        const int inCount = frame ? frame->nb_samples : 0;
        const int outCount = swr_get_out_samples(m_swr.get(), inCount);
        if (outCount <= 0)
            return;
        std::vector<float> converted(static_cast<size_t>(2 * outCount));
        auto* out = reinterpret_cast<uint8_t*>(converted.data());
        const int got = swr_convert(m_swr.get(), &out, outCount,
            frame ? const_cast<const uint8_t**>(frame->extended_data) : nullptr, inCount);
        if (got < 0)
            throw audioError(m_path, QStringLiteral("resampling failed"));
        const int64_t drop = std::min<int64_t>(m_skip, got);
        m_skip -= drop;
        m_samples.insert(m_samples.end(), converted.begin() + 2 * drop, converted.begin() + 2 * got);
    }

    void flush()
    {
        if (m_swr)
            append(nullptr);
    }

    QString m_path;
    double m_start = 0;
    av::InputPtr m_input;
    int m_stream = -1;
    av::CodecContextPtr m_decoder;
    av::SwrPtr m_swr;
    av::FramePtr m_frame = av::makeFrame();
    std::vector<float> m_samples; // interleaved stereo, from m_read on not yet mixed
    int64_t m_read = 0;
    int64_t m_skip = 0; // decoded samples before the start still to drop
    bool m_ended = false;
};

// A canonical 44-byte PCM WAV header: 16-bit stereo at 48 kHz.
QByteArray wavHeader(int64_t samples)
{
    const auto dataBytes = static_cast<quint32>(std::min<int64_t>(samples * 4, 0xFFFFFFFFLL - 36));
    QByteArray header(44, '\0');
    auto* p = reinterpret_cast<uchar*>(header.data());
    const auto put32 = [p](int at, quint32 v) { qToLittleEndian<quint32>(v, p + at); };
    const auto put16 = [p](int at, quint16 v) { qToLittleEndian<quint16>(v, p + at); };
    std::memcpy(p, "RIFF", 4);
    put32(4, 36 + dataBytes);
    std::memcpy(p + 8, "WAVEfmt ", 8);
    put32(16, 16);
    put16(20, 1); // PCM
    put16(22, 2);
    put32(24, kMixRate);
    put32(28, kMixRate * 4);
    put16(32, 4);
    put16(34, 16);
    std::memcpy(p + 36, "data", 4);
    put32(40, dataBytes);
    return header;
}

} // namespace

void mixToWav(const std::vector<AudioPlacement>& placements, int64_t samples, const QString& wavPath,
    const std::function<bool()>& isCancelled)
{
    QFile wav(wavPath);
    if (!wav.open(QIODevice::WriteOnly) || wav.write(wavHeader(samples)) != 44)
        throw MediaError(QStringLiteral("%1: cannot write the mixed sound (%2)")
                             .arg(wavPath, wav.errorString())
                             .toStdString());
    std::vector<std::unique_ptr<SourceAudio>> open(placements.size());
    constexpr int64_t kChunk = kMixRate; // a second
    std::vector<float> mix;
    QByteArray pcm;
    for (int64_t at = 0; at < samples; at += kChunk) {
        if (isCancelled && isCancelled())
            throw JobCancelled();
        const int64_t count = std::min(kChunk, samples - at);
        mix.assign(static_cast<size_t>(2 * count), 0.0F);
        for (size_t i = 0; i < placements.size(); ++i) {
            const AudioPlacement& p = placements[i];
            const int64_t from = std::max(at, p.at), to = std::min(at + count, p.at + p.length);
            if (from >= to)
                continue;
            if (!open[i])
                open[i] = std::make_unique<SourceAudio>(
                    p.path, p.sourceSeconds + static_cast<double>(from - p.at) / kMixRate);
            open[i]->addTo(mix.data() + 2 * (from - at), to - from);
            if (to == p.at + p.length)
                open[i].reset(); // done with this source: its decoder closes
        }
        pcm.resize(static_cast<qsizetype>(mix.size() * 2));
        auto* out = reinterpret_cast<uchar*>(pcm.data());
        for (size_t s = 0; s < mix.size(); ++s) {
            const float v = std::clamp(mix[s], -1.0F, 1.0F);
            qToLittleEndian<qint16>(static_cast<qint16>(std::lround(v * 32767.0F)), out + 2 * s);
        }
        if (wav.write(pcm) != pcm.size())
            throw MediaError(QStringLiteral("%1: cannot write the mixed sound (%2)")
                                 .arg(wavPath, wav.errorString())
                                 .toStdString());
    }
    if (!wav.flush())
        throw MediaError(QStringLiteral("%1: cannot write the mixed sound (%2)")
                             .arg(wavPath, wav.errorString())
                             .toStdString());
}

} // namespace kinora::core::video
