#include "kinora/core/job_queue.h"

#include "kinora/core/engine_info.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QFileInfo>
#include <QIODevice>
#include <QMimeData>

#include <algorithm>

namespace kinora::core {

QString jobStateName(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return QCoreApplication::translate("JobQueue", "Queued");
    case JobState::Running:
        return QCoreApplication::translate("JobQueue", "Running");
    case JobState::Done:
        return QCoreApplication::translate("JobQueue", "Done");
    case JobState::Failed:
        return QCoreApplication::translate("JobQueue", "Failed");
    case JobState::Cancelled:
        return QCoreApplication::translate("JobQueue", "Cancelled");
    }
    return {};
}

JobQueue::JobQueue(QObject* parent)
    : QAbstractListModel(parent)
{
    qRegisterMetaType<JobTicket>();
    qRegisterMetaType<JobOutcome>();
    qRegisterMetaType<JobStatus>();
    qRegisterMetaType<JobPreview>();

    // Owned by its thread: deleted there, after its last job, when the thread finishes.
    m_worker = new JobWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // `this` as the context: the worker's signals arrive queued, in the GUI thread.
    connect(m_worker, &JobWorker::started, this, &JobQueue::onStarted);
    connect(m_worker, &JobWorker::progress, this, &JobQueue::onProgress);
    connect(m_worker, &JobWorker::finished, this, &JobQueue::onFinished);
    connect(m_worker, &JobWorker::failed, this, &JobQueue::onFailed);
    connect(m_worker, &JobWorker::cancelled, this, &JobQueue::onCancelled);
    connect(m_worker, &JobWorker::preview, this,
        [this](quint64 id, const JobPreview& preview) { Q_EMIT jobPreview(id, preview); });
    connect(m_worker, &JobWorker::warning, this,
        [this](quint64 id, const QString& message) { Q_EMIT jobWarning(id, message); });
    m_thread.setObjectName(QStringLiteral("kinora-worker"));
    // The engine's compute threads are started by the worker thread and inherit its lower
    // priority, so the GUI thread wins the cores whenever it has something to draw.
    connect(
        &m_thread, &QThread::started, m_worker, [] { lowerCurrentThreadPriority(); }, Qt::DirectConnection);
    m_thread.start();
}

JobQueue::~JobQueue()
{
    if (m_runningId != 0)
        m_worker->cancel(m_runningId);
    m_thread.quit();
    m_thread.wait(); // the running job stops at its next step
}

quint64 JobQueue::enqueue(JobTicket ticket)
{
    ticket.id = m_nextId++;
    if (ticket.title.isEmpty() && isExport(ticket.kind)) {
        const QString file = QFileInfo(
            ticket.kind == JobKind::Export ? ticket.transcode.output : ticket.timelineExport.output)
                                 .fileName();
        ticket.title = ticket.kind == JobKind::Export
            ? QCoreApplication::translate("JobQueue", "Export → %1").arg(file)
            : QCoreApplication::translate("JobQueue", "Export timeline → %1").arg(file);
    }
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    JobRow added;
    added.ticket = std::move(ticket);
    added.status.id = added.ticket.id;
    m_rows.push_back(std::move(added));
    endInsertRows();
    const quint64 id = m_rows.back().ticket.id;
    startNext();
    return id;
}

void JobQueue::startNext()
{
    if (m_runningId != 0)
        return;
    const auto next = std::find_if(
        m_rows.begin(), m_rows.end(), [](const JobRow& r) { return r.state == JobState::Queued; });
    if (next == m_rows.end())
        return;
    next->state = JobState::Running;
    m_runningId = next->ticket.id;
    changed(static_cast<int>(next - m_rows.begin()));
    JobWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, ticket = next->ticket] { worker->run(ticket); }, Qt::QueuedConnection);
}

void JobQueue::changed(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
}

void JobQueue::onStarted(quint64 id)
{
    Q_EMIT jobStarted(id);
}

void JobQueue::onProgress(const JobStatus& status)
{
    const int row = rowOf(status.id);
    if (row < 0)
        return;
    m_rows[static_cast<size_t>(row)].status = status;
    changed(row);
    Q_EMIT jobProgress(status);
}

