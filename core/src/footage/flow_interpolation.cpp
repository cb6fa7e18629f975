// flow_interp.cpp - see flow_interp.h for the algorithm overview.
#include "footage/flow_interpolation.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace kinora::core::interp {
namespace {

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
    for (int y = 0; y < h; ++y) {
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
    return conf;
}

// Adds `value * weight` with bilinear footprint at (x, y) into the accumulators.
inline void splat(cv::Mat& acc, cv::Mat& wsum, float x, float y, const cv::Vec2f& value, float weight)
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
        acc.at<cv::Vec2f>(ys[k], xs[k]) += value * wk;
        wsum.at<float>(ys[k], xs[k]) += wk;
    }
}

// Normalises premultiplied `acc` by `wsum`; pixels with no weight are filled by push-pull
// (each level is an area-average of the finer one; empty pixels take the upsampled coarser value).
cv::Mat normaliseAndFill(const cv::Mat& acc, const cv::Mat& wsum)
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
        cv::Mat out(a.size(), CV_32FC2);
        for (int y = 0; y < a.rows; ++y) {
            const auto* pa = a.ptr<cv::Vec2f>(y);
            const auto* pw = w.ptr<float>(y);
            auto* po = out.ptr<cv::Vec2f>(y);
            const cv::Vec2f* pu = up.empty() ? nullptr : up.ptr<cv::Vec2f>(y);
            for (int x = 0; x < a.cols; ++x) {
                if (pw[x] > kEmpty)
                    po[x] = pa[x] / pw[x];
                else
                    po[x] = pu ? pu[x] : cv::Vec2f(0, 0);
            }
        }
        value = out;
    }
    return value;
}

// Motion field at time t: the 0->1 displacement of the trajectory through each pixel.
cv::Mat motionAtTime(const FramePairFlow& p, float t)
{
    const int w = p.flow01.cols, h = p.flow01.rows;
    const FlowInterpOptions& o = p.options;
    cv::Mat acc0(p.flow01.size(), CV_32FC2, cv::Scalar::all(0)), acc1 = acc0.clone();
    cv::Mat wsum0(p.flow01.size(), CV_32F, cv::Scalar::all(0)), wsum1 = wsum0.clone();
    // A trajectory is extrapolated less from the nearer frame, so that frame's estimate counts more.
    const float w0 = 1.0f - t, w1 = t;
    for (int y = 0; y < h; ++y) {
        const auto* f = p.flow01.ptr<cv::Vec2f>(y);
        const auto* c = p.conf0.ptr<float>(y);
        for (int x = 0; x < w; ++x)
            splat(acc0, wsum0, x + t * f[x][0], y + t * f[x][1], f[x], w0 * c[x]);
    }
    for (int y = 0; y < h; ++y) {
        const auto* b = p.flow10.ptr<cv::Vec2f>(y);
        const auto* c = p.conf1.ptr<float>(y);
        for (int x = 0; x < w; ++x)
            splat(acc1, wsum1, x + (1 - t) * b[x][0], y + (1 - t) * b[x][1], -b[x], w1 * c[x]);
    }
    cv::Mat motion = normaliseAndFill(acc0 + acc1, wsum0 + wsum1);

    const int k = o.motionMedian;
    if (k >= 3) {
        cv::Mat ch[2];
        cv::split(motion, ch);
        for (auto& m : ch)
            cv::medianBlur(m, m, std::min(k, 5) | 1);
        cv::merge(ch, 2, motion);
    }
    return motion;
}

