// The procedural training data says what it shows: captions follow the grammar, the held-out
// combinations never reach training, evaluation objects stay whole in the frame, and the rendered
// objects have their caption's colour, shape, direction and speed.

#include "kinora/inference/procedural.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

using namespace kinora::inference;

namespace {

const std::regex& grammar()
{
    static const std::string colour = "(red|green|blue|yellow|cyan|magenta|orange|purple|white|black)";
    static const std::string object = "(a|an) ((small|large) )?" + colour + " (circle|square|triangle|star)";
    static const std::string motion
        = "(moving ((slowly|quickly) )?(left|right|up|down|up-left|up-right|down-left|down-right)|standing "
          "still)";
    static const std::string background = "(a|an) " + colour + " (gradient |textured )?background";
    static const std::regex re(
        object + " " + motion + "( and " + object + " " + motion + ")? on " + background);
    return re;
}

ObjectSpec object(const std::string& shape, const std::string& colour, const std::string& direction = "",
    const std::string& speed = "", const std::string& size = "")
{
    ObjectSpec o;
    o.shape = shape;
    o.colour = colour;
    o.direction = direction;
    o.speed = speed;
    o.size = size;
    return o;
}

SceneSpec scene(const std::vector<ObjectSpec>& objects, const std::string& background,
    const std::string& style = "plain", bool bounce = false)
{
    SceneSpec s;
    s.objects = objects;
    s.background = background;
    s.backgroundStyle = style;
    s.bounce = bounce;
    return s;
}

at::Tensor colourOf(const std::string& name)
{
    return torch::tensor(colourValue(name), torch::kFloat64).to(torch::kFloat32).view({ 3, 1, 1, 1 });
}

// How much of each pixel [T, H, W] a single object on a plain background covers.
at::Tensor coverageOf(const at::Tensor& clip, const std::string& objectColour, const std::string& background)
{
    const auto bg = colourOf(background), towards = colourOf(objectColour) - bg;
    return ((clip - bg) * towards).sum(0) / towards.pow(2).sum();
}

// The coverage-weighted centre of every frame, in pixels (pixel centres at i + 0.5).
std::vector<PixelPoint> centroids(const at::Tensor& coverage)
{
    const auto frames = coverage.size(0), h = coverage.size(1), w = coverage.size(2);
    auto ys = torch::arange(h, torch::kFloat32).add(0.5).view({ 1, h, 1 });
    auto xs = torch::arange(w, torch::kFloat32).add(0.5).view({ 1, 1, w });
    const auto mass = coverage.sum({ 1, 2 });
    const auto cx = (coverage * xs).sum({ 1, 2 }) / mass, cy = (coverage * ys).sum({ 1, 2 }) / mass;
    std::vector<PixelPoint> out;
    for (int64_t t = 0; t < frames; ++t)
        out.push_back({ cx[t].item<double>(), cy[t].item<double>() });
    return out;
}

std::vector<SceneSpec> draws(int count, const SceneSampling& how, uint64_t seed = 1)
{
    std::mt19937_64 rng(seed);
    std::vector<SceneSpec> out;
    for (int i = 0; i < count; ++i)
        out.push_back(randomSceneSpec(rng, how));
    return out;
}

SceneSampling evaluation(bool heldOut)
{
    SceneSampling how;
    how.evaluation = true;
    how.heldOut = heldOut;
    how.frames = 16;
    how.height = 48;
    how.width = 64;
    return how;
}

} // namespace

