// The mask keyframe rule (mask_keyframes.h): signed-distance blending between keys, holds outside
// them, empty and full keys, keys returned as painted.

#include "kinora/core/mask_keyframes.h"

#include <gtest/gtest.h>

#include <QPainter>
#include <QTemporaryDir>

#include "kinora/core/image_sequence.h"

#include <cmath>

using namespace kinora::core;

namespace {

constexpr int kW = 160, kH = 120;

QImage disc(double cx, double cy, double r)
{
    QImage mask(kW, kH, QImage::Format_Grayscale8);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            mask.scanLine(y)[x] = std::hypot(x - cx, y - cy) <= r ? 255 : 0;
    return mask;
}

QImage filled(uchar value)
{
    QImage mask(kW, kH, QImage::Format_Grayscale8);
    mask.fill(value);
    return mask;
}

int count(const QImage& mask)
{
    int n = 0;
    for (int y = 0; y < mask.height(); ++y)
        for (int x = 0; x < mask.width(); ++x)
            n += mask.constScanLine(y)[x] >= 128;
    return n;
}

// Pixels where the two masks disagree (by the >= 128 rule).
int differing(const QImage& a, const QImage& b)
{
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            n += (a.constScanLine(y)[x] >= 128) != (b.constScanLine(y)[x] >= 128);
    return n;
}

} // namespace

TEST(MaskKeyframes, ConcentricDiscsMorphTheRadiusLinearly)
{
    // Keys on frames 0 and 10: discs of radius 10 and 30. Frame 5 is the disc of radius 20 and
    // frame 3 the one of radius 16 (a cross-fade at the jobs' threshold would give radius 30 or 10).
    MaskTrack track;
    track.setKey(0, disc(80, 60, 10));
    track.setKey(10, disc(80, 60, 30));
    for (const auto& [frame, radius] :
        { std::pair { 5, 20.0 }, std::pair { 3, 16.0 }, std::pair { 8, 26.0 } }) {
        const QImage made = track.maskAt(frame);
        ASSERT_EQ(made.format(), QImage::Format_Grayscale8);
        const QImage truth = disc(80, 60, radius);
        // Only the pixels on the circle itself may fall either way.
        EXPECT_LE(differing(made, truth), static_cast<int>(2 * M_PI * radius * 0.5)) << "frame " << frame;
        EXPECT_NEAR(count(made), M_PI * radius * radius, 2 * M_PI * radius * 0.5) << "frame " << frame;
    }
}

TEST(MaskKeyframes, EqualKeysGiveTheSameMaskBetweenThem)
{
    const QImage key = disc(50, 40, 17);
    MaskTrack track;
    track.setKey(2, key);
    track.setKey(9, key);
    for (int frame = 3; frame < 9; ++frame)
        EXPECT_EQ(differing(track.maskAt(frame), key), 0) << "frame " << frame;
}

TEST(MaskKeyframes, AMovingShapeStaysInOnePieceBetweenKeys)
{
    // A disc moving 20 px: the in-between is one blob over the middle position, not two ghosts.
    const QImage made = interpolateMasks(disc(60, 60, 25), disc(80, 60, 25), 0.5);
    EXPECT_EQ(made.constScanLine(60)[70], 255); // the middle position's centre
    EXPECT_EQ(made.constScanLine(60)[37], 0); // the first disc's left edge has moved on
    EXPECT_EQ(made.constScanLine(60)[103], 0); // the second disc's right edge is not reached yet
    EXPECT_GT(count(made), 0.8 * M_PI * 25 * 25);
}

