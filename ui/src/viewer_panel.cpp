#include "kinora/ui/viewer_panel.h"

#include "mask_editor.h"
#include "mask_key_row.h"
#include "mask_tools_bar.h"
#include "timeline_ruler.h"
#include "viewer_canvas.h"
#include "viewer_transport_bar.h"

#include "kinora/ui/frame_source.h"
#include "kinora/ui/transport.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace kinora::ui {

namespace {

QToolButton* switchButton(const QString& name, const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setFocusPolicy(Qt::NoFocus);
    return button;
}

} // namespace

ViewerPanel::ViewerPanel(QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent)
    : QWidget(parent)
    , m_undoStack(undoStack)
    , m_timelineTransport(transport)
    , m_sourceTransport(new Transport(this))
    , m_frames(frames)
{
    setObjectName(QStringLiteral("viewerPanel"));

    m_timelineButton = switchButton(
        QStringLiteral("timelineModeButton"), tr("Timeline"), tr("View the cut at the playhead"), this);
    m_sourceButton = switchButton(QStringLiteral("sourceModeButton"), tr("Source"),
        tr("View the bin item opened last by itself (Escape: back to the timeline)"), this);
    m_modeGroup = new QButtonGroup(this);
    m_modeGroup->setExclusive(true);
    m_modeGroup->addButton(m_timelineButton);
    m_modeGroup->addButton(m_sourceButton);
    connect(m_timelineButton, &QToolButton::clicked, this, [this] { setMode(Mode::Timeline); });
    connect(m_sourceButton, &QToolButton::clicked, this, [this] { setMode(Mode::Source); });
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("viewerTitle"));
    m_title->setTextFormat(Qt::PlainText);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->setSpacing(2);
    top->addWidget(m_timelineButton);
    top->addWidget(m_sourceButton);
    top->addSpacing(8);
    top->addWidget(m_title, 1);

    m_canvas = new ViewerCanvas(this);
    connect(m_canvas, &ViewerCanvas::pictureShown, this, &ViewerPanel::pictureShown);
    m_transportBar = new ViewerTransportBar(this);
    m_maskEditor = new MaskEditor(undoStack, this);
    m_maskTools = new MaskToolsBar(m_maskEditor, this);
    m_keyRow = new MaskKeyRow(m_maskEditor, this);
    m_maskButton = new QToolButton(this);
    top->addWidget(m_maskButton);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_maskTools);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_keyRow);
    layout->addWidget(m_transportBar);
    setFocusProxy(m_canvas);

    connect(m_timelineTransport, &Transport::playheadChanged, this, [this] {
        if (m_mode == Mode::Timeline)
            refresh();
    });
    connect(m_sourceTransport, &Transport::playheadChanged, this, [this] {
        if (m_mode == Mode::Source)
            refresh();
    });
    buildMaskParts();
    connect(m_frames, &FrameSource::frameReady, this, [this](const QString& sourceId, qint64 frame) {
        if (m_pending && m_pending->sourceId == sourceId && m_pending->frame == frame)
            refreshPicture();
    });
    connect(m_frames, &FrameSource::sourceChanged, this, [this](const QString& sourceId) {
        if (sourceId == m_sourceId)
            syncSourceTransport();
        if (sourceId == m_canvas->pictureSource() || (m_pending && m_pending->sourceId == sourceId))
            refresh(true);
    });

    m_transportBar->setTransport(m_timelineTransport);
    updateModeSwitch();
}

ViewerPanel::~ViewerPanel() = default;

void ViewerPanel::setProject(core::Project* project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    m_sourceId.clear();
    if (project) {
        connect(project, &core::Project::timelineChanged, this, [this] {
            m_transportBar->refresh();
            refresh();
        });
        const auto binChanged = [this] {
            syncSourceTransport();
            refresh();
        };
        connect(project, &core::Project::mediaChanged, this, binChanged);
        connect(project, &core::Project::takesChanged, this, binChanged);
        connect(project, &QObject::destroyed, this, [this] {
            m_sourceId.clear();
            m_maskEditor->setProject(nullptr);
            setMode(Mode::Timeline);
            refresh();
        });
    }
    m_maskEditor->setProject(project);
    syncSourceTransport();
    if (m_mode == Mode::Source)
        setMode(Mode::Timeline);
    refresh(true);
}

Transport* ViewerPanel::transport() const
{
    return m_mode == Mode::Source ? m_sourceTransport : m_timelineTransport;
}

void ViewerPanel::setMode(Mode mode)
{
    if (mode == Mode::Source && m_sourceId.isEmpty())
        mode = Mode::Timeline;
    if (mode != m_mode) {
        // The transport left behind stops: only what is on screen plays.
        transport()->pause();
        m_mode = mode;
        m_transportBar->setTransport(transport());
        Q_EMIT modeChanged(mode);
    }
    updateModeSwitch();
    refresh();
}

void ViewerPanel::showSource(const QString& sourceId)
{
    if (!m_project || !m_project->source(sourceId))
        return;
    m_sourceTransport->pause();
    m_sourceId = sourceId;
    syncSourceTransport();
    m_sourceTransport->clearInOut();
    m_sourceTransport->setPlayhead(0);
    setMode(Mode::Source);
}

