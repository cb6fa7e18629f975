// Jobs on a timeline clip (clip_jobs.h): what each ticket asks for, that it works on the clip's own
// range of its source under the clip's masks, what the worker writes first, and where the take goes.

#include "kinora/core/clip_jobs.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/take_jobs.h"
#include "kinora/core/video_writer.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QTemporaryDir>

using namespace kinora::core;

namespace {

// Frame t: a horizontal gradient shifted by 4 px a frame, with a band whose shade is the frame index.
QImage frameOf(int t)
{
    QImage image(96, 64, QImage::Format_RGB888);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 96; ++x)
            image.setPixelColor(x, y, QColor((x * 2 + 4 * t) % 256, y * 3, y < 8 ? 20 * t : 90));
    return image;
}

QImage boxMask(QRect box)
{
    QImage mask(96, 64, QImage::Format_Grayscale8);
    mask.fill(0);
    QPainter(&mask).fillRect(box, Qt::white);
    return mask;
}

struct ClipJobsTest : ::testing::Test {
    QTemporaryDir dir;
    QTemporaryDir data;
    std::unique_ptr<Project> project;
    QString clipId;

    void SetUp() override
    {
        qputenv("KINORA_DATA_DIR", QFile::encodeName(data.path()));
        EncodeSettings settings;
        settings.codec = VideoCodec::Ffv1;
        settings.meta.fps = { 25, 1 };
        const QString video = dir.filePath(QStringLiteral("pan.mkv"));
        auto writer = VideoWriter::create(video, { 96, 64 }, QImage::Format_RGB888, settings);
        for (int t = 0; t < 12; ++t)
            writer->write(frameOf(t));
        writer->finish();
        project = std::make_unique<Project>();
        MediaRecord media;
        media.id = project->newMediaId();
        media.name = QStringLiteral("pan");
        media.path = video;
        media.frames = 12;
        media.width = 96;
        media.height = 64;
        media.fps = { 25, 1 };
        project->addMedia(media);
        Timeline timeline;
        timeline.setRate({ 25, 1 });
        TimelineClip clip;
        clip.source = TimelineClip::Source::Media;
        clip.sourceId = media.id;
        clip.sourceFrames = 12;
        clip.length = 12;
        clipId = timeline.add(clip);
        timeline.trimStart(clipId, 3); // the clip shows source frames 3..8 at timeline frames 3..8
        timeline.trimEnd(clipId, 9);
        project->setTimeline(timeline);
    }
    void TearDown() override { qunsetenv("KINORA_DATA_DIR"); }
    QString mediaId() const { return project->media().front().id; }
};

} // namespace

TEST_F(ClipJobsTest, InpaintingNeedsAMaskAndRunsOnTheClipsRangeKeepingWhatIsOutsideIt)
{
    ClipJobSpec spec;
    spec.kind = ClipJobKind::Inpaint;
    spec.clipId = clipId;
    spec.method = QStringLiteral("flow");
    try {
        clipJobTicket(*project, spec, {});
        FAIL() << "a clip without a mask was queued";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("mask"), std::string::npos) << e.what();
    }

    const QRect box(30, 20, 16, 16);
    project->setMaskKey(mediaId(), 3, boxMask(box));
    const JobTicket ticket = clipJobTicket(*project, spec, {});
    EXPECT_EQ(ticket.diffusion.inputStart, 3);
    EXPECT_EQ(ticket.diffusion.inputFrames, 6);
    ASSERT_TRUE(ticket.clip.masks);
    EXPECT_EQ(ticket.clip.masks->first, 3);
    EXPECT_EQ(ticket.clip.masks->count, 6);
    EXPECT_EQ(ticket.clip.placement.start, 3);
    EXPECT_EQ(ticket.clip.placement.aboveTrack, 0);
    EXPECT_FALSE(QFileInfo::exists(sequenceFramePath(ticket.clip.masks->pattern, 0)))
        << "written when queued";

    ASSERT_TRUE(prepareClipJob(ticket.clip));
    EXPECT_EQ(existingSequenceFiles(ticket.clip.masks->pattern).size(), 6);
    JobOutcome outcome;
    outcome.diffusion = runDiffusionJob(ticket.diffusion);
    EXPECT_EQ(outcome.diffusion.frames, 6);
    const auto made = readImageSequence(QString::fromStdString(ticket.diffusion.output));
    ASSERT_EQ(made.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        const QImage source = frameOf(3 + i);
        for (const QPoint p : { QPoint(2, 2), QPoint(90, 60), QPoint(box.left() - 3, box.top()) })
            EXPECT_EQ(made[static_cast<size_t>(i)].pixelColor(p), source.pixelColor(p)) << "frame " << i;
    }

    const TakeRecord take = takeFromOutcome(*project, ticket, outcome);
    EXPECT_TRUE(take.name.contains(QStringLiteral("inpainted"))) << take.name.toStdString();
    const TimelineClip placed = placeTake(project->timeline(), take, ticket.clip.placement);
    EXPECT_EQ(placed.track, 1);
    EXPECT_EQ(placed.start, 3);
    EXPECT_EQ(placed.length, 6);
}

