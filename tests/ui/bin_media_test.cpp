// The bin with imported media beside takes: a real clip imported through MediaImporter, its card
// drawn from MediaFrames, dragged out, and acted on from its context menu.

#include "gui_test_support.h"
#include "media_test_clips.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/ui/media_frames.h"
#include "kinora/ui/media_importer.h"
#include "kinora/ui/source_mime.h"
#include "kinora/ui/takes_panel.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;

namespace {

constexpr int kIdRole = Qt::UserRole + 1; // TakesModel::IdRole
constexpr int kDetailRole = Qt::UserRole + 5; // TakesModel::DetailRole
constexpr int kAudioRole = Qt::UserRole + 6; // TakesModel::AudioRole
constexpr int kSizeRole = Qt::UserRole + 7; // TakesModel::SizeRole

class BinMediaTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        frames.setProject(project.get());
        importer.setProject(project.get());
        panel.setFrameSource(&frames);
        panel.setProject(project.get());
        panel.resize(700, 240);
        panel.show();
        list = panel.findChild<QListView*>(QStringLiteral("takesList"));
        ASSERT_NE(list, nullptr);

        clip = dir.filePath(QStringLiteral("street.mp4"));
        ASSERT_TRUE(test::writeTestClip(clip, 48, QSize(320, 240), 24, true));
        QSignalSpy imported(&importer, &ui::MediaImporter::imported);
        importer.importPaths({ clip });
        ASSERT_TRUE(test::waitFor([&] { return imported.count() == 1; }, 60000));
        mediaId = imported.at(0).at(0).toString();
    }

    void addTake()
    {
        core::TakeRecord take;
        take.id = project->newTakeId();
        take.name = QStringLiteral("A take");
        const QString pattern = project->takeFramesPattern(take.id);
        take.framesPattern = QDir(project->mediaDir()).relativeFilePath(pattern);
        take.frames = 1;
        take.width = take.height = 16;
        take.fps = 8;
        QImage image(16, 16, QImage::Format_RGB888);
        image.fill(Qt::blue);
        ASSERT_TRUE(core::writeImageSequence(pattern, { image }, false));
        project->addTake(take);
        takeId = take.id;
    }

    QAction* action(const char* name) const { return panel.findChild<QAction*>(QString::fromLatin1(name)); }

    QTemporaryDir dir;
    QUndoStack undoStack;
    std::unique_ptr<core::Project> project;
    ui::MediaFrames frames;
    ui::MediaImporter importer { &undoStack };
    ui::TakesPanel panel { &undoStack };
    QListView* list = nullptr;
    QString clip;
    QString mediaId;
    QString takeId;
};

} // namespace

TEST_F(BinMediaTest, AnImportedClipIsACardWithItsNameDurationRateSizeAndSound)
{
    addTake();
    ASSERT_EQ(list->model()->rowCount(), 2);
    const QModelIndex card = list->model()->index(0, 0); // media first, then takes
    EXPECT_EQ(card.data().toString(), QStringLiteral("street.mp4"));
    EXPECT_EQ(card.data(kIdRole).toString(), mediaId);
    EXPECT_EQ(card.data(kDetailRole).toString(), QStringLiteral("00:00:02:00 · 24 fps"));
    EXPECT_EQ(card.data(kSizeRole).toString(), QStringLiteral("320×240"));
    EXPECT_TRUE(card.data(kAudioRole).toBool());
    EXPECT_EQ(list->model()->index(1, 0).data(kIdRole).toString(), takeId);
    EXPECT_FALSE(panel.findChild<QLabel*>(QStringLiteral("emptyHint"))->isVisible());

    // The thumbnail is decoded in the background and then drawn on the card.
    QPixmap thumbnail;
    ASSERT_TRUE(test::waitFor(
        [&] { return !(thumbnail = card.data(Qt::DecorationRole).value<QPixmap>()).isNull(); }, 30000));
    EXPECT_EQ(thumbnail.size(), QSize(128, 96));
    const QRect rect = list->visualRect(card);
    const QImage shown = list->viewport()->grab(rect).toImage();
    const QColor middle = shown.pixelColor(shown.width() / 2, 6 + 64);
    EXPECT_NE(middle, QColor(Qt::black)) << "the card shows its picture, not the empty backdrop";
    EXPECT_EQ(middle.rgb(), thumbnail.toImage().pixelColor(64, 48).rgb());
}

