#include "kinora/ui/settings_panel.h"

#include "tool_button.h"

#include "kinora/core/engine_info.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace kinora::ui {

namespace {

const QString kAddedKey = QStringLiteral("models/added");
const QString kGroup = QStringLiteral("generation");
const QString kProblemStyle = QStringLiteral("border: 1px solid #e5534b; border-radius: 2px;");

QString normalDir(const QString& dir)
{
    return QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
}

void selectData(QComboBox* combo, const QVariant& data)
{
    if (const int index = combo->findData(data); index >= 0)
        combo->setCurrentIndex(index);
}

QFormLayout* addGroup(QVBoxLayout* column, const QString& title)
{
    auto* group = new QGroupBox(title);
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    column->addWidget(group);
    return form;
}

} // namespace

bool SettingsPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Wheel) {
        auto* field = qobject_cast<QWidget*>(watched);
        if (field && !field->hasFocus()) {
            if (auto* scroll = findChild<QScrollArea*>())
                QCoreApplication::sendEvent(scroll->verticalScrollBar(), event);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

SettingsPanel::SettingsPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("settingsPanel"));
    m_quiet = true;

    auto* content = new QWidget;
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(4, 4, 4, 4);
    buildModelGroup(addGroup(column, tr("Model")));
    buildClipGroup(addGroup(column, tr("Clip")));
    buildSamplingGroup(addGroup(column, tr("Sampling")));
    buildSeedGroup(addGroup(column, tr("Seed")));
    buildDeviceGroup(addGroup(column, tr("Device")));
    column->addStretch(1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Outside the scroll area, so that the reason generation cannot start is always in view.
    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("settingsProblem"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #f08a80; padding: 4px;"));
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_problemLabel);
    setMinimumWidth(260);

    // The wheel scrolls the panel: a value changes only under the wheel of a field the user
    // clicked into, never of one the pointer happens to pass while scrolling.
    for (auto* field : content->findChildren<QWidget*>()) {
        if (qobject_cast<QAbstractSpinBox*>(field) || qobject_cast<QComboBox*>(field)) {
            field->setFocusPolicy(Qt::StrongFocus);
            field->installEventFilter(this);
        }
    }

    reloadModels();
    restoreValues();
    m_quiet = false;
    updateModeRows();
    updateProblem();
}

void SettingsPanel::buildModelGroup(QFormLayout* form)
{
    m_modelCombo = new QComboBox;
    m_modelCombo->setObjectName(QStringLiteral("modelCombo"));
    m_modelCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modelCombo->setMinimumContentsLength(10);
    connect(m_modelCombo, &QComboBox::currentIndexChanged, this, &SettingsPanel::onModelChanged);

    m_addModelButton = makeToolButton(QStringLiteral("addModelButton"), QStringLiteral(":/icons/folder.svg"),
        tr("Add a model pack folder…"), this);
    connect(m_addModelButton, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a model pack folder"));
        if (dir.isEmpty())
            return;
        if (const QString error = addModel(dir); !error.isEmpty())
            QMessageBox::warning(this, tr("Not a model pack"),
                tr("%1 is not a Kinora model pack:\n\n%2").arg(QDir::toNativeSeparators(dir), error));
    });
    m_modelCardButton = makeToolButton(
        QStringLiteral("modelCardButton"), QStringLiteral(":/icons/info.svg"), tr("About this model…"), this);
    connect(m_modelCardButton, &QToolButton::clicked, this, &SettingsPanel::showModelCard);

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_modelCombo, 1);
    row->addWidget(m_addModelButton);
    row->addWidget(m_modelCardButton);
    form->addRow(tr("Pack"), row);
}

