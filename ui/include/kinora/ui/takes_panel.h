#pragma once
// The takes bin: every take of the project as a thumbnail card (middle frame, name, prompt and
// seed), in the order they were made. Double-click or Enter plays a take; its context menu makes it
// again, makes a variation, exports it, shows its request, renames or deletes it. Renames and
// deletes are commands on the main window's undo stack; everything else is a signal the main
// window acts on, so the bin itself starts no jobs.

#include <QString>
#include <QWidget>

class QAction;
class QListView;
class QLabel;
class QStackedLayout;
class QUndoStack;

namespace kinora::core {
class Project;
}

namespace kinora::ui {

class TakesModel;

class TakesPanel : public QWidget {
    Q_OBJECT
public:
    explicit TakesPanel(QUndoStack* undoStack, QWidget* parent = nullptr);
    ~TakesPanel() override;

    // The document whose takes the bin shows; may change (New, Open) and may be null.
    void setProject(core::Project* project);

    QString selectedTakeId() const; // empty when none
    void selectTake(const QString& id);

    // Actions on the selected take (also in its context menu): play, make again, variation,
    // export, show request, rename, delete.
    void renameSelected();
    void removeSelected();
    void showRequestOfSelected();

Q_SIGNALS:
    void playRequested(const QString& id);
    void makeAgainRequested(const QString& id);
    void variationRequested(const QString& id);
    void exportRequested(const QString& id);
    void selectionChanged(const QString& id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAction* addTakeAction(const char* objectName, const QString& text, const QString& icon);
    void showContextMenu(const QPoint& pos);
    void updateState();

    QUndoStack* m_undoStack;
    TakesModel* m_model;
    QListView* m_list;
    QLabel* m_hint;
    QStackedLayout* m_stack;
    QList<QAction*> m_takeActions;
    QAction* m_renameAction = nullptr;
    QAction* m_removeAction = nullptr;
    QString m_lastSelection;
};

} // namespace kinora::ui
