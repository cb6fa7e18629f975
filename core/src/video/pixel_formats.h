#pragma once
// How core's QImage frame formats map onto FFmpeg pixel formats, and the colour matrix a stream
// is converted with. Private to core.

#include "video/av_handles.h"

#include <QImage>

namespace kinora::core::video {

inline bool isCoreFormat(QImage::Format format)
{
    return format == QImage::Format_RGB888 || format == QImage::Format_RGBA8888
        || format == QImage::Format_RGBX64 || format == QImage::Format_RGBA64;
}

inline bool isDeepFormat(QImage::Format format)
{
    return format == QImage::Format_RGBX64 || format == QImage::Format_RGBA64;
}

inline bool hasAlpha(QImage::Format format)
{
    return format == QImage::Format_RGBA8888 || format == QImage::Format_RGBA64;
}

// QImage's 64-bit formats hold four 16-bit channels in R, G, B, A order in native byte order:
// FFmpeg's RGBA64 (native endian). RGBX64's fourth channel is 0xffff.
inline AVPixelFormat avFormatOf(QImage::Format format)
{
    switch (format) {
    case QImage::Format_RGBA8888:
        return AV_PIX_FMT_RGBA;
    case QImage::Format_RGBX64:
    case QImage::Format_RGBA64:
        return AV_PIX_FMT_RGBA64;
    default:
        return AV_PIX_FMT_RGB24;
    }
}

inline bool isJpegFormat(AVPixelFormat format)
{
    return format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P
        || format == AV_PIX_FMT_YUVJ440P || format == AV_PIX_FMT_YUVJ411P;
}

// The YUV matrix (an AVColorSpace, which sws_getCoefficients takes) for a stream's tag; untagged
// streams get what players guess: BT.709 from 720 lines up, BT.601 below.
inline int matrixFor(int space, int height)
{
    if (space == AVCOL_SPC_UNSPECIFIED || space == AVCOL_SPC_RESERVED || space == AVCOL_SPC_RGB)
        return height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
    if (space == AVCOL_SPC_BT2020_CL)
        return AVCOL_SPC_BT2020_NCL;
    return space;
}

} // namespace kinora::core::video
