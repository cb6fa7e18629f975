// MediaFrames on real files: clips written by ffmpeg, a take's PNGs, a still, the shared 720p
// footage. Frames are compared with what VideoReader decodes on its own.

#include "gui_test_support.h"
#include "media_test_clips.h"
#include "shared_data.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/core/video_reader.h"
#include "kinora/ui/media_frames.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;

namespace {

QImage exactFrame(const QString& path, int64_t index)
{
    core::VideoReaderOptions options;
    options.applyRotation = true;
    return core::VideoReader::open(path, options)->frameAt(index).convertToFormat(QImage::Format_RGB32);
}

class MediaFramesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        frames.setProject(project.get());
    }

    // Waits for frameReady(id, frame) and returns the frame then cached.
    QImage waitForFrame(const QString& id, int64_t frame, QSize maxSize = {})
    {
        QImage image;
        test::waitFor([&] { return !(image = frames.frame(id, frame, maxSize)).isNull(); }, 30000);
        return image;
    }

    QTemporaryDir dir;
    std::unique_ptr<core::Project> project;
    ui::MediaFrames frames;
};

} // namespace

TEST_F(MediaFramesTest, FrameIsScheduledThenReadyAndExact)
{
    const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 48, QSize(320, 240)));
    const QString id = test::addProbedMedia(*project, clip);

    const auto info = frames.info(id);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->frames, 48);
    EXPECT_EQ(info->size, QSize(320, 240));
    EXPECT_EQ(info->path, clip);

    QSignalSpy ready(&frames, &ui::FrameSource::frameReady);
    EXPECT_TRUE(frames.frame(id, 30).isNull()); // not decoded yet: scheduled
    ASSERT_TRUE(test::waitFor([&] { return ready.count() > 0; }, 30000));
    EXPECT_EQ(ready.at(0).at(0).toString(), id);
    EXPECT_EQ(ready.at(0).at(1).toLongLong(), 30);
    const QImage image = frames.frame(id, 30);
    ASSERT_FALSE(image.isNull()); // now from the cache, at once
    EXPECT_EQ(image.format(), QImage::Format_RGB32);
    EXPECT_EQ(image, exactFrame(clip, 30)); // the exact frame, not the keyframe before it (24)
    EXPECT_NE(image, exactFrame(clip, 24));

    // Past the end, or an unknown id: nothing, and nothing scheduled.
    EXPECT_TRUE(frames.frame(id, 48).isNull());
    EXPECT_TRUE(frames.frame(QStringLiteral("media-9999"), 0).isNull());
    EXPECT_FALSE(frames.info(QStringLiteral("media-9999")).has_value());
    EXPECT_EQ(frames.pendingRequests(), 0);
}

