#include "kinora/ui/audio_playback.h"

#include "kinora/ui/transport.h"

#include <QAudioOutput>
#include <QMediaPlayer>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {

// A player just told to seek reports its old position for a while: give it time to get there
// before judging its drift.
constexpr qint64 kSettleMs = 250;

} // namespace

// One pooled player: the clip it sounds now (none when idle) and the file it has loaded, kept
// loaded while idle so that the next clip of the same file starts without opening it again.
struct AudioPlayback::Slot {
    QMediaPlayer* player = nullptr; // owned by the AudioPlayback (Qt parent)
    QAudioOutput* output = nullptr; // owned by the player
    QString path;
    QString clipId;
    QString sourceId;
    qint64 expectedMs = 0;
    qint64 positionSetMs = -1;
    QElapsedTimer sinceSeek;
};

AudioPlayback::AudioPlayback(Transport* transport, QObject* parent)
    : QObject(parent)
    , m_transport(transport)
{
    if (transport) {
        connect(transport, &Transport::playheadChanged, this, &AudioPlayback::update);
        connect(transport, &Transport::speedChanged, this, &AudioPlayback::update);
        connect(transport, &Transport::playingChanged, this, &AudioPlayback::update);
    }
    // The first player loads the multimedia backend and each builds an audio sink (about 60 ms
    // and 8 ms measured): done once the window is up, not when the user first presses Space.
    QTimer::singleShot(0, this, &AudioPlayback::warmUp);
}

AudioPlayback::~AudioPlayback()
{
    for (const auto& slot : m_slots)
        slot->player->stop();
}

void AudioPlayback::setProgram(const core::Timeline& timeline, std::map<QString, core::SourceDetails> sources)
{
    m_timeline = timeline;
    m_sources = std::move(sources);
    m_lastFrame = -1; // every voice takes its position afresh
    update();
}

void AudioPlayback::setVolume(float volume)
{
    m_volume = std::clamp(volume, 0.0f, 1.0f);
    for (const auto& slot : m_slots)
        slot->output->setVolume(m_volume);
}

void AudioPlayback::setMuted(bool muted)
{
    m_muted = muted;
    for (const auto& slot : m_slots)
        slot->output->setMuted(muted);
}

std::vector<AudioPlayback::Voice> AudioPlayback::voices() const
{
    std::vector<Voice> voices;
    for (const auto& slot : m_slots)
        if (!slot->clipId.isEmpty())
            voices.push_back({ slot->clipId, slot->sourceId, slot->expectedMs, slot->positionSetMs });
    return voices;
}

qint64 AudioPlayback::expectedMs(const core::TimelineClip& clip, int64_t frame) const
{
    const core::SourceDetails& source = m_sources.at(clip.sourceId);
    const core::Rational rate = m_timeline.rate();
    const double intoClip = rate.valid() ? double(frame - clip.start) * rate.den / rate.num : 0.0;
    const int64_t sourceFrame = clip.sourceFrameAtTime(intoClip, rate);
    const double fps = source.fps.valid() ? source.fps.value() : 24.0;
    return std::llround((source.audioStart + double(sourceFrame) / fps) * 1000.0);
}

AudioPlayback::Slot& AudioPlayback::addSlot()
{
    auto slot = std::make_unique<Slot>();
    slot->player = new QMediaPlayer(this);
    slot->output = new QAudioOutput(slot->player);
    slot->output->setVolume(m_volume);
    slot->output->setMuted(m_muted);
    slot->player->setAudioOutput(slot->output);
    Slot* raw = slot.get();
    connect(slot->player, &QMediaPlayer::mediaStatusChanged, this, [this, raw] { mediaStatusChanged(*raw); });
    m_slots.push_back(std::move(slot));
    return *raw;
}

void AudioPlayback::warmUp()
{
    while (static_cast<int>(m_slots.size()) < kMaxVoices)
        addSlot();
}

AudioPlayback::Slot& AudioPlayback::slotFor(const QString& path)
{
    Slot* idle = nullptr;
    for (const auto& slot : m_slots) {
        if (!slot->clipId.isEmpty())
            continue;
        if (slot->path == path)
            return *slot; // already has the file loaded
        if (!idle)
            idle = slot.get();
    }
    if (!idle && static_cast<int>(m_slots.size()) < kMaxVoices)
        idle = &addSlot();
    Q_ASSERT(idle); // callers ask for at most kMaxVoices voices
    if (idle->path != path) {
        idle->path = path;
        idle->player->setSource(QUrl::fromLocalFile(path));
    }
    return *idle;
}

