// flow_interp.h - classical optical-flow video frame interpolation.
//
// Synthesises a frame at an arbitrary time t in (0, 1) between two 8-bit colour frames:
//
//   1. Dense optical flow in both directions, F01: frame 0 -> frame 1 and F10: frame 1 -> frame 0,
//      by OpenCV DIS (coarse-to-fine; the pyramid depth follows the image size).
//   2. Forward-backward consistency gives every source pixel a confidence (low where the pixel is
//      occluded in the other frame or the flow is unreliable).
//   3. Large-motion fallback: where DIS failed the consistency test, an exhaustive block-matching
//      flow (on a downscaled copy, search radius relative to the image diagonal) replaces it if it
//      matches the colours clearly better; the fused flow is then variationally refined and the
//      confidences recomputed. This recovers small fast objects that coarse-to-fine flow loses.
//   4. Both flows are forward-splatted ("flow reversal") to time t along each trajectory (constant
//      velocity, or a parabola when the neighbouring pairs' flows are attached: see
//      attachNeighbours and FlowInterpOptions::accelerationWeight), giving for each pixel at time t
//      the offsets to its trajectory's points in frame 0 and in frame 1. Splat weights are the
//      confidences, so occluded pixels lose against
//      visible ones where trajectories collide. Pixels reached by no trajectory are filled by
//      push-pull (multi-scale normalised) interpolation; a small median removes outliers.
//   5. Both frames are backward-warped (bicubic) along those offsets (with constant velocity and
//      u_t the 0->1 displacement through x: I0(x - t u_t), I1(x + (1 - t) u_t)).
//   6. Per-pixel visibility in each frame is measured by checking that the source frame's own flow
//      at the sampled point agrees with the trajectory's 0->1 displacement u_t (a trajectory test);
//      samples outside the frame are
//      invisible. The two warps are blended with weights (1 - t) V0 and t V1 (smoothed spatially),
//      so occluded or out-of-frame samples are replaced by the other frame's sample.
//
// Usage:
//   kinora::core::interp::FlowInterpOptions opt;
//   cv::Mat mid = kinora::core::interp::interpolateFrame(a, b, 0.5, opt);
// or, for several times between the same pair (e.g. 24 -> 60 fps conversion):
//   auto pair = kinora::core::interp::computePairFlow(a, b, opt);
//   for (double t : {0.4, 0.8}) out.push_back(kinora::core::interp::synthesize(pair, t));
// Streaming callers should keep the pairs of the neighbouring intervals (one key frame of
// look-ahead) and attach them, which makes trajectories acceleration-aware at no extra flow cost:
//   pairs (A,B), (B,C), (C,D) from computePairFlow; for the interval B..C:
//   kinora::core::interp::attachNeighbours(pairBC, &pairAB, &pairCD);
//
// All thresholds are either relative to the flow magnitude or to the image size, so the method
// does not depend on resolution. Thread safety: functions are re-entrant (no global state); OpenCV
// internally parallelises with its own thread pool (cv::setNumThreads).
#pragma once

#include <opencv2/core.hpp>

namespace kinora::core::interp {

// Channel order of the 8-bit frames. Only used to compute luma for the flow estimation; the
// output has the same channel order as the input.
enum class ChannelOrder { BGR, RGB };

// Speed/quality trade-off of the optical flow.
enum class FlowQuality {
    Fast, // DIS "fast" preset: flow at 1/4 resolution, patch stride 4.
    Medium, // DIS "medium" preset: flow at 1/2 resolution, patch stride 3.
    Fine, // Medium settings but patches down to full resolution and more refinement.
};

struct FlowInterpOptions {
    ChannelOrder channelOrder = ChannelOrder::BGR;
    FlowQuality quality = FlowQuality::Fine;

    // Expert overrides of the DIS settings chosen by `quality` (-1 keeps the preset value).
    struct DisOverrides {
        int finestScale = -1; // 0 = full resolution
        int patchSize = -1;
        int patchStride = -1;
        int gradientIterations = -1;
        int refineIterations = -1; // variational refinement iterations per level
    } dis;

    // Large-motion candidate: exhaustive block matching on a downscaled copy (longer side about
    // matchWorkingSize px) within a radius of matchSearchRadius * image diagonal. DIS's coarse-to-fine
    // pyramid loses small, fast objects (a thrown ball); block matching finds them. The block
    // match replaces DIS only where DIS fails the forward-backward test (confidence < 0.5) and the
    // block match's local colour cost is below fusionPreference times DIS's. 0 radius disables.
    double matchSearchRadius = 0.05;
    int matchWorkingSize = 256;
    double fusionPreference = 0.8;
    // Variational refinement (OpenCV VariationalRefinement) of the fused flow at full resolution.
    int fusedRefineIterations = 5;

    // Forward-backward consistency test (Sundaram, Brox & Keutzer, ECCV 2010):
    //   |f + b|^2 <= consistencyRelative * (|f|^2 + |b|^2) + consistencyAbsolute * diag^2
    // where diag is the image diagonal (so the absolute term is scale-aware). The confidence is a
    // soft version of this test: exp(-|f + b|^2 / threshold).
    double consistencyRelative = 0.05;
    double consistencyAbsolute = 1.0e-6; // times diagonal^2: ~0.7 px at 960x540

    // Floor of the splat confidences and of the visibility weights. Keeps occluded pixels as a
    // last resort where nothing else lands, and keeps blending soft where visibility is uncertain
    // (hard wrong choices cost more than a partial blend).
    double confidenceFloor = 0.2;

