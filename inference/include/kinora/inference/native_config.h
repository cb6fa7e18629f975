#pragma once
// Sizes of Kinora's own model family ("kinora-native"): a latent (a learned spatio-temporal VAE, or a
// fixed space-to-depth rearrangement of the pixels), a 3D U-Net denoiser and a text encoder (over
// UTF-8 bytes, or over the words of the caption grammar). A pack's manifest names its config; `tiny`
// is for tests, `default` ships.

#include <string>
#include <vector>

namespace kinora::inference {

struct NativeConfig {
    std::string name;
    // Video VAE
    int imageChannels = 3;
    int latentChannels = 4;
    // > 0: no learned VAE; the latent is each frame's f x f pixel blocks stacked as channels
    // (latentChannels = 3·f²), exact and free, with nothing to train and no weights file.
    int spaceToDepth = 0;
    int vaeChannels = 32;
    std::vector<int> vaeMultipliers { 1, 2, 2 }; // one level per entry; spatial compression 2^(levels-1)
    // Text encoder
    std::string textTokens = "bytes"; // "bytes" (any text) or "words" (the caption grammar's words)
    int textDim = 128;
    int textLayers = 2;
    int textHeads = 4;
    int maxTextBytes = 96; // the longest prompt in tokens (bytes or words), BOS included
    // Denoiser
    int unetChannels = 64;
    std::vector<int> unetMultipliers { 1, 2 };
    std::vector<bool> unetAttention { false, true }; // spatial/temporal/cross attention per level
    int attentionHeads = 4;
    int groups = 8; // GroupNorm groups
    // The U-Net also sees each frame's place in the clip as one more input channel, so it can put
    // an object where the caption's motion has it by that frame without agreeing on it through
    // temporal attention alone.
    bool frameChannel = false;

    bool learnedVae() const { return spaceToDepth == 0; }
    int spatialCompression() const
    {
        return spaceToDepth > 0 ? spaceToDepth : 1 << (static_cast<int>(vaeMultipliers.size()) - 1);
    }
    // Denoiser input: noisy latent + known latent + known mask (+ the frame channel, made inside).
    int denoiserInputChannels() const { return 2 * latentChannels + 1; }
};

// "tiny" or "default"; throws std::invalid_argument naming the known configs otherwise.
NativeConfig nativeConfig(const std::string& name);

} // namespace kinora::inference
