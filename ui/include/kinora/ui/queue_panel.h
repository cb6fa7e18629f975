#pragma once
// The job queue dock: a list of the app's jobs (queued, running, done, failed, cancelled) over
// core::JobQueue, each row with its state, progress and ETA or error; queued rows reorder by
// dragging. Buttons and a context menu cancel the running job ("cancel now"), cancel what waits
// ("stop after the running take"), remove and clear rows, play a finished take or show an
// export's folder.

#include <QList>
#include <QString>
#include <QWidget>

class QListView;
class QModelIndex;
class QToolButton;
class QMenu;

namespace kinora::core {
class JobQueue;
}

namespace kinora::ui {

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(core::JobQueue* queue, QWidget* parent = nullptr);

    // What row `row` says, on one line: "title · state · step 7/20 · about 12 s left" or
    // "title · Failed · the error". For tool tips and tests.
    QString rowText(int row) const;
    // The ids of the selected rows, in row order.
    QList<quint64> selectedJobs() const;

    // The actions behind the buttons.
    void cancelSelected(); // the selection's running and queued jobs, or the running one
    void removeSelected(); // every selected row that is not running

    // The context menu for `index` (the view's row), filled in; shown by the view.
    void fillContextMenu(QMenu& menu, const QModelIndex& index);

Q_SIGNALS:
    // The user asked to play the take a finished diffusion job made.
    void playRequested(const QString& takeId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateButtons();
    void activated(const QModelIndex& index);
    void showInFolder(quint64 id);

    core::JobQueue* m_queue = nullptr;
    QListView* m_list = nullptr;
    QToolButton* m_cancel = nullptr;
    QToolButton* m_cancelQueued = nullptr;
    QToolButton* m_remove = nullptr;
    QToolButton* m_clearFinished = nullptr;
};

} // namespace kinora::ui
