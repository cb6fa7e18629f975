#pragma once
// Clips in and out for jobs: IN, OUT and MASK as the command-line contract names them (a video
// file FFmpeg reads, or an image-sequence pattern numbered from 0), with the metadata that makes
// an output of footage keep the footage's rate, colour tags, sample aspect, timecode and audio.

#include "kinora/core/job.h"
#include "kinora/core/media.h"

#include <QImage>
#include <QString>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace kinora::core {

struct Clip {
    std::vector<QImage> frames; // RGB888, upright (rotation tags applied)
    ClipMeta meta; // rotation 0: the frames are already upright
    bool hasRate = false; // false for image sequences, which carry no rate (meta.fps is then 24)
};

// A range of IN's frames a job works on: from frame `start`, `frames` frames (0: to the end).
struct ClipRange {
    int64_t start = 0;
    int64_t frames = 0;
};

// A range that lies outside IN (or a negative start or length); what() names IN, its frame count
// and the range.
class InputRangeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The frames `range` holds in IN (`path`) of `available` frames. Throws InputRangeError.
int64_t rangeFrames(const ClipRange& range, int64_t available, const QString& path);

// The metadata of the part of a clip that begins at its frame `start`: the carried audio begins
// start/fps later and the timecode counts from that frame, so sound and timecode stay in sync.
ClipMeta metaFromFrame(const ClipMeta& meta, int64_t start);

// Reads `range` of IN (frame 0 of the clip = frame range.start of IN; a video seeks to it). Throws
// InputRangeError before anything is decoded past the header, MediaError / std::runtime_error
// with one clear message, JobCancelled.
Clip readClip(const QString& path, const JobCallbacks& callbacks = {}, const ClipRange& range = {});

// MASK frames (Grayscale8, 0 or 255): one image, a pattern, or a video (luma >= 128 is masked).
std::vector<QImage> readMaskClip(const QString& path);

// True when OUT (a file, or any frame of a pattern) exists.
bool outputExists(const QString& path);
// Removes OUT (the file, or every frame of the pattern).
void removeOutput(const QString& path);

} // namespace kinora::core
