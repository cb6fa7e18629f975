#pragma once
// `kinora-cli eval`: how good a model pack is, on procedural clips whose ground truth is known.
//  - Text-to-video: clips generated from captions of seen and of held-out colour/shape/direction
//    combinations, read by the engine's scorer (colour, shape, direction accuracy, flicker).
//  - Inpainting: held-out clips with a box over the object's path hidden; the model's fill and
//    OpenCV's Telea (per frame) against the hidden pixels.
//  - Interpolation: every 4th frame of held-out clips kept; the model's in-between frames and a
//    linear blend of the neighbouring keyframes against the dropped frames.
// Torch-free header, like model_training.h.

#include "kinora/inference/eval_report.h"
#include "kinora/inference/job_options.h"

#include <QString>

#include <functional>
#include <string>

namespace kinora::core {

// The report, its parts and its one printer are the engine's (kinora/inference/eval_report.h):
// `kinora-engine eval` prints the same tables.
using CaptionScore = inference::GroupScore;
using inference::formatModelEvalReport;
using inference::ModelEvalReport;
using inference::modelEvalReportJson;
using inference::RestorationScore;

// The flags both command lines share (kinora/inference/job_options.h: model, device, precision,
// clips, steps, guidance, seed, json), and what only kinora-cli measures: restoration beside
// OpenCV's baselines and the contact sheet.
struct ModelEvalRequest : inference::ModelEvalOptions {
    int restorationClips = 10; // clips for inpainting and for interpolation; 0: skip both
    // Non-empty: a palette PNG contact sheet of the first `sheetClips` text-to-video clips of each
    // group, a row per clip (contact_sheet.h: its frames scaled up, its caption, what the scorer read).
    std::string sheet;
    int sheetClips = 8;
};

struct ModelEvalProgress {
    QString stage; // "text-to-video", "inpainting", "interpolation"
    int done = 0, total = 0; // within the stage
};

// `clips` 0 skips text-to-video (empty modelDir: findModelDir's search, diffusion_job.h).
// Throws ModelNotFoundError, JobCancelled (isCancelled returned true; checked between clips and
// denoising steps), std::invalid_argument for bad counts, inference::DeviceUnavailable,
// std::runtime_error for a broken pack.
ModelEvalReport evaluateModelPack(const ModelEvalRequest& request,
    const std::function<void(const ModelEvalProgress&)>& onProgress = {},
    const std::function<bool()>& isCancelled = {});

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
