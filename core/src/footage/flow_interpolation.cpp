// flow_interp.cpp - see flow_interp.h for the algorithm overview.
#include "footage/flow_interpolation.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <mutex>
#include <vector>

namespace kinora::core::interp {
namespace {

#ifdef FLOW_INTERP_PROFILE
struct ProfileScope {
    const char* name;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    explicit ProfileScope(const char* n)
        : name(n)
    {
    }
    ~ProfileScope()
    {
        std::fprintf(stderr, "[prof] %-14s %7.1f ms\n", name,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
};
#define PROFILE(n) ProfileScope profileScope_##__LINE__(n)
#else
#define PROFILE(n) ((void)0)
#endif

// Smallest frame side for which flow is estimated (DIS needs patches and a pyramid).
constexpr int kMinFlowSize = 16;

// Squared image diagonal, the unit of the absolute consistency tolerance.
double diagonalSq(const cv::Size& s)
{
    return double(s.width) * s.width + double(s.height) * s.height;
}

cv::Mat toLuma(const cv::Mat& frame, ChannelOrder order)
{
    cv::Mat gray;
    cv::cvtColor(frame, gray, order == ChannelOrder::BGR ? cv::COLOR_BGR2GRAY : cv::COLOR_RGB2GRAY);
    return gray;
}

cv::Ptr<cv::DISOpticalFlow> makePresetEstimator(FlowQuality quality)
{
    switch (quality) {
    case FlowQuality::Fast:
        return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
    case FlowQuality::Medium:
        return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
    case FlowQuality::Fine: {
        // Medium preset, but patches are matched down to full resolution and the variational
        // refinement (data + smoothness energy on each pyramid level) runs longer. The coarsest
        // pyramid level is chosen by DIS from the image size, so large motion is handled at
        // every resolution.
        auto dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
        dis->setFinestScale(0);
        dis->setVariationalRefinementIterations(10);
        return dis;
    }
    }
    return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
}

cv::Ptr<cv::DISOpticalFlow> makeFlowEstimator(const FlowInterpOptions& o)
{
    auto dis = makePresetEstimator(o.quality);
    if (o.dis.finestScale >= 0)
        dis->setFinestScale(o.dis.finestScale);
    if (o.dis.patchSize > 0)
        dis->setPatchSize(o.dis.patchSize);
    if (o.dis.patchStride > 0)
        dis->setPatchStride(o.dis.patchStride);
    if (o.dis.gradientIterations > 0)
        dis->setGradientDescentIterations(o.dis.gradientIterations);
    if (o.dis.refineIterations >= 0)
        dis->setVariationalRefinementIterations(o.dis.refineIterations);
    return dis;
}

// Bilinear sample of a CV_32FC2 field at (x, y), clamped to the border.
inline cv::Vec2f sampleFlow(const cv::Mat& flow, float x, float y)
{
    const int w = flow.cols, h = flow.rows;
    x = std::clamp(x, 0.0f, float(w - 1));
    y = std::clamp(y, 0.0f, float(h - 1));
    const int x0 = std::min(int(x), w - 2 < 0 ? 0 : w - 2);
    const int y0 = std::min(int(y), h - 2 < 0 ? 0 : h - 2);
    const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
    const float ax = x - x0, ay = y - y0;
    const auto* r0 = flow.ptr<cv::Vec2f>(y0);
    const auto* r1 = flow.ptr<cv::Vec2f>(y1);
    return (r0[x0] * (1 - ax) + r0[x1] * ax) * (1 - ay) + (r1[x0] * (1 - ax) + r1[x1] * ax) * ay;
}

inline bool insideFrame(float x, float y, int w, int h)
{
    return x >= 0.0f && y >= 0.0f && x <= float(w - 1) && y <= float(h - 1);
}

// Confidence of every pixel of `forward`: soft forward-backward consistency against `backward`.
cv::Mat consistency(const cv::Mat& forward, const cv::Mat& backward, const FlowInterpOptions& o)
{
    const int w = forward.cols, h = forward.rows;
    const double absTol = o.consistencyAbsolute * diagonalSq(forward.size());
    cv::Mat conf(forward.size(), CV_32F);
    cv::parallel_for_(cv::Range(0, h), [&](const cv::Range& rows) {
        for (int y = rows.start; y < rows.end; ++y) {
            const auto* f = forward.ptr<cv::Vec2f>(y);
            auto* c = conf.ptr<float>(y);
            for (int x = 0; x < w; ++x) {
                const float tx = x + f[x][0], ty = y + f[x][1];
                if (!insideFrame(tx, ty, w, h)) {
                    // The pixel leaves the view: it cannot be checked, treat it as neutral.
                    c[x] = 0.5f;
                    continue;
                }
                const cv::Vec2f b = sampleFlow(backward, tx, ty);
                const cv::Vec2f s = f[x] + b;
                const double err = double(s.dot(s));
                const double tol = o.consistencyRelative * (f[x].dot(f[x]) + b.dot(b)) + absTol;
                c[x] = float(std::max(std::exp(-err / tol), o.confidenceFloor));
            }
        }
    });
    return conf;
}

// Adds `value * weight` with bilinear footprint at (x, y) into the accumulators.
template <typename V>
inline void splat(cv::Mat& acc, cv::Mat& wsum, float x, float y, const V& value, float weight)
{
    const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    const float ax = x - x0, ay = y - y0;
    const float wts[4] = { (1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay };
    const int xs[4] = { x0, x0 + 1, x0, x0 + 1 };
    const int ys[4] = { y0, y0, y0 + 1, y0 + 1 };
    for (int k = 0; k < 4; ++k) {
        if (xs[k] < 0 || ys[k] < 0 || xs[k] >= acc.cols || ys[k] >= acc.rows)
            continue;
        const float wk = wts[k] * weight;
        if (wk <= 0.0f)
            continue;
        acc.at<V>(ys[k], xs[k]) += value * wk;
        wsum.at<float>(ys[k], xs[k]) += wk;
    }
}

// Normalises premultiplied `acc` by `wsum`; pixels with no weight are filled by push-pull
// (each level is an area-average of the finer one; empty pixels take the upsampled coarser value).
template <typename V> cv::Mat normaliseAndFill(const cv::Mat& acc, const cv::Mat& wsum)
{
    constexpr float kEmpty = 1e-8f;
    std::vector<cv::Mat> accs { acc }, wsums { wsum };
    while (std::min(accs.back().cols, accs.back().rows) > 1) {
        const cv::Size half((accs.back().cols + 1) / 2, (accs.back().rows + 1) / 2);
        cv::Mat a, w;
        cv::resize(accs.back(), a, half, 0, 0, cv::INTER_AREA);
        cv::resize(wsums.back(), w, half, 0, 0, cv::INTER_AREA);
        accs.push_back(a);
        wsums.push_back(w);
    }
    cv::Mat value;
    for (int level = int(accs.size()) - 1; level >= 0; --level) {
        const cv::Mat& a = accs[level];
        const cv::Mat& w = wsums[level];
        cv::Mat up;
        if (!value.empty())
            cv::resize(value, up, a.size(), 0, 0, cv::INTER_LINEAR);
        cv::Mat out(a.size(), acc.type());
        for (int y = 0; y < a.rows; ++y) {
            const auto* pa = a.ptr<V>(y);
            const auto* pw = w.ptr<float>(y);
            auto* po = out.ptr<V>(y);
            const V* pu = up.empty() ? nullptr : up.ptr<V>(y);
            for (int x = 0; x < a.cols; ++x) {
                if (pw[x] > kEmpty)
                    po[x] = pa[x] * (1.0f / pw[x]);
                else
                    po[x] = pu ? pu[x] : V::all(0);
            }
        }
        value = out;
    }
    return value;
}

// Trajectory model of one source frame: the displacement from the source pixel after a time
// distance s in [0, 1] towards the other frame is d(s) = acc s^2 + (f - acc) s, so d(1) = f (the
// flow). acc = 0 is constant velocity. With the flow g to the frame on the far side (one frame
// interval back in time), constant acceleration gives acc = (f + g) / 2 (quadratic video
// interpolation, Xu et al., NeurIPS 2019). acc is weighted by the confidence of g (relative to
// the confidence floor) and by accelerationWeight, and its length is limited to
// maxAccelerationRatio * |f| (a bounded correction of the straight path).
cv::Mat accelerationField(
    const cv::Mat& f, const cv::Mat& g, const cv::Mat& gConf, double spacing, const FlowInterpOptions& o)
{
    cv::Mat acc(f.size(), CV_32FC2, cv::Scalar::all(0));
    if (g.empty() || o.accelerationWeight <= 0)
        return acc;
    const float floorC = float(o.confidenceFloor);
    const float ratio = float(o.maxAccelerationRatio);
    const float tau = float(std::clamp(spacing, 0.1, 10.0));
    cv::parallel_for_(cv::Range(0, f.rows), [&](const cv::Range& rows) {
        for (int y = rows.start; y < rows.end; ++y) {
            const auto* pf = f.ptr<cv::Vec2f>(y);
            const auto* pg = g.ptr<cv::Vec2f>(y);
            const float* pc = gConf.empty() ? nullptr : gConf.ptr<float>(y);
            auto* pa = acc.ptr<cv::Vec2f>(y);
            for (int x = 0; x < f.cols; ++x) {
                float wgt = float(o.accelerationWeight);
                if (pc && o.accelerationConfidenceGate)
                    wgt *= std::clamp((pc[x] - floorC) / std::max(1e-3f, 1.0f - floorC), 0.0f, 1.0f);
                // Parabola through d(1) = f and d(-tau) = g: acc = (g + tau f) / (tau (tau + 1)).
                cv::Vec2f a = (pg[x] + pf[x] * tau) * (wgt / (tau * (tau + 1.0f)));
                if (ratio > 0) {
                    const float la = std::sqrt(a.dot(a)), lim = ratio * std::sqrt(pf[x].dot(pf[x]));
                    if (la > lim)
                        a *= lim / la;
                }
                pa[x] = a;
            }
        }
    });
    return acc;
}

// Sampling offsets at time t: for each pixel, (dx0, dy0, dx1, dy1) such that the trajectory
// through it came from (x + dx0, y + dy0) in frame 0 and goes to (x + dx1, y + dy1) in frame 1.
// Both frames' trajectories are forward-splatted ("flow reversal").
cv::Mat motionAtTime(const cv::Mat& flow01, const cv::Mat& flow10, const cv::Mat& conf0, const cv::Mat& conf1,
    const cv::Mat& acc0, const cv::Mat& acc1, const FlowInterpOptions& o, float t)
{
    const int w = flow01.cols, h = flow01.rows;
    cv::Mat acc[2] = { cv::Mat(flow01.size(), CV_32FC4, cv::Scalar::all(0)),
        cv::Mat(flow01.size(), CV_32FC4, cv::Scalar::all(0)) };
    cv::Mat wsum[2] = { cv::Mat(flow01.size(), CV_32F, cv::Scalar::all(0)),
        cv::Mat(flow01.size(), CV_32F, cv::Scalar::all(0)) };
    // A trajectory is extrapolated less from the nearer frame, so that frame's estimate counts more.
    // The two frames splat into separate accumulators (in parallel).
    cv::parallel_for_(
        cv::Range(0, 2),
        [&](const cv::Range& r) {
            for (int k = r.start; k < r.end; ++k) {
                const cv::Mat& fl = k == 0 ? flow01 : flow10;
                const cv::Mat& cf = k == 0 ? conf0 : conf1;
                const cv::Mat& ac = k == 0 ? acc0 : acc1;
                const float s = k == 0 ? t : 1 - t; // time distance from the source frame
                const float wk = k == 0 ? 1 - t : t;
                for (int y = 0; y < h; ++y) {
                    const auto* f = fl.ptr<cv::Vec2f>(y);
                    const auto* c = cf.ptr<float>(y);
                    const auto* a = ac.ptr<cv::Vec2f>(y);
                    for (int x = 0; x < w; ++x) {
                        const cv::Vec2f d = a[x] * (s * s) + (f[x] - a[x]) * s;
                        // Offsets from the time-t position back to the source and on to the other frame.
                        const cv::Vec2f toSrc = -d, toOther = f[x] - d;
                        const cv::Vec4f v = k == 0 ? cv::Vec4f(toSrc[0], toSrc[1], toOther[0], toOther[1])
                                                   : cv::Vec4f(toOther[0], toOther[1], toSrc[0], toSrc[1]);
                        splat(acc[k], wsum[k], x + d[0], y + d[1], v, wk * c[x]);
                    }
                }
            }
        },
        2);
    cv::Mat motion = normaliseAndFill<cv::Vec4f>(acc[0] + acc[1], wsum[0] + wsum[1]);

    const int k = o.motionMedian;
    if (k >= 3) {
        cv::Mat ch[4];
        cv::split(motion, ch);
        for (auto& m : ch)
            cv::medianBlur(m, m, std::min(k, 5) | 1);
        cv::merge(ch, 4, motion);
    }
    return motion;
}

// Integer-offset block matching on downscaled luma, both directions from one cost volume.
// Exhaustive search, 5x5 SAD blocks (box sum with replicated border), a small penalty on the
// offset length. The SAD of block x in g0 against block x + d in g1 is also the SAD of block
// x + d in g1 against block x in g0, so every cost evaluated for the 0->1 search is scattered
// into the 1->0 search as well (half the work of two searches). Ties keep the offset that comes
// first in raster order (dy, then dx), so the result does not depend on the number of threads.
// Returns the CV_32FC2 flows 0->1 and 1->0 at g0's size.
void blockMatchFlows(
    const cv::Mat& g0, const cv::Mat& g1, const FlowInterpOptions& o, cv::Mat& out01, cv::Mat& out10)
{
    const double longer = std::max(g0.cols, g0.rows);
    const double scale = std::max(1.0, longer / std::max(16, o.matchWorkingSize));
    const cv::Size ws(
        std::max(1, int(std::lround(g0.cols / scale))), std::max(1, int(std::lround(g0.rows / scale))));
    cv::Mat a, b;
    cv::resize(g0, a, ws, 0, 0, cv::INTER_AREA);
    cv::resize(g1, b, ws, 0, 0, cv::INTER_AREA);
    const int radius
        = std::max(1, int(std::ceil(o.matchSearchRadius * std::sqrt(diagonalSq(g0.size())) / scale)));
    cv::Mat padded;
    cv::copyMakeBorder(b, padded, radius, radius, radius, radius, cv::BORDER_REPLICATE);

    constexpr int kB = 2; // block half size (5x5)
    const double penaltyPerPixel = 0.05 * (2 * kB + 1) * (2 * kB + 1);
    const int W = ws.width, H = ws.height, side = 2 * radius + 1;
    const int nPix = W * H;
    constexpr uint16_t kMaxCost = std::numeric_limits<uint16_t>::max();
    constexpr int32_t kMaxIdx = std::numeric_limits<int32_t>::max();
    // Global best (cost, offset index) per direction, merged from the per-stripe results.
    std::vector<uint16_t> best[2]
        = { std::vector<uint16_t>(nPix, kMaxCost), std::vector<uint16_t>(nPix, kMaxCost) };
    std::vector<int32_t> bestIdx[2]
        = { std::vector<int32_t>(nPix, kMaxIdx), std::vector<int32_t>(nPix, kMaxIdx) };
    std::mutex mergeMutex;

    cv::parallel_for_(cv::Range(0, side), [&](const cv::Range& dyRange) {
        std::vector<uint16_t> lBest[2]
            = { std::vector<uint16_t>(nPix, kMaxCost), std::vector<uint16_t>(nPix, kMaxCost) };
        std::vector<int32_t> lIdx[2]
            = { std::vector<int32_t>(nPix, kMaxIdx), std::vector<int32_t>(nPix, kMaxIdx) };
        const int PW = W + 2 * kB, PH = H + 2 * kB;
        std::vector<uint16_t> diff(size_t(PW) * PH), vsum(size_t(PW) * H), cost(W);
        for (int iy = dyRange.start; iy < dyRange.end; ++iy) {
            const int dy = iy - radius;
            for (int dx = -radius; dx <= radius; ++dx) {
                const int idx = iy * side + (dx + radius);
                const int ridx = (side - 1 - iy) * side + (radius - dx); // index of -d
                const uint16_t pen
                    = uint16_t(std::lround(penaltyPerPixel * std::sqrt(double(dx * dx + dy * dy))));
                // |a - shifted b| with a kB-pixel replicated border.
                for (int y = 0; y < H; ++y) {
                    const uint8_t* pa = a.ptr<uint8_t>(y);
                    const uint8_t* pb = padded.ptr<uint8_t>(y + radius + dy) + radius + dx;
                    uint16_t* d = diff.data() + size_t(y + kB) * PW + kB;
                    for (int x = 0; x < W; ++x)
                        d[x] = uint16_t(std::abs(int(pa[x]) - int(pb[x])));
                    for (int k = 1; k <= kB; ++k) {
                        d[-k] = d[0];
                        d[W - 1 + k] = d[W - 1];
                    }
                }
                for (int k = 1; k <= kB; ++k) {
                    std::copy_n(diff.data() + size_t(kB) * PW, PW, diff.data() + size_t(kB - k) * PW);
                    std::copy_n(
                        diff.data() + size_t(kB + H - 1) * PW, PW, diff.data() + size_t(kB + H - 1 + k) * PW);
                }
                // Vertical then horizontal 5-tap sums.
                for (int y = 0; y < H; ++y) {
                    uint16_t* v = vsum.data() + size_t(y) * PW;
                    const uint16_t* d0 = diff.data() + size_t(y) * PW;
                    for (int x = 0; x < PW; ++x)
                        v[x]
                            = uint16_t(d0[x] + d0[x + PW] + d0[x + 2 * PW] + d0[x + 3 * PW] + d0[x + 4 * PW]);
                }
                // Valid columns of the reverse scatter: 0 <= x + dx < W.
                const int xr0 = std::max(0, -dx), xr1 = std::min(W, W - dx);
                for (int y = 0; y < H; ++y) {
                    const uint16_t* v = vsum.data() + size_t(y) * PW;
                    uint16_t* lb = lBest[0].data() + size_t(y) * W;
                    int32_t* li = lIdx[0].data() + size_t(y) * W;
                    uint16_t* c = cost.data();
                    for (int x = 0; x < W; ++x) {
                        c[x] = uint16_t(v[x] + v[x + 1] + v[x + 2] + v[x + 3] + v[x + 4] + pen);
                        const bool better = c[x] < lb[x];
                        lb[x] = better ? c[x] : lb[x];
                        li[x] = better ? idx : li[x];
                    }
                    const int yr = y + dy;
                    if (yr < 0 || yr >= H)
                        continue;
                    // Block x + d of g1 against block x of g0: offset -d for the 1->0 search.
                    // Within a stripe the reverse indices arrive in decreasing order: ties take
                    // the later (smaller) index.
                    uint16_t* rb = lBest[1].data() + size_t(yr) * W + dx;
                    int32_t* ri = lIdx[1].data() + size_t(yr) * W + dx;
                    for (int x = xr0; x < xr1; ++x) {
                        const bool better = c[x] <= rb[x];
                        rb[x] = better ? c[x] : rb[x];
                        ri[x] = better ? ridx : ri[x];
                    }
                }
            }
        }
        std::lock_guard<std::mutex> lock(mergeMutex);
        for (int dir = 0; dir < 2; ++dir)
            for (int i = 0; i < nPix; ++i)
                if (lBest[dir][i] < best[dir][i]
                    || (lBest[dir][i] == best[dir][i] && lIdx[dir][i] < bestIdx[dir][i])) {
                    best[dir][i] = lBest[dir][i];
                    bestIdx[dir][i] = lIdx[dir][i];
                }
    });

    for (int dir = 0; dir < 2; ++dir) {
        cv::Mat bestX(ws, CV_32F), bestY(ws, CV_32F);
        for (int y = 0; y < H; ++y) {
            float* px = bestX.ptr<float>(y);
            float* py = bestY.ptr<float>(y);
            for (int x = 0; x < W; ++x) {
                const int idx = bestIdx[dir][size_t(y) * W + x];
                if (idx == kMaxIdx) { // no candidate (cannot happen for dir 0; d = 0 is always valid)
                    px[x] = py[x] = 0.0f;
                    continue;
                }
                px[x] = float((idx % side - radius) * scale);
                py[x] = float((idx / side - radius) * scale);
            }
        }
        // A 3x3 median removes isolated false matches; bilinear upsampling avoids block edges.
        cv::medianBlur(bestX, bestX, 3);
        cv::medianBlur(bestY, bestY, 3);
        cv::Mat flow;
        cv::merge(std::vector<cv::Mat> { bestX, bestY }, flow);
        cv::resize(flow, flow, g0.size(), 0, 0, cv::INTER_LINEAR);
        (dir == 0 ? out01 : out10) = flow;
    }
}

// Local colour matching cost of a flow field: box-filtered L1 difference of I0 and warped I1.
cv::Mat matchingCost(const cv::Mat& f0, const cv::Mat& f1, const cv::Mat& flow, int window)
{
    cv::Mat map(flow.size(), CV_32FC2);
    for (int y = 0; y < flow.rows; ++y) {
        const auto* f = flow.ptr<cv::Vec2f>(y);
        auto* m = map.ptr<cv::Vec2f>(y);
        for (int x = 0; x < flow.cols; ++x)
            m[x] = cv::Vec2f(x + f[x][0], y + f[x][1]);
    }
    cv::Mat warped, diff, cost;
    cv::remap(f1, warped, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::absdiff(f0, warped, diff);
    diff = diff.reshape(1, int(diff.total()));
    cv::reduce(diff, cost, 1, cv::REDUCE_SUM, CV_32F);
    cost = cost.reshape(1, flow.rows);
    cv::boxFilter(
        cost, cost, CV_32F, cv::Size(window, window), cv::Point(-1, -1), true, cv::BORDER_REPLICATE);
    return cost;
}

// Replaces `flow` by the block-matching flow where the DIS flow failed the forward-backward test
// (confidence below 0.5) and block matching explains the data clearly better (lower local colour
// cost by the factor fusionPreference). Gating by consistency keeps block matching away from
// periodic textures, where it finds wrong matches that DIS's smoothness avoids.
void fuseWithBlockMatching(const cv::Mat& f0, const cv::Mat& f1, const cv::Mat& g0, const cv::Mat& g1,
    const cv::Mat& conf, const cv::Mat& bm, const FlowInterpOptions& o, cv::Mat& flow)
{
    const int window = 2 * std::max(2, int(std::lround(0.006 * std::sqrt(diagonalSq(g0.size()))))) + 1;
    const cv::Mat costDis = matchingCost(f0, f1, flow, window);
    const cv::Mat costBm = matchingCost(f0, f1, bm, window);
    cv::Mat better, failed;
    cv::compare(costBm, costDis * o.fusionPreference, better, cv::CMP_LT);
    cv::compare(conf, 0.5, failed, cv::CMP_LT);
    bm.copyTo(flow, better & failed);
    if (o.fusedRefineIterations > 0) {
        PROFILE("fused refine");
        auto refine = cv::VariationalRefinement::create();
        refine->setFixedPointIterations(o.fusedRefineIterations);
        refine->calc(g0, g1, flow);
    }
}

// Size of the working copy: at most maxPixels pixels, same aspect ratio.
cv::Size workingSize(const cv::Size& full, int maxPixels)
{
    const double area = double(full.width) * full.height;
    if (maxPixels <= 0 || area <= maxPixels)
        return full;
    const double s = std::sqrt(maxPixels / area);
    return { std::max(kMinFlowSize, int(std::lround(full.width * s))),
        std::max(kMinFlowSize, int(std::lround(full.height * s))) };
}

// Resizes a displacement field to `size`, scaling the vectors with it.
cv::Mat resizeFlow(const cv::Mat& flow, const cv::Size& size)
{
    if (flow.size() == size)
        return flow;
    cv::Mat out;
    cv::resize(flow, out, size, 0, 0, cv::INTER_LINEAR);
    const float sx = float(size.width) / flow.cols, sy = float(size.height) / flow.rows;
    out = out.mul(cv::Scalar(sx, sy));
    return out;
}

} // namespace

FramePairFlow computePairFlow(const cv::Mat& frame0, const cv::Mat& frame1, const FlowInterpOptions& options)
{
    CV_Assert(frame0.type() == CV_8UC3 && frame1.type() == CV_8UC3);
    CV_Assert(frame0.size() == frame1.size() && frame0.cols >= 2 && frame0.rows >= 2);

    FramePairFlow pair;
    pair.frame0 = frame0;
    pair.frame1 = frame1;
    pair.options = options;

    if (std::min(frame0.cols, frame0.rows) < kMinFlowSize) {
        // Too small for patch-based flow: zero motion, i.e. synthesize() degrades to a time blend.
        pair.flow01 = cv::Mat(frame0.size(), CV_32FC2, cv::Scalar::all(0));
        pair.flow10 = pair.flow01.clone();
        pair.conf0 = consistency(pair.flow01, pair.flow10, options);
        pair.conf1 = consistency(pair.flow10, pair.flow01, options);
        return pair;
    }

    // Working copies (scale-aware cost bound).
    const cv::Size ws = workingSize(frame0.size(), options.flowMaxPixels);
    cv::Mat f0 = frame0, f1 = frame1;
    if (ws != frame0.size()) {
        PROFILE("downscale");
        cv::resize(frame0, f0, ws, 0, 0, cv::INTER_AREA);
        cv::resize(frame1, f1, ws, 0, 0, cv::INTER_AREA);
    }
    const cv::Mat g0 = toLuma(f0, options.channelOrder);
    const cv::Mat g1 = toLuma(f1, options.channelOrder);
    cv::Mat flow01, flow10;
    {
        PROFILE("dis x2");
        auto dis = makeFlowEstimator(options);
        dis->calc(g0, g1, flow01);
        dis->calc(g1, g0, flow10);
    }
    if (options.matchSearchRadius > 0) {
        PROFILE("bm fusion x2");
        const cv::Mat c0 = consistency(flow01, flow10, options);
        const cv::Mat c1 = consistency(flow10, flow01, options);
        cv::Mat bm01, bm10;
        {
            PROFILE("bm search");
            blockMatchFlows(g0, g1, options, bm01, bm10);
        }
        fuseWithBlockMatching(f0, f1, g0, g1, c0, bm01, options, flow01);
        fuseWithBlockMatching(f1, f0, g1, g0, c1, bm10, options, flow10);
    }
    cv::Mat conf0 = consistency(flow01, flow10, options);
    cv::Mat conf1 = consistency(flow10, flow01, options);
    if (ws == frame0.size()) {
        pair.flow01 = flow01;
        pair.flow10 = flow10;
        pair.conf0 = conf0;
        pair.conf1 = conf1;
    } else {
        PROFILE("upscale");
        pair.workFlow01 = flow01;
        pair.workFlow10 = flow10;
        pair.workConf0 = conf0;
        pair.workConf1 = conf1;
        pair.flow01 = resizeFlow(flow01, frame0.size());
        pair.flow10 = resizeFlow(flow10, frame0.size());
        cv::resize(conf0, pair.conf0, frame0.size(), 0, 0, cv::INTER_LINEAR);
        cv::resize(conf1, pair.conf1, frame0.size(), 0, 0, cv::INTER_LINEAR);
    }
    return pair;
}

cv::Mat synthesize(const FramePairFlow& p, double tIn)
{
    const float t = float(std::clamp(tIn, 0.0, 1.0));
    if (t <= 0.0f)
        return p.frame0.clone();
    if (t >= 1.0f)
        return p.frame1.clone();

    const FlowInterpOptions& o = p.options;
    const bool useWork
        = !p.workFlow01.empty() && !p.workFlow10.empty() && !p.workConf0.empty() && !p.workConf1.empty();
    const cv::Mat& flow01 = useWork ? p.workFlow01 : p.flow01;
    const cv::Mat& flow10 = useWork ? p.workFlow10 : p.flow10;
    const cv::Mat& conf0 = useWork ? p.workConf0 : p.conf0;
    const cv::Mat& conf1 = useWork ? p.workConf1 : p.conf1;
    const cv::Size full = p.frame0.size();
    const int w = flow01.cols, h = flow01.rows;

    cv::Mat motion;
    {
        PROFILE("splat");
        const cv::Mat acc0 = accelerationField(flow01, p.flow0Prev, p.conf0Prev, p.prevSpacing, o);
        const cv::Mat acc1 = accelerationField(flow10, p.flow1Next, p.conf1Next, p.nextSpacing, o);
        motion = motionAtTime(flow01, flow10, conf0, conf1, acc0, acc1, o, t);
    }

    // Visibility from the trajectory test, at the working resolution.
    cv::Mat blend0(motion.size(), CV_32F);
    {
        PROFILE("visibility");
        const double absTol = o.consistencyAbsolute * diagonalSq(motion.size());
        // Tiny weight for samples outside the frame: they only matter where both samples are outside.
        constexpr float kOutside = 1e-6f;
        cv::parallel_for_(cv::Range(0, h), [&](const cv::Range& rows) {
            for (int y = rows.start; y < rows.end; ++y) {
                const auto* u = motion.ptr<cv::Vec4f>(y);
                auto* b0 = blend0.ptr<float>(y);
                for (int x = 0; x < w; ++x) {
                    // 0->1 displacement of the trajectory through this pixel.
                    const cv::Vec2f ux(u[x][2] - u[x][0], u[x][3] - u[x][1]);
                    const float x0 = x + u[x][0], y0 = y + u[x][1];
                    const float x1 = x + u[x][2], y1 = y + u[x][3];
                    float v0 = kOutside, v1 = kOutside;
                    if (insideFrame(x0, y0, w, h)) {
                        // Frame 0 sees this point if its own flow there follows the same trajectory.
                        const cv::Vec2f f = sampleFlow(flow01, x0, y0);
                        const cv::Vec2f d = f - ux;
                        const double tol = o.consistencyRelative * (f.dot(f) + ux.dot(ux)) + absTol;
                        v0 = float(std::max(std::exp(-double(d.dot(d)) / tol), o.confidenceFloor));
                    }
                    if (insideFrame(x1, y1, w, h)) {
                        const cv::Vec2f b = sampleFlow(flow10, x1, y1);
                        const cv::Vec2f d = b + ux;
                        const double tol = o.consistencyRelative * (b.dot(b) + ux.dot(ux)) + absTol;
                        v1 = float(std::max(std::exp(-double(d.dot(d)) / tol), o.confidenceFloor));
                    }
                    const float w0 = (1 - t) * v0, w1 = t * v1;
                    b0[x] = w0 / (w0 + w1);
                }
            }
        });
        if (o.blendSmoothing > 0) {
            // Soft visibility decisions: smooth the weights so that seams between regions taken from
            // different frames do not show as hard edges.
            const double sigma = o.blendSmoothing * std::sqrt(diagonalSq(motion.size()));
            cv::GaussianBlur(blend0, blend0, cv::Size(), sigma, sigma, cv::BORDER_REPLICATE);
        }
    }

    // Up to the frame resolution; sampling maps for both frames.
    cv::Mat map0(full, CV_32FC2), map1(full, CV_32FC2);
    {
        PROFILE("maps");
        if (motion.size() != full) {
            const cv::Size ms = motion.size();
            cv::resize(motion, motion, full, 0, 0, cv::INTER_LINEAR);
            const float sx = float(full.width) / ms.width, sy = float(full.height) / ms.height;
            motion = motion.mul(cv::Scalar(sx, sy, sx, sy));
            cv::resize(blend0, blend0, full, 0, 0, cv::INTER_LINEAR);
        }
        cv::parallel_for_(cv::Range(0, full.height), [&](const cv::Range& rows) {
            for (int y = rows.start; y < rows.end; ++y) {
                const auto* u = motion.ptr<cv::Vec4f>(y);
                auto* m0 = map0.ptr<cv::Vec2f>(y);
                auto* m1 = map1.ptr<cv::Vec2f>(y);
                for (int x = 0; x < full.width; ++x) {
                    m0[x] = cv::Vec2f(x + u[x][0], y + u[x][1]);
                    m1[x] = cv::Vec2f(x + u[x][2], y + u[x][3]);
                }
            }
        });
    }

    const int interp = o.bicubicWarp ? cv::INTER_CUBIC : cv::INTER_LINEAR;
    cv::Mat warp0, warp1;
    {
        PROFILE("warp");
        cv::remap(p.frame0, warp0, map0, cv::noArray(), interp, cv::BORDER_REPLICATE);
        cv::remap(p.frame1, warp1, map1, cv::noArray(), interp, cv::BORDER_REPLICATE);
    }

    PROFILE("blend");
    cv::Mat out(full, CV_8UC3);
    if (o.uncertaintyBlur > 0) {
        // Blend in float, then soften where the two motion-compensated samples disagree although
        // both frames are believed visible (see FlowInterpOptions::uncertaintyBlur).
        cv::Mat blended(full, CV_32FC3), disagree(full, CV_32F);
        cv::parallel_for_(cv::Range(0, full.height), [&](const cv::Range& rows) {
            for (int y = rows.start; y < rows.end; ++y) {
                const auto* a = warp0.ptr<cv::Vec3b>(y);
                const auto* b = warp1.ptr<cv::Vec3b>(y);
                const auto* b0 = blend0.ptr<float>(y);
                auto* d = blended.ptr<cv::Vec3f>(y);
                auto* e = disagree.ptr<float>(y);
                for (int x = 0; x < full.width; ++x) {
                    const float wa = b0[x], wb = 1 - b0[x];
                    float diff = 0;
                    for (int c = 0; c < 3; ++c) {
                        d[x][c] = wa * a[x][c] + wb * b[x][c];
                        diff += std::abs(float(a[x][c]) - float(b[x][c]));
                    }
                    e[x] = diff * (1.0f / 3.0f) * 4.0f * wa * wb;
                }
            }
        });
        const double diag = std::sqrt(diagonalSq(full));
        cv::GaussianBlur(
            disagree, disagree, cv::Size(), std::max(0.5, o.uncertaintyBlur * diag), 0, cv::BORDER_REPLICATE);
        // Pass k blurs with sigma * 2^k where the disagreement exceeds level * 2^k: larger
        // mismatches mean larger position errors, whose conditional mean is a wider average.
        const int passes = std::max(1, o.uncertaintyPasses);
        for (int k = 0; k < passes; ++k) {
            const double sigma = std::max(0.5, o.uncertaintyBlur * diag * double(1 << k));
            const float invLevel = float(1.0 / (std::max(1e-3, o.uncertaintyLevel) * double(1 << k)));
            cv::Mat soft;
            cv::GaussianBlur(blended, soft, cv::Size(), sigma, sigma, cv::BORDER_REPLICATE);
            cv::parallel_for_(cv::Range(0, full.height), [&](const cv::Range& rows) {
                for (int y = rows.start; y < rows.end; ++y) {
                    auto* d = blended.ptr<cv::Vec3f>(y);
                    const auto* sft = soft.ptr<cv::Vec3f>(y);
                    const auto* e = disagree.ptr<float>(y);
                    for (int x = 0; x < full.width; ++x) {
                        const float r = e[x] * invLevel;
                        const float alpha = 1.0f - std::exp(-r * r);
                        d[x] += alpha * (sft[x] - d[x]);
                    }
                }
            });
        }
        blended.convertTo(out, CV_8UC3);
        return out;
    }
    cv::parallel_for_(cv::Range(0, full.height), [&](const cv::Range& rows) {
        for (int y = rows.start; y < rows.end; ++y) {
            const auto* a = warp0.ptr<cv::Vec3b>(y);
            const auto* b = warp1.ptr<cv::Vec3b>(y);
            const auto* b0 = blend0.ptr<float>(y);
            auto* d = out.ptr<cv::Vec3b>(y);
            for (int x = 0; x < full.width; ++x)
                for (int c = 0; c < 3; ++c)
                    d[x][c] = cv::saturate_cast<uchar>(b0[x] * a[x][c] + (1 - b0[x]) * b[x][c]);
        }
    });
    return out;
}

void attachNeighbours(FramePairFlow& pair, const FramePairFlow* previous, const FramePairFlow* next,
    double previousSpacing, double nextSpacing)
{
    CV_Assert(previousSpacing > 0 && nextSpacing > 0);
    pair.prevSpacing = previousSpacing;
    pair.nextSpacing = nextSpacing;
    const bool useWork = !pair.workFlow01.empty();
    const cv::Size ws = useWork ? pair.workFlow01.size() : pair.flow01.size();
    const auto pick = [&](const FramePairFlow& other, bool forward, cv::Mat& flow, cv::Mat& conf) {
        const bool otherWork = !other.workFlow01.empty();
        const cv::Mat& f = forward ? (otherWork ? other.workFlow01 : other.flow01)
                                   : (otherWork ? other.workFlow10 : other.flow10);
        const cv::Mat& c = forward ? (otherWork ? other.workConf0 : other.conf0)
                                   : (otherWork ? other.workConf1 : other.conf1);
        if (f.empty() || other.frame0.size() != pair.frame0.size()) {
            flow.release();
            conf.release();
            return;
        }
        flow = resizeFlow(f, ws);
        if (c.size() == ws)
            conf = c;
        else
            cv::resize(c, conf, ws, 0, 0, cv::INTER_LINEAR);
    };
    if (previous)
        pick(*previous, false, pair.flow0Prev, pair.conf0Prev); // frame0 -> the frame before it
    else
        pair.flow0Prev.release(), pair.conf0Prev.release();
    if (next)
        pick(*next, true, pair.flow1Next, pair.conf1Next); // frame1 -> the frame after it
    else
        pair.flow1Next.release(), pair.conf1Next.release();
}

cv::Mat interpolateFrame(
    const cv::Mat& frame0, const cv::Mat& frame1, double t, const FlowInterpOptions& options)
{
    return synthesize(computePairFlow(frame0, frame1, options), t);
}

} // namespace kinora::core::interp
