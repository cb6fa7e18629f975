#pragma once
// The timeline's time ruler: timecode at the timeline's rate and tick spacing that adapts to the
// zoom (labels far enough apart to read, minor ticks only where they do not blur together).

#include "kinora/core/media.h"

#include <QString>

#include <cstdint>

class QPainter;

namespace kinora::ui {

struct TimelineLayout;

// HH:MM:SS:FF at `rate` (non-drop-frame: 29.97 counts 30 frames a second, as most editors show it).
QString timecode(int64_t frame, core::Rational rate);
// Frames a timecode second has at `rate` (the rate rounded, at least 1).
int timecodeBase(core::Rational rate);

struct RulerTicks {
    int64_t major = 1; // labelled
    int64_t minor = 0; // 0: none
};
// Label spacing from a series of frame counts that divide a second, then whole seconds and minutes:
// the smallest at least `labelPixels` apart at `pixelsPerFrame`; minor ticks that divide it and are
// at least 6 pixels apart.
RulerTicks rulerTicks(core::Rational rate, double pixelsPerFrame, double labelPixels = 96);

// Paints the ruler row for the layout's visible range.
void paintRuler(QPainter& painter, const TimelineLayout& layout, core::Rational rate);

} // namespace kinora::ui
