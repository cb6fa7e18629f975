#pragma once
// A loaded "kinora-native" model pack: manifest, VAE, denoiser and text encoder, and the code that
// reads and writes packs. Loading checks every tensor's name, shape and dtype against the
// architecture the manifest names and reports every mismatch at once. Jobs load any family through
// video_model.h's loadPack; the native modules themselves are for the trainer and the native tests
// (sampling goes through NativeVideoModel, native_video_model.h).

#include "kinora/inference/model_manifest.h"
#include "kinora/inference/native_config.h"
#include "kinora/inference/text_encoder.h"
#include "kinora/inference/unet3d.h"
#include "kinora/inference/video_vae.h"

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace kinora::inference {

struct NativeModel {
    ModelManifest manifest;
    NativeConfig config;
    VideoVae vae { nullptr };
    UNet3d denoiser { nullptr };
    TextEncoder textEncoder { nullptr };
    // Where the weights are and in what type, as loadNativePack and moveNativeModel put
    // them (a freshly created model is on the CPU in fp32).
    std::string device = "cpu"; // "cpu" or "cuda"
    std::string precision = "fp32"; // "fp32", "bf16" or "fp16"

    // Component role ("vae", "denoiser", "text_encoder") -> its module.
    std::map<std::string, torch::nn::Module*> components() const;
    // Parameters per component and in total ("total").
    std::map<std::string, int64_t> parameterCounts() const;
};

// A freshly initialised model of a config ("tiny", "default") with its manifest's defaults.
NativeModel createNativeModel(const std::string& configName, uint64_t seed);

// Writes manifest and weights into `dir` (created if needed); each file is written to a temporary
// name and renamed when complete, the manifest last.
void saveNativePack(const NativeModel& model, const std::filesystem::path& dir);

// Throws ModelPackError listing every problem (manifest fields, missing files, missing, unexpected or
// mis-shaped tensors, wrong dtypes).
// `precision` "fp32", "bf16" or "fp16" (see runtime.h's resolvePrecision): the floating-point
// weights are converted after they are checked against the file.
NativeModel loadNativePack(const std::filesystem::path& dir,
    const c10::Device& device = c10::Device(c10::kCPU), const std::string& precision = "fp32");

// Converts every floating-point weight of a loaded model to `precision` on `device`.
void moveNativeModel(NativeModel& model, const c10::Device& device, const std::string& precision);

} // namespace kinora::inference
