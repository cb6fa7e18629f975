#include "kinora/ui/timeline_panel.h"

#include "tool_button.h"

#include "timeline_ruler.h"
#include "timeline_view.h"

#include "kinora/ui/transport.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {

const QString kSnappingKey = QStringLiteral("timeline/snapping");
constexpr int kSliderSteps = 1000;
constexpr double kButtonZoomStep = 1.5;

// Buttons beside the view never take its keys.
QToolButton* toolButton(const QString& name, const QString& icon, const QString& tip, QWidget* parent)
{
    return makeToolButton(name, icon, tip, parent, Qt::NoFocus);
}

// The zoom slider is logarithmic: each step multiplies the zoom by the same factor.
int sliderValue(double zoom)
{
    const double span = std::log(TimelineView::kMaxZoom / TimelineView::kMinZoom);
    return static_cast<int>(std::lround(std::log(zoom / TimelineView::kMinZoom) / span * kSliderSteps));
}

double sliderZoom(int value)
{
    const double span = std::log(TimelineView::kMaxZoom / TimelineView::kMinZoom);
    return TimelineView::kMinZoom * std::exp(span * value / kSliderSteps);
}

} // namespace

TimelinePanel::TimelinePanel(
    QUndoStack* undoStack, Transport* transport, FrameSource* frames, QWidget* parent)
    : QWidget(parent)
    , m_transport(transport)
{
    setObjectName(QStringLiteral("timelinePanel"));
    m_view = new TimelineView(undoStack, transport, frames, this);

    auto* zoomOut
        = toolButton(QStringLiteral("zoomOutButton"), QStringLiteral("zoom-out"), tr("Zoom out (-)"), this);
    connect(zoomOut, &QToolButton::clicked, this, [this] { m_view->zoomBy(1 / kButtonZoomStep); });
    auto* zoomIn
        = toolButton(QStringLiteral("zoomInButton"), QStringLiteral("zoom-in"), tr("Zoom in (+)"), this);
    connect(zoomIn, &QToolButton::clicked, this, [this] { m_view->zoomBy(kButtonZoomStep); });
    m_zoomSlider = new QSlider(Qt::Horizontal, this);
    m_zoomSlider->setObjectName(QStringLiteral("zoomSlider"));
    m_zoomSlider->setToolTip(tr("Zoom (Ctrl+wheel over the timeline)"));
    m_zoomSlider->setRange(0, kSliderSteps);
    m_zoomSlider->setFocusPolicy(Qt::NoFocus);
    m_zoomSlider->setMaximumWidth(160);
    connect(m_zoomSlider, &QSlider::valueChanged, this,
        [this](int value) { m_view->zoomBy(sliderZoom(value) / m_view->zoom()); });
    auto* fit = toolButton(QStringLiteral("zoomFitButton"), QStringLiteral("zoom-fit"),
        tr("Fit the whole timeline in view"), this);
    connect(fit, &QToolButton::clicked, m_view, &TimelineView::zoomToFit);

    m_snapButton = toolButton(QStringLiteral("snapButton"), QStringLiteral("snap"),
        tr("Snap to clip edges, the playhead and in/out points"), this);
    m_snapButton->setCheckable(true);
    m_snapButton->setChecked(QSettings().value(kSnappingKey, true).toBool());
    m_view->setSnapping(m_snapButton->isChecked());
    connect(m_snapButton, &QToolButton::toggled, this, [this](bool on) {
        m_view->setSnapping(on);
        QSettings().setValue(kSnappingKey, on);
    });
    m_splitButton = toolButton(QStringLiteral("splitButton"), QStringLiteral("split"),
        tr("Split the clip at the playhead (S)"), this);
    connect(m_splitButton, &QToolButton::clicked, m_view, &TimelineView::splitAtPlayhead);
    m_deleteButton = toolButton(QStringLiteral("deleteClipButton"), QStringLiteral("remove"),
        tr("Delete the selected clip (Delete)"), this);
    connect(m_deleteButton, &QToolButton::clicked, m_view, &TimelineView::deleteSelected);

    m_timecode = new QLabel(this);
    m_timecode->setObjectName(QStringLiteral("timecodeLabel"));
    m_timecode->setToolTip(tr("Playhead / duration (hours:minutes:seconds:frames)"));
    m_timecode->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    tools->setSpacing(2);
    for (QWidget* widget : std::initializer_list<QWidget*> { zoomOut, m_zoomSlider, zoomIn, fit })
        tools->addWidget(widget);
    tools->addSpacing(12);
    for (QWidget* widget : std::initializer_list<QWidget*> { m_snapButton, m_splitButton, m_deleteButton })
        tools->addWidget(widget);
    tools->addStretch(1);
    tools->addWidget(m_timecode);

    m_scrollBar = new QScrollBar(Qt::Horizontal, this);
    m_scrollBar->setObjectName(QStringLiteral("timelineScrollBar"));
    m_scrollBar->setFocusPolicy(Qt::NoFocus);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        if (value != static_cast<int>(std::lround(m_view->scroll())))
            m_view->setScroll(value);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_scrollBar);

    connect(m_view, &TimelineView::zoomChanged, this, &TimelinePanel::updateZoomSlider);
    connect(m_view, &TimelineView::scrollChanged, this, &TimelinePanel::updateScrollBar);
    connect(m_view, &TimelineView::scrollRangeChanged, this, &TimelinePanel::updateScrollBar);
    connect(m_view, &TimelineView::clipSelected, this, [this](const QString& id) {
        updateButtons();
        Q_EMIT clipSelected(id);
    });
    connect(m_transport, &Transport::playheadChanged, this, &TimelinePanel::updateTimecode);
    connect(m_transport, &Transport::durationChanged, this, &TimelinePanel::updateTimecode);

    setFocusProxy(m_view);
    updateZoomSlider();
    updateScrollBar();
    updateTimecode();
    updateButtons();
}

