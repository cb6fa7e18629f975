// The mask painter's heavy moves kept off the GUI thread: an import of many frames is read and
// encoded on the thread pool and applied as one undo step that only writes PNG bytes (the same
// bytes back on undo and redo), an import that cannot be written changes nothing, and a source
// with hundreds of keys opens without decoding them on the GUI thread. The encoder's per-thread
// counters (core/mask_png.h) say what the GUI thread did.

#include "mask_commands.h"
#include "mask_editor.h"
#include "mask_key_row.h"
#include "mask_tools_bar.h"
#include "shared_data.h"
#include "viewer_fixture.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/mask_keyframes.h"
#include "kinora/core/mask_png.h"

#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace kinora;
using ui::MaskEditor;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr int kLongFrames = 400;

// Frame `i` of a moving shape, 0/255 as a mask import reads it.
QImage movingMask(int i)
{
    QImage mask(kWidth, kHeight, QImage::Format_Grayscale8);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x)
            mask.scanLine(y)[x] = std::hypot(x - 100.0 - 8 * (i % 60), y - 180.0) < 40 + i % 25 ? 255 : 0;
    return mask;
}

// A 400-frame source, its clip on V1 from timeline frame 0, selected for masks, mask mode on.
class MaskIoTest : public test::ViewerTest {
protected:
    void SetUp() override
    {
        ViewerTest::SetUp();
        longMedia = test::addFakeMedia(*project, QStringLiteral("long"), kLongFrames, { 24, 1 });
        addSource(longMedia.id, [](int64_t frame) { return QColor(90, int(frame % 256), 160); });
        setClips({ mediaClip(longMedia.id, 0, kLongFrames, 0, kLongFrames) });
        editor = panel->maskEditor();
        panel->setMaskClip(clipId(0, 0));
        panel->setMaskMode(true);
        editor->setBrushSize(20);
        editor->setHardness(1);
        editor->setOnionSkin(false);
    }

    // Writes `count` frames of movingMask as `dir/m%03d.png` (grey levels, so the import's rule
    // makes them 0/255) and returns the pattern.
    static QString writeSequence(const QTemporaryDir& dir, int count)
    {
        for (int i = 0; i < count; ++i) {
            QImage frame = movingMask(i);
            for (int y = 0; y < kHeight; ++y)
                for (int x = 0; x < kWidth; ++x)
                    frame.scanLine(y)[x] = frame.scanLine(y)[x] ? 200 : 60;
            EXPECT_TRUE(frame.save(dir.filePath(QStringLiteral("m%1.png").arg(i, 3, 10, QLatin1Char('0')))));
        }
        return dir.filePath(QStringLiteral("m%03d.png"));
    }

    // Every key of the source as its PNG bytes on disk.
    std::map<int64_t, QByteArray> keysOnDisk() const
    {
        std::map<int64_t, QByteArray> keys;
        for (int64_t frame : project->maskKeyFrames(longMedia.id))
            keys[frame] = project->maskKeyPng(longMedia.id, frame);
        return keys;
    }

    // A click (press and release in place): one dab.
    void dab(QPointF pos) { stroke({ pos, pos }); }

    bool import(const QString& path)
    {
        QSignalSpy finished(editor, &MaskEditor::importFinished);
        editor->importMask(path);
        if (!test::waitFor([&] { return finished.count() == 1; }, 60000))
            return false;
        return finished.at(0).at(0).toBool();
    }

    core::MediaRecord longMedia;
    MaskEditor* editor = nullptr;
};

