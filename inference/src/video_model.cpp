#include "kinora/inference/video_model.h"

#include "kinora/inference/native_video_model.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/wan/wan_folder.h"
#include "kinora/inference/wan/wan_video_model.h"

#include <torch/torch.h>

namespace kinora::inference {

std::string VideoModel::deviceName() const
{
    return device().is_cuda() ? "cuda" : "cpu";
}

at::Tensor VideoModel::preview(const at::Tensor& latents) const
{
    const auto& m = manifest();
    auto rgb = latentPreview(m, latents[0] / m.latentScale).cpu();
    const auto g = geometry();
    if (g.temporalCompression == 1)
        return rgb;
    // Latent frame 0 covers pixel frame 0, every later one c pixel frames.
    const int64_t t = rgb.size(1);
    auto repeats = torch::full({ t }, g.temporalCompression, torch::kLong);
    repeats[0] = 1;
    return rgb.repeat_interleave(repeats, 1);
}

std::unique_ptr<VideoModel> loadPack(
    const std::filesystem::path& dir, const std::string& device, const std::string& precision)
{
    const auto where = resolveDevice(parseDevicePreference(device));
    const auto chosen = resolvePrecision(parsePrecision(precision), where);
    // The one place a family is chosen: by the manifest's family (which parseModelManifest checks
    // is one this build knows).
    const auto manifest = loadModelManifest(dir);
    if (manifest.family == "kinora-native")
        return std::make_unique<NativeVideoModel>(loadNativePack(dir, c10::Device(where), chosen));
    if (manifest.family == wan::kWanFamily)
        return wan::WanVideoModel::load(dir, manifest, c10::Device(where), chosen);
    throw ModelPackError(
        dir.string(), { "family \"" + manifest.family + "\" is not one this build can run" });
}

} // namespace kinora::inference
