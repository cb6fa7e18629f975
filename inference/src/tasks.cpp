#include "kinora/inference/tasks.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace kinora::inference {

namespace F = torch::nn::functional;

namespace {

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

struct Job {
    VideoModel& model;
    TaskRequest request; // resolved
    DiffusionRequest base; // the loop's request for one frame: size, steps, guidance, sampler, seed
    std::unique_ptr<TextConditioning> text; // made when the first window is sampled

    const TextConditioning& textConditioning()
    {
        if (!text)
            text = model.encodeText(request.prompt, request.negativePrompt);
        return *text;
    }
};

Job prepare(VideoModel& model, const TaskRequest& resolved)
{
    Job job { model, resolved, windowRequest(resolved, 1), nullptr };
    checkRequest(model, job.base);
    return job;
}

// `video` [3, T, ...] or `mask` [T, ...] with zero (unknown) frames added up to `frames`.
at::Tensor padFrames(const at::Tensor& tensor, int dim, int frames)
{
    if (!tensor.defined() || tensor.size(dim) == frames)
        return tensor;
    auto sizes = tensor.sizes().vec();
    sizes[static_cast<size_t>(dim)] = frames - tensor.size(dim);
    return torch::cat({ tensor, torch::zeros(sizes, tensor.options()) }, dim);
}

// Runs the loop window by window over `total` frames at the working size. `known` [3, T, h, w] and
// `knownMask` [T, h, w] (1 = known) may be undefined. Each window is conditioned on what is known
// in it plus the latents the previous windows made for the frames it shares with them; a window
// whose frames are all known is only encoded. Returns the latents of the whole clip, which hold
// geometry.fitFrames(total) frames: a family with temporal compression makes 1 + c·n frames, in
// one window (resolveTask refused longer jobs), the frames past `total` unknown.
at::Tensor sampleWindows(Job& job, const at::Tensor& knownFrames, const at::Tensor& knownFramesMask,
    int total, const TaskCallbacks& callbacks, int& windowCount)
{
    auto& model = job.model;
    const int h = job.base.height, w = job.base.width;
    const auto geometry = model.geometry();
    const int made = geometry.fitFrames(total);
    if (geometry.temporalCompression > 1 && made > job.request.windowFrames)
        throw std::invalid_argument("this model makes a clip in one window of at most "
            + std::to_string(job.request.windowFrames) + " frames, and this job needs "
            + std::to_string(total));
    const auto known = padFrames(knownFrames, 1, made);
    const auto knownMask = padFrames(knownFramesMask, 0, made);
    const int window = std::min(job.request.windowFrames, made);
    const auto starts = windowStarts(made, job.request.windowFrames, job.request.overlapFrames);
    windowCount = static_cast<int>(starts.size());

    std::vector<bool> allKnown;
    int sampled = 0;
    for (const int start : starts) {
        const bool full
            = knownMask.defined() && knownMask.narrow(0, start, window).min().item<float>() > 0.5f;
        allKnown.push_back(full);
        sampled += full ? 0 : 1;
    }
    const int stepTotal = std::max(1, sampled) * job.base.steps;

    // Windows in latent frames: with temporal compression there is one, starting at 0.
    at::Tensor latents;
    int madeUpTo = 0; // frames [0, madeUpTo) have latents
    int stepsDone = 0;
    for (size_t k = 0; k < starts.size(); ++k) {
        const int start = starts[k];
        const int n = window;
        at::Tensor video, mask;
        if (known.defined()) {
            video = known.narrow(1, start, n);
            mask = knownMask.narrow(0, start, n);
        }
        auto cond = encodeKnown(model, video, mask, n, h, w);
        if (!latents.defined())
            latents = torch::zeros({ 1, cond.latent.size(1), geometry.latentFrames(made), cond.latent.size(3),
                                       cond.latent.size(4) },
                cond.latent.options());
        // Frames an earlier window made are known to this one: the seam continues them.
        const int shared = std::max(0, madeUpTo - start);
        if (shared > 0) {
            cond.latent.narrow(2, 0, shared).copy_(latents.narrow(2, start, shared));
            cond.mask.narrow(2, 0, shared).fill_(1.0);
        }
        at::Tensor windowLatents;
        if (allKnown[k]) {
            windowLatents = cond.latent;
        } else {
            auto r = job.base;
            r.frames = n;
            r.seed = job.base.seed + k; // each window its own noise, all fixed by the one seed
            PipelineCallbacks inner;
            inner.isCancelled = callbacks.isCancelled;
            if (callbacks.onStep)
                inner.onStep = [&](const StepUpdate& u) {
                    TaskProgress progress { u, static_cast<int>(k), windowCount, start };
                    // The frames past the job's end are not the user's.
                    if (made != total) {
                        progress.update.preview = u.preview.narrow(1, 0, total);
                        if (u.fullDecode.defined())
                            progress.update.fullDecode = u.fullDecode.narrow(1, 0, total);
                    }
                    callbacks.onStep(progress);
                };
            windowLatents
                = sampleLatents(model, r, cond, job.textConditioning(), inner, stepsDone, stepTotal);
            stepsDone += r.steps;
        }
        latents.narrow(2, start, cond.latent.size(2)).copy_(windowLatents);
        madeUpTo = start + n;
    }
    return latents;
}

// Decodes frames [from, total) of the clip's latents, window by window.
at::Tensor decodeFrom(
    Job& job, const at::Tensor& latents, int from, int total, const TaskCallbacks& callbacks)
{
    auto video = job.model.decode(latents, from, job.request.windowFrames, callbacks.isCancelled);
    return video.size(1) == total - from ? video : video.narrow(1, 0, total - from);
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
    result.resolved = job.request;
    return result;
}

TaskResult generate(Job& job, const TaskInput& input, const TaskCallbacks& callbacks)
{
    const int frames = job.request.frames;
    const int h = job.base.height, w = job.base.width;
    at::Tensor known, mask, first;
    if (input.firstFrame.defined()) {
        first = resizeVideo(input.firstFrame.to(torch::kFloat32).unsqueeze(1), h, w);
        known = torch::zeros({ 3, frames, h, w });
        known.narrow(1, 0, 1).copy_(first);
        mask = torch::zeros({ frames, h, w });
        mask[0].fill_(1.0);
    }
    TaskResult result;
    const auto latents = sampleWindows(job, known, mask, frames, callbacks, result.windows);
    result.video = decodeFrom(job, latents, 0, frames, callbacks);
    if (first.defined())
        result.video.narrow(1, 0, 1).copy_(first);
    return result;
}

TaskResult extend(Job& job, const at::Tensor& clip, const TaskCallbacks& callbacks)
{
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    const int h = job.base.height, w = job.base.width;
    const int total = n + job.request.frames;
    auto known = torch::zeros({ 3, total, h, w });
    known.narrow(1, 0, n).copy_(resizeVideo(clip.to(torch::kFloat32), h, w));
    auto mask = torch::zeros({ total, h, w });
    mask.narrow(0, 0, n).fill_(1.0);
    TaskResult result;
    const auto latents = sampleWindows(job, known, mask, total, callbacks, result.windows);
    auto made = resizeVideo(decodeFrom(job, latents, n, total, callbacks), H, W);
    result.video = torch::cat({ clip.to(torch::kFloat32).cpu(), made }, 1).contiguous();
    return result;
}

TaskResult inpaint(Job& job, const at::Tensor& clip, const at::Tensor& region, const TaskCallbacks& callbacks)
{
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    const int h = job.base.height, w = job.base.width;
    const auto source = clip.to(torch::kFloat32);
    const auto known = resizeVideo(source, h, w);
    const auto knownMask = resizeKnownMask(1 - region, h, w);
    TaskResult result;
    const auto latents = sampleWindows(job, known, knownMask, n, callbacks, result.windows);
    auto made = resizeVideo(decodeFrom(job, latents, 0, n, callbacks), H, W);
    // Outside the mask the input, exactly.
    result.video = (region.unsqueeze(0) * made + (1 - region.unsqueeze(0)) * source).contiguous();
    return result;
}

TaskResult interpolate(Job& job, const at::Tensor& clip, const TaskCallbacks& callbacks)
{
    const int factor = job.request.factor;
    const int n = static_cast<int>(clip.size(1)), H = static_cast<int>(clip.size(2)),
              W = static_cast<int>(clip.size(3));
    const int h = job.base.height, w = job.base.width;
    const int total = factor * (n - 1) + 1;
    const auto source = clip.to(torch::kFloat32);
    const auto small = resizeVideo(source, h, w);
    auto known = torch::zeros({ 3, total, h, w });
    auto mask = torch::zeros({ total, h, w });
    for (int i = 0; i < n; ++i) {
        known.narrow(1, factor * i, 1).copy_(small.narrow(1, i, 1));
        mask[factor * i].fill_(1.0);
    }
    TaskResult result;
    const auto latents = sampleWindows(job, known, mask, total, callbacks, result.windows);
    auto video = resizeVideo(decodeFrom(job, latents, 0, total, callbacks), H, W);
    for (int i = 0; i < n; ++i) // keyframes are the input's, exactly
        video.narrow(1, factor * i, 1).copy_(source.narrow(1, i, 1));
    result.video = video.contiguous();
    return result;
}

// The inpainting region as [T, H, W] of 0/1 at the clip's size.
at::Tensor regionOf(const at::Tensor& clip, const at::Tensor& mask)
{
    const int64_t n = clip.size(1), H = clip.size(2), W = clip.size(3);
    const bool oneImage = mask.defined() && mask.dim() == 2 && mask.size(0) == H && mask.size(1) == W;
    auto region = oneImage ? mask.unsqueeze(0).expand({ n, H, W }) : mask;
    if (!region.defined() || region.sizes() != std::vector<int64_t> { n, H, W })
        throw std::invalid_argument("the mask must be [T, H, W] or [H, W] at the clip's size");
    return (region.to(torch::kFloat32) >= 0.5).to(torch::kFloat32);
}

} // namespace

