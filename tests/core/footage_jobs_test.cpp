// The footage methods on synthetic motion with known answers: a textured image moved by a known
// sub-pixel shift, a square occluding a background, a static mask over a panning texture, a joined
// pair of unrelated shots, a duplicated frame, and the re-timing arithmetic. No model, no data files.

#include "footage/flow_inpainting.h"
#include "footage/flow_interpolation.h"
#include "footage/image_mat.h"

#include "kinora/core/footage_jobs.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>

#include <cmath>
#include <cstring>
#include <iostream>

using namespace kinora::core;
using kinora::core::footage::toImage;
using kinora::core::footage::toMat;

namespace {

// A texture with structure at several scales (blurred noise and discs), RGB.
cv::Mat texture(cv::Size size, uint64_t seed)
{
    cv::Mat image(size, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(image, image, cv::Size(), 2.0);
    for (int i = 0; i < 60; ++i)
        cv::circle(image, { rng.uniform(0, size.width), rng.uniform(0, size.height) }, rng.uniform(3, 14),
            cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)), -1, cv::LINE_AA);
    return image;
}

// `source` seen through a window of `size` whose top-left corner sits at (x, y) (sub-pixel).
cv::Mat view(const cv::Mat& source, cv::Size size, double x, double y)
{
    cv::Mat out;
    const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, -x, 0, 1, -y);
    cv::warpAffine(source, out, shift, size, cv::INTER_CUBIC, cv::BORDER_REFLECT);
    return out;
}

double psnr(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = {})
{
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    diff.convertTo(diff, CV_32F);
    diff = diff.mul(diff);
    const cv::Scalar mean = mask.empty() ? cv::mean(diff) : cv::mean(diff, mask);
    const double mse = (mean[0] + mean[1] + mean[2]) / 3;
    return 10 * std::log10(255.0 * 255.0 / std::max(mse, 1e-10));
}

cv::Mat blend(const cv::Mat& a, const cv::Mat& b, double t)
{
    cv::Mat out;
    cv::addWeighted(a, 1 - t, b, t, 0, out);
    return out;
}

void writeFrames(const QString& pattern, const std::vector<cv::Mat>& frames)
{
    std::vector<QImage> images;
    for (const cv::Mat& frame : frames)
        images.push_back(toImage(frame));
    ASSERT_TRUE(writeImageSequence(pattern, images, false));
}

std::vector<cv::Mat> readFrames(const QString& pattern)
{
    std::vector<cv::Mat> frames;
    for (const QImage& image : readImageSequence(pattern))
        frames.push_back(toMat(image));
    return frames;
}

interp::FlowInterpOptions rgbOptions()
{
    interp::FlowInterpOptions options;
    options.channelOrder = interp::ChannelOrder::RGB;
    return options;
}

} // namespace

TEST(Retiming, FactorsAndRatesGiveExactCountsAndPositions)
{
    const auto three = Retiming::byFactor(3);
    EXPECT_EQ(three.outputFrames(10), 28);
    EXPECT_EQ(three.position(7).frame, 2);
    EXPECT_EQ(three.position(7).numerator * 3, three.position(7).denominator);

    // 24 -> 60: five output frames every two input frames, at t = 0, .4, .8, .2, .6.
    const auto up = Retiming::toRate({ 24, 1 }, { 60, 1 });
    EXPECT_EQ(up.outputFrames(25), 61); // one second in, one second out, both ends included
    const std::vector<double> expected { 0, 0.4, 0.8, 0.2, 0.6, 0 };
    const std::vector<int64_t> frames { 0, 0, 0, 1, 1, 2 };
    for (int j = 0; j < 6; ++j) {
        EXPECT_EQ(up.position(j).frame, frames[static_cast<size_t>(j)]) << j;
        EXPECT_NEAR(up.position(j).t(), expected[static_cast<size_t>(j)], 1e-12) << j;
    }
    // The NTSC rates reduce to the same ratio, exactly.
    const auto ntsc = Retiming::toRate({ 24000, 1001 }, { 60000, 1001 });
    EXPECT_EQ(ntsc.outputFrames(25), 61);
    EXPECT_EQ(ntsc.position(5).frame, 2);
    EXPECT_EQ(ntsc.position(5).numerator, 0);
    // 25 -> 50 doubles; 30 -> 24 drops a fifth, every output frame at j * 1.25 input frames.
    EXPECT_EQ(Retiming::toRate({ 25, 1 }, { 50, 1 }).outputFrames(11), 21);
    const auto down = Retiming::toRate({ 30, 1 }, { 24, 1 });
    EXPECT_EQ(down.outputFrames(31), 25);
    EXPECT_EQ(down.position(3).frame, 3);
    EXPECT_NEAR(down.position(3).t(), 0.75, 1e-12);
}