TEST_F(MaskIoTest, AnImportOfManyFramesIsOneUndoStepThatOnlyWritesBytesOnTheGuiThread)
{
    constexpr int kFrames = 60;
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString pattern = writeSequence(dir, kFrames);
    transport.setPlayhead(10);
    dab({ 500, 300 }); // a key of the user's own at frame 10, under the import
    ASSERT_EQ(stack.count(), 1);

    QSignalSpy progress(editor, &MaskEditor::progressChanged);
    const int64_t encodes = core::maskPngEncodesOnThisThread();
    const int64_t decodes = core::maskPngDecodesOnThisThread();
    ASSERT_TRUE(import(pattern));
    EXPECT_EQ(core::maskPngEncodesOnThisThread(), encodes) << "every PNG was encoded on the thread pool";
    EXPECT_EQ(core::maskPngDecodesOnThisThread(), decodes) << "and nothing was decoded back";

    // Progress counted the frames read and encoded, up to all of them.
    ASSERT_GE(progress.count(), 2);
    EXPECT_EQ(progress.last().at(0).toLongLong(), kFrames);
    EXPECT_EQ(progress.last().at(1).toLongLong(), kFrames);

    ASSERT_EQ(stack.count(), 2) << "the whole import is one undo step";
    EXPECT_EQ(stack.undoText(), QStringLiteral("Import mask"));
    const auto* command = dynamic_cast<const ui::MaskKeysCommand*>(stack.command(1));
    ASSERT_TRUE(command);
    EXPECT_EQ(command->frames(), size_t(kFrames));
    const std::map<int64_t, QByteArray> keys = keysOnDisk();
    ASSERT_EQ(keys.size(), size_t(kFrames));
    for (int i = 0; i < kFrames; ++i) {
        EXPECT_EQ(keys.at(i), core::encodeMaskPng(movingMask(i))) << "the PNG of frame " << i;
        EXPECT_EQ(core::decodeMaskPng(keys.at(i)), movingMask(i)) << i;
    }
    EXPECT_EQ(panel->maskKeyRow()->keys().size(), size_t(kFrames));

    // The painter shows frame 10's imported key once it is decoded in the background.
    const int64_t checked = core::maskPngDecodesOnThisThread(); // the checks above decoded here
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    EXPECT_EQ(editor->mask(), movingMask(10));
    EXPECT_EQ(core::maskPngDecodesOnThisThread(), checked);
}

TEST_F(MaskIoTest, UndoAndRedoOfAnImportRestoreTheKeysExactly)
{
    transport.setPlayhead(3);
    dab({ 100, 100 });
    transport.setPlayhead(70);
    dab({ 300, 200 }); // outside the import
    const std::map<int64_t, QByteArray> before = keysOnDisk();
    ASSERT_EQ(before.size(), 2u);

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ASSERT_TRUE(import(writeSequence(dir, 40)));
    const std::map<int64_t, QByteArray> after = keysOnDisk();
    ASSERT_EQ(after.size(), 41u);
    EXPECT_EQ(after.at(70), before.at(70));
    EXPECT_NE(after.at(3), before.at(3));

    const int64_t encodes = core::maskPngEncodesOnThisThread();
    const int64_t decodes = core::maskPngDecodesOnThisThread();
    stack.undo();
    EXPECT_EQ(keysOnDisk(), before) << "frame 3's own key back byte for byte, the imported ones gone";
    stack.redo();
    EXPECT_EQ(keysOnDisk(), after);
    stack.undo();
    EXPECT_EQ(keysOnDisk(), before);
    EXPECT_EQ(core::maskPngEncodesOnThisThread(), encodes) << "undo and redo write bytes only";
    EXPECT_EQ(core::maskPngDecodesOnThisThread(), decodes);
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    EXPECT_EQ(editor->mask(), core::decodeMaskPng(before.at(70)));
}

TEST_F(MaskIoTest, AnImportThatCannotBeWrittenChangesNothing)
{
    transport.setPlayhead(2);
    dab({ 100, 100 });
    const std::map<int64_t, QByteArray> before = keysOnDisk();
    // Frame 7's PNG cannot be written: a folder is in its way (as a full disk would fail it).
    ASSERT_TRUE(QDir().mkpath(project->maskKeyPath(longMedia.id, 7)));
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    // The keys change at once and the files are written behind: the failure comes after.
    import(writeSequence(dir, 12));
    const auto status = [this] { return panel->maskToolsBar()->statusText(); };
    ASSERT_TRUE(
        test::waitFor([&] { return status().contains(QStringLiteral("could not be written")); }, 10000))
        << status().toStdString();
    EXPECT_TRUE(status().contains(QStringLiteral("frame 7"))) << status().toStdString();
    project->waitForMaskWrites();
    EXPECT_EQ(keysOnDisk(), before) << "frame 2 as it was, no frame of the import left behind";
    EXPECT_EQ(project->maskKeyFrames(longMedia.id), std::vector<int64_t>({ 2 }));
    EXPECT_FALSE(QFileInfo::exists(project->maskKeyPath(longMedia.id, 3)));
    ASSERT_TRUE(test::waitFor([&] { return stack.count() == 1; }, 10000)) << "the import is no undo step";
    EXPECT_EQ(stack.undoText(), QStringLiteral("Paint mask"));
    EXPECT_EQ(panel->maskKeyRow()->keys(), std::vector<int64_t>({ 2 }));
    EXPECT_TRUE(editor->canPaint());
}

