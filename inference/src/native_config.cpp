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
    if (name == "default")
        return c;
    throw std::invalid_argument("unknown native model config '" + name + "' (known: tiny, default)");
}

} // namespace kinora::inference