// Integer-offset block matching on downscaled luma: returns a full-resolution CV_32FC2 flow.
cv::Mat blockMatchFlow(const cv::Mat& g0, const cv::Mat& g1, const FlowInterpOptions& o)
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

    // 5x5 blocks at the working scale, sum of absolute differences in 16 bits (max 25 * 255).
    // A small penalty on the offset length (0.05 grey level per pixel of offset, per block pixel)
    // breaks ties in flat areas towards small motion.
    const cv::Size block(5, 5);
    const double penaltyPerPixel = 0.05 * block.area();
    cv::Mat best(ws, CV_16U, cv::Scalar::all(std::numeric_limits<uint16_t>::max()));
    cv::Mat bestX(ws, CV_32F, cv::Scalar::all(0)), bestY(ws, CV_32F, cv::Scalar::all(0));
    cv::Mat diff, cost, mask;
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            const cv::Mat shifted = padded(cv::Rect(radius + dx, radius + dy, ws.width, ws.height));
            cv::absdiff(a, shifted, diff);
            cv::boxFilter(diff, cost, CV_16U, block, cv::Point(-1, -1), false, cv::BORDER_REPLICATE);
            cv::add(cost,
                cv::Scalar::all(std::lround(penaltyPerPixel * std::sqrt(double(dx * dx + dy * dy)))), cost);
            cv::compare(cost, best, mask, cv::CMP_LT);
            cost.copyTo(best, mask);
            bestX.setTo(float(dx * scale), mask);
            bestY.setTo(float(dy * scale), mask);
        }
    }
    // A 3x3 median removes isolated false matches; bilinear upsampling avoids block edges.
    cv::medianBlur(bestX, bestX, 3);
    cv::medianBlur(bestY, bestY, 3);
    cv::Mat flow;
    cv::merge(std::vector<cv::Mat> { bestX, bestY }, flow);
    cv::resize(flow, flow, g0.size(), 0, 0, cv::INTER_LINEAR);
    return flow;
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
    const cv::Mat& conf, const FlowInterpOptions& o, cv::Mat& flow)
{
    const cv::Mat bm = blockMatchFlow(g0, g1, o);
    const int window = 2 * std::max(2, int(std::lround(0.006 * std::sqrt(diagonalSq(g0.size()))))) + 1;
    const cv::Mat costDis = matchingCost(f0, f1, flow, window);
    const cv::Mat costBm = matchingCost(f0, f1, bm, window);
    cv::Mat better, failed;
    cv::compare(costBm, costDis * o.fusionPreference, better, cv::CMP_LT);
    cv::compare(conf, 0.5, failed, cv::CMP_LT);
    bm.copyTo(flow, better & failed);
    if (o.fusedRefineIterations > 0) {
        auto refine = cv::VariationalRefinement::create();
        refine->setFixedPointIterations(o.fusedRefineIterations);
        refine->calc(g0, g1, flow);
    }
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

    const cv::Mat g0 = toLuma(frame0, options.channelOrder);
    const cv::Mat g1 = toLuma(frame1, options.channelOrder);
    auto dis = makeFlowEstimator(options);
    if (std::min(frame0.cols, frame0.rows) < kMinFlowSize) {
        // Too small for patch-based flow: zero motion, i.e. synthesize() degrades to a time blend.
        pair.flow01 = cv::Mat(frame0.size(), CV_32FC2, cv::Scalar::all(0));
        pair.flow10 = pair.flow01.clone();
    } else {
        dis->calc(g0, g1, pair.flow01);
        dis->calc(g1, g0, pair.flow10);
    }
    if (options.matchSearchRadius > 0 && std::min(frame0.cols, frame0.rows) >= kMinFlowSize) {
        const cv::Mat c0 = consistency(pair.flow01, pair.flow10, options);
        const cv::Mat c1 = consistency(pair.flow10, pair.flow01, options);
        fuseWithBlockMatching(frame0, frame1, g0, g1, c0, options, pair.flow01);
        fuseWithBlockMatching(frame1, frame0, g1, g0, c1, options, pair.flow10);
    }

    pair.conf0 = consistency(pair.flow01, pair.flow10, options);
    pair.conf1 = consistency(pair.flow10, pair.flow01, options);
    return pair;
}

