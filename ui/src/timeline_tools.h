#pragma once
// What a mouse drag on the timeline does, one class per kind: scrubbing the playhead on the ruler,
// moving a clip (along its track or to another), trimming a clip's start or end. The view makes the
// tool on a press and hands it the moves until the release. A move or trim tool keeps the timeline
// as it was at the press and turns every mouse move into the whole edit so far, pushed with the
// drag's gesture number, so the drag is one undo step and passing over other clips leaves them
// whole once the clip has moved on.

#include "kinora/core/timeline.h"

#include <QPointF>
#include <QString>

#include <cstdint>
#include <optional>

namespace kinora::ui {

class TimelineView;

class TimelineTool {
public:
    explicit TimelineTool(TimelineView& view)
        : m_view(view)
    {
    }
    virtual ~TimelineTool() = default;
    TimelineTool(const TimelineTool&) = delete;
    TimelineTool& operator=(const TimelineTool&) = delete;

    virtual void move(QPointF pos) = 0;
    virtual void release(QPointF pos) { move(pos); }
    // Escape during the drag: back to how things were at the press.
    virtual void cancel() { }
    // The frame the dragged edge snapped to, for the view to draw a line there.
    std::optional<int64_t> snappedTo() const { return m_snapped; }

protected:
    TimelineView& m_view;
    std::optional<int64_t> m_snapped;
};

// Click or drag on the ruler: the playhead follows, frame-accurate and clamped to the timeline.
class ScrubTool : public TimelineTool {
public:
    ScrubTool(TimelineView& view, QPointF pos);
    void move(QPointF pos) override;
};

// Drag a clip's body: it moves in whole frames, snapping either edge, to the track under the mouse.
class MoveClipTool : public TimelineTool {
public:
    // `keepTrack`: grabbed by its audio bar, the clip moves in time only.
    MoveClipTool(TimelineView& view, const core::TimelineClip& clip, QPointF pos, bool keepTrack);
    void move(QPointF pos) override;
    void cancel() override;

private:
    core::Timeline m_origin;
    core::TimelineClip m_clip;
    QPointF m_press;
    double m_pressFrame = 0;
    bool m_keepTrack = false;
    bool m_started = false; // past the drag distance: a click that shakes a little moves nothing
    int m_gesture = 0;
};

// Drag a clip's edge: its start (the source's in-point follows) or its end moves, snapping.
class TrimClipTool : public TimelineTool {
public:
    TrimClipTool(TimelineView& view, const core::TimelineClip& clip, bool start, QPointF pos);
    void move(QPointF pos) override;
    void cancel() override;

private:
    core::Timeline m_origin;
    core::TimelineClip m_clip;
    bool m_start = true;
    double m_grabOffset = 0; // frames between the edge and where it was grabbed
    int m_gesture = 0;
};

} // namespace kinora::ui
