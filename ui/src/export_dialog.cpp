#include "kinora/ui/export_dialog.h"

#include "export_presets.h"
#include "timeline_ruler.h"

#include "kinora/core/image_sequence.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

using core::Rational;
using core::VideoCodec;

namespace {

QString rateText(Rational rate)
{
    const double fps = rate.value();
    return std::abs(fps - std::round(fps)) < 1e-9 ? QString::number(fps, 'f', 0)
                                                  : QString::number(fps, 'f', 3);
}

// The rates editors deliver at, offered beside the source's own.
constexpr Rational kRates[] = { { 24000, 1001 }, { 24, 1 }, { 25, 1 }, { 30000, 1001 }, { 30, 1 }, { 50, 1 },
    { 60000, 1001 }, { 60, 1 } };
constexpr QSize kSizes[] = { { 3840, 2160 }, { 1920, 1080 }, { 1280, 720 }, { 960, 540 }, { 640, 360 } };

} // namespace

QString ExportDialog::outputPathFor(const QString& path, VideoCodec codec)
{
    const QFileInfo info(path);
    QString dir = info.path();
    QString base = info.completeBaseName();
    if (core::isSequencePattern(path)) {
        static const QRegularExpression numbered(QStringLiteral("^(.*?)_?%0?\\d*d\\.[^.]+$"));
        const auto match = numbered.match(info.fileName());
        base
            = match.hasMatch() && !match.captured(1).isEmpty() ? match.captured(1) : QStringLiteral("frames");
        if (QFileInfo(dir).fileName() == base) // dir/NAME/NAME_%04d.png: back to dir/NAME.ext
            dir = QFileInfo(dir).path();
    }
    if (codec == VideoCodec::Png)
        return QDir(QDir(dir).filePath(base)).filePath(base + QStringLiteral("_%04d.png"));
    return QDir(dir).filePath(base + u'.' + QLatin1String(presetFor(codec).suffixes[0]));
}

ExportDialog::ExportDialog(
    const core::TakeRecord& take, const QString& absoluteFramesPattern, QWidget* parent)
    : ExportDialog(ExportSubjects { {}, {}, {}, -1, -1, take, absoluteFramesPattern, Range::Take }, parent)
{
}

ExportDialog::ExportDialog(ExportSubjects subjects, QWidget* parent)
    : QDialog(parent)
    , m_subjects(std::move(subjects))
    , m_range(new QComboBox(this))
    , m_preset(new QComboBox(this))
    , m_output(new QLineEdit(this))
    , m_size(new QComboBox(this))
    , m_scaling(new QComboBox(this))
    , m_rate(new QComboBox(this))
    , m_quality(new QSpinBox(this))
    , m_qualityNote(new QLabel(this))
    , m_audio(new QCheckBox(tr("Mix in the timeline's sound"), this))
    , m_summary(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("exportDialog"));
    if (m_subjects.timeline && m_subjects.timeline->isEmpty())
        m_subjects.timeline.reset();
    m_range->setObjectName(QStringLiteral("rangeCombo"));
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const auto& preset : exportPresets())
        m_preset->addItem(tr(preset.label), static_cast<int>(preset.codec));
    m_output->setObjectName(QStringLiteral("outputEdit"));
    QString folder = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);

    m_size->setObjectName(QStringLiteral("sizeCombo"));
    m_scaling->setObjectName(QStringLiteral("scalingCombo"));
    m_scaling->addItem(tr("Pixelated"));
    m_scaling->addItem(tr("Smooth"));
    m_scaling->setToolTip(tr("Pixelated keeps every pixel a sharp square; smooth blends them"));
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_size, 1);
    sizeRow->addWidget(m_scaling);
    m_rate->setObjectName(QStringLiteral("rateCombo"));
    m_quality->setObjectName(QStringLiteral("qualitySpin"));
    m_qualityNote->setObjectName(QStringLiteral("qualityNote"));
    auto* qualityRow = new QHBoxLayout;
    qualityRow->addWidget(m_quality);
    qualityRow->addWidget(m_qualityNote, 1);
    m_audio->setObjectName(QStringLiteral("audioCheck"));

    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, QColor(0xe0, 0x6c, 0x5a)); // readable on light and dark
    m_problem->setPalette(warning);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));

    auto* form = new QFormLayout;
    form->addRow(tr("Export:"), m_range);
    form->addRow(tr("Format:"), m_preset);
    form->addRow(tr("Save to:"), outputRow);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(tr("Frame rate:"), m_rate);
    form->addRow(tr("Quality (CRF):"), qualityRow);
    form->addRow(QString(), m_audio);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    buildRanges();
    m_output->setText(QDir::toNativeSeparators(QDir(folder).filePath(baseName() + QStringLiteral(".mp4"))));
    connect(m_range, &QComboBox::currentIndexChanged, this, &ExportDialog::rangeChanged);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ExportDialog::presetChanged);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_output, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(m_size, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_rate, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_quality, &QSpinBox::valueChanged, this, &ExportDialog::updateState);
    connect(m_audio, &QCheckBox::toggled, this, &ExportDialog::updateState);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    rangeChanged();
    presetChanged();
    resize(sizeHint().expandedTo(QSize(560, 0)));
}

