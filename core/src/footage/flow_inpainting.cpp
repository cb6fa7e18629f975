#include "footage/flow_inpainting.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>
#include <opencv2/video/tracking.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace kinora::core::inpaint {

// ---------------------------------------------------------------------------------------------
// Membrane solver
// ---------------------------------------------------------------------------------------------
namespace membrane {
namespace {

constexpr float kOmega = 1.6f; // over-relaxation: converges for any omega in (0, 2), fastest near 1.6-1.9

void solveLevel(cv::Mat& field, const cv::Mat& labels, int sweeps)
{
    const int w = field.cols, h = field.rows, n = field.channels();
    std::vector<int> solveIdx;
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* l = labels.ptr<std::uint8_t>(y);
        for (int x = 0; x < w; ++x)
            if (l[x] == kSolve)
                solveIdx.push_back(y * w + x);
    }
    if (solveIdx.empty())
        return;
    float* f = field.ptr<float>();
    const std::uint8_t* lab = labels.ptr<std::uint8_t>();

    if (w <= 2 || h <= 2) {
        // Coarsest level: start from the mean of the fixed values, then relax.
        std::vector<double> mean(n, 0.0);
        int count = 0;
        for (int i = 0; i < w * h; ++i)
            if (lab[i] == kFixed) {
                for (int c = 0; c < n; ++c)
                    mean[c] += f[i * n + c];
                ++count;
            }
        for (int i : solveIdx)
            for (int c = 0; c < n; ++c)
                f[i * n + c] = count ? float(mean[c] / count) : 0.0f;
        sweeps *= 4;
    } else {
        // Restrict: a coarse pixel is fixed if any of its fine pixels is (value = their mean), else
        // unknown if any is unknown, else outside the domain.
        const int cw = (w + 1) / 2, ch = (h + 1) / 2;
        cv::Mat coarse(ch, cw, field.type(), cv::Scalar::all(0));
        cv::Mat coarseLabels(ch, cw, CV_8UC1, cv::Scalar(kIgnore));
        float* cf = coarse.ptr<float>();
        std::uint8_t* cl = coarseLabels.ptr<std::uint8_t>();
        for (int cy = 0; cy < ch; ++cy)
            for (int cx = 0; cx < cw; ++cx) {
                float sum[4] = { 0, 0, 0, 0 };
                int fixedCount = 0;
                bool anySolve = false;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        const int x = 2 * cx + dx, y = 2 * cy + dy;
                        if (x >= w || y >= h)
                            continue;
                        const int i = y * w + x;
                        if (lab[i] == kFixed) {
                            for (int c = 0; c < n; ++c)
                                sum[c] += f[i * n + c];
                            ++fixedCount;
                        } else if (lab[i] == kSolve) {
                            anySolve = true;
                        }
                    }
                const int ci = cy * cw + cx;
                if (fixedCount) {
                    cl[ci] = kFixed;
                    for (int c = 0; c < n; ++c)
                        cf[ci * n + c] = sum[c] / fixedCount;
                } else if (anySolve) {
                    cl[ci] = kSolve;
                }
            }
        solveLevel(coarse, coarseLabels, sweeps);

        // Prolong: bilinear from the coarse solution over in-domain coarse pixels.
        for (int i : solveIdx) {
            const int x = i % w, y = i / w;
            const float gx = std::clamp((x - 0.5f) * 0.5f, 0.0f, float(cw - 1));
            const float gy = std::clamp((y - 0.5f) * 0.5f, 0.0f, float(ch - 1));
            const int x0 = int(gx), y0 = int(gy);
            const int x1 = std::min(x0 + 1, cw - 1), y1 = std::min(y0 + 1, ch - 1);
            const float ax = gx - x0, ay = gy - y0;
            const int ids[4] = { y0 * cw + x0, y0 * cw + x1, y1 * cw + x0, y1 * cw + x1 };
            const float wts[4] = { (1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay };
            float acc[4] = { 0, 0, 0, 0 };
            float wsum = 0;
            for (int k = 0; k < 4; ++k)
                if (cl[ids[k]] != kIgnore && wts[k] > 0) {
                    for (int c = 0; c < n; ++c)
                        acc[c] += wts[k] * cf[ids[k] * n + c];
                    wsum += wts[k];
                }
            const int own = (y / 2) * cw + (x / 2); // always in the domain: it contains this pixel
            for (int c = 0; c < n; ++c)
                f[i * n + c] = wsum > 0 ? acc[c] / wsum : cf[own * n + c];
        }
    }

