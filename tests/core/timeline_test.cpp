// The timeline model (timeline.h): overwrite edits, trims within the source, split, snapping, what
// the cut shows, and its JSON (damaged input refused).

#include "kinora/core/project.h"
#include "kinora/core/timeline.h"

#include <gtest/gtest.h>

#include <QJsonArray>

using namespace kinora::core;

namespace {

TimelineClip clipOf(const QString& source, int64_t sourceFrames, int64_t start, int64_t length, int track = 0,
    int64_t sourceIn = 0)
{
    TimelineClip c;
    c.sourceId = source;
    c.sourceFrames = sourceFrames;
    c.sourceIn = sourceIn;
    c.start = start;
    c.length = length;
    c.track = track;
    return c;
}

// No two clips of a track share a frame.
bool noOverlaps(const Timeline& t)
{
    for (const TimelineClip& a : t.clips())
        for (const TimelineClip& b : t.clips())
            if (a.id != b.id && a.track == b.track && a.start < b.end() && b.start < a.end())
                return false;
    return true;
}

} // namespace

TEST(Timeline, PlacingOverAClipSplitsItAroundTheNewOne)
{
    Timeline t;
    const QString a = t.add(clipOf("take-a", 100, 0, 100));
    const QString b = t.add(clipOf("take-b", 20, 40, 20));
    ASSERT_EQ(t.clips().size(), 3u);
    EXPECT_TRUE(noOverlaps(t));
    EXPECT_EQ(t.clip(a)->length, 40);
    EXPECT_EQ(t.clipAt(0, 50)->id, b);
    const TimelineClip* rest = t.clipAt(0, 60);
    ASSERT_NE(rest, nullptr);
    EXPECT_NE(rest->id, a);
    EXPECT_NE(rest->id, b);
    EXPECT_EQ(rest->sourceId, "take-a");
    EXPECT_EQ(rest->sourceFrameAt(60), 60); // the same source frame as before the edit
    EXPECT_EQ(rest->end(), 100);
}

TEST(Timeline, MovingOverwritesAndTheHighestTrackIsShown)
{
    Timeline t;
    const QString a = t.add(clipOf("a", 50, 0, 50));
    const QString b = t.add(clipOf("b", 30, 60, 30));
    ASSERT_TRUE(t.move(b, 40, 0)); // over a's last 10 frames
    EXPECT_EQ(t.clip(a)->end(), 40);
    EXPECT_TRUE(noOverlaps(t));
    ASSERT_TRUE(t.move(b, 10, 1)); // to the track above: a is not touched any more
    EXPECT_EQ(t.clip(a)->end(), 40);
    const TimelineHit hit = t.shownAt(15);
    ASSERT_NE(hit.clip, nullptr);
    EXPECT_EQ(hit.clip->id, b);
    EXPECT_EQ(hit.sourceFrame, 5);
    EXPECT_EQ(t.shownAt(39).clip->id, b);
    EXPECT_EQ(t.shownAt(39).sourceFrame, 29);
    EXPECT_EQ(t.shownAt(40).clip, nullptr);
    EXPECT_EQ(t.duration(), 40);
    ASSERT_TRUE(t.move(b, 5, 7));
    EXPECT_EQ(t.trackCount(), 8);
}

TEST(Timeline, TrimsStayInsideTheSourceAndKeepTheFramesInPlace)
{
    Timeline t;
    const QString a = t.add(clipOf("a", 100, 20, 50, 0, 10)); // source frames 10..59 at 20..69
    ASSERT_TRUE(t.trimStart(a, 25));
    EXPECT_EQ(t.clip(a)->start, 25);
    EXPECT_EQ(t.clip(a)->sourceFrameAt(25), 15); // the frame under 25 did not change
    ASSERT_TRUE(t.trimStart(a, 0)); // only 10 source frames before: stops at 10
    EXPECT_EQ(t.clip(a)->start, 10);
    EXPECT_EQ(t.clip(a)->sourceIn, 0);
    ASSERT_TRUE(t.trimEnd(a, 500)); // source ends at 100
    EXPECT_EQ(t.clip(a)->end(), 110);
    ASSERT_TRUE(t.trimEnd(a, -5)); // at least one frame
    EXPECT_EQ(t.clip(a)->length, 1);
    const QString b = t.add(clipOf("b", 40, 20, 40));
    ASSERT_TRUE(t.trimEnd(a, 30)); // grows over b's first 19 frames
    EXPECT_EQ(t.clip(b)->start, 30);
    EXPECT_EQ(t.clip(b)->sourceFrameAt(30), 10);
    EXPECT_TRUE(noOverlaps(t));
    EXPECT_FALSE(t.trimEnd("nothing", 3));
}

TEST(Timeline, SplitMakesTwoClipsThatShowTheSameFrames)
{
    Timeline t;
    const QString a = t.add(clipOf("a", 60, 5, 60));
    std::vector<int64_t> before;
    for (int64_t f = 5; f < 65; ++f)
        before.push_back(t.shownAt(f).sourceFrame);
    const auto b = t.split(a, 30);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(t.clip(a)->end(), 30);
    EXPECT_EQ(t.clip(*b)->start, 30);
    for (int64_t f = 5; f < 65; ++f)
        EXPECT_EQ(t.shownAt(f).sourceFrame, before[static_cast<size_t>(f - 5)]) << f;
    EXPECT_FALSE(t.split(a, 5).has_value()); // at its first frame: nothing to split
    EXPECT_FALSE(t.split(a, 30).has_value()); // past its end
}

