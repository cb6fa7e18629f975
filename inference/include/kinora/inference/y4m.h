#pragma once
// YUV4MPEG2 (.y4m) output: uncompressed 8-bit 4:4:4 BT.709 limited-range video that ffmpeg and most
// players read, so kinora-engine can hand over clips on machines without FFmpeg's libraries.

#include <ATen/core/Tensor.h>

#include <filesystem>

namespace kinora::inference {

// video: RGB in [0, 1], [3, T, H, W]. fps as a rational number. Written to a temporary file beside
// `path` and renamed when complete.
void writeY4m(
    const std::filesystem::path& path, const at::Tensor& video, int fpsNumerator, int fpsDenominator);

} // namespace kinora::inference
