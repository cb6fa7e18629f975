// The takes bin on a real project: takes whose frames are real PNGs in the project's media folder.

#include "gui_test_support.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/ui/take_commands.h"
#include "kinora/ui/takes_panel.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;

namespace {

QColor frameColour(int index)
{
    return QColor(20 + index * 25, 120, 220 - index * 20);
}

// A take of `frames` frames of `side` pixels, each frame one flat colour, added to `project`.
core::TakeRecord addTake(
    core::Project& project, const QString& name, quint64 seed, int frames = 8, int side = 16)
{
    core::TakeRecord take;
    take.id = project.newTakeId();
    take.name = name;
    const QString pattern = project.takeFramesPattern(take.id);
    take.framesPattern = QDir(project.mediaDir()).relativeFilePath(pattern);
    take.frames = frames;
    take.width = side;
    take.height = side;
    take.fps = 8;
    take.prompt = QStringLiteral("a red circle moving right on a blue background, take %1").arg(name);
    take.seed = seed;
    take.request = QJsonObject { { QStringLiteral("prompt"), take.prompt },
        { QStringLiteral("seed"), QString::number(seed) } };
    take.modelName = QStringLiteral("tiny");
    take.device = QStringLiteral("cpu");
    take.precision = QStringLiteral("fp32");
    take.created = QDateTime::currentDateTimeUtc();
    std::vector<QImage> images;
    for (int i = 0; i < frames; ++i) {
        QImage image(side, side, QImage::Format_RGB888);
        image.fill(frameColour(i));
        images.push_back(image);
    }
    EXPECT_TRUE(core::writeImageSequence(pattern, images, false));
    project.addTake(take);
    return take;
}

class TakesPanelTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        for (int i = 0; i < 3; ++i)
            takes.push_back(addTake(*project, QStringLiteral("Take %1").arg(i + 1), 100 + i));
        panel.setProject(project.get());
        panel.resize(700, 220);
        panel.show();
        panel.activateWindow();
        list = panel.findChild<QListView*>(QStringLiteral("takesList"));
        ASSERT_NE(list, nullptr);
    }

    QString rowName(int row) const { return list->model()->index(row, 0).data().toString(); }

    QUndoStack undoStack;
    std::unique_ptr<core::Project> project;
    std::vector<core::TakeRecord> takes;
    ui::TakesPanel panel { &undoStack };
    QListView* list = nullptr;
};

} // namespace

TEST_F(TakesPanelTest, ListsEveryTakeByNameAndHidesTheHint)
{
    ASSERT_EQ(list->model()->rowCount(), 3);
    EXPECT_EQ(rowName(0), QStringLiteral("Take 1"));
    EXPECT_EQ(rowName(2), QStringLiteral("Take 3"));
    EXPECT_TRUE(list->isVisible());
    EXPECT_FALSE(panel.findChild<QLabel*>(QStringLiteral("emptyHint"))->isVisible());
    const QString tip = list->model()->index(1, 0).data(Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("101"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("tiny"))) << tip.toStdString();

    addTake(*project, QStringLiteral("Take 4"), 7);
    ASSERT_EQ(list->model()->rowCount(), 4);
    EXPECT_EQ(rowName(3), QStringLiteral("Take 4"));
}

TEST_F(TakesPanelTest, EmptyProjectShowsTheHint)
{
    core::Project empty;
    panel.setProject(&empty);
    EXPECT_EQ(list->model()->rowCount(), 0);
    auto* hint = panel.findChild<QLabel*>(QStringLiteral("emptyHint"));
    EXPECT_TRUE(hint->isVisible());
    EXPECT_EQ(hint->text(),
        QStringLiteral("Drop footage here or press Ctrl+I to import; takes you make appear here too"));
    panel.setProject(nullptr);
    EXPECT_EQ(list->model()->rowCount(), 0);
}

TEST_F(TakesPanelTest, ThumbnailIsTheMiddleFrameEnlargedWithoutBlur)
{
    const auto pixmap = list->model()->index(0, 0).data(Qt::DecorationRole).value<QPixmap>();
    ASSERT_FALSE(pixmap.isNull());
    EXPECT_EQ(pixmap.size(), QSize(128, 128));
    const QImage image = pixmap.toImage();
    EXPECT_EQ(image.pixelColor(64, 64), frameColour(4));
    EXPECT_EQ(image.pixelColor(0, 127), frameColour(4));
}

TEST_F(TakesPanelTest, DeleteKeyRemovesTheTakeAndUndoPutsItBack)
{
    const QString id = takes[1].id;
    panel.selectTake(id);
    ASSERT_EQ(panel.selectedTakeId(), id);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Delete);
    ASSERT_EQ(list->model()->rowCount(), 2);
    EXPECT_EQ(project->take(id), nullptr);
    EXPECT_EQ(rowName(1), QStringLiteral("Take 3"));
    EXPECT_EQ(panel.selectedTakeId(), takes[2].id); // the next one, for another Delete
    EXPECT_TRUE(QFileInfo::exists(core::sequenceFramePath(project->takeFramesPattern(id), 0)));

    undoStack.undo();
    ASSERT_EQ(list->model()->rowCount(), 3);
    EXPECT_EQ(project->indexOfTake(id), 1);
    EXPECT_EQ(rowName(1), QStringLiteral("Take 2"));
    undoStack.redo();
    EXPECT_EQ(project->indexOfTake(id), -1);
}

