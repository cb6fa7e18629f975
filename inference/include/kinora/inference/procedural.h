#pragma once
// Procedural training clips for the native family: a coloured shape moving across a plain
// background, with its caption from a small grammar ("a big red circle moving left fast on a blue
// background"). Rendered with tensor operations, so the same code runs on the GPU when training does.
// No footage and no dataset download: the default model learns from this alone.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace kinora::inference {

struct ClipSpec {
    std::string shape = "square"; // square | circle | triangle | diamond
    std::string colour = "red"; // one of proceduralColours()
    std::string background = "blue";
    std::string direction = "right"; // left | right | up | down
    std::string speed = "slow"; // slow | fast
    std::string size = "small"; // small | big
    // Where the path passes at the clip's middle frame, as a fraction of the frame (0.5 = centre),
    // across the motion; along the motion the path is centred on the frame.
    double lane = 0.5;

    std::string caption() const;
};

const std::vector<std::string>& proceduralColours();
const std::vector<std::string>& proceduralShapes();
const std::vector<std::string>& proceduralDirections();
// RGB in [0, 1] of a colour name; throws std::invalid_argument for an unknown name.
std::vector<double> colourValue(const std::string& name);

// RGB [3, frames, height, width] in [0, 1], anti-aliased edges.
at::Tensor renderClip(const ClipSpec& spec, int frames, int height, int width,
    const c10::Device& device = c10::Device(c10::kCPU));

// A random clip description (object and background colours differ).
ClipSpec randomClipSpec(std::mt19937_64& rng);

} // namespace kinora::inference
