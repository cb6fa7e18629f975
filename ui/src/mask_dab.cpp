#include "mask_dab.h"

#include <QLineF>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

int dabValue(double distance, const MaskBrush& brush)
{
    const double radius = std::max(0.5, brush.diameter / 2);
    const double r = distance / radius;
    if (r >= 1)
        return 0;
    const double inner = std::clamp(brush.hardness, 0.0, 1.0);
    if (r <= inner)
        return 255;
    // Smoothstep from full strength at the inner radius to nothing at the edge.
    const double t = (r - inner) / (1 - inner);
    const double strength = 1 - t * t * (3 - 2 * t);
    return static_cast<int>(std::lround(255 * strength));
}

QRect applyDab(QImage& mask, QPointF centre, const MaskBrush& brush)
{
    const double radius = std::max(0.5, brush.diameter / 2);
    const QRect rect = QRect(QPoint(static_cast<int>(std::floor(centre.x() - radius)),
                                 static_cast<int>(std::floor(centre.y() - radius))),
        QPoint(static_cast<int>(std::ceil(centre.x() + radius)),
            static_cast<int>(std::ceil(centre.y() + radius))))
                           .intersected(mask.rect());
    if (rect.isEmpty())
        return {};
    QRect changed;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        uchar* row = mask.scanLine(y);
        const double dy = y + 0.5 - centre.y();
        int first = -1, last = -1;
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const double dx = x + 0.5 - centre.x();
            const int value = dabValue(std::sqrt(dx * dx + dy * dy), brush);
            if (value == 0)
                continue;
            const uchar before = row[x];
            row[x] = brush.erase ? std::min<int>(before, 255 - value) : std::max<int>(before, value);
            if (row[x] != before) {
                if (first < 0)
                    first = x;
                last = x;
            }
        }
        if (first >= 0)
            changed |= QRect(first, y, last - first + 1, 1);
    }
    return changed;
}

double dabSpacing(const MaskBrush& brush)
{
    return std::max(0.5, brush.diameter * 0.15);
}

QRect applySegment(QImage& mask, QPointF& from, QPointF to, const MaskBrush& brush)
{
    const double length = QLineF(from, to).length();
    const double spacing = dabSpacing(brush);
    if (length < spacing)
        return {};
    const int steps = static_cast<int>(std::floor(length / spacing));
    const QPointF direction = (to - from) / length;
    QRect changed;
    for (int i = 1; i <= steps; ++i)
        changed |= applyDab(mask, from + direction * (spacing * i), brush);
    from += direction * (spacing * steps);
    return changed;
}

} // namespace kinora::ui
