// The mask painter driven as a user does, over a viewer on a real project: strokes with the mouse
// (one undo step each, holding only the rectangle they changed), the eraser, invert/clear/fill,
// keyframes and the documented in-between rule, onion skins, import and export in the background,
// and masks that survive saving and reopening the project.

#include "mask_commands.h"
#include "mask_editor.h"
#include "mask_key_row.h"
#include "mask_tools_bar.h"
#include "viewer_fixture.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/mask_keyframes.h"

#include <QAction>
#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

#include <cmath>

using namespace kinora;
using test::near;
using ui::MaskEditor;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;

uchar valueAt(const QImage& mask, int x, int y)
{
    return mask.constScanLine(y)[x];
}

int countSet(const QImage& mask)
{
    int count = 0;
    for (int y = 0; y < mask.height(); ++y)
        for (int x = 0; x < mask.width(); ++x)
            count += valueAt(mask, x, y) != 0;
    return count;
}

// A Grayscale8 frame with the pixels whose centres lie within `radius` of `centre` set.
QImage disc(QPointF centre, double radius, QSize size = { kWidth, kHeight })
{
    QImage mask(size, QImage::Format_Grayscale8);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            mask.scanLine(y)[x] = std::hypot(x + 0.5 - centre.x(), y + 0.5 - centre.y()) < radius ? 255 : 0;
    return mask;
}

// The street clip on V1 from timeline frame 10 for 20 frames (its source frames 0..19), selected
// for masks, mask mode on, a hard 20 px brush.
class MaskPainterTest : public test::ViewerTest {
protected:
    void SetUp() override
    {
        ViewerTest::SetUp();
        setClips({ mediaClip(street.id, 10, 20, 0, 48) });
        clip = clipId(0, 10);
        editor = panel->maskEditor();
        panel->setMaskClip(clip);
        panel->setMaskMode(true);
        editor->setTool(MaskEditor::Tool::Brush);
        editor->setBrushSize(20);
        editor->setHardness(1);
        editor->setOnionSkin(false);
        goToSourceFrame(0);
    }

    void goToSourceFrame(int64_t frame) { transport.setPlayhead(10 + frame); }

    // The key of `frame` as the project has it on disk; null when it is not a key.
    QImage key(int64_t frame, const QString& sourceId = {}) const
    {
        const core::MaskTrack track = project->masks(sourceId.isEmpty() ? street.id : sourceId);
        const auto it = track.keys().find(frame);
        return it == track.keys().end() ? QImage() : it->second;
    }

    // A click (press and release in place): one dab.
    void dab(QPointF pos) { stroke({ pos, pos }); }

    QString clip;
    MaskEditor* editor = nullptr;
};

