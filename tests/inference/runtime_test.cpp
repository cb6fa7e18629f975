#include "kinora/inference/runtime.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

using namespace kinora::inference;

TEST(Runtime, ReportsTheLinkedLibTorch)
{
    const auto info = runtimeInfo();
    EXPECT_FALSE(info.libtorchVersion.empty());
    EXPECT_EQ(
        info.libtorchVersion.substr(0, info.libtorchVersion.find('.')), std::to_string(TORCH_VERSION_MAJOR));
    EXPECT_EQ(info.cudaAvailable, torch::cuda::is_available());
    EXPECT_EQ(info.device, info.cudaAvailable ? "cuda" : "cpu");
    EXPECT_GE(info.cpuThreads, 1);
}

TEST(Runtime, ParsesDevicePreferences)
{
    EXPECT_EQ(parseDevicePreference("auto"), DevicePreference::Auto);
    EXPECT_EQ(parseDevicePreference("cpu"), DevicePreference::Cpu);
    EXPECT_EQ(parseDevicePreference("cuda"), DevicePreference::Cuda);
    EXPECT_THROW(parseDevicePreference("gpu"), std::invalid_argument);
    EXPECT_THROW(parseDevicePreference(""), std::invalid_argument);
}

TEST(Runtime, ResolvesDevices)
{
    EXPECT_EQ(resolveDevice(DevicePreference::Cpu), "cpu");
    if (torch::cuda::is_available()) {
        EXPECT_EQ(resolveDevice(DevicePreference::Cuda), "cuda");
        EXPECT_EQ(resolveDevice(DevicePreference::Auto), "cuda");
    } else {
        EXPECT_THROW(resolveDevice(DevicePreference::Cuda), std::runtime_error);
        EXPECT_EQ(resolveDevice(DevicePreference::Auto), "cpu");
    }
}
