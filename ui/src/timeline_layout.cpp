#include "timeline_layout.h"

#include <algorithm>
#include <cmath>

namespace kinora::ui {

TimelineLayout TimelineLayout::make(QSize size, int tracks, double pixelsPerFrame, double scroll)
{
    TimelineLayout layout;
    layout.size = size;
    layout.tracks = std::max(tracks, 1);
    layout.pixelsPerFrame = pixelsPerFrame;
    layout.scroll = scroll;
    // Tracks share the height left by the ruler and the audio lane, within readable limits.
    const int available = size.height() - kRulerHeight - kAudioHeight;
    layout.trackHeight = std::clamp(available / layout.tracks, kMinTrackHeight, kMaxTrackHeight);
    return layout;
}

int64_t TimelineLayout::frameAt(double x) const
{
    return std::max<int64_t>(0, static_cast<int64_t>(std::floor(frameAtX(x))));
}

int64_t TimelineLayout::edgeAt(double x) const
{
    return std::max<int64_t>(0, std::llround(frameAtX(x)));
}

int64_t TimelineLayout::firstVisibleFrame() const
{
    return frameAt(kHeaderWidth);
}

int64_t TimelineLayout::endVisibleFrame() const
{
    return static_cast<int64_t>(std::ceil(frameAtX(size.width()))) + 1;
}

QRect TimelineLayout::trackRect(int track) const
{
    return { kHeaderWidth, kRulerHeight + (tracks - 1 - track) * trackHeight, areaWidth(), trackHeight };
}

QRect TimelineLayout::trackHeaderRect(int track) const
{
    return { 0, kRulerHeight + (tracks - 1 - track) * trackHeight, kHeaderWidth, trackHeight };
}

int TimelineLayout::trackAt(double y) const
{
    if (y < tracksTop() || y >= tracksBottom())
        return -1;
    return tracks - 1 - static_cast<int>((y - tracksTop()) / trackHeight);
}

int TimelineLayout::nearestTrack(double y) const
{
    if (y < tracksTop())
        return tracks - 1;
    if (y >= tracksBottom())
        return 0;
    return trackAt(y);
}

QRectF TimelineLayout::clipRect(const core::TimelineClip& clip) const
{
    const double left = xForFrame(static_cast<double>(clip.start));
    const double right = xForFrame(static_cast<double>(clip.end()));
    const QRect row = trackRect(clip.track);
    return { left, row.top() + 1.0, std::max(right - left, 1.0), row.height() - 2.0 };
}

QRectF TimelineLayout::audioBarRect(const core::TimelineClip& clip) const
{
    const double left = xForFrame(static_cast<double>(clip.start));
    const double right = xForFrame(static_cast<double>(clip.end()));
    const QRect lane = audioRect();
    return { left, lane.top() + 3.0, std::max(right - left, 1.0), lane.height() - 6.0 };
}

TimelineLayout::Hit TimelineLayout::hitTest(const core::Timeline& timeline, QPointF pos) const
{
    Hit hit;
    if (pos.x() < kHeaderWidth)
        return hit;
    if (audioRect().contains(pos.toPoint())) {
        // Where bars overlap, the highest track's clip is the one heard on top, as in the cut.
        for (const core::TimelineClip& clip : timeline.clips())
            if (clip.hasAudio && audioBarRect(clip).contains(pos)
                && (!hit.clip || clip.track > hit.clip->track))
                hit = { &clip, Part::Body, true };
        return hit;
    }
    const int track = trackAt(pos.y());
    if (track < 0)
        return hit;
    for (const core::TimelineClip& clip : timeline.clips()) {
        if (clip.track != track)
            continue;
        const QRectF rect = clipRect(clip);
        // Edges reach a little outside the clip, so a one-pixel clip can still be trimmed.
        const double edge = std::min(kEdgePixels, rect.width() / 3);
        if (pos.x() < rect.left() - 2 || pos.x() > rect.right() + 2)
            continue;
        Part part = Part::Body;
        if (pos.x() <= rect.left() + edge)
            part = Part::StartEdge;
        else if (pos.x() >= rect.right() - edge)
            part = Part::EndEdge;
        // Two clips that touch: the one whose body holds x wins over the other's edge margin.
        if (!hit.clip || rect.contains(pos))
            hit = { &clip, part, false };
    }
    return hit;
}

} // namespace kinora::ui
