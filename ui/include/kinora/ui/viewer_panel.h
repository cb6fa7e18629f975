#pragma once
// The viewer dock: the cut at the Transport's playhead (the clip on the highest track at its
// source frame), or one bin item by itself with its own Transport ("Timeline | Source" above the
// picture says which), over a transport bar; and the mask painter over the picture (mask mode: the
// masks of the selected timeline clip's source, or of the bin item shown). Pictures come from the
// FrameSource without ever blocking: a frame not decoded yet keeps the last picture up until
// frameReady brings it. The timeline panel owns the main Transport's duration and rate; this panel
// sets only its source Transport's.
//
// Keys while it has focus: Left/Right step a frame (Shift: a second), Home/End, Space plays or
// pauses, J/K/L shuttle, I/O set in and out, Escape goes back to the timeline, M toggles mask
// mode; in mask mode B brush, E eraser, [ and ] brush size.

#include "kinora/core/project.h"

#include <QImage>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>

class QButtonGroup;
class QLabel;
class QToolButton;
class QUndoStack;

namespace kinora::ui {

class FrameSource;
class MaskEditor;
class MaskKeyRow;
class MaskToolsBar;
class Transport;
class ViewerCanvas;
class ViewerTransportBar;

class ViewerPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Timeline, Source };
    Q_ENUM(Mode)

    ViewerPanel(QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent = nullptr);
    ~ViewerPanel() override;

    // The project whose cut and bin items are shown (it changes on New and Open); may be null.
    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }

    Mode mode() const { return m_mode; }
    // Source mode needs a bin item shown before (showSource); otherwise it stays on the timeline.
    void setMode(Mode mode);
    // Views the take or media item `sourceId` by itself, from its first frame, on sourceTransport().
    void showSource(const QString& sourceId);
    QString sourceId() const { return m_sourceId; } // the bin item source mode shows (or last showed)

    // The transport in use (the timeline's or the source's), and each of them.
    Transport* transport() const;
    Transport* timelineTransport() const { return m_timelineTransport; }
    Transport* sourceTransport() const { return m_sourceTransport; }

    // The picture on screen (a null image when black) and what it is.
    QImage currentPicture() const;
    QString currentSourceId() const;
    int64_t currentFrame() const; // the source frame; -1 when black

    // The timeline clip whose masks are painted (the window passes the timeline's selection);
    // empty: none. In source mode the bin item shown is painted instead.
    void setMaskClip(const QString& clipId);
    QString maskClip() const { return m_maskClipId; }
    // Mask mode (the mask button, M): the tools bar, the overlay and the key row, and the mouse
    // paints. While the playhead is on the selected clip the picture is that clip's frame, even
    // when a clip on a higher track covers it, so the mask is painted over what it masks.
    void setMaskMode(bool on);
    bool maskMode() const { return m_maskMode; }

    // The painted picture and the mask painter's parts, for tests and the benchmark.
    ViewerCanvas* canvas() const { return m_canvas; }
    MaskEditor* maskEditor() const { return m_maskEditor; }
    MaskToolsBar* maskToolsBar() const { return m_maskTools; }
    MaskKeyRow* maskKeyRow() const { return m_keyRow; }

Q_SIGNALS:
    // A new picture was painted for the first time: frame `frame` of `sourceId`.
    void pictureShown(const QString& sourceId, qint64 frame);
    void modeChanged(kinora::ui::ViewerPanel::Mode mode);
    void maskModeChanged(bool on);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Target {
        QString sourceId;
        int64_t frame = 0;
        friend bool operator==(const Target&, const Target&) = default;
    };
    // What the picture should show now: nullopt where nothing is (black).
    std::optional<Target> pictureTarget() const;
    // The mask target and the picture, after anything that may move them.
    void refresh(bool force = false);
    void refreshPicture(bool force = false);
    void syncSourceTransport();
    void updateModeSwitch();
    bool handleTransportKey(QKeyEvent* event);
    // viewer_panel_masks.cpp
    void buildMaskParts();
    void updateMaskTarget();
    bool handleMaskKey(QKeyEvent* event);
    // Moves the playhead onto `sourceFrame` of the painted source (the first timeline frame of the
    // selected clip that shows it, or shows a later one where the clip skips frames).
    void seekSourceFrame(int64_t sourceFrame);
    const core::TimelineClip* maskTimelineClip() const;

    QUndoStack* m_undoStack = nullptr;
    Transport* m_timelineTransport = nullptr;
    Transport* m_sourceTransport = nullptr;
    FrameSource* m_frames = nullptr;
    QPointer<core::Project> m_project;
    Mode m_mode = Mode::Timeline;
    QString m_sourceId;
    std::optional<Target> m_pending; // asked for, not decoded yet: the old picture stays up
    QString m_maskClipId;
    bool m_maskMode = false;

    QButtonGroup* m_modeGroup = nullptr;
    QToolButton* m_timelineButton = nullptr;
    QToolButton* m_sourceButton = nullptr;
    QLabel* m_title = nullptr;
    ViewerCanvas* m_canvas = nullptr;
    ViewerTransportBar* m_transportBar = nullptr;
    QToolButton* m_maskButton = nullptr;
    MaskEditor* m_maskEditor = nullptr;
    MaskToolsBar* m_maskTools = nullptr;
    MaskKeyRow* m_keyRow = nullptr;
};

} // namespace kinora::ui
