#include "kinora/ui/main_window.h"

#include "clip_actions.h"

#include "kinora/core/clip_jobs.h"
#include "kinora/core/engine_info.h"
#include "kinora/core/job_queue.h"
#include "kinora/core/project.h"
#include "kinora/core/take_jobs.h"
#include "kinora/core/timeline_export.h"
#include "kinora/ui/about_dialog.h"
#include "kinora/ui/audio_playback.h"
#include "kinora/ui/export_dialog.h"
#include "kinora/ui/generate_requests.h"
#include "kinora/ui/media_frames.h"
#include "kinora/ui/media_importer.h"
#include "kinora/ui/preview_panel.h"
#include "kinora/ui/project_controller.h"
#include "kinora/ui/prompt_panel.h"
#include "kinora/ui/queue_panel.h"
#include "kinora/ui/settings_panel.h"
#include "kinora/ui/takes_panel.h"
#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/timeline_panel.h"
#include "kinora/ui/transport.h"
#include "kinora/ui/viewer_panel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QJsonArray>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

namespace kinora::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_undoStack(new QUndoStack(this))
    , m_queue(new core::JobQueue(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kinora.svg")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    setAcceptDrops(true); // footage dropped anywhere is imported

    m_projects = new ProjectController(this);
    m_transport = new Transport(this);
    m_frames = new MediaFrames(this);
    m_importer = new MediaImporter(m_undoStack, this);
    m_prompt = new PromptPanel(this);
    m_settings = new SettingsPanel(this);
    m_preview = new PreviewPanel(this);
    m_queuePanel = new QueuePanel(m_queue, this);
    m_takes = new TakesPanel(m_undoStack, this);
    m_takes->setFrameSource(m_frames);
    m_timeline = new TimelinePanel(m_undoStack, m_transport, m_frames, this);
    m_viewer = new ViewerPanel(m_undoStack, m_transport, m_frames, this);
    m_audio = new AudioPlayback(m_transport, this);
    m_sourceAudio = new AudioPlayback(m_viewer->sourceTransport(), this);
    m_clipActions = new ClipActions(this, m_queue, m_undoStack, m_settings);

    // The picture in the middle; what to make down the whole left side (the settings need the
    // height); the running job on the right; the bin and the cut along the bottom, as in an editor.
    setCentralWidget(m_viewer);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    auto* prompt = addPanel(QStringLiteral("promptDock"), tr("Prompt"), m_prompt, Qt::LeftDockWidgetArea);
    auto* settings = addPanel(
        QStringLiteral("settingsDock"), tr("Generation settings"), m_settings, Qt::LeftDockWidgetArea);
    auto* preview
        = addPanel(QStringLiteral("previewDock"), tr("Preview"), m_preview, Qt::RightDockWidgetArea);
    auto* queue
        = addPanel(QStringLiteral("jobQueueDock"), tr("Job queue"), m_queuePanel, Qt::RightDockWidgetArea);
    auto* bin = addPanel(QStringLiteral("takesDock"), tr("Bin"), m_takes, Qt::BottomDockWidgetArea);
    auto* timeline
        = addPanel(QStringLiteral("timelineDock"), tr("Timeline"), m_timeline, Qt::BottomDockWidgetArea);
    splitDockWidget(bin, timeline, Qt::Horizontal);
    // Most of the screen (an editor wants room for the timeline), never less than 1280x820 where
    // the screen has it.
    QSize size(1280, 820);
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        const QSize available = screen->availableGeometry().size();
        size = size.expandedTo(QSize(available.width() * 9 / 10, available.height() * 9 / 10))
                   .boundedTo(QSize(1760, 1040))
                   .boundedTo(available);
    }
    resize(size);
    m_defaultSizes = [this, prompt, settings, preview, queue, bin, timeline] {
        const int side = width() >= 1500 ? 330 : 300;
        // Two columns of bin cards.
        const int binWidth = 350;
        resizeDocks({ prompt, preview }, { side, side }, Qt::Horizontal);
        resizeDocks({ prompt, settings }, { 250, height() - 250 }, Qt::Vertical);
        resizeDocks({ preview, queue }, { height() >= 900 ? 360 : 300, 170 }, Qt::Vertical);
        resizeDocks({ bin, timeline }, { binWidth, width() - side - binWidth }, Qt::Horizontal);
        resizeDocks({ timeline }, { height() >= 900 ? 340 : 290 }, Qt::Vertical);
    };

    createMenus();
    connectQueue();
    connectMedia();

    connect(m_prompt, &PromptPanel::generateRequested, this, [this] { generate(); });
    // The prompt editor completes and checks the words of the pack the settings have selected.
    const auto syncVocabulary = [this] {
        const core::ModelPackEntry* pack = m_settings->currentModel();
        m_prompt->setVocabulary(pack && pack->ok() ? pack->vocabulary : QStringList());
    };
    connect(m_settings, &SettingsPanel::settingsChanged, this, syncVocabulary);
    syncVocabulary();
    connect(m_takes, &TakesPanel::playRequested, this, &MainWindow::playTake);
    connect(
        m_takes, &TakesPanel::makeAgainRequested, this, [this](const QString& id) { makeAgain(id, false); });
    connect(
        m_takes, &TakesPanel::variationRequested, this, [this](const QString& id) { makeAgain(id, true); });
    connect(m_takes, &TakesPanel::exportRequested, this, &MainWindow::exportTake);
    connect(m_takes, &TakesPanel::selectionChanged, this, [this](const QString& id) {
        const auto* take = project()->take(id);
        m_settings->setExtendTake(take ? id : QString(), take ? take->name : QString());
    });
    connect(m_queuePanel, &QueuePanel::playRequested, this, &MainWindow::playTake);
    connect(m_clipActions, &ClipActions::message, this, &MainWindow::showMessage);
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
    showMessage(tr("Ready. Type a prompt and press Ctrl+Enter, or drop footage on the window to edit it."));
}

