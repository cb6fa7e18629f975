// `kinora-cli eval`: the engine's text-to-video evaluation plus inpainting and interpolation on
// held-out procedural clips, each beside a classical baseline (OpenCV Telea, linear blend).

#include "kinora/core/model_eval.h"

#include "kinora/core/contact_sheet.h"
#include "kinora/core/diffusion_job.h"
#include "kinora/core/job.h"
#include "kinora/inference/model_eval.h"
#include "kinora/inference/procedural.h"
#include "kinora/inference/tasks.h"
#include "kinora/inference/video_model.h"
#include "video_tensor.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>

namespace kinora::core {

namespace {

namespace inf = kinora::inference;

// [3, T, H, W] float in [0, 1] -> T frames of 8-bit RGB, as a file would hold them.
std::vector<cv::Mat> toFrames(const at::Tensor& video)
{
    const auto bytes = videoToRgbBytes(video);
    std::vector<cv::Mat> frames;
    for (int64_t t = 0; t < bytes.size(0); ++t)
        frames.push_back(cv::Mat(static_cast<int>(bytes.size(1)), static_cast<int>(bytes.size(2)), CV_8UC3,
            bytes[t].data_ptr<uint8_t>())
                             .clone());
    return frames;
}

at::Tensor toTensor(const std::vector<cv::Mat>& frames)
{
    auto bytes = at::empty(
        { static_cast<int64_t>(frames.size()), frames.front().rows, frames.front().cols, 3 }, at::kByte);
    for (size_t t = 0; t < frames.size(); ++t)
        std::memcpy(bytes[static_cast<int64_t>(t)].data_ptr<uint8_t>(), frames[t].data,
            frames[t].total() * frames[t].elemSize());
    return bytes.permute({ 3, 0, 1, 2 }).to(at::kFloat).div(255.0).contiguous();
}

// The hidden box of an inpainting case: around where the object is in the middle frame, half
// again its reach on each side, so that it swallows the object for several frames while it passes.
cv::Mat inpaintingMask(const inf::SceneSpec& scene, int frames, int height, int width)
{
    const auto& object = scene.objects.front();
    const auto track = inf::objectTrack(object, scene.bounce, frames, height, width);
    const auto centre = track[track.size() / 2];
    const double half = 1.5 * inf::objectReach(object, height, width) + 1;
    cv::Mat mask(height, width, CV_8UC1, cv::Scalar(0));
    const int x0 = std::clamp(static_cast<int>(std::floor(centre.x - half)), 0, width - 1);
    const int y0 = std::clamp(static_cast<int>(std::floor(centre.y - half)), 0, height - 1);
    const int x1 = std::clamp(static_cast<int>(std::ceil(centre.x + half)), x0 + 1, width);
    const int y1 = std::clamp(static_cast<int>(std::ceil(centre.y + half)), y0 + 1, height);
    mask(cv::Rect(x0, y0, x1 - x0, y1 - y0)).setTo(255);
    return mask;
}

void finish(RestorationScore& score, const FrameErrors& model, const FrameErrors& baseline)
{
    score.psnr = psnrOf(model);
    score.ssim = ssimOf(model);
    score.baselinePsnr = psnrOf(baseline);
    score.baselineSsim = ssimOf(baseline);
}

// Held-out scenes at the pack's size: every object a held-out combination, its whole path inside.
inf::SceneSpec heldOutScene(std::mt19937_64& rng, int frames, int height, int width)
{
    inf::SceneSampling how;
    how.evaluation = true;
    how.heldOut = true;
    how.twoObjects = 0;
    how.frames = frames;
    how.height = height;
    how.width = width;
    return inf::randomSceneSpec(rng, how);
}

// A contact sheet row: the clip's frames, its caption and what the scorer read in it.
SheetRow sheetRow(const inf::EvaluatedClip& clip)
{
    SheetRow row;
    for (const cv::Mat& frame : toFrames(clip.video))
        row.frames.push_back(QImage(
            frame.data, frame.cols, frame.rows, static_cast<qsizetype>(frame.step), QImage::Format_RGB888)
                                 .copy());
    const auto& s = clip.score;
    const auto& r = s.reading;
    const auto verdict = [](bool ok) { return std::string(ok ? " (ok)" : " (wrong)"); };
    std::string reading = !r.found ? "read: no object found"
                                   : "read: " + r.colour + verdict(s.colour) + " " + r.shape
            + verdict(s.shape) + " " + (r.direction.empty() ? "still" : r.direction) + verdict(s.direction);
    if (!r.background.empty())
        reading += (r.found ? " background " : ", background ") + r.background + verdict(s.background);
    row.caption = QString::fromStdString(
        std::string(clip.heldOut ? "[held-out] " : "[seen] ") + clip.scene.caption());
    row.reading = QString::fromStdString(reading);
    return row;
}

} // namespace

void accumulateFrameErrors(FrameErrors& into, const unsigned char* truth, const unsigned char* made,
    const unsigned char* mask, int width, int height)
{
    // SSIM as Wang et al. (2004): 11x11 Gaussian window, sigma 1.5, C1 = (0.01 L)^2, C2 = (0.03 L)^2,
    // per channel, the map averaged over the channels and then over the scored pixels.
    const cv::Mat a(height, width, CV_8UC3, const_cast<unsigned char*>(truth));
    const cv::Mat b(height, width, CV_8UC3, const_cast<unsigned char*>(made));
    cv::Mat x, y;
    a.convertTo(x, CV_64FC3, 1.0 / 255);
    b.convertTo(y, CV_64FC3, 1.0 / 255);
    const auto blur = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, cv::Size(11, 11), 1.5, 1.5, cv::BORDER_REFLECT);
        return out;
    };
    const cv::Mat mx = blur(x), my = blur(y);
    const cv::Mat sxx = blur(x.mul(x)) - mx.mul(mx);
    const cv::Mat syy = blur(y.mul(y)) - my.mul(my);
    const cv::Mat sxy = blur(x.mul(y)) - mx.mul(my);
    // Scalar::all: a bare double added to a 3-channel matrix would reach only its first channel.
    const cv::Scalar c1 = cv::Scalar::all(0.01 * 0.01), c2 = cv::Scalar::all(0.03 * 0.03);
    const cv::Mat numerator = (2 * mx.mul(my) + c1).mul(2 * sxy + c2);
    const cv::Mat denominator = (mx.mul(mx) + my.mul(my) + c1).mul(sxx + syy + c2);
    cv::Mat map;
    cv::divide(numerator, denominator, map);
    for (int r = 0; r < height; ++r) {
        const auto* pa = x.ptr<cv::Vec3d>(r);
        const auto* pb = y.ptr<cv::Vec3d>(r);
        const auto* pm = map.ptr<cv::Vec3d>(r);
        for (int c = 0; c < width; ++c) {
            if (mask != nullptr && mask[static_cast<size_t>(r) * width + c] == 0)
                continue;
            for (int k = 0; k < 3; ++k) {
                const double d = pa[c][k] - pb[c][k];
                into.squaredError += d * d;
            }
            into.ssimSum += (pm[c][0] + pm[c][1] + pm[c][2]) / 3;
            ++into.pixels;
        }
    }
}