TEST_F(MaskPainterTest, AStrokeIsOneUndoStepOfItsOwnRectangle)
{
    goToSourceFrame(5);
    std::vector<QPointF> points;
    for (int i = 0; i <= 10; ++i)
        points.emplace_back(100 + 10 * i, 100);
    stroke(points);

    const QImage painted = key(5);
    ASSERT_FALSE(painted.isNull()) << "the stroke made frame 5 a key, on disk";
    EXPECT_EQ(painted.format(), QImage::Format_Grayscale8);
    EXPECT_EQ(painted.size(), QSize(kWidth, kHeight));
    EXPECT_EQ(valueAt(painted, 150, 100), 255);
    EXPECT_EQ(valueAt(painted, 100, 100), 255);
    EXPECT_EQ(valueAt(painted, 150, 300), 0);
    EXPECT_EQ(valueAt(painted, 400, 100), 0);
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 5 }));

    ASSERT_EQ(stack.count(), 1);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Paint mask"));
    const auto* command = dynamic_cast<const ui::MaskStrokeCommand*>(stack.command(0));
    ASSERT_TRUE(command);
    EXPECT_EQ(command->frame(), 5);
    EXPECT_FALSE(command->wasKey());
    // Only the stroke's bounding box: the line plus the brush's radius, not the frame.
    EXPECT_TRUE(QRect(88, 88, 125, 25).contains(command->rect()))
        << command->rect().x() << "," << command->rect().width();
    EXPECT_TRUE(command->rect().contains(QRect(92, 92, 116, 16)));

    // The overlay is drawn over the picture where the mask is set, and only there.
    const QImage grab = canvas->grab().toImage();
    const auto pixel
        = [&](QPointF framePos) { return grab.pixelColor(canvas->toWidget(framePos).toPoint()); };
    EXPECT_FALSE(near(pixel({ 150, 100 }), streetColour(5), 20));
    EXPECT_TRUE(near(pixel({ 150, 300 }), streetColour(5)));

    stack.undo();
    EXPECT_TRUE(key(5).isNull());
    EXPECT_TRUE(project->maskKeyFrames(street.id).empty());
    EXPECT_TRUE(editor->mask().isNull() || countSet(editor->mask()) == 0) << "the mask is empty again";
    EXPECT_TRUE(near(
        canvas->grab().toImage().pixelColor(canvas->toWidget(QPointF(150, 100)).toPoint()), streetColour(5)));

    stack.redo();
    EXPECT_EQ(key(5), painted);
    EXPECT_EQ(editor->mask(), painted);
}

TEST_F(MaskPainterTest, AStrokeOnAKeyKeepsTheRestOfIt)
{
    dab({ 100, 100 });
    dab({ 300, 200 });
    ASSERT_EQ(stack.count(), 2);
    const auto* second = dynamic_cast<const ui::MaskStrokeCommand*>(stack.command(1));
    ASSERT_TRUE(second);
    EXPECT_TRUE(second->wasKey());
    EXPECT_LE(second->rect().width(), 22);
    const QImage both = key(0);
    EXPECT_EQ(valueAt(both, 100, 100), 255);
    EXPECT_EQ(valueAt(both, 300, 200), 255);
    stack.undo();
    EXPECT_EQ(valueAt(key(0), 100, 100), 255) << "undoing the second stroke leaves the first";
    EXPECT_EQ(valueAt(key(0), 300, 200), 0);
    stack.undo();
    EXPECT_TRUE(key(0).isNull());
}

TEST_F(MaskPainterTest, InBetweenFramesFollowTheDocumentedRule)
{
    const QPointF centre(320, 180);
    goToSourceFrame(0);
    dab(centre);
    goToSourceFrame(10);
    editor->setBrushSize(60);
    dab(centre);
    const QImage key0 = key(0);
    const QImage key10 = key(10);
    ASSERT_FALSE(key0.isNull());
    ASSERT_FALSE(key10.isNull());
    EXPECT_EQ(key0, disc(centre, 10));
    EXPECT_EQ(key10, disc(centre, 30));

    // Frame 5, as the viewer shows it: the signed-distance blend, a disc of radius about 20,
    // interpolated in the background.
    goToSourceFrame(5);
    EXPECT_FALSE(editor->isKey());
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    const QImage shown = editor->mask();
    EXPECT_EQ(shown, core::interpolateMasks(key0, key10, 0.5));
    EXPECT_EQ(valueAt(shown, 320 + 18, 180), 255);
    EXPECT_EQ(valueAt(shown, 320 + 22, 180), 0);

    // A stroke on the in-between frame starts from its interpolated mask.
    editor->setBrushSize(6);
    dab({ 500, 60 });
    const QImage key5 = key(5);
    ASSERT_FALSE(key5.isNull());
    EXPECT_EQ(valueAt(key5, 320 + 18, 180), 255);
    EXPECT_EQ(valueAt(key5, 500, 60), 255);
    EXPECT_TRUE(editor->isKey());
    stack.undo();
    EXPECT_TRUE(key(5).isNull()) << "undoing the first stroke on a frame removes its key";
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    EXPECT_EQ(editor->mask(), core::interpolateMasks(key0, key10, 0.5));

    // Painting before the interpolation is back paints on the in-between mask all the same.
    goToSourceFrame(6);
    ASSERT_FALSE(editor->isMaskReady());
    dab({ 500, 300 });
    EXPECT_EQ(valueAt(key(6), 320 + 20, 180), 255);
    EXPECT_EQ(valueAt(key(6), 500, 300), 255);
}