TEST(FlowInterpolation, ASubPixelShiftIsRecoveredAtAnyTime)
{
    const cv::Size size(160, 120);
    const cv::Mat scene = texture({ 260, 200 }, 3);
    const double dx = 7.3, dy = -3.6; // pixels from frame 0 to frame 1
    const cv::Mat a = view(scene, size, 40, 40), b = view(scene, size, 40 + dx, 40 + dy);
    const auto pair = interp::computePairFlow(a, b, rgbOptions());
    for (const double t : { 0.25, 0.5, 0.8 }) {
        const cv::Mat truth = view(scene, size, 40 + t * dx, 40 + t * dy);
        const cv::Mat made = interp::synthesize(pair, t);
        const double got = psnr(made, truth), average = psnr(blend(a, b, t), truth);
        EXPECT_GE(got, 32.0) << "t = " << t;
        EXPECT_GE(got, average + 8.0) << "t = " << t << ": the cross-fade gets " << average;
        // The border too: what enters the frame comes from the frame that shows it, not a smear.
        const cv::Rect border(0, 0, 12, size.height);
        EXPECT_GE(psnr(made(border), truth(border)), 26.0) << "t = " << t;
    }
    EXPECT_EQ(cv::norm(interp::synthesize(pair, 0), a, cv::NORM_INF), 0);
}

TEST(FlowInterpolation, TheNeighbouringPairsBendTheTrajectoryOfAnAcceleratingMotion)
{
    // A texture accelerating to the right, x(s) = 4 s + 4 s^2 px at frame times s = -1, 0, 1, 2: the
    // true middle of frames 0 and 1 is at 3 px, where constant velocity puts it at 4 px. With the
    // pairs (-1, 0) and (1, 2) attached, the trajectory is the parabola through them.
    const cv::Size size(160, 120);
    const cv::Mat scene = texture({ 260, 200 }, 21);
    const auto at = [&](double s) { return view(scene, size, 40 + 4 * s + 4 * s * s, 40); };
    const auto options = rgbOptions();
    const auto before = interp::computePairFlow(at(-1), at(0), options);
    const auto after = interp::computePairFlow(at(1), at(2), options);
    auto pair = interp::computePairFlow(at(0), at(1), options);
    const cv::Rect inner(16, 16, size.width - 32, size.height - 32); // away from what enters the frame
    const double constant = psnr(interp::synthesize(pair, 0.5)(inner), at(0.5)(inner));
    interp::attachNeighbours(pair, &before, &after);
    for (const double t : { 0.25, 0.5, 0.75 }) {
        const double got = psnr(interp::synthesize(pair, t)(inner), at(t)(inner));
        std::cout << "t " << t << ": " << got << " dB, constant velocity at 0.5: " << constant << " dB\n";
        EXPECT_GE(got, 40.0) << "t = " << t;
        if (t == 0.5)
            EXPECT_GE(got, constant + 10.0) << "constant velocity gets " << constant << " dB";
    }
    // Detached again (a scene cut on both sides): constant velocity as before.
    interp::attachNeighbours(pair, nullptr, nullptr);
    EXPECT_NEAR(psnr(interp::synthesize(pair, 0.5)(inner), at(0.5)(inner)), constant, 1e-9);
}

