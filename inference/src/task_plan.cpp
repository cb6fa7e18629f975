#include "kinora/inference/task_plan.h"

#include "kinora/inference/native_config.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace kinora::inference {

namespace {

std::string rateText(double fps)
{
    std::ostringstream text;
    text.precision(6);
    text << fps;
    return text.str();
}

void invalid(const std::string& message)
{
    throw std::invalid_argument(message);
}

// Rates a few parts per million apart are the same rate (30000/1001 written as 29.97).
constexpr double kRateTolerance = 1e-6;

void resolveSize(const ModelManifest& manifest, TaskRequest& r, const FootageShape& footage)
{
    if ((r.width > 0) != (r.height > 0))
        invalid("the working size needs both a width and a height (or neither, for the default)");
    if (r.width <= 0) {
        const bool hasFootage = footage.width > 0 && footage.height > 0;
        if (r.task == TaskKind::Generate && !hasFootage) {
            r.width = manifest.defaults.width;
            r.height = manifest.defaults.height;
        } else if (hasFootage) {
            std::tie(r.width, r.height) = workingSize(manifest, footage.width, footage.height);
        } else {
            invalid(std::string("the ") + taskName(r.task) + " job has no footage to take its size from");
        }
    }
    const int multiple = sizeMultiple(manifest);
    if (r.width % multiple != 0 || r.height % multiple != 0)
        invalid("size " + std::to_string(r.width) + "x" + std::to_string(r.height) + " must be a multiple of "
            + std::to_string(multiple) + " for this model");
}

void resolveRate(const ModelManifest& manifest, TaskRequest& r, const FootageShape& footage)
{
    if (r.task == TaskKind::Generate) {
        if (r.fps <= 0)
            r.fps = manifest.defaults.fps;
        return;
    }
    if (r.task != TaskKind::Interpolate) {
        if (footage.fps > 0) // footage keeps its rate; the request names it only for footage without one
            r.fps = footage.fps;
        return;
    }
    if (r.factor == 1 || r.factor < 0)
        invalid("the interpolation factor must be at least 2");
    if (r.factor == 0) {
        if (r.fps <= 0)
            invalid("interpolation needs a factor or a target frame rate");
        if (footage.fps <= 0)
            invalid("a target frame rate needs the input's frame rate, which an image sequence does not "
                    "carry; interpolate by a factor instead");
        const double ratio = r.fps / footage.fps;
        if (ratio <= 1.0 + kRateTolerance)
            invalid("the target rate " + rateText(r.fps) + " fps is not above the input's rate ("
                + rateText(footage.fps) + " fps): nothing to interpolate");
        r.factor = static_cast<int>(std::ceil(ratio - kRateTolerance));
        return;
    }
    if (r.fps <= 0) {
        r.fps = footage.fps * r.factor; // 0 when the footage has no rate
        return;
    }
    // A factor and a rate: the rate is made from the K-times clip, so it must lie within it.
    if (footage.fps > 0 && r.fps > footage.fps * r.factor * (1 + kRateTolerance))
        invalid("the target rate " + rateText(r.fps) + " fps is above " + std::to_string(r.factor)
            + " times the input's rate (" + rateText(footage.fps) + " fps)");
}

// A family whose VAE compresses time (c > 1) makes a clip in one window: its latents cannot be
// joined across windows (each window's first latent frame holds one pixel frame, the whole clip's
// four), so the window must be a length it makes and the job must fit in it.
void checkOneWindow(const LatentGeometry& g, const TaskRequest& r, const FootageShape& footage)
{
    if (g.temporalCompression == 1)
        return;
    const int window = r.windowFrames;
    if (!g.acceptsFrames(window)) {
        const int above = g.fitFrames(window);
        invalid("this model makes " + g.framesRule() + ": a window of " + std::to_string(window)
            + " frames is not one of them (" + std::to_string(above - g.temporalCompression) + " or "
            + std::to_string(above) + " are)");
    }
    const bool knownLength = r.task == TaskKind::Generate || footage.frames > 0;
    const int total = knownLength ? outputFrames(r, footage) : 0;
    if (total > window)
        invalid("this model makes a clip in one window of at most " + std::to_string(window)
            + " frames (it cannot join windows), and this " + taskName(r.task) + " job needs "
            + std::to_string(total) + ": make it shorter, or make the window longer (more memory)");
}

} // namespace