void AudioPlayback::seek(Slot& slot, qint64 ms)
{
    slot.player->setPosition(ms);
    slot.positionSetMs = ms;
    slot.sinceSeek.start();
}

void AudioPlayback::mediaStatusChanged(Slot& slot)
{
    const auto status = slot.player->mediaStatus();
    if (status != QMediaPlayer::LoadedMedia && status != QMediaPlayer::BufferedMedia)
        return;
    // The picture is MediaFrames' to decode: the player decodes sound only.
    if (slot.player->activeVideoTrack() >= 0)
        slot.player->setActiveVideoTrack(-1);
    // A seek asked for before the file was open may have been lost: ask again where it is now.
    if (!slot.clipId.isEmpty() && status == QMediaPlayer::LoadedMedia) {
        seek(slot, slot.expectedMs);
        slot.player->play();
    }
}

void AudioPlayback::silence()
{
    bool changed = false;
    for (const auto& slot : m_slots) {
        if (slot->clipId.isEmpty())
            continue;
        slot->player->pause();
        slot->clipId.clear();
        slot->sourceId.clear();
        changed = true;
    }
    m_lastFrame = -1;
    if (changed)
        Q_EMIT voicesChanged();
}

void AudioPlayback::update()
{
    // Sound only at normal speed forward: scrubbing and shuttling would be noise.
    if (!m_transport || m_transport->speed() != 1.0) {
        silence();
        return;
    }
    const int64_t frame = m_transport->playhead();
    // The clips with sound under the playhead, highest track first, at most kMaxVoices.
    std::vector<const core::TimelineClip*> wanted;
    for (const auto& clip : m_timeline.clips()) {
        const auto source = m_sources.find(clip.sourceId);
        if (clip.covers(frame) && clip.hasAudio && source != m_sources.end() && source->second.audio
            && !source->second.still)
            wanted.push_back(&clip);
    }
    std::stable_sort(wanted.begin(), wanted.end(), [](auto* a, auto* b) { return a->track > b->track; });
    if (static_cast<int>(wanted.size()) > kMaxVoices)
        wanted.resize(kMaxVoices);

    bool changed = false;
    for (const auto& slot : m_slots) {
        const bool stays = std::any_of(wanted.begin(), wanted.end(), [&](auto* clip) {
            return clip->id == slot->clipId && m_sources.at(clip->sourceId).path == slot->path;
        });
        if (!slot->clipId.isEmpty() && !stays) {
            slot->player->pause();
            slot->clipId.clear();
            slot->sourceId.clear();
            changed = true;
        }
    }
    // The playhead moved other than by the clock (the user put it somewhere, playback looped):
    // every voice starts from there. A playhead that skipped frames because the GUI thread was
    // busy moved by the clock: the players, on their own threads, are still in step.
    const core::Rational rate = m_transport->rate();
    const double frameMs = rate.valid() ? 1000.0 * rate.den / rate.num : 1000.0 / 24;
    const qint64 elapsedMs = m_clock.isValid() ? m_clock.restart() : (m_clock.start(), 0);
    const bool jumped = m_lastFrame < 0 || frame < m_lastFrame
        || std::abs(double(frame - m_lastFrame) * frameMs - double(elapsedMs)) > kDriftToleranceMs + frameMs;
    m_lastFrame = frame;
    for (const core::TimelineClip* clip : wanted) {
        const qint64 expected = expectedMs(*clip, frame);
        auto sounding = std::find_if(
            m_slots.begin(), m_slots.end(), [&](const auto& slot) { return slot->clipId == clip->id; });
        if (sounding == m_slots.end()) {
            Slot& slot = slotFor(m_sources.at(clip->sourceId).path);
            slot.clipId = clip->id;
            slot.sourceId = clip->sourceId;
            slot.expectedMs = expected;
            seek(slot, expected);
            slot.player->play();
            changed = true;
            continue;
        }
        Slot& slot = **sounding;
        slot.expectedMs = expected;
        const bool playing = slot.player->playbackState() == QMediaPlayer::PlayingState
            && slot.player->mediaStatus() == QMediaPlayer::BufferedMedia;
        if (jumped
            || (playing && slot.sinceSeek.elapsed() > kSettleMs
                && std::abs(slot.player->position() - expected) > kDriftToleranceMs))
            seek(slot, expected);
        if (slot.player->playbackState() != QMediaPlayer::PlayingState)
            slot.player->play();
    }
    if (changed)
        Q_EMIT voicesChanged();
}

} // namespace kinora::ui