TEST(FlowInterpolation, RevealedBackgroundComesFromTheFrameThatShowsIt)
{
    const cv::Size size(160, 120);
    const cv::Mat background = texture(size, 5);
    const cv::Mat object = texture({ 36, 36 }, 11); // its own texture
    const auto frameWithSquare = [&](int x) {
        cv::Mat frame = background.clone();
        object.copyTo(frame(cv::Rect(x, 40, 36, 36)));
        return frame;
    };
    const cv::Mat a = frameWithSquare(40), b = frameWithSquare(56), truth = frameWithSquare(48);
    const cv::Mat made = interp::interpolateFrame(a, b, 0.5, rgbOptions());
    // Behind the square's start (x 40-47 at t = .5) the background is only visible in frame 1.
    cv::Mat revealed(size, CV_8UC1, cv::Scalar(0));
    cv::rectangle(revealed, cv::Rect(41, 42, 6, 32), cv::Scalar(255), -1);
    const double got = psnr(made, truth, revealed), average = psnr(blend(a, b, 0.5), truth, revealed);
    const double occluder = psnr(made, a, revealed); // how much of frame 0's square is left there
    std::cout << "revealed: " << got << " dB to the background, " << occluder << " dB to the square; frame "
              << psnr(made, truth) << " dB, cross-fade " << psnr(blend(a, b, 0.5), truth) << " dB\n";
    EXPECT_GE(got, occluder + 3.0);
    EXPECT_GE(got, average);
    EXPECT_GE(psnr(made, truth), psnr(blend(a, b, 0.5), truth) + 6.0);
}

TEST(FlowInpainting, AStaticHoleOverAPanningTextureIsFilledFromOtherFrames)
{
    const cv::Size size(160, 120);
    const cv::Mat scene = texture({ 280, 120 }, 9);
    std::vector<cv::Mat> truth, frames, masks;
    cv::Mat hole(size, CV_8UC1, cv::Scalar(0));
    cv::rectangle(hole, cv::Rect(60, 40, 30, 30), cv::Scalar(255), -1);
    for (int t = 0; t < 16; ++t) {
        truth.push_back(view(scene, size, 2.5 * t, 0));
        cv::Mat masked = truth.back().clone();
        masked.setTo(cv::Scalar(0, 0, 0), hole);
        frames.push_back(masked);
    }
    masks.push_back(hole); // one mask for every frame
    std::vector<cv::Mat> bgr;
    for (const cv::Mat& f : frames) {
        cv::Mat converted;
        cv::cvtColor(f, converted, cv::COLOR_RGB2BGR);
        bgr.push_back(converted);
    }
    const auto made = inpaint::inpaintVideo(bgr, masks);
    ASSERT_EQ(made.size(), frames.size());
    double inside = 0;
    for (size_t t = 0; t < made.size(); ++t) {
        cv::Mat rgb;
        cv::cvtColor(made[t], rgb, cv::COLOR_BGR2RGB);
        inside += psnr(rgb, truth[t], hole) / static_cast<double>(made.size());
        int moved = 0;
        for (int y = 0; y < size.height; ++y)
            for (int x = 0; x < size.width; ++x)
                if (!hole.at<uchar>(y, x) && rgb.at<cv::Vec3b>(y, x) != frames[t].at<cv::Vec3b>(y, x))
                    ++moved;
        EXPECT_EQ(moved, 0) << "frame " << t << ": pixels outside the mask changed";
    }
    // What a per-frame spatial fill (Telea) makes of the same holes, for comparison.
    double telea = 0;
    for (size_t t = 0; t < frames.size(); ++t) {
        cv::Mat filled;
        cv::inpaint(frames[t], hole, filled, 5, cv::INPAINT_TELEA);
        telea += psnr(filled, truth[t], hole) / static_cast<double>(frames.size());
    }
    std::cout << "inside the hole: " << inside << " dB, Telea " << telea << " dB\n";
    EXPECT_GE(inside, 22.0);
    EXPECT_GE(inside, telea + 6.0);
}

struct FootageJobTest : ::testing::Test {
    QTemporaryDir dir;
    QString path(const char* name) const { return dir.filePath(QString::fromLatin1(name)); }
};

