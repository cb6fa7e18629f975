// The export dialog's choices and what they become, and the transcode options it relies on
// (output size, nearest-neighbour scaling, the rate an image sequence is read at), on real files.

#include "gui_test_support.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/media.h"
#include "kinora/core/transcode.h"
#include "kinora/ui/export_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

using namespace kinora;

namespace {

core::TakeRecord takeOf(int side, int frames = 16, const QString& name = QStringLiteral("Red ball"))
{
    core::TakeRecord take;
    take.id = QStringLiteral("t1");
    take.name = name;
    take.frames = frames;
    take.width = side;
    take.height = side;
    take.fps = 8;
    return take;
}

// A checkerboard of 1-pixel cells, shifted by the frame index, so that scaling shows in every pixel.
std::vector<QImage> checkerFrames(int count, int side)
{
    std::vector<QImage> frames;
    for (int f = 0; f < count; ++f) {
        QImage image(side, side, QImage::Format_RGB888);
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                image.setPixelColor(x, y, (x + y + f) % 2 ? QColor(250, 40, 40) : QColor(20, 30, 200));
        frames.push_back(image);
    }
    return frames;
}

void choose(QComboBox* combo, const QString& startsWith)
{
    const int index = combo->findText(startsWith, Qt::MatchStartsWith);
    ASSERT_GE(index, 0) << startsWith.toStdString();
    combo->setCurrentIndex(index);
}

struct Widgets {
    explicit Widgets(ui::ExportDialog& dialog)
        : preset(dialog.findChild<QComboBox*>(QStringLiteral("presetCombo")))
        , output(dialog.findChild<QLineEdit*>(QStringLiteral("outputEdit")))
        , size(dialog.findChild<QComboBox*>(QStringLiteral("sizeCombo")))
        , scaling(dialog.findChild<QComboBox*>(QStringLiteral("scalingCombo")))
        , quality(dialog.findChild<QSpinBox*>(QStringLiteral("qualitySpin")))
        , summary(dialog.findChild<QLabel*>(QStringLiteral("summaryLabel")))
        , problem(dialog.findChild<QLabel*>(QStringLiteral("problemLabel")))
        , ok(dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok))
    {
    }
    QComboBox* preset;
    QLineEdit* output;
    QComboBox* size;
    QComboBox* scaling;
    QSpinBox* quality;
    QLabel* summary;
    QLabel* problem;
    QPushButton* ok;
};

} // namespace

TEST(ExportDialog, OffersEveryPresetAndAnMp4NamedAfterTheTake)
{
    test::useTemporaryDataDir();
    ui::ExportDialog dialog(takeOf(64, 16, QStringLiteral("Red/ball: 2")), QStringLiteral("/tmp/x/%04d.png"));
    Widgets w(dialog);
    ASSERT_TRUE(w.preset && w.output && w.size && w.scaling && w.quality && w.summary && w.problem);
    EXPECT_EQ(w.preset->count(), 10);
    EXPECT_TRUE(w.output->text().endsWith(QStringLiteral("Red_ball_ 2.mp4")))
        << w.output->text().toStdString();
    EXPECT_EQ(w.size->count(), 4);
    EXPECT_EQ(w.size->itemText(0), QStringLiteral("Original (64x64)"));
    // A 64x64 take starts at 4x: the first size with a side of at least 256 pixels.
    EXPECT_TRUE(w.size->currentText().startsWith(QStringLiteral("4x")))
        << w.size->currentText().toStdString();
    EXPECT_TRUE(w.summary->text().endsWith(QStringLiteral(", 256x256, 8 fps, H.264")))
        << w.summary->text().toStdString();
    choose(w.size, QStringLiteral("Original"));
    // (The plural comes from kinora_en.ts, which the app loads and tests do not.)
    EXPECT_TRUE(w.summary->text().startsWith(QStringLiteral("16 frame"))) << w.summary->text().toStdString();
    EXPECT_TRUE(w.summary->text().endsWith(QStringLiteral(", 64x64, 8 fps, H.264")))
        << w.summary->text().toStdString();
    EXPECT_TRUE(w.ok->isEnabled());
    choose(w.size, QStringLiteral("4x"));
    EXPECT_TRUE(w.summary->text().endsWith(QStringLiteral(", 256x256, 8 fps, H.264")))
        << w.summary->text().toStdString();
}

