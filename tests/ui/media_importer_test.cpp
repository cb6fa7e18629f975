// Importing footage: real clips (shared footage and ffmpeg-written ones), a corrupt file, stills,
// image-sequence folders, drops, and the undo commands of the bin's media.

#include "gui_test_support.h"
#include "media_test_clips.h"
#include "shared_data.h"

#include "kinora/core/project.h"
#include "kinora/ui/media_commands.h"
#include "kinora/ui/media_importer.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QUrl>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;

namespace {

class MediaImporterTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        importer.setProject(project.get());
    }

    // Imports one path and waits until the importer is idle again.
    void importAndWait(const QString& path)
    {
        importer.importPaths({ path });
        ASSERT_TRUE(importer.isBusy());
        ASSERT_TRUE(test::waitFor([&] { return !importer.isBusy(); }, 60000));
    }

    void writeImages(const QString& folder, const QString& name, int first, int count)
    {
        QDir().mkpath(folder);
        for (int i = first; i < first + count; ++i) {
            QImage image(24, 16, QImage::Format_RGB32);
            image.fill(QColor(10 * i, 50, 90));
            ASSERT_TRUE(image.save(QDir(folder).filePath(name.arg(i, 4, 10, QLatin1Char('0')))));
        }
    }

    QTemporaryDir dir;
    QUndoStack undoStack;
    std::unique_ptr<core::Project> project;
    ui::MediaImporter importer { &undoStack };
};

} // namespace

TEST_F(MediaImporterTest, ASharedClipKeepsFfprobesFrameCountRateSizeAndAudio)
{
    KINORA_SHARED_DATA_FILE(footage, "clips/01_dog.mp4");
    const QString path = QString::fromStdString(footage.string());
    QSignalSpy imported(&importer, &ui::MediaImporter::imported);
    QSignalSpy busy(&importer, &ui::MediaImporter::busyChanged);
    importAndWait(path);

    ASSERT_EQ(imported.count(), 1);
    const QString id = imported.at(0).at(0).toString();
    const core::MediaRecord* media = project->mediaItem(id);
    ASSERT_NE(media, nullptr);
    EXPECT_EQ(media->name, QStringLiteral("01_dog.mp4"));
    EXPECT_EQ(media->frames, test::ffprobeFrameCount(path)); // 289
    EXPECT_EQ(media->fps, (core::Rational { 30000, 1001 }));
    EXPECT_EQ(media->width, 1280);
    EXPECT_EQ(media->height, 720);
    EXPECT_TRUE(media->audio);
    EXPECT_FALSE(media->still);
    EXPECT_EQ(project->absoluteMediaPath(*media), path);
    ASSERT_EQ(busy.count(), 2);
    EXPECT_TRUE(busy.at(0).at(0).toBool());
    EXPECT_FALSE(busy.at(1).at(0).toBool());

    // One undo step: undo takes it out of the bin, redo brings it back under the same id.
    ASSERT_EQ(undoStack.count(), 1);
    undoStack.undo();
    EXPECT_EQ(project->mediaItem(id), nullptr);
    EXPECT_TRUE(project->media().empty());
    undoStack.redo();
    ASSERT_NE(project->mediaItem(id), nullptr);
    EXPECT_EQ(project->mediaItem(id)->frames, 289);
}

