#pragma once
// What the engine runs on: the LibTorch it was built with and the device it will use. Kept free of
// torch headers so that the UI and CLI can include it cheaply.

#include <string>

namespace kinora::inference {

enum class DevicePreference { Auto, Cpu, Cuda };

struct RuntimeInfo {
    std::string libtorchVersion; // e.g. "2.15.0"
    bool cudaAvailable = false; // LibTorch has CUDA and a GPU is present
    int cudaDeviceCount = 0;
    std::string device; // the device Auto picks: "cuda" or "cpu"
    int cpuThreads = 0; // intra-op threads LibTorch uses on the CPU
};

RuntimeInfo runtimeInfo();

// "cuda" or "cpu". Throws DeviceUnavailable (job_errors.h) when CUDA is asked for and none is usable.
std::string resolveDevice(DevicePreference preference);

// Parses "auto", "cpu" or "cuda"; throws std::invalid_argument on anything else.
DevicePreference parseDevicePreference(const std::string& text);

// The weights' floating-point type while sampling. Auto: bf16 on CUDA (the range of fp32 at half the
// memory; pre-Ampere GPUs without bf16 should be given fp16), fp32 on the CPU (where half types are
// slower, not faster). The sampler's own state is float32 whatever this says.
enum class Precision { Auto, Float32, BFloat16, Float16 };

// "fp32", "bf16" or "fp16" for `device` ("cpu" or "cuda").
std::string resolvePrecision(Precision precision, const std::string& device);

// Parses "auto", "fp32", "bf16" or "fp16"; throws std::invalid_argument on anything else.
Precision parsePrecision(const std::string& text);

} // namespace kinora::inference