TEST_F(MaskPainterTest, TheEraserLowersTheMask)
{
    editor->fill();
    ASSERT_EQ(countSet(key(0)), kWidth * kHeight);
    editor->setTool(MaskEditor::Tool::Eraser);
    editor->setHardness(0.5);
    editor->setBrushSize(40);
    stroke({ { 200, 200 }, { 260, 200 } });
    const QImage erased = key(0);
    EXPECT_EQ(valueAt(erased, 230, 200), 0);
    EXPECT_EQ(valueAt(erased, 400, 300), 255);
    // On the soft edge, lowered but not gone; never raised anywhere.
    const int edge = valueAt(erased, 230, 200 + 16);
    EXPECT_GT(edge, 0);
    EXPECT_LT(edge, 255);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Erase mask"));
    EXPECT_EQ(stack.count(), 2);
}

TEST_F(MaskPainterTest, InvertClearAndFillAreUndoSteps)
{
    goToSourceFrame(3);
    editor->fill();
    EXPECT_EQ(countSet(key(3)), kWidth * kHeight);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Fill mask"));
    editor->clear();
    EXPECT_FALSE(key(3).isNull()) << "a cleared frame is a key with nothing masked";
    EXPECT_EQ(countSet(key(3)), 0);
    dab({ 50, 50 });
    panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("invertMaskAction"))->trigger();
    EXPECT_EQ(stack.undoText(), QStringLiteral("Invert mask"));
    EXPECT_EQ(valueAt(key(3), 50, 50), 0);
    EXPECT_EQ(valueAt(key(3), 300, 300), 255);
    EXPECT_EQ(editor->mask(), key(3));

    panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("deleteKeyAction"))->trigger();
    EXPECT_TRUE(key(3).isNull());
    EXPECT_EQ(stack.undoText(), QStringLiteral("Delete mask keyframe"));
    stack.undo();
    EXPECT_EQ(valueAt(key(3), 300, 300), 255);
    stack.undo(); // invert
    EXPECT_EQ(valueAt(key(3), 50, 50), 255);
    EXPECT_EQ(valueAt(key(3), 300, 300), 0);
    EXPECT_EQ(stack.count(), 5);
}

TEST_F(MaskPainterTest, OnionSkinsShowTheNeighboursMasks)
{
    goToSourceFrame(4);
    dab({ 100, 100 });
    goToSourceFrame(6);
    editor->clear(); // else frame 6 would start from frame 4's mask, held
    dab({ 500, 300 });
    goToSourceFrame(5);
    panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("onionSkinAction"))->trigger();
    ASSERT_TRUE(editor->onionSkin());
    ASSERT_TRUE(test::waitFor([&] { return editor->isMaskReady(); }, 10000));
    const QImage& previous = editor->onionPrevious();
    const QImage& next = editor->onionNext();
    ASSERT_FALSE(previous.isNull());
    ASSERT_FALSE(next.isNull());
    EXPECT_GT(qAlpha(previous.pixel(100, 100)), 0);
    EXPECT_EQ(qAlpha(previous.pixel(500, 300)), 0);
    EXPECT_GT(qAlpha(next.pixel(500, 300)), 0);
    EXPECT_EQ(qAlpha(next.pixel(100, 100)), 0);
    // In their own tints, faintly, over the picture.
    const QImage grab = canvas->grab().toImage();
    const QColor before = grab.pixelColor(canvas->toWidget(QPointF(100, 100)).toPoint());
    const QColor after = grab.pixelColor(canvas->toWidget(QPointF(500, 300)).toPoint());
    EXPECT_FALSE(near(before, streetColour(5), 8));
    EXPECT_FALSE(near(after, streetColour(5), 8));
    EXPECT_FALSE(near(before, after, 8));
    editor->setOnionSkin(false);
    EXPECT_TRUE(editor->onionPrevious().isNull());
}

