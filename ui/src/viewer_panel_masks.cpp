// ViewerPanel's mask painter: the mask button and keys, and which source frame is painted (the
// selected timeline clip's under the playhead, or the bin item shown in source mode).

#include "kinora/ui/viewer_panel.h"

#include "mask_editor.h"
#include "mask_key_row.h"
#include "mask_tools_bar.h"
#include "viewer_canvas.h"

#include "kinora/ui/transport.h"

#include <QIcon>
#include <QKeyEvent>
#include <QToolButton>

namespace kinora::ui {

namespace {

constexpr double kBrushStep = 1.25; // [ and ] scale the brush by this

} // namespace

void ViewerPanel::buildMaskParts()
{
    m_maskButton->setObjectName(QStringLiteral("maskModeButton"));
    m_maskButton->setIcon(QIcon(QStringLiteral(":/icons/mask.svg")));
    m_maskButton->setText(tr("Mask"));
    m_maskButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_maskButton->setToolTip(tr("Paint masks on the selected clip (M)"));
    m_maskButton->setCheckable(true);
    m_maskButton->setAutoRaise(true);
    m_maskButton->setFocusPolicy(Qt::NoFocus);
    connect(m_maskButton, &QToolButton::toggled, this, &ViewerPanel::setMaskMode);

    m_canvas->setMaskEditor(m_maskEditor);
    m_maskTools->hide();
    m_keyRow->hide();
    connect(m_maskTools, &MaskToolsBar::seekRequested, this, &ViewerPanel::seekSourceFrame);
    connect(m_keyRow, &MaskKeyRow::seekRequested, this, &ViewerPanel::seekSourceFrame);
}

void ViewerPanel::setMaskClip(const QString& clipId)
{
    if (clipId == m_maskClipId)
        return;
    m_maskClipId = clipId;
    refresh();
}

void ViewerPanel::setMaskMode(bool on)
{
    if (on == m_maskMode)
        return;
    m_maskMode = on;
    {
        const QSignalBlocker blocker(m_maskButton);
        m_maskButton->setChecked(on);
    }
    m_maskTools->setVisible(on);
    m_keyRow->setVisible(on);
    if (on)
        m_canvas->setCursor(Qt::CrossCursor);
    else
        m_canvas->unsetCursor();
    m_maskEditor->setActive(on);
    refresh();
    Q_EMIT maskModeChanged(on);
}

const core::TimelineClip* ViewerPanel::maskTimelineClip() const
{
    return m_project && !m_maskClipId.isEmpty() ? m_project->timeline().clip(m_maskClipId) : nullptr;
}

void ViewerPanel::updateMaskTarget()
{
    if (!m_project) {
        m_maskEditor->setTarget(std::nullopt);
        return;
    }
    MaskTarget target;
    QString whyNot;
    if (m_mode == Mode::Source) {
        const auto source = m_project->source(m_sourceId);
        if (!source) {
            m_maskEditor->setTarget(std::nullopt);
            return;
        }
        target = { source->id, source->size, 0, source->still ? 1 : source->frames,
            m_sourceTransport->playhead() };
    } else {
        const core::TimelineClip* clip = maskTimelineClip();
        if (!clip) {
            m_maskEditor->setTarget(std::nullopt, tr("Select a clip on the timeline to paint its masks."));
            return;
        }
        const auto source = m_project->source(clip->sourceId);
        if (!source) {
            m_maskEditor->setTarget(
                std::nullopt, tr("The selected clip's source is no longer in the project."));
            return;
        }
        const int64_t playhead = m_timelineTransport->playhead();
        target = { source->id, source->size, clip->sourceIn, clip->sourceOffset(clip->length - 1) + 1,
            clip->covers(playhead) ? clip->sourceFrameAt(playhead) : -1 };
        if (target.frame < 0)
            whyNot = tr("Move the playhead onto the selected clip to paint its mask.");
    }
    if (target.size.isEmpty())
        whyNot = tr("The size of “%1” is not known yet.").arg(m_project->source(target.sourceId)->name);
    m_maskEditor->setTarget(target, whyNot);
}

void ViewerPanel::seekSourceFrame(int64_t sourceFrame)
{
    if (m_mode == Mode::Source) {
        m_sourceTransport->pause();
        m_sourceTransport->setPlayhead(sourceFrame);
        return;
    }
    const core::TimelineClip* clip = maskTimelineClip();
    if (!clip)
        return;
    // The first timeline frame of the clip whose source frame is at or past `sourceFrame`.
    int64_t low = clip->start, high = clip->end() - 1;
    while (low < high) {
        const int64_t middle = low + (high - low) / 2;
        if (clip->sourceFrameAt(middle) >= sourceFrame)
            high = middle;
        else
            low = middle + 1;
    }
    m_timelineTransport->pause();
    m_timelineTransport->setPlayhead(low);
}

bool ViewerPanel::handleMaskKey(QKeyEvent* event)
{
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    if (event->key() == Qt::Key_M) {
        setMaskMode(!m_maskMode);
        return true;
    }
    if (!m_maskMode)
        return false;
    switch (event->key()) {
    case Qt::Key_B:
        m_maskEditor->setTool(MaskEditor::Tool::Brush);
        return true;
    case Qt::Key_E:
        m_maskEditor->setTool(MaskEditor::Tool::Eraser);
        return true;
    case Qt::Key_BracketLeft:
        m_maskEditor->setBrushSize(m_maskEditor->brushSize() / kBrushStep);
        return true;
    case Qt::Key_BracketRight:
        m_maskEditor->setBrushSize(m_maskEditor->brushSize() * kBrushStep);
        return true;
    default:
        return false;
    }
}

} // namespace kinora::ui
