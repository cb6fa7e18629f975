#include "gui_test_support.h"
#include "kinora/core/engine_info.h"
#include "kinora/ui/settings_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <functional>

using kinora::ui::GenerationSettings;
using kinora::ui::SettingsPanel;

namespace {

class SettingsPanelTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        kinora::test::setTinyPackAsModel();
        kinora::test::useTemporaryDataDir();
    }
};

QString canonical(const QString& dir)
{
    return QFileInfo(dir).canonicalFilePath();
}

QJsonObject manifestDefaults(const QString& pack)
{
    QFile file(QDir(pack).filePath(QStringLiteral("kinora-model.json")));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("defaults")).toObject();
}

int comboIndexOfDir(QComboBox* combo, const QString& dir)
{
    for (int i = 0; i < combo->count(); ++i)
        if (canonical(combo->itemData(i).toString()) == canonical(dir))
            return i;
    return -1;
}

template <typename T> T* child(SettingsPanel& panel, const char* name)
{
    auto* widget = panel.findChild<T*>(QLatin1String(name));
    EXPECT_NE(widget, nullptr) << name;
    return widget;
}

// A copy of the tiny pack whose manifest says other defaults (and, optionally, something broken).
QString copyTinyPack(const QTemporaryDir& where, const std::function<void(QJsonObject&)>& edit)
{
    const QDir from(kinora::test::tinyPackDir());
    const QString to = where.filePath(QStringLiteral("edited-pack"));
    QDir().mkpath(to);
    for (const QString& name : from.entryList(QDir::Files))
        EXPECT_TRUE(QFile::copy(from.filePath(name), QDir(to).filePath(name))) << name.toStdString();
    QFile file(QDir(to).filePath(QStringLiteral("kinora-model.json")));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    edit(manifest);
    EXPECT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(manifest).toJson());
    return to;
}

} // namespace

TEST_F(SettingsPanelTest, TheTinyPackIsListedAndItsDefaultsFillTheSpinBoxes)
{
    SettingsPanel panel;
    auto* models = child<QComboBox>(panel, "modelCombo");
    ASSERT_GE(comboIndexOfDir(models, kinora::test::tinyPackDir()), 0);
    ASSERT_NE(panel.currentModel(), nullptr);
    EXPECT_EQ(canonical(panel.currentModel()->dir), canonical(kinora::test::tinyPackDir()));

    const QJsonObject defaults = manifestDefaults(kinora::test::tinyPackDir());
    EXPECT_EQ(child<QSpinBox>(panel, "widthSpin")->value(), defaults.value(QStringLiteral("width")).toInt());
    EXPECT_EQ(
        child<QSpinBox>(panel, "heightSpin")->value(), defaults.value(QStringLiteral("height")).toInt());
    EXPECT_EQ(
        child<QSpinBox>(panel, "framesSpin")->value(), defaults.value(QStringLiteral("frames")).toInt());
    EXPECT_DOUBLE_EQ(
        child<QDoubleSpinBox>(panel, "fpsSpin")->value(), defaults.value(QStringLiteral("fps")).toDouble());
    EXPECT_EQ(child<QSpinBox>(panel, "stepsSpin")->value(), defaults.value(QStringLiteral("steps")).toInt());
    EXPECT_DOUBLE_EQ(child<QDoubleSpinBox>(panel, "guidanceSpin")->value(),
        defaults.value(QStringLiteral("guidance")).toDouble());
    EXPECT_EQ(child<QComboBox>(panel, "samplerCombo")->currentData().toString(),
        defaults.value(QStringLiteral("sampler")).toString());
    EXPECT_EQ(child<QSpinBox>(panel, "widthSpin")->singleStep(), panel.currentModel()->sizeMultiple);
    EXPECT_TRUE(panel.validate().isEmpty()) << panel.validate().toStdString();

    const GenerationSettings s = panel.settings();
    EXPECT_EQ(canonical(s.modelDir), canonical(kinora::test::tinyPackDir()));
    EXPECT_EQ(s.width, defaults.value(QStringLiteral("width")).toInt());
    EXPECT_EQ(s.mode, GenerationSettings::Mode::TextToVideo);
}

