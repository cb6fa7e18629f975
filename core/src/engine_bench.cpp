#include "kinora/core/engine_bench.h"

#include "kinora/inference/bench.h"

#include <c10/util/Exception.h>

#include <stdexcept>

namespace kinora::core {

std::string runEngineBench(
    const BenchOptions& options, const std::function<void(const std::string&)>& progress)
{
    try {
        const auto report = inference::runBench(options, progress);
        return options.json ? inference::formatBenchJson(report) : inference::formatBench(report);
    } catch (const c10::Error& e) { // LibTorch's own messages carry a C++ backtrace: keep the first line
        throw std::runtime_error(e.what_without_backtrace());
    }
}

} // namespace kinora::core