void SettingsPanel::buildClipGroup(QFormLayout* form)
{
    m_clipForm = form;
    m_modeCombo = new QComboBox;
    m_modeCombo->setObjectName(QStringLiteral("modeCombo"));
    m_modeCombo->addItem(tr("Text to video"), int(GenerationSettings::Mode::TextToVideo));
    m_modeCombo->addItem(tr("Image to video"), int(GenerationSettings::Mode::ImageToVideo));
    m_modeCombo->addItem(tr("Extend selected take"), int(GenerationSettings::Mode::ExtendTake));
    connect(m_modeCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateModeRows();
        changed();
    });
    form->addRow(tr("Mode"), m_modeCombo);

    m_imageRow = new QWidget;
    auto* imageLayout = new QHBoxLayout(m_imageRow);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    m_pickImageButton = new QPushButton(QIcon(QStringLiteral(":/icons/open.svg")), tr("Pick image…"));
    m_pickImageButton->setObjectName(QStringLiteral("pickImageButton"));
    m_pickImageButton->setToolTip(tr("The clip's first frame"));
    connect(m_pickImageButton, &QPushButton::clicked, this, &SettingsPanel::pickImage);
    m_imageLabel = new QLabel(tr("No image"));
    m_imageLabel->setObjectName(QStringLiteral("imageLabel"));
    m_imageLabel->setMinimumWidth(40);
    imageLayout->addWidget(m_pickImageButton);
    imageLayout->addWidget(m_imageLabel, 1);
    form->addRow(tr("Image"), m_imageRow);

    m_extendTakeLabel = new QLabel(tr("Select a take in the bin first"));
    m_extendTakeLabel->setObjectName(QStringLiteral("extendTakeLabel"));
    m_extendTakeLabel->setWordWrap(true);
    form->addRow(tr("Take"), m_extendTakeLabel);
    m_extendFramesSpin = new QSpinBox;
    m_extendFramesSpin->setObjectName(QStringLiteral("extendFramesSpin"));
    m_extendFramesSpin->setRange(1, 9999);
    m_extendFramesSpin->setToolTip(tr("How many frames to add after the take's last frame"));
    connect(m_extendFramesSpin, &QSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Add frames"), m_extendFramesSpin);

    m_sizeRow = new QWidget;
    auto* sizeLayout = new QHBoxLayout(m_sizeRow);
    sizeLayout->setContentsMargins(0, 0, 0, 0);
    m_widthSpin = new QSpinBox;
    m_widthSpin->setObjectName(QStringLiteral("widthSpin"));
    m_heightSpin = new QSpinBox;
    m_heightSpin->setObjectName(QStringLiteral("heightSpin"));
    for (QSpinBox* spin : { m_widthSpin, m_heightSpin }) {
        spin->setRange(8, 4096);
        spin->setSuffix(tr(" px"));
        connect(spin, &QSpinBox::valueChanged, this, &SettingsPanel::changed);
    }
    m_widthSpin->setToolTip(tr("Width"));
    m_heightSpin->setToolTip(tr("Height"));
    sizeLayout->addWidget(m_widthSpin, 1);
    sizeLayout->addWidget(new QLabel(QStringLiteral("×")));
    sizeLayout->addWidget(m_heightSpin, 1);
    form->addRow(tr("Size"), m_sizeRow);

    m_framesSpin = new QSpinBox;
    m_framesSpin->setObjectName(QStringLiteral("framesSpin"));
    m_framesSpin->setRange(1, 9999);
    connect(m_framesSpin, &QSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Frames"), m_framesSpin);
    m_fpsSpin = new QDoubleSpinBox;
    m_fpsSpin->setObjectName(QStringLiteral("fpsSpin"));
    m_fpsSpin->setRange(1, 120);
    m_fpsSpin->setDecimals(2);
    m_fpsSpin->setSuffix(tr(" fps"));
    connect(m_fpsSpin, &QDoubleSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Rate"), m_fpsSpin);
}

void SettingsPanel::buildSamplingGroup(QFormLayout* form)
{
    m_stepsSpin = new QSpinBox;
    m_stepsSpin->setObjectName(QStringLiteral("stepsSpin"));
    m_stepsSpin->setRange(1, 200);
    m_stepsSpin->setToolTip(tr("Denoising steps: more is slower and usually cleaner"));
    connect(m_stepsSpin, &QSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Steps"), m_stepsSpin);

    m_guidanceSpin = new QDoubleSpinBox;
    m_guidanceSpin->setObjectName(QStringLiteral("guidanceSpin"));
    m_guidanceSpin->setRange(1, 20);
    m_guidanceSpin->setSingleStep(0.5);
    m_guidanceSpin->setDecimals(1);
    m_guidanceSpin->setToolTip(tr("How strongly the clip follows the prompt (and avoids the negative "
                                  "prompt). 1 = no guidance."));
    connect(m_guidanceSpin, &QDoubleSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Guidance"), m_guidanceSpin);

    m_samplerCombo = new QComboBox;
    m_samplerCombo->setObjectName(QStringLiteral("samplerCombo"));
    for (const QString& name : core::samplerNames())
        m_samplerCombo->addItem(name, name);
    connect(m_samplerCombo, &QComboBox::currentIndexChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Sampler"), m_samplerCombo);
}

void SettingsPanel::buildSeedGroup(QFormLayout* form)
{
    m_seedEdit = new QLineEdit;
    m_seedEdit->setObjectName(QStringLiteral("seedEdit"));
    m_seedEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,19}")), m_seedEdit));
    m_seedEdit->setToolTip(tr("The same prompt, settings and seed make the same take"));
    connect(m_seedEdit, &QLineEdit::textChanged, this, &SettingsPanel::changed);

    m_seedLockButton = makeToolButton(QStringLiteral("seedLockButton"), QStringLiteral(":/icons/unlock.svg"),
        tr("Lock the seed: queued takes keep it instead of drawing a new one"), this);
    m_seedLockButton->setCheckable(true);
    connect(m_seedLockButton, &QToolButton::toggled, this, [this](bool locked) {
        m_seedLockButton->setIcon(
            QIcon(locked ? QStringLiteral(":/icons/lock.svg") : QStringLiteral(":/icons/unlock.svg")));
        changed();
    });
    m_randomSeedButton = makeToolButton(QStringLiteral("randomSeedButton"),
        QStringLiteral(":/icons/dice.svg"), tr("A new random seed"), this);
    connect(m_randomSeedButton, &QToolButton::clicked, this, &SettingsPanel::randomizeSeed);

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_seedEdit, 1);
    row->addWidget(m_seedLockButton);
    row->addWidget(m_randomSeedButton);
    form->addRow(tr("Seed"), row);

    m_takesSpin = new QSpinBox;
    m_takesSpin->setObjectName(QStringLiteral("takesSpin"));
    m_takesSpin->setRange(1, 16);
    m_takesSpin->setToolTip(tr("How many takes to queue, on consecutive seeds"));
    connect(m_takesSpin, &QSpinBox::valueChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Takes"), m_takesSpin);
}

void SettingsPanel::buildDeviceGroup(QFormLayout* form)
{
    m_deviceCombo = new QComboBox;
    m_deviceCombo->setObjectName(QStringLiteral("deviceCombo"));
    m_deviceCombo->addItem(tr("Auto"), QStringLiteral("auto"));
    m_deviceCombo->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_deviceCombo->addItem(tr("CUDA"), QStringLiteral("cuda"));
    m_deviceCombo->setItemData(0, tr("CUDA when this machine has a GPU, else the CPU"), Qt::ToolTipRole);
    if (core::engineInfo().device != QStringLiteral("CUDA")) {
        if (auto* model = qobject_cast<QStandardItemModel*>(m_deviceCombo->model()))
            model->item(2)->setEnabled(false);
        m_deviceCombo->setItemData(2, tr("No CUDA GPU is available to this build"), Qt::ToolTipRole);
    }
    connect(m_deviceCombo, &QComboBox::currentIndexChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Device"), m_deviceCombo);

    m_precisionCombo = new QComboBox;
    m_precisionCombo->setObjectName(QStringLiteral("precisionCombo"));
    m_precisionCombo->addItem(tr("Auto"), QStringLiteral("auto"));
    m_precisionCombo->addItem(tr("fp32"), QStringLiteral("fp32"));
    m_precisionCombo->addItem(tr("bf16"), QStringLiteral("bf16"));
    m_precisionCombo->addItem(tr("fp16"), QStringLiteral("fp16"));
    m_precisionCombo->setItemData(0, tr("bf16 on CUDA, fp32 on the CPU"), Qt::ToolTipRole);
    connect(m_precisionCombo, &QComboBox::currentIndexChanged, this, &SettingsPanel::changed);
    form->addRow(tr("Precision"), m_precisionCombo);
}

GenerationSettings SettingsPanel::settings() const
{
    GenerationSettings s;
    s.mode = static_cast<GenerationSettings::Mode>(m_modeCombo->currentData().toInt());
    s.imagePath = m_imagePath;
    s.extendTakeId = m_extendTakeId;
    if (const core::ModelPackEntry* pack = currentModel())
        s.modelDir = pack->dir;
    s.width = m_widthSpin->value();
    s.height = m_heightSpin->value();
    s.frames = m_framesSpin->value();
    s.fps = m_fpsSpin->value();
    s.steps = m_stepsSpin->value();
    s.guidance = m_guidanceSpin->value();
    s.sampler = m_samplerCombo->currentData().toString();
    s.seed = parsedSeed().value_or(0);
    s.seedLocked = m_seedLockButton->isChecked();
    s.takes = m_takesSpin->value();
    s.device = m_deviceCombo->currentData().toString();
    s.precision = m_precisionCombo->currentData().toString();
    s.extendFrames = m_extendFramesSpin->value();
    return s;
}

QString SettingsPanel::validate() const
{
    const core::ModelPackEntry* pack = currentModel();
    if (!pack)
        return tr("No model pack found: add a pack folder with the folder button next to Pack.");
    if (!pack->ok())
        return tr("The model pack “%1” cannot be used: %2").arg(pack->name, pack->error);
    if (!parsedSeed())
        return tr("The seed must be a whole number from 0 to %1.").arg(kMaxSeed);
    switch (static_cast<GenerationSettings::Mode>(m_modeCombo->currentData().toInt())) {
    case GenerationSettings::Mode::ExtendTake:
        // The take keeps its own size and rate, so only the take itself is needed.
        return m_extendTakeId.isEmpty() ? tr("Select a take in the bin first.") : QString();
    case GenerationSettings::Mode::ImageToVideo:
        if (m_imagePath.isEmpty())
            return tr("Pick the image for the first frame.");
        if (!QFileInfo::exists(m_imagePath))
            return tr("The image %1 is gone.").arg(QDir::toNativeSeparators(m_imagePath));
        break;
    case GenerationSettings::Mode::TextToVideo:
        break;
    }
    QString reason = core::checkGenerationSize(
        *pack, m_widthSpin->value(), m_heightSpin->value(), m_framesSpin->value());
    if (!reason.isEmpty())
        reason[0] = reason[0].toUpper(); // the catalog's reasons read as the end of a sentence
    return reason;
}

void SettingsPanel::setExtendTake(const QString& takeId, const QString& label)
{
    m_extendTakeId = takeId;
    m_extendTakeLabel->setText(takeId.isEmpty() ? tr("Select a take in the bin first") : label);
    changed();
}

void SettingsPanel::setImagePath(const QString& path)
{
    m_imagePath = path;
    m_imageLabel->setText(path.isEmpty() ? tr("No image") : QFileInfo(path).fileName());
    m_imageLabel->setToolTip(QDir::toNativeSeparators(path));
    changed();
}

void SettingsPanel::nextSeed()
{
    if (!m_seedLockButton->isChecked())
        randomizeSeed();
}

void SettingsPanel::setSeed(quint64 seed)
{
    m_seedEdit->setText(QString::number(std::min(seed, kMaxSeed)));
}

void SettingsPanel::randomizeSeed()
{
    // 32-bit seeds: short enough to read out and type back.
    const std::optional<quint64> old = parsedSeed();
    quint64 seed = 0;
    do
        seed = QRandomGenerator::global()->generate();
    while (old && seed == *old);
    setSeed(seed);
}

std::optional<quint64> SettingsPanel::parsedSeed() const
{
    bool ok = false;
    const quint64 seed = m_seedEdit->text().toULongLong(&ok);
    if (!ok || seed > kMaxSeed)
        return std::nullopt;
    return seed;
}

void SettingsPanel::reloadModels()
{
    const bool wasQuiet = std::exchange(m_quiet, true);
    const core::ModelPackEntry* before = currentModel();
    const QString previous = before ? before->dir : QString();

    m_packs = core::listModelPacks(QSettings().value(kAddedKey).toStringList());
    m_modelCombo->clear();
    for (const core::ModelPackEntry& pack : m_packs) {
        if (pack.ok()) {
            m_modelCombo->addItem(QIcon(QStringLiteral(":/icons/model.svg")), pack.name, pack.dir);
            m_modelCombo->setItemData(m_modelCombo->count() - 1,
                tr("%1 (%2, %3)\n%4")
                    .arg(pack.name, pack.family, pack.config, QDir::toNativeSeparators(pack.dir)),
                Qt::ToolTipRole);
        } else {
            m_modelCombo->addItem(pack.name + tr(" — error"), pack.dir);
            m_modelCombo->setItemData(m_modelCombo->count() - 1,
                tr("%1\n%2").arg(QDir::toNativeSeparators(pack.dir), pack.error), Qt::ToolTipRole);
        }
    }

    // The pack in use, else the last one used, else $KINORA_MODEL, else the first that reads.
    int chosen = m_modelCombo->findData(
        previous.isEmpty() ? QSettings().value(kGroup + QStringLiteral("/model")).toString() : previous);
    for (size_t i = 0; chosen < 0 && i < m_packs.size(); ++i)
        if (m_packs[i].origin == QStringLiteral("environment") && m_packs[i].ok())
            chosen = int(i);
    for (size_t i = 0; chosen < 0 && i < m_packs.size(); ++i)
        if (m_packs[i].ok())
            chosen = int(i);
    m_modelCombo->setCurrentIndex(chosen < 0 && !m_packs.empty() ? 0 : chosen);

    if (const core::ModelPackEntry* pack = currentModel()) {
        applyPackLimits(*pack);
        if (pack->dir != previous)
            applyPackDefaults(*pack);
    }
    m_quiet = wasQuiet;
    changed();
}

QString SettingsPanel::addModel(const QString& dir)
{
    const core::ModelPackEntry pack = core::readModelPack(normalDir(dir));
    if (!pack.ok())
        return pack.error;
    QStringList added = QSettings().value(kAddedKey).toStringList();
    if (!added.contains(pack.dir))
        added.append(pack.dir);
    QSettings().setValue(kAddedKey, added);
    reloadModels();
    selectData(m_modelCombo, pack.dir);
    return {};
}

const core::ModelPackEntry* SettingsPanel::currentModel() const
{
    const int index = m_modelCombo->currentIndex();
    if (index < 0 || index >= int(m_packs.size()))
        return nullptr;
    return &m_packs[size_t(index)];
}

void SettingsPanel::onModelChanged()
{
    if (m_quiet)
        return;
    if (const core::ModelPackEntry* pack = currentModel()) {
        const bool wasQuiet = std::exchange(m_quiet, true);
        applyPackLimits(*pack);
        applyPackDefaults(*pack);
        m_quiet = wasQuiet;
    }
    changed();
}

void SettingsPanel::applyPackLimits(const core::ModelPackEntry& pack)
{
    const int multiple = std::max(1, pack.sizeMultiple);
    for (QSpinBox* spin : { m_widthSpin, m_heightSpin }) {
        spin->setSingleStep(multiple);
        spin->setMinimum(multiple);
    }
    // The arrows step through the counts the pack makes itself (Wan: 1 + 4·n); a typed count in
    // between is made at the next one and trimmed.
    m_framesSpin->setSingleStep(std::max(1, pack.frameStep));
    m_modelCardButton->setEnabled(!pack.cardPath.isEmpty());
}

void SettingsPanel::applyPackDefaults(const core::ModelPackEntry& pack)
{
    if (!pack.ok())
        return; // a broken manifest has no defaults worth taking
    m_widthSpin->setValue(pack.width);
    m_heightSpin->setValue(pack.height);
    m_framesSpin->setValue(pack.frames);
    m_fpsSpin->setValue(pack.fps);
    m_stepsSpin->setValue(pack.steps);
    m_guidanceSpin->setValue(pack.guidance);
    if (m_samplerCombo->findData(pack.sampler) < 0)
        m_samplerCombo->addItem(pack.sampler, pack.sampler);
    selectData(m_samplerCombo, pack.sampler);
    m_extendFramesSpin->setValue(pack.frames);
}

void SettingsPanel::restoreValues()
{
    QSettings s;
    s.beginGroup(kGroup);
    const core::ModelPackEntry* pack = currentModel();
    // Values belong to the pack they were chosen for; another pack starts from its own defaults.
    if (pack && pack->ok() && s.value(QStringLiteral("model")).toString() == pack->dir) {
        m_widthSpin->setValue(s.value(QStringLiteral("width"), pack->width).toInt());
        m_heightSpin->setValue(s.value(QStringLiteral("height"), pack->height).toInt());
        m_framesSpin->setValue(s.value(QStringLiteral("frames"), pack->frames).toInt());
        m_fpsSpin->setValue(s.value(QStringLiteral("fps"), pack->fps).toDouble());
        m_stepsSpin->setValue(s.value(QStringLiteral("steps"), pack->steps).toInt());
        m_guidanceSpin->setValue(s.value(QStringLiteral("guidance"), pack->guidance).toDouble());
        selectData(m_samplerCombo, s.value(QStringLiteral("sampler")));
        m_extendFramesSpin->setValue(s.value(QStringLiteral("extendFrames"), pack->frames).toInt());
    }
    selectData(m_modeCombo, s.value(QStringLiteral("mode"), 0));
    setImagePath(s.value(QStringLiteral("imagePath")).toString());
    m_takesSpin->setValue(s.value(QStringLiteral("takes"), 1).toInt());
    const int device = m_deviceCombo->findData(s.value(QStringLiteral("device"), QStringLiteral("auto")));
    if (auto* model = qobject_cast<QStandardItemModel*>(m_deviceCombo->model());
        device >= 0 && model && model->item(device)->isEnabled())
        m_deviceCombo->setCurrentIndex(device);
    selectData(m_precisionCombo, s.value(QStringLiteral("precision"), QStringLiteral("auto")));
    // An unlocked seed is new each session; a locked one is the artist's choice and comes back.
    const bool locked = s.value(QStringLiteral("seedLocked"), false).toBool();
    m_seedLockButton->setChecked(locked);
    bool ok = false;
    const quint64 seed = s.value(QStringLiteral("seed")).toString().toULongLong(&ok);
    if (locked && ok)
        setSeed(seed);
    else
        randomizeSeed();
}

void SettingsPanel::saveValues() const
{
    const GenerationSettings v = settings();
    QSettings s;
    s.beginGroup(kGroup);
    s.setValue(QStringLiteral("model"), v.modelDir);
    s.setValue(QStringLiteral("mode"), int(v.mode));
    s.setValue(QStringLiteral("imagePath"), v.imagePath);
    s.setValue(QStringLiteral("width"), v.width);
    s.setValue(QStringLiteral("height"), v.height);
    s.setValue(QStringLiteral("frames"), v.frames);
    s.setValue(QStringLiteral("fps"), v.fps);
    s.setValue(QStringLiteral("steps"), v.steps);
    s.setValue(QStringLiteral("guidance"), v.guidance);
    s.setValue(QStringLiteral("sampler"), v.sampler);
    s.setValue(QStringLiteral("seed"), QString::number(v.seed));
    s.setValue(QStringLiteral("seedLocked"), v.seedLocked);
    s.setValue(QStringLiteral("takes"), v.takes);
    s.setValue(QStringLiteral("device"), v.device);
    s.setValue(QStringLiteral("precision"), v.precision);
    s.setValue(QStringLiteral("extendFrames"), v.extendFrames);
}

void SettingsPanel::updateModeRows()
{
    const auto mode = static_cast<GenerationSettings::Mode>(m_modeCombo->currentData().toInt());
    const bool extend = mode == GenerationSettings::Mode::ExtendTake;
    m_clipForm->setRowVisible(m_imageRow, mode == GenerationSettings::Mode::ImageToVideo);
    m_clipForm->setRowVisible(m_extendTakeLabel, extend);
    m_clipForm->setRowVisible(m_extendFramesSpin, extend);
    // An extension continues the take at its own size and rate.
    m_clipForm->setRowVisible(m_sizeRow, !extend);
    m_clipForm->setRowVisible(m_framesSpin, !extend);
    m_clipForm->setRowVisible(m_fpsSpin, !extend);
}

void SettingsPanel::updateProblem()
{
    const QString problem = validate();
    m_problemLabel->setText(problem);
    m_problemLabel->setVisible(!problem.isEmpty());

    const core::ModelPackEntry* pack = currentModel();
    const bool sized = pack && pack->ok()
        && m_modeCombo->currentData().toInt() != int(GenerationSettings::Mode::ExtendTake);
    const int multiple = pack ? std::max(1, pack->sizeMultiple) : 1;
    const auto mark = [&](QWidget* widget, bool bad) {
        widget->setStyleSheet(bad ? kProblemStyle : QString());
        widget->setProperty("problem", bad);
    };
    mark(m_widthSpin, sized && m_widthSpin->value() % multiple != 0);
    mark(m_heightSpin, sized && m_heightSpin->value() % multiple != 0);
    mark(m_framesSpin, sized && pack->maxFrames > 0 && m_framesSpin->value() > pack->maxFrames);
    mark(m_seedEdit, !parsedSeed());
    mark(m_modelCombo, pack && !pack->ok());
}

void SettingsPanel::changed()
{
    if (m_quiet)
        return;
    updateProblem();
    saveValues();
    Q_EMIT settingsChanged();
}

void SettingsPanel::pickImage()
{
    const QString start = m_imagePath.isEmpty() ? QDir::homePath() : QFileInfo(m_imagePath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("The first frame"), start, tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
    if (!path.isEmpty())
        setImagePath(path);
}

void SettingsPanel::showModelCard()
{
    const core::ModelPackEntry* pack = currentModel();
    if (!pack || pack->cardPath.isEmpty())
        return;
    QFile file(pack->cardPath);
    if (!file.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Model card"), tr("Cannot read %1.").arg(pack->cardPath));
        return;
    }
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("modelCardDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("About %1").arg(pack->name));
    auto* browser = new QTextBrowser(dialog);
    browser->setObjectName(QStringLiteral("modelCardText"));
    browser->setOpenExternalLinks(true);
    // The card's images (a contact sheet) are relative to the pack folder.
    browser->setSearchPaths({ QFileInfo(pack->cardPath).absolutePath() });
    browser->setMarkdown(QString::fromUtf8(file.readAll()));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(browser, 1);
    layout->addWidget(buttons);
    dialog->resize(680, 620);
    dialog->show();
}

} // namespace kinora::ui
