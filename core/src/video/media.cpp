#include "kinora/core/media.h"

#include "video/av_handles.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <QJsonObject>

#include <cmath>

namespace kinora::core {

QString Rational::toString() const
{
    return QStringLiteral("%1/%2").arg(num).arg(den);
}

Rational Rational::parse(const QString& text)
{
    const QString t = text.trimmed();
    bool ok = false;
    if (const int slash = t.indexOf(QLatin1Char('/')); slash >= 0) {
        bool okDen = false;
        const int num = t.left(slash).toInt(&ok);
        const int den = t.mid(slash + 1).toInt(&okDen);
        if (ok && okDen && num > 0 && den > 0) {
            int n = num;
            int d = den;
            av_reduce(&n, &d, num, den, INT32_MAX);
            return { n, d };
        }
        return { 0, 1 };
    }
    const double value = t.toDouble(&ok);
    if (!ok || !(value > 0) || value > 1e6)
        return { 0, 1 };
    // NTSC rates written as decimals (23.976, 29.97, 59.94) mean the x/1001 rates.
    for (const int base : { 24, 30, 48, 60, 120 }) {
        const double ntsc = base * 1000.0 / 1001.0;
        if (std::abs(value - ntsc) < 0.006)
            return { base * 1000, 1001 };
    }
    const AVRational q = av_d2q(value, 100000);
    return q.num > 0 && q.den > 0 ? Rational { q.num, q.den } : Rational { 0, 1 };
}

QImage::Format MediaInfo::frameFormat() const
{
    if (bitDepth > 8)
        return alpha ? QImage::Format_RGBA64 : QImage::Format_RGBX64;
    return alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888;
}

ClipMeta MediaInfo::clipMeta() const
{
    ClipMeta meta;
    meta.fps = fps.valid() ? fps : Rational { 24, 1 };
    meta.sampleAspect = sampleAspect.valid() ? sampleAspect : Rational { 1, 1 };
    meta.color = color;
    meta.rotation = rotation;
    meta.timecode = timecode;
    if (audio) {
        meta.audioSource = path;
        meta.audioStart = startTime;
    }
    return meta;
}

namespace {

QString nameOr(const char* name, const char* fallback = "unknown")
{
    return QString::fromLatin1(name ? name : fallback);
}

} // namespace

QString colorSpaceName(int space)
{
    return nameOr(av_color_space_name(static_cast<AVColorSpace>(space)));
}

QString colorRangeName(int range)
{
    return nameOr(av_color_range_name(static_cast<AVColorRange>(range)));
}

QString colorPrimariesName(int primaries)
{
    return nameOr(av_color_primaries_name(static_cast<AVColorPrimaries>(primaries)));
}

QString colorTransferName(int transfer)
{
    return nameOr(av_color_transfer_name(static_cast<AVColorTransferCharacteristic>(transfer)));
}

QJsonObject toJson(const MediaInfo& info)
{
    QJsonObject o;
    o[QStringLiteral("path")] = info.path;
    o[QStringLiteral("container")] = info.container;
    o[QStringLiteral("image_sequence")] = info.imageSequence;
    o[QStringLiteral("width")] = info.width;
    o[QStringLiteral("height")] = info.height;
    o[QStringLiteral("sample_aspect")] = info.sampleAspect.toString();
    o[QStringLiteral("fps")] = info.fps.toString();
    o[QStringLiteral("vfr")] = info.vfr;
    o[QStringLiteral("frames")] = static_cast<double>(info.frames);
    o[QStringLiteral("duration")] = info.duration;
    o[QStringLiteral("start_time")] = info.startTime;
    o[QStringLiteral("codec")] = info.codec;
    o[QStringLiteral("pix_fmt")] = info.pixFmt;
    o[QStringLiteral("bit_depth")] = info.bitDepth;
    o[QStringLiteral("alpha")] = info.alpha;
    o[QStringLiteral("color_space")] = colorSpaceName(info.color.space);
    o[QStringLiteral("color_range")] = colorRangeName(info.color.range);
    o[QStringLiteral("color_primaries")] = colorPrimariesName(info.color.primaries);
    o[QStringLiteral("color_transfer")] = colorTransferName(info.color.transfer);
    o[QStringLiteral("rotation")] = info.rotation;
    o[QStringLiteral("timecode")] = info.timecode;
    o[QStringLiteral("audio")] = info.audio;
    if (info.audio) {
        o[QStringLiteral("audio_codec")] = info.audioCodec;
        o[QStringLiteral("audio_sample_rate")] = info.audioSampleRate;
        o[QStringLiteral("audio_channels")] = info.audioChannels;
    }
    return o;
}

} // namespace kinora::core