    // Gauss-Seidel / SOR sweeps of the 4-neighbour Laplace equation.
    for (int s = 0; s < sweeps; ++s)
        for (int i : solveIdx) {
            const int x = i % w, y = i / w;
            float acc[4] = { 0, 0, 0, 0 };
            int count = 0;
            auto add = [&](int j) {
                if (lab[j] == kIgnore)
                    return;
                for (int c = 0; c < n; ++c)
                    acc[c] += f[j * n + c];
                ++count;
            };
            if (x > 0)
                add(i - 1);
            if (x < w - 1)
                add(i + 1);
            if (y > 0)
                add(i - w);
            if (y < h - 1)
                add(i + w);
            if (!count)
                continue;
            for (int c = 0; c < n; ++c)
                f[i * n + c] += kOmega * (acc[c] / count - f[i * n + c]);
        }
}

} // namespace

void solve(cv::Mat& field, const cv::Mat& labels, int sweepsPerLevel)
{
    CV_Assert(field.depth() == CV_32F && field.channels() <= 4 && labels.type() == CV_8UC1
        && labels.size() == field.size() && field.isContinuous() && labels.isContinuous());
    solveLevel(field, labels, sweepsPerLevel);
}

} // namespace membrane

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
namespace {

cv::Mat ellipse(int radius)
{
    return cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * radius + 1, 2 * radius + 1));
}

cv::Mat dilated(const cv::Mat& mask, int radius)
{
    if (radius <= 0)
        return mask.clone();
    cv::Mat out;
    cv::dilate(mask, out, ellipse(radius));
    return out;
}

// Bilinear sample of a CV_32FC2 field, clamped to the border.
inline cv::Vec2f sample2(const cv::Mat& m, float x, float y)
{
    x = std::clamp(x, 0.0f, float(m.cols - 1));
    y = std::clamp(y, 0.0f, float(m.rows - 1));
    const int x0 = int(x), y0 = int(y);
    const int x1 = std::min(x0 + 1, m.cols - 1), y1 = std::min(y0 + 1, m.rows - 1);
    const float ax = x - x0, ay = y - y0;
    const cv::Vec2f* r0 = m.ptr<cv::Vec2f>(y0);
    const cv::Vec2f* r1 = m.ptr<cv::Vec2f>(y1);
    return (r0[x0] * (1 - ax) + r0[x1] * ax) * (1 - ay) + (r1[x0] * (1 - ax) + r1[x1] * ax) * ay;
}

// Bilinear sample of an 8-bit BGR image; (x, y) must lie inside.
inline cv::Vec3f sample3(const cv::Mat& m, float x, float y)
{
    const int x0 = std::min(int(x), m.cols - 1), y0 = std::min(int(y), m.rows - 1);
    const int x1 = std::min(x0 + 1, m.cols - 1), y1 = std::min(y0 + 1, m.rows - 1);
    const float ax = x - x0, ay = y - y0;
    const cv::Vec3b* r0 = m.ptr<cv::Vec3b>(y0);
    const cv::Vec3b* r1 = m.ptr<cv::Vec3b>(y1);
    cv::Vec3f out;
    for (int c = 0; c < 3; ++c)
        out[c] = (r0[x0][c] * (1 - ax) + r0[x1][c] * ax) * (1 - ay)
            + (r1[x0][c] * (1 - ax) + r1[x1][c] * ax) * ay;
    return out;
}