TEST_F(MediaFramesTest, ScalesToFitAndThumbnailsComeFromTheirOwnLane)
{
    const QString clip = dir.filePath(QStringLiteral("wide.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 24, QSize(640, 360)));
    const QString id = test::addProbedMedia(*project, clip);

    const QImage picture = waitForFrame(id, 5, QSize(400, 400));
    EXPECT_EQ(picture.size(), QSize(400, 225)); // aspect kept
    const QImage thumbnail = waitForFrame(id, 0, QSize(128, 128));
    EXPECT_EQ(thumbnail.size(), QSize(128, 72));
    EXPECT_EQ(thumbnail.format(), QImage::Format_RGB32);
    EXPECT_GT(frames.thumbnailCacheBytes(), 0);
    // A box larger than the frame gives the frame at its own size, never enlarged.
    EXPECT_EQ(waitForFrame(id, 5, QSize(2000, 2000)).size(), QSize(640, 360));
    EXPECT_EQ(frames.frameNow(id, 5, QSize(64, 64)).size(), QSize(64, 36));
}

TEST_F(MediaFramesTest, TakesAndStillsDecodeFromTheirImages)
{
    core::TakeRecord take;
    take.id = project->newTakeId();
    take.name = QStringLiteral("Take");
    const QString pattern = project->takeFramesPattern(take.id);
    take.framesPattern = QDir(project->mediaDir()).relativeFilePath(pattern);
    take.frames = 4;
    take.width = take.height = 16;
    take.fps = 8;
    std::vector<QImage> images;
    for (int i = 0; i < 4; ++i) {
        QImage image(16, 16, QImage::Format_RGB888);
        image.fill(QColor(40 * i, 100, 200));
        images.push_back(image);
    }
    ASSERT_TRUE(core::writeImageSequence(pattern, images, false));
    project->addTake(take);
    EXPECT_EQ(waitForFrame(take.id, 2).pixelColor(8, 8), QColor(80, 100, 200));
    EXPECT_EQ(frames.frameNow(take.id, 3).pixelColor(0, 0), QColor(120, 100, 200));

    QImage still(30, 20, QImage::Format_ARGB32);
    still.fill(QColor(255, 0, 0, 128));
    const QString stillPath = dir.filePath(QStringLiteral("still.png"));
    ASSERT_TRUE(still.save(stillPath));
    core::MediaRecord record;
    record.id = project->newMediaId();
    record.name = QStringLiteral("still.png");
    record.path = stillPath;
    record.frames = 1;
    record.width = 30;
    record.height = 20;
    record.still = true;
    project->addMedia(record);
    // A still shows the same picture at every frame of its clip.
    const QImage shown = waitForFrame(record.id, 57);
    EXPECT_EQ(shown.format(), QImage::Format_ARGB32_Premultiplied);
    EXPECT_EQ(shown.size(), QSize(30, 20));
    EXPECT_EQ(shown.pixelColor(3, 3).red(), 255);
    EXPECT_EQ(shown.pixelColor(3, 3).alpha(), 128);
}

TEST_F(MediaFramesTest, MissingFileWarnsOnceAndNeverCrashes)
{
    core::MediaRecord record;
    record.id = project->newMediaId();
    record.name = QStringLiteral("gone.mp4");
    record.path = dir.filePath(QStringLiteral("gone.mp4"));
    record.frames = 100;
    record.width = 1920;
    record.height = 1080;
    record.fps = { 25, 1 };
    record.audio = true;
    project->addMedia(record);

    const auto info = frames.info(record.id); // what the project knows still shows
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->frames, 100);
    EXPECT_EQ(info->size, QSize(1920, 1080));
    EXPECT_TRUE(info->audio);

    QSignalSpy failed(&frames, &ui::MediaFrames::sourceFailed);
    QSignalSpy ready(&frames, &ui::FrameSource::frameReady);
    EXPECT_TRUE(frames.frame(record.id, 10).isNull());
    EXPECT_TRUE(frames.frame(record.id, 11, QSize(96, 96)).isNull());
    ASSERT_TRUE(test::waitFor([&] { return frames.pendingRequests() == 0; }, 30000));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), record.id);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("gone.mp4")))
        << failed.at(0).at(1).toString().toStdString();
    for (int i = 0; i < 20; ++i)
        EXPECT_TRUE(frames.frame(record.id, i).isNull());
    EXPECT_TRUE(frames.frameNow(record.id, 3).isNull());
    QTest::qWait(50);
    EXPECT_EQ(failed.count(), 1);
    EXPECT_EQ(ready.count(), 0);
    EXPECT_EQ(frames.pendingRequests(), 0);

    // The file appears and the item is added again (undo of a removal): it decodes.
    ASSERT_TRUE(test::writeTestClip(record.path, 12, QSize(64, 48)));
    project->removeMedia(record.id);
    project->addMedia(record);
    EXPECT_FALSE(waitForFrame(record.id, 3).isNull());
}

TEST_F(MediaFramesTest, CachesStayWithinTheirBudget)
{
    const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 48, QSize(320, 240)));
    const QString id = test::addProbedMedia(*project, clip);
    const qint64 frameBytes = 320 * 240 * 4;
    frames.setCacheBudget(5 * frameBytes, 2 * 128 * 96 * 4);
    EXPECT_EQ(frames.pictureCacheBudget(), 5 * frameBytes);

    for (int i = 0; i < 48; ++i) {
        ASSERT_FALSE(frames.frameNow(id, i).isNull());
        EXPECT_LE(frames.pictureCacheBytes(), frames.pictureCacheBudget());
    }
    EXPECT_EQ(frames.pictureCacheBytes(), 5 * frameBytes);
    EXPECT_TRUE(frames.frame(id, 47).isNull() == false); // the newest stay
    EXPECT_TRUE(frames.frame(id, 0).isNull()); // the oldest went (and is asked for again)

    for (int i = 0; i < 48; i += 6) {
        waitForFrame(id, i, QSize(128, 128));
        EXPECT_LE(frames.thumbnailCacheBytes(), frames.thumbnailCacheBudget());
    }
    frames.clearCache();
    EXPECT_EQ(frames.pictureCacheBytes(), 0);
    EXPECT_EQ(frames.thumbnailCacheBytes(), 0);
}

