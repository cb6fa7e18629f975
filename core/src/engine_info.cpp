#include "kinora/core/engine_info.h"

#include "kinora/inference/runtime.h"
#include "kinora/version.h"

#include <ATen/Parallel.h>
#include <opencv2/core/version.hpp>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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

void setEngineThreads(int threads)
{
    if (threads > 0)
        at::set_num_threads(threads);
}

void lowerCurrentThreadPriority()
{
#ifdef __linux__
    // On Linux the nice value belongs to the thread, and threads it creates inherit it.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    ::setpriority(PRIO_PROCESS, tid, 10);
#endif
}

} // namespace kinora::core
