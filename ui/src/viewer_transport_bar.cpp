#include "viewer_transport_bar.h"

#include "tool_button.h"

#include "timeline_ruler.h"

#include "kinora/ui/transport.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include <initializer_list>

namespace kinora::ui {

namespace {

// Buttons beside the view never take its keys.
QToolButton* toolButton(const QString& name, const QString& icon, const QString& tip, QWidget* parent)
{
    return makeToolButton(name, icon, tip, parent, Qt::NoFocus);
}

} // namespace

ViewerTransportBar::ViewerTransportBar(QWidget* parent)
    : QWidget(parent)
    , m_playIcon(QStringLiteral(":/icons/play.svg"))
    , m_pauseIcon(QStringLiteral(":/icons/pause.svg"))
{
    setObjectName(QStringLiteral("viewerTransportBar"));
    m_start = toolButton(
        QStringLiteral("goToStartButton"), QStringLiteral("go-start"), tr("Go to the start (Home)"), this);
    m_back = toolButton(QStringLiteral("stepBackButton"), QStringLiteral("step-back"),
        tr("Previous frame (Left; Shift: one second)"), this);
    m_play = toolButton(QStringLiteral("playButton"), QStringLiteral("play"), tr("Play (Space)"), this);
    m_forward = toolButton(QStringLiteral("stepForwardButton"), QStringLiteral("step-forward"),
        tr("Next frame (Right; Shift: one second)"), this);
    m_end = toolButton(
        QStringLiteral("goToEndButton"), QStringLiteral("go-end"), tr("Go to the end (End)"), this);
    m_in = toolButton(
        QStringLiteral("setInButton"), QStringLiteral("mark-in"), tr("Set the in point here (I)"), this);
    m_out = toolButton(
        QStringLiteral("setOutButton"), QStringLiteral("mark-out"), tr("Set the out point here (O)"), this);
    m_timecode = new QLabel(this);
    m_timecode->setObjectName(QStringLiteral("viewerTimecode"));
    m_timecode->setToolTip(tr("Playhead / duration (hours:minutes:seconds:frames)"));
    m_timecode->setTextInteractionFlags(Qt::TextSelectableByMouse);

    connect(m_start, &QToolButton::clicked, this, [this] {
        m_transport->pause();
        m_transport->setPlayhead(0);
    });
    connect(m_back, &QToolButton::clicked, this, [this] { m_transport->step(-1); });
    connect(m_play, &QToolButton::clicked, this, [this] { m_transport->togglePlay(); });
    connect(m_forward, &QToolButton::clicked, this, [this] { m_transport->step(1); });
    connect(m_end, &QToolButton::clicked, this, [this] {
        m_transport->pause();
        m_transport->setPlayhead(m_transport->duration() - 1);
    });
    connect(m_in, &QToolButton::clicked, this, [this] { m_transport->setInPoint(m_transport->playhead()); });
    connect(
        m_out, &QToolButton::clicked, this, [this] { m_transport->setOutPoint(m_transport->playhead()); });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QWidget* widget : std::initializer_list<QWidget*> { m_start, m_back, m_play, m_forward, m_end })
        layout->addWidget(widget);
    layout->addStretch(1);
    layout->addWidget(m_timecode);
    layout->addStretch(1);
    layout->addWidget(m_in);
    layout->addWidget(m_out);
    refresh();
}

void ViewerTransportBar::setTransport(Transport* transport)
{
    for (const auto& connection : m_connections)
        disconnect(connection);
    m_connections.clear();
    m_transport = transport;
    if (transport) {
        m_connections = {
            connect(transport, &Transport::playheadChanged, this, &ViewerTransportBar::refresh),
            connect(transport, &Transport::durationChanged, this, &ViewerTransportBar::refresh),
            connect(transport, &Transport::playingChanged, this, &ViewerTransportBar::updatePlayButton),
            connect(transport, &QObject::destroyed, this, [this] { setTransport(nullptr); }),
        };
    }
    refresh();
}

void ViewerTransportBar::refresh()
{
    const bool frames = m_transport && m_transport->duration() > 0;
    for (QToolButton* button : { m_start, m_back, m_play, m_forward, m_end, m_in, m_out })
        button->setEnabled(frames);
    if (!m_transport) {
        m_timecode->setText(QStringLiteral("–"));
    } else {
        const core::Rational rate = m_transport->rate();
        m_timecode->setText(tr("%1 / %2").arg(
            timecode(m_transport->playhead(), rate), timecode(m_transport->duration(), rate)));
    }
    updatePlayButton();
}

void ViewerTransportBar::updatePlayButton()
{
    const bool playing = m_transport && m_transport->isPlaying();
    m_play->setIcon(playing ? m_pauseIcon : m_playIcon);
    m_play->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
}

} // namespace kinora::ui
