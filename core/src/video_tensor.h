#pragma once
// The engine's video tensors as 8-bit frames, shared by the jobs (QImage) and the evaluation
// (cv::Mat): [3, T, H, W] float in [0, 1] -> [T, H, W, 3] bytes on the CPU, contiguous. Rounding
// makes 8-bit inputs come back exactly.

#include <ATen/ATen.h>

namespace kinora::core {

inline at::Tensor videoToRgbBytes(const at::Tensor& video)
{
    return video.detach()
        .to(at::kCPU, at::kFloat)
        .clamp(0, 1)
        .mul(255.0)
        .round()
        .to(at::kByte)
        .permute({ 1, 2, 3, 0 })
        .contiguous();
}

} // namespace kinora::core