TEST_F(FootageJobTest, NoBlendedFrameAcrossASceneCut)
{
    const cv::Size size(128, 96);
    const cv::Mat first = texture({ 200, 96 }, 1), second = texture({ 200, 96 }, 2);
    cv::Mat warm = first.clone(), cool = second.clone();
    warm.forEach<cv::Vec3b>([](cv::Vec3b& p, const int*) { p = { p[0], static_cast<uchar>(p[1] / 2), 20 }; });
    cool.forEach<cv::Vec3b>([](cv::Vec3b& p, const int*) { p = { 10, static_cast<uchar>(p[1] / 3), p[2] }; });
    std::vector<cv::Mat> frames;
    for (int t = 0; t < 3; ++t)
        frames.push_back(view(warm, size, 3.0 * t, 0));
    for (int t = 0; t < 3; ++t)
        frames.push_back(view(cool, size, 2.0 * t, 0));
    writeFrames(path("in/%03d.png"), frames);

    DiffusionJobRequest request;
    request.task = DiffusionTask::Interpolate;
    request.input = path("in/%03d.png").toStdString();
    request.output = path("out/%03d.png").toStdString();
    request.factor = 2;
    QStringList warnings;
    JobCallbacks callbacks;
    callbacks.onWarning = [&warnings](const QString& w) { warnings << w; };
    const auto result = runDiffusionJob(request, callbacks); // method auto: flow, no model needed
    EXPECT_EQ(result.method, QStringLiteral("flow"));
    EXPECT_EQ(result.frames, 11);
    const auto out = readFrames(path("out/%03d.png"));
    ASSERT_EQ(out.size(), 11u);
    // Output 5 sits between input 2 (the last warm frame) and 3 (the first cool one): a repeat.
    const bool repeat
        = cv::norm(out[5], frames[2], cv::NORM_INF) == 0 || cv::norm(out[5], frames[3], cv::NORM_INF) == 0;
    EXPECT_TRUE(repeat) << "the frame at the cut was blended";
    // Within each shot the frames are made, not repeated.
    EXPECT_GT(cv::norm(out[1], frames[0], cv::NORM_L1), 0);
    EXPECT_GT(cv::norm(out[1], frames[1], cv::NORM_L1), 0);
    ASSERT_EQ(warnings.size(), 1) << warnings.join(QStringLiteral("; ")).toStdString();
    EXPECT_TRUE(warnings[0].contains(QStringLiteral("between frames 2 and 3"))) << warnings[0].toStdString();
    const auto cuts
        = result.sidecarJson[QStringLiteral("request")].toObject()[QStringLiteral("scene_cuts")].toArray();
    ASSERT_EQ(cuts.size(), 1);
    EXPECT_EQ(cuts[0].toInt(), 3);
}

TEST_F(FootageJobTest, ADuplicatedFrameIsRetimedAway)
{
    const cv::Size size(128, 96);
    const cv::Mat scene = texture({ 220, 96 }, 4);
    std::vector<cv::Mat> truth, frames;
    for (int t = 0; t < 5; ++t)
        truth.push_back(view(scene, size, 4.0 * t, 0));
    frames = truth;
    frames[2] = truth[1].clone(); // a stutter: frame 1 shown twice
    writeFrames(path("in/%03d.png"), frames);

    DiffusionJobRequest request;
    request.task = DiffusionTask::Interpolate;
    request.input = path("in/%03d.png").toStdString();
    request.output = path("out/%03d.png").toStdString();
    request.factor = 2;
    request.method = "flow";
    QStringList warnings;
    JobCallbacks callbacks;
    callbacks.onWarning = [&warnings](const QString& w) { warnings << w; };
    runDiffusionJob(request, callbacks);
    const auto out = readFrames(path("out/%03d.png"));
    ASSERT_EQ(out.size(), 9u);
    // Output 4 is input position 2, the repeat: made between frames 1 and 3, near the true frame 2.
    EXPECT_GE(psnr(out[4], truth[2]), psnr(frames[2], truth[2]) + 6.0);
    ASSERT_FALSE(warnings.isEmpty());
    EXPECT_TRUE(warnings.back().contains(QStringLiteral("duplicated"))) << warnings.back().toStdString();
}

TEST_F(FootageJobTest, TwentyFourToSixtyGivesTheExactFrameCountAndRate)
{
    const cv::Size size(96, 64);
    const cv::Mat scene = texture({ 200, 64 }, 6);
    EncodeSettings settings;
    settings.codec = VideoCodec::Ffv1; // lossless: what goes in is what is compared
    settings.meta.fps = { 24, 1 };
    auto writer = VideoWriter::create(
        path("in.mkv"), QSize(size.width, size.height), QImage::Format_RGB888, settings);
    for (int t = 0; t < 13; ++t)
        writer->write(toImage(view(scene, size, 2.0 * t, 0)));
    writer->finish();

    DiffusionJobRequest request;
    request.task = DiffusionTask::Interpolate;
    request.input = path("in.mkv").toStdString();
    request.output = path("out.mkv").toStdString();
    request.fps = 60;
    request.method = "blend"; // the timing, not the picture, is under test
    const auto result = runDiffusionJob(request);
    EXPECT_EQ(result.frames, 31); // 12 intervals of 2.5 output frames, both ends
    auto reader = VideoReader::open(path("out.mkv"));
    EXPECT_EQ(reader->info().frames, 31);
    EXPECT_EQ(reader->info().fps, (Rational { 60, 1 }));
    EXPECT_NEAR(reader->info().duration, 31 / 60.0, 1.0 / 60);
    // Output 5 is input 2 exactly; output 1 is 40% of the way from input 0 to input 1.
    auto input = VideoReader::open(path("in.mkv"));
    const cv::Mat in0 = toMat(input->frameAt(0)), in1 = toMat(input->frameAt(1)),
                  in2 = toMat(input->frameAt(2));
    EXPECT_EQ(cv::norm(toMat(reader->frameAt(5)), in2, cv::NORM_INF), 0);
    EXPECT_LE(cv::norm(toMat(reader->frameAt(1)), blend(in0, in1, 0.4), cv::NORM_INF), 1);
}

