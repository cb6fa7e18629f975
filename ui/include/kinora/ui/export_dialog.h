#pragma once
// Asks how to export one take: the preset (codec and container), where to, the size (the take's,
// or enlarged 2x/4x/8x, pixelated or smooth) and the quality, and says what will be written. It
// refuses, with the reason, what the encoder would refuse (DNxHR below 256x120) and asks before
// replacing a file. The export itself runs as a job; request() is what that job is given.

#include "kinora/core/project.h"
#include "kinora/core/transcode.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace kinora::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(
        const core::TakeRecord& take, const QString& absoluteFramesPattern, QWidget* parent = nullptr);

    // The export as the dialog stands: the take's frames read at its rate, written at `size()`.
    core::TranscodeRequest request() const;
    core::VideoCodec codec() const;
    QSize outputSize() const;
    // Why the export cannot run as set (empty when it can); OK is disabled while there is one.
    QString problem() const;

    // `path` with the name and extension `codec` writes: `dir/NAME.ext`, or for a PNG sequence
    // `dir/NAME/NAME_%04d.png` (and back).
    static QString outputPathFor(const QString& path, core::VideoCodec codec);

public Q_SLOTS:
    void accept() override;

private:
    void presetChanged();
    void browse();
    void updateState();

    core::TakeRecord m_take;
    QString m_pattern;
    bool m_overwrite = false;
    QComboBox* m_preset;
    QLineEdit* m_output;
    QComboBox* m_size;
    QComboBox* m_scaling;
    QSpinBox* m_quality;
    QLabel* m_qualityNote;
    QLabel* m_summary;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace kinora::ui
