#pragma once
// The timeline of a project: video tracks of clips, each a range of a take's or an imported media's
// frames placed at a timeline frame. Times are whole frames at the timeline's rate; a clip of a
// source with another rate is shown frame for frame (re-timing is a job: interpolate).
//
// Edits follow an editor's overwrite rule: a clip placed, moved or trimmed over others on its track
// takes that range from them (they are trimmed, split in two, or removed), so a track never holds
// two clips at one frame. Where tracks overlap, the highest track is what the cut shows. Every edit
// is a function of the Timeline value, so the app's undo keeps whole Timeline copies (a few hundred
// bytes a clip) and an export works on a snapshot.
#include "kinora/core/media.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace kinora::core {

struct TimelineClip {
    enum class Source { Take, Media };
    QString id; // unique in the timeline
    Source source = Source::Take;
    QString sourceId; // TakeRecord::id or MediaRecord::id
    int64_t sourceIn = 0; // first frame of the source used
    int64_t sourceFrames = 0; // frames the source has (trims cannot reach past them)
    int64_t start = 0; // first timeline frame
    int64_t length = 0; // frames on the timeline (>= 1)
    int track = 0; // 0 = the bottom video track
    bool hasAudio = false; // the source has sound (drawn on the audio lane, mixed into exports)

    int64_t end() const { return start + length; } // one past the last frame
    bool covers(int64_t frame) const { return frame >= start && frame < end(); }
    // The source frame shown at timeline `frame` (which the clip covers).
    int64_t sourceFrameAt(int64_t frame) const { return sourceIn + (frame - start); }
    friend bool operator==(const TimelineClip&, const TimelineClip&) = default;
};

// What the cut shows at one frame: the clip on the highest track covering it, and its source frame.
struct TimelineHit {
    const TimelineClip* clip = nullptr;
    int64_t sourceFrame = 0;
};

class Timeline {
public:
    static constexpr int kDefaultTracks = 3;

    Rational rate() const { return m_rate; }
    void setRate(Rational rate) { m_rate = rate; }
    int trackCount() const { return m_tracks; }
    void setTrackCount(int tracks); // >= 1; clips on removed tracks move to the top one left
    const std::vector<TimelineClip>& clips() const { return m_clips; } // ordered by track, then start
    const TimelineClip* clip(const QString& id) const;
    bool isEmpty() const { return m_clips.empty(); }
    // One past the last frame of any clip (0 when empty).
    int64_t duration() const;
    // The clips on `track` that cover `frame` (at most one) / the clip the cut shows at `frame`.
    const TimelineClip* clipAt(int track, int64_t frame) const;
    TimelineHit shownAt(int64_t frame) const;
    // A new id, unused in this timeline.
    QString newClipId() const;

    // Places `clip` (its id empty: a new one is given), overwriting what was under it on its track;
    // the track count grows to hold it. Returns its id. Throws std::invalid_argument on a clip with
    // no frames or a range outside its source.
    QString add(TimelineClip clip);
    // Moves a clip to `start` (>= 0) on `track`, overwriting. False when there is no such clip.
    bool move(const QString& id, int64_t start, int track);
    // Moves a clip's first frame to timeline frame `frame` (its source in-point follows), or its
    // end to `frame` (one past its new last frame); clamped to the source's frames and to at least
    // one frame. Overwrites what the clip grows over. False when there is no such clip.
    bool trimStart(const QString& id, int64_t frame);
    bool trimEnd(const QString& id, int64_t frame);
    // Splits the clip at `frame` (strictly inside it): the clip keeps the part before, a new clip
    // (returned id) holds the rest. nullopt when no clip of that id covers frame > start.
    std::optional<QString> split(const QString& id, int64_t frame);
    bool remove(const QString& id);

    // The nearest snap point to `frame` within `tolerance` frames: timeline start, clip edges
    // (except the clip `ignore`'s own), and `extra` (e.g. the playhead, in and out points). The
    // frame itself when none is near.
    int64_t snap(int64_t frame, int64_t tolerance, const QString& ignore = {},
        const std::vector<int64_t>& extra = {}) const;

    QJsonObject toJson() const;
    // Throws ProjectError (project.h) on a damaged timeline: overlapping clips, bad ranges.
    static Timeline fromJson(const QJsonObject& json);
    friend bool operator==(const Timeline&, const Timeline&) = default;

private:
    // Applies `change` to the clip `id`, then lets it overwrite what it now covers. False: no clip.
    template <typename Change> bool edit(const QString& id, Change change);
    // Removes [from, to) on `track` from every clip but `keep`.
    void clear(int track, int64_t from, int64_t to, const QString& keep);
    void sort();
    static void check(const TimelineClip& clip);

    Rational m_rate { 24, 1 };
    int m_tracks = kDefaultTracks;
    std::vector<TimelineClip> m_clips;
};

} // namespace kinora::core