void MainWindow::connectMedia()
{
    connect(m_importer, &MediaImporter::imported, this, [this](const QString& id) {
        const auto* media = project()->mediaItem(id);
        if (media)
            showMessage(tr("Imported “%1”. Drag it from the bin onto the timeline.").arg(media->name));
        m_takes->selectSource(id);
    });
    connect(m_importer, &MediaImporter::failed, this, [this](const QString& path, const QString& message) {
        showMessage(tr("Cannot import %1: %2").arg(QFileInfo(path).fileName(), message), 15000);
        if (m_interactive)
            QMessageBox::warning(this, tr("Cannot import"), message);
    });
    connect(m_importer, &MediaImporter::busyChanged, this, [this](bool busy) {
        if (busy)
            statusBar()->showMessage(tr("Importing…"));
    });
    connect(m_frames, &MediaFrames::sourceFailed, this,
        [this](const QString&, const QString& message) { showMessage(message, 15000); });
    connect(m_takes, &TakesPanel::sourceActivated, this, [this](const QString& id) {
        m_viewer->showSource(id);
        if (const auto source = project()->source(id)) {
            core::Timeline single;
            single.setRate(source->fps);
            single.add(clipForSource(*source, source->fps, 0, 0));
            m_sourceAudio->setProgram(single, { { id, *source } });
        }
    });
    connect(m_takes, &TakesPanel::addToTimelineRequested, this, &MainWindow::addToTimeline);
    connect(m_timeline, &TimelinePanel::clipSelected, m_viewer, &ViewerPanel::setMaskClip);
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
        showMessage(tr("Exported %1 (Show in Folder from the queue's menu)")
                        .arg(QDir::toNativeSeparators(outcome.transcode.output)),
            15000);
        return;
    }
    if (!row)
        return;
    const auto take = core::takeFromOutcome(*project(), row->ticket, outcome);
    project()->addTake(take);
    // A job on a timeline clip puts its take above the clip, aligned with it.
    m_clipActions->placeTake(row->ticket, take);
    if (outcome.id == m_watchedJob) {
        m_preview->playSequence(project()->absoluteFramesPattern(take), take.frames, take.fps, take.name);
        m_takes->selectTake(take.id);
    }
    QString text = tr("Take “%1” done in %2 s").arg(take.name).arg(outcome.seconds, 0, 'f', 1);
    if (outcome.diffusion.method != QLatin1String("diffusion"))
        text += tr(" (method: %1)").arg(outcome.diffusion.method);
    showMessage(text);
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
    if (dialog.exec() == QDialog::Accepted)
        queueExport(dialog, take->name);
}

void MainWindow::exportCut()
{
    ExportSubjects subjects;
    subjects.name = project()->displayName();
    const core::Timeline& timeline = project()->timeline();
    try {
        subjects.sources = core::timelineSources(*project(), timeline);
        subjects.timeline = timeline; // the snapshot the export works on
    } catch (const std::exception& e) {
        showMessage(tr("The timeline cannot be exported: %1").arg(QString::fromUtf8(e.what())), 15000);
    }
    subjects.in = m_transport->inPoint();
    subjects.out = m_transport->outPoint();
    if (const auto* take = project()->take(m_takes->selectedTakeId())) {
        subjects.take = *take;
        subjects.takePattern = project()->absoluteFramesPattern(*take);
    }
    if (subjects.timeline && !timeline.isEmpty())
        subjects.initial = subjects.in >= 0 || subjects.out >= 0 ? ExportSubjects::Range::InToOut
                                                                 : ExportSubjects::Range::Timeline;
    else
        subjects.initial = ExportSubjects::Range::Take;
    if ((!subjects.timeline || timeline.isEmpty()) && !subjects.take) {
        showMessage(tr("Nothing to export yet: put clips on the timeline, or select a take in the bin."));
        return;
    }
    ExportDialog dialog(subjects, this);
    if (dialog.exec() == QDialog::Accepted)
        queueExport(dialog, subjects.take ? subjects.take->name : QString());
}