TEST_F(MediaFramesTest, ScrubbingServesTheNewestFirstAndNeverBlocks)
{
    KINORA_SHARED_DATA_FILE(footage, "clips/01_dog.mp4");
    const QString id = test::addProbedMedia(*project, QString::fromStdString(footage.string()));
    ASSERT_EQ(frames.info(id)->size, QSize(1280, 720));

    std::vector<int64_t> arrived;
    QObject::connect(&frames, &ui::FrameSource::frameReady, &frames,
        [&](const QString&, qint64 frame) { arrived.push_back(frame); });
    // A scrub across 40 frames while nothing is decoded yet: each call returns at once.
    qint64 slowestNs = 0;
    for (int64_t frame = 100; frame < 140; ++frame) {
        QElapsedTimer timer;
        timer.start();
        EXPECT_TRUE(frames.frame(id, frame).isNull());
        slowestNs = std::max(slowestNs, timer.nsecsElapsed());
    }
    // A cold 720p frame takes far longer to open and decode than this (the reader indexes the file).
    EXPECT_LT(slowestNs, 5'000'000) << "frame() blocked for " << slowestNs / 1000 << " us";
    ASSERT_TRUE(test::waitFor([&] { return frames.pendingRequests() == 0; }, 60000));

    ASSERT_FALSE(arrived.empty());
    // The decoder may have taken one frame in hand while the rest were still coming; after that,
    // where the user is now (139) comes first and the backlog is served newest first.
    const size_t first = arrived.front() == 139 ? 0 : 1;
    ASSERT_LT(first, arrived.size());
    EXPECT_EQ(arrived[first], 139);
    for (size_t i = first + 1; i < arrived.size(); ++i)
        EXPECT_LT(arrived[i], arrived[i - 1]);
    // Stale requests past the bound were dropped, not decoded.
    EXPECT_LE(arrived.size(), static_cast<size_t>(ui::MediaFrames::kMaxWaitingPictures + 1));
    EXPECT_EQ(std::count(arrived.begin(), arrived.end(), 110), 0);
    EXPECT_EQ(frames.frame(id, 139), exactFrame(QString::fromStdString(footage.string()), 139));
}

TEST_F(MediaFramesTest, ThumbnailsDoNotWaitBehindPictures)
{
    KINORA_SHARED_DATA_FILE(footage, "clips/01_dog.mp4");
    const QString id = test::addProbedMedia(*project, QString::fromStdString(footage.string()));
    for (int64_t frame = 200; frame < 208; ++frame)
        frames.frame(id, frame);
    int picturesLeft = -1;
    QObject::connect(&frames, &ui::FrameSource::frameReady, &frames, [&](const QString&, qint64 frame) {
        if (frame == 20 && picturesLeft < 0)
            picturesLeft = frames.pendingRequests();
    });
    EXPECT_TRUE(frames.frame(id, 20, QSize(160, 90)).isNull());
    ASSERT_TRUE(test::waitFor([&] { return frames.pendingRequests() == 0; }, 60000));
    // When the thumbnail arrived, pictures asked for before it were still being decoded.
    EXPECT_GT(picturesLeft, 0);
    EXPECT_EQ(frames.frame(id, 20, QSize(160, 90)).size(), QSize(160, 90));
}

TEST_F(MediaFramesTest, ANewProjectForgetsTheOldOne)
{
    const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
    ASSERT_TRUE(test::writeTestClip(clip, 12, QSize(64, 48)));
    const QString id = test::addProbedMedia(*project, clip);
    ASSERT_FALSE(waitForFrame(id, 1).isNull());

    core::Project other;
    frames.setProject(&other);
    EXPECT_EQ(frames.project(), &other);
    EXPECT_FALSE(frames.info(id).has_value());
    EXPECT_TRUE(frames.frame(id, 1).isNull());
    EXPECT_EQ(frames.pictureCacheBytes(), 0);

    QSignalSpy changed(&frames, &ui::FrameSource::sourceChanged);
    const QString added = test::addProbedMedia(other, clip);
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.at(0).at(0).toString(), added);
    frames.setProject(nullptr);
    EXPECT_FALSE(frames.info(added).has_value());
}