// True when all four bilinear taps around (x, y) are known (mask == 0), so no hole colour leaks in.
inline bool knownAt(const cv::Mat& mask, float x, float y)
{
    const int x0 = std::min(int(x), mask.cols - 1), y0 = std::min(int(y), mask.rows - 1);
    const int x1 = std::min(x0 + 1, mask.cols - 1), y1 = std::min(y0 + 1, mask.rows - 1);
    const std::uint8_t* r0 = mask.ptr<std::uint8_t>(y0);
    const std::uint8_t* r1 = mask.ptr<std::uint8_t>(y1);
    return !(r0[x0] | r0[x1] | r1[x0] | r1[x1]);
}

inline bool inside(const cv::Mat& m, float x, float y)
{
    return x >= 0 && y >= 0 && x <= float(m.cols - 1) && y <= float(m.rows - 1);
}

// Replaces `field` inside `hole` by the membrane interpolation of its surroundings.
void fillHole(cv::Mat& field, const cv::Mat& hole, const cv::Mat& keep = cv::Mat())
{
    cv::Mat labels(field.size(), CV_8UC1, cv::Scalar(membrane::kFixed));
    labels.setTo(membrane::kSolve, hole);
    if (!keep.empty())
        labels.setTo(membrane::kFixed, keep);
    membrane::solve(field, labels);
}

// Forward-backward consistency of a flow step f and the flow b found back at its target, relative
// to the tolerance: <= 1 passes. The test is Sundaram, Brox & Keutzer's (ECCV 2010)
// |f + b|^2 <= rel * (|f|^2 + |b|^2) + abs^2, which allows more slack for fast motion.
inline float consistencyRatio(cv::Vec2f f, cv::Vec2f b, float absTol, float relTol)
{
    const cv::Vec2f e = f + b;
    return std::sqrt(e.dot(e) / (relTol * (f.dot(f) + b.dot(b)) + absTol * absTol));
}

struct Source {
    bool found = false;
    int distance = 0;
    cv::Vec3f colour;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Streaming inpainter
// ---------------------------------------------------------------------------------------------
struct FlowVideoInpainter::Impl {
    // One frame of the sliding window. Flows are stored at flow resolution, in flow-resolution pixels.
    struct Frame {
        cv::Mat bgr; // input, CV_8UC3
        cv::Mat mask; // fill region, CV_8UC1 0/255 (after the caller's dilation)
        cv::Mat flowGray; // grey image at flow resolution, CV_32FC1 (hole content unspecified)
        cv::Mat smallHole; // hole at flow resolution
        cv::Mat flowHole; // hole grown by flowHoleDilation at flow resolution
        cv::Mat forward; // flow this -> next frame on this frame's grid (completed), CV_32FC2
        cv::Mat backward; // flow next -> this frame on the next frame's grid (completed), CV_32FC2
        cv::Mat rawForward, rawBackward; // the estimator's flows before completion (kept briefly)
    };

    FlowInpaintOptions opt;
    cv::Ptr<cv::DISOpticalFlow> dis;
    std::deque<Frame> window;
    std::int64_t firstIndex = 0; // global index of window.front()
    std::int64_t nextOut = 0; // next frame to produce
    bool finished = false;
    cv::Mat previousOut;
    std::deque<std::pair<cv::Mat, cv::Mat>> ready; // output frame, PixelSource map

    explicit Impl(FlowInpaintOptions o)
        : opt(o)
    {
        opt.maxPropagation = std::max(1, opt.maxPropagation);
        opt.flowScale = std::clamp(opt.flowScale, 0.1, 1.0);
        dis = cv::DISOpticalFlow::create(std::clamp(opt.disPreset, 0, 2));
    }

    std::int64_t lastIndex() const { return firstIndex + std::int64_t(window.size()) - 1; }
    Frame& at(std::int64_t t) { return window[std::size_t(t - firstIndex)]; }

    cv::Size flowSize(cv::Size s) const
    {
        return { std::max(8, int(std::lround(s.width * opt.flowScale))),
            std::max(8, int(std::lround(s.height * opt.flowScale))) };
    }

