#pragma once
// Clips in and out for jobs: IN, OUT and MASK as the command-line contract names them (a video
// file FFmpeg reads, or an image-sequence pattern numbered from 0), with the metadata that makes
// an output of footage keep the footage's rate, colour tags, sample aspect, timecode and audio.

#include "kinora/core/job.h"
#include "kinora/core/media.h"

#include <QImage>
#include <QString>

#include <vector>

namespace kinora::core {

struct Clip {
    std::vector<QImage> frames; // RGB888, upright (rotation tags applied)
    ClipMeta meta; // rotation 0: the frames are already upright
    bool hasRate = false; // false for image sequences, which carry no rate (meta.fps is then 24)
};

// Reads IN. Throws MediaError / std::runtime_error with one clear message, JobCancelled.
Clip readClip(const QString& path, const JobCallbacks& callbacks = {});

// MASK frames (Grayscale8, 0 or 255): one image, a pattern, or a video (luma >= 128 is masked).
std::vector<QImage> readMaskClip(const QString& path);

// True when OUT (a file, or any frame of a pattern) exists.
bool outputExists(const QString& path);
// Removes OUT (the file, or every frame of the pattern).
void removeOutput(const QString& path);

} // namespace kinora::core
