#pragma once
// Asks what to export and how: the range (the whole timeline, in to out, or one take), the preset
// (codec and container), where to, the size, the frame rate, the quality and, for the timeline,
// whether its sound is mixed in; and says what will be written. It refuses, with the reason, what
// the encoder would refuse (DNxHR below 256x120) and asks before replacing a file. The timeline is
// a snapshot taken when the dialog opens, so editing while the export runs changes nothing in the
// file. The export runs as a job; request() / timelineRequest() are what that job is given.

#include "kinora/core/project.h"
#include "kinora/core/timeline_export.h"
#include "kinora/core/transcode.h"

#include <QDialog>

#include <map>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace kinora::ui {

// What can be exported when the dialog opens.
struct ExportSubjects {
    enum class Range { Timeline, InToOut, Take };
    QString name; // the project's name, for the default file name of a timeline export
    std::optional<core::Timeline> timeline; // a snapshot; none or empty: no timeline ranges
    std::map<QString, core::SourceDetails> sources; // the timeline's sources
    int64_t in = -1; // the transport's in and out points (inclusive; -1 unset)
    int64_t out = -1;
    std::optional<core::TakeRecord> take; // one take, with the absolute pattern of its frames
    QString takePattern;
    Range initial = Range::Timeline;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    using Range = ExportSubjects::Range;

    ExportDialog(ExportSubjects subjects, QWidget* parent = nullptr);
    // One take only (the takes bin's Export).
    ExportDialog(
        const core::TakeRecord& take, const QString& absoluteFramesPattern, QWidget* parent = nullptr);

    Range range() const;
    bool exportsTake() const { return range() == Range::Take; }
    // The take's export (range Take): its frames read at its rate, written at `outputSize()`.
    core::TranscodeRequest request() const;
    // The timeline's export (ranges Timeline and InToOut).
    core::TimelineExportRequest timelineRequest() const;
    core::VideoCodec codec() const;
    QSize outputSize() const;
    core::Rational outputRate() const;
    int64_t outputFrames() const; // at outputRate()
    // Why the export cannot run as set (empty when it can); Export is disabled while there is one.
    QString problem() const;

    // `path` with the name and extension `codec` writes: `dir/NAME.ext`, or for a PNG sequence
    // `dir/NAME/NAME_%04d.png` (and back).
    static QString outputPathFor(const QString& path, core::VideoCodec codec);

public Q_SLOTS:
    void accept() override;

private:
    void buildRanges();
    void rangeChanged();
    void presetChanged();
    void browse();
    void updateState();
    // Timeline frames [first, first + count) of the chosen range.
    std::pair<int64_t, int64_t> timelineSpan() const;
    QSize cutSize() const;
    core::Rational sourceRate() const;
    bool rangeHasSound() const;
    QString baseName() const;

    ExportSubjects m_subjects;
    bool m_overwrite = false;
    QComboBox* m_range;
    QComboBox* m_preset;
    QLineEdit* m_output;
    QComboBox* m_size;
    QComboBox* m_scaling;
    QComboBox* m_rate;
    QSpinBox* m_quality;
    QLabel* m_qualityNote;
    QCheckBox* m_audio;
    QLabel* m_summary;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace kinora::ui
