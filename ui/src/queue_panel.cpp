#include "kinora/ui/queue_panel.h"

#include "job_delegate.h"
#include "kinora/core/job_queue.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace kinora::ui {

namespace {

using core::JobKind;
using core::JobQueue;
using core::JobState;

// A list that says what to do when it is empty.
class JobListView : public QListView {
public:
    using QListView::QListView;

    QString emptyHint;

protected:
    void paintEvent(QPaintEvent* event) override
    {
        QListView::paintEvent(event);
        if (model() && model()->rowCount() > 0)
            return;
        QPainter painter(viewport());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(
            viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, emptyHint);
    }
};

QToolButton* toolButton(
    const QString& name, const QString& icon, const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

bool isFinished(JobState state)
{
    return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}

} // namespace

QueuePanel::QueuePanel(core::JobQueue* queue, QWidget* parent)
    : QWidget(parent)
    , m_queue(queue)
{
    setObjectName(QStringLiteral("queuePanel"));

    auto* list = new JobListView(this);
    list->emptyHint = tr("No jobs yet — press Ctrl+Enter to generate");
    m_list = list;
    m_list->setObjectName(QStringLiteral("jobList"));
    m_list->setModel(m_queue);
    m_list->setItemDelegate(new JobDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    // The model speaks its own MIME type and moves the rows in dropMimeData; it has no
    // removeRows(), so the view's clean-up after a move drag drops nothing.
    m_list->setDragEnabled(true);
    m_list->setAcceptDrops(true);
    m_list->setDropIndicatorShown(true);
    m_list->setDragDropOverwriteMode(false);
    m_list->setDragDropMode(QAbstractItemView::DragDrop);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->installEventFilter(this);
    connect(m_list, &QListView::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_list->indexAt(pos);
        if (!index.isValid())
            return;
        QMenu menu(this);
        fillContextMenu(menu, index);
        menu.exec(m_list->viewport()->mapToGlobal(pos));
    });
    connect(m_list, &QListView::doubleClicked, this, &QueuePanel::activated);

    m_cancel = toolButton(QStringLiteral("cancelButton"), QStringLiteral("cancel"), tr("Cancel"),
        tr("Cancel now: stop the selected job, or the running one when nothing is selected"), this);
    connect(m_cancel, &QToolButton::clicked, this, &QueuePanel::cancelSelected);
    m_cancelQueued = toolButton(QStringLiteral("cancelQueuedButton"), QStringLiteral("stop"),
        tr("Cancel queued"), tr("Cancel queued: stop after the running take"), this);
    connect(m_cancelQueued, &QToolButton::clicked, m_queue, &JobQueue::cancelQueued);
    m_remove = toolButton(QStringLiteral("removeButton"), QStringLiteral("remove"), tr("Remove"),
        tr("Remove the selected jobs from the list (Delete)"), this);
    connect(m_remove, &QToolButton::clicked, this, &QueuePanel::removeSelected);
    m_clearFinished = toolButton(QStringLiteral("clearFinishedButton"), QStringLiteral("clear"),
        tr("Clear finished"), tr("Remove every done, failed and cancelled job from the list"), this);
    connect(m_clearFinished, &QToolButton::clicked, m_queue, &JobQueue::clearFinished);

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelQueued);
    buttons->addStretch(1);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_clearFinished);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(
        m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueuePanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::dataChanged, this, &QueuePanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::rowsInserted, this, &QueuePanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::rowsRemoved, this, &QueuePanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::rowsMoved, this, &QueuePanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::modelReset, this, &QueuePanel::updateButtons);
    connect(m_queue, &JobQueue::jobStarted, this, &QueuePanel::updateButtons);
    connect(m_queue, &JobQueue::idle, this, &QueuePanel::updateButtons);
    updateButtons();
}

QString QueuePanel::rowText(int row) const
{
    const QModelIndex index = m_queue->index(row);
    if (!index.isValid())
        return {};
    const JobRowText text = jobRowText(index);
    QStringList parts { text.title, text.state };
    for (const QString& part : { text.progress, text.eta, text.detail })
        if (!part.isEmpty())
            parts << part;
    return parts.join(QStringLiteral(" · "));
}

