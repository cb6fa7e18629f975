#include "kinora/inference/procedural.h"

#include <torch/torch.h>

#include <map>
#include <stdexcept>

namespace kinora::inference {

namespace {

const std::map<std::string, std::vector<double>>& palette()
{
    static const std::map<std::string, std::vector<double>> colours {
        { "red", { 0.90, 0.10, 0.10 } },
        { "green", { 0.10, 0.75, 0.15 } },
        { "blue", { 0.10, 0.20, 0.90 } },
        { "yellow", { 0.95, 0.90, 0.10 } },
        { "cyan", { 0.10, 0.85, 0.90 } },
        { "magenta", { 0.90, 0.15, 0.85 } },
        { "orange", { 0.98, 0.55, 0.05 } },
        { "purple", { 0.50, 0.15, 0.70 } },
        { "white", { 0.95, 0.95, 0.95 } },
        { "black", { 0.05, 0.05, 0.05 } },
        { "grey", { 0.50, 0.50, 0.50 } },
    };
    return colours;
}

// Signed distance (in pixels, negative inside) of every pixel to a shape of half-size r at (cx, cy).
at::Tensor signedDistance(const std::string& shape, const at::Tensor& x, const at::Tensor& y, double r)
{
    if (shape == "square")
        return torch::maximum(x.abs(), y.abs()) - r;
    if (shape == "circle")
        return torch::sqrt(x * x + y * y) - r;
    if (shape == "diamond")
        return (x.abs() + y.abs()) / std::sqrt(2.0) - r / std::sqrt(2.0);
    if (shape == "triangle") {
        // Upward equilateral-ish triangle: inside three half-planes.
        const double k = std::sqrt(3.0);
        auto bottom = y - r * 0.8;
        auto left = (-k * x - y) / 2 - r * 0.6;
        auto right = (k * x - y) / 2 - r * 0.6;
        return torch::maximum(bottom, torch::maximum(left, right));
    }
    throw std::invalid_argument("unknown shape '" + shape + "'");
}

} // namespace

const std::vector<std::string>& proceduralColours()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, value] : palette())
            n.push_back(name);
        return n;
    }();
    return names;
}

const std::vector<std::string>& proceduralShapes()
{
    static const std::vector<std::string> shapes { "square", "circle", "triangle", "diamond" };
    return shapes;
}

const std::vector<std::string>& proceduralDirections()
{
    static const std::vector<std::string> directions { "left", "right", "up", "down" };
    return directions;
}

std::vector<double> colourValue(const std::string& name)
{
    const auto it = palette().find(name);
    if (it == palette().end())
        throw std::invalid_argument("unknown colour '" + name + "'");
    return it->second;
}

std::string ClipSpec::caption() const
{
    return "a " + size + " " + colour + " " + shape + " moving " + direction + " " + speed + " on a "
        + background + " background";
}

at::Tensor renderClip(const ClipSpec& spec, int frames, int height, int width, const c10::Device& device)
{
    const auto options = torch::TensorOptions(device).dtype(torch::kFloat32);
    const double side = std::min(height, width);
    const double r = side * (spec.size == "big" ? 0.22 : 0.13);
    const double speed = side * (spec.speed == "fast" ? 0.09 : 0.045); // pixels per frame
    double vx = 0, vy = 0;
    if (spec.direction == "right")
        vx = speed;
    else if (spec.direction == "left")
        vx = -speed;
    else if (spec.direction == "down")
        vy = speed;
    else if (spec.direction == "up")
        vy = -speed;
    else
        throw std::invalid_argument("unknown direction '" + spec.direction + "'");
    const bool horizontal = vx != 0;
    const double mid = (frames - 1) / 2.0;
    const double cx0 = horizontal ? width / 2.0 : spec.lane * width;
    const double cy0 = horizontal ? spec.lane * height : height / 2.0;

    auto ys = torch::arange(height, options).add(0.5).view({ 1, height, 1 });
    auto xs = torch::arange(width, options).add(0.5).view({ 1, 1, width });
    auto t = torch::arange(frames, options).sub(mid).view({ frames, 1, 1 });
    auto dx = xs - (cx0 + vx * t);
    auto dy = ys - (cy0 + vy * t);
    // Coverage from the signed distance: a one-pixel ramp gives anti-aliased edges.
    auto coverage = (0.5 - signedDistance(spec.shape, dx, dy, r)).clamp(0.0, 1.0); // [T, H, W]

    auto object = torch::tensor(colourValue(spec.colour), torch::kFloat64).to(options).view({ 3, 1, 1, 1 });
    auto background
        = torch::tensor(colourValue(spec.background), torch::kFloat64).to(options).view({ 3, 1, 1, 1 });
    return background + (object - background) * coverage.unsqueeze(0);
}

ClipSpec randomClipSpec(std::mt19937_64& rng)
{
    auto pick = [&rng](const std::vector<std::string>& list) {
        return list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng)];
    };
    ClipSpec spec;
    spec.shape = pick(proceduralShapes());
    spec.colour = pick(proceduralColours());
    do
        spec.background = pick(proceduralColours());
    while (spec.background == spec.colour);
    spec.direction = pick(proceduralDirections());
    spec.speed = std::bernoulli_distribution(0.5)(rng) ? "fast" : "slow";
    spec.size = std::bernoulli_distribution(0.5)(rng) ? "big" : "small";
    spec.lane = std::uniform_real_distribution<double>(0.3, 0.7)(rng);
    return spec;
}

} // namespace kinora::inference
