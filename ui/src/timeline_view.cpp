// TimelineView: state, painting, zoom and scroll, selection and the keyboard's edits. Mouse, wheel,
// keys and drops are in timeline_view_input.cpp.

#include "timeline_view.h"

#include "timeline_ruler.h"
#include "timeline_tools.h"

#include "kinora/ui/frame_source.h"
#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/transport.h"

#include <QCursor>
#include <QPainter>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

TimelineView::TimelineView(QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent)
    : QWidget(parent)
    , m_undoStack(undoStack)
    , m_transport(transport)
    , m_frames(frames)
    , m_painter(frames)
{
    setObjectName(QStringLiteral("timelineView"));
    setAccessibleName(tr("Timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAcceptDrops(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(240,
        TimelineLayout::kRulerHeight + TimelineLayout::kAudioHeight + 3 * TimelineLayout::kMinTrackHeight);
    setToolTip(tr("Drag clips to move them, their edges to trim; S splits at the playhead, I and O mark "
                  "in and out, Ctrl+wheel zooms"));

    connect(m_transport, &Transport::playheadChanged, this, &TimelineView::followPlayhead);
    connect(m_transport, &Transport::rangeChanged, this, qOverload<>(&QWidget::update));
    if (frames) {
        connect(frames, &FrameSource::frameReady, this, [this](const QString& sourceId, qint64 frame) {
            if (m_painter.missing().contains({ sourceId, frame }))
                invalidate();
        });
        connect(frames, &FrameSource::sourceChanged, this, &TimelineView::invalidate);
    }
}

TimelineView::~TimelineView() = default;

void TimelineView::setProject(core::Project* project)
{
    if (project == m_project)
        return;
    m_tool.reset();
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    if (project) {
        connect(project, &core::Project::timelineChanged, this, &TimelineView::timelineChanged);
        // Clip names come from the bin.
        connect(project, &core::Project::takesChanged, this, &TimelineView::invalidate);
        connect(project, &core::Project::mediaChanged, this, &TimelineView::invalidate);
        connect(project, &QObject::destroyed, this, &TimelineView::timelineChanged);
    }
    m_scroll = 0;
    m_hovered.clear();
    timelineChanged();
    m_fitPending = true;
    if (isVisible())
        zoomToFit();
}

TimelineLayout TimelineView::layout() const
{
    const int tracks = m_project ? m_project->timeline().trackCount() : core::Timeline::kDefaultTracks;
    return TimelineLayout::make(size(), tracks, m_zoom, m_scroll);
}

void TimelineView::invalidate()
{
    m_cacheValid = false;
    update();
}

void TimelineView::timelineChanged()
{
    const core::Timeline* timeline = m_project ? &m_project->timeline() : nullptr;
    if (!timeline || !timeline->clip(m_hovered))
        m_hovered.clear();
    if (!m_selected.isEmpty() && (!timeline || !timeline->clip(m_selected)))
        setSelectedClip({});
    invalidate();
    Q_EMIT scrollRangeChanged();
}

void TimelineView::paintEvent(QPaintEvent*)
{
    const TimelineLayout geometry = layout();
    const qreal ratio = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * ratio).toSize();
    if (!m_cacheValid || m_cache.size() != pixels || m_cache.devicePixelRatio() != ratio) {
        if (m_cache.size() != pixels)
            m_cache = QPixmap(pixels);
        m_cache.setDevicePixelRatio(ratio);
        QPainter painter(&m_cache);
        painter.setFont(font());
        m_painter.paintStatic(painter, geometry, m_project);
        m_cacheValid = true;
        ++m_cacheBuilds;
    }

    QPainter painter(this);
    painter.drawPixmap(0, 0, m_cache);
    TimelineOverlay overlay;
    overlay.playhead = m_transport->playhead();
    overlay.in = m_transport->inPoint();
    overlay.out = m_transport->outPoint();
    overlay.selected = m_selected;
    if (!m_tool) {
        overlay.hovered = m_hovered;
        overlay.hoverPart = m_hoverPart;
    }
    overlay.drop = m_drop;
    overlay.snap = m_tool ? m_tool->snappedTo() : m_dropSnap;
    m_painter.paintOverlay(painter, geometry, m_project ? &m_project->timeline() : nullptr, overlay);
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_cacheValid = false;
    if (m_fitPending && isVisible())
        zoomToFit();
    Q_EMIT scrollRangeChanged();
}

void TimelineView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_fitPending)
        zoomToFit();
}

double TimelineView::maxScroll() const
{
    // The end of the timeline can come to the middle of the view, leaving room to drop after it.
    const double duration = m_project ? static_cast<double>(m_project->timeline().duration()) : 0;
    return std::max(0.0, duration * m_zoom - layout().areaWidth() / 2.0);
}

void TimelineView::setScroll(double pixels)
{
    pixels = std::clamp(pixels, 0.0, std::max(maxScroll(), 0.0));
    if (pixels == m_scroll)
        return;
    m_scroll = pixels;
    invalidate();
    Q_EMIT scrollChanged(m_scroll);
}