QList<quint64> QueuePanel::selectedJobs() const
{
    QModelIndexList indexes = m_list->selectionModel()->selectedRows();
    std::sort(indexes.begin(), indexes.end(),
        [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<quint64> ids;
    for (const QModelIndex& index : indexes)
        ids << index.data(JobQueue::IdRole).toULongLong();
    return ids;
}

void QueuePanel::cancelSelected()
{
    const QList<quint64> ids = selectedJobs();
    bool any = false;
    for (const quint64 id : ids) {
        const auto* row = m_queue->find(id);
        if (row && (row->state == JobState::Queued || row->state == JobState::Running)) {
            m_queue->cancel(id);
            any = true;
        }
    }
    if (!any && ids.isEmpty() && m_queue->isBusy())
        m_queue->cancel(m_queue->runningId());
    updateButtons();
}

void QueuePanel::removeSelected()
{
    for (const quint64 id : selectedJobs())
        m_queue->remove(id); // refuses the running job
    updateButtons();
}

void QueuePanel::fillContextMenu(QMenu& menu, const QModelIndex& index)
{
    const quint64 id = index.data(JobQueue::IdRole).toULongLong();
    const auto* row = m_queue->find(id);
    if (!row)
        return;
    const JobState state = row->state;
    if (state == JobState::Done && row->ticket.kind == JobKind::Diffusion) {
        QAction* play = menu.addAction(QIcon(QStringLiteral(":/icons/play.svg")), tr("Play"));
        play->setObjectName(QStringLiteral("playAction"));
        connect(play, &QAction::triggered, this,
            [this, index = QPersistentModelIndex(index)] { activated(index); });
    }
    if (state == JobState::Done && isExport(row->ticket.kind)) {
        QAction* folder = menu.addAction(QIcon(QStringLiteral(":/icons/folder.svg")), tr("Show in Folder"));
        folder->setObjectName(QStringLiteral("showInFolderAction"));
        connect(folder, &QAction::triggered, this, [this, id] { showInFolder(id); });
    }
    QAction* cancel = menu.addAction(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel"));
    cancel->setObjectName(QStringLiteral("cancelAction"));
    cancel->setEnabled((state == JobState::Queued || state == JobState::Running) && !row->cancelRequested);
    connect(cancel, &QAction::triggered, m_queue, [this, id] { m_queue->cancel(id); });

    QAction* top = menu.addAction(tr("Move to Top"));
    top->setObjectName(QStringLiteral("moveToTopAction"));
    top->setEnabled(state == JobState::Queued);
    connect(top, &QAction::triggered, m_queue, [this, id] {
        // The top of the waiting jobs: just after the running and finished rows above them.
        const auto& rows = m_queue->rows();
        const auto first = std::find_if(
            rows.begin(), rows.end(), [](const core::JobRow& r) { return r.state == JobState::Queued; });
        if (first != rows.end())
            m_queue->moveJob(id, static_cast<int>(first - rows.begin()));
    });

    QAction* remove = menu.addAction(QIcon(QStringLiteral(":/icons/remove.svg")), tr("Remove"));
    remove->setObjectName(QStringLiteral("removeAction"));
    remove->setShortcut(QKeySequence::Delete); // shown only; the list handles the key
    remove->setEnabled(state != JobState::Running);
    connect(remove, &QAction::triggered, m_queue, [this, id] { m_queue->remove(id); });
}

bool QueuePanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::Delete) || key->key() == Qt::Key_Backspace) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QueuePanel::updateButtons()
{
    const QList<quint64> ids = selectedJobs();
    bool cancellable = false;
    bool removable = false;
    for (const quint64 id : ids) {
        const auto* row = m_queue->find(id);
        if (!row)
            continue;
        cancellable
            |= row->state == JobState::Queued || (row->state == JobState::Running && !row->cancelRequested);
        removable |= row->state != JobState::Running;
    }
    if (ids.isEmpty() && m_queue->isBusy()) {
        const auto* running = m_queue->find(m_queue->runningId());
        // Checked by state too: a job's row ends a moment before the queue stops calling it running.
        cancellable = running && running->state == JobState::Running && !running->cancelRequested;
    }
    bool anyQueued = false;
    bool anyFinished = false;
    for (const auto& row : m_queue->rows()) {
        anyQueued |= row.state == JobState::Queued;
        anyFinished |= isFinished(row.state);
    }
    m_cancel->setEnabled(cancellable);
    m_cancelQueued->setEnabled(anyQueued);
    m_remove->setEnabled(removable);
    m_clearFinished->setEnabled(anyFinished);
}

void QueuePanel::activated(const QModelIndex& index)
{
    const auto* row = m_queue->find(index.data(JobQueue::IdRole).toULongLong());
    if (!row || row->state != JobState::Done || row->ticket.kind != JobKind::Diffusion)
        return;
    const QString takeId = row->outcome.takeId.isEmpty() ? row->ticket.takeId : row->outcome.takeId;
    if (!takeId.isEmpty())
        Q_EMIT playRequested(takeId);
}

void QueuePanel::showInFolder(quint64 id)
{
    const auto* row = m_queue->find(id);
    if (!row)
        return;
    const QString output = row->outcome.transcode.output.isEmpty() ? row->ticket.transcode.output
                                                                   : row->outcome.transcode.output;
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(output).absolutePath()));
}

} // namespace kinora::ui
