#pragma once
// The Settings dock: which model pack, what kind of clip (text, first image, extend a take), its
// size and length, the sampling settings, the seed, and the device. Defaults come from the pack's
// manifest; values the pack cannot make are marked in the widget with the reason (validate()); the
// last used model and values are kept in QSettings ("generation/...").

#include "kinora/core/model_catalog.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace kinora::ui {

struct GenerationSettings {
    enum class Mode { TextToVideo, ImageToVideo, ExtendTake };
    Mode mode = Mode::TextToVideo;
    QString imagePath; // ImageToVideo: the first frame
    QString extendTakeId; // ExtendTake: the take to continue
    QString modelDir;
    int width = 0;
    int height = 0;
    int frames = 0;
    double fps = 0;
    int steps = 0;
    double guidance = 0;
    QString sampler;
    quint64 seed = 0;
    bool seedLocked = false;
    int takes = 1; // consecutive seeds from `seed`
    QString device = QStringLiteral("auto"); // "auto", "cpu" or "cuda"
    QString precision = QStringLiteral("auto"); // "auto", "fp32", "bf16" or "fp16"
    int extendFrames = 0; // ExtendTake: frames added
};

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    GenerationSettings settings() const;
    // Empty when generation can start, else the reason (also shown in the panel).
    QString validate() const;

    // The take selected in the bin, for the Extend mode; an empty id means none.
    void setExtendTake(const QString& takeId, const QString& label);
    // The first frame for the Image to video mode (what "Pick image…" sets).
    void setImagePath(const QString& path);
    // After a take is queued: a new random seed unless the seed is locked.
    void nextSeed();
    void setSeed(quint64 seed);

    // Re-lists the packs (default places, $KINORA_MODEL, QSettings "models/added"), keeping the
    // current pack selected when it is still there.
    void reloadModels();
    // Adds a pack folder to "models/added" and selects it; returns the reason when it is not a pack
    // (then nothing is added).
    QString addModel(const QString& dir);
    const core::ModelPackEntry* currentModel() const;

    static constexpr quint64 kMaxSeed = 0x7fffffffffffffffULL;

Q_SIGNALS:
    void settingsChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildModelGroup(QFormLayout* form);
    void buildClipGroup(QFormLayout* form);
    void buildSamplingGroup(QFormLayout* form);
    void buildSeedGroup(QFormLayout* form);
    void buildDeviceGroup(QFormLayout* form);

    void onModelChanged();
    void applyPackLimits(const core::ModelPackEntry& pack);
    void applyPackDefaults(const core::ModelPackEntry& pack);
    void restoreValues();
    void saveValues() const;
    void updateModeRows();
    void updateProblem();
    void changed();
    void pickImage();
    void showModelCard();
    void randomizeSeed();
    std::optional<quint64> parsedSeed() const;

    std::vector<core::ModelPackEntry> m_packs;
    QString m_extendTakeId;
    QString m_imagePath;
    bool m_quiet = false; // while filling widgets from a pack or QSettings

    QComboBox* m_modelCombo = nullptr;
    QToolButton* m_addModelButton = nullptr;
    QToolButton* m_modelCardButton = nullptr;
    QComboBox* m_modeCombo = nullptr;
    QFormLayout* m_clipForm = nullptr;
    QWidget* m_imageRow = nullptr;
    QPushButton* m_pickImageButton = nullptr;
    QLabel* m_imageLabel = nullptr;
    QLabel* m_extendTakeLabel = nullptr;
    QSpinBox* m_extendFramesSpin = nullptr;
    QWidget* m_sizeRow = nullptr;
    QSpinBox* m_widthSpin = nullptr;
    QSpinBox* m_heightSpin = nullptr;
    QSpinBox* m_framesSpin = nullptr;
    QDoubleSpinBox* m_fpsSpin = nullptr;
    QSpinBox* m_stepsSpin = nullptr;
    QDoubleSpinBox* m_guidanceSpin = nullptr;
    QComboBox* m_samplerCombo = nullptr;
    QLineEdit* m_seedEdit = nullptr;
    QToolButton* m_seedLockButton = nullptr;
    QToolButton* m_randomSeedButton = nullptr;
    QSpinBox* m_takesSpin = nullptr;
    QComboBox* m_deviceCombo = nullptr;
    QComboBox* m_precisionCombo = nullptr;
    QLabel* m_problemLabel = nullptr;
};

} // namespace kinora::ui
