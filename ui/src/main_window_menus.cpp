// The main window's menus: File (projects, import, export), Edit (undo), Clip (jobs on the
// timeline's clips), Generate, Playback (what the viewer's and timeline's keys do), View and Help.

#include "kinora/ui/main_window.h"

#include "clip_actions.h"

#include "kinora/core/job_queue.h"
#include "kinora/ui/project_controller.h"
#include "kinora/ui/takes_panel.h"
#include "kinora/ui/timeline_panel.h"
#include "kinora/ui/transport.h"
#include "kinora/ui/viewer_panel.h"

#include <QAction>
#include <QDockWidget>
#include <QIcon>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QUndoStack>

namespace kinora::ui {

namespace {

QIcon icon(const char* name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

QAction* menuAction(QMenu* menu, const char* objectName, const QString& text,
    const QKeySequence& shortcut = {}, const char* iconName = nullptr)
{
    auto* action = menu->addAction(iconName ? icon(iconName) : QIcon(), text);
    action->setObjectName(QLatin1String(objectName));
    action->setShortcut(shortcut);
    return action;
}

} // namespace

void MainWindow::createMenus()
{
    createFileMenu();

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

    createClipMenu();

    auto* generateMenu = menuBar()->addMenu(tr("&Generate"));
    generateMenu->setObjectName(QStringLiteral("generateMenu"));
    connect(menuAction(
                generateMenu, "actionGenerate", tr("&Generate"), QKeySequence(tr("Ctrl+Return")), "generate"),
        &QAction::triggered, this, [this] { generate(); });
    connect(menuAction(generateMenu, "actionCancelJob", tr("&Cancel Running Job"), QKeySequence(tr("Ctrl+.")),
                "cancel"),
        &QAction::triggered, this, [this] {
            if (m_queue->isBusy())
                m_queue->cancel(m_queue->runningId());
        });
    connect(menuAction(generateMenu, "actionCancelQueued", tr("Cancel &Queued Jobs"),
                QKeySequence(tr("Ctrl+Shift+."))),
        &QAction::triggered, m_queue, &core::JobQueue::cancelQueued);

    // The keys belong to the viewer and the timeline (they act where the focus is, so typing a
    // prompt never starts playback); the menu lists them and works from anywhere.
    auto* playback = menuBar()->addMenu(tr("&Playback"));
    playback->setObjectName(QStringLiteral("playbackMenu"));
    const auto transportAction = [this, playback](const char* name, const QString& text, auto slot) {
        connect(menuAction(playback, name, text), &QAction::triggered, this,
            [this, slot] { (m_viewer->transport()->*slot)(); });
    };
    transportAction("actionPlayPause", tr("Play / Pause\tSpace"), &Transport::togglePlay);
    transportAction(
        "actionShuttleBack", tr("Play Backwards (faster each time)\tJ"), &Transport::shuttleBackward);
    transportAction("actionStop", tr("Stop\tK"), &Transport::stop);
    transportAction(
        "actionShuttleForward", tr("Play Forwards (faster each time)\tL"), &Transport::shuttleForward);
    playback->addSeparator();
    connect(menuAction(playback, "actionMarkIn", tr("Mark In\tI")), &QAction::triggered, this,
        [this] { m_transport->setInPoint(m_transport->playhead()); });
    connect(menuAction(playback, "actionMarkOut", tr("Mark Out\tO")), &QAction::triggered, this,
        [this] { m_transport->setOutPoint(m_transport->playhead()); });
    connect(menuAction(playback, "actionClearInOut", tr("Clear In and Out\tAlt+X")), &QAction::triggered,
        m_transport, &Transport::clearInOut);

    auto* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (auto* dock : m_docks)
        view->addAction(dock->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    connect(menuAction(help, "actionAbout", tr("&About Kinora"), {}, "info"), &QAction::triggered, this,
        &MainWindow::showAbout);
}

void MainWindow::createFileMenu()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    connect(menuAction(file, "actionNew", tr("&New Project"), QKeySequence::New, "new"), &QAction::triggered,
        m_projects, &ProjectController::newProject);
    connect(menuAction(file, "actionOpen", tr("&Open Project…"), QKeySequence::Open, "open"),
        &QAction::triggered, m_projects, qOverload<>(&ProjectController::open));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    rebuildRecentMenu();
    connect(menuAction(file, "actionSave", tr("&Save"), QKeySequence::Save, "save"), &QAction::triggered,
        m_projects, &ProjectController::save);
    connect(menuAction(file, "actionSaveAs", tr("Save &As…"), QKeySequence::SaveAs), &QAction::triggered,
        m_projects, &ProjectController::saveAs);
    file->addSeparator();
    auto* import
        = menuAction(file, "actionImport", tr("&Import Footage…"), QKeySequence(tr("Ctrl+I")), "import");
    import->setStatusTip(tr("Video files and images; you can also drop them on the window"));
    connect(import, &QAction::triggered, this, &MainWindow::importMedia);
    connect(menuAction(file, "actionImportSequence", tr("Import Image &Sequence Folder…")),
        &QAction::triggered, this, &MainWindow::importSequenceFolder);
    file->addSeparator();
    auto* exportAction
        = menuAction(file, "actionExportCut", tr("&Export…"), QKeySequence(tr("Ctrl+E")), "export");
    exportAction->setStatusTip(tr("Export the timeline, its in-to-out range, or the selected take"));
    connect(exportAction, &QAction::triggered, this, &MainWindow::exportCut);
    auto* exportTakeAction = menuAction(file, "actionExportTake", tr("Export Selected &Take…"));
    connect(exportTakeAction, &QAction::triggered, this, [this] {
        const QString id = m_takes->selectedTakeId();
        if (id.isEmpty())
            showMessage(tr("Select a take in the bin to export it."));
        else
            exportTake(id);
    });
    file->addSeparator();
    connect(menuAction(file, "actionQuit", tr("&Quit"), QKeySequence::Quit), &QAction::triggered, this,
        &QWidget::close);
}

void MainWindow::createClipMenu()
{
    auto* clip = menuBar()->addMenu(tr("&Clip"));
    clip->setObjectName(QStringLiteral("clipMenu"));
    const auto clipJob = [this, clip](const char* name, const QString& text, const QKeySequence& keys,
                             ClipJobDialog::Kind kind, const QString& tip) {
        auto* action = menuAction(clip, name, text, keys);
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, [this, kind] {
            m_clipActions->ask(kind, m_timeline->selectedClipId(), m_transport->playhead());
        });
        return action;
    };
    clipJob("actionInpaintClip", tr("&Inpaint Masked Area…"), QKeySequence(tr("Ctrl+Shift+I")),
        ClipJobDialog::Kind::Inpaint, tr("Repaint what the selected clip's mask covers"));
    clipJob("actionInterpolateClip", tr("Raise the &Frame Rate…"), QKeySequence(tr("Ctrl+Shift+F")),
        ClipJobDialog::Kind::Interpolate, tr("Make in-between frames for the selected clip"));
    clipJob("actionExtendClip", tr("E&xtend Clip…"), QKeySequence(tr("Ctrl+Shift+X")),
        ClipJobDialog::Kind::Extend, tr("Continue the selected clip with the model"));
    clipJob("actionImageToVideo", tr("Image to &Video from the Playhead…"), QKeySequence(tr("Ctrl+Shift+G")),
        ClipJobDialog::Kind::ImageToVideo, tr("Make a clip that starts from the picture under the playhead"));
    clip->addSeparator();
    auto* mask = menuAction(clip, "actionMaskMode", tr("Paint &Mask\tM"), {}, "mask");
    mask->setCheckable(true);
    mask->setStatusTip(tr("Paint what to regenerate on the selected clip, in the viewer"));
    connect(mask, &QAction::toggled, m_viewer, &ViewerPanel::setMaskMode);
    connect(m_viewer, &ViewerPanel::maskModeChanged, mask, &QAction::setChecked);
    connect(menuAction(clip, "actionAddBinItem", tr("&Add Bin Item to the Timeline")), &QAction::triggered,
        this, [this] {
            if (m_takes->selectedSourceId().isEmpty())
                showMessage(tr("Select a clip or a take in the bin first."));
            else
                addToTimeline(m_takes->selectedSourceId());
        });
}

} // namespace kinora::ui
