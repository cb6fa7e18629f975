// The editing flows of the window, driven as a user drives them, on real footage (../shared/data)
// and the real jobs: drop a clip on the window, drag it onto the timeline, trim, undo and redo;
// inpaint the masked clip and raise its frame rate from the Clip menu (their takes land above it,
// aligned); export in to out with its sound; save and reopen.

#include "gui_test_support.h"
#include "shared_data.h"
#include "window_fixture.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/job_queue.h"
#include "kinora/core/media.h"
#include "kinora/core/project.h"
#include "kinora/core/video_reader.h"
#include "kinora/ui/clip_job_dialog.h"
#include "kinora/ui/export_dialog.h"
#include "kinora/ui/main_window.h"
#include "kinora/ui/media_importer.h"
#include "kinora/ui/source_mime.h"
#include "kinora/ui/takes_panel.h"
#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/timeline_panel.h"
#include "kinora/ui/transport.h"
#include "kinora/ui/viewer_panel.h"
#include "mask_editor.h"
#include "timeline_view.h"
#include "viewer_canvas.h"

#include "kinora/core/mask_keyframes.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDropEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QPainter>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>

#include <gtest/gtest.h>

using namespace kinora;
using ui::MainWindow;

namespace {

// What ffprobe says of a stream of `file`: `entry` of its first video ("v") or audio ("a") stream.
QString ffprobe(const QString& file, const char* stream, const char* entry, bool countFrames = false)
{
    QProcess p;
    QStringList args { "-v", "error", "-select_streams", QStringLiteral("%1:0").arg(QLatin1String(stream)),
        "-show_entries", QStringLiteral("stream=%1").arg(QLatin1String(entry)), "-of", "csv=p=0" };
    if (countFrames)
        args.prepend(QStringLiteral("-count_frames"));
    p.start(QStringLiteral("ffprobe"), args << file);
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Answers the next modal dialog: `fill` sets it up, then its OK button is clicked.
void answerNextDialog(const std::function<void(QDialog*)>& fill)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, fill] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer->stop();
        timer->deleteLater();
        fill(dialog);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    });
    timer->start();
}

class EditFlow : public test::WindowFixture {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        openWindow();
    }

    core::Project* project() const { return m_window->project(); }
    ui::TimelineView* timelineView() const { return m_window->timelinePanel()->view(); }

    // Drops `file` on the viewer, as a file manager would (the window takes drops anywhere).
    void sendDrop(const QString& file)
    {
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(file) });
        QWidget* target = m_window->viewerPanel();
        const QPoint at = target->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        EXPECT_TRUE(enter.isAccepted()) << "the window refused the drop";
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
    }

    // Drops `file` and waits for the import; returns the new media item's id.
    QString dropFile(const QString& file)
    {
        const size_t before = project()->media().size();
        sendDrop(file);
        EXPECT_TRUE(test::waitFor([&] { return project()->media().size() > before; }, 60000));
        return project()->media().empty() ? QString() : project()->media().back().id;
    }

    // Drags a bin item onto the timeline at frame `frame` of track `track`; returns the clip's id.
    QString dropOnTimeline(const QString& sourceId, int64_t frame, int track)
    {
        auto* view = timelineView();
        std::unique_ptr<QMimeData> mime(ui::sourceMimeData({ false, sourceId }));
        const auto layout = view->layout();
        const QPointF at(
            layout.xForFrame(static_cast<double>(frame) + 0.5), layout.trackRect(track).center().y());
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view, &enter);
        QDragMoveEvent move(at.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view, &move);
        QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view, &drop);
        EXPECT_TRUE(drop.isAccepted());
        const auto* clip = project()->timeline().clipAt(track, frame);
        return clip ? clip->id : QString();
    }

    // The makeup clip (320x240, 25 fps, MP3 sound) on the timeline, trimmed to source frames
    // [in, in + frames) at timeline frame 0; returns the clip's id.
    QString placeTrimmed(const QString& mediaId, int64_t in, int64_t frames)
    {
        const QString clipId = dropOnTimeline(mediaId, 0, 0);
        auto* undo = m_window->undoStack();
        auto* panel = m_window->timelinePanel();
        using Edge = ui::TimelineCommand::Edge;
        // Each edit is a command only when it changes something.
        const auto push = [undo](std::unique_ptr<ui::TimelineCommand> command) {
            if (command)
                undo->push(command.release());
        };
        push(ui::TimelineCommand::trim(project(), project()->timeline(), clipId, Edge::End, in + frames));
        push(ui::TimelineCommand::trim(project(), project()->timeline(), clipId, Edge::Start, in));
        push(ui::TimelineCommand::move(project(), project()->timeline(), clipId, 0, 0));
        panel->setSelectedClip(clipId);
        return clipId;
    }

    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QLatin1String(name)); }

    // Paints a stroke through `points` (source pixels) on the viewer, as the mouse does.
    void stroke(const std::vector<QPointF>& points)
    {
        auto* canvas = m_window->viewerPanel()->canvas();
        const auto send = [canvas](QEvent::Type type, QPointF framePos, Qt::MouseButtons buttons) {
            const QPointF pos = canvas->toWidget(framePos);
            QMouseEvent event(type, pos, canvas->mapToGlobal(pos),
                type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, Qt::NoModifier);
            QApplication::sendEvent(canvas, &event);
        };
        send(QEvent::MouseButtonPress, points.front(), Qt::LeftButton);
        for (size_t i = 1; i < points.size(); ++i)
            send(QEvent::MouseMove, points[i], Qt::LeftButton);
        send(QEvent::MouseButtonRelease, points.back(), Qt::NoButton);
    }

    // Mask mode on the selected clip with the playhead on timeline frame `frame`.
    void paintAt(int64_t frame)
    {
        if (!action("actionMaskMode")->isChecked())
            action("actionMaskMode")->trigger();
        m_window->transport()->setPlayhead(frame);
        auto* editor = m_window->viewerPanel()->maskEditor();
        ASSERT_TRUE(test::waitFor([editor, frame, this] {
            return editor->target().has_value() && m_window->viewerPanel()->canvas()->frameRect().isValid();
        }));
    }
};

} // namespace

