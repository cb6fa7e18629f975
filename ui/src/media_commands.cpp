#include "kinora/ui/media_commands.h"

#include <QCoreApplication>

#include <algorithm>

namespace kinora::ui {

AddMediaCommand::AddMediaCommand(core::Project* project, core::MediaRecord record, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_project(project)
    , m_record(std::move(record))
{
    setText(QCoreApplication::translate("kinora::ui::MediaCommands", "Import “%1”").arg(m_record.name));
}

void AddMediaCommand::redo()
{
    if (!m_project || m_project->indexOfMedia(m_record.id) >= 0 || m_project->take(m_record.id)) {
        setObsolete(true);
        return;
    }
    const int count = static_cast<int>(m_project->media().size());
    m_project->insertMedia(m_index >= 0 ? std::min(m_index, count) : count, m_record);
    m_index = m_project->indexOfMedia(m_record.id);
}

void AddMediaCommand::undo()
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    // Renamed since the import: the redo brings it back under the name it had.
    if (const auto* media = m_project->mediaItem(m_record.id))
        m_record = *media;
    if (!m_project->removeMedia(m_record.id))
        setObsolete(true);
}

RemoveMediaCommand::RemoveMediaCommand(core::Project* project, const QString& mediaId, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_project(project)
    , m_mediaId(mediaId)
{
    const auto* media = project ? project->mediaItem(mediaId) : nullptr;
    setText(QCoreApplication::translate("kinora::ui::MediaCommands", "Remove “%1”")
                .arg(media ? media->name : mediaId));
}

void RemoveMediaCommand::redo()
{
    if (!m_project || m_project->indexOfMedia(m_mediaId) < 0) {
        setObsolete(true);
        return;
    }
    // The clips go first, so the timeline never shows an item that is not in the project.
    core::Timeline timeline = m_project->timeline();
    m_timelineBefore.reset();
    if (timeline.removeClipsOf(m_mediaId) > 0) {
        m_timelineBefore = m_project->timeline();
        m_project->setTimeline(timeline);
    }
    m_index = m_project->indexOfMedia(m_mediaId);
    m_record = m_project->removeMedia(m_mediaId);
}

void RemoveMediaCommand::undo()
{
    if (!m_project || !m_record || m_project->indexOfMedia(m_mediaId) >= 0 || m_project->take(m_mediaId)) {
        setObsolete(true);
        return;
    }
    const int index = std::clamp(m_index, 0, static_cast<int>(m_project->media().size()));
    m_project->insertMedia(index, *m_record);
    m_record.reset();
    if (m_timelineBefore)
        m_project->setTimeline(*m_timelineBefore);
}

RenameMediaCommand::RenameMediaCommand(
    core::Project* project, const QString& mediaId, const QString& newName, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_project(project)
    , m_mediaId(mediaId)
    , m_newName(newName.trimmed())
{
    if (const auto* media = project ? project->mediaItem(mediaId) : nullptr)
        m_oldName = media->name;
    setText(QCoreApplication::translate("kinora::ui::MediaCommands", "Rename “%1”").arg(m_oldName));
}

bool RenameMediaCommand::apply(const QString& name)
{
    if (!m_project || !m_project->renameMedia(m_mediaId, name)) {
        setObsolete(true);
        return false;
    }
    return true;
}

void RenameMediaCommand::redo()
{
    apply(m_newName);
}

void RenameMediaCommand::undo()
{
    apply(m_oldName);
}

bool RenameMediaCommand::mergeWith(const QUndoCommand* other)
{
    const auto* rename = dynamic_cast<const RenameMediaCommand*>(other);
    if (!rename || rename->m_mediaId != m_mediaId || rename->m_project != m_project)
        return false;
    m_newName = rename->m_newName;
    setObsolete(m_newName == m_oldName); // renamed back: the merged step does nothing
    return true;
}

} // namespace kinora::ui
