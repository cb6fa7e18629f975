#include "kinora/inference/tasks.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace kinora::inference {

namespace F = torch::nn::functional;

namespace {

int sizeFactor(const NativeModel& model)
{
    return model.config.spatialCompression() * static_cast<int>(model.denoiser->downFactor);
}

// Frames [3, T, H, W] to another size; area averaging when shrinking (no aliasing), bilinear when
// growing. Returns the input itself when the size already matches.
at::Tensor resizeVideo(const at::Tensor& video, int height, int width)
{
    if (video.size(2) == height && video.size(3) == width)
        return video;
    const bool shrinking = video.size(2) >= height && video.size(3) >= width;
    auto frames = video.permute({ 1, 0, 2, 3 }); // [T, 3, H, W]: frames as a batch of images
    auto options = F::InterpolateFuncOptions().size(std::vector<int64_t> { height, width });
    if (shrinking)
        options.mode(torch::kArea);
    else
        options.mode(torch::kBilinear).align_corners(false);
    return F::interpolate(frames, options).permute({ 1, 0, 2, 3 }).clamp(0, 1).contiguous();
}

// A pixel of the working-size mask is known only when every source pixel it covers is known.
at::Tensor resizeKnownMask(const at::Tensor& known, int height, int width)
{
    if (known.size(1) == height && known.size(2) == width)
        return known;
    auto unknown = F::interpolate((1 - known).unsqueeze(1),
        F::InterpolateFuncOptions().size(std::vector<int64_t> { height, width }).mode(torch::kArea));
    return (unknown.squeeze(1) < 1e-6).to(torch::kFloat32);
}

struct WindowPlan {
    int window = 0;
    std::vector<int> starts;
};

// Windows of `window` frames covering `total`, each sharing at least `overlap` with the previous one;
// the last ends exactly at the clip's end.
WindowPlan planWindows(int total, int window, int overlap)
{
    WindowPlan plan;
    plan.window = std::min(window, total);
    if (total <= window) {
        plan.starts = { 0 };
        return plan;
    }
    const int stride = window - overlap;
    for (int start = 0;; start += stride) {
        if (start + window >= total) {
            plan.starts.push_back(total - window);
            break;
        }
        plan.starts.push_back(start);
    }
    return plan;
}

struct Job {
    NativeModel& model;
    TaskOptions options;
    DiffusionRequest base; // resolved: size, steps, guidance, sampler
    int windowFrames = 0;
    int overlapFrames = 0;
};

Job prepare(NativeModel& model, const TaskOptions& o, int width, int height)
{
    DiffusionRequest r;
    r.prompt = o.prompt;
    r.negativePrompt = o.negativePrompt;
    r.width = width;
    r.height = height;
    r.frames = 1;
    r.steps = o.steps;
    r.guidance = o.guidance;
    r.sampler = o.sampler;
    r.seed = o.seed;
    r.fullDecodeEvery = o.fullDecodeEvery;
    Job job { model, o, resolveRequest(model, r) };
    job.windowFrames = o.windowFrames > 0 ? o.windowFrames : model.manifest.defaults.frames;
    job.overlapFrames = o.overlapFrames > 0 ? o.overlapFrames : std::max(1, job.windowFrames / 4);
    if (job.overlapFrames >= job.windowFrames)
        throw std::invalid_argument("the window overlap (" + std::to_string(job.overlapFrames)
            + " frames) must be shorter than the window (" + std::to_string(job.windowFrames) + ")");
    job.options.width = job.base.width;
    job.options.height = job.base.height;
    job.options.steps = job.base.steps;
    job.options.guidance = job.base.guidance;
    job.options.sampler = job.base.sampler;
    job.options.windowFrames = job.windowFrames;
    job.options.overlapFrames = job.overlapFrames;
    return job;
}

// Runs the loop window by window over `total` frames at the working size. `known` [3, T, h, w] and
// `knownMask` [T, h, w] (1 = known) may be undefined. Each window is conditioned on what is known
// in it plus the latents the previous windows made for the frames it shares with them; a window
// whose frames are all known is only encoded. Returns the latents of the whole clip.
at::Tensor sampleWindows(Job& job, const at::Tensor& known, const at::Tensor& knownMask, int total,
    const TaskCallbacks& callbacks, int& windowCount)
{
    auto& model = job.model;
    const int h = job.base.height, w = job.base.width;
    const auto plan = planWindows(total, job.windowFrames, job.overlapFrames);
    windowCount = static_cast<int>(plan.starts.size());

    std::vector<bool> allKnown;
    int sampled = 0;
    for (const int start : plan.starts) {
        const bool full
            = knownMask.defined() && knownMask.narrow(0, start, plan.window).min().item<float>() > 0.5f;
        allKnown.push_back(full);
        sampled += full ? 0 : 1;
    }
    const int stepTotal = std::max(1, sampled) * job.base.steps;

    at::Tensor latents;
    int madeUpTo = 0; // frames [0, madeUpTo) have latents
    int stepsDone = 0;
    for (size_t k = 0; k < plan.starts.size(); ++k) {
        const int start = plan.starts[k];
        const int n = plan.window;
        at::Tensor video, mask;
        if (known.defined()) {
            video = known.narrow(1, start, n);
            mask = knownMask.narrow(0, start, n);
        }
        auto cond = encodeKnown(model, video, mask, n, h, w);
        if (!latents.defined())
            latents
                = torch::zeros({ 1, cond.latent.size(1), total, cond.latent.size(3), cond.latent.size(4) },
                    cond.latent.options());
        // Frames an earlier window made are known to this one: the seam continues them.
        const int shared = std::max(0, madeUpTo - start);
        if (shared > 0) {
            cond.latent.narrow(2, 0, shared).copy_(latents.narrow(2, start, shared));
            cond.mask.narrow(2, 0, shared).fill_(1.0);
        }
        at::Tensor made;
        if (allKnown[k]) {
            made = cond.latent;
        } else {
            auto r = job.base;
            r.frames = n;
            r.seed = job.base.seed + k; // each window its own noise, all fixed by the one seed
            PipelineCallbacks inner;
            inner.isCancelled = callbacks.isCancelled;
            if (callbacks.onStep)
                inner.onStep = [&](const StepUpdate& u) {
                    TaskProgress progress { u, static_cast<int>(k), windowCount, start };
                    callbacks.onStep(progress);
                };
            made = sampleLatents(model, r, cond, inner, stepsDone, stepTotal);
            stepsDone += r.steps;
        }
        latents.narrow(2, start, n).copy_(made);
        madeUpTo = start + n;
    }
    return latents;
}

// Decodes frames [from, total) of the clip's latents, window by window.
at::Tensor decodeFrom(Job& job, const at::Tensor& latents, int from, const TaskCallbacks& callbacks)
{
    const int radius = decoderTemporalRadius(job.model);
    const int64_t total = latents.size(2);
    const int64_t begin = std::max<int64_t>(0, from - radius);
    auto video = decodeLatents(
        job.model, latents.narrow(2, begin, total - begin), job.windowFrames, callbacks.isCancelled);
    return video.narrow(1, from - begin, total - from);
}

void checkVideo(const at::Tensor& clip, const char* what)
{
    if (!clip.defined() || clip.dim() != 4 || clip.size(0) != 3 || clip.size(1) < 1)
        throw std::invalid_argument(std::string(what) + " must be RGB frames [3, T, H, W]");
}

template <class Body> TaskResult guarded(const Job& job, int frames, Body body)
{
    TaskResult result;
    translateOutOfMemory(jobDescription(frames, job.base.width, job.base.height), [&] { result = body(); });
    result.resolved = job.options;
    return result;
}

} // namespace

