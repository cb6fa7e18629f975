#include "kinora/ui/clip_job_dialog.h"

#include "kinora/core/footage_jobs.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kinora::ui {

namespace {

QString titleFor(ClipJobDialog::Kind kind)
{
    switch (kind) {
    case ClipJobDialog::Kind::Inpaint:
        return ClipJobDialog::tr("Inpaint Clip");
    case ClipJobDialog::Kind::Interpolate:
        return ClipJobDialog::tr("Interpolate Clip");
    case ClipJobDialog::Kind::Extend:
        return ClipJobDialog::tr("Extend Clip");
    case ClipJobDialog::Kind::ImageToVideo:
        return ClipJobDialog::tr("Image to Video");
    }
    return {};
}

QString fpsText(double fps)
{
    return QString::number(fps, 'f', fps == static_cast<int>(fps) ? 0 : 3);
}

} // namespace

ClipJobDialog::ClipJobDialog(Kind kind, const QString& clipName, int64_t frames, core::Rational fps,
    const QString& method, QWidget* parent)
    : QDialog(parent)
    , m_kind(kind)
    , m_frames(frames)
    , m_fps(fps.valid() ? fps : core::Rational { 24, 1 })
{
    setObjectName(QStringLiteral("clipJobDialog"));
    setWindowTitle(titleFor(kind));
    auto* form = new QFormLayout;
    form->addRow(tr("Clip:"),
        new QLabel(tr("%1 — %n frame(s) at %2 fps", nullptr, static_cast<int>(frames))
                       .arg(clipName, fpsText(m_fps.value())),
            this));

    // Interpolation and inpainting can run without a model (optical flow) or with the pack
    // (diffusion); extending and image-to-video are the model's only.
    const bool choice = kind == Kind::Inpaint || kind == Kind::Interpolate;
    if (choice) {
        m_method = new QComboBox(this);
        m_method->setObjectName(QStringLiteral("clipJobMethod"));
        m_method->addItem(tr("Auto (optical flow on footage)"), QStringLiteral("auto"));
        m_method->addItem(tr("Optical flow"), QStringLiteral("flow"));
        m_method->addItem(tr("Diffusion (the model)"), QStringLiteral("diffusion"));
        const int index = m_method->findData(method);
        m_method->setCurrentIndex(index >= 0 ? index : 0);
        form->addRow(tr("&Method:"), m_method);
        connect(m_method, &QComboBox::currentIndexChanged, this, &ClipJobDialog::updateSummary);
    }
    if (kind == Kind::Interpolate) {
        m_byFactor = new QRadioButton(tr("By a &factor"), this);
        m_byFactor->setObjectName(QStringLiteral("clipJobByFactor"));
        m_byFactor->setChecked(true);
        m_factor = new QSpinBox(this);
        m_factor->setObjectName(QStringLiteral("clipJobFactor"));
        m_factor->setRange(2, 16);
        m_factor->setSuffix(QStringLiteral("×"));
        auto* factorRow = new QHBoxLayout;
        factorRow->addWidget(m_byFactor);
        factorRow->addWidget(m_factor, 1);
        form->addRow(factorRow);
        m_byRate = new QRadioButton(tr("To a frame &rate"), this);
        m_byRate->setObjectName(QStringLiteral("clipJobByRate"));
        m_rate = new QDoubleSpinBox(this);
        m_rate->setObjectName(QStringLiteral("clipJobRate"));
        m_rate->setRange(1, 240);
        m_rate->setDecimals(3);
        m_rate->setSuffix(tr(" fps"));
        m_rate->setValue(m_fps.value() * 2);
        m_rate->setEnabled(false);
        auto* rateRow = new QHBoxLayout;
        rateRow->addWidget(m_byRate);
        rateRow->addWidget(m_rate, 1);
        form->addRow(rateRow);
        connect(m_byRate, &QRadioButton::toggled, m_rate, &QWidget::setEnabled);
        connect(m_byRate, &QRadioButton::toggled, m_factor, &QWidget::setDisabled);
        connect(m_byRate, &QRadioButton::toggled, this, &ClipJobDialog::updateSummary);
        connect(m_factor, &QSpinBox::valueChanged, this, &ClipJobDialog::updateSummary);
        connect(m_rate, &QDoubleSpinBox::valueChanged, this, &ClipJobDialog::updateSummary);
    }
    if (kind == Kind::Extend) {
        m_extend = new QSpinBox(this);
        m_extend->setObjectName(QStringLiteral("clipJobExtendFrames"));
        m_extend->setRange(1, 10000);
        m_extend->setValue(16);
        m_extend->setSuffix(tr(" frames"));
        form->addRow(tr("&Add:"), m_extend);
        connect(m_extend, &QSpinBox::valueChanged, this, &ClipJobDialog::updateSummary);
    }
    if (kind != Kind::Interpolate) {
        m_prompt = new QLineEdit(this);
        m_prompt->setObjectName(QStringLiteral("clipJobPrompt"));
        m_prompt->setPlaceholderText(kind == Kind::Inpaint ? tr("What to paint in (diffusion only; optional)")
                                                           : tr("What happens next (optional)"));
        form->addRow(tr("&Prompt:"), m_prompt);
    }
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("clipJobSummary"));
    m_summary->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Queue"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    updateSummary();
}

