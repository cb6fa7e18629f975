#pragma once
// Undo commands for the timeline: one per user gesture, pushed on the main window's QUndoStack. The
// Timeline is a small value type, so a command keeps the whole timeline before and after its edit
// and applies it with Project::setTimeline; undo is exact whatever the overwrite rule did to other
// clips. A drag pushes a command on every mouse move, each computed from the timeline as it was when
// the drag began and carrying the drag's gesture number: they merge into one undo step (and vanish
// when the drag ends where it started). A command whose project is gone does nothing.

#include "kinora/core/project.h"
#include "kinora/core/timeline.h"

#include <QPointer>
#include <QString>
#include <QUndoCommand>

#include <cstdint>
#include <memory>

namespace kinora::ui {

// The clip that places `source` with its first frame at `start` on `track` of a timeline at `rate`:
// all of the source's frames conformed by time, a still for Timeline::kStillSeconds, sound when the
// source has it. A source without frames (not probed) gives a clip of length 0.
core::TimelineClip clipForSource(
    const core::SourceDetails& source, core::Rational rate, int64_t start, int track);
// The timeline's rate once `source` is added: the source's own when the timeline is empty and the
// source is moving footage with a valid rate, else the timeline's.
core::Rational rateWithSource(const core::Timeline& timeline, const core::SourceDetails& source);

class TimelineCommand : public QUndoCommand {
public:
    static constexpr int kId = 0x4b544c; // "KTL"
    enum class Edge { Start, End };

    // Replaces the project's timeline by `after` on redo; undo puts back the timeline the project
    // had when the command was made. Commands with the same non-zero `gesture` merge.
    TimelineCommand(core::Project* project, core::Timeline after, const QString& text, int gesture = 0,
        QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;
    int id() const override { return m_gesture != 0 ? kId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    const core::Timeline& before() const { return m_before; }
    const core::Timeline& after() const { return m_after; }
    int gesture() const { return m_gesture; }
    // The clip an add or a split made (empty for other edits).
    QString newClipId() const { return m_newClipId; }

    // A number for a new drag, never 0 and never handed out twice in this process.
    static int newGesture();

    // The edits, each one command, or nullptr when there is no project or the edit would change
    // nothing (no such clip, a split outside the clip, a source without frames). A drag passes the
    // timeline as it was when it began (`from`) and its gesture, so each mouse move is the whole
    // edit so far, not a step on top of the last one.
    static std::unique_ptr<TimelineCommand> move(core::Project* project, const core::Timeline& from,
        const QString& clipId, int64_t start, int track, int gesture = 0);
    static std::unique_ptr<TimelineCommand> trim(core::Project* project, const core::Timeline& from,
        const QString& clipId, Edge edge, int64_t frame, int gesture = 0);
    static std::unique_ptr<TimelineCommand> split(
        core::Project* project, const QString& clipId, int64_t frame);
    static std::unique_ptr<TimelineCommand> remove(core::Project* project, const QString& clipId);
    // Places a take or media item (Project::source) at `start` on `track`; the first clip of an
    // empty timeline also sets its rate to the source's (rateWithSource), in the same step.
    static std::unique_ptr<TimelineCommand> add(
        core::Project* project, const core::SourceDetails& source, int64_t start, int track);

private:
    bool apply(const core::Timeline& timeline);

    QPointer<core::Project> m_project;
    core::Timeline m_before;
    core::Timeline m_after;
    int m_gesture = 0;
    QString m_newClipId;
};

} // namespace kinora::ui
