#pragma once
// The bin: every imported media item and then every take of the project as a thumbnail card
// (middle frame; a media item's duration, rate, size and an audio badge; a take's prompt and
// seed), in bin order. A card dragged out carries the source's MIME (source_mime.h) to the
// timeline. Double-click or Enter activates an item (sourceActivated: the viewer shows it; a take
// also plays). A take's context menu makes it again, makes a variation, exports it, shows its
// request; a media item's shows it in its folder; both add to the timeline, rename and remove.
// Renames and removals are commands on the main window's undo stack; everything else is a signal
// the main window acts on, so the bin itself starts no jobs.

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

class FrameSource;
class TakesModel;

class TakesPanel : public QWidget {
    Q_OBJECT
public:
    explicit TakesPanel(QUndoStack* undoStack, QWidget* parent = nullptr);
    ~TakesPanel() override;

    // The document whose media and takes the bin shows; may change (New, Open) and may be null.
    void setProject(core::Project* project);
    // Where the cards' thumbnails come from (the window's MediaFrames); without one, a take's
    // thumbnail is read from its PNG and a media item shows none.
    void setFrameSource(FrameSource* frames);

    QString selectedSourceId() const; // a take's or a media item's id; empty when none
    bool selectedIsTake() const;
    QString selectedTakeId() const; // empty when none or when a media item is selected
    void selectSource(const QString& id);
    void selectTake(const QString& id) { selectSource(id); }

    // Actions on the selected item (also in its context menu).
    void renameSelected();
    void removeSelected(); // a take by RemoveTakeCommand, a media item by RemoveMediaCommand
    void showRequestOfSelected();
    // The folder that holds the selected media item's file (empty for a take or nothing), and
    // opening it in the desktop's file manager.
    QString selectedFolder() const;
    void showSelectedInFolder();

Q_SIGNALS:
    void playRequested(const QString& id);
    void makeAgainRequested(const QString& id);
    void variationRequested(const QString& id);
    void exportRequested(const QString& id);
    void selectionChanged(const QString& id); // a take's or a media item's id; empty: none
    void sourceActivated(const QString& id); // double-click or Enter: show it in the viewer
    void addToTimelineRequested(const QString& id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Applies { Takes, Media, Both };
    QAction* addItemAction(const char* objectName, const QString& text, const QString& icon, Applies applies);
    void showContextMenu(const QPoint& pos);
    void updateState();

    QUndoStack* m_undoStack;
    TakesModel* m_model;
    QListView* m_list;
    QLabel* m_hint;
    QStackedLayout* m_stack;
    QList<QPair<QAction*, Applies>> m_actions; // in context menu order
    QAction* m_renameAction = nullptr;
    QAction* m_removeAction = nullptr;
    QString m_lastSelection;
};

} // namespace kinora::ui
