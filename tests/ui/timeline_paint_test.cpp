// What the timeline view paints and when: a clip's thumbnails (a neutral fill until the frame
// arrives), the playhead, the audio lane; the cached static layer rebuilt once per scroll and not at
// all when only the playhead moves; the ruler's timecode and tick spacing.

#include "timeline_fixture.h"
#include "timeline_ruler.h"

#include <QImage>
#include <QLabel>
#include <QScrollBar>
#include <QSlider>
#include <QToolButton>

#include <gtest/gtest.h>

using namespace kinora;
using test::TimelineViewTest;

namespace {

// The colour at `pos` in widget coordinates (the grab may be at a device pixel ratio above 1).
QColor pixel(const QImage& image, QPointF pos)
{
    return image.pixelColor((pos * image.devicePixelRatio()).toPoint());
}

bool near(QColor a, QColor b, int tolerance = 3)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

TEST_F(TimelineViewTest, AClipShowsItsThumbnailsAndThePlayheadItsLine)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48) });
    transport.setPlayhead(30);
    const QString id = project->timeline().clips().front().id;
    const QRectF clip = view->clipRect(id);
    const QImage image = view->grab().toImage();
    // Below the name band, inside the clip: the frame's colour.
    const QPointF inside(clip.left() + 20, clip.bottom() - 6);
    EXPECT_TRUE(near(pixel(image, inside), kTakeColour)) << pixel(image, inside).name().toStdString();

    // The playhead line crosses the empty track above.
    const int x = view->playheadX();
    EXPECT_EQ(x, static_cast<int>(view->layout().xForFrame(30)));
    const QPointF onLine(x, view->layout().trackRect(2).center().y());
    EXPECT_TRUE(near(pixel(image, onLine), QColor(0xe5, 0x48, 0x4d)))
        << pixel(image, onLine).name().toStdString();
    const QPointF besideLine(x + 3, onLine.y());
    EXPECT_FALSE(near(pixel(image, besideLine), QColor(0xe5, 0x48, 0x4d), 40));
}

TEST_F(TimelineViewTest, ThumbnailsNotDecodedYetAreANeutralFillUntilTheyArrive)
{
    frames.setDeferred(true);
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48) });
    const QRectF clip = view->clipRect(project->timeline().clips().front().id);
    const QPointF inside(clip.left() + 20, clip.bottom() - 6);
    const QColor waiting = pixel(view->grab().toImage(), inside);
    EXPECT_FALSE(near(waiting, kTakeColour, 30)) << waiting.name().toStdString();
    const int builds = view->cacheBuilds();

    // frameReady for the frames it asked for: the cache is rebuilt and the colour shows.
    EXPECT_TRUE(
        test::waitFor([&] { return near(pixel(view->grab().toImage(), inside), kTakeColour); }, 5000));
    EXPECT_GT(view->cacheBuilds(), builds);
}

TEST_F(TimelineViewTest, ClipsWithSoundHaveABarOnTheAudioLane)
{
    const core::MediaRecord street
        = test::addFakeMedia(*project, QStringLiteral("street"), 48, { 24, 1 }, true);
    core::TimelineClip loud = test::fakeClip(street.id, 0, 48, 1, 48);
    loud.source = core::TimelineClip::Source::Media;
    loud.hasAudio = true;
    setClips({ loud, test::fakeClip(take.id, 60, 40, 0, 48) });
    const ui::TimelineLayout layout = view->layout();
    const QImage image = view->grab().toImage();
    const double y = layout.audioRect().center().y();
    const QColor bar = pixel(image, { layout.xForFrame(24), y });
    const QColor silent = pixel(image, { layout.xForFrame(80), y });
    EXPECT_TRUE(near(bar, QColor(0x2f, 0x6e, 0x4f), 4)) << bar.name().toStdString();
    EXPECT_FALSE(near(silent, bar, 10)) << "the take has no sound: no bar under it";
}

