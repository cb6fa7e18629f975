#include "kinora/inference/runtime.h"

#include "kinora/inference/job_errors.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <stdexcept>

namespace kinora::inference {

RuntimeInfo runtimeInfo()
{
    RuntimeInfo info;
    info.libtorchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR)
        + "." + std::to_string(TORCH_VERSION_PATCH);
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.device = info.cudaAvailable ? "cuda" : "cpu";
    info.cpuThreads = torch::get_num_threads();
    return info;
}

std::string resolveDevice(DevicePreference preference)
{
    switch (preference) {
    case DevicePreference::Cpu:
        return "cpu";
    case DevicePreference::Cuda:
        if (!torch::cuda::is_available())
            throw DeviceUnavailable("CUDA was asked for but LibTorch finds no usable GPU: run on the CPU, "
                                    "or check the NVIDIA driver");
        return "cuda";
    case DevicePreference::Auto:
        break;
    }
    return torch::cuda::is_available() ? "cuda" : "cpu";
}

DevicePreference parseDevicePreference(const std::string& text)
{
    if (text == "auto")
        return DevicePreference::Auto;
    if (text == "cpu")
        return DevicePreference::Cpu;
    if (text == "cuda")
        return DevicePreference::Cuda;
    throw std::invalid_argument("unknown device '" + text + "' (expected auto, cpu or cuda)");
}

std::string resolvePrecision(Precision precision, const std::string& device)
{
    switch (precision) {
    case Precision::Float32:
        return "fp32";
    case Precision::BFloat16:
        return "bf16";
    case Precision::Float16:
        return "fp16";
    case Precision::Auto:
        break;
    }
    return device == "cuda" ? "bf16" : "fp32";
}

Precision parsePrecision(const std::string& text)
{
    if (text == "auto")
        return Precision::Auto;
    if (text == "fp32")
        return Precision::Float32;
    if (text == "bf16")
        return Precision::BFloat16;
    if (text == "fp16")
        return Precision::Float16;
    throw std::invalid_argument("unknown precision '" + text + "' (expected auto, fp32, bf16 or fp16)");
}

} // namespace kinora::inference
