// TimelineView: what the mouse, the wheel, the keyboard and drops from the bin do. Drags are handed
// to the tools (timeline_tools.h); every edit is one undo command.

#include "timeline_tools.h"
#include "timeline_view.h"

#include "kinora/ui/source_mime.h"
#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/transport.h"

#include <QDragEnterEvent>
#include <QDragLeaveEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QUndoStack>
#include <QWheelEvent>

#include <cmath>

namespace kinora::ui {

namespace {

constexpr double kZoomStep = 1.5; // + and -, the toolbar's buttons
constexpr double kWheelZoomStep = 1.25; // a notch of Ctrl+wheel

} // namespace

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_tool) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPointF pos = event->position();
    const TimelineLayout geometry = layout();
    if (pos.x() < geometry.areaLeft())
        return;
    if (pos.y() < TimelineLayout::kRulerHeight) {
        m_tool = std::make_unique<ScrubTool>(*this, pos);
        update();
        return;
    }
    if (!m_project)
        return;
    const TimelineLayout::Hit hit = geometry.hitTest(m_project->timeline(), pos);
    if (!hit.clip) {
        setSelectedClip({});
        return;
    }
    const core::TimelineClip clip = *hit.clip; // a copy: the tools' edits replace the timeline
    setSelectedClip(clip.id);
    if (hit.part == TimelineLayout::Part::StartEdge || hit.part == TimelineLayout::Part::EndEdge)
        m_tool
            = std::make_unique<TrimClipTool>(*this, clip, hit.part == TimelineLayout::Part::StartEdge, pos);
    else
        m_tool = std::make_unique<MoveClipTool>(*this, clip, pos, hit.onAudio);
    update();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_tool) {
        m_tool->move(event->position());
        update();
        return;
    }
    updateHover(event->position());
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_tool || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_tool->release(event->position());
    m_tool.reset();
    updateHover(event->position());
    update();
}

void TimelineView::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (!m_hovered.isEmpty()) {
        m_hovered.clear();
        update();
    }
}

void TimelineView::updateHover(QPointF pos)
{
    TimelineLayout::Hit hit;
    if (m_project)
        hit = layout().hitTest(m_project->timeline(), pos);
    const QString hovered = hit.clip && !hit.onAudio ? hit.clip->id : QString();
    const auto part = hovered.isEmpty() ? TimelineLayout::Part::None : hit.part;
    const bool edge = part == TimelineLayout::Part::StartEdge || part == TimelineLayout::Part::EndEdge;
    setCursor(edge ? Qt::SizeHorCursor : Qt::ArrowCursor);
    if (hovered == m_hovered && part == m_hoverPart)
        return;
    m_hovered = hovered;
    m_hoverPart = part;
    update();
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        if (angle.y() != 0)
            zoomBy(std::pow(kWheelZoomStep, angle.y() / 120.0), event->position().x());
        event->accept();
        return;
    }
    // Vertical wheels scroll time too: there is nothing to scroll up and down.
    const QPoint pixels = event->pixelDelta();
    double delta = 0;
    if (!pixels.isNull())
        delta = pixels.y() != 0 ? pixels.y() : pixels.x();
    else
        delta = (angle.y() != 0 ? angle.y() : angle.x()) / 120.0 * std::max(40, layout().areaWidth() / 8);
    setScroll(m_scroll - delta);
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const bool plain = !(modifiers & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    const int64_t second = timelineRateSecond(m_project ? &m_project->timeline() : nullptr);
    switch (event->key()) {
    case Qt::Key_Escape:
        if (m_tool) {
            m_tool->cancel();
            m_tool.reset();
            update();
            return;
        }
        break;
    case Qt::Key_X:
        if (modifiers == Qt::AltModifier) {
            m_transport->clearInOut();
            return;
        }
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
        if (plain) {
            const int64_t frames = modifiers & Qt::ShiftModifier ? second : 1;
            m_transport->step(event->key() == Qt::Key_Left ? -frames : frames);
            return;
        }
        break;
    default:
        break;
    }
    if (!plain) {
        QWidget::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Space:
        m_transport->togglePlay();
        break;
    case Qt::Key_J:
        m_transport->shuttleBackward();
        break;
    case Qt::Key_K:
        m_transport->stop();
        break;
    case Qt::Key_L:
        m_transport->shuttleForward();
        break;
    case Qt::Key_I:
        m_transport->setInPoint(m_transport->playhead());
        break;
    case Qt::Key_O:
        m_transport->setOutPoint(m_transport->playhead());
        break;
    case Qt::Key_S:
        splitAtPlayhead();
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        deleteSelected();
        break;
    case Qt::Key_Home:
        m_transport->pause();
        m_transport->setPlayhead(0);
        break;
    case Qt::Key_End:
        m_transport->pause();
        m_transport->setPlayhead(m_transport->duration() - 1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(kZoomStep);
        break;
    case Qt::Key_Minus:
        zoomBy(1 / kZoomStep);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
}

std::optional<core::SourceDetails> TimelineView::draggedSource(const QMimeData* mime) const
{
    const auto ref = sourceFromMimeData(mime);
    if (!ref || !m_project)
        return std::nullopt;
    auto source = m_project->source(ref->id);
    if (!source || (!source->still && source->frames < 1))
        return std::nullopt; // not probed yet: nothing to place
    return source;
}

core::TimelineClip TimelineView::dropClip(const core::SourceDetails& source, QPointF pos)
{
    const TimelineLayout geometry = layout();
    const core::Timeline& timeline = m_project->timeline();
    core::TimelineClip clip = clipForSource(
        source, rateWithSource(timeline, source), geometry.frameAt(pos.x()), geometry.nearestTrack(pos.y()));
    m_dropSnap.reset();
    clip.start = snapSpan(timeline, clip.start, clip.length, {}, &m_dropSnap);
    return clip;
}

void TimelineView::dragEnterEvent(QDragEnterEvent* event)
{
    dragMoveEvent(event); // the same answer and indicator where the drag comes in
}

void TimelineView::dragMoveEvent(QDragMoveEvent* event)
{
    const auto source = draggedSource(event->mimeData());
    if (!source) {
        event->ignore();
        return;
    }
    m_drop = layout().clipRect(dropClip(*source, event->position()));
    event->acceptProposedAction();
    update();
}

void TimelineView::dragLeaveEvent(QDragLeaveEvent* event)
{
    QWidget::dragLeaveEvent(event);
    m_drop.reset();
    m_dropSnap.reset();
    update();
}

void TimelineView::dropEvent(QDropEvent* event)
{
    m_drop.reset();
    const auto source = draggedSource(event->mimeData());
    std::unique_ptr<TimelineCommand> command;
    if (source) {
        const core::TimelineClip clip = dropClip(*source, event->position());
        command = TimelineCommand::add(m_project, *source, clip.start, clip.track);
    }
    m_dropSnap.reset();
    update();
    if (!command) {
        event->ignore();
        return;
    }
    const QString id = command->newClipId();
    m_undoStack->push(command.release());
    setSelectedClip(id);
    event->acceptProposedAction();
}

} // namespace kinora::ui
