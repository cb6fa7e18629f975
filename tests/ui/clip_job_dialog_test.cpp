// The dialog that asks how to run a job on a timeline clip: the counts it promises are the ones the
// job's re-timing makes, and its choices come back as set.

#include "kinora/core/footage_jobs.h"
#include "kinora/ui/clip_job_dialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>

#include <gtest/gtest.h>

using namespace kinora;
using Kind = ui::ClipJobDialog::Kind;

TEST(ClipJobDialog, InterpolationPromisesTheFramesTheRetimingMakes)
{
    ui::ClipJobDialog dialog(
        Kind::Interpolate, QStringLiteral("dog"), 61, { 30000, 1001 }, QStringLiteral("flow"));
    EXPECT_EQ(dialog.method(), QStringLiteral("flow"));
    EXPECT_EQ(dialog.factor(), 2);
    EXPECT_EQ(dialog.outputFrames(), 121); // K·(N−1)+1
    EXPECT_TRUE(dialog.summary().contains(QStringLiteral("121"))) << dialog.summary().toStdString();
    EXPECT_TRUE(dialog.summary().contains(QStringLiteral("59.940"))) << dialog.summary().toStdString();

    dialog.findChild<QSpinBox*>(QStringLiteral("clipJobFactor"))->setValue(3);
    EXPECT_EQ(dialog.outputFrames(), 181);

    // To a rate: the count of the job's own re-timing, not a guess.
    dialog.findChild<QRadioButton*>(QStringLiteral("clipJobByRate"))->setChecked(true);
    dialog.findChild<QDoubleSpinBox*>(QStringLiteral("clipJobRate"))->setValue(59.94);
    EXPECT_EQ(dialog.factor(), 0);
    EXPECT_EQ(dialog.targetFps(), (core::Rational { 60000, 1001 }));
    EXPECT_EQ(
        dialog.outputFrames(), core::Retiming::toRate({ 30000, 1001 }, { 60000, 1001 }).outputFrames(61));
    EXPECT_TRUE(dialog.summary().contains(QString::number(dialog.outputFrames())));
}

TEST(ClipJobDialog, ExtendAndInpaintSayWhatTheyMakeAndCarryThePrompt)
{
    ui::ClipJobDialog extend(Kind::Extend, QStringLiteral("take"), 16, { 8, 1 }, QStringLiteral("auto"));
    EXPECT_EQ(extend.findChild<QComboBox*>(QStringLiteral("clipJobMethod")), nullptr); // the model's only
    EXPECT_EQ(extend.method(), QStringLiteral("diffusion"));
    extend.findChild<QSpinBox*>(QStringLiteral("clipJobExtendFrames"))->setValue(8);
    EXPECT_EQ(extend.extendFrames(), 8);
    EXPECT_EQ(extend.outputFrames(), 24);
    extend.findChild<QLineEdit*>(QStringLiteral("clipJobPrompt"))->setText(QStringLiteral("  it rolls on "));
    EXPECT_EQ(extend.prompt(), QStringLiteral("it rolls on"));

    ui::ClipJobDialog inpaint(
        Kind::Inpaint, QStringLiteral("dog"), 40, { 25, 1 }, QStringLiteral("diffusion"));
    EXPECT_EQ(inpaint.method(), QStringLiteral("diffusion"));
    EXPECT_EQ(inpaint.outputFrames(), 40);
    EXPECT_TRUE(inpaint.summary().contains(QStringLiteral("40")));
}
