// Jobs on a range of IN (a trimmed timeline clip, without copying the footage): the flow methods
// and readClip give exactly the range's frames, MASK covers the range, carried sound and timecode
// move with it, a range outside IN fails before anything is written, and the request keeps it.

#include "footage/image_mat.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/diffusion_job.h"
#include "kinora/core/footage_jobs.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <QFileInfo>
#include <QTemporaryDir>

using namespace kinora::core;
using kinora::core::footage::toImage;
using kinora::core::footage::toMat;

namespace {

// Frame `t` of a textured scene panning right by 3 px a frame, with a frame number drawn in: every
// frame differs from its neighbours, so none is taken for a duplicate.
QImage panFrame(int t, QSize size = { 96, 64 })
{
    cv::Mat scene(size.height(), size.width() + 200, CV_8UC3);
    cv::RNG rng(7);
    rng.fill(scene, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(scene, scene, cv::Size(), 2.0);
    for (int i = 0; i < 40; ++i)
        cv::circle(scene, { rng.uniform(0, scene.cols), rng.uniform(0, scene.rows) }, rng.uniform(3, 10),
            cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)), -1, cv::LINE_AA);
    cv::Mat frame = scene(cv::Rect(3 * t, 0, size.width(), size.height())).clone();
    return toImage(frame);
}

bool samePixels(const QImage& a, const QImage& b)
{
    return cv::norm(toMat(a), toMat(b), cv::NORM_INF) == 0;
}

struct InputRangeTest : ::testing::Test {
    QTemporaryDir dir;
    QString path(const char* name) const { return dir.filePath(QString::fromLatin1(name)); }

    // A lossless 25 fps video of `count` panning frames (what goes in is what comes out).
    QString writeVideo(const char* name, int count)
    {
        EncodeSettings settings;
        settings.codec = VideoCodec::Ffv1;
        settings.meta.fps = { 25, 1 };
        auto writer = VideoWriter::create(path(name), { 96, 64 }, QImage::Format_RGB888, settings);
        for (int t = 0; t < count; ++t)
            writer->write(panFrame(t));
        writer->finish();
        return path(name);
    }

    QString writePattern(const char* pattern, int count)
    {
        std::vector<QImage> frames;
        for (int t = 0; t < count; ++t)
            frames.push_back(panFrame(t));
        EXPECT_TRUE(writeImageSequence(path(pattern), frames, false));
        return path(pattern);
    }
};

} // namespace

TEST_F(InputRangeTest, FlowInterpolationOfARangeGivesExactlyThatRangesFrames)
{
    const QString video = writeVideo("in.mkv", 12);
    const QString pattern = writePattern("in/%03d.png", 12);
    for (const QString& input : { video, pattern }) {
        SCOPED_TRACE(input.toStdString());
        const QString output = dir.filePath(QFileInfo(input).isFile() ? "video.mkv" : "pattern.mkv");
        DiffusionJobRequest request;
        request.task = DiffusionTask::Interpolate;
        request.input = input.toStdString();
        request.output = output.toStdString();
        request.factor = 2;
        request.method = "flow";
        request.inputStart = 4;
        request.inputFrames = 5;
        const auto result = runDiffusionJob(request);
        EXPECT_EQ(result.frames, 9) << "K·(n−1)+1 of the range's 5 frames";
        auto reader = VideoReader::open(output, { QImage::Format_RGB888, false, {} });
        ASSERT_EQ(reader->frameCount(), 9);
        for (int i = 0; i < 5; ++i)
            EXPECT_TRUE(samePixels(reader->frameAt(2 * i), panFrame(4 + i)))
                << "output frame " << 2 * i << " is not input frame " << 4 + i;
        const auto sidecar = result.sidecarJson[QStringLiteral("request")].toObject();
        EXPECT_EQ(sidecar[QStringLiteral("input_start")].toInt(), 4);
        EXPECT_EQ(sidecar[QStringLiteral("input_frames")].toInt(), 5);
    }
}

