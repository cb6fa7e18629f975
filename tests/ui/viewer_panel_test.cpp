// The viewer as a user sees it: the cut's top clip at the playhead, fitted and letterboxed in black;
// the old picture kept while the next frame decodes; frame-accurate keys; the transport bar; a bin
// item viewed by itself on its own transport.

#include "viewer_fixture.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

using namespace kinora;
using test::near;
using test::ViewerTest;

namespace {

TEST_F(ViewerTest, ShowsTheTopClipAtThePlayheadFittedInBlack)
{
    // street on V1 over frames 0..29, sky on V2 over 10..19 from its frame 5; nothing at 30..39;
    // street again at 40..47 from its frame 20.
    setClips({ mediaClip(street.id, 0, 30, 0, 48), mediaClip(sky.id, 10, 10, 1, 30, 5),
        mediaClip(street.id, 40, 8, 0, 48, 20) });
    QSignalSpy shown(panel.get(), &ui::ViewerPanel::pictureShown);

    transport.setPlayhead(3);
    EXPECT_TRUE(near(centreColour(), streetColour(3)));
    EXPECT_EQ(panel->currentSourceId(), street.id);
    EXPECT_EQ(panel->currentFrame(), 3);
    ASSERT_GE(shown.count(), 1);
    EXPECT_EQ(shown.last().at(0).toString(), street.id);
    EXPECT_EQ(shown.last().at(1).toLongLong(), 3);

    // The highest track wins, at its own source frame.
    transport.setPlayhead(12);
    EXPECT_TRUE(near(centreColour(), skyColour(7)));
    EXPECT_EQ(panel->currentFrame(), 7);

    // 16:9 in a taller widget: the frame spans the width, black bars above and below.
    const QRect frame = canvas->frameRect();
    EXPECT_EQ(frame.width(), canvas->width());
    EXPECT_NEAR(double(frame.width()) / frame.height(), 640.0 / 360.0, 0.01);
    ASSERT_GT(frame.top(), 2);
    const QImage image = canvas->grab().toImage();
    EXPECT_EQ(image.pixelColor(QPoint(canvas->width() / 2, 1)), QColor(Qt::black));

    // Nowhere: black.
    transport.setPlayhead(35);
    EXPECT_TRUE(panel->currentPicture().isNull());
    EXPECT_EQ(centreColour(), QColor(Qt::black));
    transport.setPlayhead(41);
    EXPECT_TRUE(near(centreColour(), streetColour(21)));

    // An edit under the playhead shows at once.
    core::Timeline timeline = project->timeline();
    timeline.add(mediaClip(sky.id, 40, 5, 2, 30, 0));
    project->setTimeline(timeline);
    EXPECT_TRUE(near(centreColour(), skyColour(1)));

    // The viewer never sizes the main transport: that is the timeline panel's.
    EXPECT_EQ(transport.duration(), 48);
}

TEST_F(ViewerTest, KeepsTheLastPictureWhileTheNextDecodes)
{
    setClips({ mediaClip(street.id, 0, 48, 0, 48) });
    transport.setPlayhead(2);
    ASSERT_TRUE(near(centreColour(), streetColour(2)));

    frames.setDeferred(true);
    QSignalSpy shown(panel.get(), &ui::ViewerPanel::pictureShown);
    transport.setPlayhead(20);
    // Not decoded yet: frame 2 stays up, no flash of black.
    EXPECT_EQ(panel->currentFrame(), 2);
    EXPECT_TRUE(near(centreColour(), streetColour(2)));
    ASSERT_TRUE(test::waitFor([&] { return panel->currentFrame() == 20; }, 5000));
    EXPECT_TRUE(near(centreColour(), streetColour(20)));
    ASSERT_TRUE(
        test::waitFor([&] { return shown.count() > 0 && shown.last().at(1).toLongLong() == 20; }, 5000));

    // A frame that arrives after the playhead moved on is not shown over the newer one.
    transport.setPlayhead(30);
    transport.setPlayhead(31);
    ASSERT_TRUE(test::waitFor([&] { return panel->currentFrame() == 31; }, 5000));
    QTest::qWait(20);
    EXPECT_EQ(panel->currentFrame(), 31);
}

TEST_F(ViewerTest, KeysStepTheTransportFrameByFrame)
{
    setClips({ mediaClip(street.id, 0, 48, 0, 48) });
    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_Right);
    EXPECT_EQ(transport.playhead(), 1);
    EXPECT_EQ(panel->currentFrame(), 1);
    EXPECT_TRUE(near(centreColour(), streetColour(1)));
    QTest::keyClick(canvas, Qt::Key_Right, Qt::ShiftModifier);
    EXPECT_EQ(transport.playhead(), 25);
    QTest::keyClick(canvas, Qt::Key_Left);
    EXPECT_EQ(transport.playhead(), 24);
    EXPECT_EQ(panel->currentFrame(), 24);
    QTest::keyClick(canvas, Qt::Key_Left, Qt::ShiftModifier);
    EXPECT_EQ(transport.playhead(), 0);
    QTest::keyClick(canvas, Qt::Key_End);
    EXPECT_EQ(transport.playhead(), 47);
    QTest::keyClick(canvas, Qt::Key_Home);
    EXPECT_EQ(transport.playhead(), 0);

    QTest::keyClick(canvas, Qt::Key_Space);
    EXPECT_TRUE(transport.isPlaying());
    QTest::keyClick(canvas, Qt::Key_Space);
    EXPECT_FALSE(transport.isPlaying());
    QTest::keyClick(canvas, Qt::Key_L);
    QTest::keyClick(canvas, Qt::Key_L);
    EXPECT_EQ(transport.speed(), 2);
    QTest::keyClick(canvas, Qt::Key_K);
    EXPECT_EQ(transport.speed(), 0);
    QTest::keyClick(canvas, Qt::Key_J);
    EXPECT_EQ(transport.speed(), -1);
    QTest::keyClick(canvas, Qt::Key_K);
    // A step pauses playback first.
    transport.play();
    QTest::keyClick(canvas, Qt::Key_Right);
    EXPECT_FALSE(transport.isPlaying());
}

