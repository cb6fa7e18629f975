#pragma once
// The app's job queue: a list model (one row per job: queued, running, done, failed, cancelled)
// that owns the worker thread and feeds it one job at a time, in row order. Lives in the GUI thread
// and never waits on the worker. Waiting rows can be reordered (by moveJob, or by dragging in a
// view: the model speaks its own MIME type) and removed; the running job is cancelled within one
// step; "cancel queued" drops everything after the running job.

#include "kinora/core/job_worker.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <vector>

namespace kinora::core {

enum class JobState { Queued, Running, Done, Failed, Cancelled };
QString jobStateName(JobState state); // translated: "Queued", "Running", ...

struct JobRow {
    JobTicket ticket;
    JobState state = JobState::Queued;
    JobStatus status;
    QString message; // failed: the error; done: a summary; cancelled: when
    JobOutcome outcome; // done only
    bool cancelRequested = false;
};

class JobQueue : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        StateRole, // int(JobState)
        StepRole,
        TotalRole,
        ProgressRole, // double in [0, 1]
        ElapsedRole, // seconds
        EtaRole, // seconds, < 0 unknown
        MessageRole,
        KindRole, // int(JobKind)
    };

    static constexpr const char* kMimeType = "application/x-kinora-job-id";

    explicit JobQueue(QObject* parent = nullptr);
    ~JobQueue() override; // cancels the running job and waits for the worker thread to end

    // Adds a job at the end and starts it when nothing runs. Returns its id.
    quint64 enqueue(JobTicket ticket);

    // Queued: becomes Cancelled at once (jobCancelled is emitted for it too). Running: the worker
    // stops at its next step.
    void cancel(quint64 id);
    // Cancels every queued job (the running one goes on).
    void cancelQueued();
    // Cancels the running job and every queued one.
    void cancelAll();
    // Moves a queued job to `row` among the rows (clamped; only queued rows move).
    bool moveJob(quint64 id, int row);
    // Removes a row that is not running. Returns false for the running one.
    bool remove(quint64 id);
    // Removes every done, failed and cancelled row.
    void clearFinished();

    const JobRow* find(quint64 id) const;
    int rowOf(quint64 id) const;
    const std::vector<JobRow>& rows() const { return m_rows; }
    // The tickets still waiting, in order (kept in the project at close).
    std::vector<JobTicket> queuedTickets() const;
    bool isBusy() const { return m_runningId != 0; }
    quint64 runningId() const { return m_runningId; }

    JobWorker* worker() const { return m_worker; }
    // The view drew the last preview (forwards to the worker; thread-safe).
    void previewShown();

    // QAbstractListModel
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
        const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
        const QModelIndex& parent) override;

Q_SIGNALS:
    void jobStarted(quint64 id);
    void jobProgress(const kinora::core::JobStatus& status);
    void jobPreview(quint64 id, const kinora::core::JobPreview& preview);
    void jobFinished(const kinora::core::JobOutcome& outcome);
    void jobFailed(quint64 id, const QString& message);
    void jobCancelled(quint64 id);
    void jobWarning(quint64 id, const QString& message);
    void idle(); // nothing running and nothing queued

private:
    void startNext();
    // Moves row `from` to stand before row `before` (counted before the move), as beginMoveRows.
    bool moveRowBefore(int from, int before);
    void changed(int row);
    void onStarted(quint64 id);
    void onProgress(const JobStatus& status);
    void onFinished(const JobOutcome& outcome);
    void onFailed(quint64 id, const QString& message);
    void onCancelled(quint64 id);
    void ended(quint64 id);

    std::vector<JobRow> m_rows;
    QThread m_thread;
    JobWorker* m_worker = nullptr; // lives in m_thread; deleted when it finishes
    quint64 m_nextId = 1;
    quint64 m_runningId = 0;
};

} // namespace kinora::core
