#pragma once
// What the GUI benchmarks share: a probe of the event loop's gaps, percentiles, and waiting on the
// event loop the way the app's own loop runs (sleeping between events, never spinning).

#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace kinora::bench {

inline qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Records the gaps between ticks of a 1 ms timer: a tick late by X ms means the event loop could
// not run for X ms (a click or a paint would have waited as long).
class GapProbe {
public:
    GapProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 t = nowNs();
            if (m_last)
                m_gaps.push_back(static_cast<double>(t - m_last) / 1e6);
            m_last = t;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_last = 0;
        m_timer.start();
    }
    std::vector<double> stop()
    {
        m_timer.stop();
        return m_gaps;
    }

private:
    QTimer m_timer;
    qint64 m_last = 0;
    std::vector<double> m_gaps;
};

inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(std::min<double>(static_cast<double>(v.size() - 1), p * static_cast<double>(v.size())))];
}

// Runs the event loop (sleeping between events, as the app's own loop does) until done().
inline void waitUntil(const std::function<bool()>& done)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(10);
    if (!done())
        loop.exec();
}

} // namespace kinora::bench
