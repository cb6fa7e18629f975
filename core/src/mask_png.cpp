#include "kinora/core/mask_png.h"

#include <QBuffer>

namespace kinora::core {

namespace {

thread_local int64_t g_encodes = 0;
thread_local int64_t g_decodes = 0;

} // namespace

QByteArray encodeMaskPng(const QImage& mask)
{
    if (mask.isNull())
        return {};
    ++g_encodes;
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!mask.convertToFormat(QImage::Format_Grayscale8).save(&buffer, "PNG"))
        return {};
    return png;
}

QImage decodeMaskPng(const QByteArray& png)
{
    if (png.isEmpty())
        return {};
    ++g_decodes;
    const QImage image = QImage::fromData(png);
    return image.isNull() || image.format() == QImage::Format_Grayscale8
        ? image
        : image.convertToFormat(QImage::Format_Grayscale8);
}

int64_t maskPngEncodesOnThisThread()
{
    return g_encodes;
}

int64_t maskPngDecodesOnThisThread()
{
    return g_decodes;
}

} // namespace kinora::core
