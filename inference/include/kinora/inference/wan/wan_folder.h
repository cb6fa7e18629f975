#pragma once
// A folder of Wan 2.1 text-to-video weights as users have them, recognised by the tensors inside
// rather than by file names: the official original-format DiT file, a Diffusers folder
// (transformer/, vae/, text_encoder/ with sharded safetensors and their index.json, tokenizer/), or
// the single-file 16-bit repacks (Comfy-Org's split_files/...), in any mix. Only safetensors
// headers are read (no LibTorch), so the manifest of a folder can be made before anything loads.
//
// Pickle files (.pth, .pt, .bin, .ckpt) are never opened: they can run code when unpickled. When a
// component exists only as one, the error names the safetensors file to get instead.

#include "kinora/inference/model_manifest.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kinora::inference::wan {

inline constexpr const char* kWanFamily = "wan2.1";

// One component's weights: the file (a .safetensors, or a Diffusers *.safetensors.index.json),
// relative to the folder, the name prefix its tensors carry (e.g. "model.diffusion_model."), which
// naming it uses and the dtype most of its tensors are stored in.
struct WanComponentFile {
    std::filesystem::path file;
    std::string prefix;
    std::string naming; // "original" (Wan's) or "diffusers" (Diffusers / transformers)
    std::string dtype; // "F32", "BF16", "F16", ...
};

struct WanFolder {
    std::filesystem::path dir;
    WanComponentFile dit, vae, textEncoder;
    // spiece.model, relative to dir; empty when the text encoder file embeds the tokenizer
    // (ComfyUI's "spiece_model" tensor).
    std::filesystem::path tokenizer;

    // Read from the DiT's tensor shapes.
    int64_t ditDim = 0;
    int64_t ditLayers = 0;
    int64_t ditInChannels = 0;
    int64_t ditTextDim = 0;
    // A config.json beside a component that names its number of heads (Diffusers:
    // num_attention_heads / num_heads; Wan's original config.json: num_heads). Without one, the
    // DiT's heads are dim / 128 (every published Wan 2.1 model) and umT5's come from its shapes.
    std::optional<int64_t> ditHeads;

    // "1.3B", "14B", or "custom" for any other size (the tiny test folders).
    std::string size() const;
};

// Whether `dir` holds anything that looks like Wan weights (a safetensors file with a Wan DiT, VAE
// or umT5 tensor name, or a Wan pickle file), so that a folder without a kinora-model.json is
// worth scanning. Cheap: reads headers only.
bool looksLikeWanFolder(const std::filesystem::path& dir);

// Finds the DiT, the VAE, the text encoder and the tokenizer in `dir` (searched three folders
// deep). Throws ModelPackError listing every problem at once: a missing component (with the file
// to download), a pickle in place of one, two candidates for one role, an image-to-video or Wan
// 2.2 model, an unreadable header.
WanFolder scanWanFolder(const std::filesystem::path& dir);

// The manifest Kinora uses for a scanned folder: family wan2.1, the components' files, flow
// matching with shift, UniPC on diffusers' grid, the reference defaults (832x480 for 1.3B,
// 1280x720 for 14B, 81 frames at 16 fps, 50 steps, guidance 5, shift 3 / 5 as diffusers' model
// cards), the 4x8x8 causal geometry (sizes multiples of 16) and the preview matrix
// (wanPreviewMatrix).
ModelManifest wanManifest(const WanFolder& folder);

// Writes wanManifest(scanWanFolder(dir)) as dir/kinora-model.json (under a temporary name first,
// renamed over when complete), so that a folder's choices can be pinned and edited; `adjust`, if
// given, changes the manifest first (the preview matrix fitted on the folder's own VAE:
// wan_video_model.h's fitWanPreview). Refuses with std::runtime_error when the folder already has
// one, ModelPackError as scanWanFolder. Returns the file written.
std::filesystem::path writeWanManifest(
    const std::filesystem::path& dir, const std::function<void(ModelManifest&)>& adjust = {});

// Parameters per component ("denoiser", "vae", "text_encoder") and in total ("total") of the
// files a Wan manifest names, counted from their headers without loading them.
std::map<std::string, int64_t> wanParameterCounts(
    const std::filesystem::path& dir, const ModelManifest& manifest);

// The shard files a Diffusers `*.safetensors.index.json` names (its weight_map's values), in the
// index's folder, sorted. Throws ModelPackError when the index cannot be read, is not JSON or
// names no file.
std::vector<std::filesystem::path> indexShards(const std::filesystem::path& index);

// What the weights file `file` (relative to `dir`) holds, from its header: prefix, naming, dtype,
// and its role ("denoiser", "vae", "text_encoder"; "" when it holds none of them). For loading
// the components a manifest names. Throws SafetensorsError for an unreadable header.
WanComponentFile inspectWanWeights(
    const std::filesystem::path& dir, const std::filesystem::path& file, std::string* role = nullptr);

// The number of attention heads a config.json beside `file` names (see WanFolder::ditHeads).
std::optional<int64_t> configuredHeads(const std::filesystem::path& dir, const std::filesystem::path& file);

// The starting latent-to-RGB preview for Wan 2.1's 16 normalised latent channels: ComfyUI's
// fitted Wan21 latent_rgb_factors and bias (which give RGB in [-1, 1]) rescaled to Kinora's [0, 1]
// (halved, bias (b + 1) / 2).
std::vector<std::array<double, 3>> wanPreviewMatrix();
std::array<double, 3> wanPreviewBias();

} // namespace kinora::inference::wan
