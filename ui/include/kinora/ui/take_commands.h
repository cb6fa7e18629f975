#pragma once
// Undo commands for the takes bin: one per gesture (delete, rename), pushed on the main window's
// QUndoStack. Each finds its take by id, so it survives other edits of the bin, and marks itself
// obsolete when the take (or the whole project) is gone instead of touching something else.

#include "kinora/core/project.h"

#include <QPointer>
#include <QString>
#include <QUndoCommand>

#include <optional>

namespace kinora::ui {

// Removes a take from the bin; undo puts it back where it was. The frames stay on disk, so undo
// needs nothing but the record. Its clips leave the timeline with it and come back on undo.
class RemoveTakeCommand : public QUndoCommand {
public:
    RemoveTakeCommand(core::Project* project, const QString& takeId, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    QPointer<core::Project> m_project;
    QString m_takeId;
    std::optional<core::TakeRecord> m_record; // held while the take is out of the bin
    int m_index = -1;
    std::optional<core::Timeline> m_timelineBefore; // set when the removal took clips with it
};

// Renames a take. Consecutive renames of the same take merge into one step.
class RenameTakeCommand : public QUndoCommand {
public:
    static constexpr int kId = 0x4b524e; // "KRN"

    RenameTakeCommand(core::Project* project, const QString& takeId, const QString& newName,
        QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    bool apply(const QString& name);

    QPointer<core::Project> m_project;
    QString m_takeId;
    QString m_oldName;
    QString m_newName;
};

} // namespace kinora::ui
