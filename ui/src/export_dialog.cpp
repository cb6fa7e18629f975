#include "kinora/ui/export_dialog.h"

#include <algorithm>

#include "kinora/core/image_sequence.h"
#include "kinora/core/video_writer.h"

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

#include <array>

namespace kinora::ui {

using core::VideoCodec;

namespace {

struct ExportPreset {
    VideoCodec codec;
    const char* label; // translated in the combo
    const char* shortName; // "H.264", for the summary line
    std::array<const char*, 3> suffixes; // the first is the preset's; all are what the writer takes
    int defaultCrf; // < 0: the codec has no CRF
    int maxCrf;
};

constexpr std::array<ExportPreset, 10> kPresets { {
    { VideoCodec::H264, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "H.264 MP4 (.mp4)"), "H.264",
        { "mp4", "mov", "mkv" }, 18, 51 },
    { VideoCodec::H265, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "H.265 MP4 (.mp4)"), "H.265",
        { "mp4", "mov", "mkv" }, 20, 51 },
    { VideoCodec::ProRes, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "ProRes 422 HQ (.mov)"),
        "ProRes 422 HQ", { "mov", nullptr, nullptr }, -1, 0 },
    { VideoCodec::ProRes4444, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "ProRes 4444 (.mov)"),
        "ProRes 4444", { "mov", nullptr, nullptr }, -1, 0 },
    { VideoCodec::DnxHR, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "DNxHR HQ (.mov)"), "DNxHR HQ",
        { "mov", nullptr, nullptr }, -1, 0 },
    { VideoCodec::Vp9, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "VP9 WebM (.webm)"), "VP9",
        { "webm", "mkv", nullptr }, 31, 63 },
    { VideoCodec::Av1, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "AV1 (.mp4 or .mkv)"), "AV1",
        { "mp4", "mkv", "webm" }, 30, 63 },
    { VideoCodec::Gif, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "GIF (.gif)"), "GIF",
        { "gif", nullptr, nullptr }, -1, 0 },
    { VideoCodec::Png,
        QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "PNG sequence (folder of NAME_0000.png)"), "PNG",
        { "png", nullptr, nullptr }, -1, 0 },
    { VideoCodec::Ffv1, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "FFV1 lossless (.mkv)"), "FFV1",
        { "mkv", nullptr, nullptr }, -1, 0 },
} };

// DNxHR's smallest frame: the writer refuses anything smaller (video_writer.cpp).
constexpr QSize kDnxhrMinimum { 256, 120 };

const ExportPreset& presetFor(VideoCodec codec)
{
    for (const auto& preset : kPresets)
        if (preset.codec == codec)
            return preset;
    return kPresets.front();
}

bool takesSuffix(const ExportPreset& preset, const QString& suffix)
{
    for (const char* s : preset.suffixes)
        if (s && suffix.compare(QLatin1String(s), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

// A take's name as a file name: no separators or characters some file systems refuse.
QString sanitizedName(const QString& name)
{
    QString out;
    for (const QChar c : name)
        out += c.isLetterOrNumber() || c == u' ' || c == u'-' || c == u'_' || c == u'.' ? c : QChar(u'_');
    out = out.simplified();
    while (out.startsWith(u'.'))
        out.remove(0, 1);
    return out.isEmpty() ? QStringLiteral("take") : out;
}

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
    : QDialog(parent)
    , m_take(take)
    , m_pattern(absoluteFramesPattern)
    , m_preset(new QComboBox(this))
    , m_output(new QLineEdit(this))
    , m_size(new QComboBox(this))
    , m_scaling(new QComboBox(this))
    , m_quality(new QSpinBox(this))
    , m_qualityNote(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export “%1”").arg(take.name));

    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const auto& preset : kPresets)
        m_preset->addItem(tr(preset.label), static_cast<int>(preset.codec));

    m_output->setObjectName(QStringLiteral("outputEdit"));
    QString folder = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    m_output->setText(
        QDir::toNativeSeparators(QDir(folder).filePath(sanitizedName(take.name) + QStringLiteral(".mp4"))));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);

    m_size->setObjectName(QStringLiteral("sizeCombo"));
    const QSize original(take.width, take.height);
    m_size->addItem(tr("Original (%1x%2)").arg(original.width()).arg(original.height()), 1);
    for (const int factor : { 2, 4, 8 })
        m_size->addItem(
            tr("%1x (%2x%3)").arg(factor).arg(original.width() * factor).arg(original.height() * factor),
            factor);
    // A 64x64 file is smaller than many players and editors take well: start at the first size
    // with a side of at least 256 pixels (the user can still pick the original).
    for (int i = 0; i < m_size->count(); ++i) {
        const int factor = m_size->itemData(i).toInt();
        if (std::min(original.width(), original.height()) * factor >= 256 || i == m_size->count() - 1) {
            m_size->setCurrentIndex(i);
            break;
        }
    }
    m_scaling->setObjectName(QStringLiteral("scalingCombo"));
    m_scaling->addItem(tr("Pixelated"));
    m_scaling->addItem(tr("Smooth"));
    m_scaling->setToolTip(tr("Pixelated keeps every pixel a sharp square; smooth blends them"));
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_size, 1);
    sizeRow->addWidget(m_scaling);

    m_quality->setObjectName(QStringLiteral("qualitySpin"));
    m_qualityNote->setObjectName(QStringLiteral("qualityNote"));
    auto* qualityRow = new QHBoxLayout;
    qualityRow->addWidget(m_quality);
    qualityRow->addWidget(m_qualityNote, 1);

    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, QColor(0xe0, 0x6c, 0x5a)); // readable on light and dark
    m_problem->setPalette(warning);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));

    auto* form = new QFormLayout;
    form->addRow(tr("Format:"), m_preset);
    form->addRow(tr("Save to:"), outputRow);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(tr("Quality (CRF):"), qualityRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &ExportDialog::presetChanged);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_output, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(m_size, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_quality, &QSpinBox::valueChanged, this, &ExportDialog::updateState);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    presetChanged();
    resize(sizeHint().expandedTo(QSize(520, 0)));
}

VideoCodec ExportDialog::codec() const
{
    return static_cast<VideoCodec>(m_preset->currentData().toInt());
}

QSize ExportDialog::outputSize() const
{
    return QSize(m_take.width, m_take.height) * m_size->currentData().toInt();
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
            m_output->setText(QDir::toNativeSeparators(
                QDir(folder).filePath(sanitizedName(m_take.name) + QStringLiteral("_%04d.png"))));
        return;
    }
    const QString filter = tr("%1 (*.%2)").arg(tr(preset.label), QLatin1String(preset.suffixes[0]));
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export take"), current, filter, nullptr, QFileDialog::DontConfirmOverwrite);
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
    m_scaling->setEnabled(m_size->currentData().toInt() > 1);
    m_summary->setText(tr("%n frame(s), %1x%2, %3 fps, %4", nullptr, m_take.frames)
                           .arg(size.width())
                           .arg(size.height())
                           .arg(QString::number(m_take.fps, 'g', 4), QLatin1String(preset.shortName)));
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
    request.input = m_pattern;
    request.output = QDir::fromNativeSeparators(m_output->text().trimmed());
    request.codec = preset.codec;
    request.crf = preset.defaultCrf >= 0 ? m_quality->value() : -1;
    // The frames are an image sequence, which has no rate of its own: read them at the take's.
    request.inputRate = core::Rational::parse(QString::number(m_take.fps, 'g', 10));
    request.size = outputSize();
    request.smoothScaling = m_scaling->currentIndex() == 1;
    request.overwrite = m_overwrite;
    return request;
}

} // namespace kinora::ui