TEST(ExportDialog, PresetChangeSwitchesTheExtension)
{
    ui::ExportDialog dialog(takeOf(64), QStringLiteral("/tmp/x/%04d.png"));
    Widgets w(dialog);
    w.output->setText(QStringLiteral("/videos/take.mp4"));
    choose(w.preset, QStringLiteral("ProRes 422"));
    EXPECT_EQ(w.output->text(), QStringLiteral("/videos/take.mov"));
    choose(w.preset, QStringLiteral("VP9"));
    EXPECT_EQ(w.output->text(), QStringLiteral("/videos/take.webm"));
    choose(w.preset, QStringLiteral("PNG"));
    EXPECT_EQ(w.output->text(), QStringLiteral("/videos/take/take_%04d.png"));
    EXPECT_TRUE(w.ok->isEnabled());
    choose(w.preset, QStringLiteral("GIF"));
    EXPECT_EQ(w.output->text(), QStringLiteral("/videos/take.gif"));
    w.output->setText(QStringLiteral("/videos/take.avi"));
    EXPECT_FALSE(w.ok->isEnabled());
    EXPECT_FALSE(w.problem->text().isEmpty());
}

TEST(ExportDialog, DnxhrBelowItsMinimumDisablesExportWithTheReason)
{
    ui::ExportDialog dialog(takeOf(64), QStringLiteral("/tmp/x/%04d.png"));
    Widgets w(dialog);
    choose(w.size, QStringLiteral("Original"));
    choose(w.preset, QStringLiteral("DNxHR"));
    EXPECT_FALSE(w.ok->isEnabled());
    EXPECT_TRUE(w.problem->text().contains(QStringLiteral("256x120"))) << w.problem->text().toStdString();
    EXPECT_FALSE(w.problem->isHidden());
    choose(w.size, QStringLiteral("2x")); // 128x128: still too small
    EXPECT_FALSE(w.ok->isEnabled());
    choose(w.size, QStringLiteral("4x")); // 256x256
    EXPECT_TRUE(w.ok->isEnabled());
    EXPECT_TRUE(w.problem->isHidden());
}

TEST(ExportDialog, RequestCarriesCodecSizeQualityAndRate)
{
    ui::ExportDialog dialog(takeOf(64), QStringLiteral("/media/takes/t1/%04d.png"));
    Widgets w(dialog);
    choose(w.preset, QStringLiteral("H.265"));
    EXPECT_TRUE(w.quality->isEnabled());
    EXPECT_EQ(w.quality->value(), 20);
    w.quality->setValue(24);
    choose(w.size, QStringLiteral("2x"));
    w.scaling->setCurrentIndex(1); // smooth
    auto request = dialog.request();
    EXPECT_EQ(request.input, QStringLiteral("/media/takes/t1/%04d.png"));
    ASSERT_TRUE(request.codec.has_value());
    EXPECT_EQ(*request.codec, core::VideoCodec::H265);
    EXPECT_EQ(request.crf, 24);
    EXPECT_EQ(request.size, QSize(128, 128));
    EXPECT_TRUE(request.smoothScaling);
    EXPECT_EQ(request.inputRate, (core::Rational { 8, 1 }));
    EXPECT_FALSE(request.fps.valid()); // no resampling: the take's frames are written one to one

    choose(w.preset, QStringLiteral("ProRes 4444"));
    EXPECT_FALSE(w.quality->isEnabled());
    EXPECT_FALSE(w.quality->toolTip().isEmpty());
    request = dialog.request();
    EXPECT_EQ(*request.codec, core::VideoCodec::ProRes4444);
    EXPECT_EQ(request.crf, -1);
    w.scaling->setCurrentIndex(0);
    EXPECT_FALSE(dialog.request().smoothScaling);
}

TEST(ExportDialog, AsksBeforeReplacingAnExistingFile)
{
    QTemporaryDir dir;
    const QString existing = dir.filePath(QStringLiteral("old.mp4"));
    QFile file(existing);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("old");
    file.close();
    ui::ExportDialog dialog(takeOf(64), QStringLiteral("/tmp/x/%04d.png"));
    Widgets(dialog).output->setText(existing);

    const auto answer = [](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            ASSERT_NE(box, nullptr);
            box->button(button)->click();
        });
    };
    answer(QMessageBox::No);
    dialog.accept();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    answer(QMessageBox::Yes);
    dialog.accept();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(dialog.request().overwrite);
}

