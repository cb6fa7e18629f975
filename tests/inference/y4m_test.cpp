#include "kinora/inference/y4m.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <unistd.h>

using kinora::inference::writeY4m;

TEST(Y4m, WritesBt709LimitedRangeFrames)
{
    const auto path
        = std::filesystem::temp_directory_path() / ("kinora-" + std::to_string(::getpid()) + ".y4m");
    auto video = torch::zeros({ 3, 3, 2, 4 });
    video.select(1, 0).fill_(1.0); // white
    video.select(1, 2)[0].fill_(1.0); // red
    writeY4m(path, video, 30000, 1001);
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string header = "YUV4MPEG2 W4 H2 F30000:1001 Ip A1:1 C444 XCOLORRANGE=LIMITED\n";
    ASSERT_EQ(bytes.substr(0, header.size()), header);
    const size_t frame = 6 + 3 * 2 * 4;
    ASSERT_EQ(bytes.size(), header.size() + 3 * frame);
    auto px = [&](int t, int plane) {
        return static_cast<unsigned char>(bytes[header.size() + t * frame + 6 + plane * 8]);
    };
    EXPECT_EQ(bytes.substr(header.size(), 6), "FRAME\n");
    EXPECT_EQ(px(0, 0), 235); // white: Y 235, Cb = Cr = 128
    EXPECT_EQ(px(0, 1), 128);
    EXPECT_EQ(px(0, 2), 128);
    EXPECT_EQ(px(1, 0), 16); // black
    EXPECT_EQ(px(2, 0), 63); // red: Y = 16 + 219 * 0.2126
    EXPECT_EQ(px(2, 1), 102); // Cb = 128 - 224 * 0.2126 / 1.8556
    EXPECT_EQ(px(2, 2), 240); // Cr = 128 + 112
    std::filesystem::remove(path);
}

TEST(Y4m, LeavesNothingBehindWhenTheFolderIsMissing)
{
    const auto path = std::filesystem::path("/nonexistent-kinora-dir/clip.y4m");
    EXPECT_THROW(writeY4m(path, torch::zeros({ 3, 1, 2, 2 }), 8, 1), std::runtime_error);
    EXPECT_FALSE(std::filesystem::exists(path));
}