double psnrOf(const FrameErrors& e)
{
    if (e.pixels == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double mse = e.squaredError / (3.0 * static_cast<double>(e.pixels));
    return mse <= 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(1.0 / mse);
}

double ssimOf(const FrameErrors& e)
{
    return e.pixels == 0 ? std::numeric_limits<double>::quiet_NaN()
                         : e.ssimSum / static_cast<double>(e.pixels);
}

ModelEvalReport evaluateModelPack(const ModelEvalRequest& r,
    const std::function<void(const ModelEvalProgress&)>& onProgress, const std::function<bool()>& isCancelled)
{
    if (r.clips < 0 || r.restorationClips < 0 || (r.clips == 0 && r.restorationClips == 0))
        throw std::invalid_argument(
            "the evaluation needs text-to-video clips or restoration clips: both counts are 0");
    const auto cancelled = [&isCancelled] { return isCancelled && isCancelled(); };
    const auto report = [&onProgress](const char* stage, int done, int total) {
        if (onProgress)
            onProgress({ QString::fromLatin1(stage), done, total });
    };
    ModelEvalReport out;
    const QString modelDir = QFileInfo(findModelDir(QString::fromStdString(r.modelDir))).absoluteFilePath();
    out.modelDir = modelDir.toStdString();
    const QString sheet = QString::fromStdString(r.sheet);
    if (!sheet.isEmpty()) {
        if (!sheet.endsWith(QLatin1String(".png"), Qt::CaseInsensitive))
            throw std::invalid_argument("the contact sheet is a PNG: name it NAME.png");
        if (r.clips == 0)
            throw std::invalid_argument("the contact sheet shows text-to-video clips, and their count is 0");
        const QString folder = QFileInfo(sheet).absolutePath();
        if (!QDir().mkpath(folder)) // before the long part, not after it
            throw std::runtime_error(
                "cannot make the folder " + folder.toStdString() + " for the contact sheet");
    }
    try {
        const auto loaded = inf::loadPack(QFile::encodeName(modelDir).toStdString(), r.device, r.precision);
        auto& model = *loaded;
        const auto& d = model.manifest().defaults;
        out.modelName = model.manifest().name;
        out.device = model.deviceName();
        out.precision = model.precision();
        out.width = d.width;
        out.height = d.height;
        out.frames = d.frames;
        out.steps = r.steps > 0 ? r.steps : d.steps;
        out.vaePsnr = inf::vaeRoundTripPsnr(model, 8, r.seed);

        if (r.clips > 0) {
            std::vector<SheetRow> rows;
            int seenRows = 0, heldOutRows = 0;
            std::function<void(const inf::EvaluatedClip&)> onClipMade;
            if (!sheet.isEmpty())
                onClipMade = [&](const inf::EvaluatedClip& clip) {
                    int& count = clip.heldOut ? heldOutRows : seenRows;
                    if (count++ < r.sheetClips)
                        rows.push_back(sheetRow(clip));
                };
            const auto t2v = inf::evaluateTextToVideo(
                model, r, [&](int done, int total) { report("text-to-video", done, total); }, cancelled,
                onClipMade);
            out.seen = t2v.seen;
            out.heldOut = t2v.heldOut;
            out.secondsPerClip = t2v.secondsPerClip;
            if (!rows.empty()) {
                writeContactSheet(sheet, rows);
                out.sheet = r.sheet;
            }
        }
        if (r.restorationClips == 0)
            return out;

        inf::TaskCallbacks callbacks;
        callbacks.isCancelled = cancelled;
        const auto requestFor = [&](inf::TaskKind task, const inf::SceneSpec& scene, int index) {
            inf::TaskRequest request;
            request.task = task;
            request.prompt = scene.caption(); // as an artist describes the shot
            request.steps = r.steps;
            request.guidance = r.guidance;
            request.seed = r.seed + static_cast<uint64_t>(index);
            return request;
        };

        // Inpainting: a static box over the object's path, the clip's own length and size.
        std::mt19937_64 rng(r.seed * 0x9E3779B97F4A7C15ull + 1009);
        FrameErrors model_, telea;
        for (int i = 0; i < r.restorationClips; ++i) {
            if (cancelled())
                throw JobCancelled();
            const auto scene = heldOutScene(rng, d.frames, d.height, d.width);
            const auto truth = toFrames(inf::renderScene(scene, d.frames, d.height, d.width));
            const cv::Mat mask = inpaintingMask(scene, d.frames, d.height, d.width);
            const auto maskTensor = at::from_blob(mask.data, { mask.rows, mask.cols }, at::kByte)
                                        .to(at::kFloat)
                                        .div(255.0)
                                        .contiguous();
            inf::TaskInput input;
            input.clip = toTensor(truth);
            input.mask = maskTensor;
            const auto made = toFrames(
                inf::runTask(model, requestFor(inf::TaskKind::Inpaint, scene, i), input, callbacks).video);
            for (size_t t = 0; t < truth.size(); ++t) {
                cv::Mat filled;
                cv::inpaint(truth[t], mask, filled, 3, cv::INPAINT_TELEA);
                accumulateFrameErrors(model_, truth[t].data, made[t].data, mask.data, d.width, d.height);
                accumulateFrameErrors(telea, truth[t].data, filled.data, mask.data, d.width, d.height);
            }
            ++out.inpainting.clips;
            report("inpainting", i + 1, r.restorationClips);
        }
        finish(out.inpainting, model_, telea);

        // Interpolation: keyframes every K of a clip K·(n − 1) + 1 frames long that fits the window.
        const int k = out.interpolationFactor;
        const int keys = (d.frames - 1) / k + 1;
        const int frames = k * (keys - 1) + 1;
        if (keys < 2)
            throw std::invalid_argument("the pack's window is too short to evaluate interpolation");
        FrameErrors between, blend;
        for (int i = 0; i < r.restorationClips; ++i) {
            if (cancelled())
                throw JobCancelled();
            const auto scene = heldOutScene(rng, frames, d.height, d.width);
            const auto truth = toFrames(inf::renderScene(scene, frames, d.height, d.width));
            std::vector<cv::Mat> keyframes;
            for (int t = 0; t < frames; t += k)
                keyframes.push_back(truth[static_cast<size_t>(t)]);
            auto request = requestFor(inf::TaskKind::Interpolate, scene, 1000 + i);
            request.factor = k;
            inf::TaskInput input;
            input.clip = toTensor(keyframes);
            const auto made = toFrames(inf::runTask(model, request, input, callbacks).video);
            if (made.size() != truth.size())
                throw std::runtime_error("interpolation made " + std::to_string(made.size()) + " frames, not "
                    + std::to_string(truth.size()));
            for (int t = 0; t < frames; ++t) {
                if (t % k == 0)
                    continue;
                const double w = static_cast<double>(t % k) / k;
                cv::Mat mixed;
                cv::addWeighted(truth[static_cast<size_t>(t - t % k)], 1 - w,
                    truth[static_cast<size_t>(t - t % k + k)], w, 0, mixed);
                const auto& expected = truth[static_cast<size_t>(t)];
                accumulateFrameErrors(
                    between, expected.data, made[static_cast<size_t>(t)].data, nullptr, d.width, d.height);
                accumulateFrameErrors(blend, expected.data, mixed.data, nullptr, d.width, d.height);
            }
            ++out.interpolation.clips;
            report("interpolation", i + 1, r.restorationClips);
        }
        finish(out.interpolation, between, blend);
    } catch (const inf::PipelineCancelled&) {
        throw JobCancelled();
    } catch (const c10::Error& e) {
        throw std::runtime_error(e.what_without_backtrace());
    }
    return out;
}

} // namespace kinora::core
