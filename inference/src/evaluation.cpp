#include "kinora/inference/evaluation.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>
#include <numbers>

namespace kinora::inference {

namespace {

// A pixel belongs to the object when its colour is this far (RGB distance in [0, 1] units) from its
// frame's dominant colour; the colour itself is taken from pixels further still (no edge blend).
constexpr double kForeground = 0.2;
constexpr double kCore = 0.3;
constexpr int kSilhouette = 32; // silhouettes are compared at this size

// The mask scaled to its bounding box, kSilhouette x kSilhouette, values in [0, 1].
at::Tensor normalisedSilhouette(const at::Tensor& mask)
{
    auto rows = mask.any(1).nonzero().flatten();
    auto cols = mask.any(0).nonzero().flatten();
    if (rows.numel() == 0 || cols.numel() == 0)
        return torch::zeros({ kSilhouette, kSilhouette });
    const auto r0 = rows.min().item<int64_t>(), r1 = rows.max().item<int64_t>();
    const auto c0 = cols.min().item<int64_t>(), c1 = cols.max().item<int64_t>();
    auto crop = mask.slice(0, r0, r1 + 1).slice(1, c0, c1 + 1).to(torch::kFloat32).unsqueeze(0).unsqueeze(0);
    namespace F = torch::nn::functional;
    return F::interpolate(crop,
        F::InterpolateFuncOptions()
            .size(std::vector<int64_t> { kSilhouette, kSilhouette })
            .mode(torch::kBilinear)
            .align_corners(false))
        .squeeze();
}

// Each shape's silhouette, drawn large by the procedural renderer itself.
const std::map<std::string, at::Tensor>& shapeTemplates()
{
    static const std::map<std::string, at::Tensor> templates = [] {
        std::map<std::string, at::Tensor> t;
        for (const auto& shape : proceduralShapes()) {
            SceneSpec scene;
            scene.objects = { ObjectSpec { shape, "white", "large", "", "", 0.5, 0.5 } };
            scene.background = "black";
            auto frame = renderScene(scene, 1, 256, 256).select(1, 0); // [3, H, W]
            t[shape] = normalisedSilhouette(frame.mean(0) > 0.5);
        }
        return t;
    }();
    return templates;
}

std::string nearestColour(const std::vector<double>& rgb)
{
    std::string best;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (const auto& name : proceduralColours()) {
        const auto c = colourValue(name);
        const double d = std::pow(c[0] - rgb[0], 2) + std::pow(c[1] - rgb[1], 2) + std::pow(c[2] - rgb[2], 2);
        if (d < bestDistance) {
            bestDistance = d;
            best = name;
        }
    }
    return best;
}

// The direction word of a displacement (x right, y down), or "" when it is below `still` pixels.
std::string directionOf(double dx, double dy, double still)
{
    if (std::hypot(dx, dy) < still)
        return "";
    // Counter-clockwise from "right", with up towards row 0.
    const double degrees = std::atan2(-dy, dx) * 180.0 / std::numbers::pi;
    static const char* const sectors[]
        = { "right", "up-right", "up", "up-left", "left", "down-left", "down", "down-right" };
    const int sector = static_cast<int>(std::floor(std::fmod(degrees + 360.0 + 22.5, 360.0) / 45.0)) % 8;
    return sectors[sector];
}

// Each pixel's colour distance from its frame's background, modelled as a plane in (x, y) per
// channel (a plain colour or a gradient), fitted by least squares and refitted without the pixels
// it fitted worst (the object).
at::Tensor backgroundDistance(const at::Tensor& clip)
{
    const auto frames = clip.size(1), height = clip.size(2), width = clip.size(3);
    auto ys = torch::arange(height, torch::kFloat64)
                  .add(0.5)
                  .div(height)
                  .view({ height, 1 })
                  .expand({ height, width });
    auto xs = torch::arange(width, torch::kFloat64)
                  .add(0.5)
                  .div(width)
                  .view({ 1, width })
                  .expand({ height, width });
    const auto design = torch::stack({ torch::ones_like(xs), xs, ys }, 2).view({ -1, 3 }); // [N, 3]
    std::vector<at::Tensor> distances;
    for (int64_t t = 0; t < frames; ++t) {
        const auto colours = clip.select(1, t).flatten(1).t().to(torch::kFloat64); // [N, 3]
        auto inliers = torch::ones({ design.size(0) }, torch::kBool);
        at::Tensor residual;
        for (int pass = 0; pass < 3; ++pass) {
            const auto a = design.index({ inliers });
            const auto b = colours.index({ inliers });
            const auto coefficients
                = torch::linalg_solve(a.t().mm(a) + 1e-9 * torch::eye(3, torch::kFloat64), a.t().mm(b));
            residual = (colours - design.mm(coefficients)).pow(2).sum(1).sqrt();
            // The object covers well under half the frame: keep the better-fitting 70% and what is
            // already close.
            const auto k = static_cast<int64_t>(0.7 * static_cast<double>(residual.numel()));
            const double cut
                = std::max(0.05, std::get<0>(residual.kthvalue(std::max<int64_t>(1, k))).item<double>());
            inliers = residual <= cut;
        }
        distances.push_back(residual.view({ height, width }).to(torch::kFloat32));
    }
    return torch::stack(distances);
}

} // namespace

ClipReading readClip(const at::Tensor& input)
{
    torch::NoGradGuard noGrad;
    const auto clip = input.detach().to(torch::kCPU, torch::kFloat32).clamp(0, 1); // [3, T, H, W]
    const auto frames = clip.size(1), height = clip.size(2), width = clip.size(3);
    const auto distance = backgroundDistance(clip); // [T, H, W]
    const auto foreground = distance > kForeground;
    const auto core = distance > kCore;

    ClipReading r;
    const auto coreCount = core.sum().item<int64_t>();
    if (coreCount > 0) {
        auto pixels = clip.flatten(1).index({ torch::indexing::Slice(), core.flatten() }); // [3, N]
        auto mean = pixels.mean(1);
        r.rgb = { mean[0].item<double>(), mean[1].item<double>(), mean[2].item<double>() };
        r.colour = nearestColour(r.rgb);
    }

    {
        // The background: pixels of the top quarter of every frame, away from the object.
        const auto object
            = torch::max_pool2d(foreground.to(torch::kFloat32).unsqueeze(1), 3, 1, 1).squeeze(1) > 0;
        auto away = (~object).clone();
        away.slice(1, std::max<int64_t>(1, height / 4)).fill_(false);
        if (away.sum().item<int64_t>() == 0)
            away = ~object;
        if (away.sum().item<int64_t>() > 0) {
            auto pixels = clip.flatten(1).index({ torch::indexing::Slice(), away.flatten() });
            auto mean = pixels.mean(1);
            r.background
                = nearestColour({ mean[0].item<double>(), mean[1].item<double>(), mean[2].item<double>() });
        }
    }

    const double minPixels = std::max(4.0, 0.002 * static_cast<double>(height * width));
    auto ys = torch::arange(height, torch::kFloat32).add(0.5).view({ height, 1 });
    auto xs = torch::arange(width, torch::kFloat32).add(0.5).view({ 1, width });
    int64_t bestFrame = -1;
    double bestCount = 0;
    for (int64_t t = 0; t < frames; ++t) {
        const auto m = foreground[t].to(torch::kFloat32);
        const double count = m.sum().item<double>();
        if (count < minPixels)
            continue;
        r.track.push_back({ (m * xs).sum().item<double>() / count, (m * ys).sum().item<double>() / count });
        if (count > bestCount) {
            bestCount = count;
            bestFrame = t;
        }
    }
    r.found = static_cast<int64_t>(r.track.size()) * 2 >= frames;
    if (bestFrame >= 0) {
        const auto silhouette = normalisedSilhouette(foreground[bestFrame]);
        double bestIou = -1;
        for (const auto& [shape, reference] : shapeTemplates()) {
            const auto a = silhouette > 0.5, b = reference > 0.5;
            const double iou = (a & b).sum().item<double>() / std::max(1.0, (a | b).sum().item<double>());
            if (iou > bestIou) {
                bestIou = iou;
                r.shape = shape;
            }
        }
    }
    if (r.track.size() >= 2) {
        const auto& first = r.track.front();
        const auto& last = r.track.back();
        // Standing still: the centroid moves less than a quarter of the slowest speed's path.
        ObjectSpec slowest;
        slowest.speed = "slowly";
        slowest.direction = "right";
        const double still = 0.25 * objectSpeed(slowest, static_cast<int>(height), static_cast<int>(width))
            * static_cast<double>(frames - 1);
        r.direction = directionOf(last.x - first.x, last.y - first.y, still);
    }

    if (frames > 1) {
        // Background in both frames of a pair: neither the object nor its neighbourhood.
        const auto object
            = torch::max_pool2d(foreground.to(torch::kFloat32).unsqueeze(1), 3, 1, 1).squeeze(1) > 0;
        const auto background = (~object.slice(0, 1)) & (~object.slice(0, 0, frames - 1)); // [T-1, H, W]
        const auto change = (clip.slice(1, 1) - clip.slice(1, 0, frames - 1)).abs().mean(0); // [T-1, H, W]
        const double count = background.sum().item<double>();
        r.flicker = count > 0 ? 255.0 * (change * background).sum().item<double>() / count : 0.0;
    }
    return r;
}

ClipScore scoreClip(const at::Tensor& clip, const SceneSpec& expected)
{
    if (expected.objects.size() != 1)
        throw std::invalid_argument("scoreClip reads single-object scenes");
    const auto& object = expected.objects.front();
    ClipScore s;
    s.reading = readClip(clip);
    s.colour = s.reading.colour == object.colour;
    s.shape = s.reading.found && s.reading.shape == object.shape;
    s.direction = s.reading.found && s.reading.direction == object.direction;
    s.background = s.reading.background == expected.background;
    s.flicker = s.reading.flicker;
    return s;
}

} // namespace kinora::inference
