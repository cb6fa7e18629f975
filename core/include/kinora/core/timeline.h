#pragma once
// The timeline of a project: video tracks of clips, each a range of a take's or an imported media's
// frames placed at a timeline frame. Edits are in whole frames at the timeline's rate. A clip whose
// source has another rate is conformed by time, as editors do: it keeps its duration in seconds and
// timeline frame f shows the source frame on screen at f's time (`sourceStep` = source rate /
// timeline rate source frames per timeline frame). So a take interpolated to twice the rate lines up
// with its source frame for frame, and an export at the higher rate shows all its frames. A still
// image has step 0: every timeline frame shows its one frame, for as long as the clip is.
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
    // Source frames per timeline frame: source rate / timeline rate (1/1: frame for frame; 0/1: a
    // still). conformStep() gives it.
    Rational sourceStep { 1, 1 };
    int64_t start = 0; // first timeline frame
    int64_t length = 0; // frames on the timeline (>= 1)
    int track = 0; // 0 = the bottom video track
    bool hasAudio = false; // the source has sound (drawn on the audio lane, mixed into exports)

    int64_t end() const { return start + length; } // one past the last frame
    bool covers(int64_t frame) const { return frame >= start && frame < end(); }
    // The source frame shown at timeline `frame` (which the clip covers).
    int64_t sourceFrameAt(int64_t frame) const { return sourceIn + sourceOffset(frame - start); }
    // Source frames advanced after `frames` timeline frames: floor(frames * step), exact.
    int64_t sourceOffset(int64_t frames) const;
    // The most timeline frames a clip starting at source frame `in` can last (a still: unlimited).
    int64_t maxLength(int64_t in) const;
    // The source frame on screen `seconds` after the clip's start (for exports at another rate than
    // the timeline's): floor(seconds * source rate), given the timeline's rate.
    int64_t sourceFrameAtTime(double seconds, Rational timelineRate) const;
    friend bool operator==(const TimelineClip&, const TimelineClip&) = default;
};

// What the cut shows at one frame: the clip on the highest track covering it, and its source frame.
struct TimelineHit {
    const TimelineClip* clip = nullptr;
    int64_t sourceFrame = 0;
};

// Source frames per timeline frame for a source at `sourceRate` on a timeline at `timelineRate`
// (reduced; 1/1 when either is invalid). A still image: pass an invalid source rate and `still`.
Rational conformStep(Rational sourceRate, Rational timelineRate, bool still = false);

class Timeline {
public:
    static constexpr int kDefaultTracks = 3;
    // How long a still image lasts when it is placed: 5 seconds.
    static constexpr int kStillSeconds = 5;

    Rational rate() const { return m_rate; }
    void setRate(Rational rate) { m_rate = rate; }
    int trackCount() const { return m_tracks; }
    void setTrackCount(int tracks); // >= 1; clips on removed tracks move to the top one left
    const std::vector<TimelineClip>& clips() const { return m_clips; } // ordered by track, then start
    const TimelineClip* clip(const QString& id) const;
    bool isEmpty() const { return m_clips.empty(); }
    // One past the last frame of any clip (0 when empty).
    int64_t duration() const;
    // Length in seconds (duration() / rate).
    double seconds() const { return m_rate.valid() ? double(duration()) * m_rate.den / m_rate.num : 0; }
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
    // Removes every clip of the source `sourceId` (a take or media item leaving the project).
    // Returns how many went.
    int removeClipsOf(const QString& sourceId);

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
