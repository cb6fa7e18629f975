#include "kinora/ui/take_commands.h"

#include <QCoreApplication>

#include <algorithm>

namespace kinora::ui {

RemoveTakeCommand::RemoveTakeCommand(core::Project* project, const QString& takeId, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_project(project)
    , m_takeId(takeId)
{
    const auto* take = project ? project->take(takeId) : nullptr;
    setText(QCoreApplication::translate("kinora::ui::TakeCommands", "Delete take “%1”")
                .arg(take ? take->name : takeId));
}

void RemoveTakeCommand::redo()
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    const int index = m_project->indexOfTake(m_takeId);
    if (index < 0) {
        setObsolete(true);
        return;
    }
    // The take's clips go first, so the timeline never shows a take that is not in the project.
    core::Timeline timeline = m_project->timeline();
    m_timelineBefore.reset();
    if (timeline.removeClipsOf(m_takeId) > 0) {
        m_timelineBefore = m_project->timeline();
        m_project->setTimeline(timeline);
    }
    m_index = index;
    m_record = m_project->removeTake(m_takeId);
}

void RemoveTakeCommand::undo()
{
    // The take came back some other way (or the project closed): nothing of ours to restore.
    if (!m_project || !m_record || m_project->take(m_takeId)) {
        setObsolete(true);
        return;
    }
    const int index = std::clamp(m_index, 0, static_cast<int>(m_project->takes().size()));
    m_project->insertTake(index, *m_record);
    m_record.reset();
    if (m_timelineBefore)
        m_project->setTimeline(*m_timelineBefore);
}

RenameTakeCommand::RenameTakeCommand(
    core::Project* project, const QString& takeId, const QString& newName, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_project(project)
    , m_takeId(takeId)
    , m_newName(newName)
{
    const auto* take = project ? project->take(takeId) : nullptr;
    if (take)
        m_oldName = take->name;
    setText(QCoreApplication::translate("kinora::ui::TakeCommands", "Rename take “%1”").arg(m_oldName));
}

bool RenameTakeCommand::apply(const QString& name)
{
    if (!m_project || !m_project->take(m_takeId)) {
        setObsolete(true);
        return false;
    }
    m_project->renameTake(m_takeId, name);
    return true;
}

void RenameTakeCommand::redo()
{
    apply(m_newName);
}

void RenameTakeCommand::undo()
{
    apply(m_oldName);
}

bool RenameTakeCommand::mergeWith(const QUndoCommand* other)
{
    const auto* rename = dynamic_cast<const RenameTakeCommand*>(other);
    if (!rename || rename->m_takeId != m_takeId || rename->m_project != m_project)
        return false;
    m_newName = rename->m_newName;
    // Renamed back to where it started: the merged step does nothing.
    setObsolete(m_newName == m_oldName);
    return true;
}

} // namespace kinora::ui