TEST_F(SettingsPanelTest, AWidthThatIsNotAMultipleIsRefusedWithTheReason)
{
    SettingsPanel panel;
    panel.show();
    ASSERT_NE(panel.currentModel(), nullptr);
    const int multiple = panel.currentModel()->sizeMultiple;
    ASSERT_GT(multiple, 1);
    auto* width = child<QSpinBox>(panel, "widthSpin");
    auto* problem = child<QLabel>(panel, "settingsProblem");
    EXPECT_FALSE(problem->isVisible());

    width->setValue(multiple * 3 + 1);
    const QString reason = panel.validate();
    EXPECT_FALSE(reason.isEmpty());
    EXPECT_TRUE(problem->isVisible());
    EXPECT_EQ(problem->text(), reason);
    EXPECT_TRUE(width->property("problem").toBool());

    width->setValue(multiple * 3);
    EXPECT_TRUE(panel.validate().isEmpty());
    EXPECT_FALSE(problem->isVisible());
    EXPECT_FALSE(width->property("problem").toBool());
}

TEST_F(SettingsPanelTest, ABrokenPackIsListedWithItsErrorAndRefused)
{
    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("broken-pack"));
    QDir().mkpath(broken);
    QFile manifest(QDir(broken).filePath(QStringLiteral("kinora-model.json")));
    ASSERT_TRUE(manifest.open(QIODevice::WriteOnly));
    manifest.write("{ this is not json");
    manifest.close();
    QSettings().setValue(QStringLiteral("models/added"), QStringList { broken });

    SettingsPanel panel;
    panel.show();
    auto* models = child<QComboBox>(panel, "modelCombo");
    const int index = comboIndexOfDir(models, broken);
    ASSERT_GE(index, 0);
    EXPECT_TRUE(models->itemText(index).endsWith(QStringLiteral(" — error")))
        << models->itemText(index).toStdString();
    // The tiny pack ($KINORA_MODEL) stays the choice until the user picks the broken one.
    EXPECT_TRUE(panel.validate().isEmpty());

    models->setCurrentIndex(index);
    ASSERT_NE(panel.currentModel(), nullptr);
    const QString error = panel.currentModel()->error;
    ASSERT_FALSE(error.isEmpty());
    EXPECT_TRUE(models->itemData(index, Qt::ToolTipRole).toString().contains(error));
    EXPECT_TRUE(panel.validate().contains(error)) << panel.validate().toStdString();
    EXPECT_TRUE(child<QLabel>(panel, "settingsProblem")->isVisible());

    // Adding it through the folder button is refused with the reason, and nothing is added twice.
    EXPECT_FALSE(panel.addModel(dir.filePath(QStringLiteral("not-a-pack-at-all"))).isEmpty());
    EXPECT_EQ(QSettings().value(QStringLiteral("models/added")).toStringList().size(), 1);
}

