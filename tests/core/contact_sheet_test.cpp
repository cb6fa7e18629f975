// The contact sheet of `kinora-cli eval --sheet`: a palette PNG that keeps flat colours exactly,
// every frame of a short clip scaled up to at least 96 px, text wrapped to the row. The whole
// evaluation writes one in tests/app/cli_test.cpp (EvalScoresTextToVideoInpaintingAndInterpolation).

#include "kinora/core/contact_sheet.h"

#include <gtest/gtest.h>

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdlib>
#include <random>

using namespace kinora::core;

namespace {

const QRgb kBlue = qRgb(20, 60, 230);
const QRgb kRed = qRgb(230, 30, 30);
const QRgb kPaper = qRgb(32, 32, 32);

// A red square moving right over blue, `count` frames of 32x32.
std::vector<QImage> movingSquare(int count)
{
    std::vector<QImage> frames;
    for (int t = 0; t < count; ++t) {
        QImage frame(32, 32, QImage::Format_RGB888);
        frame.fill(QColor::fromRgb(kBlue));
        for (int y = 12; y < 20; ++y)
            for (int x = 2 + 2 * t; x < 10 + 2 * t && x < 32; ++x)
                frame.setPixel(x, y, kRed);
        frames.push_back(frame);
    }
    return frames;
}

SheetRow row(std::vector<QImage> frames, const QString& caption)
{
    return { std::move(frames), caption,
        QStringLiteral("read: red (ok) square (ok) right (ok) background blue (ok)") };
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

TEST(ContactSheet, IsASmallPalettePngThatKeepsTheFramesColoursExactly)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sheet.png"));
    const std::vector<SheetRow> rows {
        row(movingSquare(8), QStringLiteral("[seen] a red square moving right on a blue background")),
        row(movingSquare(8), QStringLiteral("[held-out] a red square moving right on a blue background"))
    };
    writeContactSheet(path, rows);

    const QByteArray png = fileBytes(path);
    ASSERT_GT(png.size(), 26);
    EXPECT_EQ(png.mid(12, 4), QByteArray("IHDR"));
    EXPECT_EQ(static_cast<int>(png.at(24)), 8) << "8 bits an index";
    EXPECT_EQ(static_cast<int>(png.at(25)), 3) << "PNG colour type 3: a palette";
    const QImage sheet(path);
    ASSERT_EQ(sheet.format(), QImage::Format_Indexed8);
    EXPECT_LE(sheet.colorCount(), 256);

    // Eight frames of 32 px at 3x (96 px), 4 px apart; two text lines under each row.
    EXPECT_EQ(sheet.width(), 8 * (96 + 4) + 4);
    EXPECT_EQ(sheet.height(), 2 * (4 + 96 + 2 * 16 + 4));
    for (int t = 0; t < 8; ++t) {
        const int left = 4 + t * 100;
        EXPECT_EQ(sheet.pixel(left + 1, 4 + 1), kBlue) << t;
        EXPECT_EQ(sheet.pixel(left + 3 * (2 + 2 * t) + 1, 4 + 3 * 12 + 1), kRed)
            << "frame " << t << " is shown";
    }
    EXPECT_EQ(sheet.pixel(2, 2), kPaper);

    // Small: a truecolour PNG of the same picture is several times larger.
    QByteArray truecolour;
    QBuffer buffer(&truecolour);
    ASSERT_TRUE(buffer.open(QIODevice::WriteOnly));
    ASSERT_TRUE(sheet.convertToFormat(QImage::Format_RGB888).save(&buffer, "PNG"));
    EXPECT_LT(png.size(), 24 * 1024);
    EXPECT_LT(png.size(), truecolour.size() / 2) << png.size() << " vs " << truecolour.size();
}

TEST(ContactSheet, LongClipsShowEveryOtherFrame)
{
    std::vector<QImage> frames;
    for (int t = 0; t < 16; ++t) { // a different grey each frame
        QImage frame(40, 24, QImage::Format_RGB888);
        frame.fill(QColor(t * 10, t * 10, t * 10));
        frames.push_back(frame);
    }
    const QImage sheet = contactSheet({ row(frames, QStringLiteral("[seen] a grey")) });
    const int scale = 4; // the smaller side, 24 px, becomes 96
    EXPECT_EQ(sheet.width(), 8 * (40 * scale + 4) + 4);
    for (int column = 0; column < 8; ++column)
        EXPECT_EQ(qRed(sheet.pixel(4 + column * (40 * scale + 4) + 5, 10)), 2 * column * 10) << column;
}

TEST(ContactSheet, TheTextWrapsToTheRowWidth)
{
    const QString caption = QStringLiteral(
        "[held-out] a small magenta triangle moving quickly up-left and a large cyan circle standing still "
        "on an orange textured background");
    const QImage sheet = contactSheet({ row(movingSquare(2), caption) });
    const int width = 2 * (96 + 4) + 4;
    ASSERT_EQ(sheet.width(), width);
    EXPECT_GT(sheet.height(), 4 + 96 + 4 * 16 + 4) << "the caption and reading take several lines";
    // No ink in the right-hand margin, under the frames.
    for (int y = 4 + 96; y < sheet.height(); ++y)
        for (int x = width - 3; x < width; ++x)
            ASSERT_EQ(sheet.pixel(x, y), kPaper) << x << "," << y;
    int inked = 0; // and the text is there
    for (int y = 4 + 96; y < sheet.height(); ++y)
        for (int x = 0; x < width; ++x)
            inked += qRed(sheet.pixel(x, y)) > 150;
    EXPECT_GT(inked, 500);
}

TEST(ContactSheet, ManyColoursBecomeAPaletteKeepingTheGivenColoursExact)
{
    // A smooth gradient with noise: tens of thousands of colours, plus a block of a flat colour.
    QImage image(256, 128, QImage::Format_RGB888);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> noise(-6, 6);
    const auto clamp = [](int v) { return std::clamp(v, 0, 255); };
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(
                x, y, qRgb(clamp(x + noise(rng)), clamp(2 * y + noise(rng)), clamp(128 + noise(rng))));
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
            image.setPixel(x, y, kRed);
    const QImage indexed = toIndexed8(image, { kRed, qRgb(1, 2, 3) /* not in the image: no entry */ });
    ASSERT_EQ(indexed.format(), QImage::Format_Indexed8);
    EXPECT_LE(indexed.colorCount(), 256);
    EXPECT_EQ(indexed.pixel(5, 5), kRed);
    EXPECT_FALSE(indexed.colorTable().contains(qRgb(1, 2, 3)));
    double error = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb a = image.pixel(x, y), b = indexed.pixel(x, y);
            error += std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b))
                + std::abs(qBlue(a) - qBlue(b));
        }
    error /= 3.0 * image.width() * image.height();
    EXPECT_LT(error, 6.0) << "mean error per channel, in 1/255";

    // Few colours: exactly those.
    QImage flat(8, 8, QImage::Format_RGB888);
    flat.fill(QColor::fromRgb(kBlue));
    flat.setPixel(3, 3, kRed);
    const QImage few = toIndexed8(flat);
    EXPECT_EQ(few.colorCount(), 2);
    EXPECT_EQ(few.pixel(3, 3), kRed);
    EXPECT_EQ(few.pixel(0, 0), kBlue);
}