TEST(ProceduralCaption, ExamplesReadAsTheGrammarSays)
{
    EXPECT_EQ(scene({ object("star", "orange", "up") }, "blue").caption(),
        "an orange star moving up on a blue background");
    EXPECT_EQ(scene({ object("star", "orange", "", "", "large") }, "blue", "gradient").caption(),
        "a large orange star standing still on a blue gradient background");
    EXPECT_EQ(
        scene({ object("circle", "red", "up-left", "quickly"), object("square", "white", "", "", "small") },
            "orange", "textured")
            .caption(),
        "a red circle moving quickly up-left and a small white square standing still on an orange textured "
        "background");
    EXPECT_EQ(scene({ object("triangle", "black", "down-right", "slowly", "small") }, "orange").caption(),
        "a small black triangle moving slowly down-right on an orange background");
    EXPECT_THROW(scene({ object("diamond", "red") }, "blue").caption(), std::invalid_argument);
    EXPECT_THROW(scene({ object("star", "grey") }, "blue").caption(), std::invalid_argument);
    EXPECT_THROW(scene({ object("star", "red", "sideways") }, "blue").caption(), std::invalid_argument);
    EXPECT_THROW(scene({}, "blue").caption(), std::invalid_argument);
    EXPECT_THROW(scene({ object("star", "red") }, "blue", "striped").caption(), std::invalid_argument);
}

TEST(ProceduralCaption, EveryDrawnCaptionMatchesTheGrammarWithAnOnlyBeforeOrange)
{
    auto specs = draws(3000, SceneSampling {});
    for (const auto& s : draws(1000, evaluation(false), 2))
        specs.push_back(s);
    for (const auto& s : draws(1000, evaluation(true), 3))
        specs.push_back(s);
    const std::regex anBeforeConsonant("\\ban (?!orange)"), aBeforeVowel("\\ba orange");
    int withOrange = 0;
    for (const auto& s : specs) {
        const auto text = s.caption();
        EXPECT_TRUE(std::regex_match(text, grammar())) << text;
        EXPECT_FALSE(std::regex_search(text, anBeforeConsonant)) << text;
        EXPECT_FALSE(std::regex_search(text, aBeforeVowel)) << text;
        withOrange += text.find("an orange") != std::string::npos;
    }
    EXPECT_GT(withOrange, 100);
}

TEST(ProceduralSampling, ObjectsDifferFromTheBackgroundAndFromEachOther)
{
    int pairs = 0;
    for (const auto& s : draws(5000, SceneSampling {})) {
        ASSERT_GE(s.objects.size(), 1u);
        ASSERT_LE(s.objects.size(), 2u);
        for (const auto& o : s.objects)
            EXPECT_NE(o.colour, s.background) << s.caption();
        if (s.objects.size() == 2) {
            ++pairs;
            EXPECT_TRUE(
                s.objects[0].colour != s.objects[1].colour || s.objects[0].shape != s.objects[1].shape)
                << s.caption();
        }
    }
    EXPECT_GT(pairs, 1000) << "about 30% of scenes have two objects";
}

TEST(ProceduralSampling, TrainingNeverDrawsAHeldOutCombinationYetSeesEveryWord)
{
    const auto& held = heldOutCombinations();
    ASSERT_GE(held.size(), 12u);
    ASSERT_LE(held.size(), 16u);
    std::set<std::string> distinct;
    for (const auto& h : held) {
        EXPECT_TRUE(isHeldOut(object(h.shape, h.colour, h.direction)));
        EXPECT_FALSE(isHeldOut(object(h.shape, h.colour))) << "standing still is never held out";
        distinct.insert(h.colour + " " + h.shape + " " + h.direction);
    }
    EXPECT_EQ(distinct.size(), held.size());

    std::set<std::string> colours, shapes, directions, sizes, speeds, styles, combinations;
    int still = 0;
    for (const auto& s : draws(20000, SceneSampling {})) {
        styles.insert(s.backgroundStyle);
        EXPECT_TRUE(s.bounce);
        for (const auto& o : s.objects) {
            ASSERT_FALSE(isHeldOut(o)) << s.caption();
            colours.insert(o.colour);
            shapes.insert(o.shape);
            directions.insert(o.direction);
            sizes.insert(o.size);
            speeds.insert(o.speed);
            still += o.direction.empty();
            combinations.insert(o.colour + " " + o.shape + " " + o.direction);
        }
    }
    EXPECT_EQ(colours.size(), 10u);
    EXPECT_EQ(shapes.size(), 4u);
    EXPECT_EQ(directions.size(), 9u) << "eight directions and standing still";
    EXPECT_EQ(sizes.size(), 3u);
    EXPECT_EQ(speeds.size(), 3u);
    EXPECT_EQ(styles.size(), 3u);
    EXPECT_GT(still, 1000);
    // Every moving combination but the held-out ones, and every standing one, turns up.
    EXPECT_EQ(combinations.size(), 10u * 4 * 8 - held.size() + 10 * 4);

    SceneSampling wrong;
    wrong.heldOut = true;
    std::mt19937_64 rng(1);
    EXPECT_THROW(randomSceneSpec(rng, wrong), std::invalid_argument);
}

