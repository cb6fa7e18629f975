#pragma once
// `kinora-cli eval`: how good a model pack is, on procedural clips whose ground truth is known.
//  - Text-to-video: clips generated from captions of seen and of held-out colour/shape/direction
//    combinations, read by the engine's scorer (colour, shape, direction accuracy, flicker).
//  - Inpainting: held-out clips with a box over the object's path hidden; the model's fill and
//    OpenCV's Telea (per frame) against the hidden pixels.
//  - Interpolation: every 4th frame of held-out clips kept; the model's in-between frames and a
//    linear blend of the neighbouring keyframes against the dropped frames.
// Torch-free header, like model_training.h.

#include <QString>

#include <functional>
#include <string>

namespace kinora::core {

struct ModelEvalRequest {
    QString modelDir; // empty: findModelDir's search (diffusion_job.h)
    int clips = 20; // text-to-video clips per group (seen, held-out); 0: skip
    int restorationClips = 10; // clips for inpainting and for interpolation; 0: skip both
    int steps = 0; // denoising steps; 0: the pack's
    unsigned long long seed = 0; // of the scenes drawn and of the noise
    QString device = QStringLiteral("auto");
    QString precision = QStringLiteral("auto");
    // Non-empty: a PNG contact sheet of the first `sheetClips` text-to-video clips of each group, a
    // row per clip (every other frame, twice the size), its caption and what the scorer read.
    QString sheet;
    int sheetClips = 8;
};

struct CaptionScore {
    int clips = 0;
    double colour = 0, shape = 0, direction = 0; // accuracy in [0, 1]
    double flicker = 0; // mean background change between frames, in 1/255
};

// PSNR (dB) over the pixels the method had to make (the hole; the dropped frames) and SSIM (mean
// of the SSIM map over those pixels), 8-bit frames as a file would hold them.
struct RestorationScore {
    int clips = 0;
    double psnr = 0, ssim = 0; // the model
    double baselinePsnr = 0, baselineSsim = 0; // Telea (inpainting) or linear blend (interpolation)
};

struct ModelEvalReport {
    QString modelDir, modelName, device;
    int width = 0, height = 0, frames = 0, steps = 0;
    double vaePsnr = 0; // the VAE's round trip on 8 procedural clips: the ceiling of every task
    CaptionScore seen, heldOut;
    double secondsPerClip = 0; // text-to-video, generation only
    RestorationScore inpainting, interpolation;
    int interpolationFactor = 4;
    QString sheet; // the contact sheet written, if any
};

struct ModelEvalProgress {
    QString stage; // "text-to-video", "inpainting", "interpolation"
    int done = 0, total = 0; // within the stage
};

// Throws ModelNotFoundError, JobCancelled (isCancelled returned true; checked between clips and
// denoising steps), std::invalid_argument for bad counts, std::runtime_error for a broken pack.
ModelEvalReport evaluateModelPack(const ModelEvalRequest& request,
    const std::function<void(const ModelEvalProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

// The tables a person reads, and the same as JSON.
std::string formatModelEvalReport(const ModelEvalReport& report);
std::string modelEvalReportJson(const ModelEvalReport& report);

// The metrics, exposed for their tests. Frames are 8-bit RGB (CV_8UC3, rows contiguous), masks
// CV_8UC1 (non-zero = scored); all of one size. Returns +inf PSNR when nothing differs.
struct FrameErrors {
    double squaredError = 0; // summed over scored pixels and channels, in [0, 1] units
    double ssimSum = 0; // SSIM map (mean of the channels) summed over scored pixels
    long long pixels = 0; // scored pixels
};
// Adds one frame's errors. `truth`, `made` and `mask` are pointers to row-major data of
// `width` x `height` (3 bytes a pixel for the frames, 1 for the mask; mask may be null: all scored).
void accumulateFrameErrors(FrameErrors& into, const unsigned char* truth, const unsigned char* made,
    const unsigned char* mask, int width, int height);
double psnrOf(const FrameErrors& errors);
double ssimOf(const FrameErrors& errors);

} // namespace kinora::core