TEST_F(MaskIoTest, AMaskVideoAndAFolderOfPaletteMasksImportAsTheCliReadsThem)
{
    KINORA_SHARED_DATA_FILE(video, "clips/makeup_mpeg4_mp3.avi");
    KINORA_SHARED_DATA_FILE(palette, "inpainting/dogs_jump/masks/00000.png");
    const QString folder = QString::fromStdString(palette.parent_path().string());
    // Read frame by frame and encoded in the task, each key is the CLI's mask of that frame
    // (luma >= 128 for the video, palette index != 0 for the folder), resized to the source.
    const std::vector<std::pair<QString, QString>> imports {
        { QString::fromStdString(video.string()), QString::fromStdString(video.string()) },
        { folder, QDir(folder).filePath(QStringLiteral("%05d.png")) },
    };
    for (const auto& [path, asTheCliReadsIt] : imports) {
        SCOPED_TRACE(path.toStdString());
        ASSERT_TRUE(import(path));
        const std::vector<QImage> expected = core::readMaskClip(asTheCliReadsIt);
        ASSERT_EQ(project->maskKeyFrames(longMedia.id).size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            const QImage key = core::decodeMaskPng(project->maskKeyPng(longMedia.id, int64_t(i)));
            ASSERT_EQ(key, expected[i].scaled(kWidth, kHeight, Qt::IgnoreAspectRatio, Qt::FastTransformation))
                << "frame " << i;
        }
        const QString status = panel->maskToolsBar()->statusText();
        EXPECT_TRUE(status.contains(QStringLiteral("resized (nearest)"))) << status.toStdString();
        EXPECT_TRUE(status.contains(QStringLiteral("the rest keep their masks"))) << status.toStdString();
        stack.undo();
        EXPECT_TRUE(project->maskKeyFrames(longMedia.id).empty());
    }
}

TEST_F(MaskIoTest, ASourceWithTwoHundredKeysOpensWithoutDecodingThemOnTheGuiThread)
{
    // 200 keys on the even frames, saved, and the project opened again: a fresh store.
    std::map<int64_t, QByteArray> keys;
    for (int i = 0; i < 200; ++i)
        keys[2 * i] = core::encodeMaskPng(movingMask(i));
    project->setMaskKeys(longMedia.id, keys);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = QDir(dir.path()).filePath(QStringLiteral("keys.kinora"));
    project->save(file);
    const QString clip = clipId(0, 0);
    panel->setProject(nullptr);
    project = core::Project::open(file);
    ASSERT_EQ(project->maskKeyFrames(longMedia.id).size(), 200u);

    const int64_t decodes = core::maskPngDecodesOnThisThread();
    transport.setPlayhead(150);
    panel->setProject(project.get());
    panel->setMaskClip(clip);
    ASSERT_TRUE(editor->target().has_value());
    EXPECT_EQ(panel->maskKeyRow()->keys().size(), 200u) << "the keys are listed without decoding";
    EXPECT_EQ(core::maskPngDecodesOnThisThread(), decodes);
    EXPECT_FALSE(editor->isMaskReady()) << "its key is decoded in the background";
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    EXPECT_EQ(editor->mask(), movingMask(75));

    // An in-between frame: its two keys decoded and interpolated in the background too.
    transport.setPlayhead(301);
    EXPECT_FALSE(editor->isMaskReady());
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    EXPECT_EQ(editor->mask(), core::interpolateMasks(movingMask(150), movingMask(151), 0.5));
    EXPECT_EQ(core::maskPngDecodesOnThisThread(), decodes) << "the GUI thread decoded no key";

    // Painting on it still starts from what the keys give.
    dab({ 600, 40 });
    const QImage painted = core::decodeMaskPng(project->maskKeyPng(longMedia.id, 301));
    EXPECT_EQ(painted.constScanLine(40)[600], 255);
    EXPECT_EQ(painted.constScanLine(180)[100 + 8 * 30], 255);
    project->waitForMaskWrites(); // written into `dir` before it goes
}

} // namespace