TEST_F(MaskPainterTest, KeysToolsAndNavigation)
{
    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_E);
    EXPECT_EQ(editor->tool(), MaskEditor::Tool::Eraser);
    QTest::keyClick(canvas, Qt::Key_B);
    EXPECT_EQ(editor->tool(), MaskEditor::Tool::Brush);
    QTest::keyClick(canvas, Qt::Key_BracketRight);
    EXPECT_EQ(editor->brushSize(), 25);
    QTest::keyClick(canvas, Qt::Key_BracketLeft);
    QTest::keyClick(canvas, Qt::Key_BracketLeft);
    EXPECT_EQ(editor->brushSize(), 16);

    goToSourceFrame(2);
    dab({ 10, 10 });
    goToSourceFrame(12);
    dab({ 100, 10 });
    goToSourceFrame(7);
    EXPECT_EQ(panel->maskKeyRow()->keys(), std::vector<int64_t>({ 2, 12 }));
    auto* tools = panel->maskToolsBar();
    tools->findChild<QAction*>(QStringLiteral("nextKeyAction"))->trigger();
    EXPECT_EQ(transport.playhead(), 22);
    tools->findChild<QAction*>(QStringLiteral("previousKeyAction"))->trigger();
    EXPECT_EQ(transport.playhead(), 12);
    EXPECT_FALSE(tools->findChild<QAction*>(QStringLiteral("previousKeyAction"))->isEnabled());

    // M leaves mask mode: the tools go, the mouse no longer paints.
    QTest::keyClick(canvas, Qt::Key_M);
    EXPECT_FALSE(panel->maskMode());
    EXPECT_FALSE(tools->isVisible());
    const int steps = stack.count();
    dab({ 300, 300 });
    EXPECT_EQ(stack.count(), steps);
    QTest::keyClick(canvas, Qt::Key_M);
    EXPECT_TRUE(panel->maskMode());
    EXPECT_TRUE(panel->findChild<QToolButton*>(QStringLiteral("maskModeButton"))->isChecked());
}

TEST_F(MaskPainterTest, NothingIsPaintedOffTheSelectedClip)
{
    transport.setPlayhead(5);
    EXPECT_EQ(panel->maskToolsBar()->statusText(),
        QStringLiteral("Move the playhead onto the selected clip to paint its mask."));
    dab({ 100, 100 });
    EXPECT_EQ(stack.count(), 0);
    EXPECT_FALSE(panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("fillMaskAction"))->isEnabled());
    panel->setMaskClip({});
    EXPECT_EQ(panel->maskToolsBar()->statusText(),
        QStringLiteral("Select a clip on the timeline to paint its masks."));
}

TEST_F(MaskPainterTest, TheSelectedClipIsShownUnderAHigherTrack)
{
    core::Timeline timeline = project->timeline();
    timeline.add(mediaClip(sky.id, 12, 5, 1, 30));
    project->setTimeline(timeline);
    transport.setPlayhead(13);
    EXPECT_EQ(panel->currentSourceId(), street.id);
    EXPECT_TRUE(near(centreColour(), streetColour(3)));
    panel->setMaskMode(false);
    EXPECT_TRUE(near(centreColour(), skyColour(1)));
}

TEST_F(MaskPainterTest, SourceModePaintsTheBinItem)
{
    panel->showSource(sky.id);
    panel->sourceTransport()->setPlayhead(4);
    dab({ 320, 180 });
    EXPECT_EQ(project->maskKeyFrames(sky.id), std::vector<int64_t>({ 4 }));
    EXPECT_TRUE(project->maskKeyFrames(street.id).empty());
}