TEST(Transcode, ScalesAndKeepsTheRateOfASequence)
{
    QTemporaryDir dir;
    const QString input = dir.filePath(QStringLiteral("in/%04d.png"));
    const auto frames = checkerFrames(4, 16);
    ASSERT_TRUE(core::writeImageSequence(input, frames, false));

    core::TranscodeRequest request;
    request.input = input;
    request.output = dir.filePath(QStringLiteral("out.mp4"));
    request.size = QSize(64, 64);
    request.smoothScaling = false;
    request.inputRate = { 8, 1 };
    const auto result = core::transcode(request);
    EXPECT_EQ(result.frames, 4);
    const auto info = core::probeMedia(request.output);
    EXPECT_EQ(info.width, 64);
    EXPECT_EQ(info.height, 64);
    EXPECT_EQ(info.frames, 4);
    EXPECT_EQ(info.fps, (core::Rational { 8, 1 }));

    // Nearest neighbour, losslessly: every source pixel becomes a sharp 4x4 block.
    request.output = dir.filePath(QStringLiteral("png/%04d.png"));
    core::transcode(request);
    const auto scaled = core::readImageSequence(request.output);
    ASSERT_EQ(scaled.size(), 4u);
    ASSERT_EQ(scaled[1].size(), QSize(64, 64));
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            ASSERT_EQ(scaled[1].pixelColor(x, y), frames[1].pixelColor(x / 4, y / 4)) << x << "," << y;

    // Resampled from the sequence's rate: 4 frames at 8 fps are 8 frames at 16 fps.
    request.output = dir.filePath(QStringLiteral("fast.mp4"));
    request.fps = { 16, 1 };
    EXPECT_EQ(core::transcode(request).frames, 8);
    const auto fast = core::probeMedia(request.output);
    EXPECT_EQ(fast.frames, 8);
    EXPECT_EQ(fast.fps, (core::Rational { 16, 1 }));
}

TEST(ExportDialog, ItsRequestExportsTheTake)
{
    QTemporaryDir dir;
    const QString frames = dir.filePath(QStringLiteral("takes/t1/%04d.png"));
    ASSERT_TRUE(core::writeImageSequence(frames, checkerFrames(6, 16), false));
    ui::ExportDialog dialog(takeOf(16, 6), frames);
    Widgets w(dialog);
    choose(w.preset, QStringLiteral("GIF"));
    choose(w.size, QStringLiteral("8x"));
    w.output->setText(dir.filePath(QStringLiteral("export.gif")));
    ASSERT_TRUE(w.ok->isEnabled());
    const auto result = core::transcode(dialog.request());
    EXPECT_EQ(result.frames, 6);
    const auto info = core::probeMedia(dir.filePath(QStringLiteral("export.gif")));
    EXPECT_EQ(info.width, 128);
    EXPECT_EQ(info.frames, 6);
    EXPECT_NEAR(info.fps.value(), 8.0, 0.5);
}

namespace {

// A timeline of two clips of 24 fps footage (12 and 8 frames, the second with sound) and a take.
ui::ExportSubjects timelineSubjects(const QString& firstPath = QStringLiteral("/footage/a.mp4"))
{
    ui::ExportSubjects s;
    s.name = QStringLiteral("My cut");
    core::Timeline t;
    t.setRate({ 24, 1 });
    core::TimelineClip a;
    a.source = core::TimelineClip::Source::Media;
    a.sourceId = QStringLiteral("media-a");
    a.sourceFrames = 12;
    a.length = 12;
    t.add(a);
    core::TimelineClip b = a;
    b.sourceId = QStringLiteral("media-b");
    b.sourceFrames = 8;
    b.length = 8;
    b.start = 12;
    b.hasAudio = true;
    t.add(b);
    s.timeline = t;
    core::SourceDetails da;
    da.id = a.sourceId;
    da.path = firstPath;
    da.frames = 12;
    da.size = { 320, 180 };
    da.fps = { 24, 1 };
    s.sources[a.sourceId] = da;
    core::SourceDetails db = da;
    db.id = b.sourceId;
    db.frames = 8;
    db.size = { 640, 360 };
    db.audio = true;
    s.sources[b.sourceId] = db;
    s.take = takeOf(64);
    s.takePattern = QStringLiteral("/tmp/x/%04d.png");
    return s;
}

} // namespace