    // Median filter of the splatted time-t flow (odd pixel size; 0 or 1 disables). Removes the
    // isolated outliers that splatting leaves at motion boundaries.
    int motionMedian = 5;

    // Gaussian smoothing of the per-pixel blend weights, sigma relative to the image diagonal
    // (0 disables).
    double blendSmoothing = 0.01;

    // Use bicubic rather than bilinear sampling for the final image warps.
    bool bicubicWarp = true;

    // Scale-aware working resolution: flow estimation, block matching, consistency, splatting and
    // visibility run on a copy downscaled (area filter) so that width * height <= flowMaxPixels;
    // the motion field and blend weights are upsampled and only the final warp and blend run at
    // the input resolution. Frames at or below this size are processed at full resolution.
    // 0 disables (everything at full resolution).
    int flowMaxPixels = 90000;

    // Uncertainty softening. Where both frames are believed visible but their motion-compensated
    // samples disagree, the motion is probably wrong; the least-squares estimate then is a local
    // average, not one sharp (and probably misplaced) hypothesis. The output is blended with a
    // Gaussian-blurred copy (sigma = uncertaintyBlur * diagonal) with weight
    //   1 - exp(-(e / uncertaintyLevel)^2),  e = smoothed |W0 - W1| (grey levels, mean over channels)
    // times 4 b0 b1 (the blend weights; zero where one frame is occluded). 0 disables.
    double uncertaintyBlur = 0.003;
    double uncertaintyLevel = 40.0;
    // Number of softening passes; pass k uses sigma and level times 2^k (wider averages only
    // where the disagreement is larger).
    int uncertaintyPasses = 1;

    // Acceleration-aware trajectories (used only where attachNeighbours() supplied the flows to the
    // frames before frame0 / after frame1; otherwise constant velocity). Each source frame's
    // trajectory towards time t is the parabola through its flow f to the other frame of the pair
    // and its flow g to the neighbour on the far side (quadratic video interpolation, Xu et al.,
    // NeurIPS 2019): with s the time distance from the source frame (in pair intervals),
    //   d(s) = acc s^2 + (f - acc) s,   acc = accelerationWeight * c * (g + tau f) / (tau (tau + 1)),
    // so d(1) = f and d(-tau) = g; tau is the neighbour's spacing (1 for evenly spaced frames,
    // giving acc = (f + g) / 2). c = 1 unless accelerationConfidenceGate, which scales acc by g's
    // forward-backward confidence (rescaled from [confidenceFloor, 1] to [0, 1]). |acc| is limited
    // to maxAccelerationRatio * |f| (0: no limit): a large acceleration of a pixel that barely moves
    // within the pair is more likely a wrong g than real motion. accelerationWeight = 0 is
    // constant velocity.
    double accelerationWeight = 1.0;
    double maxAccelerationRatio = 10.0;
    bool accelerationConfidenceGate = false;
};

// Everything that depends only on the frame pair, computed once and reused for every t.
struct FramePairFlow {
    cv::Mat frame0, frame1; // CV_8UC3, as given
    cv::Mat flow01, flow10; // CV_32FC2, pixel displacements 0->1 and 1->0
    cv::Mat conf0, conf1; // CV_32F in [confidenceFloor, 1]: forward-backward consistency
    FlowInterpOptions options;
    // The same fields at the working resolution (see flowMaxPixels); empty when that equals the
    // frame size or when the pair was filled in by hand (synthesize then uses the fields above).
    cv::Mat workFlow01, workFlow10, workConf0, workConf1;
    // Optional neighbour flows at the working resolution, set by attachNeighbours(): frame0 -> the
    // frame before it, frame1 -> the frame after it, with their forward-backward confidences.
    // Empty: constant-velocity trajectories on that side.
    cv::Mat flow0Prev, conf0Prev, flow1Next, conf1Next;
    // Time from the frame before frame0 to frame0, and from frame1 to the frame after it, in units
    // of this pair's interval (1 = evenly spaced).
    double prevSpacing = 1.0, nextSpacing = 1.0;
};

// Estimates the flows and confidences of a pair of same-sized CV_8UC3 frames.
// Throws cv::Exception on mismatched or unsupported input.
FramePairFlow computePairFlow(
    const cv::Mat& frame0, const cv::Mat& frame1, const FlowInterpOptions& options = {});

// Supplies the acceleration-aware model with the neighbouring pairs' flows, at no extra flow cost
// for a caller that streams frames: `previous` must be the FramePairFlow of (the frame before
// frame0, frame0) and `next` that of (frame1, the frame after frame1), both computed by
// computePairFlow with the same options and frame size. previousSpacing / nextSpacing give the time
// from the previous frame to frame0 and from frame1 to the next frame in units of the pair's own
// interval (1 when the key frames are evenly spaced; e.g. 2 when a duplicated frame was dropped
// between them). Either may be null (start or end of the clip, scene cut on that side): that side
// then keeps constant velocity. Only the flows are copied (reference-counted), so
// the neighbours need not outlive `pair`. Call again to change or clear them.
void attachNeighbours(FramePairFlow& pair, const FramePairFlow* previous, const FramePairFlow* next,
    double previousSpacing = 1.0, double nextSpacing = 1.0);

// Synthesises the frame at time t (0 = frame0, 1 = frame1; values outside [0, 1] are clamped).
cv::Mat synthesize(const FramePairFlow& pair, double t);

// Convenience: computePairFlow + synthesize.
cv::Mat interpolateFrame(
    const cv::Mat& frame0, const cv::Mat& frame1, double t, const FlowInterpOptions& options = {});

} // namespace kinora::core::interp
