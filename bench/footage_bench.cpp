// kinora-footage-bench: the footage methods against what a user already has, in one run on the
// shared data (../shared/data/README.md, "Protocols"):
//
// Interpolation: Kinora's optical-flow interpolation (the options kinora-cli's `--method flow`
// uses, and on a clip the neighbouring pairs attached as the job does), FFmpeg's minterpolate
// (mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1:scd=none, run in-process through libavfilter on the same
// decoded frames) and the two-frame average, on
//   - the Middlebury "other" and UCF101 triplets: im0, im1 in, the middle frame scored against gt;
//   - bedroom.mp4 with every second frame dropped: the restored frames scored against the dropped ones.
// Inpainting: Kinora's flow-guided inpainting against OpenCV's Telea (radius 5) per frame, on
// bedroom.mp4 frames 0-59 at 432x240 under dogs_jump's masks 0-59, masked input pixels zeroed:
// PSNR and SSIM inside the mask, full-frame PSNR, and flicker inside the mask (mean over t of
// mean |out_t - out_t-1| over the pixels masked at t or t-1, minus the same for the true frames).
//
// PSNR is over RGB (peak 255), the mean of per-image PSNR; SSIM is on luma (BT.601 weights,
// Gaussian window sigma 1.5). Seconds per frame are wall-clock per made frame of each method's own
// work on frames already in memory (decoding and encoding excluded for all), with OpenCV's thread
// pool as set by --threads (minterpolate itself is single-threaded). With --out, side-by-side PNGs
// are written there. Exit 0 whatever the figures; 1 when the data is missing or a run fails.

#include "footage/flow_inpainting.h"
#include "footage/flow_interpolation.h"
#include "footage/image_mat.h"

#include "kinora/core/video_reader.h"

#include "machine_load.h"

#include <CLI/CLI.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <QDir>
#include <QFileInfo>
#include <QImage>

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/frame.h>
}

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace footage = kinora::core::footage;
namespace interp = kinora::core::interp;
namespace inpaint = kinora::core::inpaint;

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

// ---- Scores --------------------------------------------------------------------------------------

// PSNR over the three channels (peak 255), optionally over the nonzero pixels of `mask` only.
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

cv::Mat luma(const cv::Mat& rgb)
{
    cv::Mat y;
    cv::transform(rgb, y, cv::Matx13f(0.299f, 0.587f, 0.114f));
    y.convertTo(y, CV_32F);
    return y;
}

// SSIM on luma (Wang et al. 2004: Gaussian window sigma 1.5, K1 0.01, K2 0.03), the mean of the
// SSIM map, optionally over the nonzero pixels of `mask` only.
double ssim(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = {})
{
    const cv::Mat x = luma(a), y = luma(b);
    const auto blur = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, cv::Size(11, 11), 1.5, 1.5, cv::BORDER_REFLECT);
        return out;
    };
    const cv::Mat mx = blur(x), my = blur(y);
    const cv::Mat sxx = blur(x.mul(x)) - mx.mul(mx), syy = blur(y.mul(y)) - my.mul(my),
                  sxy = blur(x.mul(y)) - mx.mul(my);
    constexpr double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
    cv::Mat num = (2 * mx.mul(my) + c1).mul(2 * sxy + c2);
    cv::Mat den = (mx.mul(mx) + my.mul(my) + c1).mul(sxx + syy + c2);
    cv::Mat map;
    cv::divide(num, den, map);
    return mask.empty() ? cv::mean(map)[0] : cv::mean(map, mask)[0];
}

// Mean absolute difference over the channels at the nonzero pixels of `mask`.
double meanAbsDiff(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask)
{
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    const cv::Scalar m = cv::mean(diff, mask);
    return (m[0] + m[1] + m[2]) / 3;
}

// ---- Inputs --------------------------------------------------------------------------------------

