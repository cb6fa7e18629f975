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

// "cuda" or "cpu". Throws std::runtime_error when CUDA is asked for and none is usable.
std::string resolveDevice(DevicePreference preference);

// Parses "auto", "cpu" or "cuda"; throws std::invalid_argument on anything else.
DevicePreference parseDevicePreference(const std::string& text);

} // namespace kinora::inference