TEST_F(ClipJobsTest, TakesGoOnTheFirstFreeTrackAboveAndLineUpInTime)
{
    TakeRecord take;
    take.id = QStringLiteral("take-x");
    take.frames = 11; // a 2x interpolation of the clip's 6 frames
    take.fps = 50;
    Timeline timeline = project->timeline();
    TimelineClip blocker;
    blocker.sourceId = QStringLiteral("other");
    blocker.sourceFrames = 100;
    blocker.start = 7; // over the take's range on track 1 only
    blocker.length = 10;
    blocker.track = 1;
    timeline.add(blocker);
    TimelineClip placed = placeTake(timeline, take, { true, 3, 0 });
    EXPECT_EQ(placed.track, 2);
    EXPECT_EQ(placed.length, 6) << "11 frames at 50 fps last as long as 6 at 25";
    EXPECT_EQ(placed.sourceFrameAt(8), 10);
    blocker.track = 2;
    timeline.add(blocker);
    placed = placeTake(timeline, take, { true, 3, 0 });
    EXPECT_EQ(placed.track, timeline.trackCount()) << "a new track on top, nothing overwritten";
}

TEST_F(ClipJobsTest, ImageToVideoStartsFromTheFrameUnderThePlayhead)
{
    ClipJobSpec spec;
    spec.kind = ClipJobKind::ImageToVideo;
    spec.playhead = 20;
    EXPECT_THROW(clipJobTicket(*project, spec, {}), std::runtime_error);
    spec.playhead = 5;
    const JobTicket ticket = clipJobTicket(*project, spec, {});
    ASSERT_TRUE(ticket.clip.firstFrame);
    EXPECT_EQ(ticket.clip.firstFrame->frame, 5);
    EXPECT_EQ(ticket.diffusion.task, DiffusionTask::Generate);
    EXPECT_EQ(ticket.diffusion.image, ticket.clip.firstFrame->output.toStdString());
    EXPECT_EQ(ticket.clip.placement.start, 5);
    ASSERT_TRUE(prepareClipJob(ticket.clip));
    const QImage grabbed = readImage(ticket.clip.firstFrame->output);
    EXPECT_EQ(grabbed.pixelColor(10, 3), frameOf(5).pixelColor(10, 3));
    discardClipJobPrep(ticket.clip);
    EXPECT_FALSE(QFileInfo::exists(ticket.clip.firstFrame->output));
}

TEST_F(ClipJobsTest, InterpolationAndExtensionAskForWhatTheDialogSaid)
{
    ClipJobSpec spec;
    spec.clipId = clipId;
    spec.kind = ClipJobKind::Interpolate;
    EXPECT_THROW(clipJobTicket(*project, spec, {}), std::runtime_error) << "no factor, no rate";
    spec.targetFps = { 60, 1 };
    JobTicket ticket = clipJobTicket(*project, spec, {});
    EXPECT_EQ(ticket.diffusion.task, DiffusionTask::Interpolate);
    EXPECT_EQ(ticket.diffusion.factor, 0);
    EXPECT_DOUBLE_EQ(ticket.diffusion.fps, 60);
    EXPECT_EQ(ticket.diffusion.inputFps, 0) << "a video file has its own rate";
    spec.kind = ClipJobKind::Extend;
    spec.extendFrames = 8;
    spec.prompt = QStringLiteral(" it goes on ");
    ticket = clipJobTicket(*project, spec, {});
    EXPECT_EQ(ticket.diffusion.task, DiffusionTask::Extend);
    EXPECT_EQ(ticket.diffusion.frames, 8);
    EXPECT_EQ(ticket.diffusion.prompt, "it goes on");
    EXPECT_EQ(ticket.diffusion.method, "diffusion");
    EXPECT_FALSE(ticket.clip.needed());
}

TEST_F(ClipJobsTest, ACancelledPrepLeavesNoMaskBehind)
{
    project->setMaskKey(mediaId(), 3, boxMask({ 10, 10, 20, 20 }));
    ClipJobSpec spec;
    spec.kind = ClipJobKind::Inpaint;
    spec.clipId = clipId;
    const JobTicket ticket = clipJobTicket(*project, spec, {});
    int polls = 0;
    JobCallbacks callbacks;
    callbacks.isCancelled = [&polls] { return ++polls > 2; };
    EXPECT_FALSE(prepareClipJob(ticket.clip, callbacks));
    EXPECT_TRUE(existingSequenceFiles(ticket.clip.masks->pattern).isEmpty());
}
