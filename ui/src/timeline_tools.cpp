#include "timeline_tools.h"

#include "timeline_view.h"

#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/transport.h"

#include <QApplication>
#include <QUndoStack>

#include <cmath>

namespace kinora::ui {

namespace {

void push(TimelineView& view, std::unique_ptr<TimelineCommand> command)
{
    if (command)
        view.undoStack()->push(command.release());
}

// Puts the timeline back as the drag found it: merged into the drag's step, that step then changes
// nothing and the stack drops it.
void restore(TimelineView& view, const core::Timeline& origin, int gesture)
{
    if (view.project())
        push(view, std::make_unique<TimelineCommand>(view.project(), origin, QString(), gesture));
}

} // namespace

ScrubTool::ScrubTool(TimelineView& view, QPointF pos)
    : TimelineTool(view)
{
    move(pos);
}

void ScrubTool::move(QPointF pos)
{
    m_view.transport()->setPlayhead(m_view.layout().frameAt(pos.x()));
}

MoveClipTool::MoveClipTool(TimelineView& view, const core::TimelineClip& clip, QPointF pos, bool keepTrack)
    : TimelineTool(view)
    , m_origin(view.project()->timeline())
    , m_clip(clip)
    , m_press(pos)
    , m_pressFrame(view.layout().frameAtX(pos.x()))
    , m_keepTrack(keepTrack)
    , m_gesture(TimelineCommand::newGesture())
{
}

void MoveClipTool::move(QPointF pos)
{
    if (!m_started && (pos - m_press).manhattanLength() < QApplication::startDragDistance())
        return;
    m_started = true;
    const TimelineLayout layout = m_view.layout();
    const int64_t delta = std::llround(layout.frameAtX(pos.x()) - m_pressFrame);
    const int64_t start = std::max<int64_t>(0, m_clip.start + delta);
    const int track = m_keepTrack ? m_clip.track : layout.nearestTrack(pos.y());
    m_snapped.reset();
    const int64_t snapped = m_view.snapSpan(m_origin, start, m_clip.length, m_clip.id, &m_snapped);
    push(m_view, TimelineCommand::move(m_view.project(), m_origin, m_clip.id, snapped, track, m_gesture));
}

void MoveClipTool::cancel()
{
    m_snapped.reset();
    restore(m_view, m_origin, m_gesture);
}

TrimClipTool::TrimClipTool(TimelineView& view, const core::TimelineClip& clip, bool start, QPointF pos)
    : TimelineTool(view)
    , m_origin(view.project()->timeline())
    , m_clip(clip)
    , m_start(start)
    , m_gesture(TimelineCommand::newGesture())
{
    const double edge = static_cast<double>(start ? clip.start : clip.end());
    m_grabOffset = edge - view.layout().frameAtX(pos.x());
}

void TrimClipTool::move(QPointF pos)
{
    const int64_t frame
        = std::max<int64_t>(0, std::llround(m_view.layout().frameAtX(pos.x()) + m_grabOffset));
    m_snapped.reset();
    const int64_t snapped = m_view.snapSpan(m_origin, frame, 0, m_clip.id, &m_snapped);
    const auto edge = m_start ? TimelineCommand::Edge::Start : TimelineCommand::Edge::End;
    push(m_view, TimelineCommand::trim(m_view.project(), m_origin, m_clip.id, edge, snapped, m_gesture));
}

void TrimClipTool::cancel()
{
    m_snapped.reset();
    restore(m_view, m_origin, m_gesture);
}

} // namespace kinora::ui
