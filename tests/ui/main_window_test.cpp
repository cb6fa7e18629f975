#include "gui_test_support.h"

#include "kinora/ui/main_window.h"
#include "kinora/ui/viewer_panel.h"

#include <QAction>
#include <QDockWidget>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

#include <gtest/gtest.h>

using kinora::ui::MainWindow;

namespace {

QAction* action(const MainWindow& w, const char* name)
{
    return w.findChild<QAction*>(QString::fromLatin1(name));
}

QStringList menuActionNames(const MainWindow& w, const char* menuName)
{
    QStringList names;
    if (auto* menu = w.findChild<QMenu*>(QString::fromLatin1(menuName)))
        for (auto* a : menu->actions())
            if (!a->isSeparator())
                names << (a->objectName().isEmpty() ? a->text() : a->objectName());
    return names;
}

struct CountingCommand : QUndoCommand {
    int* value;
    explicit CountingCommand(int* v)
        : value(v)
    {
    }
    void redo() override { ++*value; }
    void undo() override { --*value; }
};

} // namespace

TEST(MainWindow, HasEveryDockTitledAndVisible)
{
    kinora::test::useTemporaryDataDir();
    MainWindow w;
    w.show();
    for (const char* name :
        { "promptDock", "settingsDock", "previewDock", "jobQueueDock", "takesDock", "timelineDock" }) {
        auto* dock = w.findChild<QDockWidget*>(QString::fromLatin1(name));
        ASSERT_NE(dock, nullptr) << name;
        EXPECT_FALSE(dock->windowTitle().isEmpty()) << name;
        EXPECT_NE(w.dockWidgetArea(dock), Qt::NoDockWidgetArea) << name;
        EXPECT_TRUE(dock->isVisible()) << name;
    }
    // The picture in the middle, the bin and the timeline side by side across the bottom.
    EXPECT_EQ(w.centralWidget(), static_cast<QWidget*>(w.viewerPanel()));
    auto* bin = w.findChild<QDockWidget*>(QStringLiteral("takesDock"));
    auto* timeline = w.findChild<QDockWidget*>(QStringLiteral("timelineDock"));
    EXPECT_EQ(w.dockWidgetArea(timeline), Qt::BottomDockWidgetArea);
    EXPECT_EQ(w.dockWidgetArea(bin), Qt::BottomDockWidgetArea);
    EXPECT_LT(bin->geometry().right(), timeline->geometry().left());
    EXPECT_GT(timeline->width(), bin->width());
}

TEST(MainWindow, MenusHoldTheirActions)
{
    kinora::test::useTemporaryDataDir();
    MainWindow w;
    const QStringList titles = [&] {
        QStringList t;
        for (auto* a : w.menuBar()->actions())
            t << a->text();
        return t;
    }();
    EXPECT_EQ(titles,
        (QStringList { QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Clip"),
            QStringLiteral("&Generate"), QStringLiteral("&Playback"), QStringLiteral("&View"),
            QStringLiteral("&Help") }));
    EXPECT_EQ(menuActionNames(w, "fileMenu"),
        (QStringList { QStringLiteral("actionNew"), QStringLiteral("actionOpen"),
            QStringLiteral("Open &Recent"), QStringLiteral("actionSave"), QStringLiteral("actionSaveAs"),
            QStringLiteral("actionImport"), QStringLiteral("actionImportSequence"),
            QStringLiteral("actionExportCut"), QStringLiteral("actionExportTake"),
            QStringLiteral("actionQuit") }));
    EXPECT_EQ(menuActionNames(w, "clipMenu"),
        (QStringList { QStringLiteral("actionInpaintClip"), QStringLiteral("actionInterpolateClip"),
            QStringLiteral("actionExtendClip"), QStringLiteral("actionImageToVideo"),
            QStringLiteral("actionMaskMode"), QStringLiteral("actionAddBinItem") }));
    EXPECT_EQ(menuActionNames(w, "generateMenu"),
        (QStringList { QStringLiteral("actionGenerate"), QStringLiteral("actionCancelJob"),
            QStringLiteral("actionCancelQueued") }));
    EXPECT_EQ(menuActionNames(w, "editMenu"),
        (QStringList { QStringLiteral("actionUndo"), QStringLiteral("actionRedo") }));
    EXPECT_EQ(menuActionNames(w, "viewMenu").size(), 6) << "a toggle per dock";
    EXPECT_EQ(menuActionNames(w, "helpMenu"), QStringList { QStringLiteral("actionAbout") });
    EXPECT_TRUE(action(w, "actionQuit")->isEnabled());
    EXPECT_TRUE(action(w, "actionAbout")->isEnabled());

    // No two window-wide actions share a shortcut, and none takes a key the timeline and viewer use
    // bare (a panel's own actions, such as the bin's Delete, act only where the focus is).
    QMap<QString, QString> owner;
    for (auto* a : w.findChildren<QAction*>()) {
        if (a->shortcutContext() != Qt::WindowShortcut && a->shortcutContext() != Qt::ApplicationShortcut)
            continue;
        for (const QKeySequence& keys : a->shortcuts()) {
            const QString text = keys.toString();
            EXPECT_FALSE(owner.contains(text)) << text.toStdString() << ": " << a->objectName().toStdString()
                                               << " and " << owner.value(text).toStdString();
            owner.insert(text, a->objectName());
            EXPECT_TRUE(text.contains(QLatin1Char('+')) || text.startsWith(QLatin1Char('F')))
                << a->objectName().toStdString() << " takes the bare key " << text.toStdString();
        }
    }
}

TEST(MainWindow, ViewMenuTogglesDocks)
{
    kinora::test::useTemporaryDataDir();
    MainWindow w;
    w.show();
    auto* dock = w.findChild<QDockWidget*>(QStringLiteral("takesDock"));
    ASSERT_NE(dock, nullptr);
    QAction* toggle = nullptr;
    for (auto* a : w.findChild<QMenu*>(QStringLiteral("viewMenu"))->actions())
        if (a == dock->toggleViewAction())
            toggle = a;
    ASSERT_NE(toggle, nullptr);
    toggle->trigger();
    EXPECT_FALSE(dock->isVisible());
    toggle->trigger();
    EXPECT_TRUE(dock->isVisible());
}

TEST(MainWindow, UndoAndRedoFollowTheStack)
{
    kinora::test::useTemporaryDataDir();
    MainWindow w;
    auto* undo = action(w, "actionUndo");
    auto* redo = action(w, "actionRedo");
    ASSERT_NE(undo, nullptr);
    ASSERT_NE(redo, nullptr);
    EXPECT_FALSE(undo->isEnabled());
    int value = 0;
    w.undoStack()->push(new CountingCommand(&value));
    EXPECT_EQ(value, 1);
    EXPECT_TRUE(undo->isEnabled());
    undo->trigger();
    EXPECT_EQ(value, 0);
    EXPECT_TRUE(redo->isEnabled());
    redo->trigger();
    EXPECT_EQ(value, 1);
}

TEST(MainWindow, QuitClosesTheWindow)
{
    kinora::test::useTemporaryDataDir();
    MainWindow w;
    w.show();
    ASSERT_TRUE(w.isVisible());
    action(w, "actionQuit")->trigger();
    EXPECT_FALSE(w.isVisible());
}