TEST_F(EditFlow, ADroppedClipIsInTheBinWithFfprobesFrameCount)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString file = QString::fromStdString(clip.string());
    const QString id = dropFile(file);
    const auto* media = project()->mediaItem(id);
    ASSERT_NE(media, nullptr);
    EXPECT_EQ(media->frames, ffprobe(file, "v", "nb_read_frames", true).toLongLong());
    EXPECT_EQ(media->fps, core::Rational::parse(ffprobe(file, "v", "r_frame_rate")));
    EXPECT_EQ(media->width, 320);
    EXPECT_TRUE(media->audio);
    EXPECT_EQ(m_window->takesPanel()->selectedSourceId(), id) << "the new item is selected in the bin";
    // A file FFmpeg cannot read adds nothing.
    QTemporaryDir dir;
    QFile junk(dir.filePath(QStringLiteral("broken.mp4")));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(4096, '\x5a'));
    junk.close();
    QSignalSpy failed(m_window->importer(), &ui::MediaImporter::failed);

    sendDrop(junk.fileName());
    ASSERT_TRUE(test::waitFor([&] { return failed.size() == 1; }));
    EXPECT_EQ(project()->media().size(), 1u);
}

TEST_F(EditFlow, DraggedOntoTheTimelineTrimmedUndoneAndRedone)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    const int64_t frames = project()->mediaItem(id)->frames;
    const QString clipId = dropOnTimeline(id, 0, 0);
    ASSERT_FALSE(clipId.isEmpty());
    const core::Timeline placed = project()->timeline();
    EXPECT_EQ(placed.clip(clipId)->length, frames);
    EXPECT_TRUE(placed.clip(clipId)->hasAudio);
    EXPECT_EQ(placed.rate(), (core::Rational { 25, 1 })) << "the first clip sets the timeline's rate";

    // Drag the clip's end 60 px to the left: one trim, one undo step.
    auto* view = timelineView();
    view->zoomToFit();
    const QRectF rect = view->clipRect(clipId);
    const QPoint from(static_cast<int>(rect.right()) - 2, static_cast<int>(rect.center().y()));
    const int steps = m_window->undoStack()->count();
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, from);
    for (int dx = 10; dx <= 60; dx += 10)
        QTest::mouseMove(view, from - QPoint(dx, 0));
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, from - QPoint(60, 0));
    const int64_t trimmed = project()->timeline().clip(clipId)->length;
    EXPECT_LT(trimmed, frames);
    EXPECT_EQ(m_window->undoStack()->count(), steps + 1);
    m_window->undoStack()->undo();
    EXPECT_EQ(project()->timeline(), placed);
    m_window->undoStack()->redo();
    EXPECT_EQ(project()->timeline().clip(clipId)->length, trimmed);
}

