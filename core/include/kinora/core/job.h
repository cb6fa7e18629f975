#pragma once
// The callback shape every long core job shares (diffusion, decode, encode), the same as the
// engine's: progress as (step, total), a cancellation poll, warnings; and the exception a job
// throws when it stops because it was cancelled.

#include <QString>

#include <functional>
#include <stdexcept>

namespace kinora::core {

struct JobProgress {
    int step = 0; // 1-based, counted over all windows
    int total = 0;
    int window = 0; // 0-based
    int windows = 1;
};

struct JobCallbacks {
    std::function<void(const JobProgress&)> onProgress;
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