TEST_F(SettingsPanelTest, ChoosingAnotherPackTakesItsDefaultsAndItsCard)
{
    QTemporaryDir dir;
    const QString edited = copyTinyPack(dir, [](QJsonObject& manifest) {
        QJsonObject defaults = manifest.value(QStringLiteral("defaults")).toObject();
        defaults[QStringLiteral("width")] = defaults.value(QStringLiteral("width")).toInt() * 2;
        defaults[QStringLiteral("steps")] = 3;
        defaults[QStringLiteral("guidance")] = 2.5;
        manifest[QStringLiteral("defaults")] = defaults;
        manifest[QStringLiteral("name")] = QStringLiteral("edited-tiny");
    });
    QFile card(QDir(edited).filePath(QStringLiteral("MODEL_CARD.md")));
    ASSERT_TRUE(card.open(QIODevice::WriteOnly));
    card.write("# Edited tiny\n\nUntrained, for **tests**.\n");
    card.close();

    SettingsPanel panel;
    auto* cardButton = child<QToolButton>(panel, "modelCardButton");
    EXPECT_EQ(cardButton->isEnabled(), !panel.currentModel()->cardPath.isEmpty());
    const int tinyWidth = child<QSpinBox>(panel, "widthSpin")->value();
    QSignalSpy changed(&panel, &SettingsPanel::settingsChanged);
    ASSERT_TRUE(panel.addModel(edited).isEmpty());
    EXPECT_GE(changed.count(), 1);
    ASSERT_NE(panel.currentModel(), nullptr);
    EXPECT_EQ(panel.currentModel()->name, QStringLiteral("edited-tiny"));
    EXPECT_EQ(child<QSpinBox>(panel, "widthSpin")->value(), tinyWidth * 2);
    EXPECT_EQ(child<QSpinBox>(panel, "stepsSpin")->value(), 3);
    EXPECT_DOUBLE_EQ(child<QDoubleSpinBox>(panel, "guidanceSpin")->value(), 2.5);
    EXPECT_EQ(QSettings().value(QStringLiteral("models/added")).toStringList().size(), 1);

    ASSERT_TRUE(cardButton->isEnabled());
    QTest::mouseClick(cardButton, Qt::LeftButton);
    auto* dialog = panel.findChild<QDialog*>(QStringLiteral("modelCardDialog"));
    ASSERT_NE(dialog, nullptr);
    auto* text = dialog->findChild<QTextBrowser*>(QStringLiteral("modelCardText"));
    ASSERT_NE(text, nullptr);
    EXPECT_TRUE(text->toPlainText().contains(QStringLiteral("Untrained, for tests.")));
    dialog->close();

    // Back to the tiny pack: its own defaults again.
    auto* models = child<QComboBox>(panel, "modelCombo");
    models->setCurrentIndex(comboIndexOfDir(models, kinora::test::tinyPackDir()));
    EXPECT_EQ(child<QSpinBox>(panel, "widthSpin")->value(), tinyWidth);
}

TEST_F(SettingsPanelTest, ALockedSeedSurvivesNextSeedAndAnUnlockedOneChanges)
{
    SettingsPanel panel;
    auto* lock = child<QToolButton>(panel, "seedLockButton");
    auto* seed = child<QLineEdit>(panel, "seedEdit");
    ASSERT_TRUE(lock->isCheckable());
    seed->setText(QStringLiteral("1234567890123"));
    QTest::mouseClick(lock, Qt::LeftButton);
    EXPECT_TRUE(panel.settings().seedLocked);
    panel.nextSeed();
    EXPECT_EQ(panel.settings().seed, 1234567890123ULL);

    QTest::mouseClick(lock, Qt::LeftButton);
    EXPECT_FALSE(panel.settings().seedLocked);
    panel.nextSeed();
    EXPECT_NE(panel.settings().seed, 1234567890123ULL);

    const quint64 before = panel.settings().seed;
    QTest::mouseClick(child<QToolButton>(panel, "randomSeedButton"), Qt::LeftButton);
    EXPECT_NE(panel.settings().seed, before);

    seed->clear();
    EXPECT_FALSE(panel.validate().isEmpty());
}

TEST_F(SettingsPanelTest, TakesAndDeviceAreInTheSettings)
{
    SettingsPanel panel;
    auto* takes = child<QSpinBox>(panel, "takesSpin");
    EXPECT_EQ(takes->maximum(), 16);
    takes->setValue(4);
    EXPECT_EQ(panel.settings().takes, 4);

    auto* device = child<QComboBox>(panel, "deviceCombo");
    const auto* model = qobject_cast<QStandardItemModel*>(device->model());
    ASSERT_NE(model, nullptr);
    const int cuda = device->findData(QStringLiteral("cuda"));
    ASSERT_GE(cuda, 0);
    EXPECT_EQ(model->item(cuda)->isEnabled(), kinora::core::engineInfo().device == QStringLiteral("CUDA"));
    device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
    EXPECT_EQ(panel.settings().device, QStringLiteral("cpu"));
    auto* precision = child<QComboBox>(panel, "precisionCombo");
    precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));
    EXPECT_EQ(panel.settings().precision, QStringLiteral("fp32"));
}

