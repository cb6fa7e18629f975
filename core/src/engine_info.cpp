#include "kinora/core/engine_info.h"

#include "kinora/inference/runtime.h"
#include "kinora/version.h"

#include <opencv2/core/version.hpp>

extern "C" {
#include <libavutil/avutil.h>
}

namespace kinora::core {

EngineInfo engineInfo()
{
    const auto runtime = inference::runtimeInfo();
    EngineInfo info;
    info.kinoraVersion = QString::fromLatin1(kVersion);
    info.libtorchVersion = QString::fromStdString(runtime.libtorchVersion);
    info.ffmpegVersion = QString::fromLatin1(av_version_info());
    info.opencvVersion = QStringLiteral(CV_VERSION);
    if (runtime.cudaAvailable) {
        info.device = QStringLiteral("CUDA");
        info.deviceDetail = runtime.cudaDeviceCount == 1
            ? QStringLiteral("1 GPU")
            : QStringLiteral("%1 GPUs").arg(runtime.cudaDeviceCount);
    } else {
        info.device = QStringLiteral("CPU");
        info.deviceDetail = QStringLiteral("%1 threads").arg(runtime.cpuThreads);
    }
    return info;
}

} // namespace kinora::core