void TimelineView::setZoom(double pixelsPerFrame, double anchorX)
{
    pixelsPerFrame = std::clamp(pixelsPerFrame, kMinZoom, kMaxZoom);
    if (pixelsPerFrame == m_zoom)
        return;
    const double frame = layout().frameAtX(anchorX);
    m_zoom = pixelsPerFrame;
    m_scroll = std::max(0.0, frame * m_zoom - (anchorX - TimelineLayout::kHeaderWidth));
    invalidate();
    Q_EMIT zoomChanged(m_zoom);
    Q_EMIT scrollRangeChanged();
    Q_EMIT scrollChanged(m_scroll);
}

void TimelineView::zoomBy(double factor, double anchorX)
{
    setZoom(m_zoom * factor, anchorX);
}

void TimelineView::zoomBy(double factor)
{
    const TimelineLayout geometry = layout();
    double anchor = geometry.areaLeft() + geometry.areaWidth() / 2.0;
    const QPoint mouse = mapFromGlobal(QCursor::pos());
    const int playhead = playheadX();
    if (underMouse() && mouse.x() >= geometry.areaLeft())
        anchor = mouse.x();
    else if (playhead >= geometry.areaLeft() && playhead < width())
        anchor = playhead;
    zoomBy(factor, anchor);
}

void TimelineView::zoomToFit()
{
    const core::Timeline* timeline = m_project ? &m_project->timeline() : nullptr;
    const int64_t second = timelineRateSecond(timeline);
    const auto frames
        = static_cast<double>(std::max<int64_t>(timeline ? timeline->duration() : 0, 10 * second));
    const double width = std::max(layout().areaWidth() - 16, 64);
    const double zoom = std::clamp(width / frames, kMinZoom, kMaxZoom);
    m_fitPending = false;
    const bool changed = zoom != m_zoom || m_scroll != 0;
    m_zoom = zoom;
    m_scroll = 0;
    if (!changed)
        return;
    invalidate();
    Q_EMIT zoomChanged(m_zoom);
    Q_EMIT scrollRangeChanged();
    Q_EMIT scrollChanged(m_scroll);
}

int64_t TimelineView::timelineRateSecond(const core::Timeline* timeline)
{
    return timecodeBase(timeline ? timeline->rate() : core::Rational { 24, 1 });
}

void TimelineView::setSnapping(bool on)
{
    m_snapping = on;
}

int64_t TimelineView::snapSpan(const core::Timeline& timeline, int64_t start, int64_t length,
    const QString& ignore, std::optional<int64_t>* snapped) const
{
    if (!m_snapping)
        return start;
    const auto tolerance = static_cast<int64_t>(kSnapPixels / m_zoom);
    std::vector<int64_t> extra { m_transport->playhead() };
    if (m_transport->inPoint() >= 0)
        extra.push_back(m_transport->inPoint());
    if (m_transport->outPoint() >= 0)
        extra.push_back(m_transport->outPoint() + 1); // the edge after the last frame of the range
    const int64_t head = timeline.snap(start, tolerance, ignore, extra);
    const int64_t tail
        = length > 0 ? timeline.snap(start + length, tolerance, ignore, extra) : start + length;
    const int64_t headMove = head - start;
    const int64_t tailMove = tail - (start + length);
    if (headMove == 0 && tailMove == 0)
        return start;
    const bool useHead = headMove != 0 && (tailMove == 0 || std::abs(headMove) <= std::abs(tailMove));
    if (snapped)
        *snapped = useHead ? head : tail;
    return std::max<int64_t>(0, start + (useHead ? headMove : tailMove));
}

void TimelineView::setSelectedClip(const QString& clipId)
{
    const QString id = m_project && m_project->timeline().clip(clipId) ? clipId : QString();
    if (id == m_selected)
        return;
    m_selected = id;
    update();
    Q_EMIT clipSelected(id);
}

void TimelineView::splitAtPlayhead()
{
    if (!m_project)
        return;
    const core::Timeline& timeline = m_project->timeline();
    const int64_t frame = m_transport->playhead();
    const core::TimelineClip* clip = timeline.clip(m_selected);
    if (!clip || frame <= clip->start || frame >= clip->end())
        clip = timeline.shownAt(frame).clip;
    if (!clip)
        return;
    if (auto command = TimelineCommand::split(m_project, clip->id, frame))
        m_undoStack->push(command.release());
}

void TimelineView::deleteSelected()
{
    if (auto command = TimelineCommand::remove(m_project, m_selected))
        m_undoStack->push(command.release());
}

int TimelineView::playheadX() const
{
    return TimelinePainter::playheadX(layout(), m_transport->playhead());
}

QRectF TimelineView::clipRect(const QString& clipId) const
{
    const core::TimelineClip* clip = m_project ? m_project->timeline().clip(clipId) : nullptr;
    return clip ? layout().clipRect(*clip) : QRectF();
}

void TimelineView::followPlayhead(int64_t frame)
{
    update();
    // During playback the view pages along so the playhead never runs out of sight.
    if (!m_transport->isPlaying() || m_tool)
        return;
    const TimelineLayout geometry = layout();
    const double x = geometry.xForFrame(static_cast<double>(frame));
    if (x < geometry.areaLeft() || x >= width() - 8)
        setScroll(static_cast<double>(frame) * m_zoom - geometry.areaWidth() * 0.1);
}

} // namespace kinora::ui
