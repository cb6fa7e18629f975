#include "gui_test_support.h"

#include "kinora/ui/main_window.h"

#include <QAction>
#include <QDockWidget>
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
    for (const char* name : { "promptDock", "settingsDock", "previewDock", "jobQueueDock", "takesDock" }) {
        auto* dock = w.findChild<QDockWidget*>(QString::fromLatin1(name));
        ASSERT_NE(dock, nullptr) << name;
        EXPECT_FALSE(dock->windowTitle().isEmpty()) << name;
        EXPECT_NE(w.dockWidgetArea(dock), Qt::NoDockWidgetArea) << name;
        EXPECT_TRUE(dock->isVisible()) << name;
    }
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
        (QStringList { QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Generate"),
            QStringLiteral("&View"), QStringLiteral("&Help") }));
    EXPECT_EQ(menuActionNames(w, "fileMenu"),
        (QStringList { QStringLiteral("actionNew"), QStringLiteral("actionOpen"),
            QStringLiteral("Open &Recent"), QStringLiteral("actionSave"), QStringLiteral("actionSaveAs"),
            QStringLiteral("actionExportTake"), QStringLiteral("actionQuit") }));
    EXPECT_EQ(menuActionNames(w, "generateMenu"),
        (QStringList { QStringLiteral("actionGenerate"), QStringLiteral("actionCancelJob"),
            QStringLiteral("actionCancelQueued") }));
    for (const char* name : { "actionNew", "actionOpen", "actionSave", "actionSaveAs", "actionExportTake" })
        EXPECT_TRUE(action(w, name)->isEnabled()) << name;
    EXPECT_EQ(menuActionNames(w, "editMenu"),
        (QStringList { QStringLiteral("actionUndo"), QStringLiteral("actionRedo") }));
    EXPECT_EQ(menuActionNames(w, "viewMenu").size(), 5);
    EXPECT_EQ(menuActionNames(w, "helpMenu"), QStringList { QStringLiteral("actionAbout") });
    EXPECT_TRUE(action(w, "actionQuit")->isEnabled());
    EXPECT_TRUE(action(w, "actionAbout")->isEnabled());
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
