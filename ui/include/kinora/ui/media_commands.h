#pragma once
// Undo commands for imported media, pushed on the main window's QUndoStack: add (an import), remove
// (with the timeline clips that use the item, so the cut never points at something gone) and
// rename. Each finds its item by id and marks itself obsolete when the item (or the whole
// project) is gone instead of touching something else. The file on disk is never touched.

#include "kinora/core/project.h"

#include <QPointer>
#include <QString>
#include <QUndoCommand>

#include <optional>

namespace kinora::ui {

// Adds an imported item at the end of the bin; undo takes it out again.
class AddMediaCommand : public QUndoCommand {
public:
    AddMediaCommand(core::Project* project, core::MediaRecord record, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    QPointer<core::Project> m_project;
    core::MediaRecord m_record;
    int m_index = -1; // where it went, so a redo after undo puts it back there
};

// Removes an item from the bin and every timeline clip that shows it; undo puts both back.
class RemoveMediaCommand : public QUndoCommand {
public:
    RemoveMediaCommand(core::Project* project, const QString& mediaId, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    QPointer<core::Project> m_project;
    QString m_mediaId;
    std::optional<core::MediaRecord> m_record; // held while the item is out of the bin
    int m_index = -1;
    std::optional<core::Timeline> m_timelineBefore; // set when the removal took clips with it
};

// Renames an item. Consecutive renames of the same item merge into one step.
class RenameMediaCommand : public QUndoCommand {
public:
    static constexpr int kId = 0x4b524d; // "KRM"

    RenameMediaCommand(core::Project* project, const QString& mediaId, const QString& newName,
        QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    bool apply(const QString& name);

    QPointer<core::Project> m_project;
    QString m_mediaId;
    QString m_oldName;
    QString m_newName;
};

} // namespace kinora::ui