TEST(MaskKeyframes, AnEmptyKeyShrinksTheShapeAwayAndAFullOneGrowsItToTheFrame)
{
    const QImage shape = disc(80, 60, 30);
    int last = count(shape) + 1;
    for (double t : { 0.1, 0.4, 0.7, 0.95 }) {
        const int n = count(interpolateMasks(shape, filled(0), t));
        EXPECT_LT(n, last) << "t " << t;
        EXPECT_GT(n, 0) << "t " << t;
        last = n;
    }
    EXPECT_EQ(differing(interpolateMasks(filled(0), shape, 0.999), shape), 0);
    last = count(shape) - 1;
    for (double t : { 0.1, 0.4, 0.7 }) {
        const int n = count(interpolateMasks(shape, filled(255), t));
        EXPECT_GT(n, last) << "t " << t;
        last = n;
    }
    EXPECT_EQ(count(interpolateMasks(filled(0), filled(0), 0.5)), 0);
}

TEST(MaskKeyframes, KeysAreReturnedAsPaintedAndHeldOutsideTheKeys)
{
    MaskTrack track;
    EXPECT_TRUE(track.maskAt(4).isNull());
    QImage soft = filled(0);
    {
        QPainter p(&soft);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(100, 100, 100)); // a soft stroke below the jobs' threshold
        p.drawEllipse(QPoint(40, 40), 12, 12);
    }
    track.setKey(5, soft);
    track.setKey(20, disc(100, 60, 15));
    EXPECT_EQ(track.maskAt(5), soft); // a key keeps its soft values
    EXPECT_EQ(track.maskAt(0), soft); // before the first key: held
    EXPECT_EQ(track.maskAt(30), track.maskAt(20)); // after the last: held
    EXPECT_EQ(track.previousKey(12), 5);
    EXPECT_EQ(track.nextKey(12), 20);
    EXPECT_EQ(track.previousKey(4), -1);
    EXPECT_EQ(track.nextKey(21), -1);
    // The soft key counts as empty by the threshold, so frame 19 is the disc shrunk, not grown.
    EXPECT_LT(count(track.maskAt(19)), count(track.maskAt(20)));
    EXPECT_GT(count(track.maskAt(19)), 0);
    track.setKey(20, QImage());
    EXPECT_FALSE(track.isKey(20));
    EXPECT_EQ(track.maskAt(30), soft);
}

TEST(MaskKeyframes, AKeyOfAnotherSizeIsResizedToTheEarlierKey)
{
    const QImage small
        = disc(80, 60, 20).scaled(kW / 2, kH / 2, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    const QImage made = interpolateMasks(disc(80, 60, 20), small, 0.5);
    EXPECT_EQ(made.size(), QSize(kW, kH));
    EXPECT_LE(differing(made, disc(80, 60, 20)), 0.1 * M_PI * 20 * 20);
}

TEST(MaskKeyframes, AWrittenSequenceIsWhatTheJobsReadBack)
{
    MaskTrack track;
    track.setKey(10, disc(80, 60, 10));
    track.setKey(20, disc(80, 60, 30));
    QTemporaryDir dir;
    const QString pattern = dir.filePath(QStringLiteral("masks/%04d.png"));
    // Frames 14..16 of the source become files 0..2; the middle one is the midpoint (radius 20).
    ASSERT_TRUE(writeMaskSequence(track, 14, 3, QSize(kW, kH), pattern));
    const auto masks = readMasks(pattern);
    ASSERT_EQ(masks.size(), 3u);
    EXPECT_LE(differing(masks[1], track.maskAt(15)), 0);
    EXPECT_NEAR(count(masks[1]), M_PI * 20 * 20, M_PI * 2 * 20 * 1.5);
    // Cancelling removes what was written.
    const QString other = dir.filePath(QStringLiteral("cancel/%04d.png"));
    EXPECT_FALSE(writeMaskSequence(track, 0, 5, QSize(kW, kH), other, [](int64_t done) { return done < 2; }));
    EXPECT_TRUE(existingSequenceFiles(other).isEmpty());
    // No key at all: empty masks of the asked size.
    ASSERT_TRUE(
        writeMaskSequence(MaskTrack {}, 0, 1, QSize(32, 24), dir.filePath(QStringLiteral("none/%d.png"))));
    const QImage none(dir.filePath(QStringLiteral("none/0.png")));
    EXPECT_EQ(none.size(), QSize(32, 24));
    EXPECT_EQ(count(none), 0);
}