    void push(const cv::Mat& frame, const cv::Mat& mask)
    {
        if (finished)
            throw std::logic_error("FlowVideoInpainter: push after finish");
        if (frame.type() != CV_8UC3)
            throw std::invalid_argument("FlowVideoInpainter: frame must be 8-bit BGR");
        if (mask.size() != frame.size() || mask.type() != CV_8UC1)
            throw std::invalid_argument("FlowVideoInpainter: mask must be 8-bit single channel, frame-sized");
        if (!window.empty() && window.back().bgr.size() != frame.size())
            throw std::invalid_argument("FlowVideoInpainter: frame size changed");

        Frame f;
        f.bgr = frame.clone();
        cv::compare(mask, 0, f.mask, cv::CMP_NE);
        f.mask = dilated(f.mask, opt.maskDilation);

        const cv::Size fs = flowSize(frame.size());
        cv::Mat grey, greySmall, holeSmall;
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        cv::resize(grey, greySmall, fs, 0, 0, cv::INTER_AREA);
        cv::resize(f.mask, holeSmall, fs, 0, 0, cv::INTER_AREA);
        cv::compare(holeSmall, 0, holeSmall, cv::CMP_GT);
        greySmall.convertTo(f.flowGray, CV_32F);
        f.smallHole = holeSmall;
        f.flowHole = dilated(holeSmall, int(std::ceil(opt.flowHoleDilation * opt.flowScale)));

        window.push_back(std::move(f));
        if (window.size() >= 2)
            computeFlows(window[window.size() - 2], window.back());
        produceReady();
    }

    void finish()
    {
        finished = true;
        produceReady();
    }