void ExportDialog::buildRanges()
{
    const auto& s = m_subjects;
    if (s.timeline) {
        const int64_t frames = s.timeline->duration();
        m_range->addItem(tr("Whole timeline (%1)").arg(timecode(frames, s.timeline->rate())),
            static_cast<int>(Range::Timeline));
        if (s.in >= 0 || s.out >= 0) {
            const int64_t first = std::max<int64_t>(0, s.in);
            const int64_t last = s.out >= 0 ? s.out : frames - 1;
            m_range->addItem(
                tr("In to out (%1 – %2)")
                    .arg(timecode(first, s.timeline->rate()), timecode(last, s.timeline->rate())),
                static_cast<int>(Range::InToOut));
        }
    }
    if (s.take)
        m_range->addItem(tr("Take “%1”").arg(s.take->name), static_cast<int>(Range::Take));
    const int initial = m_range->findData(static_cast<int>(s.initial));
    m_range->setCurrentIndex(std::max(0, initial));
    m_range->setEnabled(m_range->count() > 1);
}

ExportDialog::Range ExportDialog::range() const
{
    return static_cast<Range>(m_range->currentData().toInt());
}

std::pair<int64_t, int64_t> ExportDialog::timelineSpan() const
{
    if (!m_subjects.timeline)
        return { 0, 0 };
    const int64_t duration = m_subjects.timeline->duration();
    if (range() != Range::InToOut)
        return { 0, duration };
    const int64_t first = std::clamp<int64_t>(m_subjects.in, 0, std::max<int64_t>(0, duration - 1));
    const int64_t last = m_subjects.out >= 0 ? std::min(m_subjects.out, duration - 1) : duration - 1;
    return { first, std::max<int64_t>(0, last - first + 1) };
}

QSize ExportDialog::cutSize() const
{
    QSize best;
    const auto [first, count] = timelineSpan();
    for (const core::TimelineClip& clip : m_subjects.timeline->clips()) {
        if (clip.end() <= first || clip.start >= first + count)
            continue;
        const auto it = m_subjects.sources.find(clip.sourceId);
        if (it != m_subjects.sources.end()) {
            const QSize size = it->second.size;
            if (int64_t(size.width()) * size.height() > int64_t(best.width()) * std::max(0, best.height()))
                best = size;
        }
    }
    return best.isValid() ? best : QSize(1280, 720);
}

core::Rational ExportDialog::sourceRate() const
{
    if (exportsTake())
        return Rational::parse(QString::number(m_subjects.take->fps, 'g', 10));
    return m_subjects.timeline->rate();
}

bool ExportDialog::rangeHasSound() const
{
    if (exportsTake() || !m_subjects.timeline)
        return false;
    const auto [first, count] = timelineSpan();
    for (const core::TimelineClip& clip : m_subjects.timeline->clips())
        if (clip.hasAudio && clip.end() > first && clip.start < first + count)
            return true;
    return false;
}

QString ExportDialog::baseName() const
{
    if (exportsTake())
        return sanitizedName(m_subjects.take->name, QStringLiteral("take"));
    return sanitizedName(m_subjects.name, QStringLiteral("cut"));
}