TEST_F(MaskPainterTest, ImportsAnImageAndASequenceAsKeys)
{
    // A trimmed clip: timeline 40..49 shows street's frames 6..15.
    setClips({ mediaClip(street.id, 40, 10, 1, 48, 6) });
    panel->setMaskClip(clipId(1, 40));
    transport.setPlayhead(42); // source frame 8
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QSignalSpy imported(editor, &MaskEditor::importFinished);

    // One image: a key at the frame under the playhead, by the CLI's rule (luma >= 128).
    QImage image(kWidth, kHeight, QImage::Format_RGB32);
    image.fill(QColor(100, 100, 100));
    for (int y = 10; y < 60; ++y)
        for (int x = 10; x < 90; ++x)
            image.setPixelColor(x, y, QColor(200, 200, 200));
    const QString single = dir.filePath(QStringLiteral("one.png"));
    ASSERT_TRUE(image.save(single));
    editor->importMask(single);
    ASSERT_TRUE(test::waitFor([&] { return imported.count() == 1; }, 30000));
    EXPECT_TRUE(imported.at(0).at(0).toBool());
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 8 }));
    EXPECT_EQ(valueAt(key(8), 20, 20), 255);
    EXPECT_EQ(valueAt(key(8), 200, 200), 0);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Import mask"));

    // A 3-frame sequence at half size: frames 6, 7, 8 of the source, resized with a message.
    QDir(dir.path()).mkdir(QStringLiteral("seq"));
    for (int i = 0; i < 3; ++i) {
        QImage frame(kWidth / 2, kHeight / 2, QImage::Format_Grayscale8);
        frame.fill(0);
        for (int x = 0; x < 10 * (i + 1); ++x)
            frame.scanLine(5)[x] = 255;
        ASSERT_TRUE(frame.save(dir.filePath(QStringLiteral("seq/m%1.png").arg(i, 2, 10, QLatin1Char('0')))));
    }
    editor->importMask(dir.filePath(QStringLiteral("seq/m%02d.png")));
    ASSERT_TRUE(test::waitFor([&] { return imported.count() == 2; }, 30000));
    EXPECT_TRUE(imported.at(1).at(0).toBool());
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 6, 7, 8 }));
    for (int i = 0; i < 3; ++i) {
        const QImage mask = key(6 + i);
        EXPECT_EQ(mask.size(), QSize(kWidth, kHeight));
        EXPECT_EQ(valueAt(mask, 20 * (i + 1) - 1, 10), 255) << i;
        EXPECT_EQ(valueAt(mask, 20 * (i + 1) + 1, 10), 0) << i;
    }
    EXPECT_TRUE(panel->maskToolsBar()->statusText().contains(QStringLiteral("resized (nearest)")))
        << panel->maskToolsBar()->statusText().toStdString();
    EXPECT_EQ(stack.count(), 2) << "the whole sequence is one undo step";
    stack.undo();
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 8 }));
    EXPECT_EQ(valueAt(key(8), 20, 20), 255);

    // A folder of numbered images does the same.
    editor->importMask(dir.filePath(QStringLiteral("seq")));
    ASSERT_TRUE(test::waitFor([&] { return imported.count() == 3; }, 30000));
    EXPECT_TRUE(imported.at(2).at(0).toBool());
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 6, 7, 8 }));

    // Something that is no mask: a message, nothing changed.
    const QString bad = dir.filePath(QStringLiteral("bad.mp4"));
    QFile file(bad);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("not a video");
    file.close();
    editor->importMask(bad);
    ASSERT_TRUE(test::waitFor([&] { return imported.count() == 4; }, 30000));
    EXPECT_FALSE(imported.at(3).at(0).toBool());
    EXPECT_TRUE(panel->maskToolsBar()->statusText().contains(QStringLiteral("bad.mp4")));
    EXPECT_EQ(stack.count(), 2);
}