    // Estimates the flow both ways between neighbours and replaces it in the holes by a membrane
    // fill from the surrounding flow.
    void computeFlows(Frame& a, Frame& b)
    {
        // The estimator must not see the zeroed/foreign hole content as structure, nor a moving hole
        // edge (it would drag the surrounding flow along with the removed object): both frames get
        // the union of the two holes filled smoothly from their own surroundings, so the filled
        // shape is static between the two images.
        cv::Mat region = opt.pairUnionPrefill ? (a.smallHole | b.smallHole) : cv::Mat();
        auto prefill = [&](const Frame& f) {
            cv::Mat g = f.flowGray.clone(), g8;
            fillHole(g, dilated(opt.pairUnionPrefill ? region : f.smallHole, 1));
            g.convertTo(g8, CV_8U);
            return g8;
        };
        const cv::Mat ga = prefill(a), gb = prefill(b);
        dis->calc(ga, gb, a.rawForward);
        dis->calc(gb, ga, a.rawBackward);
        // DIS saw only pre-fill inside either hole, so the flow there is discarded in both
        // directions (or only in each flow's own frame's hole, if so configured).
        const cv::Mat both = a.flowHole | b.flowHole;
        Frame* prev = window.size() >= 3 ? &window[window.size() - 3] : nullptr; // frame before a
        const bool usePrior = opt.temporalFlowPrior && prev && !prev->rawBackward.empty();
        a.backward = a.rawBackward.clone();
        fillHole(a.backward, opt.discardBothHoles ? both : b.flowHole);
        if (usePrior) {
            // Now that a -> b is measured, redo prev's backward flow (on a's grid): visible in a and b,
            // hidden in prev: f(a->prev) = -f(a->b).
            cv::Mat pm = prev->flowHole & ~(a.flowHole | b.flowHole);
            pm &= consistentMask(a.rawForward, a.backward);
            cv::Mat field = prev->rawBackward.clone();
            cv::Mat neg = -a.rawForward;
            neg.copyTo(field, pm);
            fillHole(field, opt.discardBothHoles ? (prev->flowHole | a.flowHole) : prev->flowHole, pm);
            prev->backward = field;
        }
        a.forward = a.rawForward.clone();
        const cv::Mat discard = opt.discardBothHoles ? both : a.flowHole;
        cv::Mat priorMask;
        if (usePrior) {
            // Visible in a and in the frame before, hidden in b: constant velocity, f(a->b) = -f(a->prev).
            priorMask = b.flowHole & ~(a.flowHole | prev->flowHole);
            priorMask &= consistentMask(prev->rawBackward, prev->forward);
            cv::Mat neg = -prev->rawBackward;
            neg.copyTo(a.forward, priorMask);
        }
        fillHole(a.forward, discard, priorMask);
        if (usePrior && opt.flowCarryWeight > 0) {
            // Hidden in a: the scene point keeps the velocity it had one frame earlier (the previous
            // completed flow, transported along the flow), blended with the interpolation.
            const float w = std::clamp(opt.flowCarryWeight, 0.0f, 1.0f);
            for (int y = 0; y < a.forward.rows; ++y) {
                const std::uint8_t* d = discard.ptr<std::uint8_t>(y);
                const std::uint8_t* pr = priorMask.ptr<std::uint8_t>(y);
                const std::uint8_t* ha = a.flowHole.ptr<std::uint8_t>(y);
                cv::Vec2f* f = a.forward.ptr<cv::Vec2f>(y);
                const cv::Vec2f* bk = prev->backward.ptr<cv::Vec2f>(y);
                for (int x = 0; x < a.forward.cols; ++x) {
                    if (!d[x] || pr[x] || !ha[x])
                        continue;
                    const float qx = x + bk[x][0], qy = y + bk[x][1];
                    if (!inside(a.forward, qx, qy))
                        continue;
                    f[x] = f[x] * (1 - w) + sample2(prev->forward, qx, qy) * w;
                }
            }
            if (opt.symmetricFlowCarry) {
                // The same backwards in time: hidden in a, the flow a -> prev is the flow b -> a at
                // the scene point's position in b.
                cv::Mat nb = prev->backward.clone();
                for (int y = 0; y < a.forward.rows; ++y) {
                    const std::uint8_t* ha = a.flowHole.ptr<std::uint8_t>(y);
                    const cv::Vec2f* f = a.forward.ptr<cv::Vec2f>(y);
                    cv::Vec2f* bk = nb.ptr<cv::Vec2f>(y);
                    for (int x = 0; x < a.forward.cols; ++x) {
                        if (!ha[x])
                            continue;
                        const float qx = x + f[x][0], qy = y + f[x][1];
                        if (!inside(a.forward, qx, qy))
                            continue;
                        bk[x] = bk[x] * (1 - w) + sample2(a.backward, qx, qy) * w;
                    }
                }
                prev->backward = nb;
            }
        }
        if (prev)
            prev->rawBackward.release();
        if (!opt.temporalFlowPrior)
            a.rawBackward.release();
        a.rawForward.release();
    }

    // Pixels of `flow`'s grid whose vector passes the forward-backward check against `back` (on the
    // target grid).
    cv::Mat consistentMask(const cv::Mat& flow, const cv::Mat& back) const
    {
        cv::Mat ok(flow.size(), CV_8UC1, cv::Scalar(0));
        for (int y = 0; y < flow.rows; ++y) {
            const cv::Vec2f* f = flow.ptr<cv::Vec2f>(y);
            std::uint8_t* o = ok.ptr<std::uint8_t>(y);
            for (int x = 0; x < flow.cols; ++x) {
                const float qx = x + f[x][0], qy = y + f[x][1];
                if (!inside(back, qx, qy))
                    continue;
                const cv::Vec2f b = sample2(back, qx, qy);
                // at flow resolution: the tolerance is scaled with it
                const float s = float(opt.flowScale);
                if (consistencyRatio(f[x], b, opt.consistencyAbs * s, opt.consistencyRel) <= 1.0f)
                    o[x] = 255;
            }
        }
        return ok;
    }