TEST(ExportDialog, OffersTheWholeTimelineInToOutOrATake)
{
    auto subjects = timelineSubjects();
    subjects.in = 4;
    subjects.out = 9;
    ui::ExportDialog dialog(subjects);
    Widgets w(dialog);
    auto* range = dialog.findChild<QComboBox*>(QStringLiteral("rangeCombo"));
    auto* rate = dialog.findChild<QComboBox*>(QStringLiteral("rateCombo"));
    auto* audio = dialog.findChild<QCheckBox*>(QStringLiteral("audioCheck"));
    ASSERT_TRUE(range && rate && audio);
    ASSERT_EQ(range->count(), 3);
    EXPECT_EQ(dialog.range(), ui::ExportDialog::Range::Timeline);
    EXPECT_TRUE(w.output->text().endsWith(QStringLiteral("My cut.mp4"))) << w.output->text().toStdString();
    // The cut's size is its largest source's; its rate the timeline's.
    EXPECT_EQ(dialog.outputSize(), QSize(640, 360));
    EXPECT_EQ(dialog.outputRate(), (core::Rational { 24, 1 }));
    EXPECT_EQ(dialog.outputFrames(), 20);
    EXPECT_TRUE(audio->isEnabled() && audio->isChecked());
    auto request = dialog.timelineRequest();
    EXPECT_EQ(request.first, 0);
    EXPECT_EQ(request.count, 20);
    EXPECT_TRUE(request.audio);

    range->setCurrentIndex(range->findData(static_cast<int>(ui::ExportDialog::Range::InToOut)));
    request = dialog.timelineRequest();
    EXPECT_EQ(request.first, 4);
    EXPECT_EQ(request.count, 6);
    EXPECT_EQ(request.size, QSize(320, 180)) << "only the first clip is in range";
    EXPECT_FALSE(audio->isEnabled()) << "no clip with sound in 4..9";
    EXPECT_FALSE(request.audio);
    choose(rate, QStringLiteral("50 fps"));
    EXPECT_EQ(dialog.timelineRequest().fps, (core::Rational { 50, 1 }));
    EXPECT_EQ(dialog.outputFrames(), 13) << "6 frames at 24 fps last 12.5 frames at 50";
    EXPECT_TRUE(w.summary->text().contains(QStringLiteral("13 frame"))) << w.summary->text().toStdString();

    range->setCurrentIndex(range->findData(static_cast<int>(ui::ExportDialog::Range::Take)));
    EXPECT_TRUE(dialog.exportsTake());
    EXPECT_EQ(dialog.outputSize(), QSize(256, 256));
    EXPECT_TRUE(w.output->text().endsWith(QStringLiteral("Red ball.mp4"))) << w.output->text().toStdString();
    EXPECT_FALSE(audio->isVisible());
}

TEST(ExportDialog, ATimelineWithNothingInItOffersOnlyTheTake)
{
    auto subjects = timelineSubjects();
    subjects.timeline = core::Timeline {};
    ui::ExportDialog dialog(subjects);
    auto* range = dialog.findChild<QComboBox*>(QStringLiteral("rangeCombo"));
    EXPECT_EQ(range->count(), 1);
    EXPECT_TRUE(dialog.exportsTake());
    subjects.take.reset();
    ui::ExportDialog nothing(subjects);
    Widgets w(nothing);
    EXPECT_FALSE(w.ok->isEnabled());
    EXPECT_TRUE(w.problem->text().contains(QStringLiteral("nothing to export")))
        << w.problem->text().toStdString();
}

TEST(ExportDialog, ItsTimelineRequestExportsTheRangeAtTheRateAsked)
{
    QTemporaryDir dir;
    // Two sources as image sequences: the export reads them like takes.
    const QString a = dir.filePath(QStringLiteral("a/%04d.png"));
    const QString b = dir.filePath(QStringLiteral("b/%04d.png"));
    ASSERT_TRUE(core::writeImageSequence(a, checkerFrames(12, 32), false));
    ASSERT_TRUE(core::writeImageSequence(b, checkerFrames(8, 32), false));
    auto subjects = timelineSubjects(a);
    subjects.sources[QStringLiteral("media-a")].size = { 32, 32 };
    subjects.sources[QStringLiteral("media-b")].path = b;
    subjects.sources[QStringLiteral("media-b")].size = { 32, 32 };
    subjects.sources[QStringLiteral("media-b")].audio = false;
    subjects.in = 10;
    subjects.out = 15;
    ui::ExportDialog dialog(subjects);
    Widgets w(dialog);
    auto* range = dialog.findChild<QComboBox*>(QStringLiteral("rangeCombo"));
    range->setCurrentIndex(range->findData(static_cast<int>(ui::ExportDialog::Range::InToOut)));
    choose(w.preset, QStringLiteral("FFV1"));
    w.output->setText(dir.filePath(QStringLiteral("cut.mkv")));
    ASSERT_TRUE(w.ok->isEnabled()) << w.problem->text().toStdString();
    const auto result = core::exportTimeline(dialog.timelineRequest());
    EXPECT_EQ(result.frames, 6);
    auto info = core::probeMedia(dir.filePath(QStringLiteral("cut.mkv")));
    EXPECT_EQ(info.frames, 6);
    EXPECT_EQ(info.fps, (core::Rational { 24, 1 }));
    // At another rate the file holds the count the dialog promised.
    choose(dialog.findChild<QComboBox*>(QStringLiteral("rateCombo")), QStringLiteral("60 fps"));
    w.output->setText(dir.filePath(QStringLiteral("cut60.mkv")));
    EXPECT_EQ(core::exportTimeline(dialog.timelineRequest()).frames, dialog.outputFrames());
    info = core::probeMedia(dir.filePath(QStringLiteral("cut60.mkv")));
    EXPECT_EQ(info.frames, dialog.outputFrames());
    EXPECT_EQ(info.fps, (core::Rational { 60, 1 }));
    EXPECT_EQ(info.width, 32);
}
