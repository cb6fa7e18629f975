#pragma once
// The playhead and its clock, shared by the timeline, the viewer and the mask painter: the current
// timeline frame, in and out points, and playback at the timeline's rate with J/K/L shuttle (L
// plays forward at 1x, 2x, 4x, 8x on each press; J the same backwards; K stops) and Space. Playback
// follows wall time, not timer ticks, so a slow paint drops frames instead of slowing the clip;
// it loops over in..out when both are set, else stops at the end.

#include "kinora/core/media.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>

namespace kinora::ui {

class Transport : public QObject {
    Q_OBJECT
public:
    explicit Transport(QObject* parent = nullptr);

    int64_t playhead() const { return m_playhead; }
    // Clamped to [0, max(duration - 1, 0)].
    void setPlayhead(int64_t frame);
    void step(int64_t frames); // pauses, then moves (arrow keys)

    core::Rational rate() const { return m_rate; }
    void setRate(core::Rational rate);
    int64_t duration() const { return m_duration; } // frames on the timeline
    void setDuration(int64_t frames);

    // -1 when unset. Setting in after out (or out before in) clears the other.
    int64_t inPoint() const { return m_in; }
    int64_t outPoint() const { return m_out; } // inclusive: the last frame of the range
    void setInPoint(int64_t frame);
    void setOutPoint(int64_t frame);
    void clearInOut();
    bool hasRange() const { return m_in >= 0 && m_out >= m_in; }

    // Playback speed in frames per frame-time: 0 stopped, 1 normal, -2 twice backwards, ...
    double speed() const { return m_speed; }
    bool isPlaying() const { return m_speed != 0; }
    void play(); // forward at 1x (from the start when at the end)
    void pause();
    void togglePlay(); // Space
    void shuttleForward(); // L
    void shuttleBackward(); // J
    void stop() { pause(); } // K

Q_SIGNALS:
    void playheadChanged(qint64 frame);
    void playingChanged(bool playing);
    void speedChanged(double speed);
    void rangeChanged();
    void durationChanged(qint64 frames);

private:
    void setSpeed(double speed);
    void tick();
    int64_t lastFrame() const { return m_duration > 0 ? m_duration - 1 : 0; }

    int64_t m_playhead = 0;
    int64_t m_duration = 0;
    int64_t m_in = -1;
    int64_t m_out = -1;
    core::Rational m_rate { 24, 1 };
    double m_speed = 0;
    QTimer m_timer;
    QElapsedTimer m_clock; // since playback (or the last speed change) began
    int64_t m_anchorFrame = 0; // the playhead when m_clock started
};

} // namespace kinora::ui
