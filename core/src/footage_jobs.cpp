// The footage methods as jobs: frames streamed in from a video or a pattern, made one at a time by
// the flow methods (footage/), streamed out through VideoWriter, and a sidecar that records the
// method. OpenCV works on the frames here; nothing above core sees it.

#include "kinora/core/footage_jobs.h"

#include "footage/clip_streams.h"
#include "footage/flow_inpainting.h"
#include "footage/flow_interpolation.h"
#include "footage/image_mat.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"
#include "kinora/inference/sidecar.h"

#include <opencv2/imgproc.hpp>

#include <QFile>
#include <QJsonDocument>

#include <cmath>
#include <deque>
#include <numeric>
#include <optional>

namespace kinora::core {

namespace inf = kinora::inference;
using footage::FrameStream;
using footage::MaskStream;
using footage::toImage;
using footage::toMat;

namespace {

// --- what sets frames apart ------------------------------------------------------------------

// A small luma copy, to compare frames cheaply and independently of their size.
cv::Mat thumbnail(const cv::Mat& rgb)
{
    cv::Mat gray, small;
    cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
    const double scale = 96.0 / std::max(rgb.cols, rgb.rows);
    cv::resize(gray, small, cv::Size(), std::min(1.0, scale), std::min(1.0, scale), cv::INTER_AREA);
    return small;
}

// A duplicated frame repeats the previous one up to the codec's noise: the mean absolute luma
// difference of the thumbnails under half a level, and no thumbnail pixel more than 6 levels off.
bool isDuplicate(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat diff;
    cv::absdiff(thumbnail(a), thumbnail(b), diff);
    double maxDiff = 0;
    cv::minMaxLoc(diff, nullptr, &maxDiff);
    return cv::mean(diff)[0] < 0.5 && maxDiff <= 6;
}

// Bhattacharyya distance of the hue-saturation-value histograms (0 same, 1 disjoint).
double histogramDistance(const cv::Mat& a, const cv::Mat& b)
{
    const auto histogram = [](const cv::Mat& rgb) {
        cv::Mat small, hsv, hist;
        const double scale = std::min(1.0, 160.0 / std::max(rgb.cols, rgb.rows));
        cv::resize(rgb, small, cv::Size(), scale, scale, cv::INTER_AREA);
        cv::cvtColor(small, hsv, cv::COLOR_RGB2HSV);
        const int channels[] = { 0, 1, 2 };
        const int bins[] = { 16, 8, 8 };
        const float hue[] = { 0, 180 }, level[] = { 0, 256 };
        const float* ranges[] = { hue, level, level };
        cv::calcHist(&hsv, 1, channels, cv::Mat(), hist, 3, bins, ranges);
        cv::normalize(hist, hist, 1, 0, cv::NORM_L1);
        return hist;
    };
    return cv::compareHist(histogram(a), histogram(b), cv::HISTCMP_BHATTACHARYYA);
}

// A cut: no motion explains the change. Either the colours have little in common, or they differ
// noticeably and the two-way flow agrees with itself on under a third of the picture.
bool isSceneCut(const interp::FramePairFlow& pair)
{
    const double colours = histogramDistance(pair.frame0, pair.frame1);
    if (colours > 0.6)
        return true;
    if (colours < 0.25)
        return false;
    cv::Mat consistent;
    cv::compare(pair.conf0, 0.5, consistent, cv::CMP_GT);
    return cv::countNonZero(consistent) < 0.33 * static_cast<double>(consistent.total());
}

// Frames of IN that are not repeats of the one before (a run of at most kMaxRepeats repeats is a
// duplicated frame, re-timed away; a longer run is a hold and kept).
constexpr int kMaxRepeats = 2;

struct Key {
    int64_t index = 0;
    cv::Mat frame;
};

class KeyStream {
public:
    explicit KeyStream(FrameStream& frames)
        : m_frames(frames)
    {
    }

    // The next key frame; false at the end.
    bool next(Key& key)
    {
        while (m_ready.empty() && !m_done)
            pull();
        if (m_ready.empty())
            return false;
        key = std::move(m_ready.front());
        m_ready.pop_front();
        return true;
    }

    const std::vector<int64_t>& droppedDuplicates() const { return m_dropped; }

private:
    void pull()
    {
        QImage image;
        if (!m_frames.next(image)) {
            m_done = true;
            for (auto& held : m_repeats) // repeats at the very end: nothing to re-time them towards
                m_ready.push_back(std::move(held));
            m_repeats.clear();
            return;
        }
        Key key { m_index++, toMat(image) };
        if (m_last.empty() || !isDuplicate(m_last, key.frame)) {
            for (const auto& dropped : m_repeats)
                m_dropped.push_back(dropped.index);
            m_repeats.clear();
            m_last = key.frame;
            m_ready.push_back(std::move(key));
            return;
        }
        m_repeats.push_back(std::move(key));
        if (static_cast<int>(m_repeats.size()) > kMaxRepeats) { // a hold: its frames are real
            for (auto& held : m_repeats)
                m_ready.push_back(std::move(held));
            m_repeats.clear();
        }
    }

