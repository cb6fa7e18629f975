#include "mask_tools_bar.h"

#include "mask_editor.h"

#include "kinora/core/project.h"

#include <QAction>
#include <QActionGroup>
#include <QColorDialog>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace kinora::ui {

namespace {

QAction* action(QObject* parent, const QString& name, const QString& icon, const QString& text)
{
    auto* action = new QAction(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)), text, parent);
    action->setObjectName(name);
    return action;
}

QSlider* percentSlider(const QString& name, const QString& tip, QWidget* parent)
{
    auto* slider = new QSlider(Qt::Horizontal, parent);
    slider->setObjectName(name);
    slider->setToolTip(tip);
    slider->setRange(0, 100);
    slider->setFocusPolicy(Qt::NoFocus);
    slider->setMaximumWidth(90);
    return slider;
}

QIcon swatch(const QColor& colour)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0xd0, 0xd4, 0xdc), 1));
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 2, 2);
    return QIcon(pixmap);
}

} // namespace

MaskToolsBar::MaskToolsBar(MaskEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
{
    setObjectName(QStringLiteral("maskToolsBar"));
    auto* tools = new QToolBar(this);
    tools->setObjectName(QStringLiteral("maskToolBar"));
    tools->setIconSize(QSize(20, 20));
    tools->setFocusPolicy(Qt::NoFocus);

    auto* group = new QActionGroup(this);
    m_brush = action(this, QStringLiteral("brushAction"), QStringLiteral("brush"), tr("Brush (B)"));
    m_eraser = action(this, QStringLiteral("eraserAction"), QStringLiteral("eraser"), tr("Eraser (E)"));
    for (QAction* tool : { m_brush, m_eraser }) {
        tool->setCheckable(true);
        group->addAction(tool);
        tools->addAction(tool);
    }
    connect(m_brush, &QAction::triggered, this, [this] { m_editor->setTool(MaskEditor::Tool::Brush); });
    connect(m_eraser, &QAction::triggered, this, [this] { m_editor->setTool(MaskEditor::Tool::Eraser); });

    m_size = new QSpinBox(this);
    m_size->setObjectName(QStringLiteral("brushSizeSpin"));
    m_size->setToolTip(tr("Brush size in the footage's pixels ([ and ])"));
    m_size->setRange(static_cast<int>(MaskEditor::kMinBrush), static_cast<int>(MaskEditor::kMaxBrush));
    m_size->setSuffix(tr(" px"));
    m_size->setFocusPolicy(Qt::ClickFocus);
    connect(m_size, &QSpinBox::valueChanged, this, [this](int value) { m_editor->setBrushSize(value); });
    tools->addWidget(m_size);
    tools->addWidget(new QLabel(tr(" Hardness "), this));
    m_hardness = percentSlider(
        QStringLiteral("hardnessSlider"), tr("Hardness: how sharp the brush's edge is"), this);
    connect(m_hardness, &QSlider::valueChanged, this,
        [this](int value) { m_editor->setHardness(value / 100.0); });
    tools->addWidget(m_hardness);
    tools->addSeparator();

    m_colour = new QToolButton(this);
    m_colour->setObjectName(QStringLiteral("overlayColourButton"));
    m_colour->setToolTip(tr("Overlay colour"));
    m_colour->setAutoRaise(true);
    m_colour->setFocusPolicy(Qt::NoFocus);
    connect(m_colour, &QToolButton::clicked, this, &MaskToolsBar::chooseColour);
    tools->addWidget(m_colour);
    tools->addWidget(new QLabel(tr(" Opacity "), this));
    m_opacity = percentSlider(QStringLiteral("overlayOpacitySlider"), tr("Overlay opacity"), this);
    connect(m_opacity, &QSlider::valueChanged, this,
        [this](int value) { m_editor->setOverlayOpacity(value / 100.0); });
    tools->addWidget(m_opacity);
    m_onion = action(this, QStringLiteral("onionSkinAction"), QStringLiteral("onion-skin"),
        tr("Onion skin: the previous frame's mask in orange, the next one's in blue"));
    m_onion->setCheckable(true);
    connect(m_onion, &QAction::toggled, m_editor, &MaskEditor::setOnionSkin);
    tools->addAction(m_onion);
    tools->addSeparator();

    auto* invert
        = action(this, QStringLiteral("invertMaskAction"), QStringLiteral("invert"), tr("Invert the mask"));
    connect(invert, &QAction::triggered, m_editor, &MaskEditor::invert);
    auto* clear
        = action(this, QStringLiteral("clearMaskAction"), QStringLiteral("clear"), tr("Clear the mask"));
    connect(clear, &QAction::triggered, m_editor, &MaskEditor::clear);
    auto* fill
        = action(this, QStringLiteral("fillMaskAction"), QStringLiteral("fill"), tr("Mask the whole frame"));
    connect(fill, &QAction::triggered, m_editor, &MaskEditor::fill);
    m_frameActions = { invert, clear, fill };
    for (QAction* frameAction : m_frameActions)
        tools->addAction(frameAction);
    tools->addSeparator();

    m_previousKey = action(this, QStringLiteral("previousKeyAction"), QStringLiteral("key-previous"),
        tr("Previous mask keyframe"));
    connect(m_previousKey, &QAction::triggered, this, [this] {
        if (m_editor->previousKey() >= 0)
            Q_EMIT seekRequested(m_editor->previousKey());
    });
    m_nextKey
        = action(this, QStringLiteral("nextKeyAction"), QStringLiteral("key-next"), tr("Next mask keyframe"));
    connect(m_nextKey, &QAction::triggered, this, [this] {
        if (m_editor->nextKey() >= 0)
            Q_EMIT seekRequested(m_editor->nextKey());
    });
    m_deleteKey = action(this, QStringLiteral("deleteKeyAction"), QStringLiteral("key-delete"),
        tr("Delete this mask keyframe (the frame goes back to the in-between mask)"));
    connect(m_deleteKey, &QAction::triggered, m_editor, &MaskEditor::deleteKey);
    for (QAction* key : { m_previousKey, m_nextKey, m_deleteKey })
        tools->addAction(key);
    tools->addSeparator();

    m_import
        = action(this, QStringLiteral("importMaskAction"), QStringLiteral("import"), tr("Import a mask"));
    connect(m_import, &QAction::triggered, this, &MaskToolsBar::chooseImport);
    m_export = action(this, QStringLiteral("exportMasksAction"), QStringLiteral("export"),
        tr("Export the clip's masks as PNG images"));
    connect(m_export, &QAction::triggered, this, &MaskToolsBar::chooseExport);
    tools->addAction(m_import);
    tools->addAction(m_export);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("maskStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("maskProgress"));
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(QStringLiteral("maskCancelButton"));
    m_cancel->setIcon(QIcon(QStringLiteral(":/icons/cancel.svg")));
    m_cancel->setToolTip(tr("Cancel"));
    m_cancel->setAutoRaise(true);
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, m_editor, &MaskEditor::cancelJob);

    auto* status = new QHBoxLayout;
    status->setContentsMargins(4, 0, 4, 0);
    status->addWidget(m_status, 1);
    status->addWidget(m_progress);
    status->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addLayout(status);

    connect(m_editor, &MaskEditor::settingsChanged, this, &MaskToolsBar::syncSettings);
    connect(m_editor, &MaskEditor::targetChanged, this, [this] {
        m_lastMessage.clear();
        syncState();
    });
    connect(m_editor, &MaskEditor::keysChanged, this, &MaskToolsBar::syncState);
    connect(m_editor, &MaskEditor::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
        syncState();
    });
    connect(m_editor, &MaskEditor::progressChanged, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, static_cast<int>(std::max<qint64>(total, 0))); // 0: busy, no count yet
        m_progress->setValue(static_cast<int>(done));
    });
    connect(m_editor, &MaskEditor::message, this, [this](const QString& text) {
        m_lastMessage = text;
        syncState();
    });
    syncSettings();
    syncState();
}

