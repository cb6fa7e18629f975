#pragma once
// The mask painter's brush on a Grayscale8 mask: a round dab whose hardness is the falloff (1: a
// hard disc; lower: full strength inside hardness x radius, easing to nothing at the radius). The
// brush raises the mask to the dab's value (max), the eraser lowers it (min with 255 minus the
// dab's value). QPainter cannot paint on Grayscale8, so a dab is a small loop over its own
// rectangle; nothing else of the frame is touched.

#include <QImage>
#include <QPointF>
#include <QRect>

namespace kinora::ui {

struct MaskBrush {
    double diameter = 40; // frame pixels
    double hardness = 0.8; // 0..1
    bool erase = false;
};

// The dab's strength (0..255) at `distance` from its centre.
int dabValue(double distance, const MaskBrush& brush);

// Applies one dab at `centre` (frame pixels; pixel centres at +0.5); returns the rectangle it
// changed, clipped to the mask (empty when it lies outside).
QRect applyDab(QImage& mask, QPointF centre, const MaskBrush& brush);

// Dabs from `from` (exclusive: its dab is already down) to `to`, spaced evenly; `from` becomes
// the last dab's centre. Returns the rectangle changed.
QRect applySegment(QImage& mask, QPointF& from, QPointF to, const MaskBrush& brush);

// The spacing between dabs of a stroke.
double dabSpacing(const MaskBrush& brush);

} // namespace kinora::ui
