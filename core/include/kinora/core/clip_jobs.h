#pragma once
// Jobs on a timeline clip, as the window queues them: inpaint the clip under its painted masks,
// interpolate it (by a factor or to a rate), extend it by N frames, or make a clip that starts from
// the frame under the playhead (image to video). Each is the DiffusionJobRequest kinora-cli runs,
// over the clip's own range of its source (trims are honoured and nothing is copied), and its
// result is a new take placed on the timeline above the clip, aligned in time with it.

#include "kinora/core/clip_job_prep.h"
#include "kinora/core/job_worker.h"
#include "kinora/core/project.h"

#include <QString>

namespace kinora::core {

enum class ClipJobKind { Inpaint, Interpolate, Extend, ImageToVideo };

struct ClipJobSpec {
    ClipJobKind kind = ClipJobKind::Inpaint;
    QString clipId; // inpaint, interpolate, extend: the timeline clip
    int factor = 0; // interpolate: K >= 2, or 0 to reach targetFps
    Rational targetFps;
    int extendFrames = 0; // extend: frames to add
    QString method = QStringLiteral("auto"); // inpaint, interpolate: auto, flow or diffusion
    QString prompt;
    QString negativePrompt;
    int64_t playhead = 0; // image to video: the timeline frame whose picture starts the clip
};

// The ticket for `spec` on the project's timeline. `settings` carries what the generation settings
// say (model, steps, guidance, sampler, seed, device, precision; generate's size and frames). Throws
// std::runtime_error with one sentence for the user: no such clip, a still, no mask painted, no
// clip under the playhead.
JobTicket clipJobTicket(const Project& project, const ClipJobSpec& spec, DiffusionJobRequest settings);

// The timeline clip a finished take becomes by `placement`: all of its frames, conformed to the
// timeline's rate, on the first track above the source's with room for it (or a new one on top).
TimelineClip placeTake(const Timeline& timeline, const TakeRecord& take, const TakePlacement& placement);

// The source frames a timeline clip shows: [sourceIn, sourceIn + clipSourceFrames(clip)).
int64_t clipSourceFrames(const TimelineClip& clip);

} // namespace kinora::core