QString MaskToolsBar::statusText() const
{
    return m_status->text();
}

void MaskToolsBar::syncSettings()
{
    const QSignalBlocker sizeBlocker(m_size), hardnessBlocker(m_hardness), opacityBlocker(m_opacity),
        onionBlocker(m_onion);
    m_brush->setChecked(m_editor->tool() == MaskEditor::Tool::Brush);
    m_eraser->setChecked(m_editor->tool() == MaskEditor::Tool::Eraser);
    m_size->setValue(static_cast<int>(std::lround(m_editor->brushSize())));
    m_hardness->setValue(static_cast<int>(std::lround(m_editor->hardness() * 100)));
    m_opacity->setValue(static_cast<int>(std::lround(m_editor->overlayOpacity() * 100)));
    m_colour->setIcon(swatch(m_editor->overlayColour()));
    m_onion->setChecked(m_editor->onionSkin());
}

void MaskToolsBar::syncState()
{
    const bool paint = m_editor->canPaint();
    const bool range = m_editor->target().has_value() && !m_editor->isBusy();
    for (QAction* frameAction : m_frameActions)
        frameAction->setEnabled(paint);
    m_deleteKey->setEnabled(paint && m_editor->isKey());
    m_previousKey->setEnabled(range && m_editor->previousKey() >= 0);
    m_nextKey->setEnabled(range && m_editor->nextKey() >= 0);
    m_import->setEnabled(range);
    m_export->setEnabled(range);

    QString text = m_lastMessage;
    if (text.isEmpty() && !m_editor->whyNot().isEmpty())
        text = m_editor->whyNot();
    if (text.isEmpty() && paint) {
        const int64_t frame = m_editor->target()->frame;
        text = m_editor->isKey() ? tr("Frame %1 · keyframe").arg(frame)
                                 : tr("Frame %1 · painting here makes it a keyframe").arg(frame);
    }
    m_status->setText(text);
}

void MaskToolsBar::chooseColour()
{
    const QColor colour = QColorDialog::getColor(m_editor->overlayColour(), this, tr("Overlay colour"));
    if (colour.isValid())
        m_editor->setOverlayColour(colour);
}

void MaskToolsBar::chooseImport()
{
    QMenu menu(this);
    QAction* file = menu.addAction(tr("Mask Video or Image…"));
    QAction* folder = menu.addAction(tr("Folder of Numbered Mask Images…"));
    QAction* chosen = menu.exec(QCursor::pos());
    QString path;
    if (chosen == file)
        path = QFileDialog::getOpenFileName(this, tr("Import a Mask"), QString(),
            tr("Masks (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.mp4 *.mov *.mkv *.avi *.webm);;"
               "All files (*)"));
    else if (chosen == folder)
        path = QFileDialog::getExistingDirectory(this, tr("Import a Folder of Mask Images"));
    if (!path.isEmpty())
        m_editor->importMask(path);
}

void MaskToolsBar::chooseExport()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export Masks to a Folder"));
    if (!folder.isEmpty())
        m_editor->exportMasks(folder);
}

} // namespace kinora::ui