void ExportDialog::rangeChanged()
{
    const bool take = exportsTake();
    setWindowTitle(take ? tr("Export “%1”").arg(m_subjects.take->name) : tr("Export the timeline"));
    const QSignalBlocker sizeBlock(m_size);
    const QSignalBlocker rateBlock(m_rate);
    m_size->clear();
    if (take) {
        const QSize original(m_subjects.take->width, m_subjects.take->height);
        m_size->addItem(tr("Original (%1x%2)").arg(original.width()).arg(original.height()), original);
        for (const int factor : { 2, 4, 8 })
            m_size->addItem(
                tr("%1x (%2x%3)").arg(factor).arg(original.width() * factor).arg(original.height() * factor),
                original * factor);
        // A 64x64 file is smaller than many players and editors take well: start at the first size
        // with a side of at least 256 pixels (the user can still pick the original).
        for (int i = 0; i < m_size->count(); ++i) {
            const QSize size = m_size->itemData(i).toSize();
            if (std::min(size.width(), size.height()) >= 256 || i == m_size->count() - 1) {
                m_size->setCurrentIndex(i);
                break;
            }
        }
        m_scaling->setCurrentIndex(0);
    } else {
        const QSize cut = cutSize();
        m_size->addItem(tr("The cut's (%1x%2)").arg(cut.width()).arg(cut.height()), cut);
        for (const QSize size : kSizes)
            if (size != cut)
                m_size->addItem(tr("%1x%2").arg(size.width()).arg(size.height()), size);
        m_scaling->setCurrentIndex(1);
    }
    m_rate->clear();
    const Rational own = sourceRate();
    m_rate->addItem((take ? tr("The take's (%1 fps)") : tr("The timeline's (%1 fps)")).arg(rateText(own)),
        own.toString());
    for (const Rational rate : kRates)
        if (!(rate == own))
            m_rate->addItem(tr("%1 fps").arg(rateText(rate)), rate.toString());
    const bool sound = rangeHasSound();
    m_audio->setVisible(!take);
    m_audio->setEnabled(sound);
    m_audio->setChecked(sound);
    m_audio->setToolTip(sound ? QString() : tr("No clip in this range has sound"));
    const QString path = QDir::fromNativeSeparators(m_output->text().trimmed());
    if (!path.isEmpty()) {
        const QString renamed = QDir(QFileInfo(path).path()).filePath(baseName() + QStringLiteral(".mp4"));
        m_output->setText(QDir::toNativeSeparators(outputPathFor(renamed, codec())));
    }
    updateState();
}

VideoCodec ExportDialog::codec() const
{
    return static_cast<VideoCodec>(m_preset->currentData().toInt());
}

QSize ExportDialog::outputSize() const
{
    return m_size->currentData().toSize();
}

core::Rational ExportDialog::outputRate() const
{
    const Rational rate = Rational::parse(m_rate->currentData().toString());
    return rate.valid() ? rate : sourceRate();
}

int64_t ExportDialog::outputFrames() const
{
    const Rational from = sourceRate();
    const Rational to = outputRate();
    const int64_t frames = exportsTake() ? m_subjects.take->frames : timelineSpan().second;
    if (from == to || !from.valid() || !to.valid())
        return frames;
    // The same count the writer makes: every output frame whose time falls inside the range.
    const double seconds = double(frames) / from.value();
    return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds * to.value() - 1e-6)));
}

void ExportDialog::presetChanged()
{
    const ExportPreset& preset = presetFor(codec());
    const QString path = QDir::fromNativeSeparators(m_output->text().trimmed());
    if (!path.isEmpty())
        m_output->setText(QDir::toNativeSeparators(outputPathFor(path, preset.codec)));
    const bool crf = preset.defaultCrf >= 0;
    m_quality->setEnabled(crf);
    if (crf) {
        m_quality->setRange(0, preset.maxCrf);
        m_quality->setValue(preset.defaultCrf);
        m_quality->setToolTip(tr("Constant rate factor: lower is better quality and a larger file"));
        m_qualityNote->setText(tr("lower is better (%1 is the preset's)").arg(preset.defaultCrf));
    } else {
        m_quality->setToolTip(tr("%1 has a fixed quality: there is nothing to set").arg(tr(preset.label)));
        m_qualityNote->setText(tr("fixed by the format"));
    }
    updateState();
}

void ExportDialog::browse()
{
    const ExportPreset& preset = presetFor(codec());
    const QString current = QDir::fromNativeSeparators(m_output->text().trimmed());
    if (preset.codec == VideoCodec::Png) {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Export the frames into"), QFileInfo(QFileInfo(current).path()).path());
        if (!folder.isEmpty())
            m_output->setText(
                QDir::toNativeSeparators(QDir(folder).filePath(baseName() + QStringLiteral("_%04d.png"))));
        return;
    }
    const QString filter = tr("%1 (*.%2)").arg(tr(preset.label), QLatin1String(preset.suffixes[0]));
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), current, filter, nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + QLatin1String(preset.suffixes[0]);
    m_output->setText(QDir::toNativeSeparators(path)); // replacing is asked on Export
}

