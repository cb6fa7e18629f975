#include "kinora/ui/timeline_commands.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace kinora::ui {

core::TimelineClip clipForSource(
    const core::SourceDetails& source, core::Rational rate, int64_t start, int track)
{
    core::TimelineClip clip;
    clip.source = source.isTake ? core::TimelineClip::Source::Take : core::TimelineClip::Source::Media;
    clip.sourceId = source.id;
    clip.sourceFrames = source.still ? std::max<int64_t>(source.frames, 1) : source.frames;
    clip.sourceStep = core::conformStep(source.fps, rate, source.still);
    clip.start = std::max<int64_t>(start, 0);
    clip.track = std::max(track, 0);
    clip.hasAudio = source.audio;
    if (source.still) {
        const double seconds = core::Timeline::kStillSeconds * (rate.valid() ? rate.value() : 24.0);
        clip.length = std::max<int64_t>(1, std::llround(seconds));
    } else {
        clip.length = clip.maxLength(0);
    }
    return clip;
}

core::Rational rateWithSource(const core::Timeline& timeline, const core::SourceDetails& source)
{
    if (timeline.isEmpty() && !source.still && source.fps.valid())
        return source.fps;
    return timeline.rate();
}

TimelineCommand::TimelineCommand(
    core::Project* project, core::Timeline after, const QString& text, int gesture, QUndoCommand* parent)
    : QUndoCommand(text, parent)
    , m_project(project)
    , m_after(std::move(after))
    , m_gesture(gesture)
{
    if (project)
        m_before = project->timeline();
    // An edit that changes nothing: the stack drops it (or merges it into its drag) unapplied.
    setObsolete(m_after == m_before);
}

int TimelineCommand::newGesture()
{
    static std::atomic<int> next { 1 };
    return next++;
}

bool TimelineCommand::apply(const core::Timeline& timeline)
{
    // The project closed (New, Open): this step belongs to a document that no longer exists.
    if (!m_project) {
        setObsolete(true);
        return false;
    }
    m_project->setTimeline(timeline);
    return true;
}

void TimelineCommand::redo()
{
    apply(m_after);
}

void TimelineCommand::undo()
{
    apply(m_before);
}

bool TimelineCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const TimelineCommand*>(other);
    if (!next || m_gesture == 0 || next->m_gesture != m_gesture || next->m_project != m_project)
        return false;
    m_after = next->m_after;
    // A drag that ended where it began: the merged step does nothing, and the stack drops it.
    setObsolete(m_after == m_before);
    return true;
}

std::unique_ptr<TimelineCommand> TimelineCommand::move(core::Project* project, const core::Timeline& from,
    const QString& clipId, int64_t start, int track, int gesture)
{
    core::Timeline after = from;
    if (!project || !after.move(clipId, start, track) || after == project->timeline())
        return nullptr;
    return std::make_unique<TimelineCommand>(project, std::move(after),
        QCoreApplication::translate("kinora::ui::TimelineCommands", "Move clip"), gesture);
}

std::unique_ptr<TimelineCommand> TimelineCommand::trim(core::Project* project, const core::Timeline& from,
    const QString& clipId, Edge edge, int64_t frame, int gesture)
{
    core::Timeline after = from;
    const bool trimmed = edge == Edge::Start ? after.trimStart(clipId, frame) : after.trimEnd(clipId, frame);
    if (!project || !trimmed || after == project->timeline())
        return nullptr;
    return std::make_unique<TimelineCommand>(project, std::move(after),
        QCoreApplication::translate("kinora::ui::TimelineCommands", "Trim clip"), gesture);
}

std::unique_ptr<TimelineCommand> TimelineCommand::split(
    core::Project* project, const QString& clipId, int64_t frame)
{
    if (!project)
        return nullptr;
    core::Timeline after = project->timeline();
    const auto rest = after.split(clipId, frame);
    if (!rest)
        return nullptr;
    auto command = std::make_unique<TimelineCommand>(
        project, std::move(after), QCoreApplication::translate("kinora::ui::TimelineCommands", "Split clip"));
    command->m_newClipId = *rest;
    return command;
}

std::unique_ptr<TimelineCommand> TimelineCommand::remove(core::Project* project, const QString& clipId)
{
    if (!project)
        return nullptr;
    core::Timeline after = project->timeline();
    if (!after.remove(clipId))
        return nullptr;
    return std::make_unique<TimelineCommand>(project, std::move(after),
        QCoreApplication::translate("kinora::ui::TimelineCommands", "Delete clip"));
}

std::unique_ptr<TimelineCommand> TimelineCommand::add(
    core::Project* project, const core::SourceDetails& source, int64_t start, int track)
{
    if (!project)
        return nullptr;
    core::Timeline after = project->timeline();
    after.setRate(rateWithSource(after, source));
    const core::TimelineClip clip = clipForSource(source, after.rate(), start, track);
    if (clip.length < 1)
        return nullptr;
    QString id;
    try {
        id = after.add(clip);
    } catch (const std::invalid_argument&) {
        return nullptr; // a record whose frames do not add up; nothing a user can place
    }
    auto command = std::make_unique<TimelineCommand>(project, std::move(after),
        QCoreApplication::translate("kinora::ui::TimelineCommands", "Add “%1” to the timeline")
            .arg(source.name.isEmpty() ? source.id : source.name));
    command->m_newClipId = id;
    return command;
}

} // namespace kinora::ui
