#include "kinora/ui/main_window.h"

#include "kinora/core/engine_info.h"
#include "kinora/ui/about_dialog.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QUndoStack>

namespace kinora::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_undoStack(new QUndoStack(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Kinora"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kinora.svg")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    // Until the panels are built, each dock says what it will hold, so the layout can be judged.
    auto* prompt = addPanel(QStringLiteral("promptDock"), tr("Prompt"),
        tr("Describe the clip to make, and what to avoid."), Qt::LeftDockWidgetArea);
    addPanel(QStringLiteral("settingsDock"), tr("Generation settings"),
        tr("Mode, model, size, frames, frame rate, steps, guidance, seed and sampler."),
        Qt::LeftDockWidgetArea);
    auto* preview = addPanel(QStringLiteral("previewDock"), tr("Preview"),
        tr("Every denoising step as it happens, then the take as a loop."), Qt::RightDockWidgetArea);
    auto* mask = addPanel(QStringLiteral("maskDock"), tr("Mask"),
        tr("Paint the region to regenerate: brush, eraser, keyframes, onion skin."), Qt::RightDockWidgetArea);
    auto* queue = addPanel(QStringLiteral("jobQueueDock"), tr("Job queue"),
        tr("Running and waiting takes with progress and cancel."), Qt::RightDockWidgetArea);
    auto* timeline = addPanel(QStringLiteral("timelineDock"), tr("Timeline"),
        tr("Clips and takes in time: scrub, trim, in and out points."), Qt::BottomDockWidgetArea);

    // Left: what to make. Right: the picture, large, with the mask painter behind it and the queue
    // under it. Bottom: the timeline across the whole width.
    tabifyDockWidget(preview, mask);
    preview->raise();
    resize(1280, 800);
    m_defaultSizes = [this, prompt, preview, queue, timeline] {
        resizeDocks({ prompt, preview }, { 380, width() - 380 }, Qt::Horizontal);
        resizeDocks({ preview, queue }, { 460, 140 }, Qt::Vertical);
        resizeDocks({ timeline }, { 200 }, Qt::Vertical);
    };

    createMenus();
    statusBar()->showMessage(tr("Ready — %1").arg(core::engineInfo().device));
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only take once the window has its geometry; apply the default layout at first show.
    if (m_defaultSizes) {
        m_defaultSizes();
        m_defaultSizes = nullptr;
    }
}

QDockWidget* MainWindow::addPanel(
    const QString& objectName, const QString& title, const QString& purpose, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    auto* label = new QLabel(purpose, dock);
    label->setObjectName(objectName + QStringLiteral("Placeholder"));
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setEnabled(false);
    label->setMargin(16);
    dock->setWidget(label);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createMenus()
{
    auto addAction
        = [this](QMenu* menu, const QString& objectName, const QString& text, const QKeySequence& shortcut) {
              auto* action = menu->addAction(text);
              action->setObjectName(objectName);
              action->setShortcut(shortcut);
              return action;
          };

    auto* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    // The document and the video bridge are not built yet: their actions are shown, but disabled
    // rather than doing nothing when clicked.
    const QList<QAction*> pending = {
        addAction(file, QStringLiteral("actionNew"), tr("&New Project"), QKeySequence::New),
        addAction(file, QStringLiteral("actionOpen"), tr("&Open Project…"), QKeySequence::Open),
        addAction(file, QStringLiteral("actionSave"), tr("&Save"), QKeySequence::Save),
        addAction(file, QStringLiteral("actionSaveAs"), tr("Save &As…"), QKeySequence::SaveAs),
    };
    file->addSeparator();
    const QList<QAction*> pendingMedia = {
        addAction(file, QStringLiteral("actionImport"), tr("&Import Media…"), QKeySequence(tr("Ctrl+I"))),
        addAction(file, QStringLiteral("actionExport"), tr("&Export…"), QKeySequence(tr("Ctrl+E"))),
    };
    for (auto* action : pending + pendingMedia) {
        action->setEnabled(false);
        action->setStatusTip(tr("Not available in this version yet"));
    }
    file->addSeparator();
    auto* quit = addAction(file, QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    auto* undo = m_undoStack->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence::Undo);
    auto* redo = m_undoStack->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    auto* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (auto* dock : m_docks)
        view->addAction(dock->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    auto* about = addAction(help, QStringLiteral("actionAbout"), tr("&About Kinora"), QKeySequence());
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    AboutDialog dialog(core::engineInfo(), this);
    dialog.exec();
}

} // namespace kinora::ui
