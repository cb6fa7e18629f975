#include "kinora/core/mask_keyframes.h"

#include "kinora/core/image_sequence.h"

#include <QDir>
#include <QFileInfo>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace kinora::core {

namespace {

// Grayscale8 -> CV_8UC1 255/0 by the jobs' rule (luma >= 128).
cv::Mat binary(const QImage& mask, QSize size)
{
    QImage gray = mask.convertToFormat(QImage::Format_Grayscale8);
    if (gray.size() != size)
        gray = gray.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    cv::Mat out(gray.height(), gray.width(), CV_8UC1);
    for (int y = 0; y < gray.height(); ++y) {
        const uchar* in = gray.constScanLine(y);
        uchar* row = out.ptr<uchar>(y);
        for (int x = 0; x < gray.width(); ++x)
            row[x] = in[x] >= 128 ? 255 : 0;
    }
    return out;
}

// Distance to the nearest unmasked pixel minus distance to the nearest masked one (CV_32F), for a
// mask with both kinds of pixel.
cv::Mat signedDistance(const cv::Mat& mask)
{
    cv::Mat inside, outside, unmasked;
    cv::distanceTransform(mask, inside, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::bitwise_not(mask, unmasked);
    cv::distanceTransform(unmasked, outside, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    return inside - outside;
}

QImage toImage(const cv::Mat& mask)
{
    QImage image(mask.cols, mask.rows, QImage::Format_Grayscale8);
    for (int y = 0; y < mask.rows; ++y)
        std::memcpy(image.scanLine(y), mask.ptr(y), static_cast<size_t>(mask.cols));
    return image;
}

} // namespace

QImage interpolateMasks(const QImage& a, const QImage& b, double t)
{
    if (t <= 0 || b.isNull())
        return a.convertToFormat(QImage::Format_Grayscale8);
    if (t >= 1 || a.isNull())
        return b.convertToFormat(QImage::Format_Grayscale8);
    const cv::Mat ma = binary(a, a.size()), mb = binary(b, a.size());
    const int pixels = ma.rows * ma.cols;
    const int na = cv::countNonZero(ma), nb = cv::countNonZero(mb);
    const auto partial = [pixels](int n) { return n > 0 && n < pixels; };
    if (!partial(na) && !partial(nb)) // both empty or full: no shape to morph
        return toImage(t < 0.5 ? ma : mb);
    cv::Mat da, db;
    if (partial(na))
        da = signedDistance(ma);
    if (partial(nb))
        db = signedDistance(mb);
    // An empty key is the other shape shrunk past its deepest pixel; a full one, grown past its
    // farthest.
    const auto stand_in = [](const cv::Mat& other, bool full) {
        double lo = 0, hi = 0;
        cv::minMaxLoc(other, &lo, &hi);
        return cv::Mat(full ? other + (1 - lo) : other - (hi + 1));
    };
    if (da.empty())
        da = stand_in(db, na == pixels);
    if (db.empty())
        db = stand_in(da, nb == pixels);
    const cv::Mat blended = da * (1 - t) + db * t;
    cv::Mat out;
    cv::threshold(blended, out, 0, 255, cv::THRESH_BINARY);
    out.convertTo(out, CV_8U);
    return toImage(out);
}

void MaskTrack::setKey(int64_t frame, const QImage& mask)
{
    if (mask.isNull()) {
        m_keys.erase(frame);
        return;
    }
    m_keys[frame] = mask.convertToFormat(QImage::Format_Grayscale8);
}

void MaskTrack::removeKey(int64_t frame)
{
    m_keys.erase(frame);
}

int64_t MaskTrack::previousKey(int64_t frame) const
{
    auto it = m_keys.upper_bound(frame);
    if (it == m_keys.begin())
        return -1;
    return std::prev(it)->first;
}

int64_t MaskTrack::nextKey(int64_t frame) const
{
    auto it = m_keys.lower_bound(frame);
    return it == m_keys.end() ? -1 : it->first;
}

QImage MaskTrack::maskAt(int64_t frame) const
{
    if (m_keys.empty())
        return {};
    const auto after = m_keys.lower_bound(frame);
    if (after != m_keys.end() && after->first == frame)
        return after->second;
    if (after == m_keys.begin())
        return after->second; // before the first key: hold it
    const auto before = std::prev(after);
    if (after == m_keys.end())
        return before->second; // after the last key: hold it
    const double t
        = static_cast<double>(frame - before->first) / static_cast<double>(after->first - before->first);
    return interpolateMasks(before->second, after->second, t);
}

bool writeMaskSequence(const MaskTrack& track, int64_t first, int64_t count, QSize size,
    const QString& pattern, const std::function<bool(int64_t done)>& progress)
{
    QDir().mkpath(QFileInfo(sequenceFramePath(pattern, 0)).absolutePath());
    QImage empty(size, QImage::Format_Grayscale8);
    empty.fill(0);
    for (int64_t i = 0; i < count; ++i) {
        QImage mask = track.isEmpty() ? empty : track.maskAt(first + i);
        if (mask.size() != size)
            mask = mask.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
        if (mask.format() != QImage::Format_Grayscale8)
            mask = mask.convertToFormat(QImage::Format_Grayscale8);
        const QString path = sequenceFramePath(pattern, static_cast<int>(i));
        if (!mask.save(path, "PNG"))
            throw std::runtime_error(
                QStringLiteral("Cannot write the mask %1").arg(QDir::toNativeSeparators(path)).toStdString());
        if (progress && !progress(i + 1)) {
            for (int64_t j = 0; j <= i; ++j)
                QFile::remove(sequenceFramePath(pattern, static_cast<int>(j)));
            return false;
        }
    }
    return true;
}

} // namespace kinora::core