QString ExportDialog::problem() const
{
    const ExportPreset& preset = presetFor(codec());
    const QString path = m_output->text().trimmed();
    const QSize size = outputSize();
    if (m_range->count() == 0)
        return tr("There is nothing to export: put clips on the timeline or make a take first.");
    if (!exportsTake() && timelineSpan().second < 1)
        return tr("The in and out points hold no frame of the timeline.");
    if (path.isEmpty())
        return tr("Choose where to save the export.");
    if (preset.codec == VideoCodec::Png && !core::isSequencePattern(path))
        return tr("A PNG sequence needs a file name with a frame number, such as NAME_%04d.png.");
    if (preset.codec != VideoCodec::Png && !takesSuffix(preset, QFileInfo(path).suffix()))
        return tr("%1 is written to .%2 files.")
            .arg(QLatin1String(preset.shortName), QLatin1String(preset.suffixes[0]));
    if (preset.codec == VideoCodec::DnxHR
        && (size.width() < kDnxhrMinimum.width() || size.height() < kDnxhrMinimum.height()))
        return tr("DNxHR needs frames of at least %1x%2; these are %3x%4. Choose a larger size, or ProRes.")
            .arg(kDnxhrMinimum.width())
            .arg(kDnxhrMinimum.height())
            .arg(size.width())
            .arg(size.height());
    return {};
}

void ExportDialog::updateState()
{
    const ExportPreset& preset = presetFor(codec());
    const QSize size = outputSize();
    const QSize source = exportsTake() ? QSize(m_subjects.take->width, m_subjects.take->height) : size;
    m_scaling->setEnabled(exportsTake() && size != source);
    QString text = tr("%n frame(s), %1x%2, %3 fps, %4", nullptr, static_cast<int>(outputFrames()))
                       .arg(size.width())
                       .arg(size.height())
                       .arg(rateText(outputRate()), QLatin1String(preset.shortName));
    if (!exportsTake())
        text += m_audio->isChecked() ? tr(", with sound") : tr(", no sound");
    m_summary->setText(text);
    const QString reason = problem();
    m_problem->setText(reason);
    m_problem->setVisible(!reason.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(reason.isEmpty());
}

void ExportDialog::accept()
{
    if (!problem().isEmpty())
        return;
    const QString path = QDir::fromNativeSeparators(m_output->text().trimmed());
    const bool exists = core::isSequencePattern(path) ? !core::existingSequenceFiles(path).isEmpty()
                                                      : QFileInfo::exists(path);
    m_overwrite = false;
    if (exists) {
        if (QMessageBox::question(this, tr("Replace?"),
                tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)))
            != QMessageBox::Yes)
            return;
        m_overwrite = true;
    }
    QDialog::accept();
}

core::TranscodeRequest ExportDialog::request() const
{
    const ExportPreset& preset = presetFor(codec());
    core::TranscodeRequest request;
    if (!m_subjects.take)
        return request;
    request.input = m_subjects.takePattern;
    request.output = QDir::fromNativeSeparators(m_output->text().trimmed());
    request.codec = preset.codec;
    request.crf = preset.defaultCrf >= 0 ? m_quality->value() : -1;
    // The frames are an image sequence, which has no rate of its own: read them at the take's.
    request.inputRate = Rational::parse(QString::number(m_subjects.take->fps, 'g', 10));
    if (!(outputRate() == request.inputRate))
        request.fps = outputRate();
    request.size = outputSize();
    request.smoothScaling = m_scaling->currentIndex() == 1;
    request.overwrite = m_overwrite;
    return request;
}

core::TimelineExportRequest ExportDialog::timelineRequest() const
{
    const ExportPreset& preset = presetFor(codec());
    core::TimelineExportRequest request;
    if (!m_subjects.timeline)
        return request;
    request.timeline = *m_subjects.timeline;
    request.sources = m_subjects.sources;
    std::tie(request.first, request.count) = timelineSpan();
    request.output = QDir::fromNativeSeparators(m_output->text().trimmed());
    request.codec = preset.codec;
    request.crf = preset.defaultCrf >= 0 ? m_quality->value() : -1;
    request.size = outputSize();
    request.fps = outputRate();
    request.audio = m_audio->isEnabled() && m_audio->isChecked();
    request.overwrite = m_overwrite;
    return request;
}

} // namespace kinora::ui
