#pragma once
// The main window: menus and the docks of the workspace. It wires the panels, the job queue and the
// project together and owns no feature logic: each panel lives in its own class, the document and
// jobs in core, the file actions in ProjectController.

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

class PromptPanel;
class SettingsPanel;
class PreviewPanel;
class QueuePanel;
class TakesPanel;
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

    // Queues the takes the prompt and settings ask for. Returns the jobs' ids (none when the
    // settings refuse, after saying why in the status bar).
    QList<quint64> generate();
    // Queues the take again with its own seed, or with a new one (a variation).
    quint64 makeAgain(const QString& takeId, bool variation);
    // Opens the export dialog for a take and queues the export when accepted.
    void exportTake(const QString& takeId);
    // Plays a take in the preview.
    void playTake(const QString& takeId);

    // Dialog-free: tests and scripts set this so that closing never blocks on a question.
    void setInteractive(bool interactive);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    QDockWidget* addPanel(
        const QString& objectName, const QString& title, QWidget* panel, Qt::DockWidgetArea area);
    void createMenus();
    void showAbout();
    void connectQueue();
    void projectChanged(core::Project* project);
    void jobFinished(const core::JobOutcome& outcome);
    void offerPendingJobs();
    void showMessage(const QString& text, int timeoutMs = 8000);
    void rebuildRecentMenu();

    QUndoStack* m_undoStack = nullptr;
    core::JobQueue* m_queue = nullptr;
    ProjectController* m_projects = nullptr;
    PromptPanel* m_prompt = nullptr;
    SettingsPanel* m_settings = nullptr;
    PreviewPanel* m_preview = nullptr;
    QueuePanel* m_queuePanel = nullptr;
    TakesPanel* m_takes = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_deviceLabel = nullptr;
    QList<QDockWidget*> m_docks;
    std::function<void()> m_defaultSizes;
    quint64 m_watchedJob = 0; // the job whose previews the preview dock shows
    bool m_interactive = true;
    bool m_pendingOffered = false;
};

} // namespace kinora::ui
