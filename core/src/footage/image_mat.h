// QImage <-> cv::Mat for the footage methods, the footage jobs, their tests and the footage bench.
// Frames are QImage::Format_RGB888 <-> CV_8UC3 in RGB order (QImage rows are padded to 4 bytes, so
// rows are copied one by one); masks are any QImage -> CV_8UC1 grey (luma; see maskToMat).
#pragma once

#include <opencv2/core.hpp>

#include <QImage>

#include <cstring>

namespace kinora::core::footage {

// A deep copy of `image` as 8-bit RGB.
inline cv::Mat toMat(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    return cv::Mat(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
        static_cast<size_t>(rgb.bytesPerLine()))
        .clone();
}

// A CV_8UC3 RGB matrix as a QImage (deep copy).
inline QImage toImage(const cv::Mat& rgb)
{
    QImage image(rgb.cols, rgb.rows, QImage::Format_RGB888);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(image.scanLine(y), rgb.ptr(y), static_cast<size_t>(rgb.cols) * 3);
    return image;
}

// `mask` as 8-bit grey (a deep copy). Callers threshold it as the CLI contract says.
inline cv::Mat maskToMat(const QImage& mask)
{
    const QImage gray = mask.convertToFormat(QImage::Format_Grayscale8);
    return cv::Mat(gray.height(), gray.width(), CV_8UC1, const_cast<uchar*>(gray.constBits()),
        static_cast<size_t>(gray.bytesPerLine()))
        .clone();
}

} // namespace kinora::core::footage