std::pair<int, int> workingSize(const NativeModel& model, int width, int height)
{
    const int f = sizeFactor(model);
    const double budget = static_cast<double>(model.manifest.defaults.width) * model.manifest.defaults.height;
    const double scale = std::min(1.0, std::sqrt(budget / (static_cast<double>(width) * height)));
    auto fit
        = [f, scale](int side) { return std::max(f, static_cast<int>(std::lround(side * scale / f)) * f); };
    return { fit(width), fit(height) };
}

TaskResult generateVideo(NativeModel& model, const TaskOptions& options, int frames,
    const at::Tensor& firstFrame, const TaskCallbacks& callbacks)
{
    c10::InferenceMode inference;
    if (frames < 1)
        throw std::invalid_argument("frames must be at least 1");
    auto job = prepare(model, options, options.width, options.height);
    const int h = job.base.height, w = job.base.width;
    return guarded(job, frames, [&] {
        at::Tensor known, mask, first;
        if (firstFrame.defined()) {
            if (firstFrame.dim() != 3 || firstFrame.size(0) != 3)
                throw std::invalid_argument("the first frame must be an RGB image [3, H, W]");
            first = resizeVideo(firstFrame.to(torch::kFloat32).unsqueeze(1), h, w);
            known = torch::zeros({ 3, frames, h, w });
            known.narrow(1, 0, 1).copy_(first);
            mask = torch::zeros({ frames, h, w });
            mask[0].fill_(1.0);
        }
        TaskResult result;
        const auto latents = sampleWindows(job, known, mask, frames, callbacks, result.windows);
        result.video = decodeFrom(job, latents, 0, callbacks);
        if (first.defined())
            result.video.narrow(1, 0, 1).copy_(first);
        return result;
    });
}

