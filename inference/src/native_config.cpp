#include "kinora/inference/native_config.h"

#include <stdexcept>

namespace kinora::inference {

NativeConfig nativeConfig(const std::string& name)
{
    NativeConfig c;
    c.name = name;
    if (name == "tiny") {
        c.latentChannels = 4;
        c.vaeChannels = 16;
        c.vaeMultipliers = { 1, 2 };
        c.textDim = 32;
        c.textLayers = 1;
        c.textHeads = 2;
        c.maxTextBytes = 64;
        c.unetChannels = 16;
        c.unetMultipliers = { 1, 2 };
        c.unetAttention = { false, true };
        c.attentionHeads = 2;
        c.groups = 4;
        return c;
    }
    if (name == "default") {
        // Chosen by learning curves on a 2-core CPU (resources/models/kinora-default/MODEL_CARD.md):
        // 32x32 pixels as a 12 x 16 x 16 latent, words as tokens, a frame channel.
        c.spaceToDepth = 2;
        c.latentChannels = 12;
        c.textTokens = "words";
        c.textDim = 96;
        c.textLayers = 2;
        c.textHeads = 4;
        c.maxTextBytes = 32;
        c.unetChannels = 48;
        c.unetMultipliers = { 1, 2, 2 };
        c.unetAttention = { false, true, true };
        c.attentionHeads = 4;
        c.groups = 8;
        c.frameChannel = true;
        return c;
    }
    throw std::invalid_argument("unknown native model config '" + name + "' (known: tiny, default)");
}

} // namespace kinora::inference