TEST_F(MaskPainterTest, ExportWritesTheClipsMasksAsPngs)
{
    goToSourceFrame(2);
    dab({ 320, 180 });
    goToSourceFrame(8);
    editor->setBrushSize(80);
    dab({ 320, 180 });
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QSignalSpy exported(editor, &MaskEditor::exportFinished);
    editor->exportMasks(dir.path());
    EXPECT_TRUE(editor->isBusy());
    ASSERT_TRUE(test::waitFor([&] { return exported.count() == 1; }, 30000));
    EXPECT_TRUE(exported.at(0).at(0).toBool());
    EXPECT_FALSE(editor->isBusy());

    const QString pattern = QDir(dir.path()).filePath(QString::fromLatin1(MaskEditor::kExportPattern));
    EXPECT_EQ(core::existingSequenceFiles(pattern).size(), 20) << "the clip's 20 source frames";
    const core::MaskTrack track = project->masks(street.id);
    for (int i = 0; i < 20; ++i) {
        QImage written(core::sequenceFramePath(pattern, i));
        ASSERT_FALSE(written.isNull()) << i;
        EXPECT_EQ(written.convertToFormat(QImage::Format_Grayscale8), track.maskAt(i)) << i;
    }
}

TEST_F(MaskPainterTest, ACancelledExportLeavesNothingBehind)
{
    dab({ 320, 180 });
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QSignalSpy exported(editor, &MaskEditor::exportFinished);
    QSignalSpy progress(editor, &MaskEditor::progressChanged);
    editor->exportMasks(dir.path());
    ASSERT_GE(progress.count(), 1);
    EXPECT_EQ(progress.first().at(1).toLongLong(), 20);
    EXPECT_FALSE(panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("importMaskAction"))->isEnabled());
    panel->maskToolsBar()->findChild<QToolButton*>(QStringLiteral("maskCancelButton"))->click();
    ASSERT_TRUE(test::waitFor([&] { return exported.count() == 1; }, 30000));
    EXPECT_FALSE(exported.at(0).at(0).toBool());
    EXPECT_TRUE(QDir(dir.path()).isEmpty());
    EXPECT_EQ(
        panel->maskToolsBar()->statusText(), QStringLiteral("Export cancelled: no masks were left behind."));
    EXPECT_TRUE(panel->maskToolsBar()->findChild<QAction*>(QStringLiteral("importMaskAction"))->isEnabled());
}

TEST_F(MaskPainterTest, MasksSurviveSavingAndReopening)
{
    goToSourceFrame(1);
    editor->setHardness(0.3);
    stroke({ { 100, 100 }, { 200, 150 }, { 300, 100 } });
    goToSourceFrame(9);
    editor->invert();
    const core::MaskTrack before = project->masks(street.id);
    ASSERT_EQ(before.keys().size(), 2u);

    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("masks.kinora"));
    project->save(path);
    const auto reopened = core::Project::open(path);
    const core::MaskTrack after = reopened->masks(street.id);
    ASSERT_EQ(after.keys().size(), 2u);
    for (const auto& [frame, mask] : before.keys())
        EXPECT_EQ(after.keys().at(frame), mask) << frame;

    // The painter keeps working on the saved project (its media folder moved).
    goToSourceFrame(4);
    dab({ 20, 20 });
    EXPECT_EQ(project->maskKeyFrames(street.id), std::vector<int64_t>({ 1, 4, 9 }));
    project->waitForMaskWrites(); // written into `dir` before it goes
}

TEST_F(MaskPainterTest, ACommandForAClosedProjectDoesNothing)
{
    dab({ 100, 100 });
    editor->fill();
    ASSERT_EQ(stack.count(), 2);
    project.reset();
    stack.undo();
    stack.undo();
    stack.redo();
    EXPECT_TRUE(panel->currentPicture().isNull());
    EXPECT_FALSE(editor->canPaint());
}

} // namespace