void JobQueue::onFinished(const JobOutcome& outcome)
{
    const int row = rowOf(outcome.id);
    if (row >= 0) {
        JobRow& r = m_rows[static_cast<size_t>(row)];
        r.state = JobState::Done;
        r.outcome = outcome;
        r.status.step = r.status.total;
        r.status.elapsed = outcome.seconds;
        r.status.eta = 0;
        r.message = isExport(outcome.kind)
            ? tr("%n frames in %1 s", nullptr, static_cast<int>(outcome.transcode.frames))
                  .arg(outcome.seconds, 0, 'f', 1)
            : tr("%n frames in %1 s", nullptr, outcome.diffusion.frames).arg(outcome.seconds, 0, 'f', 1);
        changed(row);
    }
    Q_EMIT jobFinished(outcome);
    ended(outcome.id);
}

void JobQueue::onFailed(quint64 id, const QString& message)
{
    const int row = rowOf(id);
    if (row >= 0) {
        JobRow& r = m_rows[static_cast<size_t>(row)];
        r.state = JobState::Failed;
        r.message = message;
        r.status.eta = -1;
        changed(row);
    }
    Q_EMIT jobFailed(id, message);
    ended(id);
}

void JobQueue::onCancelled(quint64 id)
{
    const int row = rowOf(id);
    if (row >= 0) {
        JobRow& r = m_rows[static_cast<size_t>(row)];
        r.state = JobState::Cancelled;
        r.message = r.status.step > 0
            ? tr("Cancelled at step %1 of %2").arg(r.status.step).arg(r.status.total)
            : tr("Cancelled before its first step");
        r.status.eta = -1;
        changed(row);
    }
    Q_EMIT jobCancelled(id);
    ended(id);
}

void JobQueue::ended(quint64 id)
{
    if (m_runningId == id)
        m_runningId = 0;
    startNext();
    if (m_runningId == 0)
        Q_EMIT idle();
}

void JobQueue::cancel(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    JobRow& r = m_rows[static_cast<size_t>(row)];
    if (r.state == JobState::Queued) {
        r.state = JobState::Cancelled;
        r.message = tr("Cancelled before it started");
        changed(row);
        Q_EMIT jobCancelled(id);
    } else if (r.state == JobState::Running && !r.cancelRequested) {
        r.cancelRequested = true;
        m_worker->cancel(id); // an atomic: a queued call would arrive after the job is done
        changed(row);
    }
}

void JobQueue::cancelQueued()
{
    std::vector<quint64> queued;
    for (const JobRow& r : m_rows)
        if (r.state == JobState::Queued)
            queued.push_back(r.ticket.id);
    for (const quint64 id : queued)
        cancel(id);
}

void JobQueue::cancelAll()
{
    // Queued ones first, so that the running job's end starts nothing.
    cancelQueued();
    if (m_runningId != 0)
        cancel(m_runningId);
}

bool JobQueue::moveRowBefore(int from, int before)
{
    if (before == from || before == from + 1) // already there
        return true;
    if (!beginMoveRows({}, from, from, {}, before))
        return false;
    JobRow moved = std::move(m_rows[static_cast<size_t>(from)]);
    m_rows.erase(m_rows.begin() + from);
    m_rows.insert(m_rows.begin() + (before > from ? before - 1 : before), std::move(moved));
    endMoveRows();
    return true;
}

bool JobQueue::moveJob(quint64 id, int row)
{
    const int from = rowOf(id);
    if (from < 0 || m_rows[static_cast<size_t>(from)].state != JobState::Queued)
        return false;
    const int to = std::clamp(row, 0, rowCount() - 1);
    // `to` is where the row ends up; beginMoveRows counts the destination before the removal.
    return moveRowBefore(from, to > from ? to + 1 : to);
}

bool JobQueue::remove(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0 || m_rows[static_cast<size_t>(row)].state == JobState::Running)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    return true;
}

void JobQueue::clearFinished()
{
    for (int row = rowCount() - 1; row >= 0; --row) {
        const JobState state = m_rows[static_cast<size_t>(row)].state;
        if (state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
}

const JobRow* JobQueue::find(quint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_rows[static_cast<size_t>(row)];
}

int JobQueue::rowOf(quint64 id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].ticket.id == id)
            return static_cast<int>(i);
    return -1;
}