TimelinePanel::~TimelinePanel() = default;

void TimelinePanel::setProject(core::Project* project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    if (project) {
        connect(project, &core::Project::timelineChanged, this, [this] {
            syncTransport();
            updateButtons();
        });
        // Closed without a new project set (yet): nothing to play.
        connect(project, &QObject::destroyed, this, &TimelinePanel::syncTransport);
    }
    m_view->setProject(project);
    syncTransport();
    updateButtons();
}

QString TimelinePanel::selectedClipId() const
{
    return m_view->selectedClipId();
}

void TimelinePanel::setSelectedClip(const QString& clipId)
{
    m_view->setSelectedClip(clipId);
}

void TimelinePanel::syncTransport()
{
    if (!m_project) {
        m_transport->setDuration(0);
        return;
    }
    const core::Timeline& timeline = m_project->timeline();
    m_transport->setRate(timeline.rate());
    m_transport->setDuration(timeline.duration());
    updateTimecode();
}

void TimelinePanel::updateScrollBar()
{
    const QSignalBlocker blocker(m_scrollBar);
    // A zoom around the mouse may leave the view past the end; the range holds it until the user
    // scrolls back.
    const double maximum = std::max(m_view->maxScroll(), m_view->scroll());
    m_scrollBar->setRange(0, static_cast<int>(std::ceil(maximum)));
    m_scrollBar->setPageStep(std::max(1, m_view->layout().areaWidth()));
    m_scrollBar->setSingleStep(20);
    m_scrollBar->setValue(static_cast<int>(std::lround(m_view->scroll())));
}

void TimelinePanel::updateZoomSlider()
{
    const QSignalBlocker blocker(m_zoomSlider);
    m_zoomSlider->setValue(sliderValue(m_view->zoom()));
    updateScrollBar();
}

void TimelinePanel::updateTimecode()
{
    const core::Rational rate = m_transport->rate();
    m_timecode->setText(QStringLiteral("%1 / %2").arg(
        timecode(m_transport->playhead(), rate), timecode(m_transport->duration(), rate)));
}

void TimelinePanel::updateButtons()
{
    const bool clips = m_project && !m_project->timeline().isEmpty();
    m_splitButton->setEnabled(clips);
    m_deleteButton->setEnabled(!m_view->selectedClipId().isEmpty());
}

} // namespace kinora::ui
