// Image sequences and masks as the command line reads and writes them.

#include "kinora/core/image_sequence.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

using namespace kinora::core;

namespace {

// Every pixel different, and a width whose RGB rows are not a multiple of 4 bytes (QImage pads them).
QImage testFrame(int index, int width = 5, int height = 3)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y,
                qRgb((index * 67 + x * 31 + y) % 256, (x * 7 + y * 53) % 256,
                    (255 - index * 40 - y * 9) & 255));
    return image;
}

QImage solid(QSize size, QRgb colour)
{
    QImage image(size, QImage::Format_RGB888);
    image.fill(colour);
    return image;
}

QByteArray bytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

TEST(ImageSequence, RecognisesFfmpegPatterns)
{
    EXPECT_TRUE(isSequencePattern(QStringLiteral("out/%03d.png")));
    EXPECT_TRUE(isSequencePattern(QStringLiteral("shot_%d.png")));
    EXPECT_FALSE(isSequencePattern(QStringLiteral("out.mp4")));
    EXPECT_FALSE(isSequencePattern(QStringLiteral("%03d/frame.png"))); // the number belongs in the name
    EXPECT_FALSE(isSequencePattern(QStringLiteral("a%d_%d.png")));
    EXPECT_EQ(sequenceFramePath(QStringLiteral("out/%03d.png"), 7), QStringLiteral("out/007.png"));
    EXPECT_EQ(sequenceFramePath(QStringLiteral("out/f%d.png"), 12), QStringLiteral("out/f12.png"));
    EXPECT_EQ(sequenceFramePath(QStringLiteral("%02d.png"), 123), QStringLiteral("123.png"));
    try {
        requireSequencePattern(QStringLiteral("clip.mp4"), "OUT");
        FAIL() << "a video file was accepted";
    } catch (const UnsupportedMediaError& e) {
        EXPECT_NE(std::string(e.what()).find("clip.mp4: not an image-sequence pattern"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("out/%03d.png"), std::string::npos) << e.what();
    }
}

TEST(ImageSequence, RoundTripKeepsEveryPixelExactly)
{
    QTemporaryDir dir;
    const QString pattern = dir.filePath(QStringLiteral("a/b/%03d.png")); // parents created
    const std::vector<QImage> frames { testFrame(0), testFrame(1), testFrame(2) };
    ASSERT_TRUE(writeImageSequence(pattern, frames, false));
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("a/b/002.png"))));
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("a/b/003.png"))));
    EXPECT_EQ(QDir(dir.filePath(QStringLiteral("a/b")))
                  .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                  .size(),
        3)
        << "the temporary folder is gone";
    const auto read = readImageSequence(pattern);
    ASSERT_EQ(read.size(), frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
        ASSERT_EQ(read[i].format(), QImage::Format_RGB888);
        ASSERT_EQ(read[i].size(), frames[i].size());
        for (int y = 0; y < frames[i].height(); ++y)
            for (int x = 0; x < frames[i].width(); ++x)
                ASSERT_EQ(read[i].pixel(x, y), frames[i].pixel(x, y))
                    << "frame " << i << " at " << x << "," << y;
    }
}

TEST(ImageSequence, ReadsFromZeroAndSaysSoWhenASequenceStartsAtOne)
{
    QTemporaryDir dir;
    ASSERT_TRUE(QImage(testFrame(0)).save(dir.filePath(QStringLiteral("001.png"))));
    try {
        readImageSequence(dir.filePath(QStringLiteral("%03d.png")));
        FAIL() << "a sequence without frame 0 was read";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("numbered from 0"), std::string::npos) << e.what();
    }
    ASSERT_TRUE(QImage(testFrame(0, 6, 3)).save(dir.filePath(QStringLiteral("000.png"))));
    EXPECT_THROW(readImageSequence(dir.filePath(QStringLiteral("%03d.png"))), std::runtime_error)
        << "sizes differ";
}