TEST(ProceduralSampling, EvaluationDrawsSeenOnlyOrHeldOutOnlyScenes)
{
    std::set<std::string> heldSeen;
    for (const auto& s : draws(2000, evaluation(true))) {
        EXPECT_FALSE(s.bounce);
        for (const auto& o : s.objects) {
            EXPECT_TRUE(isHeldOut(o)) << s.caption();
            EXPECT_NE(o.colour, s.background);
            heldSeen.insert(o.colour + o.shape + o.direction);
        }
    }
    EXPECT_EQ(heldSeen.size(), heldOutCombinations().size());
    for (const auto& s : draws(2000, evaluation(false)))
        for (const auto& o : s.objects)
            EXPECT_FALSE(isHeldOut(o)) << s.caption();
}

TEST(ProceduralRender, EvaluationObjectsStayWholeInsideEveryFrame)
{
    const auto how = evaluation(false);
    int quick = 0;
    for (const auto& s : draws(300, how, 7)) {
        for (const auto& o : s.objects) {
            quick += o.speed == "quickly";
            const auto track = objectTrack(o, s.bounce, how.frames, how.height, how.width);
            const double margin = objectMargin(o, how.height, how.width);
            for (const auto& p : track) {
                EXPECT_GE(p.x, margin - 1e-9);
                EXPECT_LE(p.x, how.width - margin + 1e-9);
                EXPECT_GE(p.y, margin - 1e-9);
                EXPECT_LE(p.y, how.height - margin + 1e-9);
            }
            // Alone on a plain background: no pixel of the border shows any of it.
            const std::string bg = o.colour == "black" ? "white" : "black";
            const auto clip = renderScene(scene({ o }, bg), how.frames, how.height, how.width);
            auto coverage = coverageOf(clip, o.colour, bg);
            const double border = torch::cat({ coverage.select(1, 0), coverage.select(1, how.height - 1),
                                                 coverage.select(2, 0), coverage.select(2, how.width - 1) },
                1)
                                      .abs()
                                      .max()
                                      .item<double>();
            EXPECT_LT(border, 1e-3) << s.caption();
            EXPECT_GT(coverage.sum({ 1, 2 }).min().item<double>(), 10.0) << "the object is drawn";
        }
    }
    EXPECT_GT(quick, 10) << "quick objects fit when they are small enough";

    SceneSampling tooLong = how;
    tooLong.frames = 200;
    std::mt19937_64 rng(1);
    EXPECT_THROW(
        {
            for (int i = 0; i < 50; ++i)
                randomSceneSpec(rng, tooLong);
        },
        std::invalid_argument);
}

TEST(ProceduralRender, ObjectHasItsColourAtItsCentreAndTheBackgroundFarAway)
{
    auto o = object("circle", "yellow");
    o.x = 0.25;
    o.y = 0.25;
    const auto clip = renderScene(scene({ o }, "purple"), 2, 64, 64);
    ASSERT_EQ(clip.sizes(), (std::vector<int64_t> { 3, 2, 64, 64 }));
    const auto yellow = colourOf("yellow").flatten(), purple = colourOf("purple").flatten();
    EXPECT_TRUE(torch::allclose(clip.index({ torch::indexing::Slice(), 1, 16, 16 }), yellow));
    EXPECT_TRUE(torch::allclose(clip.index({ torch::indexing::Slice(), 1, 48, 48 }), purple));
    EXPECT_GE(clip.min().item<double>(), 0.0);
    EXPECT_LE(clip.max().item<double>(), 1.0);
}

