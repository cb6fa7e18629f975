#pragma once
// Where things are in the timeline view: the ruler on top, the video tracks Vn … V1 under it (V1 at
// the bottom, as editors stack them), the audio lane below, track headers on the left; and the
// mapping between timeline frames and x at the current zoom (pixels per frame) and scroll. A small
// value made afresh from the view's state whenever it is needed, so painting, hit-testing and the
// tools always agree on where a frame is.

#include "kinora/core/timeline.h"

#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>

#include <cstdint>

namespace kinora::ui {

struct TimelineLayout {
    static constexpr int kHeaderWidth = 44;
    static constexpr int kRulerHeight = 30;
    static constexpr int kAudioHeight = 26;
    static constexpr int kMinTrackHeight = 30;
    static constexpr int kMaxTrackHeight = 64;
    static constexpr double kEdgePixels = 8; // how near a clip's edge a press trims instead of moves

    QSize size;
    int tracks = core::Timeline::kDefaultTracks;
    int trackHeight = kMaxTrackHeight;
    double pixelsPerFrame = 4;
    double scroll = 0; // pixels of the timeline scrolled out on the left

    static TimelineLayout make(QSize size, int tracks, double pixelsPerFrame, double scroll);

    // The part of the widget where time runs (right of the headers).
    int areaLeft() const { return kHeaderWidth; }
    int areaWidth() const { return size.width() > kHeaderWidth ? size.width() - kHeaderWidth : 0; }
    double xForFrame(double frame) const { return kHeaderWidth + frame * pixelsPerFrame - scroll; }
    double frameAtX(double x) const { return (x - kHeaderWidth + scroll) / pixelsPerFrame; }
    // The frame whose span holds x (>= 0), and the frame boundary nearest x (where an edge goes).
    int64_t frameAt(double x) const;
    int64_t edgeAt(double x) const;
    // The frames with any pixel in view: [firstVisibleFrame, endVisibleFrame).
    int64_t firstVisibleFrame() const;
    int64_t endVisibleFrame() const;

    QRect rulerRect() const { return { kHeaderWidth, 0, areaWidth(), kRulerHeight }; }
    int tracksTop() const { return kRulerHeight; }
    int tracksBottom() const { return kRulerHeight + tracks * trackHeight; }
    QRect trackRect(int track) const; // the row right of the header
    QRect trackHeaderRect(int track) const;
    QRect audioRect() const { return { kHeaderWidth, tracksBottom(), areaWidth(), kAudioHeight }; }
    QRect audioHeaderRect() const { return { 0, tracksBottom(), kHeaderWidth, kAudioHeight }; }
    // The track row under y, or -1; the nearest track row (for drops and drags past the rows).
    int trackAt(double y) const;
    int nearestTrack(double y) const;

    QRectF clipRect(const core::TimelineClip& clip) const;
    QRectF audioBarRect(const core::TimelineClip& clip) const;

    enum class Part { None, Body, StartEdge, EndEdge };
    struct Hit {
        const core::TimelineClip* clip = nullptr;
        Part part = Part::None;
        bool onAudio = false; // the clip's bar on the audio lane
    };
    // What lies under `pos`: a clip's body or one of its edges (on a track), or its audio bar.
    Hit hitTest(const core::Timeline& timeline, QPointF pos) const;
};

} // namespace kinora::ui