std::vector<JobTicket> JobQueue::queuedTickets() const
{
    std::vector<JobTicket> tickets;
    for (const JobRow& r : m_rows)
        if (r.state == JobState::Queued)
            tickets.push_back(r.ticket);
    return tickets;
}

void JobQueue::previewShown()
{
    m_worker->previewShown();
}

int JobQueue::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant JobQueue::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobRow& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return r.ticket.title;
    case Qt::ToolTipRole:
        return r.message.isEmpty() ? r.ticket.title : r.ticket.title + QLatin1Char('\n') + r.message;
    case IdRole:
        return r.ticket.id;
    case StateRole:
        return static_cast<int>(r.state);
    case StepRole:
        return r.status.step;
    case TotalRole:
        return r.status.total;
    case ProgressRole:
        if (r.state == JobState::Done)
            return 1.0;
        return r.status.total > 0 ? static_cast<double>(r.status.step) / r.status.total : 0.0;
    case ElapsedRole:
        return r.status.elapsed;
    case EtaRole:
        return r.state == JobState::Running ? r.status.eta : -1.0;
    case MessageRole:
        return r.message;
    case KindRole:
        return static_cast<int>(r.ticket.kind);
    default:
        return {};
    }
}

QHash<int, QByteArray> JobQueue::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "jobId");
    names.insert(StateRole, "state");
    names.insert(StepRole, "step");
    names.insert(TotalRole, "total");
    names.insert(ProgressRole, "progress");
    names.insert(ElapsedRole, "elapsed");
    names.insert(EtaRole, "eta");
    names.insert(MessageRole, "message");
    names.insert(KindRole, "kind");
    return names;
}

Qt::ItemFlags JobQueue::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled; // drops land between rows, never on one
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (m_rows[static_cast<size_t>(index.row())].state == JobState::Queued)
        flags |= Qt::ItemIsDragEnabled;
    return flags;
}

Qt::DropActions JobQueue::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList JobQueue::mimeTypes() const
{
    return { QString::fromLatin1(kMimeType) };
}

QMimeData* JobQueue::mimeData(const QModelIndexList& indexes) const
{
    QList<int> rows;
    for (const QModelIndex& index : indexes)
        if (index.isValid() && index.model() == this
            && m_rows[static_cast<size_t>(index.row())].state == JobState::Queued)
            rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty())
        return nullptr;
    QList<quint64> ids;
    for (const int row : rows)
        ids.append(m_rows[static_cast<size_t>(row)].ticket.id);
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    stream << ids;
    auto* data = new QMimeData; // the caller (the drag) owns it
    data->setData(QString::fromLatin1(kMimeType), bytes);
    return data;
}

bool JobQueue::canDropMimeData(
    const QMimeData* data, Qt::DropAction action, int row, int column, const QModelIndex& parent) const
{
    Q_UNUSED(row)
    Q_UNUSED(parent)
    return data && action == Qt::MoveAction && column <= 0 && data->hasFormat(QString::fromLatin1(kMimeType));
}

bool JobQueue::dropMimeData(
    const QMimeData* data, Qt::DropAction action, int row, int column, const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    QList<quint64> ids;
    QDataStream stream(data->data(QString::fromLatin1(kMimeType)));
    stream >> ids;
    if (stream.status() != QDataStream::Ok)
        return false;
    // The rows move here, as one contiguous block in their current order. The model has no
    // removeRows(), so the view's removal of the "moved" source rows after a MoveAction does
    // nothing.
    std::sort(ids.begin(), ids.end(), [this](quint64 a, quint64 b) { return rowOf(a) < rowOf(b); });
    int before = row >= 0 ? std::min(row, rowCount()) : (parent.isValid() ? parent.row() : rowCount());
    bool moved = false;
    for (const quint64 id : ids) {
        const int from = rowOf(id);
        if (from < 0 || m_rows[static_cast<size_t>(from)].state != JobState::Queued)
            continue;
        if (!moveRowBefore(from, before))
            continue;
        moved = true;
        if (from >= before)
            ++before;
    }
    return moved;
}

} // namespace kinora::core