int LatentGeometry::latentFrames(int frames) const
{
    return temporalCompression == 1 ? frames : (frames - 1) / temporalCompression + 1;
}

int LatentGeometry::pixelFrames(int latent) const
{
    return temporalCompression == 1 ? latent : (latent - 1) * temporalCompression + 1;
}

bool LatentGeometry::acceptsFrames(int frames) const
{
    return frames >= 1 && (frames - 1) % temporalCompression == 0;
}

int LatentGeometry::fitFrames(int frames) const
{
    return frames <= 1 ? 1 : pixelFrames((frames - 2) / temporalCompression + 2);
}

std::string LatentGeometry::framesRule() const
{
    if (temporalCompression == 1)
        return "any number of frames";
    const std::string c = std::to_string(temporalCompression);
    return "1 + " + c + "·n frames (1, " + std::to_string(1 + temporalCompression) + ", "
        + std::to_string(1 + 2 * temporalCompression) + ", …)";
}

LatentGeometry latentGeometry(const ModelManifest& manifest)
{
    LatentGeometry g;
    g.channels = manifest.latentChannels;
    g.spatialCompression = manifest.spatialCompression;
    g.temporalCompression = std::max(1, manifest.temporalCompression);
    if (manifest.sizeMultiple > 0) {
        g.sizeMultiple = manifest.sizeMultiple;
    } else if (manifest.family == "kinora-native") {
        const NativeConfig config = nativeConfig(manifest.config);
        g.sizeMultiple
            = config.spatialCompression() * (1 << (static_cast<int>(config.unetMultipliers.size()) - 1));
    } else {
        g.sizeMultiple = manifest.spatialCompression;
    }
    return g;
}

int sizeMultiple(const ModelManifest& manifest)
{
    return latentGeometry(manifest).sizeMultiple;
}

std::pair<int, int> workingSize(const ModelManifest& manifest, int width, int height)
{
    const int f = sizeMultiple(manifest);
    const double budget = static_cast<double>(manifest.defaults.width) * manifest.defaults.height;
    const double scale = std::min(1.0, std::sqrt(budget / (static_cast<double>(width) * height)));
    auto fit
        = [f, scale](int side) { return std::max(f, static_cast<int>(std::lround(side * scale / f)) * f); };
    return { fit(width), fit(height) };
}

int defaultOverlap(int windowFrames)
{
    return std::max(1, windowFrames / 4);
}

std::vector<int> windowStarts(int total, int window, int overlap)
{
    if (total <= window)
        return { 0 };
    std::vector<int> starts;
    const int stride = window - overlap;
    for (int start = 0;; start += stride) {
        if (start + window >= total) {
            starts.push_back(total - window);
            return starts;
        }
        starts.push_back(start);
    }
}

int outputFrames(const TaskRequest& r, const FootageShape& footage)
{
    switch (r.task) {
    case TaskKind::Generate:
        return r.frames;
    case TaskKind::Extend:
        return footage.frames + r.frames;
    case TaskKind::Inpaint:
        return footage.frames;
    case TaskKind::Interpolate:
        return r.factor * (footage.frames - 1) + 1;
    }
    return 0;
}

TaskRequest resolveTask(const ModelManifest& manifest, TaskRequest r, const FootageShape& footage)
{
    const auto& d = manifest.defaults;
    if (r.task == TaskKind::Generate) {
        if (r.frames <= 0)
            r.frames = d.frames;
    } else if (r.task == TaskKind::Extend) {
        if (r.frames < 1)
            invalid("extend needs at least 1 new frame");
    } else if (r.task == TaskKind::Interpolate && footage.frames > 0 && footage.frames < 2) {
        invalid("interpolation needs at least 2 frames");
    }
    resolveSize(manifest, r, footage);
    resolveRate(manifest, r, footage);
    if (r.steps <= 0)
        r.steps = d.steps;
    if (r.guidance < 0)
        r.guidance = d.guidance;
    if (r.sampler.empty())
        r.sampler = d.sampler;
    if (r.windowFrames <= 0)
        r.windowFrames = d.frames;
    if (r.overlapFrames <= 0)
        r.overlapFrames = defaultOverlap(r.windowFrames);
    if (r.overlapFrames >= r.windowFrames)
        invalid("the window overlap (" + std::to_string(r.overlapFrames)
            + " frames) must be shorter than the window (" + std::to_string(r.windowFrames) + ")");
    checkOneWindow(latentGeometry(manifest), r, footage);
    return r;
}

} // namespace kinora::inference