    void produceReady()
    {
        while (!window.empty() && nextOut <= lastIndex()
            && (finished || lastIndex() >= nextOut + opt.maxPropagation)) {
            cv::Mat sources;
            cv::Mat out = produce(nextOut, sources);
            ready.emplace_back(std::move(out), std::move(sources));
            ++nextOut;
            // Frames older than nextOut - maxPropagation can no longer be a source.
            while (!window.empty() && firstIndex < nextOut - opt.maxPropagation) {
                window.pop_front();
                ++firstIndex;
            }
        }
    }

    // Follows the completed flow from pixel (x, y) of frame t in direction dir (+1/-1) until it lands
    // on a known pixel, leaves the frame, fails the consistency check, or runs out of window.
    Source trace(std::int64_t t, int x, int y, int dir)
    {
        const float s = float(opt.flowScale);
        const cv::Mat& mask0 = at(t).mask;
        float px = float(x), py = float(y);
        for (int k = 1; k <= opt.maxPropagation; ++k) {
            const std::int64_t from = t + dir * (k - 1), to = from + dir;
            if (to < firstIndex || to > lastIndex())
                break;
            const cv::Mat& step = dir > 0 ? at(from).forward : at(to).backward; // on grid `from`
            const cv::Mat& back = dir > 0 ? at(from).backward : at(to).forward; // on grid `to`
            if (step.empty())
                break;
            const cv::Vec2f f = sample2(step, px * s, py * s) / s;
            const float qx = px + f[0], qy = py + f[1];
            if (!inside(mask0, qx, qy))
                break;
            const cv::Vec2f b = sample2(back, qx * s, qy * s) / s;
            if (consistencyRatio(f, b, opt.consistencyAbs, opt.consistencyRel) > 1.0f)
                break;
            px = qx;
            py = qy;
            const Frame& target = at(to);
            if (knownAt(target.mask, px, py))
                return { true, k, sample3(target.bgr, px, py) };
        }
        return {};
    }

    static bool combine(const Source& fwd, const Source& bwd, bool blend, cv::Vec3f& out)
    {
        if (fwd.found && bwd.found) {
            if (blend) {
                const float wf = 1.0f / float(fwd.distance * fwd.distance),
                            wb = 1.0f / float(bwd.distance * bwd.distance);
                out = (fwd.colour * wf + bwd.colour * wb) / (wf + wb);
            } else if (fwd.distance == bwd.distance) {
                out = (fwd.colour + bwd.colour) * 0.5f;
            } else {
                out = fwd.distance < bwd.distance ? fwd.colour : bwd.colour;
            }
            return true;
        }
        if (fwd.found || bwd.found) {
            out = fwd.found ? fwd.colour : bwd.colour;
            return true;
        }
        return false;
    }