TEST_F(InputRangeTest, FlowInpaintingOfARangeKeepsThatRangesPixelsUnderTheRangesMasks)
{
    // A red box moves across the clip; the mask of range frame i covers it in input frame 3 + i.
    const int start = 3, count = 5;
    std::vector<QImage> frames;
    for (int t = 0; t < 10; ++t) {
        cv::Mat frame = toMat(panFrame(t));
        cv::rectangle(frame, cv::Rect(10 + 6 * t, 20, 14, 14), cv::Scalar(255, 0, 0), -1);
        frames.push_back(toImage(frame));
    }
    ASSERT_TRUE(writeImageSequence(path("in/%03d.png"), frames, false));
    std::vector<QImage> masks;
    for (int i = 0; i < count; ++i) {
        QImage mask(96, 64, QImage::Format_Grayscale8);
        mask.fill(0);
        for (int y = 18; y < 36; ++y)
            for (int x = 8 + 6 * (start + i); x < 26 + 6 * (start + i); ++x)
                mask.setPixel(x, y, qRgb(255, 255, 255));
        masks.push_back(mask);
    }
    ASSERT_TRUE(writeImageSequence(path("mask/%03d.png"), masks, false));

    DiffusionJobRequest request;
    request.task = DiffusionTask::Inpaint;
    request.input = path("in/%03d.png").toStdString();
    request.mask = path("mask/%03d.png").toStdString();
    request.output = path("out/%03d.png").toStdString();
    request.inputStart = start;
    request.inputFrames = count;
    const auto result = runDiffusionJob(request);
    EXPECT_EQ(result.method, QStringLiteral("flow"));
    const auto out = readImageSequence(path("out/%03d.png"));
    ASSERT_EQ(out.size(), static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        const cv::Mat made = toMat(out[static_cast<size_t>(i)]),
                      in = toMat(frames[static_cast<size_t>(start + i)]);
        const QImage& mask = masks[static_cast<size_t>(i)];
        int changedOutside = 0, red = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 96; ++x) {
                const bool masked = qGray(mask.pixel(x, y)) >= 128;
                if (!masked && made.at<cv::Vec3b>(y, x) != in.at<cv::Vec3b>(y, x))
                    ++changedOutside;
                if (masked && made.at<cv::Vec3b>(y, x) == cv::Vec3b(255, 0, 0))
                    ++red;
            }
        EXPECT_EQ(changedOutside, 0) << "range frame " << i << " (input frame " << start + i << ")";
        EXPECT_LT(red, 14 * 14 / 4) << "range frame " << i << ": its mask was not the one applied";
    }
}

TEST_F(InputRangeTest, ReadClipSeeksToTheRangeAndMovesSoundAndTimecodeWithIt)
{
    const QString video = writeVideo("in.mkv", 10);
    const Clip whole = readClip(video);
    const Clip part = readClip(video, {}, { 6, 3 });
    ASSERT_EQ(part.frames.size(), 3u);
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(
            samePixels(part.frames[static_cast<size_t>(i)], whole.frames[static_cast<size_t>(6 + i)]));
    EXPECT_EQ(readClip(video, {}, { 7, 0 }).frames.size(), 3u) << "0 frames: to the end";
    const Clip sequence = readClip(writePattern("in/%03d.png", 10), {}, { 2, 4 });
    ASSERT_EQ(sequence.frames.size(), 4u);
    EXPECT_TRUE(samePixels(sequence.frames[0], panFrame(2)));

    ClipMeta meta;
    meta.fps = { 25, 1 };
    meta.audioSource = video;
    meta.audioStart = 0.5;
    meta.timecode = QStringLiteral("01:00:00:00");
    const ClipMeta moved = metaFromFrame(meta, 30);
    EXPECT_DOUBLE_EQ(moved.audioStart, 0.5 + 30 / 25.0);
    EXPECT_EQ(moved.timecode.toStdString(), "01:00:01:05");
    meta.fps = { 30000, 1001 };
    meta.timecode = QStringLiteral("00:00:59;28"); // drop frame: 00:01:00;00 and ;01 do not exist
    EXPECT_EQ(metaFromFrame(meta, 2).timecode.toStdString(), "00:01:00;02");
}

