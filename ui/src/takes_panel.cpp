#include "kinora/ui/takes_panel.h"

#include "kinora/core/project.h"
#include "kinora/ui/take_commands.h"
#include "takes_model.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
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
    , m_hint(new QLabel(tr("Takes you make appear here"), this))
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
    auto* delegate = new TakeCardDelegate(m_list);
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
            if (const QString id = selectedTakeId(); !id.isEmpty())
                Q_EMIT(this->*signal)(id);
        };
    };
    connect(addTakeAction("actionPlay", tr("Play"), QStringLiteral("play")), &QAction::triggered, this,
        withSelected(&TakesPanel::playRequested));
    connect(addTakeAction("actionMakeAgain", tr("Make again"), QStringLiteral("again")), &QAction::triggered,
        this, withSelected(&TakesPanel::makeAgainRequested));
    connect(addTakeAction("actionVariation", tr("Make a variation (new seed)"), QStringLiteral("variation")),
        &QAction::triggered, this, withSelected(&TakesPanel::variationRequested));
    connect(addTakeAction("actionExport", tr("Export…"), QStringLiteral("export")), &QAction::triggered, this,
        withSelected(&TakesPanel::exportRequested));
    connect(addTakeAction("actionShowRequest", tr("Show request…"), QStringLiteral("info")),
        &QAction::triggered, this, &TakesPanel::showRequestOfSelected);
    m_renameAction = addTakeAction("actionRename", tr("Rename…"), {});
    m_renameAction->setShortcut(Qt::Key_F2);
    connect(m_renameAction, &QAction::triggered, this, &TakesPanel::renameSelected);
    m_removeAction = addTakeAction("actionDelete", tr("Delete"), QStringLiteral("remove"));
    m_removeAction->setShortcuts({ QKeySequence::Delete, QKeySequence(Qt::Key_Backspace) });
    connect(m_removeAction, &QAction::triggered, this, &TakesPanel::removeSelected);

    connect(m_list, &QListView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT playRequested(index.data(TakesModel::IdRole).toString());
    });
    connect(m_list, &QListView::customContextMenuRequested, this, &TakesPanel::showContextMenu);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TakesPanel::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TakesPanel::updateState);
    updateState();
}

TakesPanel::~TakesPanel() = default;

QAction* TakesPanel::addTakeAction(const char* objectName, const QString& text, const QString& icon)
{
    auto* action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    if (!icon.isEmpty())
        action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    // Only while the bin has the focus: Delete in a prompt editor must not delete a take.
    action->setShortcutContext(Qt::WidgetShortcut);
    m_list->addAction(action);
    m_takeActions.append(action);
    return action;
}

void TakesPanel::setProject(core::Project* project)
{
    m_model->setProject(project);
    updateState();
}

QString TakesPanel::selectedTakeId() const
{
    const auto selected = m_list->selectionModel()->selectedIndexes();
    return selected.isEmpty() ? QString() : selected.first().data(TakesModel::IdRole).toString();
}

void TakesPanel::selectTake(const QString& id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (!index.isValid())
        return;
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_list->scrollTo(index);
}

void TakesPanel::renameSelected()
{
    const QModelIndex index = m_model->indexOf(selectedTakeId());
    if (!index.isValid())
        return;
    m_list->setFocus();
    m_list->edit(index);
}

void TakesPanel::removeSelected()
{
    auto* project = m_model->project();
    const QString id = selectedTakeId();
    if (!project || id.isEmpty())
        return;
    const int row = m_model->indexOf(id).row();
    m_undoStack->push(new RemoveTakeCommand(project, id));
    // Keep a take selected, so that Delete pressed again goes on deleting.
    const int count = m_model->rowCount();
    if (count > 0)
        selectTake(m_model->index(std::min(row, count - 1)).data(TakesModel::IdRole).toString());
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
    if (selectedTakeId().isEmpty())
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("takeMenu"));
    for (auto* action : std::as_const(m_takeActions)) {
        if (action == m_renameAction || action == m_takeActions.value(1))
            menu.addSeparator();
        menu.addAction(action);
    }
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

void TakesPanel::updateState()
{
    m_stack->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget*>(m_list) : m_hint);
    const QString id = selectedTakeId();
    for (auto* action : std::as_const(m_takeActions))
        action->setEnabled(!id.isEmpty());
    if (id != m_lastSelection) {
        m_lastSelection = id;
        Q_EMIT selectionChanged(id);
    }
}

} // namespace kinora::ui
