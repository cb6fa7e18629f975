#include "kinora/ui/main_window.h"

#include "kinora/core/engine_info.h"
#include "kinora/core/job_queue.h"
#include "kinora/core/project.h"
#include "kinora/core/take_jobs.h"
#include "kinora/ui/about_dialog.h"
#include "kinora/ui/export_dialog.h"
#include "kinora/ui/generate_requests.h"
#include "kinora/ui/preview_panel.h"
#include "kinora/ui/project_controller.h"
#include "kinora/ui/prompt_panel.h"
#include "kinora/ui/queue_panel.h"
#include "kinora/ui/settings_panel.h"
#include "kinora/ui/takes_panel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QIcon>
#include <QJsonArray>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

namespace kinora::ui {

namespace {

QIcon icon(const char* name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_undoStack(new QUndoStack(this))
    , m_queue(new core::JobQueue(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kinora.svg")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_projects = new ProjectController(this);
    m_prompt = new PromptPanel(this);
    m_settings = new SettingsPanel(this);
    m_preview = new PreviewPanel(this);
    m_queuePanel = new QueuePanel(m_queue, this);
    m_takes = new TakesPanel(m_undoStack, this);

    // Left: what to make. Right: the picture, large, with the queue under it. Bottom: the takes.
    auto* prompt = addPanel(QStringLiteral("promptDock"), tr("Prompt"), m_prompt, Qt::LeftDockWidgetArea);
    auto* settings = addPanel(
        QStringLiteral("settingsDock"), tr("Generation settings"), m_settings, Qt::LeftDockWidgetArea);
    auto* preview
        = addPanel(QStringLiteral("previewDock"), tr("Preview"), m_preview, Qt::RightDockWidgetArea);
    auto* queue
        = addPanel(QStringLiteral("jobQueueDock"), tr("Job queue"), m_queuePanel, Qt::RightDockWidgetArea);
    auto* takes = addPanel(QStringLiteral("takesDock"), tr("Takes"), m_takes, Qt::BottomDockWidgetArea);
    resize(1280, 820);
    m_defaultSizes = [this, prompt, settings, preview, queue, takes] {
        resizeDocks({ prompt, preview }, { 380, width() - 380 }, Qt::Horizontal);
        resizeDocks({ prompt, settings }, { 260, 440 }, Qt::Vertical);
        resizeDocks({ preview, queue }, { 400, 170 }, Qt::Vertical);
        resizeDocks({ takes }, { 232 }, Qt::Vertical);
    };

    createMenus();
    connectQueue();

    connect(m_prompt, &PromptPanel::generateRequested, this, [this] { generate(); });
    connect(m_takes, &TakesPanel::playRequested, this, &MainWindow::playTake);
    connect(
        m_takes, &TakesPanel::makeAgainRequested, this, [this](const QString& id) { makeAgain(id, false); });
    connect(
        m_takes, &TakesPanel::variationRequested, this, [this](const QString& id) { makeAgain(id, true); });
    connect(m_takes, &TakesPanel::exportRequested, this, &MainWindow::exportTake);
    connect(m_takes, &TakesPanel::selectionChanged, this, [this](const QString& id) {
        const auto* take = project()->take(id);
        m_settings->setExtendTake(id, take ? take->name : QString());
    });
    connect(m_queuePanel, &QueuePanel::playRequested, this, &MainWindow::playTake);
    connect(m_projects, &ProjectController::projectChanged, this, &MainWindow::projectChanged);
    connect(m_projects, &ProjectController::titleChanged, this, &QWidget::setWindowTitle);
    connect(
        m_projects, &ProjectController::message, this, [this](const QString& text) { showMessage(text); });
    connect(m_projects, &ProjectController::recentChanged, this, &MainWindow::rebuildRecentMenu);
    projectChanged(project());
    setWindowTitle(tr("%1[*] — Kinora").arg(project()->displayName()));

    const auto info = core::engineInfo();
    m_deviceLabel = new QLabel(tr("Engine: %1 (%2)").arg(info.device, info.deviceDetail), this);
    statusBar()->addPermanentWidget(m_deviceLabel);
    m_preview->clear(tr("Type a prompt and press Ctrl+Enter to make a clip."));
    showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    // The queue's worker may still hold a job: stop it before the panels that watch it go.
    m_queue->cancelAll();
}

core::Project* MainWindow::project() const
{
    return m_projects->project();
}

void MainWindow::setInteractive(bool interactive)
{
    m_interactive = interactive;
    m_projects->setShowErrors(interactive);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only take once the window has its geometry; apply the default layout at first show.
    if (m_defaultSizes) {
        m_defaultSizes();
        m_defaultSizes = nullptr;
        // A new user can type at once.
        QTimer::singleShot(0, m_prompt, &PromptPanel::focusPrompt);
    }
}

QDockWidget* MainWindow::addPanel(
    const QString& objectName, const QString& title, QWidget* panel, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createMenus()
{
    auto addAction = [this](QMenu* menu, const QString& objectName, const QString& text,
                         const QKeySequence& shortcut, const QIcon& actionIcon = {}) {
        auto* action = menu->addAction(actionIcon, text);
        action->setObjectName(objectName);
        action->setShortcut(shortcut);
        return action;
    };

    auto* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    connect(addAction(file, QStringLiteral("actionNew"), tr("&New Project"), QKeySequence::New, icon("new")),
        &QAction::triggered, m_projects, &ProjectController::newProject);
    connect(
        addAction(file, QStringLiteral("actionOpen"), tr("&Open Project…"), QKeySequence::Open, icon("open")),
        &QAction::triggered, m_projects, qOverload<>(&ProjectController::open));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    rebuildRecentMenu();
    connect(addAction(file, QStringLiteral("actionSave"), tr("&Save"), QKeySequence::Save, icon("save")),
        &QAction::triggered, m_projects, &ProjectController::save);
    connect(addAction(file, QStringLiteral("actionSaveAs"), tr("Save &As…"), QKeySequence::SaveAs),
        &QAction::triggered, m_projects, &ProjectController::saveAs);
    file->addSeparator();
    auto* exportAction = addAction(file, QStringLiteral("actionExportTake"), tr("&Export Take…"),
        QKeySequence(tr("Ctrl+E")), icon("export"));
    exportAction->setStatusTip(tr("Export the take selected in the takes bin"));
    connect(exportAction, &QAction::triggered, this, [this] {
        const QString id = m_takes->selectedTakeId();
        if (id.isEmpty())
            showMessage(tr("Select a take in the takes bin to export it."));
        else
            exportTake(id);
    });
    file->addSeparator();
    auto* quit = addAction(file, QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    auto* undo = m_undoStack->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(icon("undo"));
    auto* redo = m_undoStack->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setIcon(icon("redo"));
    edit->addAction(undo);
    edit->addAction(redo);

    auto* generateMenu = menuBar()->addMenu(tr("&Generate"));
    generateMenu->setObjectName(QStringLiteral("generateMenu"));
    auto* generateAction = addAction(generateMenu, QStringLiteral("actionGenerate"), tr("&Generate"),
        QKeySequence(tr("Ctrl+Return")), icon("generate"));
    connect(generateAction, &QAction::triggered, this, [this] { generate(); });
    auto* cancel = addAction(generateMenu, QStringLiteral("actionCancelJob"), tr("&Cancel Running Job"),
        QKeySequence(tr("Ctrl+.")), icon("cancel"));
    connect(cancel, &QAction::triggered, this, [this] {
        if (m_queue->isBusy())
            m_queue->cancel(m_queue->runningId());
    });
    auto* cancelQueued = addAction(generateMenu, QStringLiteral("actionCancelQueued"),
        tr("Cancel &Queued Jobs"), QKeySequence(tr("Ctrl+Shift+.")));
    connect(cancelQueued, &QAction::triggered, m_queue, &core::JobQueue::cancelQueued);

    auto* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (auto* dock : m_docks)
        view->addAction(dock->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    auto* about
        = addAction(help, QStringLiteral("actionAbout"), tr("&About Kinora"), QKeySequence(), icon("info"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_projects->recentProjects();
    for (const QString& path : recent) {
        auto* action = m_recentMenu->addAction(QFileInfo(path).fileName());
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] {
            if (m_projects->maybeSave())
                m_projects->openPath(path);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::connectQueue()
{
    connect(m_queue, &core::JobQueue::jobStarted, this, [this](quint64 id) {
        const auto* row = m_queue->find(id);
        if (row && row->ticket.kind == core::JobKind::Diffusion)
            m_watchedJob = id;
    });
    connect(m_queue, &core::JobQueue::jobProgress, this, [this](const core::JobStatus& status) {
        if (status.id == m_watchedJob)
            m_preview->showStatus(status);
    });
    connect(m_queue, &core::JobQueue::jobPreview, this, [this](quint64 id, const core::JobPreview& preview) {
        if (id != m_watchedJob) {
            m_queue->previewShown();
            return;
        }
        const auto* row = m_queue->find(id);
        const double fps = row && row->ticket.diffusion.fps > 0 ? row->ticket.diffusion.fps : 8.0;
        m_preview->showPreview(id, preview, fps);
    });
    connect(m_preview, &PreviewPanel::previewPainted, m_queue, [this] { m_queue->previewShown(); });
    connect(m_queue, &core::JobQueue::jobFinished, this, &MainWindow::jobFinished);
    connect(m_queue, &core::JobQueue::jobFailed, this,
        [this](quint64, const QString& message) { showMessage(tr("A job failed: %1").arg(message), 15000); });
    connect(m_queue, &core::JobQueue::jobCancelled, this, [this](quint64 id) {
        if (id == m_watchedJob)
            m_preview->clear(tr("Cancelled. Nothing was kept of that take."));
        showMessage(tr("Cancelled"));
    });
    connect(m_queue, &core::JobQueue::jobWarning, this,
        [this](quint64, const QString& message) { showMessage(message, 10000); });
}

QList<quint64> MainWindow::generate()
{
    QList<quint64> ids;
    const QString problem = m_settings->validate();
    if (!problem.isEmpty()) {
        showMessage(tr("Cannot generate: %1").arg(problem), 10000);
        return ids;
    }
    try {
        const auto requests = generateRequests(
            m_prompt->prompt(), m_prompt->negativePrompt(), m_settings->settings(), *project());
        for (const auto& request : requests)
            ids << m_queue->enqueue(core::takeTicket(*project(), request));
    } catch (const std::exception& e) {
        showMessage(tr("Cannot generate: %1").arg(QString::fromUtf8(e.what())), 10000);
        return ids;
    }
    m_prompt->addToHistory(m_prompt->prompt(), m_prompt->negativePrompt());
    m_settings->nextSeed();
    showMessage(tr("Queued %n take(s)", nullptr, static_cast<int>(ids.size())));
    return ids;
}

quint64 MainWindow::makeAgain(const QString& takeId, bool variation)
{
    const auto* take = project()->take(takeId);
    if (!take)
        return 0;
    try {
        std::optional<uint64_t> seed;
        if (variation)
            seed = QRandomGenerator::global()->generate64() >> 1;
        return m_queue->enqueue(core::remakeTicket(*project(), *take, seed));
    } catch (const std::exception& e) {
        showMessage(tr("Cannot make the take again: %1").arg(QString::fromUtf8(e.what())), 10000);
        return 0;
    }
}

void MainWindow::jobFinished(const core::JobOutcome& outcome)
{
    const auto* row = m_queue->find(outcome.id);
    if (core::isExport(outcome.kind)) {
        showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(outcome.transcode.output)), 15000);
        return;
    }
    if (!row)
        return;
    const auto take = core::takeFromOutcome(*project(), row->ticket, outcome);
    project()->addTake(take);
    if (outcome.id == m_watchedJob) {
        m_preview->playSequence(project()->absoluteFramesPattern(take), take.frames, take.fps, take.name);
        m_takes->selectTake(take.id);
    }
    showMessage(tr("Take “%1” done in %2 s").arg(take.name).arg(outcome.seconds, 0, 'f', 1));
}

void MainWindow::playTake(const QString& takeId)
{
    const auto* take = project()->take(takeId);
    if (take)
        m_preview->playSequence(project()->absoluteFramesPattern(*take), take->frames, take->fps, take->name);
}

void MainWindow::exportTake(const QString& takeId)
{
    const auto* take = project()->take(takeId);
    if (!take)
        return;
    ExportDialog dialog(*take, project()->absoluteFramesPattern(*take), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    core::JobTicket ticket;
    ticket.kind = core::JobKind::Export;
    ticket.transcode = dialog.request();
    ticket.title = tr("Export “%1” → %2").arg(take->name, QFileInfo(ticket.transcode.output).fileName());
    m_queue->enqueue(std::move(ticket));
}

void MainWindow::projectChanged(core::Project* project)
{
    m_undoStack->clear(); // commands point into the old document
    m_takes->setProject(project);
    connect(project, &core::Project::modifiedChanged, this, &QWidget::setWindowModified);
    setWindowModified(project->isModified());
    m_pendingOffered = false;
    QTimer::singleShot(0, this, &MainWindow::offerPendingJobs);
}

void MainWindow::offerPendingJobs()
{
    if (m_pendingOffered)
        return;
    m_pendingOffered = true;
    const QJsonArray pending = project()->pendingJobs();
    if (pending.isEmpty())
        return;
    if (m_interactive
        && QMessageBox::question(this, tr("Queue waiting jobs?"),
               tr("%n job(s) were still waiting when this project was closed. Queue them again?", nullptr,
                   static_cast<int>(pending.size())))
            != QMessageBox::Yes)
        return;
    for (const auto& job : pending) {
        try {
            m_queue->enqueue(core::takeTicket(*project(), core::requestFromJson(job.toObject())));
        } catch (const std::exception& e) {
            showMessage(tr("A waiting job could not be read: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    project()->setPendingJobs({});
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_interactive && m_queue->isBusy()
        && QMessageBox::question(
               this, tr("Stop the running job?"), tr("A job is running. Stop it and close Kinora?"))
            != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    // Jobs still waiting are kept in the project and offered again when it is opened.
    QJsonArray pending;
    for (const auto& ticket : m_queue->queuedTickets())
        if (ticket.kind == core::JobKind::Diffusion)
            pending.append(core::requestToJson(ticket.diffusion));
    if (!pending.isEmpty())
        project()->setPendingJobs(pending);
    if (m_interactive && !m_projects->maybeSave()) {
        event->ignore();
        return;
    }
    m_queue->cancelAll();
    m_projects->closing();
    event->accept();
}

void MainWindow::showMessage(const QString& text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::showAbout()
{
    AboutDialog dialog(core::engineInfo(), this);
    dialog.exec();
}

} // namespace kinora::ui