TEST_F(MediaImporterTest, AClipWithoutSoundSaysSo)
{
    const QString clip = dir.filePath(QStringLiteral("silent.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 30, QSize(96, 64), 30));
    const QString toned = dir.filePath(QStringLiteral("toned.mp4"));
    ASSERT_TRUE(test::writeTestClip(toned, 30, QSize(96, 64), 30, true));
    importer.importPaths({ clip, toned });
    ASSERT_TRUE(test::waitFor([&] { return !importer.isBusy(); }, 60000));
    ASSERT_EQ(project->media().size(), 2u);
    for (const auto& media : project->media()) {
        EXPECT_EQ(media.frames, 30);
        EXPECT_EQ(media.fps, (core::Rational { 30, 1 }));
        EXPECT_EQ(media.audio, media.name == QStringLiteral("toned.mp4")) << media.name.toStdString();
    }
}

TEST_F(MediaImporterTest, ACorruptFileFailsWithASentenceAndAddsNothing)
{
    const QString path = dir.filePath(QStringLiteral("x.mp4"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    QByteArray noise(64 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(13);
    for (char& byte : noise)
        byte = static_cast<char>(generator.bounded(256));
    file.write(noise);
    file.close();

    QSignalSpy failed(&importer, &ui::MediaImporter::failed);
    QSignalSpy imported(&importer, &ui::MediaImporter::imported);
    importAndWait(path);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), path);
    const QString message = failed.at(0).at(1).toString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("“x.mp4” cannot be imported: "))) << message.toStdString();
    EXPECT_TRUE(message.endsWith(QLatin1Char('.'))) << message.toStdString();
    EXPECT_EQ(imported.count(), 0);
    EXPECT_TRUE(project->media().empty());
    EXPECT_EQ(undoStack.count(), 0);

    importAndWait(dir.filePath(QStringLiteral("nothing-here.mov")));
    ASSERT_EQ(failed.count(), 2);
    EXPECT_TRUE(failed.at(1).at(1).toString().contains(QStringLiteral("does not exist")));
}

TEST_F(MediaImporterTest, AStillImageIsOneFrameShownForAsLongAsItsClip)
{
    QImage image(40, 30, QImage::Format_RGB32);
    image.fill(Qt::green);
    const QString path = dir.filePath(QStringLiteral("poster.png"));
    ASSERT_TRUE(image.save(path));
    importAndWait(path);
    ASSERT_EQ(project->media().size(), 1u);
    const auto& media = project->media().front();
    EXPECT_TRUE(media.still);
    EXPECT_EQ(media.frames, 1);
    EXPECT_EQ(media.width, 40);
    EXPECT_EQ(media.height, 30);
    EXPECT_FALSE(media.audio);
    EXPECT_EQ(media.name, QStringLiteral("poster.png"));
}

TEST_F(MediaImporterTest, AFolderOfNumberedImagesIsASequenceAt24Fps)
{
    const QString folder = dir.filePath(QStringLiteral("shot_010"));
    writeImages(folder, QStringLiteral("plate%1.png"), 0, 6);
    QFile(QDir(folder).filePath(QStringLiteral("notes.txt"))).open(QIODevice::WriteOnly);
    importAndWait(folder);
    ASSERT_EQ(project->media().size(), 1u);
    const auto& media = project->media().front();
    EXPECT_EQ(media.name, QStringLiteral("shot_010"));
    EXPECT_EQ(project->absoluteMediaPath(media), QDir(folder).filePath(QStringLiteral("plate%04d.png")));
    EXPECT_EQ(media.frames, 6);
    EXPECT_EQ(media.fps, (core::Rational { 24, 1 }));
    EXPECT_EQ(media.width, 24);
    EXPECT_EQ(media.height, 16);
    EXPECT_FALSE(media.still);
    EXPECT_EQ(project->source(media.id)->path, project->absoluteMediaPath(media));
}

TEST_F(MediaImporterTest, FoldersThatAreNoSequenceAreRefusedWithTheReason)
{
    QSignalSpy failed(&importer, &ui::MediaImporter::failed);
    const QString fromOne = dir.filePath(QStringLiteral("from_one"));
    writeImages(fromOne, QStringLiteral("f%1.png"), 1, 3);
    importAndWait(fromOne);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("starts at 1, not 0")))
        << failed.at(0).at(1).toString().toStdString();
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("f0000.png")));

    const QString empty = dir.filePath(QStringLiteral("empty"));
    QDir().mkpath(empty);
    importAndWait(empty);
    ASSERT_EQ(failed.count(), 2);
    EXPECT_TRUE(failed.at(1).at(1).toString().contains(QStringLiteral("empty folder")));
    EXPECT_TRUE(project->media().empty());
}