int ClipJobDialog::factor() const
{
    if (!m_factor || (m_byRate && m_byRate->isChecked()))
        return 0;
    return m_factor->value();
}

core::Rational ClipJobDialog::targetFps() const
{
    if (!m_byRate || !m_byRate->isChecked())
        return {};
    return core::Rational::parse(QString::number(m_rate->value(), 'f', 3));
}

int ClipJobDialog::extendFrames() const
{
    return m_extend ? m_extend->value() : 0;
}

QString ClipJobDialog::method() const
{
    return m_method ? m_method->currentData().toString() : QStringLiteral("diffusion");
}

QString ClipJobDialog::prompt() const
{
    return m_prompt ? m_prompt->text().trimmed() : QString();
}

int64_t ClipJobDialog::outputFrames() const
{
    switch (m_kind) {
    case Kind::Interpolate: {
        const auto retiming
            = factor() > 0 ? core::Retiming::byFactor(factor()) : core::Retiming::toRate(m_fps, targetFps());
        return retiming.outputFrames(m_frames);
    }
    case Kind::Extend:
        return m_frames + extendFrames();
    case Kind::Inpaint:
        return m_frames;
    case Kind::ImageToVideo:
        return 0; // the model's default length
    }
    return 0;
}

QString ClipJobDialog::summary() const
{
    return m_summary->text();
}

void ClipJobDialog::updateSummary()
{
    QString text;
    const QString where = tr("The result becomes a new take on the track above the clip.");
    switch (m_kind) {
    case Kind::Interpolate: {
        const double rate = factor() > 0 ? m_fps.value() * factor() : targetFps().value();
        text = tr("Makes %n frame(s) at %1 fps.", nullptr, static_cast<int>(outputFrames()))
                   .arg(fpsText(rate));
        break;
    }
    case Kind::Extend:
        text = tr("Makes the clip %n frame(s) long: its frames, then new ones from the model.", nullptr,
            static_cast<int>(outputFrames()));
        break;
    case Kind::Inpaint:
        text = tr("Repaints the masked area of all %n frame(s); pixels outside the mask stay as they are.",
            nullptr, static_cast<int>(m_frames));
        break;
    case Kind::ImageToVideo:
        text = tr("Makes a clip that starts from the frame under the playhead.");
        break;
    }
    if (m_method && method() == QLatin1String("auto"))
        text += QLatin1Char(' ') + tr("Auto uses optical flow on footage and says so when the job is done.");
    m_summary->setText(text + QLatin1Char(' ') + where);
}

} // namespace kinora::ui
