#pragma once
// What this build of Kinora runs on, for the About dialog and `--version`: the versions of Kinora,
// LibTorch, FFmpeg and OpenCV, and the device the engine will use.

#include <QString>

namespace kinora::core {

struct EngineInfo {
    QString kinoraVersion;
    QString libtorchVersion;
    QString ffmpegVersion;
    QString opencvVersion;
    QString device; // "CUDA" or "CPU"
    QString deviceDetail; // e.g. "1 GPU" or "2 threads"
};

EngineInfo engineInfo();

// The number of LibTorch intra-op threads jobs started from the calling thread use (the worker's:
// OpenMP's thread count is per calling thread). 0 leaves LibTorch's default.
void setEngineThreads(int threads);

// Lowers the calling thread's CPU priority (nice +10 on Linux), and with it that of the compute
// threads it starts later, so that a window stays responsive while the engine uses every core.
void lowerCurrentThreadPriority();

} // namespace kinora::core