cv::Mat readRgb(const std::string& path)
{
    cv::Mat bgr = cv::imread(path, cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error("cannot read " + path);
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

// Every frame of a video (or its first `limit`, when > 0) as RGB.
std::vector<cv::Mat> readClip(const std::string& path, int limit)
{
    auto reader = kinora::core::VideoReader::open(QString::fromStdString(path));
    std::vector<cv::Mat> frames;
    QImage image;
    while ((limit <= 0 || static_cast<int>(frames.size()) < limit) && reader->next(image))
        frames.push_back(footage::toMat(image));
    return frames;
}

// A mask as the CLI contract reads it: palette index != 0, else luma >= 128; 255 where masked.
cv::Mat readMask(const std::string& path)
{
    QImage image(QString::fromStdString(path));
    if (image.isNull())
        throw std::runtime_error("cannot read " + path);
    cv::Mat mask(image.height(), image.width(), CV_8UC1);
    if (image.format() == QImage::Format_Indexed8) {
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                mask.at<uchar>(y, x) = image.pixelIndex(x, y) != 0 ? 255 : 0;
    } else {
        cv::threshold(footage::maskToMat(image), mask, 127, 255, cv::THRESH_BINARY);
    }
    return mask;
}

struct Triplet {
    std::string name;
    cv::Mat im0, gt, im1; // RGB
};

std::vector<Triplet> readTriplets(const std::string& folder)
{
    std::vector<Triplet> set;
    const QStringList names
        = QDir(QString::fromStdString(folder)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names) {
        const std::string dir = folder + "/" + name.toStdString() + "/";
        set.push_back({ name.toStdString(), readRgb(dir + "im0.png"), readRgb(dir + "gt.png"),
            readRgb(dir + "im1.png") });
    }
    return set;
}

// ---- Interpolation methods -----------------------------------------------------------------------

// The middle frame of every consecutive pair of `frames` (RGB), and the seconds it took.
struct Middles {
    std::vector<cv::Mat> frames;
    double seconds = 0;
};
using Interpolator = std::function<Middles(const std::vector<cv::Mat>&)>;

// As footage_jobs.cpp runs it: each pair's flow once, the neighbouring pairs attached (constant
// velocity at the ends, and for a triplet, which has no neighbours).
Middles kinoraFlow(const std::vector<cv::Mat>& frames)
{
    interp::FlowInterpOptions options;
    options.channelOrder = interp::ChannelOrder::RGB;
    Middles out;
    const Clock::time_point start = Clock::now();
    std::vector<interp::FramePairFlow> pairs;
    for (size_t k = 0; k + 1 < frames.size(); ++k) {
        if (k == 0)
            pairs.push_back(interp::computePairFlow(frames[0], frames[1], options));
        if (k + 2 < frames.size())
            pairs.push_back(interp::computePairFlow(frames[k + 1], frames[k + 2], options)); // look-ahead
        interp::attachNeighbours(
            pairs[k], k > 0 ? &pairs[k - 1] : nullptr, k + 1 < pairs.size() ? &pairs[k + 1] : nullptr);
        out.frames.push_back(interp::synthesize(pairs[k], 0.5));
        if (k > 0)
            pairs[k - 1] = {}; // done with it: memory stays a few pairs
    }
    out.seconds = seconds(start);
    return out;
}

Middles frameAverage(const std::vector<cv::Mat>& frames)
{
    Middles out;
    const Clock::time_point start = Clock::now();
    for (size_t k = 0; k + 1 < frames.size(); ++k) {
        cv::Mat mid;
        cv::addWeighted(frames[k], 0.5, frames[k + 1], 0.5, 0, mid);
        out.frames.push_back(mid);
    }
    out.seconds = seconds(start);
    return out;
}

std::string avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

void check(int code, const char* what)
{
    if (code < 0)
        throw std::runtime_error(std::string("minterpolate: ") + what + ": " + avError(code));
}

// FFmpeg's motion-compensated interpolation, in-process: rgb24 frames at rate 1 into
// format=yuv444p,minterpolate=fps=2:...,format=rgb24. minterpolate keeps a window of four frames
// and, at the start, fills it with the first frame; it never interpolates the last interval of its
// input. So the input is padded with a copy of the first and of the last frame (for a triplet:
// im0, im0, im1, im1, as one would run the ffmpeg CLI on it), and the middle of pair k (input
// times k+1 and k+2 after the padding) is the output frame at time k + 1.5.
Middles minterpolate(const std::vector<cv::Mat>& frames)
{
    const int width = frames.front().cols, height = frames.front().rows;
    AVFilterGraph* graph = avfilter_graph_alloc();
    if (!graph)
        throw std::runtime_error("minterpolate: out of memory");
    struct GraphGuard {
        AVFilterGraph*& g;
        ~GraphGuard() { avfilter_graph_free(&g); }
    } graphGuard { graph };
    AVFilterContext *source = nullptr, *sink = nullptr;
    const std::string args = "video_size=" + std::to_string(width) + "x" + std::to_string(height)
        + ":pix_fmt=" + std::to_string(AV_PIX_FMT_RGB24) + ":time_base=1/1:frame_rate=1/1:pixel_aspect=1/1";
    check(avfilter_graph_create_filter(
              &source, avfilter_get_by_name("buffer"), "in", args.c_str(), nullptr, graph),
        "buffer");
    check(avfilter_graph_create_filter(
              &sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, graph),
        "buffersink");
    AVFilterInOut* outputs = avfilter_inout_alloc();
    AVFilterInOut* inputs = avfilter_inout_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    const int parsed = avfilter_graph_parse_ptr(graph,
        "format=yuv444p,minterpolate=fps=2:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1:scd=none,"
        "format=rgb24",
        &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    check(parsed, "parse");
    check(avfilter_graph_config(graph, nullptr), "config");

    std::vector<const cv::Mat*> padded { &frames.front() };
    for (const cv::Mat& f : frames)
        padded.push_back(&f);
    padded.push_back(&frames.back());

    std::map<int64_t, cv::Mat> made; // output pts (time base 1/2) -> RGB
    AVFrame* in = av_frame_alloc();
    AVFrame* out = av_frame_alloc();
    const auto drain = [&] {
        for (;;) {
            const int got = av_buffersink_get_frame(sink, out);
            if (got == AVERROR(EAGAIN) || got == AVERROR_EOF)
                return;
            check(got, "output");
            const AVRational tb = av_buffersink_get_time_base(sink);
            const int64_t pts = av_rescale_q(out->pts, tb, AVRational { 1, 2 });
            cv::Mat rgb(height, width, CV_8UC3);
            for (int y = 0; y < height; ++y)
                std::memcpy(rgb.ptr(y), out->data[0] + static_cast<ptrdiff_t>(y) * out->linesize[0],
                    static_cast<size_t>(width) * 3);
            made[pts] = rgb;
            av_frame_unref(out);
        }
    };
    Middles result;
    const Clock::time_point start = Clock::now();
    try {
        for (size_t j = 0; j < padded.size(); ++j) {
            in->width = width;
            in->height = height;
            in->format = AV_PIX_FMT_RGB24;
            in->pts = static_cast<int64_t>(j);
            check(av_frame_get_buffer(in, 0), "frame");
            for (int y = 0; y < height; ++y)
                std::memcpy(in->data[0] + static_cast<ptrdiff_t>(y) * in->linesize[0], padded[j]->ptr(y),
                    static_cast<size_t>(width) * 3);
            check(av_buffersrc_add_frame(source, in), "input");
            drain();
        }
        check(av_buffersrc_add_frame(source, nullptr), "flush");
        drain();
    } catch (...) {
        av_frame_free(&in);
        av_frame_free(&out);
        throw;
    }
    result.seconds = seconds(start);
    av_frame_free(&in);
    av_frame_free(&out);
    for (size_t k = 0; k + 1 < frames.size(); ++k) {
        const auto it = made.find(2 * static_cast<int64_t>(k) + 3);
        if (it == made.end())
            throw std::runtime_error("minterpolate made no frame between input frames " + std::to_string(k)
                + " and " + std::to_string(k + 1));
        result.frames.push_back(it->second);
    }
    return result;
}

// ---- Side-by-side pictures -----------------------------------------------------------------------

// `rgb` scaled to `width`, under a dark bar with `label`.
cv::Mat panel(const cv::Mat& rgb, const std::string& label, int width)
{
    cv::Mat scaled;
    const int height = static_cast<int>(std::lround(rgb.rows * static_cast<double>(width) / rgb.cols));
    cv::resize(rgb, scaled, { width, height }, 0, 0, width < rgb.cols ? cv::INTER_AREA : cv::INTER_NEAREST);
    cv::Mat out(height + 26, width, CV_8UC3, cv::Scalar(32, 32, 32));
    scaled.copyTo(out(cv::Rect(0, 26, width, height)));
    cv::putText(
        out, label, { 6, 18 }, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(235, 235, 235), 1, cv::LINE_AA);
    return out;
}

// One row of labelled panels, then a row of the same crop (`crop`, in source pixels) of each.
cv::Mat sideBySide(const std::vector<std::pair<std::string, cv::Mat>>& images, cv::Rect crop, int width)
{
    std::vector<cv::Mat> top, bottom;
    for (const auto& [label, image] : images) {
        top.push_back(panel(image, label, width));
        if (crop.area() > 0)
            bottom.push_back(panel(image(crop), label + ", detail", width));
    }
    cv::Mat a, b;
    cv::hconcat(top, a);
    if (bottom.empty())
        return a;
    cv::hconcat(bottom, b);
    cv::Mat both;
    cv::vconcat(a, b, both);
    return both;
}

// The box (with a margin, at the panel's aspect) around where `a` and `b` differ most.
cv::Rect detailBox(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat diff;
    cv::absdiff(luma(a), luma(b), diff);
    cv::GaussianBlur(diff, diff, cv::Size(), std::max(a.cols, a.rows) / 60.0);
    cv::Point peak;
    cv::minMaxLoc(diff, nullptr, nullptr, nullptr, &peak);
    const int w = std::max(64, a.cols / 3), h = std::max(36, w * a.rows / a.cols);
    const int x = std::clamp(peak.x - w / 2, 0, a.cols - w), y = std::clamp(peak.y - h / 2, 0, a.rows - h);
    return { x, y, w, h };
}

void writePng(const std::string& path, const cv::Mat& rgb)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(path, bgr))
        throw std::runtime_error("cannot write " + path);
    std::cout << "wrote " << path << "\n";
}

// ---- Runs ----------------------------------------------------------------------------------------

struct Score {
    double psnr = 0, ssim = 0, secondsPerFrame = 0;
    int frames = 0;
};

// Timings from a machine that other processes kept busy are skewed: the methods that use both
// cores (Kinora's) lose more than single-threaded minterpolate.
void warnIfBusy(double othersShare)
{
    if (othersShare > 0.05)
        std::printf(
            "  warning: other processes took %.0f%% of the cores during this run; the times are skewed\n",
            100 * othersShare);
    std::fflush(stdout);
}

void printInterpolationHeader()
{
    std::printf("%-28s %4s | %-22s | %-22s | %-22s | %s\n", "interpolation", "n", "frame average",
        "ffmpeg minterpolate", "kinora --method flow", "flow - minterpolate");
    std::printf("%-28s %4s | %7s %6s %7s | %7s %6s %7s | %7s %6s %7s |\n", "", "", "PSNR", "SSIM", "s/frame",
        "PSNR", "SSIM", "s/frame", "PSNR", "SSIM", "s/frame");
}

void printInterpolationRow(const std::string& set, const Score (&s)[3], double othersShare)
{
    std::printf(
        "%-28s %4d | %7.2f %6.4f %7.3f | %7.2f %6.4f %7.3f | %7.2f %6.4f %7.3f | %+.2f dB, %.2fx the time\n",
        set.c_str(), s[0].frames, s[0].psnr, s[0].ssim, s[0].secondsPerFrame, s[1].psnr, s[1].ssim,
        s[1].secondsPerFrame, s[2].psnr, s[2].ssim, s[2].secondsPerFrame, s[2].psnr - s[1].psnr,
        s[1].secondsPerFrame > 0 ? s[2].secondsPerFrame / s[1].secondsPerFrame : 0.0);
    warnIfBusy(othersShare);
}

const std::vector<std::pair<std::string, Interpolator>>& interpolators()
{
    static const std::vector<std::pair<std::string, Interpolator>> all {
        { "frame average", frameAverage },
        { "minterpolate", minterpolate },
        { "kinora flow", kinoraFlow },
    };
    return all;
}

// A triplet set; with `picture`, the side-by-side of the triplet where flow and minterpolate differ
// most is written there.
void runTriplets(const std::string& label, const std::vector<Triplet>& set, const std::string& picture)
{
    const kinora::bench::OthersShare load;
    Score scores[3];
    std::vector<std::vector<cv::Mat>> made(3);
    for (size_t m = 0; m < 3; ++m) {
        double seconds = 0;
        for (const Triplet& t : set) {
            const Middles mid = interpolators()[m].second({ t.im0, t.im1 });
            seconds += mid.seconds;
            scores[m].psnr += psnr(mid.frames[0], t.gt) / static_cast<double>(set.size());
            scores[m].ssim += ssim(mid.frames[0], t.gt) / static_cast<double>(set.size());
            made[m].push_back(mid.frames[0]);
        }
        scores[m].frames = static_cast<int>(set.size());
        scores[m].secondsPerFrame = seconds / static_cast<double>(set.size());
    }
    printInterpolationRow(label, scores, load.share());
    if (picture.empty())
        return;
    size_t pick = 0;
    double gap = -1e9;
    for (size_t i = 0; i < set.size(); ++i) {
        const double d = psnr(made[2][i], set[i].gt) - psnr(made[1][i], set[i].gt);
        if (std::abs(d) > gap)
            gap = std::abs(d), pick = i;
    }
    const Triplet& t = set[pick];
    char kinora[96], mi[96];
    std::snprintf(kinora, sizeof kinora, "Kinora flow %.2f dB", psnr(made[2][pick], t.gt));
    std::snprintf(mi, sizeof mi, "minterpolate %.2f dB", psnr(made[1][pick], t.gt));
    writePng(picture,
        sideBySide({ { t.name + " frame 0", t.im0 }, { "frame 1", t.im1 }, { kinora, made[2][pick] },
                       { mi, made[1][pick] }, { "truth (middle frame)", t.gt } },
            detailBox(made[2][pick], made[1][pick]), 320));
}

// bedroom.mp4 with every second frame dropped and restored.
void runClip(const std::string& label, const std::vector<cv::Mat>& clip, const std::string& picture)
{
    std::vector<cv::Mat> kept, dropped;
    for (size_t i = 0; i < clip.size(); ++i)
        (i % 2 == 0 ? kept : dropped).push_back(clip[i]);
    if (dropped.size() >= kept.size())
        dropped.resize(kept.size() - 1); // a last dropped frame has no kept frame after it
    if (dropped.empty())
        throw std::runtime_error(label + ": needs at least 3 frames");
    const kinora::bench::OthersShare load;
    Score scores[3];
    std::vector<Middles> made;
    for (size_t m = 0; m < 3; ++m) {
        made.push_back(interpolators()[m].second(kept));
        const Middles& mid = made.back();
        for (size_t k = 0; k < dropped.size(); ++k) {
            scores[m].psnr += psnr(mid.frames[k], dropped[k]) / static_cast<double>(dropped.size());
            scores[m].ssim += ssim(mid.frames[k], dropped[k]) / static_cast<double>(dropped.size());
        }
        scores[m].frames = static_cast<int>(dropped.size());
        scores[m].secondsPerFrame = mid.seconds / static_cast<double>(dropped.size());
    }
    printInterpolationRow(label, scores, load.share());
    if (picture.empty())
        return;
    // The restored frame with the most motion (the frame average's worst), where methods differ.
    size_t pick = 0;
    double worst = 1e9;
    for (size_t k = 0; k < dropped.size(); ++k) {
        const double p = psnr(made[0].frames[k], dropped[k]);
        if (p < worst)
            worst = p, pick = k;
    }
    char kinora[96], mi[96], in0[64];
    std::snprintf(kinora, sizeof kinora, "Kinora flow %.2f dB", psnr(made[2].frames[pick], dropped[pick]));
    std::snprintf(mi, sizeof mi, "minterpolate %.2f dB", psnr(made[1].frames[pick], dropped[pick]));
    std::snprintf(in0, sizeof in0, "frame %zu (kept)", 2 * pick);
    writePng(picture,
        sideBySide(
            { { in0, kept[pick] }, { "frame " + std::to_string(2 * pick + 2) + " (kept)", kept[pick + 1] },
                { kinora, made[2].frames[pick] }, { mi, made[1].frames[pick] },
                { "truth (frame " + std::to_string(2 * pick + 1) + ")", dropped[pick] } },
            detailBox(dropped[pick], made[0].frames[pick]), 320));
}

struct InpaintScore {
    double psnrMask = 0, ssimMask = 0, psnrFrame = 0, flicker = 0, secondsPerFrame = 0;
};

InpaintScore scoreInpainting(const std::vector<cv::Mat>& out, const std::vector<cv::Mat>& truth,
    const std::vector<cv::Mat>& masks, double seconds)
{
    InpaintScore s;
    int scored = 0;
    for (size_t t = 0; t < out.size(); ++t) {
        s.psnrFrame += psnr(out[t], truth[t]) / static_cast<double>(out.size());
        if (cv::countNonZero(masks[t]) == 0)
            continue;
        s.psnrMask += psnr(out[t], truth[t], masks[t]);
        s.ssimMask += ssim(out[t], truth[t], masks[t]);
        ++scored;
    }
    s.psnrMask /= std::max(scored, 1);
    s.ssimMask /= std::max(scored, 1);
    int pairs = 0;
    for (size_t t = 1; t < out.size(); ++t) {
        cv::Mat either = masks[t] | masks[t - 1];
        if (cv::countNonZero(either) == 0)
            continue;
        s.flicker += meanAbsDiff(out[t], out[t - 1], either) - meanAbsDiff(truth[t], truth[t - 1], either);
        ++pairs;
    }
    s.flicker /= std::max(pairs, 1);
    s.secondsPerFrame = seconds / static_cast<double>(out.size());
    return s;
}

void runInpainting(
    const std::vector<cv::Mat>& bedroom, const std::string& maskDir, const std::string& picture)
{
    std::vector<cv::Mat> truth, masks, masked;
    for (size_t t = 0; t < bedroom.size(); ++t) {
        cv::Mat small;
        cv::resize(bedroom[t], small, { 432, 240 }, 0, 0, cv::INTER_AREA);
        char name[32];
        std::snprintf(name, sizeof name, "/%05zu.png", t);
        cv::Mat mask = readMask(maskDir + name);
        if (mask.size() != small.size())
            throw std::runtime_error(maskDir + name + " is not 432x240");
        cv::Mat in = small.clone();
        in.setTo(cv::Scalar::all(0), mask);
        truth.push_back(small);
        masks.push_back(mask);
        masked.push_back(in);
    }

    const kinora::bench::OthersShare load;
    // OpenCV Telea, each frame on its own.
    std::vector<cv::Mat> telea;
    Clock::time_point start = Clock::now();
    for (size_t t = 0; t < masked.size(); ++t) {
        cv::Mat bgr, filled;
        cv::cvtColor(masked[t], bgr, cv::COLOR_RGB2BGR);
        cv::inpaint(bgr, masks[t], filled, 5.0, cv::INPAINT_TELEA);
        cv::cvtColor(filled, filled, cv::COLOR_BGR2RGB);
        telea.push_back(filled);
    }
    const InpaintScore teleaScore = scoreInpainting(telea, truth, masks, seconds(start));

    // Kinora, streamed as footage_jobs.cpp runs it (default options, --dilate 0).
    std::vector<cv::Mat> kinora;
    start = Clock::now();
    inpaint::FlowVideoInpainter inpainter;
    const auto take = [&] {
        cv::Mat done;
        while (inpainter.pop(done)) {
            cv::cvtColor(done, done, cv::COLOR_BGR2RGB);
            kinora.push_back(done);
        }
    };
    for (size_t t = 0; t < masked.size(); ++t) {
        cv::Mat bgr;
        cv::cvtColor(masked[t], bgr, cv::COLOR_RGB2BGR);
        inpainter.push(bgr, masks[t]);
        take();
    }
    inpainter.finish();
    take();
    const InpaintScore kinoraScore = scoreInpainting(kinora, truth, masks, seconds(start));

    std::printf("\n%-34s | %-8s %-8s %-10s %-8s %-8s\n", "inpainting (bedroom 0-59, 432x240)", "PSNR in",
        "SSIM in", "PSNR frame", "flicker", "s/frame");
    for (const auto& [name, s] : { std::pair { "OpenCV Telea (r 5) per frame", teleaScore },
             std::pair { "kinora --method flow", kinoraScore } })
        std::printf("%-34s | %8.2f %8.4f %10.2f %+8.2f %8.3f\n", name, s.psnrMask, s.ssimMask, s.psnrFrame,
            s.flicker, s.secondsPerFrame);
    std::printf(
        "%-34s | %+8.2f dB in the mask\n", "flow - Telea", kinoraScore.psnrMask - teleaScore.psnrMask);
    warnIfBusy(load.share());
    if (picture.empty())
        return;
    // The frame with the largest hole.
    size_t pick = 0;
    for (size_t t = 0; t < masks.size(); ++t)
        if (cv::countNonZero(masks[t]) > cv::countNonZero(masks[pick]))
            pick = t;
    cv::Rect box = cv::boundingRect(masks[pick]);
    const int pad = 12;
    box = cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad)
        & cv::Rect(0, 0, 432, 240);
    char kinoraLabel[96], teleaLabel[96], inLabel[64];
    std::snprintf(kinoraLabel, sizeof kinoraLabel, "Kinora flow %.2f dB in mask",
        psnr(kinora[pick], truth[pick], masks[pick]));
    std::snprintf(
        teleaLabel, sizeof teleaLabel, "Telea %.2f dB in mask", psnr(telea[pick], truth[pick], masks[pick]));
    std::snprintf(inLabel, sizeof inLabel, "masked input, frame %zu", pick);
    writePng(picture,
        sideBySide({ { inLabel, masked[pick] }, { kinoraLabel, kinora[pick] }, { teleaLabel, telea[pick] },
                       { "truth", truth[pick] } },
            box, 432));
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app {
        "kinora-footage-bench: Kinora's footage methods against ffmpeg minterpolate, the frame average "
        "and OpenCV Telea on ../shared/data"
    };
    std::string data;
    std::string out;
    std::vector<std::string> sets { "middlebury", "ucf101", "bedroom", "inpainting" };
    int frames = 0;
    int threads = -1;
    app.add_option("data", data, "the shared data folder (../shared/data)")->required();
    app.add_option("--out", out, "write the side-by-side PNGs into this folder");
    app.add_option("--sets", sets, "which runs: middlebury, ucf101, bedroom, inpainting")->delimiter(',');
    app.add_option("--frames", frames, "bedroom: only the first N frames of the clip (0: all 200)");
    app.add_option("--threads", threads, "OpenCV's thread pool size (default: one per core)");
    CLI11_PARSE(app, argc, argv);
    if (threads > 0)
        cv::setNumThreads(threads);
    const auto wants
        = [&](const std::string& set) { return std::find(sets.begin(), sets.end(), set) != sets.end(); };
    const auto pictureFor
        = [&](const std::string& name) { return out.empty() ? std::string() : out + "/" + name; };
    try {
        if (!QFileInfo(QString::fromStdString(data + "/README.md")).exists())
            throw std::runtime_error(data + " is not the shared data folder (no README.md)");
        if (!out.empty() && !QDir().mkpath(QString::fromStdString(out)))
            throw std::runtime_error("cannot create " + out);
        std::printf(
            "kinora-footage-bench: %d OpenCV threads; PSNR over RGB, mean per image; SSIM on luma\n\n",
            cv::getNumThreads());
        printInterpolationHeader();
        if (wants("middlebury"))
            runTriplets("Middlebury real (triplets)", readTriplets(data + "/interpolation/middlebury"),
                pictureFor("interpolation-middlebury.png"));
        if (wants("ucf101"))
            runTriplets("UCF101 (triplets)", readTriplets(data + "/interpolation/ucf101"),
                pictureFor("interpolation-ucf101.png"));
        std::vector<cv::Mat> bedroom;
        if (wants("bedroom") || wants("inpainting"))
            bedroom = readClip(data + "/clips/bedroom.mp4", wants("bedroom") ? frames : 60);
        if (wants("bedroom"))
            runClip("bedroom.mp4, every 2nd restored", bedroom, pictureFor("interpolation-bedroom.png"));
        if (wants("inpainting")) {
            if (bedroom.size() < 60)
                throw std::runtime_error("inpainting needs bedroom.mp4's first 60 frames");
            bedroom.resize(60);
            runInpainting(
                bedroom, data + "/inpainting/dogs_jump/masks", pictureFor("inpainting-bedroom.png"));
        }
    } catch (const std::exception& e) {
        std::cerr << "kinora-footage-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