cv::Mat synthesize(const FramePairFlow& p, double tIn)
{
    const float t = float(std::clamp(tIn, 0.0, 1.0));
    if (t <= 0.0f)
        return p.frame0.clone();
    if (t >= 1.0f)
        return p.frame1.clone();

    const int w = p.flow01.cols, h = p.flow01.rows;
    const FlowInterpOptions& o = p.options;
    const cv::Mat motion = motionAtTime(p, t);

    // Sampling positions in both frames, plus visibility from the trajectory test.
    cv::Mat map0(motion.size(), CV_32FC2), map1(motion.size(), CV_32FC2);
    cv::Mat blend0(motion.size(), CV_32F), blend1(motion.size(), CV_32F);
    const double absTol = o.consistencyAbsolute * diagonalSq(motion.size());
    // Tiny weight for samples outside the frame: they only matter where both samples are outside.
    constexpr float kOutside = 1e-6f;
    for (int y = 0; y < h; ++y) {
        const auto* u = motion.ptr<cv::Vec2f>(y);
        auto* m0 = map0.ptr<cv::Vec2f>(y);
        auto* m1 = map1.ptr<cv::Vec2f>(y);
        auto* b0 = blend0.ptr<float>(y);
        auto* b1 = blend1.ptr<float>(y);
        for (int x = 0; x < w; ++x) {
            const cv::Vec2f ux = u[x];
            m0[x] = cv::Vec2f(x - t * ux[0], y - t * ux[1]);
            m1[x] = cv::Vec2f(x + (1 - t) * ux[0], y + (1 - t) * ux[1]);

            float v0 = kOutside, v1 = kOutside;
            if (insideFrame(m0[x][0], m0[x][1], w, h)) {
                // Frame 0 sees this point if its own flow there follows the same trajectory.
                const cv::Vec2f f = sampleFlow(p.flow01, m0[x][0], m0[x][1]);
                const cv::Vec2f d = f - ux;
                const double tol = o.consistencyRelative * (f.dot(f) + ux.dot(ux)) + absTol;
                v0 = float(std::max(std::exp(-double(d.dot(d)) / tol), o.confidenceFloor));
            }
            if (insideFrame(m1[x][0], m1[x][1], w, h)) {
                const cv::Vec2f b = sampleFlow(p.flow10, m1[x][0], m1[x][1]);
                const cv::Vec2f d = b + ux;
                const double tol = o.consistencyRelative * (b.dot(b) + ux.dot(ux)) + absTol;
                v1 = float(std::max(std::exp(-double(d.dot(d)) / tol), o.confidenceFloor));
            }
            const float w0 = (1 - t) * v0, w1 = t * v1;
            b0[x] = w0 / (w0 + w1);
            b1[x] = w1 / (w0 + w1);
        }
    }

    if (o.blendSmoothing > 0) {
        // Soft visibility decisions: smooth the weights so that seams between regions taken from
        // different frames do not show as hard edges.
        const double sigma = o.blendSmoothing * std::sqrt(diagonalSq(motion.size()));
        cv::GaussianBlur(blend0, blend0, cv::Size(), sigma, sigma, cv::BORDER_REPLICATE);
        blend1 = 1.0 - blend0;
    }

    const int interp = o.bicubicWarp ? cv::INTER_CUBIC : cv::INTER_LINEAR;
    cv::Mat warp0, warp1;
    cv::remap(p.frame0, warp0, map0, cv::noArray(), interp, cv::BORDER_REPLICATE);
    cv::remap(p.frame1, warp1, map1, cv::noArray(), interp, cv::BORDER_REPLICATE);

    cv::Mat out(motion.size(), CV_8UC3);
    for (int y = 0; y < h; ++y) {
        const auto* a = warp0.ptr<cv::Vec3b>(y);
        const auto* b = warp1.ptr<cv::Vec3b>(y);
        const auto* b0 = blend0.ptr<float>(y);
        const auto* b1 = blend1.ptr<float>(y);
        auto* d = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                d[x][c] = cv::saturate_cast<uchar>(b0[x] * a[x][c] + b1[x] * b[x][c]);
    }
    return out;
}

cv::Mat interpolateFrame(
    const cv::Mat& frame0, const cv::Mat& frame1, double t, const FlowInterpOptions& options)
{
    return synthesize(computePairFlow(frame0, frame1, options), t);
}

} // namespace kinora::core::interp
