#pragma once
// The main window: menus and the docks of the workspace. It wires the panels, the job queue and the
// project together and owns no feature logic: each panel lives in its own class, the document and
// jobs in core, the file actions in ProjectController, the jobs on timeline clips in ClipActions.
//
// Layout: the viewer (the cut at the playhead, and the mask painter) in the middle; prompt and
// generation settings on the left; the live preview of the running job and the queue on the right;
// the bin and the timeline across the bottom.

#include "kinora/core/job_worker.h"

#include <QMainWindow>

#include <functional>

class QDockWidget;
class QUndoStack;
class QLabel;

namespace kinora::core {
class JobQueue;
class Project;
} // namespace kinora::core

namespace kinora::ui {

class AudioPlayback;
class ClipActions;
class MediaFrames;
class MediaImporter;
class PromptPanel;
class SettingsPanel;
class PreviewPanel;
class QueuePanel;
class TakesPanel;
class TimelinePanel;
class Transport;
class ViewerPanel;
class ProjectController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QUndoStack* undoStack() const { return m_undoStack; }
    core::JobQueue* jobQueue() const { return m_queue; }
    core::Project* project() const;
    ProjectController* projects() const { return m_projects; }
    PromptPanel* promptPanel() const { return m_prompt; }
    SettingsPanel* settingsPanel() const { return m_settings; }
    PreviewPanel* previewPanel() const { return m_preview; }
    TakesPanel* takesPanel() const { return m_takes; }
    TimelinePanel* timelinePanel() const { return m_timeline; }
    ViewerPanel* viewerPanel() const { return m_viewer; }
    Transport* transport() const { return m_transport; }
    MediaFrames* mediaFrames() const { return m_frames; }
    MediaImporter* importer() const { return m_importer; }
    ClipActions* clipActions() const { return m_clipActions; }
    AudioPlayback* audio() const { return m_audio; }

    // Queues the takes the prompt and settings ask for. Returns the jobs' ids (none when the
    // settings refuse, after saying why in the status bar).
    QList<quint64> generate();
    // Queues the take again with its own seed, or with a new one (a variation).
    quint64 makeAgain(const QString& takeId, bool variation);
    // Opens the export dialog (the timeline, in to out, or the take selected in the bin) and
    // queues the export when accepted.
    void exportCut();
    // Opens the export dialog for one take.
    void exportTake(const QString& takeId);
    // Plays a take in the preview.
    void playTake(const QString& takeId);
    // Asks for files (or a folder of numbered images) and imports them.
    void importMedia();
    void importSequenceFolder();
    // Places a take or media item at the end of the timeline's first track.
    void addToTimeline(const QString& sourceId);

    // Dialog-free: tests and scripts set this so that closing never blocks on a question.
    void setInteractive(bool interactive);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QDockWidget* addPanel(
        const QString& objectName, const QString& title, QWidget* panel, Qt::DockWidgetArea area);
    void createMenus();
    void createFileMenu();
    void createClipMenu();
    void showAbout();
    void connectQueue();
    void connectMedia();
    void projectChanged(core::Project* project);
    void updateAudioProgram();
    void jobFinished(const core::JobOutcome& outcome);
    void offerPendingJobs();
    void showMessage(const QString& text, int timeoutMs = 8000);
    void rebuildRecentMenu();
    void queueExport(const class ExportDialog& dialog, const QString& name);

    QUndoStack* m_undoStack = nullptr;
    core::JobQueue* m_queue = nullptr;
    ProjectController* m_projects = nullptr;
    Transport* m_transport = nullptr;
    MediaFrames* m_frames = nullptr;
    MediaImporter* m_importer = nullptr;
    AudioPlayback* m_audio = nullptr;
    AudioPlayback* m_sourceAudio = nullptr;
    ClipActions* m_clipActions = nullptr;
    PromptPanel* m_prompt = nullptr;
    SettingsPanel* m_settings = nullptr;
    PreviewPanel* m_preview = nullptr;
    QueuePanel* m_queuePanel = nullptr;
    TakesPanel* m_takes = nullptr;
    TimelinePanel* m_timeline = nullptr;
    ViewerPanel* m_viewer = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_deviceLabel = nullptr;
    QList<QDockWidget*> m_docks;
    std::function<void()> m_defaultSizes;
    quint64 m_watchedJob = 0; // the job whose previews the preview dock shows
    bool m_interactive = true;
    bool m_pendingOffered = false;
};

} // namespace kinora::ui
