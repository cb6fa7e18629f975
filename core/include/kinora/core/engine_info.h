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

} // namespace kinora::core
