#include "kinora/core/model_training.h"

#include "kinora/inference/train_command.h"

#include <c10/util/Exception.h>

#include <stdexcept>

namespace kinora::core {

TrainPackResult trainModelPack(const TrainPackOptions& options,
    const std::function<void(const TrainPackProgress&)>& onProgress, const std::function<bool()>& isCancelled)
{
    try {
        return inference::trainModelPack(options, onProgress, isCancelled);
    } catch (const c10::Error& e) { // LibTorch's own messages carry a C++ backtrace: keep the first line
        throw std::runtime_error(e.what_without_backtrace());
    }
}

} // namespace kinora::core