TEST_F(BinMediaTest, DraggingACardCarriesItsSource)
{
    addTake();
    auto* model = list->model();
    EXPECT_TRUE(model->flags(model->index(0, 0)) & Qt::ItemIsDragEnabled);
    EXPECT_EQ(list->dragDropMode(), QAbstractItemView::DragOnly);
    EXPECT_TRUE(model->mimeTypes().contains(QString::fromLatin1(ui::kSourceMimeType)));

    panel.selectSource(mediaId);
    std::unique_ptr<QMimeData> media(model->mimeData(list->selectionModel()->selectedIndexes()));
    const auto ref = ui::sourceFromMimeData(media.get());
    ASSERT_TRUE(ref.has_value());
    EXPECT_FALSE(ref->isTake);
    EXPECT_EQ(ref->id, mediaId);

    panel.selectSource(takeId);
    std::unique_ptr<QMimeData> take(model->mimeData(list->selectionModel()->selectedIndexes()));
    ASSERT_TRUE(ui::sourceFromMimeData(take.get()).has_value());
    EXPECT_TRUE(ui::sourceFromMimeData(take.get())->isTake);
    EXPECT_EQ(ui::sourceFromMimeData(take.get())->id, takeId);
}

TEST_F(BinMediaTest, MediaActionsAddToTimelineShowTheFolderRenameAndRemove)
{
    panel.selectSource(mediaId);
    EXPECT_EQ(panel.selectedSourceId(), mediaId);
    EXPECT_TRUE(panel.selectedTakeId().isEmpty());
    for (const char* name : { "actionPlay", "actionMakeAgain", "actionExport", "actionShowRequest" })
        EXPECT_FALSE(action(name)->isEnabled()) << name << " is for takes";
    for (const char* name : { "actionAddToTimeline", "actionShowInFolder", "actionRename", "actionDelete" })
        EXPECT_TRUE(action(name)->isEnabled()) << name;
    EXPECT_EQ(action("actionDelete")->text(), QStringLiteral("Remove from project"));
    EXPECT_EQ(panel.selectedFolder(), QDir(dir.path()).absolutePath());

    QSignalSpy add(&panel, &ui::TakesPanel::addToTimelineRequested);
    action("actionAddToTimeline")->trigger();
    ASSERT_EQ(add.count(), 1);
    EXPECT_EQ(add.at(0).at(0).toString(), mediaId);

    // Rename in place (F2), one undo step.
    const int steps = undoStack.count();
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    auto* editor = list->viewport()->findChild<QLineEdit*>();
    ASSERT_NE(editor, nullptr);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Street, take 2"));
    // A thumbnail arriving while the user types changes the card: what was typed stays.
    Q_EMIT frames.sourceChanged(mediaId);
    EXPECT_EQ(editor->text(), QStringLiteral("Street, take 2"));
    QTest::keyClick(editor, Qt::Key_Return);
    ASSERT_TRUE(test::waitFor(
        [&] { return project->mediaItem(mediaId)->name == QStringLiteral("Street, take 2"); }, 5000));
    EXPECT_EQ(list->model()->index(0, 0).data().toString(), QStringLiteral("Street, take 2"));
    EXPECT_EQ(undoStack.count(), steps + 1);
    undoStack.undo();
    EXPECT_EQ(list->model()->index(0, 0).data().toString(), QStringLiteral("street.mp4"));

    // Remove takes its timeline clip with it; undo brings both back.
    core::Timeline timeline;
    core::TimelineClip c;
    c.source = core::TimelineClip::Source::Media;
    c.sourceId = mediaId;
    c.sourceFrames = 48;
    c.length = 48;
    c.hasAudio = true;
    timeline.add(c);
    project->setTimeline(timeline);
    panel.selectSource(mediaId);
    action("actionDelete")->trigger();
    EXPECT_EQ(project->mediaItem(mediaId), nullptr);
    EXPECT_EQ(list->model()->rowCount(), 0);
    EXPECT_TRUE(project->timeline().isEmpty());
    EXPECT_TRUE(QFileInfo::exists(clip)); // the file stays where the user keeps it
    undoStack.undo();
    ASSERT_NE(project->mediaItem(mediaId), nullptr);
    EXPECT_EQ(project->timeline(), timeline);
    EXPECT_EQ(list->model()->rowCount(), 1);
}

TEST_F(BinMediaTest, DoubleClickShowsAMediaItemInTheViewer)
{
    QSignalSpy activated(&panel, &ui::TakesPanel::sourceActivated);
    QSignalSpy play(&panel, &ui::TakesPanel::playRequested);
    const QRect rect = list->visualRect(list->model()->index(0, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), mediaId);
    EXPECT_EQ(play.count(), 0); // playing is for takes
}