    cv::Mat produce(std::int64_t t, cv::Mat& sources)
    {
        Frame& cur = at(t);
        cv::Mat result = cur.bgr.clone();
        sources = cv::Mat(cur.mask.size(), CV_8UC1, cv::Scalar(std::uint8_t(PixelSource::Known)));
        if (cv::countNonZero(cur.mask) == 0) {
            previousOut = result;
            return result.clone();
        }
        const cv::Mat& hole = cur.mask;
        cv::Mat ring;
        if (opt.seamCorrection)
            ring = dilated(hole, std::max(1, opt.seamBand)) & ~hole;

        // 1. Temporal propagation for the hole and the seam ring.
        std::vector<cv::Point> pixels;
        cv::findNonZero(opt.seamCorrection ? (hole | ring) : hole, pixels);
        cv::Mat fill(hole.size(), CV_32FC3, cv::Scalar::all(0));
        cv::Mat resolved(hole.size(), CV_8UC1, cv::Scalar(0));
        cv::parallel_for_(cv::Range(0, int(pixels.size())), [&](const cv::Range& r) {
            for (int i = r.start; i < r.end; ++i) {
                const cv::Point p = pixels[std::size_t(i)];
                cv::Vec3f c;
                if (combine(trace(t, p.x, p.y, +1), trace(t, p.x, p.y, -1), opt.blendDirections, c)) {
                    fill.at<cv::Vec3f>(p) = c;
                    resolved.at<std::uint8_t>(p) = 255;
                }
            }
        });

        sources.setTo(std::uint8_t(PixelSource::Propagated), resolved & hole);

        // 2. What no frame saw: the previous output carried along the flow (temporally stable).
        const float carryW = std::clamp(opt.carryWeight, 0.0f, 1.0f);
        const bool pureCarry = carryW >= 1.0f;
        cv::Mat carried, carriedMask(hole.size(), CV_8UC1, cv::Scalar(0));
        if (!pureCarry)
            carried = cv::Mat(hole.size(), CV_32FC3, cv::Scalar::all(0));
        if (carryW > 0 && opt.carryPrevious && !previousOut.empty() && t - 1 >= firstIndex) {
            const Frame& prev = at(t - 1);
            const float s = float(opt.flowScale);
            for (const cv::Point& p : pixels) {
                if (resolved.at<std::uint8_t>(p) || !hole.at<std::uint8_t>(p))
                    continue;
                const cv::Vec2f b = sample2(prev.backward, p.x * s, p.y * s) / s; // t -> t-1
                const float qx = p.x + b[0], qy = p.y + b[1];
                if (!inside(hole, qx, qy))
                    continue;
                const cv::Vec2f f = sample2(prev.forward, qx * s, qy * s) / s;
                if (consistencyRatio(b, f, opt.consistencyAbs, opt.consistencyRel) > opt.carryTolerance)
                    continue;
                if (pureCarry) {
                    fill.at<cv::Vec3f>(p) = sample3(previousOut, qx, qy);
                    resolved.at<std::uint8_t>(p) = 255;
                } else {
                    carried.at<cv::Vec3f>(p) = sample3(previousOut, qx, qy);
                    carriedMask.at<std::uint8_t>(p) = 255;
                }
                sources.at<std::uint8_t>(p) = std::uint8_t(PixelSource::Carried);
            }
        }

        // 3. Seam removal: membrane-interpolate the frame-vs-propagation difference on the ring.
        if (opt.seamCorrection) {
            const cv::Mat correction = seamCorrection(cur.bgr, hole, ring, resolved, fill);
            if (!correction.empty())
                cv::add(fill, correction, fill, hole & resolved);
        }

        // 4. Spatial fill of the rest, with the propagated pixels as context.
        cv::Mat composed = cur.bgr.clone();
        cv::Mat fill8;
        fill.convertTo(fill8, CV_8UC3); // rounds and saturates
        fill8.copyTo(composed, resolved & hole);
        const cv::Mat unresolved = hole & ~resolved;
        sources.setTo(std::uint8_t(PixelSource::Spatial), unresolved & ~carriedMask);
        if (cv::countNonZero(unresolved)) {
            cv::Mat painted, smooth;
            if (opt.spatialFill != SpatialFill::Membrane)
                cv::inpaint(composed, unresolved, painted, opt.teleaRadius, cv::INPAINT_TELEA);
            if (opt.spatialFill != SpatialFill::Telea) {
                composed.convertTo(smooth, CV_32FC3);
                fillHole(smooth, unresolved);
            }
            if (opt.spatialFill == SpatialFill::Blend) {
                painted.convertTo(painted, CV_32FC3);
                cv::addWeighted(painted, 0.5, smooth, 0.5, 0.0, smooth);
            }
            if (!pureCarry && cv::countNonZero(carriedMask)) {
                // Carried pixels: a recursive temporal filter of the spatial fill, so their errors
                // fade instead of being carried on indefinitely.
                if (smooth.empty())
                    painted.convertTo(smooth, CV_32FC3);
                cv::Mat mixed;
                cv::addWeighted(carried, carryW, smooth, 1.0 - carryW, 0.0, mixed);
                mixed.copyTo(smooth, carriedMask);
            }
            if (!smooth.empty())
                smooth.convertTo(painted, CV_8UC3);
            painted.copyTo(composed, unresolved);
        }
        composed.copyTo(result, hole); // outside the hole the input stays bit-identical
        previousOut = result;
        return result.clone();
    }

