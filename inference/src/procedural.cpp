#include "kinora/inference/procedural.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
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
    };
    return colours;
}

// The one list of held-out combinations (docs/architecture.md copies it): every colour, shape and
// direction appears in it at most twice, so each still appears in training in other combinations.
const std::vector<HeldOut> kHeldOut {
    { "red", "circle", "up-left" },
    { "green", "square", "down" },
    { "blue", "triangle", "right" },
    { "yellow", "star", "up-right" },
    { "cyan", "circle", "left" },
    { "magenta", "square", "down-right" },
    { "orange", "triangle", "up" },
    { "purple", "star", "down-left" },
    { "white", "circle", "down" },
    { "black", "square", "up-right" },
    { "red", "triangle", "down-left" },
    { "green", "star", "left" },
    { "blue", "circle", "up" },
    { "yellow", "square", "right" },
    { "cyan", "triangle", "down-right" },
    { "magenta", "star", "up-left" },
};

bool contains(const std::vector<std::string>& list, const std::string& word)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

void check(bool ok, const std::string& what, const std::string& word)
{
    if (!ok)
        throw std::invalid_argument("procedural scene: unknown " + what + " '" + word + "'");
}

void validate(const ObjectSpec& o)
{
    check(contains(proceduralShapes(), o.shape), "shape", o.shape);
    check(palette().count(o.colour) == 1, "colour", o.colour);
    check(o.size.empty() || contains(proceduralSizes(), o.size), "size", o.size);
    check(o.speed.empty() || contains(proceduralSpeeds(), o.speed), "speed", o.speed);
    check(o.direction.empty() || contains(proceduralDirections(), o.direction), "direction", o.direction);
}

void validate(const SceneSpec& s)
{
    if (s.objects.empty() || s.objects.size() > 2)
        throw std::invalid_argument(
            "procedural scene: 1 or 2 objects, not " + std::to_string(s.objects.size()));
    for (const auto& o : s.objects)
        validate(o);
    check(palette().count(s.background) == 1, "background colour", s.background);
    check(contains(proceduralBackgroundStyles(), s.backgroundStyle), "background style", s.backgroundStyle);
}

std::string withArticle(const std::string& phrase)
{
    const bool vowel = !phrase.empty() && std::string("aeiou").find(phrase.front()) != std::string::npos;
    return (vowel ? "an " : "a ") + phrase;
}

std::string objectPhrase(const ObjectSpec& o)
{
    std::string words = (o.size.empty() ? "" : o.size + " ") + o.colour + " " + o.shape;
    std::string motion = o.direction.empty()
        ? std::string("standing still")
        : "moving " + (o.speed.empty() ? "" : o.speed + " ") + o.direction;
    return withArticle(words) + " " + motion;
}

// Pixels (x, y relative to the centre, y down) inside a regular n-pointed star whose points reach
// `outer` and whose notches reach `ratio` x `outer`, one point straight up: signed distance in
// pixels, negative inside, exact (the plane is folded into one half-point sector and measured to
// its one edge). n = 3 with ratio 1/2 is the equilateral triangle (the notch is an edge's middle).
at::Tensor starDistance(const at::Tensor& x, const at::Tensor& y, int n, double outer, double ratio)
{
    const double half = std::numbers::pi / n; // the angle between a point and the next notch
    // Angle from straight up, folded into [0, half]: 0 = a notch, half = a point.
    auto angle = torch::atan2(x, -y);
    angle = (torch::remainder(angle, 2 * half) - half).abs();
    auto radius = torch::sqrt(x * x + y * y);
    auto qx = radius * torch::cos(angle) - ratio * outer; // relative to the notch
    auto qy = radius * torch::sin(angle);
    const double ex = outer * std::cos(half) - ratio * outer, ey = outer * std::sin(half); // notch → point
    auto h = ((qx * ex + qy * ey) / (ex * ex + ey * ey)).clamp(0.0, 1.0);
    auto distance = torch::sqrt((qx - ex * h).pow(2) + (qy - ey * h).pow(2));
    // The centre lies on the positive side of the edge (notch → point), which is inside.
    return torch::where(ex * qy - ey * qx > 0, -distance, distance);
}

