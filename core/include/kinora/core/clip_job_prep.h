#pragma once
// What a job on a timeline clip carries besides its request (clip_jobs.h): where its take goes on
// the timeline when it is done, and the work the worker does before the request runs because it
// would block the window: writing the clip's masks as the PNG sequence the inpaint job reads, and
// saving the frame an image-to-video job starts from.

#include "kinora/core/job.h"
#include "kinora/core/mask_keyframes.h"

#include <QByteArray>
#include <QSize>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>

namespace kinora::core {

// Where a finished take goes: at timeline frame `start`, on the first track above `aboveTrack` that
// has room for all of it (a new top track when none has), so nothing on the timeline is overwritten.
struct TakePlacement {
    bool place = false;
    int64_t start = 0;
    int aboveTrack = 0;
};

// The masks of source frames [first, first + count) written as `pattern` (numbered from 0), `size`.
struct MaskExport {
    // The keys as their PNGs (Project::maskKeyPng): the worker decodes them, not the window.
    std::map<int64_t, QByteArray> keys;
    int64_t first = 0;
    int64_t count = 0;
    QSize size;
    QString pattern;
};

// Source frame `frame` of `source` (a video file, a pattern or an image) saved as the PNG `output`.
struct FrameGrab {
    QString source;
    int64_t frame = 0;
    QString output;
};

struct ClipJobPrep {
    TakePlacement placement;
    std::optional<MaskExport> masks;
    std::optional<FrameGrab> firstFrame;
    QString takeName; // the new take's name in the bin (empty: from the prompt)
    bool needed() const { return masks || firstFrame; }
};

// Does the prep (on the worker thread). Progress counts mask frames; returns false when cancelled
// (what was written is removed). Throws std::runtime_error / MediaError naming the file.
bool prepareClipJob(const ClipJobPrep& prep, const JobCallbacks& callbacks = {});
// Removes what prepareClipJob wrote (the job failed or was cancelled).
void discardClipJobPrep(const ClipJobPrep& prep);

} // namespace kinora::core
