#include "video/encode_presets.h"

#include "kinora/core/image_sequence.h"
#include "video/pixel_formats.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <QFileInfo>

#include <array>

namespace kinora::core {

namespace video {

namespace {

constexpr uint32_t tag(char a, char b, char c, char d)
{
    return static_cast<uint32_t>(a) | static_cast<uint32_t>(b) << 8 | static_cast<uint32_t>(c) << 16
        | static_cast<uint32_t>(d) << 24;
}

// 10-bit footage stays 10-bit where the format has room (ProRes, DNxHR HQX, H.265, AV1, FFV1,
// PNG); H.264 and VP9 stay 8-bit 4:2:0, what every editor and browser plays.
const std::array<EncodePreset, 10> kPresets { {
    { VideoCodec::H264, "h264", "libx264", AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P,
        AV_PIX_FMT_YUV420P, 18, true, 0, ".mp4, .mov or .mkv" },
    { VideoCodec::H265, "h265", "libx265", AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_YUV420P,
        AV_PIX_FMT_YUV420P10LE, 20, true, tag('h', 'v', 'c', '1'), ".mp4, .mov or .mkv" },
    { VideoCodec::ProRes, "prores", "prores_ks", AV_PIX_FMT_YUV422P10LE, AV_PIX_FMT_YUV422P10LE,
        AV_PIX_FMT_YUV422P10LE, AV_PIX_FMT_YUV422P10LE, -1, true, 0, ".mov" },
    { VideoCodec::ProRes4444, "prores4444", "prores_ks", AV_PIX_FMT_YUVA444P10LE, AV_PIX_FMT_YUVA444P10LE,
        AV_PIX_FMT_YUVA444P10LE, AV_PIX_FMT_YUVA444P10LE, -1, true, 0, ".mov" },
    { VideoCodec::DnxHR, "dnxhr", "dnxhd", AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV422P10LE, AV_PIX_FMT_YUV422P,
        AV_PIX_FMT_YUV422P10LE, -1, true, 0, ".mov" },
    { VideoCodec::Vp9, "vp9", "libvpx-vp9", AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P,
        AV_PIX_FMT_YUV420P, 31, true, 0, ".webm or .mkv" },
    { VideoCodec::Av1, "av1", "libsvtav1", AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_YUV420P,
        AV_PIX_FMT_YUV420P10LE, 30, true, 0, ".mp4, .mkv or .webm" },
    { VideoCodec::Gif, "gif", "gif", AV_PIX_FMT_PAL8, AV_PIX_FMT_PAL8, AV_PIX_FMT_PAL8, AV_PIX_FMT_PAL8, -1,
        false, 0, ".gif" },
    { VideoCodec::Png, "png", "png", AV_PIX_FMT_RGB24, AV_PIX_FMT_RGB48BE, AV_PIX_FMT_RGBA,
        AV_PIX_FMT_RGBA64BE, -1, false, 0, "a pattern such as out/%03d.png" },
    { VideoCodec::Ffv1, "ffv1", "ffv1", AV_PIX_FMT_0RGB32, AV_PIX_FMT_RGB48LE, AV_PIX_FMT_RGB32,
        AV_PIX_FMT_RGBA64LE, -1, true, 0, ".mkv" },
} };

bool isRgbFormat(AVPixelFormat format)
{
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    return desc && (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL));
}

// `value` when FFmpeg names it (checked against the table's size before it becomes an enum),
// else `unspecified`.
template <typename Enum> int knownTag(int value, int count, const char* (*name)(Enum), int unspecified)
{
    return value >= 0 && value < count && name(static_cast<Enum>(value)) ? value : unspecified;
}

const char* matrixName(int matrix)
{
    switch (matrix) {
    case AVCOL_SPC_BT709:
        return "bt709";
    case AVCOL_SPC_FCC:
        return "fcc";
    case AVCOL_SPC_SMPTE240M:
        return "smpte240m";
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return "bt2020";
    default:
        return "bt601";
    }
}

} // namespace

const EncodePreset& presetOf(VideoCodec codec)
{
    for (const EncodePreset& preset : kPresets)
        if (preset.codec == codec)
            return preset;
    throw std::invalid_argument("unknown codec");
}

AVPixelFormat pixelFormatFor(const EncodePreset& preset, QImage::Format format)
{
    switch (format) {
    case QImage::Format_RGBA8888:
        return preset.rgba8;
    case QImage::Format_RGBX64:
        return preset.rgb16;
    case QImage::Format_RGBA64:
        return preset.rgba16;
    default:
        return preset.rgb8;
    }
}

QSize alignedSize(const EncodePreset& /*preset*/, AVPixelFormat pixFmt, QSize size)
{
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pixFmt);
    if (!desc)
        return size;
    const int w = 1 << desc->log2_chroma_w;
    const int h = 1 << desc->log2_chroma_h;
    return { (size.width() + w - 1) / w * w, (size.height() + h - 1) / h * h };
}