TEST_F(TakesPanelTest, DeletingATakeTakesItsClipsOffTheTimelineAndUndoPutsThemBack)
{
    const QString id = takes[0].id;
    core::Timeline timeline;
    core::TimelineClip clip;
    clip.sourceId = id;
    clip.sourceFrames = takes[0].frames;
    clip.length = takes[0].frames;
    timeline.add(clip);
    clip.start = 100;
    timeline.add(clip);
    clip.sourceId = takes[1].id;
    clip.start = 200;
    timeline.add(clip);
    project->setTimeline(timeline);
    panel.selectTake(id);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Delete);
    ASSERT_EQ(project->timeline().clips().size(), 1u);
    EXPECT_EQ(project->timeline().clips().front().sourceId, takes[1].id);
    undoStack.undo();
    EXPECT_EQ(project->timeline(), timeline);
    EXPECT_EQ(undoStack.count(), 1) << "one step for the take and its clips";
}

TEST_F(TakesPanelTest, RenamesMergeIntoOneUndoStep)
{
    const QString id = takes[0].id;
    undoStack.push(new ui::RenameTakeCommand(project.get(), id, QStringLiteral("Sun")));
    undoStack.push(new ui::RenameTakeCommand(project.get(), id, QStringLiteral("Sunset")));
    EXPECT_EQ(undoStack.count(), 1);
    EXPECT_EQ(rowName(0), QStringLiteral("Sunset"));
    undoStack.undo();
    EXPECT_EQ(project->take(id)->name, QStringLiteral("Take 1"));
    EXPECT_EQ(rowName(0), QStringLiteral("Take 1"));

    // A rename of a take that is gone does nothing and leaves no step behind.
    undoStack.push(new ui::RemoveTakeCommand(project.get(), takes[2].id));
    const int steps = undoStack.count();
    undoStack.push(new ui::RenameTakeCommand(project.get(), takes[2].id, QStringLiteral("Ghost")));
    EXPECT_EQ(undoStack.count(), steps);
}

TEST_F(TakesPanelTest, F2RenamesInPlace)
{
    panel.selectTake(takes[1].id);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    auto* editor = list->viewport()->findChild<QLineEdit*>();
    ASSERT_NE(editor, nullptr);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Blue hour"));
    QTest::keyClick(editor, Qt::Key_Return); // the delegate commits on a queued call
    EXPECT_TRUE(
        test::waitFor([&] { return project->take(takes[1].id)->name == QStringLiteral("Blue hour"); }, 5000));
    EXPECT_EQ(undoStack.count(), 1);
    undoStack.undo();
    EXPECT_EQ(project->take(takes[1].id)->name, QStringLiteral("Take 2"));
}

TEST_F(TakesPanelTest, DoubleClickPlaysTheTake)
{
    QSignalSpy play(&panel, &ui::TakesPanel::playRequested);
    const QRect rect = list->visualRect(list->model()->index(2, 0));
    ASSERT_FALSE(rect.isEmpty());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    ASSERT_EQ(play.count(), 1);
    EXPECT_EQ(play.at(0).at(0).toString(), takes[2].id);
}

TEST_F(TakesPanelTest, ContextMenuActionsActOnTheSelectedTake)
{
    for (const char* name : { "actionPlay", "actionMakeAgain", "actionVariation", "actionExport",
             "actionShowRequest", "actionRename", "actionDelete" }) {
        auto* action = panel.findChild<QAction*>(QString::fromLatin1(name));
        ASSERT_NE(action, nullptr) << name;
        EXPECT_FALSE(action->isEnabled()) << name << " with nothing selected";
    }
    QSignalSpy selection(&panel, &ui::TakesPanel::selectionChanged);
    panel.selectTake(takes[0].id);
    ASSERT_EQ(selection.count(), 1);
    EXPECT_EQ(selection.at(0).at(0).toString(), takes[0].id);

    QSignalSpy again(&panel, &ui::TakesPanel::makeAgainRequested);
    QSignalSpy variation(&panel, &ui::TakesPanel::variationRequested);
    QSignalSpy exportSpy(&panel, &ui::TakesPanel::exportRequested);
    panel.findChild<QAction*>(QStringLiteral("actionMakeAgain"))->trigger();
    panel.findChild<QAction*>(QStringLiteral("actionVariation"))->trigger();
    panel.findChild<QAction*>(QStringLiteral("actionExport"))->trigger();
    ASSERT_EQ(again.count(), 1);
    EXPECT_EQ(again.at(0).at(0).toString(), takes[0].id);
    EXPECT_EQ(variation.count(), 1);
    EXPECT_EQ(exportSpy.count(), 1);

    panel.findChild<QAction*>(QStringLiteral("actionShowRequest"))->trigger();
    auto* dialog = panel.findChild<QDialog*>(QStringLiteral("requestDialog"));
    ASSERT_NE(dialog, nullptr);
    const QString json = dialog->findChild<QPlainTextEdit*>(QStringLiteral("requestText"))->toPlainText();
    EXPECT_TRUE(json.contains(QStringLiteral("\"seed\": \"100\""))) << json.toStdString();
    EXPECT_TRUE(dialog->findChild<QPlainTextEdit*>(QStringLiteral("requestText"))->isReadOnly());
    dialog->close();

    panel.findChild<QAction*>(QStringLiteral("actionDelete"))->trigger();
    EXPECT_EQ(project->take(takes[0].id), nullptr);
}

TEST_F(TakesPanelTest, CommandsOutliveTheirProject)
{
    panel.selectTake(takes[0].id);
    panel.removeSelected();
    ASSERT_EQ(undoStack.count(), 1);
    panel.setProject(nullptr);
    project.reset();
    undoStack.undo(); // the project is gone: nothing to restore, and no crash
    EXPECT_EQ(undoStack.count(), 0);
}