TEST_F(EditFlow, InpaintingTheMaskedClipPutsATakeAboveItThatKeepsEveryPixelOutsideTheMask)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString file = QString::fromStdString(clip.string());
    const QString id = dropFile(file);
    const QString clipId = placeTrimmed(id, 40, 12);
    QImage mask(320, 240, QImage::Format_Grayscale8);
    mask.fill(0);
    QPainter(&mask).fillRect(QRect(120, 80, 60, 50), Qt::white);
    project()->setMaskKey(id, 40, mask);

    answerNextDialog([](QDialog* dialog) {
        auto* method = dialog->findChild<QComboBox*>(QStringLiteral("clipJobMethod"));
        method->setCurrentIndex(method->findData(QStringLiteral("flow")));
    });
    action("actionInpaintClip")->trigger();
    ASSERT_EQ(m_window->jobQueue()->rowCount(), 1);
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(project()->takes().size(), 1u);
    const core::TakeRecord take = project()->takes().front();
    EXPECT_EQ(take.frames, 12);

    // Above the clip, aligned with it, as one undo step of its own.
    const core::TimelineClip* source = project()->timeline().clip(clipId);
    const core::TimelineClip* placed = nullptr;
    for (const auto& c : project()->timeline().clips())
        if (c.sourceId == take.id)
            placed = &c;
    ASSERT_NE(placed, nullptr);
    EXPECT_EQ(placed->track, source->track + 1);
    EXPECT_EQ(placed->start, source->start);
    EXPECT_EQ(placed->length, source->length);

    auto reader = core::VideoReader::open(file, { QImage::Format_RGB888, true, {} });
    const QString pattern = project()->absoluteFramesPattern(take);
    for (int i = 0; i < 12; ++i) {
        const QImage made = core::readImage(core::sequenceFramePath(pattern, i));
        const QImage original = reader->frameAt(40 + i);
        int changedOutside = 0, changedInside = 0;
        for (int y = 0; y < 240; ++y)
            for (int x = 0; x < 320; ++x) {
                const bool differs = made.pixel(x, y) != original.pixel(x, y);
                (qGray(mask.pixel(x, y)) >= 128 ? changedInside : changedOutside) += differs;
            }
        EXPECT_EQ(changedOutside, 0) << "frame " << i;
        EXPECT_GT(changedInside, 0) << "frame " << i;
    }
}

TEST_F(EditFlow, RaisingTheFrameRateTwiceMakesKTimesNMinusOnePlusOneFramesAlignedAboveTheClip)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    const QString clipId = placeTrimmed(id, 10, 10);
    answerNextDialog([](QDialog* dialog) {
        dialog->findChild<QSpinBox*>(QStringLiteral("clipJobFactor"))->setValue(2);
        auto* method = dialog->findChild<QComboBox*>(QStringLiteral("clipJobMethod"));
        method->setCurrentIndex(method->findData(QStringLiteral("flow")));
    });
    action("actionInterpolateClip")->trigger();
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(project()->takes().size(), 1u);
    const core::TakeRecord& take = project()->takes().front();
    EXPECT_EQ(take.frames, 2 * (10 - 1) + 1);
    EXPECT_DOUBLE_EQ(take.fps, 50);
    const core::TimelineClip* placed = nullptr;
    for (const auto& c : project()->timeline().clips())
        if (c.sourceId == take.id)
            placed = &c;
    ASSERT_NE(placed, nullptr);
    EXPECT_EQ(placed->start, 0);
    EXPECT_EQ(placed->length, 10) << "19 frames at 50 fps last as long as the 10 at 25";
    EXPECT_EQ(project()->timeline().shownAt(9).clip, placed) << "the new take is what the cut shows";
    (void)clipId;
}