EncodedColor encodedColor(
    const EncodePreset& preset, const ColorTags& source, AVPixelFormat pixFmt, int height)
{
    EncodedColor out;
    out.tags = source;
    // Tags outside FFmpeg's tables (a damaged sidecar, a caller's typo) are written as unspecified.
    out.tags.primaries
        = knownTag(out.tags.primaries, AVCOL_PRI_NB, av_color_primaries_name, AVCOL_PRI_UNSPECIFIED);
    out.tags.transfer
        = knownTag(out.tags.transfer, AVCOL_TRC_NB, av_color_transfer_name, AVCOL_TRC_UNSPECIFIED);
    out.tags.space = knownTag(out.tags.space, AVCOL_SPC_NB, av_color_space_name, AVCOL_SPC_UNSPECIFIED);
    out.tags.range = knownTag(out.tags.range, AVCOL_RANGE_NB, av_color_range_name, AVCOL_RANGE_UNSPECIFIED);
    if (isRgbFormat(pixFmt)) {
        // RGB (FFV1, PNG, GIF): no matrix; the primaries and transfer still say what the RGB is.
        out.tags.space = AVCOL_SPC_RGB;
        out.tags.range = AVCOL_RANGE_JPEG;
        out.matrix = AVCOL_SPC_RGB;
        return out;
    }
    if (out.tags.space == AVCOL_SPC_RGB)
        out.tags.space = AVCOL_SPC_UNSPECIFIED;
    out.matrix = matrixFor(out.tags.space, height);
    // ProRes and DNxHR are limited range by definition; elsewhere an untagged range is limited too.
    const bool limitedOnly = preset.codec == VideoCodec::ProRes || preset.codec == VideoCodec::ProRes4444
        || preset.codec == VideoCodec::DnxHR;
    if (limitedOnly || out.tags.range != AVCOL_RANGE_JPEG)
        out.tags.range = AVCOL_RANGE_MPEG;
    return out;
}

std::vector<std::pair<QString, QString>> encoderOptions(
    const EncodePreset& preset, int crf, AVPixelFormat pixFmt)
{
    const QString q = QString::number(crf >= 0 ? crf : preset.defaultCrf);
    switch (preset.codec) {
    case VideoCodec::H264:
        return { { "preset", "medium" }, { "crf", q } };
    case VideoCodec::H265:
        return { { "preset", "medium" }, { "crf", q }, { "x265-params", "log-level=error" } };
    case VideoCodec::ProRes:
        return { { "profile", "hq" }, { "vendor", "apl0" } };
    case VideoCodec::ProRes4444:
        return { { "profile", "4444" }, { "vendor", "apl0" }, { "alpha_bits", "16" } };
    case VideoCodec::DnxHR:
        return { { "profile", pixFmt == AV_PIX_FMT_YUV422P ? "dnxhr_hq" : "dnxhr_hqx" } };
    case VideoCodec::Vp9:
        return { { "crf", q }, { "b", "0" }, { "deadline", "good" }, { "cpu-used", "4" }, { "row-mt", "1" } };
    case VideoCodec::Av1:
        return { { "crf", q }, { "preset", "8" } };
    case VideoCodec::Ffv1:
        return { { "level", "3" } };
    case VideoCodec::Gif:
    case VideoCodec::Png:
        return {};
    }
    return {};
}

const char* muxerFor(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("mp4") || suffix == QLatin1String("m4v"))
        return "mp4";
    if (suffix == QLatin1String("mov"))
        return "mov";
    if (suffix == QLatin1String("webm"))
        return "webm";
    if (suffix == QLatin1String("mkv"))
        return "matroska";
    if (suffix == QLatin1String("gif"))
        return "gif";
    return nullptr;
}

