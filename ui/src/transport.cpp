#include "kinora/ui/transport.h"

#include <algorithm>
#include <cmath>

namespace kinora::ui {

Transport::Transport(QObject* parent)
    : QObject(parent)
{
    // A tick per display frame at most; the frame shown comes from the clock, not the tick count.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(8);
    connect(&m_timer, &QTimer::timeout, this, &Transport::tick);
}

void Transport::setPlayhead(int64_t frame)
{
    frame = std::clamp<int64_t>(frame, 0, lastFrame());
    if (isPlaying()) {
        // A scrub during playback goes on playing from where the user put the playhead.
        m_anchorFrame = frame;
        m_clock.restart();
    }
    if (frame == m_playhead)
        return;
    m_playhead = frame;
    Q_EMIT playheadChanged(frame);
}

void Transport::step(int64_t frames)
{
    pause();
    setPlayhead(m_playhead + frames);
}

void Transport::setRate(core::Rational rate)
{
    if (!rate.valid() || rate == m_rate)
        return;
    m_rate = rate;
    if (isPlaying()) {
        m_anchorFrame = m_playhead;
        m_clock.restart();
    }
}

void Transport::setDuration(int64_t frames)
{
    frames = std::max<int64_t>(frames, 0);
    if (frames == m_duration)
        return;
    m_duration = frames;
    Q_EMIT durationChanged(frames);
    if (m_playhead > lastFrame())
        setPlayhead(lastFrame());
}

void Transport::setInPoint(int64_t frame)
{
    m_in = std::max<int64_t>(frame, 0);
    if (m_out >= 0 && m_out < m_in)
        m_out = -1;
    Q_EMIT rangeChanged();
}

void Transport::setOutPoint(int64_t frame)
{
    m_out = std::max<int64_t>(frame, 0);
    if (m_in >= 0 && m_in > m_out)
        m_in = -1;
    Q_EMIT rangeChanged();
}

void Transport::clearInOut()
{
    if (m_in < 0 && m_out < 0)
        return;
    m_in = m_out = -1;
    Q_EMIT rangeChanged();
}

void Transport::play()
{
    if (m_speed == 1)
        return;
    const int64_t start = hasRange() ? m_in : 0;
    const int64_t end = hasRange() ? m_out : lastFrame();
    if (m_playhead >= end || (hasRange() && m_playhead < m_in))
        setPlayhead(start);
    setSpeed(1);
}

void Transport::pause()
{
    setSpeed(0);
}

void Transport::togglePlay()
{
    if (isPlaying())
        pause();
    else
        play();
}

void Transport::shuttleForward()
{
    if (m_speed <= 0)
        setSpeed(1);
    else
        setSpeed(std::min(m_speed * 2, 8.0));
}

void Transport::shuttleBackward()
{
    if (m_speed >= 0)
        setSpeed(-1);
    else
        setSpeed(std::max(m_speed * 2, -8.0));
}

void Transport::setSpeed(double speed)
{
    if (speed == m_speed)
        return;
    const bool wasPlaying = isPlaying();
    m_speed = speed;
    m_anchorFrame = m_playhead;
    m_clock.restart();
    if (isPlaying())
        m_timer.start();
    else
        m_timer.stop();
    Q_EMIT speedChanged(speed);
    if (wasPlaying != isPlaying())
        Q_EMIT playingChanged(isPlaying());
}

void Transport::tick()
{
    const double seconds = static_cast<double>(m_clock.nsecsElapsed()) * 1e-9;
    const auto advanced = static_cast<int64_t>(std::floor(seconds * m_rate.value() * std::abs(m_speed)));
    const int64_t direction = m_speed > 0 ? 1 : -1;
    int64_t frame = m_anchorFrame + direction * advanced;
    const int64_t first = hasRange() ? m_in : 0;
    const int64_t last = hasRange() ? m_out : lastFrame();
    if (direction > 0 && frame > last) {
        if (hasRange() && m_speed == 1) {
            // Loop the marked range, as an editor reviews a cut.
            frame = first + (frame - first) % (last - first + 1);
        } else {
            m_playhead = last;
            Q_EMIT playheadChanged(last);
            pause();
            return;
        }
    } else if (direction < 0 && frame < first) {
        m_playhead = first;
        Q_EMIT playheadChanged(first);
        pause();
        return;
    }
    if (frame != m_playhead) {
        m_playhead = frame;
        Q_EMIT playheadChanged(frame);
    }
}

} // namespace kinora::ui