TEST(ImageSequence, ReplacesAnExistingOutputOnlyWhenAsked)
{
    QTemporaryDir dir;
    const QString pattern = dir.filePath(QStringLiteral("%03d.png"));
    ASSERT_TRUE(writeImageSequence(pattern, { testFrame(0), testFrame(1), testFrame(2) }, false));
    const QByteArray before = bytes(dir.filePath(QStringLiteral("000.png")));
    EXPECT_THROW(writeImageSequence(pattern, { testFrame(5) }, false), OutputExistsError);
    EXPECT_EQ(bytes(dir.filePath(QStringLiteral("000.png"))), before);
    // Replacing with fewer frames removes the surplus, so the output reads back as written.
    ASSERT_TRUE(writeImageSequence(pattern, { testFrame(5), testFrame(6) }, true));
    EXPECT_NE(bytes(dir.filePath(QStringLiteral("000.png"))), before);
    EXPECT_EQ(readImageSequence(pattern).size(), 2u);
    EXPECT_EQ(existingSequenceFiles(pattern).size(), 2);
}

TEST(ImageSequence, AFailedWriteLeavesNothingBehind)
{
    QTemporaryDir dir;
    // Frame 1 cannot be encoded: frame 0 is already written by then, into the temporary folder.
    const QString fresh = dir.filePath(QStringLiteral("new/deeper/%03d.png"));
    EXPECT_THROW(
        writeImageSequence(fresh, { testFrame(0), QImage(), testFrame(2) }, false), std::runtime_error);
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("new")))) << "created folders are removed";
    // Over an older output: the older one stays as it was.
    const QString pattern = dir.filePath(QStringLiteral("old/%03d.png"));
    ASSERT_TRUE(writeImageSequence(pattern, { testFrame(0), testFrame(1) }, false));
    const QByteArray before = bytes(dir.filePath(QStringLiteral("old/000.png")));
    EXPECT_THROW(writeImageSequence(pattern, { testFrame(7), QImage() }, true), std::runtime_error);
    EXPECT_EQ(bytes(dir.filePath(QStringLiteral("old/000.png"))), before);
    EXPECT_EQ(QDir(dir.filePath(QStringLiteral("old")))
                  .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                  .size(),
        2);
    // An unwritable destination (a file where a folder must be) writes nothing.
    QFile blocker(dir.filePath(QStringLiteral("file")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    EXPECT_THROW(writeImageSequence(dir.filePath(QStringLiteral("file/x/%03d.png")), { testFrame(0) }, false),
        std::runtime_error);
    // Cancelled before the commit: nothing written, the created folder removed.
    int polls = 0;
    EXPECT_FALSE(writeImageSequence(dir.filePath(QStringLiteral("cancelled/%03d.png")),
        { testFrame(0), testFrame(1) }, false, [&polls] { return ++polls > 1; }));
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("cancelled"))));
    EXPECT_THROW(writeImageSequence(dir.filePath(QStringLiteral("out.mp4")), { testFrame(0) }, false),
        UnsupportedMediaError);
}

TEST(ImageSequence, MasksUseLumaAtOneHundredTwentyEight)
{
    QTemporaryDir dir;
    QImage image(6, 1, QImage::Format_RGB888);
    image.setPixel(0, 0, qRgb(127, 127, 127)); // luma 127
    image.setPixel(1, 0, qRgb(128, 128, 128)); // luma 128
    image.setPixel(2, 0, qRgb(255, 0, 0)); // luma 76: bright red is not masked
    image.setPixel(3, 0, qRgb(0, 255, 0)); // luma 150
    image.setPixel(4, 0, qRgb(0, 0, 255)); // luma 29
    image.setPixel(5, 0, qRgb(255, 255, 255));
    const QString path = dir.filePath(QStringLiteral("mask.png"));
    ASSERT_TRUE(image.save(path));
    const auto masks = readMasks(path);
    ASSERT_EQ(masks.size(), 1u);
    ASSERT_EQ(masks[0].format(), QImage::Format_Grayscale8);
    const uchar* row = masks[0].constScanLine(0);
    const std::vector<int> expected { 0, 255, 0, 255, 0, 255 };
    for (int x = 0; x < 6; ++x)
        EXPECT_EQ(row[x], expected[static_cast<size_t>(x)]) << "pixel " << x;
    // An 8-bit grayscale file reads by the same rule.
    cv::Mat gray(1, 2, CV_8UC1);
    gray.at<uchar>(0, 0) = 200;
    gray.at<uchar>(0, 1) = 100;
    const QString grayPath = dir.filePath(QStringLiteral("gray.png"));
    ASSERT_TRUE(cv::imwrite(QFile::encodeName(grayPath).toStdString(), gray));
    const auto grayMask = readMasks(grayPath);
    EXPECT_EQ(grayMask[0].constScanLine(0)[0], 255);
    EXPECT_EQ(grayMask[0].constScanLine(0)[1], 0);
}

