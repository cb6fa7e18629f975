#include "kinora/core/timeline.h"

#include "kinora/core/project.h"

#include <QJsonArray>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace kinora::core {

namespace {

// floor(a / b) for b > 0, also for negative a.
int64_t floorDiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

int64_t TimelineClip::sourceOffset(int64_t frames) const
{
    return sourceStep.den > 0 ? floorDiv(frames * sourceStep.num, sourceStep.den) : frames;
}

int64_t TimelineClip::maxLength(int64_t in) const
{
    const int64_t remaining = sourceFrames - in;
    if (remaining < 1)
        return 0;
    if (sourceStep.num <= 0)
        return std::numeric_limits<int32_t>::max(); // a still lasts as long as it is made to
    // The largest L with in + floor((L - 1) * step) <= sourceFrames - 1.
    return floorDiv(remaining * sourceStep.den - 1, sourceStep.num) + 1;
}

int64_t TimelineClip::sourceFrameAtTime(double seconds, Rational timelineRate) const
{
    if (sourceStep.num <= 0)
        return sourceIn;
    const double rate = timelineRate.value() * sourceStep.num / sourceStep.den;
    const auto offset = static_cast<int64_t>(std::floor(seconds * rate + 1e-6));
    return std::clamp<int64_t>(sourceIn + offset, 0, std::max<int64_t>(0, sourceFrames - 1));
}

Rational conformStep(Rational sourceRate, Rational timelineRate, bool still)
{
    if (still)
        return { 0, 1 };
    if (!sourceRate.valid() || !timelineRate.valid())
        return { 1, 1 };
    int64_t num = int64_t(sourceRate.num) * timelineRate.den;
    int64_t den = int64_t(sourceRate.den) * timelineRate.num;
    const int64_t g = std::gcd(num, den);
    num /= g, den /= g;
    if (num > std::numeric_limits<int>::max() || den > std::numeric_limits<int>::max())
        return { 1, 1 };
    return { static_cast<int>(num), static_cast<int>(den) };
}

void Timeline::check(const TimelineClip& clip)
{
    if (clip.length < 1)
        throw std::invalid_argument("a timeline clip needs at least one frame");
    if (clip.start < 0 || clip.track < 0)
        throw std::invalid_argument("a timeline clip cannot start before frame 0 or below track 1");
    if (clip.sourceStep.num < 0 || clip.sourceStep.den < 1)
        throw std::invalid_argument("a timeline clip's rate conversion is not a rate");
    if (clip.sourceIn < 0 || clip.length > clip.maxLength(clip.sourceIn))
        throw std::invalid_argument("a timeline clip's range lies outside its source's frames");
}

void Timeline::setTrackCount(int tracks)
{
    m_tracks = std::max(1, tracks);
    for (TimelineClip& c : m_clips)
        if (c.track >= m_tracks) {
            const TimelineClip moved = c;
            c.track = m_tracks - 1;
            clear(c.track, moved.start, moved.end(), moved.id);
        }
    sort();
}

const TimelineClip* Timeline::clip(const QString& id) const
{
    const auto it
        = std::find_if(m_clips.begin(), m_clips.end(), [&](const TimelineClip& c) { return c.id == id; });
    return it == m_clips.end() ? nullptr : &*it;
}

int64_t Timeline::duration() const
{
    int64_t end = 0;
    for (const TimelineClip& c : m_clips)
        end = std::max(end, c.end());
    return end;
}

const TimelineClip* Timeline::clipAt(int track, int64_t frame) const
{
    for (const TimelineClip& c : m_clips)
        if (c.track == track && c.covers(frame))
            return &c;
    return nullptr;
}

TimelineHit Timeline::shownAt(int64_t frame) const
{
    TimelineHit hit;
    for (const TimelineClip& c : m_clips)
        if (c.covers(frame) && (!hit.clip || c.track > hit.clip->track))
            hit = { &c, c.sourceFrameAt(frame) };
    return hit;
}

QString Timeline::newClipId() const
{
    int next = 1;
    for (const TimelineClip& c : m_clips)
        if (c.id.startsWith(QLatin1String("clip-"))) {
            bool ok = false;
            const int n = c.id.mid(5).toInt(&ok);
            if (ok)
                next = std::max(next, n + 1);
        }
    return QStringLiteral("clip-%1").arg(next);
}

void Timeline::clear(int track, int64_t from, int64_t to, const QString& keep)
{
    if (from >= to)
        return;
    std::vector<TimelineClip> added;
    for (auto it = m_clips.begin(); it != m_clips.end();) {
        TimelineClip& c = *it;
        if (c.track != track || c.id == keep || c.end() <= from || c.start >= to) {
            ++it;
            continue;
        }
        if (c.start >= from && c.end() <= to) { // wholly covered
            it = m_clips.erase(it);
            continue;
        }
        if (c.start < from && c.end() > to) { // the range falls inside: split around it
            TimelineClip rest = c;
            rest.sourceIn = c.sourceFrameAt(to);
            rest.length = c.end() - to;
            rest.start = to;
            c.length = from - c.start;
            added.push_back(rest);
        } else if (c.start < from) { // its end is covered
            c.length = from - c.start;
        } else { // its start is covered
            c.sourceIn = c.sourceFrameAt(to);
            c.length = c.end() - to;
            c.start = to;
        }
        ++it;
    }
    for (TimelineClip& rest : added) {
        m_clips.push_back(rest);
        m_clips.back().id = newClipId();
    }
}

void Timeline::sort()
{
    std::stable_sort(m_clips.begin(), m_clips.end(), [](const TimelineClip& a, const TimelineClip& b) {
        return a.track != b.track ? a.track < b.track : a.start < b.start;
    });
}

QString Timeline::add(TimelineClip clip)
{
    check(clip);
    if (clip.id.isEmpty() || this->clip(clip.id))
        clip.id = newClipId();
    m_tracks = std::max(m_tracks, clip.track + 1);
    m_clips.push_back(clip); // first, so that the pieces of a clip it splits get other ids
    clear(clip.track, clip.start, clip.end(), clip.id);
    sort();
    return clip.id;
}

template <typename Change> bool Timeline::edit(const QString& id, Change change)
{
    auto it = std::find_if(m_clips.begin(), m_clips.end(), [&](const TimelineClip& c) { return c.id == id; });
    if (it == m_clips.end())
        return false;
    change(*it);
    const TimelineClip edited = *it; // clear() may reallocate m_clips
    m_tracks = std::max(m_tracks, edited.track + 1);
    clear(edited.track, edited.start, edited.end(), edited.id);
    sort();
    return true;
}

bool Timeline::move(const QString& id, int64_t start, int track)
{
    return edit(id, [&](TimelineClip& c) {
        c.start = std::max<int64_t>(0, start);
        c.track = std::max(0, track);
    });
}

bool Timeline::trimStart(const QString& id, int64_t frame)
{
    return edit(id, [&](TimelineClip& c) {
        // The earliest start whose first frame is still inside the source.
        const int64_t reach = c.sourceStep.num > 0 ? floorDiv(c.sourceIn * c.sourceStep.den, c.sourceStep.num)
                                                   : std::numeric_limits<int32_t>::max();
        const int64_t to = std::clamp(frame, std::max<int64_t>(0, c.start - reach), c.end() - 1);
        c.sourceIn = std::max<int64_t>(0, c.sourceIn + c.sourceOffset(to - c.start));
        c.length -= to - c.start;
        c.start = to;
    });
}

bool Timeline::trimEnd(const QString& id, int64_t frame)
{
    return edit(id, [&](TimelineClip& c) {
        c.length = std::clamp(frame, c.start + 1, c.start + c.maxLength(c.sourceIn)) - c.start;
    });
}

std::optional<QString> Timeline::split(const QString& id, int64_t frame)
{
    auto it = std::find_if(m_clips.begin(), m_clips.end(), [&](const TimelineClip& c) { return c.id == id; });
    if (it == m_clips.end() || frame <= it->start || frame >= it->end())
        return std::nullopt;
    TimelineClip rest = *it;
    rest.id = newClipId();
    rest.sourceIn = it->sourceFrameAt(frame);
    rest.length = it->end() - frame;
    rest.start = frame;
    it->length = frame - it->start;
    m_clips.push_back(rest);
    sort();
    return rest.id;
}

bool Timeline::remove(const QString& id)
{
    const auto before = m_clips.size();
    std::erase_if(m_clips, [&](const TimelineClip& c) { return c.id == id; });
    return m_clips.size() != before;
}

int Timeline::removeClipsOf(const QString& sourceId)
{
    const auto before = m_clips.size();
    std::erase_if(m_clips, [&](const TimelineClip& c) { return c.sourceId == sourceId; });
    return static_cast<int>(before - m_clips.size());
}

int64_t Timeline::snap(
    int64_t frame, int64_t tolerance, const QString& ignore, const std::vector<int64_t>& extra) const
{
    int64_t best = frame, distance = std::numeric_limits<int64_t>::max();
    const auto consider = [&](int64_t point) {
        const int64_t d = point > frame ? point - frame : frame - point;
        if (d <= tolerance && d < distance)
            best = point, distance = d;
    };
    consider(0);
    for (const TimelineClip& c : m_clips)
        if (c.id != ignore) {
            consider(c.start);
            consider(c.end());
        }
    for (int64_t point : extra)
        consider(point);
    return best;
}

QJsonObject Timeline::toJson() const
{
    QJsonArray clips;
    for (const TimelineClip& c : m_clips)
        clips.append(QJsonObject {
            { "id", c.id },
            { "source", c.source == TimelineClip::Source::Take ? "take" : "media" },
            { "source_id", c.sourceId },
            { "source_in", static_cast<qint64>(c.sourceIn) },
            { "source_frames", static_cast<qint64>(c.sourceFrames) },
            { "source_step", c.sourceStep.toString() },
            { "start", static_cast<qint64>(c.start) },
            { "length", static_cast<qint64>(c.length) },
            { "track", c.track },
            { "audio", c.hasAudio },
        });
    return { { "rate", m_rate.toString() }, { "tracks", m_tracks }, { "clips", clips } };
}

Timeline Timeline::fromJson(const QJsonObject& json)
{
    Timeline timeline;
    const auto damaged = [](const QString& why) {
        return ProjectError(QStringLiteral("The project's timeline is damaged (%1).").arg(why).toStdString());
    };
    if (json.contains("rate")) {
        timeline.m_rate = Rational::parse(json.value("rate").toString());
        if (!timeline.m_rate.valid())
            throw damaged(QStringLiteral("its frame rate is not a rate"));
    }
    timeline.m_tracks = json.value("tracks").toInt(kDefaultTracks);
    if (timeline.m_tracks < 1 || timeline.m_tracks > 1000)
        throw damaged(QStringLiteral("it has %1 tracks").arg(timeline.m_tracks));
    for (const QJsonValue& value : json.value("clips").toArray()) {
        const QJsonObject o = value.toObject();
        TimelineClip c;
        c.id = o.value("id").toString();
        const QString source = o.value("source").toString();
        if (source != "take" && source != "media")
            throw damaged(QStringLiteral("clip \"%1\" has no source kind").arg(c.id));
        c.source = source == "take" ? TimelineClip::Source::Take : TimelineClip::Source::Media;
        c.sourceId = o.value("source_id").toString();
        c.sourceIn = o.value("source_in").toInteger(-1);
        c.sourceFrames = o.value("source_frames").toInteger(0);
        if (o.contains("source_step")) {
            const QStringList step = o.value("source_step").toString().split(QLatin1Char('/'));
            bool numOk = false, denOk = false;
            c.sourceStep = { step.value(0).toInt(&numOk), step.size() == 2 ? step[1].toInt(&denOk) : 0 };
            if (!numOk || !denOk)
                throw damaged(QStringLiteral("clip \"%1\" has no rate conversion").arg(c.id));
        }
        c.start = o.value("start").toInteger(-1);
        c.length = o.value("length").toInteger(0);
        c.track = o.value("track").toInt(-1);
        c.hasAudio = o.value("audio").toBool();
        try {
            check(c);
        } catch (const std::invalid_argument& e) {
            throw damaged(QStringLiteral("clip \"%1\": %2").arg(c.id, QString::fromUtf8(e.what())));
        }
        if (c.id.isEmpty() || c.sourceId.isEmpty() || timeline.clip(c.id))
            throw damaged(QStringLiteral("a clip without a unique id or a source"));
        if (c.track >= timeline.m_tracks)
            throw damaged(QStringLiteral("clip \"%1\" is on a track it does not have").arg(c.id));
        for (const TimelineClip& other : timeline.m_clips)
            if (other.track == c.track && other.start < c.end() && c.start < other.end())
                throw damaged(QStringLiteral("clips \"%1\" and \"%2\" overlap").arg(other.id, c.id));
        timeline.m_clips.push_back(c);
    }
    timeline.sort();
    return timeline;
}

} // namespace kinora::core
