#include "kinora/ui/takes_panel.h"

#include "bin_card_delegate.h"
#include "kinora/core/project.h"
#include "kinora/ui/media_commands.h"
#include "kinora/ui/take_commands.h"
#include "takes_model.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedLayout>
#include <QStyleOptionViewItem>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace kinora::ui {

namespace {

// The exact request a take was made from, as the project file keeps it, to read or copy.
void showRequestDialog(QWidget* parent, const core::TakeRecord& take)
{
    auto* dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("requestDialog"));
    dialog->setWindowTitle(TakesPanel::tr("Request of “%1”").arg(take.name));
    auto* text = new QPlainTextEdit(dialog);
    text->setObjectName(QStringLiteral("requestText"));
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const QString json = QString::fromUtf8(QJsonDocument(take.request).toJson(QJsonDocument::Indented));
    text->setPlainText(json);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    auto* copy = buttons->addButton(TakesPanel::tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyButton"));
    QObject::connect(
        copy, &QPushButton::clicked, dialog, [json] { QApplication::clipboard()->setText(json); });
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(560, 480);
    dialog->open();
}

} // namespace

TakesPanel::TakesPanel(QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , m_undoStack(undoStack)
    , m_model(new TakesModel(undoStack, this))
    , m_list(new QListView(this))
    , m_hint(
          new QLabel(tr("Drop footage here or press Ctrl+I to import; takes you make appear here too"), this))
    , m_stack(new QStackedLayout(this))
{
    m_list->setObjectName(QStringLiteral("takesList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(true);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_list->setSpacing(4);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_list->setMouseTracking(true); // hover highlight
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setDragEnabled(true); // a card dragged to the timeline places its source there
    m_list->setDragDropMode(QAbstractItemView::DragOnly);
    m_list->setDefaultDropAction(Qt::CopyAction);
    auto* delegate = new BinCardDelegate(m_list);
    m_list->setItemDelegate(delegate);
    // One whole row of cards always shows: a card cut below its thumbnail hides the take's name.
    QStyleOptionViewItem card;
    card.initFrom(m_list);
    m_list->setMinimumHeight(
        delegate->sizeHint(card, {}).height() + 2 * m_list->spacing() + 2 * m_list->frameWidth() + 2);
    m_list->setModel(m_model);
    m_list->installEventFilter(this);

    m_hint->setObjectName(QStringLiteral("emptyHint"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false); // drawn in the dimmed text colour
    m_stack->addWidget(m_list);
    m_stack->addWidget(m_hint);

    const auto withSelected = [this](void (TakesPanel::*signal)(const QString&)) {
        return [this, signal] {
            if (const QString id = selectedSourceId(); !id.isEmpty())
                Q_EMIT(this->*signal)(id);
        };
    };
    connect(addItemAction("actionPlay", tr("Play"), QStringLiteral("play"), Applies::Takes),
        &QAction::triggered, this, withSelected(&TakesPanel::playRequested));
    connect(addItemAction("actionMakeAgain", tr("Make again"), QStringLiteral("again"), Applies::Takes),
        &QAction::triggered, this, withSelected(&TakesPanel::makeAgainRequested));
    connect(addItemAction("actionVariation", tr("Make a variation (new seed)"), QStringLiteral("variation"),
                Applies::Takes),
        &QAction::triggered, this, withSelected(&TakesPanel::variationRequested));
    connect(addItemAction("actionExport", tr("Export…"), QStringLiteral("export"), Applies::Takes),
        &QAction::triggered, this, withSelected(&TakesPanel::exportRequested));
    connect(addItemAction("actionShowRequest", tr("Show request…"), QStringLiteral("info"), Applies::Takes),
        &QAction::triggered, this, &TakesPanel::showRequestOfSelected);
    connect(addItemAction(
                "actionAddToTimeline", tr("Add to timeline"), QStringLiteral("timeline-add"), Applies::Both),
        &QAction::triggered, this, withSelected(&TakesPanel::addToTimelineRequested));
    connect(
        addItemAction("actionShowInFolder", tr("Show in folder"), QStringLiteral("folder"), Applies::Media),
        &QAction::triggered, this, &TakesPanel::showSelectedInFolder);
    m_renameAction = addItemAction("actionRename", tr("Rename…"), {}, Applies::Both);
    m_renameAction->setShortcut(Qt::Key_F2);
    connect(m_renameAction, &QAction::triggered, this, &TakesPanel::renameSelected);
    m_removeAction = addItemAction("actionDelete", tr("Delete"), QStringLiteral("remove"), Applies::Both);
    m_removeAction->setShortcuts({ QKeySequence::Delete, QKeySequence(Qt::Key_Backspace) });
    connect(m_removeAction, &QAction::triggered, this, &TakesPanel::removeSelected);

    connect(m_list, &QListView::activated, this, [this](const QModelIndex& index) {
        const QString id = index.data(TakesModel::IdRole).toString();
        Q_EMIT sourceActivated(id);
        if (m_model->isTake(index))
            Q_EMIT playRequested(id);
    });
    connect(m_list, &QListView::customContextMenuRequested, this, &TakesPanel::showContextMenu);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TakesPanel::updateState);
    updateState();
}

TakesPanel::~TakesPanel() = default;

QAction* TakesPanel::addItemAction(
    const char* objectName, const QString& text, const QString& icon, Applies applies)
{
    auto* action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    if (!icon.isEmpty())
        action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    // Only while the bin has the focus: Delete in a prompt editor must not delete a take.
    action->setShortcutContext(Qt::WidgetShortcut);
    m_list->addAction(action);
    m_actions.append({ action, applies });
    return action;
}

void TakesPanel::setProject(core::Project* project)
{
    m_model->setProject(project);
    updateState();
}

void TakesPanel::setFrameSource(FrameSource* frames)
{
    m_model->setFrameSource(frames);
}

QString TakesPanel::selectedSourceId() const
{
    const auto selected = m_list->selectionModel()->selectedIndexes();
    return selected.isEmpty() ? QString() : selected.first().data(TakesModel::IdRole).toString();
}

bool TakesPanel::selectedIsTake() const
{
    const auto selected = m_list->selectionModel()->selectedIndexes();
    return !selected.isEmpty() && m_model->isTake(selected.first());
}

QString TakesPanel::selectedTakeId() const
{
    return selectedIsTake() ? selectedSourceId() : QString();
}

void TakesPanel::selectSource(const QString& id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (!index.isValid())
        return;
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_list->scrollTo(index);
}

QString TakesPanel::selectedFolder() const
{
    const auto* project = m_model->project();
    const auto* media = project ? project->mediaItem(selectedSourceId()) : nullptr;
    return media ? QFileInfo(project->absoluteMediaPath(*media)).absolutePath() : QString();
}

void TakesPanel::showSelectedInFolder()
{
    if (const QString folder = selectedFolder(); !folder.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

void TakesPanel::renameSelected()
{
    const QModelIndex index = m_model->indexOf(selectedSourceId());
    if (!index.isValid())
        return;
    m_list->setFocus();
    m_list->edit(index);
}

void TakesPanel::removeSelected()
{
    auto* project = m_model->project();
    const QString id = selectedSourceId();
    if (!project || id.isEmpty())
        return;
    const int row = m_model->indexOf(id).row();
    if (selectedIsTake())
        m_undoStack->push(new RemoveTakeCommand(project, id));
    else
        m_undoStack->push(new RemoveMediaCommand(project, id));
    // Keep an item selected, so that Delete pressed again goes on deleting.
    const int count = m_model->rowCount();
    if (count > 0)
        selectSource(m_model->index(std::min(row, count - 1)).data(TakesModel::IdRole).toString());
}

void TakesPanel::showRequestOfSelected()
{
    const auto* project = m_model->project();
    const auto* take = project ? project->take(selectedTakeId()) : nullptr;
    if (take)
        showRequestDialog(this, *take);
}

bool TakesPanel::eventFilter(QObject* watched, QEvent* event)
{
    // The same keys as the Delete action's shortcut, for when the window is not the active one
    // (shortcuts only fire in the active window; key presses still reach the focused list). While a
    // name is edited the editor has the keys, so this never deletes from inside it.
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TakesPanel::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (index.isValid())
        m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    if (selectedSourceId().isEmpty())
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("binMenu"));
    const bool take = selectedIsTake();
    for (const auto& [action, applies] : std::as_const(m_actions)) {
        if (applies != Applies::Both && (applies == Applies::Takes) != take)
            continue;
        if (!menu.isEmpty()
            && (action == m_renameAction || action->objectName() == QLatin1String("actionMakeAgain")
                || action->objectName() == QLatin1String("actionAddToTimeline")))
            menu.addSeparator();
        menu.addAction(action);
    }
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

void TakesPanel::updateState()
{
    m_stack->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget*>(m_list) : m_hint);
    const QString id = selectedSourceId();
    const bool take = selectedIsTake();
    for (const auto& [action, applies] : std::as_const(m_actions))
        action->setEnabled(
            !id.isEmpty() && (applies == Applies::Both || (applies == Applies::Takes) == take));
    // The file of a media item stays where it is: it leaves the project, not the disk.
    m_removeAction->setText(id.isEmpty() || take ? tr("Delete") : tr("Remove from project"));
    if (id != m_lastSelection) {
        m_lastSelection = id;
        Q_EMIT selectionChanged(id);
    }
}

} // namespace kinora::ui
