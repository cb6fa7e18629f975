#pragma once
// The timeline widget: paints the project's timeline (TimelinePainter) over a cached pixmap of the
// visible range, and turns mouse, wheel, keys and drops from the bin into Transport calls and
// timeline undo commands (tools in timeline_tools.h). The cache is rebuilt only when the timeline,
// zoom, scroll or size change or a thumbnail it lacked arrives; the playhead, selection and drag
// feedback are drawn over it on every paint, so playback and scrubbing cost a blit and a few lines.

#include "timeline_layout.h"
#include "timeline_painter.h"

#include "kinora/core/project.h"

#include <QPixmap>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>

class QMimeData;
class QUndoStack;

namespace kinora::ui {

class FrameSource;
class TimelineTool;
class Transport;

class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kMinZoom = 0.002; // pixels per frame: an hour at 24 fps in 170 px
    static constexpr double kMaxZoom = 64;
    static constexpr double kDefaultZoom = 4;
    static constexpr double kSnapPixels = 8;

    TimelineView(QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent = nullptr);
    ~TimelineView() override;

    // The project whose timeline is shown and edited; null shows empty tracks.
    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }
    QUndoStack* undoStack() const { return m_undoStack; }
    Transport* transport() const { return m_transport; }
    TimelineLayout layout() const;

    // Zoom in pixels per frame; `anchorX` (widget x) keeps the frame under it where it is.
    double zoom() const { return m_zoom; }
    void setZoom(double pixelsPerFrame, double anchorX);
    void zoomBy(double factor, double anchorX);
    void zoomBy(double factor); // around the mouse when it is over the view, else the playhead
    void zoomToFit(); // the whole timeline in view
    // Pixels of the timeline scrolled out on the left, in [0, maxScroll()] (a zoom around the
    // mouse may go past the end, so the frame under the mouse stays put).
    double scroll() const { return m_scroll; }
    void setScroll(double pixels);
    double maxScroll() const;

    bool snapping() const { return m_snapping; }
    void setSnapping(bool on);
    // `start` of a span of `length` frames moved so that the nearer of its edges sits on a clip edge
    // of `timeline` (but `ignore`'s), the playhead, or the in or out point, within kSnapPixels;
    // unchanged when snapping is off or nothing is near. `snapped` gets the frame snapped to.
    int64_t snapSpan(const core::Timeline& timeline, int64_t start, int64_t length, const QString& ignore,
        std::optional<int64_t>* snapped = nullptr) const;

    QString selectedClipId() const { return m_selected; }
    void setSelectedClip(const QString& clipId);
    // S: the selected clip at the playhead, or else the top clip under the playhead.
    void splitAtPlayhead();
    void deleteSelected();

    // How often the static layer was rendered (tests and the benchmark: a scroll costs one).
    int cacheBuilds() const { return m_cacheBuilds; }
    // The x of the playhead line, and the rectangle a clip is drawn in (widget coordinates).
    int playheadX() const;
    QRectF clipRect(const QString& clipId) const;
    // Where a source dragged over the view would land, while one is.
    std::optional<QRectF> dropIndicator() const { return m_drop; }

Q_SIGNALS:
    void clipSelected(const QString& clipId); // empty when none
    void zoomChanged(double pixelsPerFrame);
    void scrollChanged(double pixels);
    void scrollRangeChanged(); // maxScroll() or the page width changed

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void invalidate(); // the static layer is stale
    static int64_t timelineRateSecond(const core::Timeline* timeline);
    void timelineChanged();
    void updateHover(QPointF pos);
    void followPlayhead(int64_t frame);
    std::optional<core::SourceDetails> draggedSource(const QMimeData* mime) const;
    // Where a dragged source lands: the frame under x (snapped) on the track under y.
    core::TimelineClip dropClip(const core::SourceDetails& source, QPointF pos);

    QUndoStack* m_undoStack = nullptr;
    Transport* m_transport = nullptr;
    QPointer<FrameSource> m_frames;
    QPointer<core::Project> m_project;
    TimelinePainter m_painter;
    std::unique_ptr<TimelineTool> m_tool;

    double m_zoom = kDefaultZoom;
    bool m_fitPending = false; // a new project is fitted once the view has its size
    double m_scroll = 0;
    bool m_snapping = true;
    QString m_selected;
    QString m_hovered;
    TimelineLayout::Part m_hoverPart = TimelineLayout::Part::None;
    std::optional<QRectF> m_drop;
    std::optional<int64_t> m_dropSnap;

    QPixmap m_cache;
    bool m_cacheValid = false;
    int m_cacheBuilds = 0;
};

} // namespace kinora::ui