QImage::Format coreFormatOf(QImage::Format format)
{
    if (isCoreFormat(format))
        return format;
    const QPixelFormat pf = QImage::toPixelFormat(format);
    const bool alpha = pf.alphaUsage() == QPixelFormat::UsesAlpha;
    const bool deep = pf.bitsPerPixel() > 32 || format == QImage::Format_Grayscale16;
    if (deep)
        return alpha ? QImage::Format_RGBA64 : QImage::Format_RGBX64;
    return alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888;
}

} // namespace video

const char* codecName(VideoCodec codec)
{
    return video::presetOf(codec).name;
}

std::optional<VideoCodec> codecFromName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    for (const video::EncodePreset& preset : video::kPresets)
        if (n == QLatin1String(preset.name))
            return preset.codec;
    if (n == QLatin1String("hevc"))
        return VideoCodec::H265;
    return std::nullopt;
}

QStringList codecNames()
{
    QStringList names;
    for (const video::EncodePreset& preset : video::kPresets)
        names << QString::fromLatin1(preset.name);
    return names;
}

VideoCodec codecForOutput(const QString& path)
{
    if (isSequencePattern(path))
        return VideoCodec::Png;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("mp4") || suffix == QLatin1String("m4v"))
        return VideoCodec::H264;
    if (suffix == QLatin1String("mov"))
        return VideoCodec::ProRes;
    if (suffix == QLatin1String("webm"))
        return VideoCodec::Vp9;
    if (suffix == QLatin1String("mkv"))
        return VideoCodec::Ffv1;
    if (suffix == QLatin1String("gif"))
        return VideoCodec::Gif;
    throw MediaError(path.toStdString()
        + ": cannot tell the format from the name: use .mp4, .mov, .webm, .mkv, .gif or a pattern such as "
          "out/%03d.png, or say --codec");
}

QStringList ffmpegArguments(const EncodeSettings& settings, QImage::Format format, QSize size)
{
    const video::EncodePreset& preset = video::presetOf(settings.codec);
    const AVPixelFormat pixFmt = video::pixelFormatFor(preset, video::coreFormatOf(format));
    QStringList args { QStringLiteral("-c:v"), QString::fromLatin1(preset.encoder) };
    for (const auto& [key, value] : video::encoderOptions(preset, settings.crf, pixFmt))
        args << QStringLiteral("-") + key << value;
    if (video::isGif(preset)) {
        args << QStringLiteral("-vf") << QString::fromLatin1(video::kGifFilter);
        return args;
    }
    const video::EncodedColor color = video::encodedColor(preset, settings.meta.color, pixFmt, size.height());
    args << QStringLiteral("-pix_fmt") << QString::fromLatin1(av_get_pix_fmt_name(pixFmt));
    if (preset.codec != VideoCodec::Png) {
        // The CLI's option spells AVCOL_SPC_RGB "rgb"; av_color_space_name's "gbr" is refused.
        const QString space
            = color.tags.space == AVCOL_SPC_RGB ? QStringLiteral("rgb") : colorSpaceName(color.tags.space);
        args << QStringLiteral("-color_primaries") << colorPrimariesName(color.tags.primaries)
             << QStringLiteral("-color_trc") << colorTransferName(color.tags.transfer)
             << QStringLiteral("-colorspace") << space << QStringLiteral("-color_range")
             << colorRangeName(color.tags.range);
    }
    if (color.matrix != AVCOL_SPC_RGB)
        args << QStringLiteral("-vf")
             << QStringLiteral("scale=out_color_matrix=%1:out_range=%2,"
                               // The frames carry the tags too: prores_ks writes the frame's.
                               "setparams=range=%3:color_primaries=%4:color_trc=%5:colorspace=%6")
                    .arg(QString::fromLatin1(video::matrixName(color.matrix)),
                        color.tags.range == AVCOL_RANGE_JPEG ? QStringLiteral("pc") : QStringLiteral("tv"))
                    .arg(color.tags.range)
                    .arg(color.tags.primaries)
                    .arg(color.tags.transfer)
                    .arg(color.tags.space);
    if (preset.codecTag)
        args << QStringLiteral("-tag:v") << QStringLiteral("hvc1");
    return args;
}

} // namespace kinora::core
