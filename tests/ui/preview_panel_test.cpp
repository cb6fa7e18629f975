#include "kinora/ui/preview_panel.h"

#include "gui_test_support.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

#include <set>

using kinora::core::JobPreview;
using kinora::core::JobStatus;
using kinora::test::waitFor;
using kinora::ui::PreviewPanel;

namespace {

QImage solid(QColor colour, int size = 16)
{
    QImage image(size, size, QImage::Format_RGB888);
    image.fill(colour);
    return image;
}

JobPreview preview(int step, int total, std::vector<QImage> frames, bool fullDecode = false)
{
    JobPreview p;
    p.step = step;
    p.total = total;
    p.fullDecode = fullDecode;
    p.frames = std::move(frames);
    return p;
}

std::vector<QImage> threeFrames()
{
    return { solid(Qt::red), solid(Qt::green), solid(Qt::blue) };
}

QWidget* frameView(PreviewPanel& panel)
{
    return panel.findChild<QWidget*>(QStringLiteral("frameView"));
}

class PreviewPanelTest : public ::testing::Test {
protected:
    void SetUp() override { kinora::test::useTemporaryDataDir(); }
};

} // namespace

TEST_F(PreviewPanelTest, ReportsTheFirstPaintOfEachPreviewOnce)
{
    PreviewPanel panel;
    QSignalSpy painted(&panel, &PreviewPanel::previewPainted);
    panel.showPreview(7, preview(3, 20, threeFrames()), 8);
    EXPECT_EQ(panel.frameCount(), 3);
    EXPECT_EQ(panel.currentJob(), 7u);
    EXPECT_EQ(panel.shownStep(), 3);
    EXPECT_EQ(painted.count(), 0) << "nothing is on screen yet";
    panel.resize(320, 280);
    panel.show();
    ASSERT_TRUE(waitFor([&] { return painted.count() > 0; }, 5000));
    QTest::qWait(100); // the loop repaints the next frames: still one report
    ASSERT_EQ(painted.count(), 1);
    EXPECT_EQ(painted.at(0).at(0).toULongLong(), 7u);
    EXPECT_EQ(painted.at(0).at(1).toInt(), 3);
    EXPECT_GT(painted.at(0).at(2).toLongLong(), 0);
    EXPECT_EQ(panel.findChild<QLabel*>(QStringLiteral("frameLabel"))->text().right(2), QStringLiteral(" 3"));
}

TEST_F(PreviewPanelTest, OnlyTheNewestOfPreviewsArrivingBeforeAPaintIsPainted)
{
    PreviewPanel panel;
    panel.resize(320, 280);
    panel.show();
    QSignalSpy painted(&panel, &PreviewPanel::previewPainted);
    panel.showPreview(1, preview(4, 20, threeFrames()), 8);
    panel.showPreview(1, preview(5, 20, { solid(Qt::white), solid(Qt::black) }, true), 8);
    ASSERT_TRUE(waitFor([&] { return painted.count() > 0; }, 5000));
    QTest::qWait(50);
    ASSERT_EQ(painted.count(), 1);
    EXPECT_EQ(painted.at(0).at(1).toInt(), 5);
    EXPECT_EQ(panel.frameCount(), 2);
    EXPECT_EQ(panel.shownStep(), 5);
}

TEST_F(PreviewPanelTest, PlayingLoopsAndTheControlsStepAndPause)
{
    PreviewPanel panel;
    panel.resize(320, 280);
    panel.show();
    panel.showPreview(2, preview(1, 10, threeFrames()), 60);
    EXPECT_TRUE(panel.isPlaying());
    std::set<int> seen;
    ASSERT_TRUE(waitFor(
        [&] {
            seen.insert(panel.currentFrame());
            return seen.size() == 3;
        },
        3000))
        << "the loop shows every frame";

    auto* play = panel.findChild<QToolButton*>(QStringLiteral("playButton"));
    ASSERT_NE(play, nullptr);
    QTest::mouseClick(play, Qt::LeftButton);
    EXPECT_FALSE(panel.isPlaying());
    const int stopped = panel.currentFrame();
    QTest::qWait(100);
    EXPECT_EQ(panel.currentFrame(), stopped);

    QWidget* view = frameView(panel);
    ASSERT_NE(view, nullptr);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(panel.currentFrame(), (stopped + 1) % 3);
    QTest::keyClick(view, Qt::Key_Left);
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_EQ(panel.currentFrame(), (stopped + 2) % 3);
    auto* slider = panel.findChild<QSlider*>(QStringLiteral("frameSlider"));
    EXPECT_EQ(slider->maximum(), 2);
    EXPECT_EQ(slider->value(), panel.currentFrame());
    slider->setValue(0);
    EXPECT_EQ(panel.currentFrame(), 0);
    EXPECT_EQ(panel.findChild<QLabel*>(QStringLiteral("frameLabel"))->text(), QStringLiteral("1 / 3"));

    // A later step of the same job keeps the user's pause.
    panel.showPreview(2, preview(2, 10, threeFrames()), 60);
    EXPECT_FALSE(panel.isPlaying());
    QTest::keyClick(view, Qt::Key_Space);
    EXPECT_TRUE(panel.isPlaying());
}

