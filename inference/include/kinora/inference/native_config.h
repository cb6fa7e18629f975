#pragma once
// Sizes of Kinora's own model family ("kinora-native"): a spatio-temporal VAE, a 3D U-Net denoiser and
// a byte-level text encoder. A pack's manifest names its config; `tiny` is for tests, `default` ships.

#include <string>
#include <vector>

namespace kinora::inference {

struct NativeConfig {
    std::string name;
    // Video VAE
    int imageChannels = 3;
    int latentChannels = 4;
    int vaeChannels = 32;
    std::vector<int> vaeMultipliers { 1, 2, 2 }; // one level per entry; spatial compression 2^(levels-1)
    // Text encoder
    int textDim = 128;
    int textLayers = 2;
    int textHeads = 4;
    int maxTextBytes = 96;
    // Denoiser
    int unetChannels = 64;
    std::vector<int> unetMultipliers { 1, 2 };
    std::vector<bool> unetAttention { false, true }; // spatial/temporal/cross attention per level
    int attentionHeads = 4;
    int groups = 8; // GroupNorm groups

    int spatialCompression() const { return 1 << (static_cast<int>(vaeMultipliers.size()) - 1); }
    // Denoiser input: noisy latent + known latent + known mask.
    int denoiserInputChannels() const { return 2 * latentChannels + 1; }
};

// "tiny" or "default"; throws std::invalid_argument naming the known configs otherwise.
NativeConfig nativeConfig(const std::string& name);

} // namespace kinora::inference
