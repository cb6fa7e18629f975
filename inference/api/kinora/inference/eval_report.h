#pragma once
// What an evaluation of a model pack found, and the one printer of it (a table, or JSON) that
// kinora-cli eval and kinora-engine eval both use. Free of torch headers.

#include <string>

namespace kinora::inference {

// Text-to-video clips of one group (seen or held-out captions), as the scorer read them.
struct GroupScore {
    int clips = 0;
    double colour = 0, shape = 0, direction = 0; // accuracy in [0, 1]
    double background = 0; // the background's colour read right, in [0, 1]
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
    std::string modelDir, modelName, device, precision; // empty when not known (a model in memory)
    int width = 0, height = 0, frames = 0, steps = 0;
    double vaePsnr = 0; // the VAE's round trip on 8 procedural clips (0: not measured)
    GroupScore seen, heldOut; // text-to-video; clips 0: not run
    double secondsPerClip = 0; // text-to-video, generation only
    RestorationScore inpainting, interpolation; // clips 0: not run
    int interpolationFactor = 4;
    std::string sheet; // the contact sheet written, if any
};

// The tables a person reads: a line naming the pack and the settings, the VAE's round trip, then
// one table per part that ran ("text-to-video clips colour shape direction flicker/255", "held-out
// clips PSNR model baseline gain SSIM model baseline").
std::string formatModelEvalReport(const ModelEvalReport& report);
// The same as JSON; a PSNR that is not finite (nothing differed, nothing scored) is null.
std::string modelEvalReportJson(const ModelEvalReport& report);

} // namespace kinora::inference