// Shapes other than the square and circle are drawn this much larger than the half-size, so that
// all four cover similar areas (square 4 r², circle 3.1 r², triangle 2.2 r², star 2.4 r²).
constexpr double kTriangleScale = 1.3, kStarScale = 1.35, kStarNotch = 0.45;

at::Tensor signedDistance(const std::string& shape, const at::Tensor& x, const at::Tensor& y, double r)
{
    if (shape == "square")
        return torch::maximum(x.abs(), y.abs()) - r;
    if (shape == "circle")
        return torch::sqrt(x * x + y * y) - r;
    if (shape == "triangle")
        return starDistance(x, y, 3, kTriangleScale * r, 0.5);
    if (shape == "star")
        return starDistance(x, y, 5, kStarScale * r, kStarNotch);
    throw std::invalid_argument("unknown shape '" + shape + "'");
}

at::Tensor colourTensor(const std::string& name, const torch::TensorOptions& options)
{
    return torch::tensor(colourValue(name), torch::kFloat64).to(options);
}

// [3, 1, H, W]: plain, a vertical gradient (the colour at the top, 35% of the way to white, or to
// black for light colours, at the bottom), or the colour with a fixed fine noise of ±0.05.
at::Tensor backgroundImage(const SceneSpec& s, int height, int width, const torch::TensorOptions& options)
{
    const auto rgb = colourValue(s.background);
    auto colour = colourTensor(s.background, options).view({ 3, 1, 1, 1 });
    if (s.backgroundStyle == "gradient") {
        const double luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        const double target = luminance > 0.5 ? 0.0 : 1.0;
        auto fade = torch::arange(height, options).add(0.5).div(height).mul(0.35).view({ 1, 1, height, 1 });
        return (colour + (target - colour) * fade).expand({ 3, 1, height, width });
    }
    if (s.backgroundStyle == "textured") {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(s.textureSeed);
        auto noise = torch::rand({ 1, 1, height, width }, generator, torch::kFloat32).sub(0.5).mul(0.1);
        return (colour + noise.to(options)).clamp(0.0, 1.0);
    }
    return colour.expand({ 3, 1, height, width });
}

} // namespace

const std::vector<std::string>& proceduralColours()
{
    static const std::vector<std::string> names { "red", "green", "blue", "yellow", "cyan", "magenta",
        "orange", "purple", "white", "black" };
    return names;
}

const std::vector<std::string>& proceduralShapes()
{
    static const std::vector<std::string> shapes { "circle", "square", "triangle", "star" };
    return shapes;
}

const std::vector<std::string>& proceduralDirections()
{
    static const std::vector<std::string> directions { "left", "right", "up", "down", "up-left", "up-right",
        "down-left", "down-right" };
    return directions;
}

const std::vector<std::string>& proceduralBackgroundStyles()
{
    static const std::vector<std::string> styles { "plain", "gradient", "textured" };
    return styles;
}

const std::vector<std::string>& proceduralSizes()
{
    static const std::vector<std::string> sizes { "small", "large" };
    return sizes;
}

const std::vector<std::string>& proceduralSpeeds()
{
    static const std::vector<std::string> speeds { "slowly", "quickly" };
    return speeds;
}

std::vector<double> colourValue(const std::string& name)
{
    const auto it = palette().find(name);
    if (it == palette().end())
        throw std::invalid_argument("unknown colour '" + name + "'");
    return it->second;
}

const std::vector<HeldOut>& heldOutCombinations()
{
    return kHeldOut;
}

bool isHeldOut(const ObjectSpec& object)
{
    return std::any_of(kHeldOut.begin(), kHeldOut.end(), [&object](const HeldOut& h) {
        return h.colour == object.colour && h.shape == object.shape && h.direction == object.direction;
    });
}

std::string SceneSpec::caption() const
{
    validate(*this);
    std::string text = objectPhrase(objects[0]);
    if (objects.size() == 2)
        text += " and " + objectPhrase(objects[1]);
    const std::string style = backgroundStyle == "plain" ? "" : backgroundStyle + " ";
    return text + " on " + withArticle(background + " " + style + "background");
}

