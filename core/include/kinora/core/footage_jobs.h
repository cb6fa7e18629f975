#pragma once
// Methods that work on any footage with no model weights, for `interpolate` and `inpaint`:
// optical-flow frame interpolation (and a plain cross-fade, "blend", as the baseline) and
// flow-guided video inpainting. They take the same DiffusionJobRequest as the model's jobs (task,
// input, mask, output, factor or fps, method, dilate) and run through runDiffusionJob, which hands
// them over when the request's method resolves to flow or blend. Streamed: frames are read, made and
// written one at a time, so memory stays bounded on long clips (interpolation holds a few frames;
// inpainting a window of about 61 frames, footage/flow_inpainting.h).

#include "kinora/core/diffusion_job.h"
#include "kinora/core/media.h"

#include <cstdint>

namespace kinora::core {

enum class FootageMethod { Diffusion, Flow, Blend };

// "diffusion", "flow", "blend".
const char* methodName(FootageMethod method);

// The method a request runs: "auto" is flow for interpolate and inpaint (real footage: the model
// paths are for what a pack was trained on, and flow needs no weights) and diffusion for generate
// and extend. Throws std::invalid_argument for an unknown name, blend for anything but interpolate,
// or flow for generate and extend.
FootageMethod resolveMethod(const DiffusionJobRequest& request);

// Re-timing for interpolation: output frame j sits at input position `frame` + `t` (t in [0, 1)),
// in input frames. By a factor K the output has K·(N−1)+1 frames at K times the rate; by a rate F
// (above or below the input's) floor((N−1)·F/in)+1 frames, frame j at time j/F.
struct RetimePosition {
    int64_t frame = 0;
    int64_t numerator = 0; // t = numerator / denominator, exactly
    int64_t denominator = 1;
    double t() const { return static_cast<double>(numerator) / static_cast<double>(denominator); }
};

class Retiming {
public:
    static Retiming byFactor(int factor);
    static Retiming toRate(Rational input, Rational output);
    int64_t outputFrames(int64_t inputFrames) const;
    RetimePosition position(int64_t outputFrame) const;

private:
    int64_t m_step = 1; // input frames per output frame = m_step / m_per
    int64_t m_per = 1;
};

// Runs an interpolate or inpaint request with the flow or blend method (resolveMethod). Warnings
// (scene cuts, duplicated frames, a resized mask) go to onWarning, progress counts output frames;
// cancellation leaves nothing behind. The sidecar records the method. Throws like runDiffusionJob.
DiffusionJobResult runFootageJob(const DiffusionJobRequest& request, const JobCallbacks& callbacks = {});

} // namespace kinora::core
