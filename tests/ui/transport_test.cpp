// The playhead's clock shared by the timeline, the viewer and the mask painter: clamping, in and
// out points, J/K/L shuttle speeds, and playback that follows the wall clock and loops the range.

#include "gui_test_support.h"

#include "kinora/ui/transport.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace kinora;

TEST(Transport, ThePlayheadStaysOnTheTimelineAndStepsPause)
{
    ui::Transport t;
    t.setDuration(100);
    t.setPlayhead(250);
    EXPECT_EQ(t.playhead(), 99);
    t.setPlayhead(-3);
    EXPECT_EQ(t.playhead(), 0);
    t.play();
    t.step(5);
    EXPECT_FALSE(t.isPlaying());
    EXPECT_EQ(t.playhead(), 5);
    t.setDuration(3); // the timeline got shorter: the playhead follows
    EXPECT_EQ(t.playhead(), 2);
}

TEST(Transport, InAndOutPointsNeverCross)
{
    ui::Transport t;
    t.setDuration(100);
    QSignalSpy range(&t, &ui::Transport::rangeChanged);
    t.setInPoint(10);
    t.setOutPoint(40);
    EXPECT_TRUE(t.hasRange());
    t.setInPoint(50); // after out: out is cleared
    EXPECT_EQ(t.inPoint(), 50);
    EXPECT_EQ(t.outPoint(), -1);
    EXPECT_FALSE(t.hasRange());
    t.setOutPoint(20); // before in: in is cleared
    EXPECT_EQ(t.inPoint(), -1);
    EXPECT_EQ(t.outPoint(), 20);
    t.clearInOut();
    EXPECT_EQ(t.outPoint(), -1);
    EXPECT_EQ(range.count(), 5);
}

TEST(Transport, ShuttleDoublesUpToEightTimesEachWay)
{
    ui::Transport t;
    t.setDuration(1000);
    t.setPlayhead(500);
    t.shuttleForward();
    EXPECT_EQ(t.speed(), 1);
    t.shuttleForward();
    t.shuttleForward();
    t.shuttleForward();
    t.shuttleForward();
    EXPECT_EQ(t.speed(), 8);
    t.shuttleBackward(); // J while going forward: backwards at 1x
    EXPECT_EQ(t.speed(), -1);
    t.shuttleBackward();
    EXPECT_EQ(t.speed(), -2);
    t.stop();
    EXPECT_FALSE(t.isPlaying());
    t.togglePlay();
    EXPECT_EQ(t.speed(), 1);
    t.pause();
}

TEST(Transport, PlaybackFollowsTheClockAndLoopsTheMarkedRange)
{
    ui::Transport t;
    t.setRate({ 100, 1 });
    t.setDuration(1000);
    t.setInPoint(10);
    t.setOutPoint(29); // 20 frames: 0.2 s a loop at 100 fps
    std::vector<qint64> frames;
    QObject::connect(&t, &ui::Transport::playheadChanged, [&](qint64 f) { frames.push_back(f); });
    t.play(); // the playhead was outside the range: it starts at in
    ASSERT_TRUE(test::waitFor([&] { return frames.size() > 40; }, 5000));
    t.pause();
    EXPECT_EQ(frames.front(), 10);
    bool looped = false;
    for (size_t i = 0; i < frames.size(); ++i) {
        EXPECT_GE(frames[i], 10);
        EXPECT_LE(frames[i], 29);
        if (i > 0 && frames[i] < frames[i - 1])
            looped = true;
    }
    EXPECT_TRUE(looped);

    // Without a range it stops at the last frame.
    t.clearInOut();
    t.setPlayhead(990);
    QSignalSpy playing(&t, &ui::Transport::playingChanged);
    t.play();
    ASSERT_TRUE(test::waitFor([&] { return !t.isPlaying(); }, 5000));
    EXPECT_EQ(t.playhead(), 999);
}
