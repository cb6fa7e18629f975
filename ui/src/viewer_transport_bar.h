#pragma once
// The row under the viewer's picture: go to start, step back, play/pause, step forward, go to end,
// the playhead's timecode over the duration (HH:MM:SS:FF at the rate), and set in / set out. It
// drives whichever Transport the viewer uses (the timeline's or the source's) and follows it.

#include <QIcon>
#include <QMetaObject>
#include <QWidget>

class QLabel;
class QToolButton;

namespace kinora::ui {

class Transport;

class ViewerTransportBar : public QWidget {
    Q_OBJECT
public:
    explicit ViewerTransportBar(QWidget* parent = nullptr);

    // The transport the buttons drive and the labels show; may be null (everything disabled).
    void setTransport(Transport* transport);
    Transport* transport() const { return m_transport; }
    // Shows the transport's state again (its rate has no signal of its own).
    void refresh();

private:
    void updatePlayButton();

    Transport* m_transport = nullptr;
    QList<QMetaObject::Connection> m_connections;
    QIcon m_playIcon;
    QIcon m_pauseIcon;
    QToolButton* m_start = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_forward = nullptr;
    QToolButton* m_end = nullptr;
    QToolButton* m_in = nullptr;
    QToolButton* m_out = nullptr;
    QLabel* m_timecode = nullptr;
};

} // namespace kinora::ui
