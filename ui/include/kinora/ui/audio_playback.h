#pragma once
// Plays the sound of what a Transport plays, through Qt Multimedia (a QMediaPlayer per sounding
// clip, from a small pool; on Debian's Qt 6.4 the GStreamer backend). While the transport plays
// forward at 1x, every clip with audio under the playhead sounds from its source time: audioStart
// plus the source frame on screen (conformed by time, TimelineClip::sourceFrameAtTime) over the
// source's rate. Paused, stopped, scrubbing or shuttling at any other speed is silent. A jump of
// the playhead or a clip that starts sounding sets the player's position; a player that drifts
// more than kDriftToleranceMs from the transport's clock is put back by a seek.

#include "kinora/core/project.h"
#include "kinora/core/timeline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace kinora::ui {

class Transport;

class AudioPlayback : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxVoices = 4; // clips sounding at once (stacked tracks)
    static constexpr qint64 kDriftToleranceMs = 60;

    // A clip sounding now: where its source should be (expectedMs, media time of the source
    // file) and the position last given to its player (a seek), -1 before the first.
    struct Voice {
        QString clipId;
        QString sourceId;
        qint64 expectedMs = 0;
        qint64 positionSetMs = -1;
    };

    explicit AudioPlayback(Transport* transport, QObject* parent = nullptr);
    ~AudioPlayback() override;

    // What plays: the project's timeline (or a one-clip timeline of a bin item) and the sources
    // its clips use. A clip sounds when its source has audio and the clip's hasAudio is set.
    void setProgram(const core::Timeline& timeline, std::map<QString, core::SourceDetails> sources);

    void setVolume(float volume); // 0..1
    float volume() const { return m_volume; }
    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }

    std::vector<Voice> voices() const;

Q_SIGNALS:
    void voicesChanged();

private:
    struct Slot;
    void update();
    void silence();
    qint64 expectedMs(const core::TimelineClip& clip, int64_t frame) const;
    Slot& addSlot();
    void warmUp(); // makes the pool's players ahead of need
    Slot& slotFor(const QString& path);
    void mediaStatusChanged(Slot& slot);
    void seek(Slot& slot, qint64 ms);

    QPointer<Transport> m_transport;
    core::Timeline m_timeline;
    std::map<QString, core::SourceDetails> m_sources;
    std::vector<std::unique_ptr<Slot>> m_slots;
    int64_t m_lastFrame = -1; // the playhead at the last update while sounding
    QElapsedTimer m_clock; // since that update
    float m_volume = 1.0f;
    bool m_muted = false;
};

} // namespace kinora::ui
