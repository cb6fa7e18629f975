#pragma once
// The engine's errors that a front end turns into a hint of its own: kinora-cli and kinora-engine
// name their flags (job_flags.h), the window names its widgets. The messages themselves speak of
// the job ("out of memory making 16 frames at 64x64: lower the size or the number of frames"),
// never of how it was asked for. Free of torch headers, like everything in inference/api/.

#include <stdexcept>

namespace kinora::inference {

// The job stopped because its isCancelled() said so; nothing was written. Every stage that polls
// the flag throws this one type: reading known frames, sampling, decoding, evaluating.
class PipelineCancelled : public std::runtime_error {
public:
    PipelineCancelled()
        : std::runtime_error("cancelled")
    {
    }
};

// Out of memory on the device; the message names the job and what to lower.
class OutOfMemory : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The output (a clip, a model pack's folder) exists and the job was not allowed to replace it.
class OutputExistsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The device asked for cannot be used here (CUDA without a usable GPU).
class DeviceUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The precision asked for cannot be used with this LibTorch (bf16 training before 2.4).
class PrecisionUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace kinora::inference
