#include "timeline_ruler.h"

#include "timeline_layout.h"

#include <QColor>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <vector>

namespace kinora::ui {

namespace {

const QColor kRulerFill(0x2b, 0x2f, 0x37);
const QColor kTick(0x7c, 0x84, 0x92);
const QColor kLabel(0xc8, 0xcc, 0xd4);

} // namespace

int timecodeBase(core::Rational rate)
{
    return rate.valid() ? std::max(1, static_cast<int>(std::lround(rate.value()))) : 24;
}

QString timecode(int64_t frame, core::Rational rate)
{
    const int64_t base = timecodeBase(rate);
    const bool negative = frame < 0;
    frame = std::abs(frame);
    const int64_t ff = frame % base;
    const int64_t seconds = frame / base;
    return QStringLiteral("%1%2:%3:%4:%5")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(seconds / 3600, 2, 10, QLatin1Char('0'))
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'))
        .arg(ff, base > 100 ? 3 : 2, 10, QLatin1Char('0'));
}

RulerTicks rulerTicks(core::Rational rate, double pixelsPerFrame, double labelPixels)
{
    const int64_t second = timecodeBase(rate);
    std::vector<int64_t> series;
    // Within a second, steps that divide it, so every second starts with a label (24 fps: 1, 2,
    // 3, 4, 6, 8, 12 frames; not 5, which would label 00:00:01:01).
    for (int64_t frames = 1; frames < second; ++frames)
        if (second % frames == 0)
            series.push_back(frames);
    for (int64_t seconds : { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000, 36000 })
        series.push_back(seconds * second);
    RulerTicks ticks;
    ticks.major = series.back();
    for (int64_t frames : series)
        if (static_cast<double>(frames) * pixelsPerFrame >= labelPixels) {
            ticks.major = frames;
            break;
        }
    for (int64_t parts : { 10, 5, 4, 2 })
        if (ticks.major % parts == 0 && static_cast<double>(ticks.major / parts) * pixelsPerFrame >= 6) {
            ticks.minor = ticks.major / parts;
            break;
        }
    // Seconds: minor ticks on frames read better than on odd fractions of a second.
    if (ticks.minor == 0 && ticks.major > 1 && pixelsPerFrame >= 6)
        ticks.minor = 1;
    return ticks;
}

void paintRuler(QPainter& painter, const TimelineLayout& layout, core::Rational rate)
{
    const QRect rect = layout.rulerRect();
    painter.fillRect(QRect(0, 0, layout.size.width(), rect.height()), kRulerFill);
    const RulerTicks ticks = rulerTicks(rate, layout.pixelsPerFrame);
    const int64_t first = layout.firstVisibleFrame();
    const int64_t end = layout.endVisibleFrame();
    const int bottom = rect.bottom();

    painter.setPen(kTick);
    if (ticks.minor > 0) {
        for (int64_t f = first - first % ticks.minor; f < end; f += ticks.minor) {
            if (f % ticks.major == 0)
                continue;
            const double x = std::floor(layout.xForFrame(static_cast<double>(f))) + 0.5;
            if (x >= rect.left())
                painter.drawLine(QPointF(x, bottom - 4), QPointF(x, bottom));
        }
    }
    // Labels start one major tick before the view so a label cut by the left edge still shows.
    const QFontMetrics metrics = painter.fontMetrics();
    const int64_t firstMajor = std::max<int64_t>(0, first - first % ticks.major - ticks.major);
    for (int64_t f = firstMajor; f < end; f += ticks.major) {
        const double x = std::floor(layout.xForFrame(static_cast<double>(f))) + 0.5;
        painter.setPen(kTick);
        if (x >= rect.left())
            painter.drawLine(QPointF(x, bottom - 11), QPointF(x, bottom));
        painter.setPen(kLabel);
        painter.drawText(QPointF(x + 4, rect.top() + metrics.ascent() + 3), timecode(f, rate));
    }
    painter.setPen(kTick);
    painter.drawLine(QPointF(0, bottom + 0.5), QPointF(layout.size.width(), bottom + 0.5));
}

} // namespace kinora::ui