double objectHalfSize(const ObjectSpec& object, int height, int width)
{
    const double fraction = object.size == "small" ? 0.10 : object.size == "large" ? 0.19 : 0.14;
    return fraction * std::min(height, width);
}

double objectReach(const ObjectSpec& object, int height, int width)
{
    const double scale = object.shape == "triangle" ? kTriangleScale
        : object.shape == "star"                    ? kStarScale
                                                    : 1.0;
    return scale * objectHalfSize(object, height, width);
}

double objectSpeed(const ObjectSpec& object, int height, int width)
{
    if (object.direction.empty())
        return 0.0;
    const double fraction = object.speed == "slowly" ? 0.02 : object.speed == "quickly" ? 0.045 : 0.03;
    return fraction * std::min(height, width);
}

PixelPoint directionVector(const std::string& direction)
{
    if (direction.empty())
        return {};
    double x = 0, y = 0;
    if (direction.find("left") != std::string::npos)
        x = -1;
    if (direction.find("right") != std::string::npos)
        x = 1;
    if (direction.find("up") != std::string::npos)
        y = -1;
    if (direction.find("down") != std::string::npos)
        y = 1;
    check(contains(proceduralDirections(), direction), "direction", direction);
    const double norm = std::hypot(x, y);
    return { x / norm, y / norm };
}

double objectMargin(const ObjectSpec& object, int height, int width)
{
    return objectReach(object, height, width) + 1.0;
}

std::vector<PixelPoint> objectTrack(const ObjectSpec& object, bool bounce, int frames, int height, int width)
{
    validate(object);
    const double speed = objectSpeed(object, height, width);
    const auto unit = directionVector(object.direction);
    const double margin = objectMargin(object, height, width);
    // Reflection off [lo, hi] as a triangle wave of the unreflected position.
    auto reflect = [](double p, double lo, double hi) {
        const double span = hi - lo;
        if (span <= 0)
            return (lo + hi) / 2;
        double u = std::fmod(p - lo, 2 * span);
        if (u < 0)
            u += 2 * span;
        return lo + (u <= span ? u : 2 * span - u);
    };
    std::vector<PixelPoint> track;
    track.reserve(static_cast<size_t>(std::max(frames, 0)));
    for (int t = 0; t < frames; ++t) {
        PixelPoint p { object.x * width + unit.x * speed * t, object.y * height + unit.y * speed * t };
        if (bounce) {
            p.x = reflect(p.x, margin, width - margin);
            p.y = reflect(p.y, margin, height - margin);
        }
        track.push_back(p);
    }
    return track;
}

at::Tensor renderScene(const SceneSpec& scene, int frames, int height, int width, const c10::Device& device)
{
    validate(scene);
    if (frames < 1 || height < 1 || width < 1)
        throw std::invalid_argument("renderScene: empty clip");
    const auto options = torch::TensorOptions(device).dtype(torch::kFloat32);
    auto ys = torch::arange(height, options).add(0.5).view({ 1, height, 1 });
    auto xs = torch::arange(width, options).add(0.5).view({ 1, 1, width });
    auto image = backgroundImage(scene, height, width, options).expand({ 3, frames, height, width });
    for (const auto& object : scene.objects) {
        const auto track = objectTrack(object, scene.bounce, frames, height, width);
        std::vector<double> cx, cy;
        for (const auto& p : track) {
            cx.push_back(p.x);
            cy.push_back(p.y);
        }
        auto dx = xs - torch::tensor(cx, torch::kFloat64).to(options).view({ frames, 1, 1 });
        auto dy = ys - torch::tensor(cy, torch::kFloat64).to(options).view({ frames, 1, 1 });
        const double r = objectHalfSize(object, height, width);
        // Coverage from the signed distance: a one-pixel ramp gives anti-aliased edges.
        auto coverage = (0.5 - signedDistance(object.shape, dx, dy, r)).clamp(0.0, 1.0).unsqueeze(0);
        image = image + (colourTensor(object.colour, options).view({ 3, 1, 1, 1 }) - image) * coverage;
    }
    return image.contiguous();
}