TEST_F(EditFlow, ExportingInToOutWritesThoseFramesAtTheRateWithTheirSound)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    dropOnTimeline(id, 0, 0);
    m_window->transport()->setInPoint(5);
    m_window->transport()->setOutPoint(54);
    QTemporaryDir dir;
    const QString output = dir.filePath(QStringLiteral("cut.mp4"));
    answerNextDialog([&](QDialog* dialog) {
        auto* export_ = qobject_cast<ui::ExportDialog*>(dialog);
        ASSERT_NE(export_, nullptr);
        EXPECT_EQ(export_->range(), ui::ExportDialog::Range::InToOut);
        dialog->findChild<QLineEdit*>(QStringLiteral("outputEdit"))->setText(output);
    });
    action("actionExportCut")->trigger();
    ASSERT_TRUE(waitIdle());
    ASSERT_TRUE(QFileInfo::exists(output));
    EXPECT_EQ(ffprobe(output, "v", "nb_read_frames", true).toInt(), 50);
    EXPECT_EQ(ffprobe(output, "v", "r_frame_rate"), QStringLiteral("25/1"));
    const double audio = ffprobe(output, "a", "duration").toDouble();
    EXPECT_NEAR(audio, 2.0, 0.06) << "the sound of the 50 frames, 2 s at 25 fps";
}

TEST_F(EditFlow, SavingAndReopeningGivesTheSameTimelineAndMasks)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    placeTrimmed(id, 20, 30);
    dropOnTimeline(id, 40, 1);
    QImage key(320, 240, QImage::Format_Grayscale8);
    key.fill(0);
    QPainter(&key).fillRect(QRect(10, 10, 50, 40), Qt::white);
    project()->setMaskKey(id, 20, key);
    key.fill(255);
    project()->setMaskKey(id, 30, key);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("edit.kinora"));
    project()->save(file);
    const auto reopened = core::Project::open(file);
    EXPECT_EQ(reopened->timeline(), project()->timeline());
    const core::MaskTrack masks = reopened->masks(id);
    const core::MaskTrack mine = project()->masks(id);
    ASSERT_EQ(masks.keys().size(), 2u);
    for (const auto& [frame, image] : mine.keys())
        EXPECT_EQ(masks.keys().at(frame), image) << "key " << frame;
    EXPECT_EQ(reopened->masks(id).maskAt(25), project()->masks(id).maskAt(25));
}

TEST_F(EditFlow, AStrokeIsOneUndoStepAndUndoingItLeavesTheMaskEmpty)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    placeTrimmed(id, 30, 20);
    paintAt(4); // source frame 34
    const int steps = m_window->undoStack()->count();
    stroke({ { 100, 100 }, { 150, 100 }, { 200, 100 } });
    EXPECT_EQ(m_window->undoStack()->count(), steps + 1);
    const core::MaskTrack painted = project()->masks(id);
    ASSERT_TRUE(painted.isKey(34));
    EXPECT_EQ(qGray(painted.keys().at(34).pixel(150, 100)), 255);
    EXPECT_EQ(qGray(painted.keys().at(34).pixel(150, 200)), 0);
    m_window->undoStack()->undo();
    EXPECT_TRUE(project()->masks(id).isEmpty());
    EXPECT_TRUE(project()->maskKeyFrames(id).empty());
}

TEST_F(EditFlow, KeyframesOnFramesZeroAndTenGiveFrameFiveTheDocumentedInterpolation)
{
    KINORA_SHARED_DATA_FILE(clip, "clips/makeup_mpeg4_mp3.avi");
    const QString id = dropFile(QString::fromStdString(clip.string()));
    placeTrimmed(id, 0, 20);
    auto* editor = m_window->viewerPanel()->maskEditor();
    paintAt(0);
    editor->setHardness(1);
    editor->setBrushSize(20); // a disc of radius 10 ...
    stroke({ { 160, 120 } });
    paintAt(10);
    editor->setBrushSize(60); // ... and one of radius 30 around the same centre
    stroke({ { 160, 120 } });
    const core::MaskTrack track = project()->masks(id);
    ASSERT_EQ(project()->maskKeyFrames(id), (std::vector<int64_t> { 0, 10 }));
    paintAt(5);
    // Interpolated on the thread pool: the viewer shows the last mask until it is back.
    const QImage rule = core::interpolateMasks(track.keys().at(0), track.keys().at(10), 0.5);
    EXPECT_TRUE(test::waitFor([&] { return editor->isMaskReady() && editor->mask() == rule; }, 20000))
        << "the viewer shows the signed-distance in-between";
    const QImage shown = editor->mask();
    EXPECT_FALSE(track.isKey(5)) << "looking is not painting";
    // The rule's disc of radius 20: in at 18 px from the centre, out at 22.
    EXPECT_EQ(qGray(shown.pixel(160 + 18, 120)), 255);
    EXPECT_EQ(qGray(shown.pixel(160 + 22, 120)), 0);
}
