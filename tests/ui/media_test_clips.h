#pragma once
// Footage for the media tests (frames, import, bin, audio): small clips written by the ffmpeg
// command-line tool, the independent judge of what a file holds, and media records made from them.

#include "kinora/core/project.h"

#include <QSize>
#include <QString>

namespace kinora::test {

// A testsrc2 clip (moving pattern, a keyframe every 12 frames) of `frames` frames at `fps`, with
// a sine tone as long as the picture when `audio`. Fails the test (and returns false) when ffmpeg
// cannot write it.
bool writeTestClip(const QString& path, int frames, QSize size, int fps = 24, bool audio = false);

// ffprobe's count of the first video stream's frames (-count_frames), -1 when it cannot say.
int64_t ffprobeFrameCount(const QString& path);

// A media record of `path` as the import makes it (probeMedia), added to `project`; its id.
QString addProbedMedia(core::Project& project, const QString& path);

} // namespace kinora::test