FootageShape footageOf(const TaskInput& input)
{
    FootageShape shape;
    if (input.clip.defined() && input.clip.dim() == 4) {
        shape.frames = static_cast<int>(input.clip.size(1));
        shape.height = static_cast<int>(input.clip.size(2));
        shape.width = static_cast<int>(input.clip.size(3));
        shape.fps = input.fps;
    } else if (input.firstFrame.defined() && input.firstFrame.dim() == 3) {
        shape.frames = 1;
        shape.height = static_cast<int>(input.firstFrame.size(1));
        shape.width = static_cast<int>(input.firstFrame.size(2));
    }
    return shape;
}

DiffusionRequest windowRequest(const TaskRequest& resolved, int frames)
{
    DiffusionRequest r;
    r.prompt = resolved.prompt;
    r.negativePrompt = resolved.negativePrompt;
    r.width = resolved.width;
    r.height = resolved.height;
    r.frames = frames;
    r.steps = resolved.steps;
    r.guidance = resolved.guidance;
    r.sampler = resolved.sampler;
    r.seed = resolved.seed;
    r.fullDecodeEvery = resolved.fullDecodeEvery;
    return r;
}

TaskResult runTask(
    VideoModel& model, const TaskRequest& request, const TaskInput& input, const TaskCallbacks& callbacks)
{
    c10::InferenceMode inference;
    if (request.task == TaskKind::Generate) {
        if (input.firstFrame.defined() && (input.firstFrame.dim() != 3 || input.firstFrame.size(0) != 3))
            throw std::invalid_argument("the first frame must be an RGB image [3, H, W]");
    } else {
        checkVideo(input.clip, (std::string("the clip to ") + taskName(request.task)).c_str());
    }
    auto job = prepare(model, resolveTask(model.manifest(), request, footageOf(input)));
    const int frames = outputFrames(job.request, footageOf(input));
    return guarded(job, frames, [&] {
        switch (request.task) {
        case TaskKind::Generate:
            return generate(job, input, callbacks);
        case TaskKind::Extend:
            return extend(job, input.clip, callbacks);
        case TaskKind::Inpaint:
            return inpaint(job, input.clip, regionOf(input.clip, input.mask), callbacks);
        case TaskKind::Interpolate:
            return interpolate(job, input.clip, callbacks);
        }
        throw std::logic_error("unknown task");
    });
}

} // namespace kinora::inference