TEST(Timeline, SnapFindsTheNearestEdgeWithinTolerance)
{
    Timeline t;
    const QString a = t.add(clipOf("a", 50, 10, 40)); // edges 10 and 50
    const QString b = t.add(clipOf("b", 50, 80, 20, 1)); // edges 80 and 100
    EXPECT_EQ(t.snap(53, 5), 50);
    EXPECT_EQ(t.snap(56, 5), 56);
    EXPECT_EQ(t.snap(78, 5, b), 78); // b's own edges ignored while dragging b
    EXPECT_EQ(t.snap(78, 5), 80);
    EXPECT_EQ(t.snap(63, 5, {}, { 61 }), 61); // the playhead
    EXPECT_EQ(t.snap(3, 5), 0);
    (void)a;
}

TEST(Timeline, JsonRoundTripsAndDamageIsRefused)
{
    Timeline t;
    t.setRate({ 30000, 1001 });
    TimelineClip withSound = clipOf("media-1", 300, 0, 120);
    withSound.source = TimelineClip::Source::Media;
    withSound.hasAudio = true;
    t.add(withSound);
    t.add(clipOf("take-2", 16, 100, 16, 2));
    const Timeline back = Timeline::fromJson(t.toJson());
    EXPECT_EQ(back, t);

    QJsonObject overlapping = t.toJson();
    QJsonArray clips = overlapping["clips"].toArray();
    QJsonObject moved = clips[1].toObject();
    moved["track"] = 0;
    clips[1] = moved;
    overlapping["clips"] = clips;
    EXPECT_THROW(Timeline::fromJson(overlapping), ProjectError);

    QJsonObject pastSource = t.toJson();
    clips = pastSource["clips"].toArray();
    QJsonObject longer = clips[0].toObject();
    longer["length"] = 301;
    clips[0] = longer;
    pastSource["clips"] = clips;
    EXPECT_THROW(Timeline::fromJson(pastSource), ProjectError);

    QJsonObject badRate = t.toJson();
    badRate["rate"] = "fast";
    EXPECT_THROW(Timeline::fromJson(badRate), ProjectError);
    EXPECT_THROW(t.add(clipOf("x", 10, 0, 11)), std::invalid_argument);
}

TEST(Timeline, AClipAtTwiceTheRateLinesUpWithItsSourceByTime)
{
    // A take interpolated 2x from 61 frames at 30 fps: 121 frames at 60 fps on a 30 fps timeline.
    TimelineClip c = clipOf("take-2x", 121, 10, 61);
    c.sourceStep = conformStep({ 60, 1 }, { 30, 1 });
    EXPECT_EQ(c.sourceStep, (Rational { 2, 1 }));
    EXPECT_EQ(c.maxLength(0), 61); // as long as the 61-frame source it came from
    Timeline t;
    const QString id = t.add(c);
    EXPECT_EQ(t.clip(id)->sourceFrameAt(10), 0);
    EXPECT_EQ(t.clip(id)->sourceFrameAt(70), 120); // the last timeline frame shows the last frame
    // Exported at 60 fps, the frame between two timeline frames is the take's own in-between.
    EXPECT_EQ(t.clip(id)->sourceFrameAtTime(1.5 / 60.0 + 1e-9, { 30, 1 }), 1);
    ASSERT_TRUE(t.trimEnd(id, 200));
    EXPECT_EQ(t.clip(id)->length, 61);
    // Trimming the start keeps every later frame where it was.
    ASSERT_TRUE(t.trimStart(id, 20));
    EXPECT_EQ(t.clip(id)->sourceIn, 20);
    EXPECT_EQ(t.clip(id)->sourceFrameAt(40), 60);
    ASSERT_TRUE(t.trimStart(id, 0)); // back out as far as the source reaches: frame 10
    EXPECT_EQ(t.clip(id)->start, 10);
    EXPECT_EQ(t.clip(id)->sourceIn, 0);
}

TEST(Timeline, SlowerSourcesRepeatFramesAndStillsLastAsLongAsAsked)
{
    TimelineClip c = clipOf("media-24", 48, 0, 60); // 2 s at 24 fps on a 30 fps timeline
    c.sourceStep = conformStep({ 24, 1 }, { 30, 1 });
    EXPECT_EQ(c.sourceStep, (Rational { 4, 5 }));
    EXPECT_EQ(c.maxLength(0), 60);
    EXPECT_EQ(c.sourceFrameAt(59), 47);
    EXPECT_EQ(c.sourceFrameAt(5), 4);
    c.length = 61;
    Timeline t;
    EXPECT_THROW(t.add(c), std::invalid_argument); // one frame past the source's end

    TimelineClip still = clipOf("media-png", 1, 0, 150);
    still.sourceStep = conformStep({}, { 30, 1 }, true);
    const QString id = t.add(still);
    ASSERT_TRUE(t.trimEnd(id, 1000));
    EXPECT_EQ(t.clip(id)->length, 1000);
    EXPECT_EQ(t.clip(id)->sourceFrameAt(999), 0);

    // The conversion survives the file; a damaged one is refused.
    Timeline back = Timeline::fromJson(t.toJson());
    EXPECT_EQ(back, t);
    QJsonObject json = t.toJson();
    QJsonArray clips = json["clips"].toArray();
    QJsonObject first = clips[0].toObject();
    first["source_step"] = "fast";
    clips[0] = first;
    json["clips"] = clips;
    EXPECT_THROW(Timeline::fromJson(json), ProjectError);
}