TEST_F(PreviewPanelTest, PixelatedScalingKeepsTheFramesExactColours)
{
    QImage checker(2, 2, QImage::Format_RGB888);
    checker.setPixelColor(0, 0, QColor(255, 0, 0));
    checker.setPixelColor(1, 1, QColor(255, 0, 0));
    checker.setPixelColor(1, 0, QColor(0, 0, 255));
    checker.setPixelColor(0, 1, QColor(0, 0, 255));

    PreviewPanel panel;
    panel.resize(360, 320);
    panel.show();
    panel.playFrames({ checker }, 8, QStringLiteral("checker"));
    QWidget* view = frameView(panel);
    ASSERT_NE(view, nullptr);
    auto* scaling = panel.findChild<QComboBox*>(QStringLiteral("scalingCombo"));
    ASSERT_NE(scaling, nullptr);

    // Samples the middle half of the fitted square, away from the overlay in the corner.
    const auto colours = [&] {
        const QImage shot = view->grab().toImage().convertToFormat(QImage::Format_RGB888);
        const int side = std::min(shot.width(), shot.height());
        const QPoint centre(shot.width() / 2, shot.height() / 2);
        std::set<QRgb> found;
        for (int y = centre.y() - side / 4; y < centre.y() + side / 4; y += 3)
            for (int x = centre.x() - side / 4; x < centre.x() + side / 4; x += 3)
                found.insert(shot.pixel(x, y) & 0xffffff);
        return found;
    };

    scaling->setCurrentIndex(scaling->findText(QStringLiteral("Pixelated")));
    const auto pixelated = colours();
    EXPECT_EQ(pixelated, (std::set<QRgb> { 0xff0000, 0x0000ff }));

    scaling->setCurrentIndex(scaling->findText(QStringLiteral("Smooth")));
    const auto smooth = colours();
    EXPECT_GT(smooth.size(), 2u) << "smooth scaling blends the squares";

    scaling->setCurrentIndex(scaling->findText(QStringLiteral("Pixelated")));
    PreviewPanel again;
    EXPECT_EQ(again.findChild<QComboBox*>(QStringLiteral("scalingCombo"))->currentText(),
        QStringLiteral("Pixelated"))
        << "the choice is remembered";
}

TEST_F(PreviewPanelTest, StatusSaysTheStepAndTheTimeLeft)
{
    PreviewPanel panel;
    JobStatus status;
    status.id = 1;
    status.step = 7;
    status.total = 20;
    status.elapsed = 3.4;
    status.eta = 5.2;
    panel.showStatus(status);
    const auto* label = panel.findChild<QLabel*>(QStringLiteral("previewStatus"));
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->text().contains(QStringLiteral("7/20"))) << label->text().toStdString();
    EXPECT_TRUE(label->text().contains(QStringLiteral("3.4 s"))) << label->text().toStdString();
    EXPECT_TRUE(label->text().contains(QStringLiteral("about 5 s left"))) << label->text().toStdString();
    status.eta = -1;
    panel.showStatus(status);
    EXPECT_FALSE(label->text().contains(QStringLiteral("left"))) << "an unknown ETA is not guessed";
}

TEST_F(PreviewPanelTest, PlaysATakesFramesFromDiskAndClears)
{
    QTemporaryDir dir;
    const QString pattern = dir.filePath(QStringLiteral("%04d.png"));
    const QColor colours[] = { Qt::red, Qt::green, Qt::blue, Qt::yellow };
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(solid(colours[i], 8)
                        .save(dir.filePath(QStringLiteral("%1.png").arg(i, 4, 10, QLatin1Char('0')))));
    PreviewPanel panel;
    panel.playSequence(pattern, 4, 12, QStringLiteral("Take 1"));
    EXPECT_EQ(panel.frameCount(), 4);
    EXPECT_TRUE(panel.isPlaying());
    EXPECT_EQ(panel.currentJob(), 0u);

    panel.playSequence(dir.filePath(QStringLiteral("missing/%04d.png")), 4, 12, QStringLiteral("Gone"));
    EXPECT_EQ(panel.frameCount(), 0);
    EXPECT_FALSE(panel.isPlaying());

    panel.playFrames(threeFrames(), 8, QStringLiteral("x"));
    panel.clear(QStringLiteral("Type a prompt"));
    EXPECT_EQ(panel.frameCount(), 0);
    EXPECT_FALSE(panel.isPlaying());
    EXPECT_FALSE(panel.findChild<QToolButton*>(QStringLiteral("playButton"))->isEnabled());
}
