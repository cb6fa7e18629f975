#include "kinora/inference/model_eval.h"

#include "kinora/inference/evaluation.h"
#include "kinora/inference/pipeline.h"
#include "kinora/inference/procedural.h"
#include "kinora/inference/tasks.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace kinora::inference {

ModelEvalReport evaluateTextToVideo(VideoModel& model, const ModelEvalOptions& o,
    const std::function<void(int, int)>& onClip, const std::function<bool()>& isCancelled,
    const std::function<void(const EvaluatedClip&)>& onClipMade)
{
    if (o.clips <= 0)
        throw std::invalid_argument("the evaluation needs at least one text-to-video clip per group");
    const auto& d = model.manifest().defaults;
    ModelEvalReport report;
    report.frames = d.frames;
    report.width = d.width;
    report.height = d.height;
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + 17);
    const int total = 2 * o.clips;
    int done = 0;
    double seconds = 0;
    for (const bool heldOut : { false, true }) {
        GroupScore& group = heldOut ? report.heldOut : report.seen;
        for (int i = 0; i < o.clips; ++i) {
            if (isCancelled && isCancelled())
                throw PipelineCancelled();
            SceneSampling how;
            how.evaluation = true;
            how.heldOut = heldOut;
            how.twoObjects = 0; // the scorer reads one object
            how.frames = d.frames;
            how.height = d.height;
            how.width = d.width;
            const SceneSpec scene = randomSceneSpec(rng, how);
            TaskRequest request;
            request.prompt = scene.caption();
            request.frames = d.frames;
            request.steps = o.steps;
            request.guidance = o.guidance;
            request.seed = o.seed + static_cast<uint64_t>(done);
            const auto started = std::chrono::steady_clock::now();
            TaskCallbacks callbacks; // cancelled within a clip too, not only between clips
            callbacks.isCancelled = isCancelled;
            const auto made = runTask(model, request, {}, callbacks);
            seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            report.steps = made.resolved.steps;
            const ClipScore score = scoreClip(made.video, scene);
            if (onClipMade)
                onClipMade({ scene, heldOut, made.video, score });
            group.colour += score.colour;
            group.shape += score.shape;
            group.direction += score.direction;
            group.background += score.background;
            group.flicker += score.flicker;
            ++group.clips;
            ++done;
            if (onClip)
                onClip(done, total);
        }
        group.colour /= group.clips;
        group.shape /= group.clips;
        group.direction /= group.clips;
        group.background /= group.clips;
        group.flicker /= group.clips;
    }
    report.secondsPerClip = seconds / total;
    return report;
}

double vaeRoundTripPsnr(VideoModel& model, int clips, uint64_t seed)
{
    if (clips <= 0)
        throw std::invalid_argument("the VAE round trip needs at least one clip");
    c10::InferenceMode inference;
    const auto& d = model.manifest().defaults;
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 4242);
    SceneSampling how;
    how.frames = d.frames;
    how.height = d.height;
    how.width = d.width;
    double squared = 0;
    int64_t values = 0;
    for (int i = 0; i < clips; ++i) {
        const auto truth = renderScene(randomSceneSpec(rng, how), d.frames, d.height, d.width);
        const auto back = model.decode(model.encode(truth), 0, 0, {});
        squared += (back - truth).pow(2).sum().item<double>();
        values += truth.numel();
    }
    return 10 * std::log10(1.0 / std::max(1e-12, squared / static_cast<double>(values)));
}

} // namespace kinora::inference
