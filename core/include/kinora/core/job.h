#pragma once
// The callback shape every long core job shares (diffusion, decode, encode), the same as the
// engine's: progress as (step, total), a cancellation poll, warnings; and the exception a job
// throws when it stops because it was cancelled.

#include <QImage>
#include <QString>

#include <functional>
#include <stdexcept>
#include <vector>

namespace kinora::core {

struct JobProgress {
    int step = 0; // 1-based, counted over all windows
    int total = 0;
    int window = 0; // 0-based
    int windows = 1;
};

// A step's picture of the clip being made: the cheap latent preview (at latent resolution), or a
// full VAE decode on the steps that make one. Frames are RGB888 and own their pixels.
struct JobPreview {
    int step = 0; // 1-based, as JobProgress
    int total = 0;
    int window = 0;
    int windows = 1;
    int firstFrame = 0; // the window's first frame in the whole clip
    bool fullDecode = false;
    std::vector<QImage> frames;
};

struct JobCallbacks {
    std::function<void(const JobProgress&)> onProgress;
    // Asked before each preview is made, so that previews nobody will look at cost nothing.
    std::function<bool()> wantsPreview;
    std::function<void(const JobPreview&)> onPreview;
    std::function<void(const QString&)> onWarning; // e.g. a mask resized to the clip
    std::function<bool()> isCancelled; // polled between steps; may be set from any thread
};

// The job stopped because isCancelled() said so; nothing was written to OUT.
class JobCancelled : public std::runtime_error {
public:
    JobCancelled()
        : std::runtime_error("cancelled")
    {
    }
};

} // namespace kinora::core