    FrameStream& m_frames;
    int64_t m_index = 0;
    cv::Mat m_last;
    std::deque<Key> m_ready;
    std::vector<Key> m_repeats;
    std::vector<int64_t> m_dropped;
    bool m_done = false;
};

QString timeOf(int64_t frame, const Rational& rate)
{
    if (!rate.valid())
        return QStringLiteral("frame %1").arg(frame);
    return QStringLiteral("%1 s").arg(static_cast<double>(frame) / rate.value(), 0, 'f', 2);
}

struct Made {
    int64_t frames = 0;
    int64_t inputFrames = 0; // in the range read
    QSize size;
    Rational rate;
    inf::SidecarJson extra = inf::SidecarJson::object();
};

Made interpolateFrames(const DiffusionJobRequest& r, FootageMethod method, const QString& output,
    EncodeSettings settings, const JobCallbacks& cb)
{
    FrameStream frames(QString::fromStdString(r.input), cb, { r.inputStart, r.inputFrames });
    frames.assumeRate(r.inputFps);
    if (frames.frameCount() < 2)
        throw std::runtime_error("interpolation needs at least 2 frames");
    const Rational inRate = frames.hasRate() ? frames.meta().fps : Rational {};
    Retiming timing;
    Rational outRate;
    if (r.factor == 1 || r.factor < 0)
        throw std::invalid_argument("the interpolation factor must be at least 2");
    if (r.factor >= 2) {
        timing = Retiming::byFactor(r.factor);
        const Rational base = inRate.valid() ? inRate : ClipMeta {}.fps;
        outRate = { base.num * r.factor, base.den };
    } else if (r.fps > 0) {
        if (!inRate.valid())
            throw std::runtime_error(
                "a target frame rate needs the input's frame rate, which an image sequence does not "
                "carry; interpolate by a factor instead");
        outRate = Rational::parse(QString::number(r.fps, 'g', 12));
        timing = Retiming::toRate(inRate, outRate);
    } else {
        throw std::invalid_argument("interpolation needs a factor or a target frame rate");
    }
    const int64_t total = timing.outputFrames(frames.frameCount());
    settings.meta = frames.meta();
    settings.meta.fps = outRate;
    settings.expectedFrames = total;
    auto writer = VideoWriter::create(output, frames.size(), QImage::Format_RGB888, settings, cb.onWarning);

    interp::FlowInterpOptions options;
    options.channelOrder = interp::ChannelOrder::RGB;
    KeyStream keys(frames);
    // A window of four key frames, prev, a, b, next: positions between a and b are made from the
    // pair (a, b), whose trajectories bend with the flows of the pairs on either side (the
    // acceleration-aware model of flow_interpolation.h). Each pair's flow is computed once and
    // moves down the window with its frames.
    struct Slot {
        Key key;
        bool present = false;
    };
    struct PairSlot {
        std::optional<interp::FramePairFlow> flow;
        bool cut = false;
        bool warned = false;
    };
    Slot prev, a, b, next;
    PairSlot before, pair, after; // (prev, a), (a, b), (b, next)
    a.present = keys.next(a.key);
    if (!a.present)
        throw std::runtime_error("interpolation needs at least 2 frames");
    b.present = keys.next(b.key);
    next.present = b.present && keys.next(next.key);
    const auto flowOf = [&](PairSlot& slot, const Slot& x, const Slot& y) -> PairSlot& {
        if (!slot.flow && x.present && y.present) {
            slot.flow = interp::computePairFlow(x.key.frame, y.key.frame, options);
            slot.cut = isSceneCut(*slot.flow);
        }
        return slot;
    };
    std::vector<int64_t> cuts;
    const auto cancelled = [&cb] { return cb.isCancelled && cb.isCancelled(); };
    for (int64_t j = 0; j < total; ++j) {
        if (cancelled())
            throw JobCancelled();
        const RetimePosition at = timing.position(j);
        // Move the window forward until b is past the position (or the clip ends).
        while (b.present && b.key.index <= at.frame) {
            prev = std::move(a);
            a = std::move(b);
            b = std::move(next);
            before = std::move(pair);
            pair = std::move(after);
            after = {};
            next.present = b.present && keys.next(next.key);
        }
        cv::Mat made;
        const bool onKey = at.frame == a.key.index && at.numerator == 0;
        if (onKey || !b.present) {
            made = a.key.frame;
        } else {
            // Position within the key pair (b may be more than one frame on, past duplicates).
            const int64_t span = b.key.index - a.key.index;
            const double s = static_cast<double>(at.frame - a.key.index) + at.t();
            const double t = s / static_cast<double>(span);
            if (method == FootageMethod::Blend) {
                cv::addWeighted(a.key.frame, 1 - t, b.key.frame, t, 0, made);
            } else {
                PairSlot& current = flowOf(pair, a, b);
                if (current.cut && !current.warned) {
                    current.warned = true;
                    cuts.push_back(b.key.index);
                    if (cb.onWarning)
                        cb.onWarning(QStringLiteral("scene cut between frames %1 and %2 (at %3): not "
                                                    "interpolated across it, the nearer frame repeated")
                                         .arg(a.key.index)
                                         .arg(b.key.index)
                                         .arg(timeOf(b.key.index, inRate)));
                }
                if (current.cut) {
                    made = t < 0.5 ? a.key.frame : b.key.frame;
                } else {
                    // Neighbours across a scene cut (or past the clip's ends) leave that side at
                    // constant velocity.
                    const PairSlot& left = flowOf(before, prev, a);
                    const PairSlot& right = flowOf(after, b, next);
                    interp::attachNeighbours(*current.flow, left.flow && !left.cut ? &*left.flow : nullptr,
                        right.flow && !right.cut ? &*right.flow : nullptr,
                        prev.present
                            ? static_cast<double>(a.key.index - prev.key.index) / static_cast<double>(span)
                            : 1.0,
                        next.present
                            ? static_cast<double>(next.key.index - b.key.index) / static_cast<double>(span)
                            : 1.0);
                    made = interp::synthesize(*current.flow, t);
                }
            }
        }
        writer->write(toImage(made));
        if (cb.onProgress)
            cb.onProgress({ static_cast<int>(j + 1), static_cast<int>(total), 0, 1 });
    }
    if (cancelled())
        throw JobCancelled();
    const auto& dropped = keys.droppedDuplicates();
    if (!dropped.empty() && cb.onWarning)
        cb.onWarning(QStringLiteral("%1 duplicated frame(s) in IN (the first at frame %2): re-timed, the "
                                    "motion spread over the frames around them")
                         .arg(dropped.size())
                         .arg(dropped.front()));
    writer->finish();
    Made out { total, frames.frameCount(), frames.size(), outRate };
    out.extra["scene_cuts"] = cuts;
    out.extra["duplicated_frames"] = dropped;
    return out;
}

Made inpaintFrames(
    const DiffusionJobRequest& r, const QString& output, EncodeSettings settings, const JobCallbacks& cb)
{
    FrameStream frames(QString::fromStdString(r.input), cb, { r.inputStart, r.inputFrames });
    frames.assumeRate(r.inputFps);
    MaskStream masks(QString::fromStdString(r.mask), frames.frameCount(), frames.size(), cb);
    if (r.dilate < 0)
        throw std::invalid_argument("the mask dilation must not be negative");
    settings.meta = frames.meta();
    if (!frames.hasRate() && r.fps > 0) // an image sequence at the rate the request names
        settings.meta.fps = Rational::parse(QString::number(r.fps, 'g', 12));
    settings.expectedFrames = frames.frameCount();
    auto writer = VideoWriter::create(output, frames.size(), QImage::Format_RGB888, settings, cb.onWarning);
    inpaint::FlowInpaintOptions options;
    options.maskDilation = r.dilate;
    inpaint::FlowVideoInpainter inpainter(options);
    const int64_t total = frames.frameCount();
    int64_t written = 0;
    const auto cancelled = [&cb] { return cb.isCancelled && cb.isCancelled(); };
    const auto drain = [&] {
        cv::Mat made;
        while (inpainter.pop(made)) {
            cv::cvtColor(made, made, cv::COLOR_BGR2RGB);
            writer->write(toImage(made));
            ++written;
            if (cb.onProgress)
                cb.onProgress({ static_cast<int>(written), static_cast<int>(total), 0, 1 });
        }
    };
    QImage image;
    while (frames.next(image)) {
        if (cancelled())
            throw JobCancelled();
        cv::Mat bgr;
        cv::cvtColor(toMat(image), bgr, cv::COLOR_RGB2BGR);
        inpainter.push(bgr, masks.next());
        drain();
    }
    inpainter.finish();
    drain();
    if (cancelled())
        throw JobCancelled();
    writer->finish();
    Made out { written, frames.frameCount(), frames.size(), settings.meta.fps };
    out.extra["mask_dilation"] = r.dilate;
    return out;
}

} // namespace

const char* methodName(FootageMethod method)
{
    switch (method) {
    case FootageMethod::Diffusion:
        return "diffusion";
    case FootageMethod::Flow:
        return "flow";
    case FootageMethod::Blend:
        return "blend";
    }
    return "diffusion";
}

FootageMethod resolveMethod(const DiffusionJobRequest& r)
{
    const bool footage = r.task == DiffusionTask::Interpolate || r.task == DiffusionTask::Inpaint;
    if (r.method.empty() || r.method == "auto")
        return footage ? FootageMethod::Flow : FootageMethod::Diffusion;
    if (r.method == "diffusion")
        return FootageMethod::Diffusion;
    if (r.method == "flow" && footage)
        return FootageMethod::Flow;
    if (r.method == "blend" && r.task == DiffusionTask::Interpolate)
        return FootageMethod::Blend;
    throw std::invalid_argument("the method \"" + r.method + "\" does not " + taskName(r.task)
        + " (interpolate: auto, flow, blend or diffusion; inpaint: auto, flow or diffusion)");
}

Retiming Retiming::byFactor(int factor)
{
    Retiming t;
    t.m_step = 1;
    t.m_per = factor;
    return t;
}

Retiming Retiming::toRate(Rational input, Rational output)
{
    // Input frames per output frame: (in.num / in.den) / (out.num / out.den), reduced.
    int64_t step = static_cast<int64_t>(input.num) * output.den;
    int64_t per = static_cast<int64_t>(input.den) * output.num;
    const int64_t g = std::gcd(step, per);
    Retiming t;
    t.m_step = step / g;
    t.m_per = per / g;
    return t;
}

int64_t Retiming::outputFrames(int64_t inputFrames) const
{
    // The last output frame at or before the last input frame.
    return (inputFrames - 1) * m_per / m_step + 1;
}

RetimePosition Retiming::position(int64_t j) const
{
    const int64_t numerator = j * m_step;
    return { numerator / m_per, numerator % m_per, m_per };
}

DiffusionJobResult runFootageJob(const DiffusionJobRequest& r, const JobCallbacks& cb)
{
    const FootageMethod method = resolveMethod(r);
    if (method == FootageMethod::Diffusion)
        throw std::invalid_argument("runFootageJob runs the flow and blend methods only");
    const QString output = QString::fromStdString(r.output);
    const EncodeSettings settings = outputSettings(r);
    const Made made = r.task == DiffusionTask::Interpolate
        ? interpolateFrames(r, method, output, settings, cb)
        : inpaintFrames(r, output, settings, cb);

    inf::SidecarRequest q;
    q.task = taskName(r.task);
    q.input = r.input;
    q.mask = r.mask;
    q.output = r.output;
    if (r.task == DiffusionTask::Interpolate && r.factor >= 2)
        q.factor = r.factor;
    q.outputFrames = static_cast<int>(made.frames);
    q.outputWidth = made.size.width();
    q.outputHeight = made.size.height();
    q.width = made.size.width();
    q.height = made.size.height();
    q.fps = made.rate.value();
    auto request = inf::sidecarRequestJson(q);
    // No model ran: the diffusion settings mean nothing here.
    for (const char* key : { "prompt", "negative_prompt", "frames", "width", "height", "steps", "guidance",
             "sampler", "seed", "windows", "window_frames", "overlap_frames" })
        request.erase(key);
    request["method"] = methodName(method);
    request["input_start"] = r.inputStart; // the range of IN that was read
    request["input_frames"] = made.inputFrames;
    for (const auto& [key, value] : made.extra.items())
        request[key] = value;
    const auto sidecar = inf::sidecarJson(request, nullptr, "cpu", "uint8");
    DiffusionJobResult out;
    out.output = output;
    out.sidecar = sidecarPath(output);
    try {
        inf::writeSidecar(QFile::encodeName(out.sidecar).toStdString(), sidecar);
    } catch (...) { // frames without the sidecar that describes them are not a finished job
        removeOutput(output);
        throw;
    }
    out.sidecarJson = QJsonDocument::fromJson(QByteArray::fromStdString(sidecar.dump())).object();
    out.frames = static_cast<int>(made.frames);
    out.width = made.size.width();
    out.height = made.size.height();
    out.fps = made.rate.value();
    out.device = QStringLiteral("cpu");
    out.method = QString::fromLatin1(methodName(method));
    return out;
}

} // namespace kinora::core