TEST_F(ViewerTest, TheTransportBarDrivesThePlayheadAndShowsTimecode)
{
    setClips({ mediaClip(street.id, 0, 48, 0, 48) });
    auto* label = panel->findChild<QLabel*>(QStringLiteral("viewerTimecode"));
    ASSERT_TRUE(label);
    EXPECT_EQ(label->text(), QStringLiteral("00:00:00:00 / 00:00:02:00"));
    panel->findChild<QToolButton*>(QStringLiteral("stepForwardButton"))->click();
    EXPECT_EQ(transport.playhead(), 1);
    panel->findChild<QToolButton*>(QStringLiteral("goToEndButton"))->click();
    EXPECT_EQ(transport.playhead(), 47);
    EXPECT_EQ(label->text(), QStringLiteral("00:00:01:23 / 00:00:02:00"));
    panel->findChild<QToolButton*>(QStringLiteral("setOutButton"))->click();
    panel->findChild<QToolButton*>(QStringLiteral("stepBackButton"))->click();
    panel->findChild<QToolButton*>(QStringLiteral("goToStartButton"))->click();
    EXPECT_EQ(transport.playhead(), 0);
    panel->findChild<QToolButton*>(QStringLiteral("setInButton"))->click();
    EXPECT_EQ(transport.inPoint(), 0);
    EXPECT_EQ(transport.outPoint(), 47);
    panel->findChild<QToolButton*>(QStringLiteral("playButton"))->click();
    EXPECT_TRUE(transport.isPlaying());
    panel->findChild<QToolButton*>(QStringLiteral("playButton"))->click();
    EXPECT_FALSE(transport.isPlaying());
}

TEST_F(ViewerTest, SourceModeShowsABinItemOnItsOwnTransport)
{
    setClips({ mediaClip(street.id, 0, 48, 0, 48) });
    transport.setPlayhead(10);
    auto* sourceButton = panel->findChild<QToolButton*>(QStringLiteral("sourceModeButton"));
    auto* timelineButton = panel->findChild<QToolButton*>(QStringLiteral("timelineModeButton"));
    EXPECT_FALSE(sourceButton->isEnabled()) << "nothing opened yet";
    QSignalSpy modes(panel.get(), &ui::ViewerPanel::modeChanged);

    panel->showSource(sky.id);
    EXPECT_EQ(panel->mode(), ui::ViewerPanel::Mode::Source);
    EXPECT_TRUE(sourceButton->isChecked());
    EXPECT_EQ(modes.count(), 1);
    ui::Transport* own = panel->sourceTransport();
    EXPECT_EQ(panel->transport(), own);
    EXPECT_EQ(own->duration(), 30);
    EXPECT_EQ(own->rate(), (core::Rational { 24, 1 }));
    EXPECT_TRUE(near(centreColour(), skyColour(0)));
    EXPECT_EQ(panel->findChild<QLabel*>(QStringLiteral("viewerTitle"))->text(), QStringLiteral("sky"));

    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_Right);
    QTest::keyClick(canvas, Qt::Key_Right);
    EXPECT_EQ(own->playhead(), 2);
    EXPECT_EQ(transport.playhead(), 10) << "the timeline's playhead stays";
    EXPECT_TRUE(near(centreColour(), skyColour(2)));
    EXPECT_EQ(transport.duration(), 48);

    // Escape goes back to the cut, where the timeline's playhead was.
    QTest::keyClick(canvas, Qt::Key_Escape);
    EXPECT_EQ(panel->mode(), ui::ViewerPanel::Mode::Timeline);
    EXPECT_TRUE(timelineButton->isChecked());
    EXPECT_EQ(panel->transport(), &transport);
    EXPECT_TRUE(near(centreColour(), streetColour(10)));
    // The switch returns to the source where it was.
    sourceButton->click();
    EXPECT_EQ(panel->mode(), ui::ViewerPanel::Mode::Source);
    EXPECT_TRUE(near(centreColour(), skyColour(2)));
    timelineButton->click();
    EXPECT_EQ(panel->mode(), ui::ViewerPanel::Mode::Timeline);
    EXPECT_EQ(modes.count(), 4);

    // The source leaves the bin: back on the timeline, the switch off.
    panel->showSource(sky.id);
    project->removeMedia(sky.id);
    EXPECT_EQ(panel->mode(), ui::ViewerPanel::Mode::Timeline);
    EXPECT_FALSE(sourceButton->isEnabled());
}

TEST_F(ViewerTest, AnEmptyCutSaysHowToFillItAndAGapSaysNothing)
{
    EXPECT_TRUE(canvas->placeholderText().contains(QStringLiteral("Ctrl+I")))
        << canvas->placeholderText().toStdString();
    setClips({ mediaClip(street.id, 10, 20, 0, 48) });
    EXPECT_TRUE(canvas->placeholderText().isEmpty()) << "the cut has clips: the playhead is in a gap";
    EXPECT_TRUE(panel->currentPicture().isNull());
}

TEST_F(ViewerTest, AClosedProjectLeavesTheViewerBlack)
{
    setClips({ mediaClip(street.id, 0, 48, 0, 48) });
    ASSERT_FALSE(panel->currentPicture().isNull());
    project.reset();
    EXPECT_TRUE(panel->currentPicture().isNull());
    EXPECT_EQ(centreColour(), QColor(Qt::black));
}

} // namespace