    // Returns the additive colour correction over the hole (empty when there is nothing to match).
    cv::Mat seamCorrection(const cv::Mat& frame, const cv::Mat& hole, const cv::Mat& ring,
        const cv::Mat& resolved, const cv::Mat& fill) const
    {
        const cv::Mat ringKnown = ring & resolved;
        cv::Mat diff(hole.size(), CV_32FC3, cv::Scalar::all(0));
        cv::Mat frame32;
        frame.convertTo(frame32, CV_32FC3);
        cv::subtract(frame32, fill, diff, ringKnown);
        if (opt.seamSigma > 0) {
            // Normalised convolution restricted to the ring: smooths misregistration noise.
            cv::Mat weight, blurredDiff, blurredWeight;
            ringKnown.convertTo(weight, CV_32F, 1.0 / 255);
            cv::GaussianBlur(diff, blurredDiff, cv::Size(), opt.seamSigma);
            cv::GaussianBlur(weight, blurredWeight, cv::Size(), opt.seamSigma);
            for (int y = 0; y < diff.rows; ++y) {
                const std::uint8_t* k = ringKnown.ptr<std::uint8_t>(y);
                cv::Vec3f* d = diff.ptr<cv::Vec3f>(y);
                const cv::Vec3f* bd = blurredDiff.ptr<cv::Vec3f>(y);
                const float* bw = blurredWeight.ptr<float>(y);
                for (int x = 0; x < diff.cols; ++x)
                    if (k[x])
                        d[x] = bd[x] / std::max(bw[x], 1e-6f);
            }
        }
        cv::Mat labels(hole.size(), CV_8UC1, cv::Scalar(membrane::kIgnore));
        labels.setTo(membrane::kSolve, hole | ring);
        labels.setTo(membrane::kFixed, ringKnown);
        if (cv::countNonZero(ringKnown) == 0)
            return {};
        membrane::solve(diff, labels);
        return diff;
    }
};

FlowVideoInpainter::FlowVideoInpainter(FlowInpaintOptions options)
    : m_impl(std::make_unique<Impl>(options))
{
}
FlowVideoInpainter::~FlowVideoInpainter() = default;
void FlowVideoInpainter::push(const cv::Mat& frame, const cv::Mat& mask)
{
    m_impl->push(frame, mask);
}
void FlowVideoInpainter::finish()
{
    m_impl->finish();
}
bool FlowVideoInpainter::pop(cv::Mat& out)
{
    cv::Mat ignored;
    return pop(out, ignored);
}
bool FlowVideoInpainter::pop(cv::Mat& out, cv::Mat& sourceMap)
{
    if (m_impl->ready.empty())
        return false;
    out = std::move(m_impl->ready.front().first);
    sourceMap = std::move(m_impl->ready.front().second);
    m_impl->ready.pop_front();
    return true;
}

std::vector<cv::Mat> inpaintVideo(
    const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& masks, const FlowInpaintOptions& options)
{
    return inpaintVideo(frames, masks, options, nullptr);
}

std::vector<cv::Mat> inpaintVideo(const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& masks,
    const FlowInpaintOptions& options, std::vector<cv::Mat>* sourceMaps)
{
    if (masks.size() != 1 && masks.size() != frames.size())
        throw std::invalid_argument("inpaintVideo: need one mask per frame or a single mask");
    FlowVideoInpainter inpainter(options);
    std::vector<cv::Mat> out;
    out.reserve(frames.size());
    if (sourceMaps)
        sourceMaps->clear();
    cv::Mat m, s;
    auto drain = [&] {
        while (inpainter.pop(m, s)) {
            out.push_back(m);
            if (sourceMaps)
                sourceMaps->push_back(s);
        }
    };
    for (std::size_t i = 0; i < frames.size(); ++i) {
        inpainter.push(frames[i], masks.size() == 1 ? masks[0] : masks[i]);
        drain();
    }
    inpainter.finish();
    drain();
    return out;
}

} // namespace kinora::core::inpaint