TEST_F(InputRangeTest, ARangeOutsideTheInputFailsBeforeAnythingIsWritten)
{
    const QString video = writeVideo("in.mkv", 6);
    const QString pattern = writePattern("in/%03d.png", 6);
    for (const QString& input : { video, pattern })
        for (const auto& [start, frames] :
            std::vector<std::pair<int64_t, int64_t>> { { 6, 0 }, { 2, 5 }, { -1, 2 } })
            for (const auto task : { DiffusionTask::Interpolate, DiffusionTask::Inpaint }) {
                DiffusionJobRequest request;
                request.task = task;
                request.input = input.toStdString();
                request.mask = path("in/000.png").toStdString();
                request.output = path("out.mkv").toStdString();
                request.factor = 2;
                request.inputStart = start;
                request.inputFrames = frames;
                try {
                    runDiffusionJob(request);
                    ADD_FAILURE() << "a range of " << frames << " from " << start << " was accepted";
                } catch (const InputRangeError& e) {
                    EXPECT_NE(QString::fromUtf8(e.what()).indexOf(QStringLiteral("has 6 frames")), -1)
                        << e.what();
                }
                EXPECT_FALSE(QFileInfo::exists(path("out.mkv")));
            }
    // The same check for the diffusion path's reader, before any model is looked for.
    EXPECT_THROW(readClip(video, {}, { 4, 3 }), InputRangeError);
    EXPECT_THROW(readClip(pattern, {}, { 9, 0 }), InputRangeError);
}

TEST(InputRange, TheRequestKeepsItsRangeMethodAndDilation)
{
    DiffusionJobRequest request;
    request.task = DiffusionTask::Inpaint;
    request.input = "/footage/a.mov";
    request.inputStart = 4'000'000'000; // past 32 bits
    request.inputFrames = 48;
    request.method = "flow";
    request.dilate = 5;
    const DiffusionJobRequest back = requestFromJson(requestToJson(request));
    EXPECT_EQ(back.inputStart, request.inputStart);
    EXPECT_EQ(back.inputFrames, 48);
    EXPECT_EQ(back.method, "flow");
    EXPECT_EQ(back.dilate, 5);
    const DiffusionJobRequest old
        = requestFromJson({ { QStringLiteral("task"), QStringLiteral("inpaint") } });
    EXPECT_EQ(old.inputStart, 0);
    EXPECT_EQ(old.inputFrames, 0);
    EXPECT_EQ(old.method, "auto");
}

TEST_F(InputRangeTest, ASequenceTakesTheRateTheRequestGivesIt)
{
    // A take's PNG frames carry no rate: with inputFps the job knows it, so a target rate works and
    // a factor doubles the real rate instead of an assumed 24 fps.
    const QString pattern = writePattern("in/%03d.png", 6);
    DiffusionJobRequest request;
    request.task = DiffusionTask::Interpolate;
    request.input = pattern.toStdString();
    request.method = "flow";
    request.inputFps = 25;
    request.factor = 2;
    request.output = path("by-factor/%03d.png").toStdString();
    auto result = runDiffusionJob(request);
    EXPECT_EQ(result.frames, 11);
    EXPECT_DOUBLE_EQ(result.fps, 50);

    request.factor = 0;
    request.fps = 50;
    request.output = path("to-rate/%03d.png").toStdString();
    result = runDiffusionJob(request);
    EXPECT_EQ(result.frames, 11);
    EXPECT_DOUBLE_EQ(result.fps, 50);

    request.inputFps = 0; // without it a target rate cannot be reached, and the job says why
    request.output = path("unknown/%03d.png").toStdString();
    EXPECT_THROW(runDiffusionJob(request), std::runtime_error);
    EXPECT_EQ(requestFromJson(requestToJson(request)).inputFps, 0);
    request.inputFps = 12.5;
    EXPECT_EQ(requestFromJson(requestToJson(request)).inputFps, 12.5);
}