TEST(ImageSequence, PaletteMasksUseTheIndexNotTheColour)
{
    QTemporaryDir dir;
    // Index 0 is white and index 1 black: the luma rule would say the opposite.
    QImage image(3, 1, QImage::Format_Indexed8);
    image.setColorTable({ qRgb(255, 255, 255), qRgb(0, 0, 0), qRgb(10, 10, 10) });
    image.setPixel(0, 0, 0);
    image.setPixel(1, 0, 1);
    image.setPixel(2, 0, 2);
    const QString path = dir.filePath(QStringLiteral("palette.png"));
    ASSERT_TRUE(image.save(path));
    const auto masks = readMasks(path);
    ASSERT_EQ(masks.size(), 1u);
    const uchar* row = masks[0].constScanLine(0);
    EXPECT_EQ(row[0], 0);
    EXPECT_EQ(row[1], 255);
    EXPECT_EQ(row[2], 255);
}

TEST(ImageSequence, OneMaskAppliesToEveryFrameAndOthersAreResizedWithAWarning)
{
    QImage mask(2, 2, QImage::Format_Grayscale8);
    mask.fill(0);
    mask.setPixel(1, 0, qRgb(255, 255, 255)); // top right masked
    QStringList warnings;
    const auto warn = [&warnings](const QString& w) { warnings << w; };
    const auto same = fitMasks({ mask }, 3, QSize(2, 2), warn);
    ASSERT_EQ(same.size(), 3u);
    for (const QImage& m : same)
        EXPECT_EQ(m, mask);
    EXPECT_TRUE(warnings.isEmpty());

    const auto resized = fitMasks({ mask, mask }, 2, QSize(4, 4), warn);
    ASSERT_EQ(resized.size(), 2u);
    ASSERT_EQ(warnings.size(), 1) << "one warning, not one per frame";
    EXPECT_NE(warnings[0].indexOf(QStringLiteral("resized")), -1) << warnings[0].toStdString();
    for (int y = 0; y < 4; ++y) // nearest: every 2x2 block is one source pixel, no blending
        for (int x = 0; x < 4; ++x)
            EXPECT_EQ(resized[1].constScanLine(y)[x], (x >= 2 && y < 2) ? 255 : 0) << x << "," << y;
    EXPECT_THROW(fitMasks({ mask, mask }, 3, QSize(2, 2), warn), std::runtime_error);
}

TEST(ImageSequence, AMaskSequenceGivesOneMaskPerFrame)
{
    QTemporaryDir dir;
    const QString pattern = dir.filePath(QStringLiteral("m%d.png"));
    ASSERT_TRUE(writeImageSequence(
        pattern, { solid(QSize(2, 2), qRgb(0, 0, 0)), solid(QSize(2, 2), qRgb(255, 255, 255)) }, false));
    const auto masks = readMasks(pattern);
    ASSERT_EQ(masks.size(), 2u);
    EXPECT_EQ(masks[0].constScanLine(1)[1], 0);
    EXPECT_EQ(masks[1].constScanLine(1)[1], 255);
}
