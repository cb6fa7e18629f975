#pragma once
// The sidecar `OUT.kinora.json` beside every clip Kinora makes: the request as the engine resolved
// it, the model pack with each weights file's SHA-256, the Kinora and LibTorch versions, the device
// and the precision — enough to make the take again. One writer for kinora-engine's sample and for
// core's jobs. Free of torch headers.

#include "kinora/inference/model_manifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace kinora::inference {

using SidecarJson = nlohmann::ordered_json;

// The request part. Paths absolute; an empty path is null in the file.
struct SidecarRequest {
    std::string task = "generate"; // generate, extend, inpaint or interpolate
    std::string prompt;
    std::string negativePrompt;
    std::string input; // extend, inpaint, interpolate
    std::string mask; // inpaint
    std::string image; // generate: the first frame
    std::string output;
    std::optional<int> frames; // generate: the clip's length; extend: the frames added
    std::optional<int> factor; // interpolate
    int outputFrames = 0; // what was written
    int outputWidth = 0;
    int outputHeight = 0;
    int width = 0; // the working size the model ran at
    int height = 0;
    double fps = 0; // the output's rate; 0: none (an image sequence of footage without one)
    int steps = 0; // as resolved: the pack's defaults filled in
    double guidance = 0;
    std::string sampler;
    uint64_t seed = 0;
    int windows = 1;
    int windowFrames = 0;
    int overlapFrames = 0;
};

struct PackHashes {
    std::map<std::string, std::string> files; // weights file as the manifest names it -> SHA-256
    std::string combined; // SHA-256 of the files' hex hashes concatenated in role order
};

// Hashes every component file of the pack in `dir` (seconds for a large pack: hash once per load).
PackHashes hashPackWeights(const ModelManifest& manifest, const std::filesystem::path& dir);

SidecarJson sidecarRequestJson(const SidecarRequest& request);
// name, family, config, version, dir (absolute), weights_sha256 (file -> hash).
SidecarJson sidecarModelJson(
    const ModelManifest& manifest, const std::filesystem::path& dir, const PackHashes& hashes);
// The whole sidecar: request, model, kinora_version, libtorch_version, device, precision.
SidecarJson sidecarJson(
    SidecarJson request, SidecarJson model, const std::string& device, const std::string& precision);

// OUT + ".kinora.json", for a pattern too (`out/%03d.png.kinora.json`).
std::filesystem::path sidecarPath(const std::filesystem::path& output);
// Writes to a temporary name beside `path` and renames it when complete, so a failure leaves no
// half-written sidecar. Throws std::runtime_error naming the file.
void writeSidecar(const std::filesystem::path& path, const SidecarJson& sidecar);

} // namespace kinora::inference