TEST(ProceduralRender, ObjectsMoveInTheirCaptionsDirectionAtTheirSpeed)
{
    const int frames = 9, size = 64;
    for (const auto& direction : proceduralDirections())
        for (const std::string speed : { "slowly", "", "quickly" }) {
            auto o = object("square", "white", direction, speed, "small");
            const auto unit = directionVector(direction);
            const double travel = objectSpeed(o, size, size) * (frames - 1);
            o.x = 0.5 - unit.x * travel / 2 / size; // the path centred on the frame
            o.y = 0.5 - unit.y * travel / 2 / size;
            const auto s = scene({ o }, "black");
            const auto c = centroids(coverageOf(renderScene(s, frames, size, size), "white", "black"));
            const double dx = c.back().x - c.front().x, dy = c.back().y - c.front().y;
            EXPECT_NEAR(dx, unit.x * travel, 0.1) << s.caption();
            EXPECT_NEAR(dy, unit.y * travel, 0.1) << s.caption();
            if (direction.find("up") != std::string::npos) {
                EXPECT_LT(dy, -4.0) << "up is towards row 0";
            }
            if (direction.find("right") != std::string::npos) {
                EXPECT_GT(dx, 4.0);
            }
        }
    const double slow = objectSpeed(object("star", "red", "up", "slowly"), size, size);
    const double medium = objectSpeed(object("star", "red", "up"), size, size);
    const double quick = objectSpeed(object("star", "red", "up", "quickly"), size, size);
    EXPECT_LT(slow * 1.4, medium);
    EXPECT_LT(medium * 1.4, quick);
}

TEST(ProceduralRender, StandingStillObjectsDoNotMove)
{
    auto o = object("star", "cyan", "", "", "large");
    o.x = 0.3;
    o.y = 0.6;
    const auto clip = renderScene(scene({ o }, "red", "plain", true), 6, 64, 64);
    EXPECT_TRUE(torch::equal(clip.select(1, 0), clip.select(1, 5)));
    const auto c = centroids(coverageOf(clip, "cyan", "red"));
    EXPECT_NEAR(c.front().x, 0.3 * 64, 0.15);
    EXPECT_NEAR(c.front().y, 0.6 * 64, 0.15);
}

TEST(ProceduralRender, BouncingObjectsTurnBackAtTheEdge)
{
    auto o = object("circle", "green", "right", "quickly", "small");
    o.x = 0.7;
    const int frames = 16, size = 64;
    const auto s = scene({ o }, "magenta", "plain", true);
    const auto c = centroids(coverageOf(renderScene(s, frames, size, size), "green", "magenta"));
    const double margin = objectMargin(o, size, size), speed = objectSpeed(o, size, size);
    double furthest = 0;
    for (const auto& p : c)
        furthest = std::max(furthest, p.x);
    EXPECT_NEAR(furthest, size - margin, speed);
    EXPECT_GT(c[2].x, c[0].x) << "moving right first";
    EXPECT_LT(c.back().x, c[frames - 3].x) << "then left after the bounce";
    EXPECT_NEAR(c.back().x, 2 * (size - margin) - (0.7 * size + speed * (frames - 1)), 0.1);

    // Without bounce the same object leaves the frame.
    const auto track = objectTrack(o, false, frames, size, size);
    EXPECT_GT(track.back().x, size);
}

TEST(ProceduralRender, ShapesHaveDifferentSilhouettes)
{
    // Fill ratio of the bounding box: square 1, circle pi/4, triangle 1/2, star about 0.38.
    std::map<std::string, double> fill;
    for (const auto& shape : proceduralShapes()) {
        const auto coverage
            = coverageOf(renderScene(scene({ object(shape, "white", "", "", "large") }, "black"), 1, 96, 96),
                "white", "black")[0];
        const auto inside = coverage > 0.5;
        const auto rows = inside.any(1).nonzero(), cols = inside.any(0).nonzero();
        const double height = (rows.max() - rows.min() + 1).item<double>();
        const double width = (cols.max() - cols.min() + 1).item<double>();
        fill[shape] = coverage.sum().item<double>() / (height * width);
    }
    EXPECT_GT(fill["square"], 0.93);
    EXPECT_NEAR(fill["circle"], 0.785, 0.04);
    EXPECT_NEAR(fill["triangle"], 0.5, 0.05);
    EXPECT_NEAR(fill["star"], 0.38, 0.05);
    EXPECT_GT(fill["triangle"] - fill["star"], 0.07);
}

