// The evaluation's report as text and JSON, apart from the measuring (model_eval.cpp and core's
// model_eval.cpp): it needs no torch.

#include "kinora/inference/eval_report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <utility>

namespace kinora::inference {

std::string formatModelEvalReport(const ModelEvalReport& r)
{
    char line[200];
    std::string text;
    if (!r.modelName.empty()) {
        text += r.modelName;
        if (!r.modelDir.empty())
            text += " (" + r.modelDir + ")";
        if (!r.device.empty())
            text += " on " + r.device + (r.precision.empty() ? "" : " " + r.precision);
        text += ": ";
    }
    text += std::to_string(r.frames) + " frames at " + std::to_string(r.width) + "x"
        + std::to_string(r.height) + ", " + std::to_string(r.steps) + " steps\n";
    if (r.vaePsnr > 0) {
        std::snprintf(line, sizeof line, "VAE round trip: %.2f dB PSNR\n", r.vaePsnr);
        text += line;
    }
    if (r.seen.clips + r.heldOut.clips > 0) {
        text += "\ntext-to-video  clips  colour  shape  direction  background  flicker/255\n";
        for (const auto& [name, g] : { std::pair { "seen", r.seen }, std::pair { "held-out", r.heldOut } }) {
            std::snprintf(line, sizeof line, "%-13s %6d %6.0f%% %5.0f%% %9.0f%% %10.0f%% %11.2f\n", name,
                g.clips, 100 * g.colour, 100 * g.shape, 100 * g.direction, 100 * g.background, g.flicker);
            text += line;
        }
        std::snprintf(line, sizeof line, "%.1f s per clip\n", r.secondsPerClip);
        text += line;
    }
    if (!r.sheet.empty())
        text += "contact sheet: " + r.sheet + "\n";
    if (r.inpainting.clips + r.interpolation.clips > 0) {
        text += "\nheld-out clips             clips  PSNR model  baseline   gain  SSIM model  baseline\n";
        const auto row = [&](const std::string& name, const RestorationScore& s) {
            std::snprintf(line, sizeof line, "%-26s %6d %8.2f dB %6.2f dB %+6.2f %10.3f %9.3f\n",
                name.c_str(), s.clips, s.psnr, s.baselinePsnr, s.psnr - s.baselinePsnr, s.ssim,
                s.baselineSsim);
            text += line;
        };
        if (r.inpainting.clips > 0)
            row("inpainting (Telea)", r.inpainting);
        if (r.interpolation.clips > 0)
            row("interpolation x" + std::to_string(r.interpolationFactor) + " (blend)", r.interpolation);
    }
    return text;
}

std::string modelEvalReportJson(const ModelEvalReport& r)
{
    using Json = nlohmann::ordered_json;
    const auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
    const auto group = [&](const GroupScore& g) {
        return Json { { "clips", g.clips }, { "colour", g.colour }, { "shape", g.shape },
            { "direction", g.direction }, { "background", g.background }, { "flicker", g.flicker } };
    };
    const auto restoration = [&](const RestorationScore& s) {
        return Json { { "clips", s.clips }, { "psnr", number(s.psnr) }, { "ssim", number(s.ssim) },
            { "baseline_psnr", number(s.baselinePsnr) }, { "baseline_ssim", number(s.baselineSsim) } };
    };
    Json j { { "model", r.modelName }, { "model_dir", r.modelDir }, { "device", r.device },
        { "precision", r.precision }, { "width", r.width }, { "height", r.height }, { "frames", r.frames },
        { "steps", r.steps }, { "vae_psnr", r.vaePsnr > 0 ? number(r.vaePsnr) : Json(nullptr) } };
    if (r.seen.clips + r.heldOut.clips > 0)
        j["text_to_video"] = { { "seen", group(r.seen) }, { "held_out", group(r.heldOut) },
            { "seconds_per_clip", r.secondsPerClip } };
    if (!r.sheet.empty())
        j["sheet"] = r.sheet;
    if (r.inpainting.clips > 0)
        j["inpainting"] = restoration(r.inpainting);
    if (r.interpolation.clips > 0) {
        j["interpolation"] = restoration(r.interpolation);
        j["interpolation"]["factor"] = r.interpolationFactor;
    }
    return j.dump(2) + "\n";
}

} // namespace kinora::inference
