#pragma once
// The window's jobs on timeline clips: asks how (ClipJobDialog), turns the answer into the ticket
// core builds for the clip (clipJobTicket: the clip's own range of its source, its masks, the
// generation settings' pack and seed) and queues it; when such a job is done, places its take on
// the timeline above the clip as one undo step. The footage method last chosen is remembered.

#include "kinora/core/clip_jobs.h"
#include "kinora/ui/clip_job_dialog.h"

#include <QObject>
#include <QPointer>

class QUndoStack;
class QWidget;

namespace kinora::core {
class JobQueue;
class Project;
} // namespace kinora::core

namespace kinora::ui {

class SettingsPanel;

class ClipActions : public QObject {
    Q_OBJECT
public:
    ClipActions(QWidget* window, core::JobQueue* queue, QUndoStack* undoStack, SettingsPanel* settings);

    void setProject(core::Project* project);
    // Asks how to run `kind` on the clip `clipId` (image to video: the picture at `playhead`) and
    // queues it. Returns the job's id, 0 when the user cancelled or the job cannot run (said why).
    quint64 ask(ClipJobDialog::Kind kind, const QString& clipId, int64_t playhead);
    // Queues `spec` as it is (no dialog): for scripts and tests.
    quint64 queue(const core::ClipJobSpec& spec);
    // A finished job of a clip: its take goes on the timeline above the clip (one undo step).
    void placeTake(const core::JobTicket& ticket, const core::TakeRecord& take);

    static QString savedMethod(); // "auto", "flow" or "diffusion"

Q_SIGNALS:
    void message(const QString& text, int timeoutMs);

private:
    QWidget* m_window;
    core::JobQueue* m_queue;
    QUndoStack* m_undoStack;
    SettingsPanel* m_settings;
    QPointer<core::Project> m_project;
};

} // namespace kinora::ui
