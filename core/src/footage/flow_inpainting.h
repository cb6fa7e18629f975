// Classical flow-guided video inpainting (no learned model).
//
// For every frame the hole (mask != 0) is filled with pixels that other frames saw at the same
// scene point: optical flow is estimated on the known pixels, completed inside the hole (constant
// velocity from the neighbouring frame pair where the point was visible one frame earlier or later,
// membrane interpolation elsewhere), and chains of flow vectors are followed forward and backward in
// time until they land on a known pixel. Whatever no frame within reach ever saw is filled
// spatially (optionally carried along the flow from the previous output). A membrane (Laplace) correction in
// the hole removes the seam between propagated colour and the frame's own pixels at the hole's edge.
//
// Pixels outside the (dilated) mask are returned bit-identical to the input.
//
// Memory: the work is done on a sliding window of 2 * maxPropagation + 1 frames (frames, masks and
// the forward/backward flow between neighbours, the flow at flowScale resolution) plus the previous
// output frame, so arbitrarily long clips can be streamed through FlowVideoInpainter. Per window
// frame that is about 4 + 22 * flowScale^2 bytes per pixel (432x240, window 61: ~165 MB).
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace kinora::core::inpaint {

// How pixels that no frame in the window ever saw are filled.
enum class SpatialFill {
    Telea, // cv::inpaint fast-marching (Telea 2004): keeps some structure near the edge
    Membrane, // harmonic interpolation of the boundary: smoothest, blurriest
    Blend, // average of the two: Telea's edge continuation, shrunk towards the smooth fill
};

struct FlowInpaintOptions {
    // Grow the caller's mask by this many pixels (covers soft object edges and shadows). Pixels
    // added by the dilation are filled too, so they are not kept bit-identical.
    int maskDilation = 0;

    // The flow is discarded and re-interpolated in the hole grown by this many pixels, because the
    // flow estimator's patches straddle the hole's edge and are unreliable there.
    int flowHoleDilation = 2;

    // Pre-fill the union of both frames' holes (rather than each frame's own) before estimating the
    // flow between them, so the removed object's moving outline cannot drag the flow around it.
    bool pairUnionPrefill = true;

    // Discard (and re-interpolate) the flow between two frames inside the union of both frames'
    // holes, not just inside the hole of the frame the flow starts from. With the union pre-fill,
    // the estimator saw only smooth fill in both; a flow of ~0 there would bias the completion
    // towards "static" (it broke propagation of a panning background in the synthetic test).
    bool discardBothHoles = true;

    // Where a pixel is visible in this frame and the one before but hidden in the next, its flow to
    // the next frame cannot be measured; take it as the negated flow to the previous frame (constant
    // velocity) instead of interpolating it (and the same backwards in time).
    bool temporalFlowPrior = true;
    // Inside the hole (with temporalFlowPrior), the interpolated flow this -> next is blended with the
    // previous frame's completed flow, sampled where the scene point was one frame earlier
    // (constant velocity along the trajectory; 0 = interpolation only). This carries the motion
    // measured at the hole's leading edge into the hole.
    float flowCarryWeight = 0.5f;
    // Also blend the flow this -> previous inside the hole with the next pair's flow (same idea,
    // backwards in time). Measured slightly worse on bedroom, so off.
    bool symmetricFlowCarry = false;

    // How many frames a propagation chain may travel in each direction. Sets the sliding window
    // (2 * maxPropagation + 1 frames) and thus memory and latency.
    int maxPropagation = 30;

    // Forward-backward consistency check, tested at every step of a chain (Sundaram et al. 2010):
    // with f = f(p) and b = b(p + f), the step is accepted when
    // |f + b|^2 <= consistencyRel * (|f|^2 + |b|^2) + consistencyAbs^2.
    float consistencyAbs = 0.5f; // pixels
    float consistencyRel = 0.01f;

    // With sources found in both directions: false = nearest source frame wins (ties averaged);
    // true = both are blended with weights 1/distance^2 (softer switching, less flicker).
    bool blendDirections = true;

    // Gradient-domain seam removal: the colour difference between the frame and the propagated
    // colour, measured on a ring of seamBand known pixels around the hole and smoothed along it
    // with seamSigma, is interpolated into the hole as a membrane and added.
    bool seamCorrection = true;
    int seamBand = 4;
    float seamSigma = 5.0f;

    // Fill for never-seen pixels, and its radius (Telea only).
    SpatialFill spatialFill = SpatialFill::Blend;
    double teleaRadius = 5.0;

    // Unresolved pixels first try the previous output frame warped along the flow (this carries the
    // spatial fill forward instead of redoing it per frame). Off by default: carried errors persist
    // (4-clip mean -0.37 dB with it on, and the fill came out over-stable: flicker more negative).
    bool carryPrevious = false;
    // Weight of the carried colour against this frame's spatial fill (1 = carry only, 0 = no carry).
    float carryWeight = 1.0f;
    // The carry's forward-backward check, as a multiple of the propagation tolerance.
    float carryTolerance = 1.0f;

    // Flow estimation: cv::DISOpticalFlow preset (0 ultrafast, 1 fast, 2 medium) at this fraction
    // of the frame size (speed/memory for large frames).
    int disPreset = 2;
    double flowScale = 1.0;
};

// Where each output pixel came from, for diagnostics and previews.
enum class PixelSource : std::uint8_t { Known = 0, Propagated = 1, Carried = 2, Spatial = 3 };

// Fills `masks` (8-bit, nonzero = fill) in 8-bit BGR `frames`. `masks` holds one mask per frame, or
// a single mask used for every frame. Returns one output frame per input frame.
std::vector<cv::Mat> inpaintVideo(const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& masks,
    const FlowInpaintOptions& options = {});
// As above; also returns per frame a CV_8UC1 map of PixelSource values.
std::vector<cv::Mat> inpaintVideo(const std::vector<cv::Mat>& frames, const std::vector<cv::Mat>& masks,
    const FlowInpaintOptions& options, std::vector<cv::Mat>* sourceMaps);

// Streaming form: push frames in order, pull finished frames as they become available (each frame
// is output once maxPropagation later frames have been pushed, or after finish()).
class FlowVideoInpainter {
public:
    explicit FlowVideoInpainter(FlowInpaintOptions options = {});
    ~FlowVideoInpainter();
    FlowVideoInpainter(const FlowVideoInpainter&) = delete;
    FlowVideoInpainter& operator=(const FlowVideoInpainter&) = delete;

    // frame: 8-bit BGR; mask: 8-bit single channel of the same size, nonzero = fill.
    void push(const cv::Mat& frame, const cv::Mat& mask);
    // No more frames will come: the remaining frames are completed.
    void finish();
    // Takes the next finished frame, in order; false when none is ready yet.
    bool pop(cv::Mat& out);
    // As above, also giving the frame's PixelSource map.
    bool pop(cv::Mat& out, cv::Mat& sourceMap);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Harmonic (membrane) interpolation used for flow completion and seam removal; exposed for tests.
// `field` is CV_32FC1..4; `labels` is CV_8UC1 with kFixed (Dirichlet data), kSolve (unknown, is
// overwritten) or kIgnore (outside the domain). Solved coarse-to-fine, a few Gauss-Seidel sweeps per
// pyramid level.
namespace membrane {
constexpr std::uint8_t kIgnore = 0;
constexpr std::uint8_t kFixed = 1;
constexpr std::uint8_t kSolve = 2;
void solve(cv::Mat& field, const cv::Mat& labels, int sweepsPerLevel = 6);
} // namespace membrane

} // namespace kinora::core::inpaint