QImage ViewerPanel::currentPicture() const
{
    return m_canvas->picture();
}

QString ViewerPanel::currentSourceId() const
{
    return m_canvas->pictureSource();
}

int64_t ViewerPanel::currentFrame() const
{
    return m_canvas->picture().isNull() ? -1 : m_canvas->pictureFrame();
}

std::optional<ViewerPanel::Target> ViewerPanel::pictureTarget() const
{
    if (!m_project)
        return std::nullopt;
    if (m_mode == Mode::Source) {
        if (!m_project->source(m_sourceId))
            return std::nullopt;
        return Target { m_sourceId, m_sourceTransport->playhead() };
    }
    const int64_t playhead = m_timelineTransport->playhead();
    // Painting a mask: the selected clip's own frame, even under a higher track.
    if (const core::TimelineClip* clip = m_maskMode ? maskTimelineClip() : nullptr;
        clip && clip->covers(playhead))
        return Target { clip->sourceId, clip->sourceFrameAt(playhead) };
    const core::TimelineHit hit = m_project->timeline().shownAt(playhead);
    if (!hit.clip)
        return std::nullopt;
    return Target { hit.clip->sourceId, hit.sourceFrame };
}

void ViewerPanel::refresh(bool force)
{
    updateMaskTarget();
    refreshPicture(force);
}

void ViewerPanel::refreshPicture(bool force)
{
    const auto target = pictureTarget();
    // A new user's first look: what this black area is for and how to fill it.
    const bool emptyCut = m_mode == Mode::Timeline && (!m_project || m_project->timeline().isEmpty());
    m_canvas->setPlaceholderText(emptyCut
            ? tr(
                "The cut at the playhead shows here.\n\nImport footage (Ctrl+I, or drop files on the window) "
                "and drag it from the bin onto the timeline — or type a prompt and press Ctrl+Enter.")
            : QString());
    if (!target) {
        m_pending.reset();
        m_canvas->setPicture({});
        return;
    }
    const bool shown = !m_canvas->picture().isNull() && m_canvas->pictureSource() == target->sourceId
        && m_canvas->pictureFrame() == target->frame;
    if (shown && !force) {
        m_pending.reset();
        return;
    }
    const QImage image = m_frames->frame(target->sourceId, target->frame);
    if (image.isNull()) {
        // Not decoded yet: the last picture stays up (no flash of black) until frameReady.
        m_pending = target;
        return;
    }
    m_pending.reset();
    const auto source = m_project->source(target->sourceId);
    m_canvas->setFrameSize(source ? source->size : QSize());
    m_canvas->setPicture(image, target->sourceId, target->frame);
}

void ViewerPanel::syncSourceTransport()
{
    const auto source = m_project ? m_project->source(m_sourceId) : std::nullopt;
    if (!source) {
        m_sourceTransport->pause();
        m_sourceTransport->setDuration(0);
        if (!m_sourceId.isEmpty() && m_project)
            m_sourceId.clear(); // removed from the bin
        if (m_mode == Mode::Source)
            setMode(Mode::Timeline);
        updateModeSwitch();
        return;
    }
    m_sourceTransport->setRate(source->fps);
    m_sourceTransport->setDuration(source->still ? 1 : source->frames);
    m_transportBar->refresh();
    updateModeSwitch();
}

void ViewerPanel::updateModeSwitch()
{
    m_sourceButton->setEnabled(!m_sourceId.isEmpty());
    m_timelineButton->setChecked(m_mode == Mode::Timeline);
    m_sourceButton->setChecked(m_mode == Mode::Source);
    const auto source = m_project && m_mode == Mode::Source ? m_project->source(m_sourceId) : std::nullopt;
    m_title->setText(source ? source->name : QString());
}

void ViewerPanel::keyPressEvent(QKeyEvent* event)
{
    if (handleMaskKey(event) || handleTransportKey(event)) {
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool ViewerPanel::handleTransportKey(QKeyEvent* event)
{
    Transport* active = transport();
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    const int64_t step = shift ? timecodeBase(active->rate()) : 1;
    switch (event->key()) {
    case Qt::Key_Left:
        active->step(-step);
        return true;
    case Qt::Key_Right:
        active->step(step);
        return true;
    case Qt::Key_Home:
        active->pause();
        active->setPlayhead(0);
        return true;
    case Qt::Key_End:
        active->pause();
        active->setPlayhead(active->duration() - 1);
        return true;
    case Qt::Key_Space:
        active->togglePlay();
        return true;
    case Qt::Key_J:
        active->shuttleBackward();
        return true;
    case Qt::Key_K:
        active->stop();
        return true;
    case Qt::Key_L:
        active->shuttleForward();
        return true;
    case Qt::Key_I:
        active->setInPoint(active->playhead());
        return true;
    case Qt::Key_O:
        active->setOutPoint(active->playhead());
        return true;
    case Qt::Key_Escape:
        if (m_mode != Mode::Source)
            return false;
        setMode(Mode::Timeline);
        return true;
    default:
        return false;
    }
}

} // namespace kinora::ui
