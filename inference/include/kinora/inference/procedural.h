#pragma once
// Procedural training clips for the native family: one or two coloured shapes moving (or standing
// still) over a plain, gradient or textured background, each clip with its caption from a small
// grammar ("a small red star moving quickly up-left and a cyan circle standing still on an orange
// gradient background"). Rendered with tensor operations, so the same code runs on the GPU when
// training does. No footage and no dataset download: the default model learns from this alone.
// The grammar, the sizes and speeds in pixels and the held-out combinations are described in
// docs/architecture.md ("Procedural data"); the held-out table itself lives in procedural.cpp only.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace kinora::inference {

// One object of a scene: its words, and where its centre starts.
struct ObjectSpec {
    std::string shape = "square"; // one of proceduralShapes()
    std::string colour = "red"; // one of proceduralColours()
    std::string size; // "" (medium) | small | large
    std::string speed; // "" (medium) | slowly | quickly
    std::string direction; // "" (standing still) | one of proceduralDirections()
    // The centre at the first frame, as a fraction of the frame's width and height.
    double x = 0.5, y = 0.5;
};

struct SceneSpec {
    std::vector<ObjectSpec> objects; // 1 or 2, drawn in this order (the second over the first)
    std::string background = "blue"; // one of proceduralColours()
    std::string backgroundStyle = "plain"; // plain | gradient | textured
    // Objects reflect off the edges of the frame (training); false: they move straight on and may
    // leave it, so evaluation scenes choose starts whose whole path stays inside.
    bool bounce = true;
    uint64_t textureSeed = 0; // the textured background's pattern

    // The scene in the grammar; throws std::invalid_argument for a word outside it.
    std::string caption() const;
};

// A colour/shape/direction combination training never sees (standing-still objects are never held
// out: the held-out question is whether words compose into an unseen motion).
struct HeldOut {
    std::string colour, shape, direction;
};

// A point in pixels (x right, y down; pixel (i, j) covers [j, j + 1) x [i, i + 1)).
struct PixelPoint {
    double x = 0, y = 0;
};

const std::vector<std::string>& proceduralColours();
const std::vector<std::string>& proceduralShapes();
const std::vector<std::string>& proceduralDirections();
const std::vector<std::string>& proceduralBackgroundStyles();
// The size and speed words a caption may add (none: the middle size, the middle speed).
const std::vector<std::string>& proceduralSizes();
const std::vector<std::string>& proceduralSpeeds();
// RGB in [0, 1] of a colour name; throws std::invalid_argument for an unknown name.
std::vector<double> colourValue(const std::string& name);

const std::vector<HeldOut>& heldOutCombinations();
bool isHeldOut(const ObjectSpec& object);

// An object's half-size (a square's half side, a circle's radius) in pixels: small, medium and
// large are 0.10, 0.14 and 0.19 of the frame's shorter side.
double objectHalfSize(const ObjectSpec& object, int height, int width);
// How far its pixels reach from its centre along x or y (triangle and star are drawn larger than
// the half-size so that every shape covers a similar area), not counting the anti-aliased edge.
double objectReach(const ObjectSpec& object, int height, int width);
// Pixels per frame: slowly, medium and quickly are 0.02, 0.03 and 0.045 of the shorter side (the
// same along diagonals); 0 standing still.
double objectSpeed(const ObjectSpec& object, int height, int width);
// Unit vector of a direction word in pixel axes (up = towards row 0 = negative y); "" gives 0.
PixelPoint directionVector(const std::string& direction);
// With bounce the centre travels within [margin, side - margin] pixels on each axis (margin =
// reach + 1), so the object stays whole in the frame; a start outside is folded into that range.
double objectMargin(const ObjectSpec& object, int height, int width);

// The object's centre at each of `frames` frames, in pixels: a straight line from its start, or
// with `bounce`, reflected at the margin on each axis.
std::vector<PixelPoint> objectTrack(const ObjectSpec& object, bool bounce, int frames, int height, int width);

// RGB [3, frames, height, width] in [0, 1], anti-aliased edges (one-pixel signed-distance ramp).
// Deterministic: the same spec gives the same pixels on every call and device.
at::Tensor renderScene(const SceneSpec& scene, int frames, int height, int width,
    const c10::Device& device = c10::Device(c10::kCPU));

// How randomSceneSpec draws.
struct SceneSampling {
    // false: training (bounce, any start, never a held-out object); true: evaluation (no bounce, a
    // start from which the whole path stays inside a `frames` x `height` x `width` clip).
    bool evaluation = false;
    // Evaluation only: every object a held-out combination (never standing still); false: none is.
    bool heldOut = false;
    int frames = 16, height = 64, width = 64;
    double twoObjects = 0.3; // probability of a second object
    double standingStill = 0.1; // probability an object stands still
    double gradient = 0.25, textured = 0.25; // probabilities of the background styles (else plain)
};

// A random scene: objects never have the background's colour, two objects differ in colour or
// shape. In evaluation, a speed whose path cannot fit the clip is not drawn (a slower one is); if
// none fits, std::invalid_argument.
SceneSpec randomSceneSpec(std::mt19937_64& rng, const SceneSampling& how = {});

} // namespace kinora::inference