TEST_F(MediaImporterTest, ADropCarriesItsLocalFilesAndFolders)
{
    const QString clip = dir.filePath(QStringLiteral("a.mp4"));
    QFile(clip).open(QIODevice::WriteOnly);
    const QString projectFile = dir.filePath(QStringLiteral("b.kinora"));
    QFile(projectFile).open(QIODevice::WriteOnly);
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(clip), QUrl::fromLocalFile(dir.path()),
        QUrl::fromLocalFile(projectFile), QUrl(QStringLiteral("https://example.com/c.mp4")),
        QUrl::fromLocalFile(dir.filePath("gone.mp4")) });
    EXPECT_EQ(
        ui::MediaImporter::importablePaths(&mime), (QStringList { clip, QDir(dir.path()).absolutePath() }));
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    EXPECT_TRUE(ui::MediaImporter::importablePaths(&text).isEmpty());
    EXPECT_TRUE(ui::MediaImporter::importablePaths(nullptr).isEmpty());
}

TEST_F(MediaImporterTest, ItemsOfOlderFilesAreProbedAgain)
{
    const QString clip = dir.filePath(QStringLiteral("old.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 20, QSize(64, 48), 20, true));
    core::Project older;
    core::MediaRecord record;
    record.id = older.newMediaId();
    record.name = QStringLiteral("Old clip");
    record.path = clip; // frames 0: not probed, as a format 1 file keeps it
    older.addMedia(record);
    older.setModified(false);
    importer.setProject(&older);
    ASSERT_TRUE(test::waitFor([&] { return older.mediaItem(record.id)->frames > 0; }, 60000));
    const auto* media = older.mediaItem(record.id);
    EXPECT_EQ(media->frames, 20);
    EXPECT_EQ(media->name, QStringLiteral("Old clip"));
    EXPECT_EQ(media->width, 64);
    EXPECT_EQ(media->fps, (core::Rational { 20, 1 }));
    EXPECT_TRUE(media->audio);
    EXPECT_FALSE(older.isModified());
    EXPECT_EQ(undoStack.count(), 0);
}

TEST_F(MediaImporterTest, RemovingMediaTakesItsClipsAndUndoPutsThemBack)
{
    const QString clip = dir.filePath(QStringLiteral("c.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 24, QSize(64, 48)));
    const QString used = test::addProbedMedia(*project, clip);
    const QString other = test::addProbedMedia(*project, clip);
    core::Timeline timeline;
    for (const auto& [source, start] :
        { std::pair { used, 0 }, std::pair { other, 24 }, std::pair { used, 48 } }) {
        core::TimelineClip c;
        c.source = core::TimelineClip::Source::Media;
        c.sourceId = source;
        c.sourceFrames = 24;
        c.start = start;
        c.length = 24;
        timeline.add(c);
    }
    project->setTimeline(timeline);

    undoStack.push(new ui::RemoveMediaCommand(project.get(), used));
    EXPECT_EQ(project->mediaItem(used), nullptr);
    ASSERT_EQ(project->timeline().clips().size(), 1u);
    EXPECT_EQ(project->timeline().clips().front().sourceId, other);
    undoStack.undo();
    EXPECT_EQ(project->indexOfMedia(used), 0);
    EXPECT_EQ(project->timeline(), timeline);
    undoStack.redo();
    EXPECT_EQ(project->timeline().clips().size(), 1u);

    undoStack.push(new ui::RenameMediaCommand(project.get(), other, QStringLiteral("B")));
    undoStack.push(new ui::RenameMediaCommand(project.get(), other, QStringLiteral("Bee")));
    EXPECT_EQ(project->mediaItem(other)->name, QStringLiteral("Bee"));
    undoStack.undo(); // the two renames are one step
    EXPECT_EQ(project->mediaItem(other)->name, QStringLiteral("c.mp4"));
}
