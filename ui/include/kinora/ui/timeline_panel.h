#pragma once
// The timeline dock: a toolbar (zoom out/in and a zoom slider, fit, snapping, split, delete, the
// playhead's timecode), the custom-painted timeline view and its horizontal scrollbar. It keeps the
// Transport's duration and rate in step with the project's timeline. Edits go on the window's undo
// stack as timeline commands; pictures come from the FrameSource without ever blocking.

#include "kinora/core/project.h"

#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QScrollBar;
class QSlider;
class QToolButton;
class QUndoStack;

namespace kinora::ui {

class FrameSource;
class TimelineView;
class Transport;

class TimelinePanel : public QWidget {
    Q_OBJECT
public:
    TimelinePanel(
        QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent = nullptr);
    ~TimelinePanel() override;

    // The project whose timeline is shown (it changes on New and Open); null shows empty tracks.
    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }

    QString selectedClipId() const;
    void setSelectedClip(const QString& clipId);

    // The painted view itself, for tests and the benchmark.
    TimelineView* view() const { return m_view; }

Q_SIGNALS:
    void clipSelected(const QString& clipId); // empty when none

private:
    void syncTransport();
    void updateScrollBar();
    void updateZoomSlider();
    void updateTimecode();
    void updateButtons();

    Transport* m_transport = nullptr;
    QPointer<core::Project> m_project;
    TimelineView* m_view = nullptr;
    QScrollBar* m_scrollBar = nullptr;
    QSlider* m_zoomSlider = nullptr;
    QToolButton* m_snapButton = nullptr;
    QToolButton* m_splitButton = nullptr;
    QToolButton* m_deleteButton = nullptr;
    QLabel* m_timecode = nullptr;
};

} // namespace kinora::ui
