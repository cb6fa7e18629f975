#pragma once
// Exporting the cut: a range of a timeline rendered frame by frame into one file (any export preset)
// with the sound of its clips mixed in. It works on a snapshot of the timeline and of its sources,
// so edits made while it runs never reach the file; the frames stream from the sources to
// VideoWriter (one decoder per source kept open while the range still uses it), and the file
// appears under its name only when complete.

#include "kinora/core/job.h"
#include "kinora/core/media.h"
#include "kinora/core/project.h"
#include "kinora/core/timeline.h"
#include "kinora/core/transcode.h"
#include "kinora/core/video_writer.h"

#include <QSize>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>

namespace kinora::core {

struct TimelineExportRequest {
    Timeline timeline; // a snapshot: edits made after it was taken never reach the file
    std::map<QString, SourceDetails> sources; // every source the clips use (Project::source())
    int64_t first = 0, count = 0; // timeline frames [first, first + count); count 0: to the end
    QString output;
    std::optional<VideoCodec> codec; // empty: codecForOutput(output)
    int crf = -1;
    QSize size; // empty: the largest source size among the clips in range
    Rational fps; // invalid: the timeline's rate
    bool audio = true; // mix the clips' sound into the file
    bool overwrite = false;
};

// Every source the timeline's clips use, from the project (throws std::runtime_error naming a missing
// one).
std::map<QString, SourceDetails> timelineSources(const Project& project, const Timeline& timeline);

// Output frame j sits at time t = first/R + j/F (R the timeline's rate, F the output's), so the file
// has ceil(count·F/R) frames. It shows what the cut shows at timeline frame floor(t·R) (the highest
// track; Timeline::shownAt), at the source frame on screen at t (TimelineClip::sourceFrameAtTime: a
// 60 fps take on a 30 fps timeline exported at 60 fps shows all its frames), scaled smoothly to fit
// the output size with its aspect kept (black bars); gaps are black. Sound: every clip in range
// whose source has audio plays from its in-point's time at its place on the timeline, all tracks
// summed and clipped, mixed at 48 kHz stereo into a hidden WAV beside the output (always removed)
// that the writer encodes (AAC in MP4, PCM in MOV and MKV, Opus in WebM; none for GIF and PNG). No
// sound in range: no audio stream. Progress counts output frames. Throws JobCancelled (nothing
// written, an existing output untouched), OutputExistsError, MediaError, std::invalid_argument for
// an empty range, std::runtime_error for a clip whose source is not in `sources`.
TranscodeResult exportTimeline(const TimelineExportRequest& request, const JobCallbacks& callbacks = {});

} // namespace kinora::core