void MainWindow::queueExport(const ExportDialog& dialog, const QString& takeName)
{
    core::JobTicket ticket;
    if (dialog.exportsTake()) {
        ticket.kind = core::JobKind::Export;
        ticket.transcode = dialog.request();
        ticket.title = tr("Export “%1” → %2").arg(takeName, QFileInfo(ticket.transcode.output).fileName());
    } else {
        ticket.kind = core::JobKind::TimelineExport;
        ticket.timelineExport = dialog.timelineRequest();
        ticket.title = tr("Export the timeline → %1").arg(QFileInfo(ticket.timelineExport.output).fileName());
    }
    m_queue->enqueue(std::move(ticket));
}

void MainWindow::importMedia()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Import footage"), QString(), MediaImporter::fileDialogFilter());
    if (!paths.isEmpty())
        m_importer->importPaths(paths);
}

void MainWindow::importSequenceFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import a folder of numbered images"));
    if (!folder.isEmpty())
        m_importer->importPaths({ folder });
}

void MainWindow::addToTimeline(const QString& sourceId)
{
    const auto source = project()->source(sourceId);
    if (!source)
        return;
    // At the end of the bottom track: the usual way to lay clips one after another.
    int64_t end = 0;
    for (const core::TimelineClip& clip : project()->timeline().clips())
        if (clip.track == 0)
            end = std::max(end, clip.end());
    if (auto command = TimelineCommand::add(project(), *source, end, 0)) {
        const QString clipId = command->newClipId();
        m_undoStack->push(command.release());
        m_timeline->setSelectedClip(clipId);
    } else {
        showMessage(tr("“%1” has no frames to place yet.").arg(source->name));
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!MediaImporter::importablePaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList paths = MediaImporter::importablePaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    m_importer->importPaths(paths);
}

void MainWindow::projectChanged(core::Project* project)
{
    m_undoStack->clear(); // commands point into the old document
    m_frames->setProject(project);
    m_importer->setProject(project);
    m_takes->setProject(project);
    m_timeline->setProject(project);
    m_viewer->setProject(project);
    m_clipActions->setProject(project);
    connect(project, &core::Project::modifiedChanged, this, &QWidget::setWindowModified);
    for (auto signal :
        { &core::Project::timelineChanged, &core::Project::mediaChanged, &core::Project::takesChanged })
        connect(project, signal, this, &MainWindow::updateAudioProgram);
    updateAudioProgram();
    setWindowModified(project->isModified());
    m_pendingOffered = false;
    QTimer::singleShot(0, this, &MainWindow::offerPendingJobs);
}

void MainWindow::updateAudioProgram()
{
    std::map<QString, core::SourceDetails> sources;
    for (const core::TimelineClip& clip : project()->timeline().clips())
        if (const auto source = project()->source(clip.sourceId))
            sources[clip.sourceId] = *source;
    m_audio->setProgram(project()->timeline(), std::move(sources));
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
            const QJsonObject json = job.toObject();
            core::JobTicket ticket = core::takeTicket(*project(), core::requestFromJson(json));
            // A job on a timeline clip keeps its place and name (its masks were written at close).
            const QJsonObject placement = json.value(QLatin1String("placement")).toObject();
            if (!placement.isEmpty()) {
                ticket.clip.placement = { true, placement.value(QLatin1String("start")).toInteger(),
                    placement.value(QLatin1String("above_track")).toInt() };
                ticket.clip.takeName = json.value(QLatin1String("take_name")).toString();
                ticket.title = ticket.clip.takeName;
            }
            m_queue->enqueue(std::move(ticket));
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
    // Jobs still waiting are kept in the project and offered again when it is opened. A job on a
    // clip writes its masks now, since its request names them.
    QJsonArray pending;
    for (const auto& ticket : m_queue->queuedTickets()) {
        if (ticket.kind != core::JobKind::Diffusion)
            continue;
        QJsonObject json = core::requestToJson(ticket.diffusion);
        if (ticket.clip.placement.place) {
            try {
                core::prepareClipJob(ticket.clip);
            } catch (const std::exception&) {
                continue; // its source is gone: nothing to keep
            }
            json.insert(QStringLiteral("placement"),
                QJsonObject { { QStringLiteral("start"), qint64(ticket.clip.placement.start) },
                    { QStringLiteral("above_track"), ticket.clip.placement.aboveTrack } });
            json.insert(QStringLiteral("take_name"), ticket.clip.takeName);
        }
        pending.append(json);
    }
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