SceneSpec randomSceneSpec(std::mt19937_64& rng, const SceneSampling& how)
{
    if (how.heldOut && !how.evaluation)
        throw std::invalid_argument("randomSceneSpec: training never draws held-out combinations");
    if (how.frames < 1 || how.height < 1 || how.width < 1)
        throw std::invalid_argument("randomSceneSpec: empty clip");
    auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    auto pick = [&rng](const auto& list) {
        return list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng)];
    };
    auto uniform
        = [&rng](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto orNone = [](const std::vector<std::string>& words) {
        std::vector<std::string> all { "" };
        all.insert(all.end(), words.begin(), words.end());
        return all;
    };
    static const std::vector<std::string> sizes = orNone(proceduralSizes()),
                                          speeds = orNone(proceduralSpeeds());

    SceneSpec scene;
    scene.bounce = !how.evaluation;
    const int count = chance(how.twoObjects) ? 2 : 1;
    while (static_cast<int>(scene.objects.size()) < count) {
        ObjectSpec o;
        if (how.heldOut) {
            const auto& h = pick(kHeldOut);
            o.colour = h.colour;
            o.shape = h.shape;
            o.direction = h.direction;
        } else {
            o.colour = pick(proceduralColours());
            o.shape = pick(proceduralShapes());
            o.direction = chance(how.standingStill) ? std::string() : pick(proceduralDirections());
            if (isHeldOut(o))
                continue;
        }
        if (!scene.objects.empty() && scene.objects[0].colour == o.colour
            && scene.objects[0].shape == o.shape)
            continue; // the caption could not tell them apart
        o.size = pick(sizes);
        o.speed = o.direction.empty() ? std::string() : pick(speeds);
        scene.objects.push_back(o);
    }
    do
        scene.background = pick(proceduralColours());
    while (std::any_of(scene.objects.begin(), scene.objects.end(),
        [&scene](const ObjectSpec& o) { return o.colour == scene.background; }));
    const double style = uniform(0, 1);
    scene.backgroundStyle = style < how.gradient ? "gradient"
        : style < how.gradient + how.textured    ? "textured"
                                                 : "plain";
    scene.textureSeed = rng();

    for (auto& o : scene.objects) {
        // Each axis: the start range from which the whole path stays within the margin.
        auto starts = [&how](const ObjectSpec& candidate, double side, double velocity) {
            const double margin = objectMargin(candidate, how.height, how.width);
            const double travel = how.evaluation ? velocity * (how.frames - 1) : 0.0;
            return std::pair<double, double> { margin + std::max(0.0, -travel),
                side - margin - std::max(0.0, travel) };
        };
        auto fits = [&](const ObjectSpec& candidate) {
            const auto unit = directionVector(candidate.direction);
            const double speed = objectSpeed(candidate, how.height, how.width);
            const auto [x0, x1] = starts(candidate, how.width, unit.x * speed);
            const auto [y0, y1] = starts(candidate, how.height, unit.y * speed);
            return x0 <= x1 && y0 <= y1;
        };
        if (how.evaluation && !o.direction.empty() && !fits(o)) {
            std::vector<std::string> fitting;
            for (const auto& speed : speeds) {
                auto candidate = o;
                candidate.speed = speed;
                if (fits(candidate))
                    fitting.push_back(speed);
            }
            if (fitting.empty())
                throw std::invalid_argument("randomSceneSpec: '" + objectPhrase(o) + "' cannot stay inside a "
                    + std::to_string(how.frames) + "-frame " + std::to_string(how.width) + "x"
                    + std::to_string(how.height) + " clip at any speed");
            o.speed = pick(fitting);
        }
        const auto unit = directionVector(o.direction);
        const double speed = objectSpeed(o, how.height, how.width);
        const auto [x0, x1] = starts(o, how.width, unit.x * speed);
        const auto [y0, y1] = starts(o, how.height, unit.y * speed);
        // A frame too small for the object at all: its centre.
        auto within = [&uniform](double lo, double hi, double side) {
            return lo < hi ? uniform(lo, hi) : lo == hi ? lo : side / 2;
        };
        o.x = within(x0, x1, how.width) / how.width;
        o.y = within(y0, y1, how.height) / how.height;
    }
    return scene;
}

} // namespace kinora::inference