TaskResult extendVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip, int newFrames,
    const TaskCallbacks& callbacks)
{
    c10::InferenceMode inference;
    checkVideo(clip, "the clip to extend");
    if (newFrames < 1)
        throw std::invalid_argument("extend needs at least 1 new frame");
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    auto [ww, wh] = options.width > 0 && options.height > 0 ? std::pair { options.width, options.height }
                                                            : workingSize(model, W, H);
    auto job = prepare(model, options, ww, wh);
    const int total = n + newFrames;
    return guarded(job, total, [&] {
        auto known = torch::zeros({ 3, total, wh, ww });
        known.narrow(1, 0, n).copy_(resizeVideo(clip.to(torch::kFloat32), wh, ww));
        auto mask = torch::zeros({ total, wh, ww });
        mask.narrow(0, 0, n).fill_(1.0);
        TaskResult result;
        const auto latents = sampleWindows(job, known, mask, total, callbacks, result.windows);
        auto made = resizeVideo(decodeFrom(job, latents, n, callbacks), H, W);
        result.video = torch::cat({ clip.to(torch::kFloat32).cpu(), made }, 1).contiguous();
        return result;
    });
}

TaskResult inpaintVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip,
    const at::Tensor& mask, const TaskCallbacks& callbacks)
{
    c10::InferenceMode inference;
    checkVideo(clip, "the clip to inpaint");
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    const bool oneImage = mask.defined() && mask.dim() == 2 && mask.size(0) == H && mask.size(1) == W;
    auto region = oneImage ? mask.unsqueeze(0).expand({ n, H, W }) : mask;
    if (!region.defined() || region.sizes() != std::vector<int64_t> { n, H, W })
        throw std::invalid_argument("the mask must be [T, H, W] or [H, W] at the clip's size");
    region = (region.to(torch::kFloat32) >= 0.5).to(torch::kFloat32);
    auto [ww, wh] = options.width > 0 && options.height > 0 ? std::pair { options.width, options.height }
                                                            : workingSize(model, W, H);
    auto job = prepare(model, options, ww, wh);
    return guarded(job, n, [&] {
        const auto source = clip.to(torch::kFloat32);
        const auto known = resizeVideo(source, wh, ww);
        const auto knownMask = resizeKnownMask(1 - region, wh, ww);
        TaskResult result;
        const auto latents = sampleWindows(job, known, knownMask, n, callbacks, result.windows);
        auto made = resizeVideo(decodeFrom(job, latents, 0, callbacks), H, W);
        // Outside the mask the input, exactly.
        result.video = (region.unsqueeze(0) * made + (1 - region.unsqueeze(0)) * source).contiguous();
        return result;
    });
}

TaskResult interpolateVideo(NativeModel& model, const TaskOptions& options, const at::Tensor& clip,
    int factor, const TaskCallbacks& callbacks)
{
    c10::InferenceMode inference;
    checkVideo(clip, "the clip to interpolate");
    if (factor < 2)
        throw std::invalid_argument("the interpolation factor must be at least 2");
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    if (n < 2)
        throw std::invalid_argument("interpolation needs at least 2 frames");
    auto [ww, wh] = options.width > 0 && options.height > 0 ? std::pair { options.width, options.height }
                                                            : workingSize(model, W, H);
    auto job = prepare(model, options, ww, wh);
    const int total = factor * (n - 1) + 1;
    return guarded(job, total, [&] {
        const auto source = clip.to(torch::kFloat32);
        const auto small = resizeVideo(source, wh, ww);
        auto known = torch::zeros({ 3, total, wh, ww });
        auto mask = torch::zeros({ total, wh, ww });
        for (int i = 0; i < n; ++i) {
            known.narrow(1, factor * i, 1).copy_(small.narrow(1, i, 1));
            mask[factor * i].fill_(1.0);
        }
        TaskResult result;
        const auto latents = sampleWindows(job, known, mask, total, callbacks, result.windows);
        auto video = resizeVideo(decodeFrom(job, latents, 0, callbacks), H, W);
        for (int i = 0; i < n; ++i) // keyframes are the input's, exactly
            video.narrow(1, factor * i, 1).copy_(source.narrow(1, i, 1));
        result.video = video.contiguous();
        return result;
    });
}

} // namespace kinora::inference