TEST_F(TimelineViewTest, AHundredClipsPaintAndAScrollRebuildsTheCacheOnce)
{
    const core::TakeRecord longTake = test::addFakeTake(*project, QStringLiteral("Long"), 4000, 24);
    test::addFakeFrames(frames, *project, longTake.id, kTakeColour);
    std::vector<core::TimelineClip> clips;
    for (int i = 0; i < 100; ++i)
        clips.push_back(test::fakeClip(longTake.id, i * 30, 28, i % 3, 4000, i * 10));
    setClips(clips);
    ASSERT_EQ(project->timeline().clips().size(), 100u);
    view->grab();

    // The playhead moving costs no rebuild: it is drawn over the cache.
    int builds = view->cacheBuilds();
    transport.setPlayhead(100);
    view->grab();
    EXPECT_EQ(view->cacheBuilds(), builds);

    // A scroll: one rebuild, then none while nothing changes.
    view->setScroll(2000);
    view->grab();
    view->grab();
    EXPECT_EQ(view->cacheBuilds(), builds + 1);
    const QRectF clip = view->clipRect(project->timeline().clipAt(0, 540)->id);
    EXPECT_TRUE(near(pixel(view->grab().toImage(), { clip.left() + 10, clip.bottom() - 6 }), kTakeColour));

    // A frame nobody painted arriving changes nothing; zoom and resize rebuild.
    builds = view->cacheBuilds();
    Q_EMIT frames.frameReady(longTake.id, 3999);
    view->grab();
    EXPECT_EQ(view->cacheBuilds(), builds);
    view->zoomBy(2, 300);
    view->grab();
    EXPECT_EQ(view->cacheBuilds(), builds + 1);
}

TEST_F(TimelineViewTest, ThePanelKeepsTheTransportInStepAndShowsTimecode)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48) });
    EXPECT_EQ(transport.duration(), 48);
    transport.setPlayhead(30);
    auto* label = panel->findChild<QLabel*>(QStringLiteral("timecodeLabel"));
    ASSERT_TRUE(label);
    EXPECT_EQ(label->text(), QStringLiteral("00:00:01:06 / 00:00:02:00"));

    core::Timeline timeline = project->timeline();
    timeline.setRate({ 30000, 1001 });
    project->setTimeline(timeline);
    EXPECT_EQ(transport.rate(), (core::Rational { 30000, 1001 }));

    // The scrollbar and the view scroll together; the zoom buttons zoom.
    setClips({ test::fakeClip(take.id, 1000, 48, 1, 48) });
    auto* scrollBar = panel->findChild<QScrollBar*>(QStringLiteral("timelineScrollBar"));
    ASSERT_TRUE(scrollBar);
    EXPECT_GE(scrollBar->maximum(), 4 * 1048 - view->width());
    scrollBar->setValue(300);
    EXPECT_EQ(view->scroll(), 300);
    view->setScroll(500);
    EXPECT_EQ(scrollBar->value(), 500);
    panel->findChild<QToolButton*>(QStringLiteral("zoomInButton"))->click();
    EXPECT_DOUBLE_EQ(view->zoom(), 6);
    auto* slider = panel->findChild<QSlider*>(QStringLiteral("zoomSlider"));
    const int position = slider->value();
    panel->findChild<QToolButton*>(QStringLiteral("zoomOutButton"))->click();
    EXPECT_DOUBLE_EQ(view->zoom(), 4);
    EXPECT_LT(slider->value(), position);
    slider->setValue(slider->maximum());
    EXPECT_NEAR(view->zoom(), ui::TimelineView::kMaxZoom, 1e-9);

    panel->setProject(nullptr);
    EXPECT_EQ(transport.duration(), 0);
    view->grab(); // empty tracks, no crash
}

TEST(TimelineRuler, TimecodeAndTicksFollowTheRateAndZoom)
{
    EXPECT_EQ(ui::timecode(0, { 24, 1 }), QStringLiteral("00:00:00:00"));
    EXPECT_EQ(ui::timecode(24 * 3661 + 5, { 24, 1 }), QStringLiteral("01:01:01:05"));
    EXPECT_EQ(ui::timecode(31, { 30000, 1001 }), QStringLiteral("00:00:01:01"));
    // Close up, labels every few frames; far out, every few minutes; never closer than asked.
    const ui::RulerTicks close = ui::rulerTicks({ 24, 1 }, 40);
    EXPECT_EQ(close.major, 3) << "a step that divides the second, so each second is labelled";
    EXPECT_EQ(close.minor, 1);
    EXPECT_EQ(ui::rulerTicks({ 25, 1 }, 40).major, 5);
    const ui::RulerTicks far = ui::rulerTicks({ 24, 1 }, 0.01);
    EXPECT_EQ(far.major, 600 * 24);
    for (double zoom : { 0.003, 0.05, 0.7, 3.0, 12.0, 64.0 }) {
        const ui::RulerTicks ticks = ui::rulerTicks({ 25, 1 }, zoom);
        EXPECT_GE(double(ticks.major) * zoom, 96) << zoom;
        if (ticks.minor > 0) {
            EXPECT_GE(double(ticks.minor) * zoom, 6) << zoom;
        }
    }
}

} // namespace