TEST_F(SettingsPanelTest, ExtendAndImageModesAskForTheirInput)
{
    SettingsPanel panel;
    panel.show();
    auto* mode = child<QComboBox>(panel, "modeCombo");
    auto* takeLabel = child<QLabel>(panel, "extendTakeLabel");
    mode->setCurrentIndex(mode->findData(int(GenerationSettings::Mode::ExtendTake)));
    EXPECT_TRUE(takeLabel->isVisible());
    EXPECT_TRUE(child<QSpinBox>(panel, "extendFramesSpin")->isVisible());
    EXPECT_FALSE(child<QSpinBox>(panel, "widthSpin")->isVisible());
    EXPECT_EQ(takeLabel->text(), QStringLiteral("Select a take in the bin first"));
    EXPECT_FALSE(panel.validate().isEmpty());
    panel.setExtendTake(QStringLiteral("take-7"), QStringLiteral("Take 7 — a red ball"));
    EXPECT_EQ(takeLabel->text(), QStringLiteral("Take 7 — a red ball"));
    EXPECT_TRUE(panel.validate().isEmpty());
    child<QSpinBox>(panel, "extendFramesSpin")->setValue(5);
    EXPECT_EQ(panel.settings().mode, GenerationSettings::Mode::ExtendTake);
    EXPECT_EQ(panel.settings().extendTakeId, QStringLiteral("take-7"));
    EXPECT_EQ(panel.settings().extendFrames, 5);

    mode->setCurrentIndex(mode->findData(int(GenerationSettings::Mode::ImageToVideo)));
    EXPECT_TRUE(child<QWidget>(panel, "pickImageButton")->isVisible());
    EXPECT_FALSE(panel.validate().isEmpty());
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("first.png"));
    QImage(16, 16, QImage::Format_RGB32).save(image);
    panel.setImagePath(image);
    EXPECT_TRUE(panel.validate().isEmpty()) << panel.validate().toStdString();
    EXPECT_EQ(child<QLabel>(panel, "imageLabel")->text(), QStringLiteral("first.png"));
    EXPECT_EQ(panel.settings().imagePath, image);
}

TEST_F(SettingsPanelTest, TheLastValuesComeBackInANewPanel)
{
    {
        SettingsPanel panel;
        child<QSpinBox>(panel, "stepsSpin")->setValue(7);
        child<QSpinBox>(panel, "takesSpin")->setValue(3);
        child<QLineEdit>(panel, "seedEdit")->setText(QStringLiteral("42"));
        child<QToolButton>(panel, "seedLockButton")->setChecked(true);
    }
    SettingsPanel again;
    EXPECT_EQ(again.settings().steps, 7);
    EXPECT_EQ(again.settings().takes, 3);
    EXPECT_TRUE(again.settings().seedLocked);
    EXPECT_EQ(again.settings().seed, 42u);
    EXPECT_EQ(canonical(again.settings().modelDir), canonical(kinora::test::tinyPackDir()));
}

// Scrolling the panel with the wheel over a field must not change it; a field clicked into takes
// the wheel.
TEST_F(SettingsPanelTest, TheWheelScrollsThePanelAndChangesOnlyAFocusedField)
{
    SettingsPanel panel;
    panel.resize(300, 200); // short: the panel scrolls
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    auto* steps = child<QSpinBox>(panel, "stepsSpin");
    const int before = steps->value();
    const auto wheel = [steps](int delta) {
        const QPointF at(steps->width() / 2.0, steps->height() / 2.0);
        QWheelEvent event(at, steps->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(steps, &event);
    };
    steps->clearFocus();
    wheel(-120);
    EXPECT_EQ(steps->value(), before);
    steps->setFocus();
    ASSERT_TRUE(kinora::test::waitFor([steps] { return steps->hasFocus(); }, 2000));
    wheel(120);
    EXPECT_EQ(steps->value(), before + 1);
}
