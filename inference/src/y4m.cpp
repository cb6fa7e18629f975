#include "kinora/inference/y4m.h"

#include <torch/torch.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace kinora::inference {

void writeY4m(
    const std::filesystem::path& path, const at::Tensor& video, int fpsNumerator, int fpsDenominator)
{
    if (video.dim() != 4 || video.size(0) != 3)
        throw std::invalid_argument("writeY4m: expected RGB video [3, T, H, W]");
    if (fpsNumerator <= 0 || fpsDenominator <= 0)
        throw std::invalid_argument("writeY4m: frame rate must be positive");
    auto rgb = video.to(torch::kCPU, torch::kFloat64).clamp(0, 1);
    auto r = rgb[0], g = rgb[1], b = rgb[2];
    // BT.709 luma and colour differences, 8-bit limited range.
    auto y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    auto cb = (b - y) / 1.8556;
    auto cr = (r - y) / 1.5748;
    auto planes = torch::stack({ 16 + 219 * y, 128 + 224 * cb, 128 + 224 * cr }, 1) // [T, 3, H, W]
                      .round()
                      .clamp(0, 255)
                      .to(torch::kUInt8)
                      .contiguous();
    const auto frames = planes.size(0), height = planes.size(2), width = planes.size(3);
    const auto frameBytes = static_cast<std::streamsize>(3 * height * width);

    auto temporary = path;
    temporary += ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw std::runtime_error("cannot write " + temporary.string());
        out << "YUV4MPEG2 W" << width << " H" << height << " F" << fpsNumerator << ":" << fpsDenominator
            << " Ip A1:1 C444 XCOLORRANGE=LIMITED\n";
        const auto* data = reinterpret_cast<const char*>(planes.data_ptr<uint8_t>());
        for (int64_t t = 0; t < frames; ++t) {
            out << "FRAME\n";
            out.write(data + t * frameBytes, frameBytes);
        }
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(temporary);
            throw std::runtime_error("writing " + path.string() + " failed (disk full?)");
        }
    }
    std::filesystem::rename(temporary, path);
}

} // namespace kinora::inference
