#pragma once
// Asks how to run a job on a timeline clip before it is queued: interpolate by a factor or to a frame
// rate, extend by how many frames, and for every job the method (auto, flow, diffusion where the job
// has that choice) and the prompt the diffusion methods use. It says what will be made (frames and
// rate, computed by the same re-timing the job uses), so the count is never a surprise.

#include "kinora/core/media.h"

#include <QDialog>
#include <QString>

#include <cstdint>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace kinora::ui {

class ClipJobDialog : public QDialog {
    Q_OBJECT
public:
    enum class Kind { Inpaint, Interpolate, Extend, ImageToVideo };

    // `frames` and `fps`: the clip's; `method`: the setting to start from ("auto", "flow",
    // "diffusion").
    ClipJobDialog(Kind kind, const QString& clipName, int64_t frames, core::Rational fps,
        const QString& method, QWidget* parent = nullptr);

    Kind kind() const { return m_kind; }
    int factor() const; // interpolate by a factor (0 when by a rate)
    core::Rational targetFps() const; // interpolate to a rate (invalid when by a factor)
    int extendFrames() const;
    QString method() const; // "auto", "flow" or "diffusion"
    QString prompt() const;
    // What the job will make: its frame count (interpolate, extend) for the summary line.
    int64_t outputFrames() const;
    QString summary() const;

private:
    void updateSummary();

    Kind m_kind;
    int64_t m_frames;
    core::Rational m_fps;
    QComboBox* m_method = nullptr;
    QRadioButton* m_byFactor = nullptr;
    QRadioButton* m_byRate = nullptr;
    QSpinBox* m_factor = nullptr;
    QDoubleSpinBox* m_rate = nullptr;
    QSpinBox* m_extend = nullptr;
    QLineEdit* m_prompt = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace kinora::ui