TEST_F(FootageJobTest, InpaintingKeepsEveryPixelOutsideTheDilatedMask)
{
    // A static shot with a red halo around the masked object (a soft edge the mask misses): only the
    // grown mask takes the halo away.
    const cv::Size size(96, 64);
    const cv::Mat scene = texture(size, 8);
    const cv::Rect object(30, 20, 20, 20), grown(27, 17, 26, 26);
    std::vector<cv::Mat> frames;
    for (int t = 0; t < 6; ++t) {
        cv::Mat frame = scene.clone();
        frame(grown).setTo(cv::Scalar(255, 0, 0));
        frames.push_back(frame);
    }
    writeFrames(path("in/%03d.png"), frames);
    QImage mask(size.width, size.height, QImage::Format_Grayscale8);
    mask.fill(0);
    for (int y = object.y; y < object.y + object.height; ++y)
        for (int x = object.x; x < object.x + object.width; ++x)
            mask.setPixel(x, y, qRgb(255, 255, 255));
    ASSERT_TRUE(mask.save(path("mask.png")));

    DiffusionJobRequest request;
    request.task = DiffusionTask::Inpaint;
    request.input = path("in/%03d.png").toStdString();
    request.mask = path("mask.png").toStdString();
    request.output = path("out/%03d.png").toStdString();
    request.dilate = 3;
    const auto result = runDiffusionJob(request);
    EXPECT_EQ(result.method, QStringLiteral("flow"));
    const auto out = readFrames(path("out/%03d.png"));
    ASSERT_EQ(out.size(), frames.size());
    int red = 0, ring = 0;
    for (size_t t = 0; t < out.size(); ++t)
        for (int y = 0; y < size.height; ++y)
            for (int x = 0; x < size.width; ++x) {
                const cv::Point p(x, y);
                if (!grown.contains(p)) {
                    ASSERT_EQ(out[t].at<cv::Vec3b>(p), frames[t].at<cv::Vec3b>(p))
                        << "frame " << t << " at " << x << "," << y;
                } else if (!object.contains(p)) {
                    ++ring;
                    red += out[t].at<cv::Vec3b>(p) == cv::Vec3b(255, 0, 0) ? 1 : 0;
                }
            }
    EXPECT_LT(red, ring / 10) << "the halo stayed: --dilate did not grow the mask";
    const auto sidecar = result.sidecarJson[QStringLiteral("request")].toObject();
    EXPECT_EQ(sidecar[QStringLiteral("method")].toString(), QStringLiteral("flow"));
    EXPECT_EQ(sidecar[QStringLiteral("mask_dilation")].toInt(), 3);
}

TEST(FootageMethod, AutoPicksFlowForFootageAndRefusesWhatATaskCannotDo)
{
    DiffusionJobRequest request;
    EXPECT_EQ(resolveMethod(request), FootageMethod::Diffusion); // generate
    request.task = DiffusionTask::Inpaint;
    EXPECT_EQ(resolveMethod(request), FootageMethod::Flow);
    request.method = "blend";
    EXPECT_THROW(resolveMethod(request), std::invalid_argument);
    request.task = DiffusionTask::Interpolate;
    EXPECT_EQ(resolveMethod(request), FootageMethod::Blend);
    request.method = "diffusion";
    EXPECT_EQ(resolveMethod(request), FootageMethod::Diffusion);
    request.task = DiffusionTask::Extend;
    request.method = "flow";
    EXPECT_THROW(resolveMethod(request), std::invalid_argument);
}