TEST(ProceduralRender, GradientAndTexturedBackgroundsVaryPlainDoesNot)
{
    auto corner = object("circle", "red", "", "", "small");
    corner.x = corner.y = 0.9;
    const int size = 48;
    // The top-left quarter, far from the object.
    auto region = [&](const std::string& style) {
        return renderScene(scene({ corner }, "blue", style), 1, size, size)
            .index({ torch::indexing::Slice(), 0, torch::indexing::Slice(0, size / 2),
                torch::indexing::Slice(0, size / 2) });
    };
    const auto plain = region("plain"), gradient = region("gradient"), textured = region("textured");
    EXPECT_EQ((plain - colourOf("blue").view({ 3, 1, 1 })).abs().max().item<double>(), 0.0);
    const auto columnMeans = gradient.mean(2); // [3, rows]
    EXPECT_GT(
        (columnMeans.select(1, size / 2 - 1) - columnMeans.select(1, 0)).abs().max().item<double>(), 0.1)
        << "fades from top to bottom";
    EXPECT_EQ(gradient.std(2).max().item<double>(), 0.0) << "and is constant along a row";
    EXPECT_GT(textured.flatten(1).std(1).min().item<double>(), 0.02);
    EXPECT_NEAR((textured.mean({ 1, 2 }) - colourOf("blue").flatten()).abs().max().item<double>(), 0.0, 0.01);

    // Every object colour stays far from every pixel of every background it may be drawn on (the
    // left half of the frame holds background only, every row of the gradient included).
    double closest = 1e9;
    for (const auto& bg : proceduralColours())
        for (const auto& style : proceduralBackgroundStyles()) {
            corner.colour = bg == "red" ? "green" : "red";
            const auto pixels = renderScene(scene({ corner }, bg, style), 1, size, size)
                                    .index({ torch::indexing::Slice(), 0, torch::indexing::Slice(),
                                        torch::indexing::Slice(0, size / 2) })
                                    .reshape({ 3, -1 });
            for (const auto& colour : proceduralColours())
                if (colour != bg)
                    closest = std::min(closest,
                        (pixels - colourOf(colour).view({ 3, 1 })).pow(2).sum(0).sqrt().min().item<double>());
        }
    EXPECT_GT(closest, 0.15);
}

TEST(ProceduralRender, IsDeterministicOnTheCpuAndTheTextureFollowsItsSeed)
{
    SceneSpec s = draws(1, SceneSampling {}, 11).front();
    s.backgroundStyle = "textured";
    const auto a = renderScene(s, 4, 32, 40), b = renderScene(s, 4, 32, 40);
    EXPECT_EQ(a.device().type(), c10::kCPU);
    EXPECT_EQ(a.scalar_type(), torch::kFloat32);
    ASSERT_EQ(a.sizes(), (std::vector<int64_t> { 3, 4, 32, 40 }));
    EXPECT_TRUE(torch::equal(a, b));
    s.textureSeed += 1;
    EXPECT_FALSE(torch::equal(a, renderScene(s, 4, 32, 40)));
    EXPECT_EQ(
        draws(1, SceneSampling {}, 11).front().caption(), draws(1, SceneSampling {}, 11).front().caption());
}

TEST(ProceduralRender, TheSecondObjectIsDrawnOverTheFirst)
{
    auto under = object("square", "red", "", "", "large"), over = object("circle", "white", "", "", "small");
    const auto clip = renderScene(scene({ under, over }, "blue"), 1, 32, 32);
    EXPECT_TRUE(
        torch::allclose(clip.index({ torch::indexing::Slice(), 0, 16, 16 }), colourOf("white").flatten()));
    EXPECT_TRUE(
        torch::allclose(clip.index({ torch::indexing::Slice(), 0, 16, 10 }), colourOf("red").flatten()));
}
