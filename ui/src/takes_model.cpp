#include "takes_model.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/ui/take_commands.h"

#include <QImageReader>
#include <QLocale>
#include <QPainter>
#include <QStyle>
#include <QUndoStack>

#include <algorithm>

namespace kinora::ui {

TakesModel::TakesModel(QUndoStack* undoStack, QObject* parent)
    : QAbstractListModel(parent)
    , m_undoStack(undoStack)
{
}

void TakesModel::setProject(core::Project* project)
{
    beginResetModel();
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    m_thumbnails.clear();
    m_ids.clear();
    if (project) {
        for (const auto& take : project->takes())
            m_ids.append(take.id);
        connect(project, &core::Project::takeAdded, this, &TakesModel::takeAdded);
        connect(project, &core::Project::takeRemoved, this, &TakesModel::takeRemoved);
        connect(project, &core::Project::takeRenamed, this, &TakesModel::takeRenamed);
        connect(project, &core::Project::takesChanged, this, &TakesModel::resync);
        // A project deleted without setProject(nullptr): forget its rows rather than read freed takes.
        connect(project, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_ids.clear();
            m_thumbnails.clear();
            endResetModel();
        });
    }
    endResetModel();
}

QModelIndex TakesModel::indexOf(const QString& takeId) const
{
    const auto row = m_ids.indexOf(takeId);
    return row >= 0 ? index(static_cast<int>(row)) : QModelIndex();
}

void TakesModel::takeAdded(const QString& id)
{
    if (!m_project || m_ids.contains(id))
        return;
    const int at = m_project->indexOfTake(id);
    if (at < 0 || at > m_ids.size()) {
        resync();
        return;
    }
    m_thumbnails.remove(id); // an id reused by undo: its frames may have been rewritten
    beginInsertRows({}, at, at);
    m_ids.insert(at, id);
    endInsertRows();
}

void TakesModel::takeRemoved(const QString& id)
{
    const auto row = static_cast<int>(m_ids.indexOf(id));
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(row);
    endRemoveRows();
}

void TakesModel::takeRenamed(const QString& id)
{
    const QModelIndex at = indexOf(id);
    if (at.isValid())
        Q_EMIT dataChanged(at, at);
}

// Whatever order the signals came in, the rows end up as the project's takes.
void TakesModel::resync()
{
    QStringList ids;
    if (m_project)
        for (const auto& take : m_project->takes())
            ids.append(take.id);
    if (ids == m_ids) // the add, remove or rename was already applied by its own signal
        return;
    beginResetModel();
    m_ids = ids;
    endResetModel();
}

const core::TakeRecord* TakesModel::takeAt(int row) const
{
    if (!m_project || row < 0 || row >= m_ids.size())
        return nullptr;
    return m_project->take(m_ids.at(row));
}

int TakesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

QPixmap TakesModel::makeThumbnail(const QString& framePath)
{
    QImageReader reader(framePath);
    QImage image = reader.read();
    if (image.isNull())
        return {};
    const int side = std::max(image.width(), image.height());
    if (side <= kThumbnailSize) {
        const int factor = std::max(1, kThumbnailSize / side);
        image = image.scaled(image.size() * factor, Qt::KeepAspectRatio, Qt::FastTransformation);
    } else {
        image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return QPixmap::fromImage(image);
}

QString TakesModel::toolTip(const core::TakeRecord& take) const
{
    const auto row = [](const QString& label, const QString& value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label, value.toHtmlEscaped());
    };
    QString device = take.device;
    if (!take.precision.isEmpty())
        device = tr("%1, %2").arg(take.device, take.precision);
    return QStringLiteral("<p><b>%1</b></p><p>%2</p><table>")
               .arg(take.name.toHtmlEscaped(), take.prompt.toHtmlEscaped())
        + row(tr("Seed"), QString::number(take.seed)) + row(tr("Model"), take.modelName)
        + row(tr("Size"), tr("%1×%2").arg(take.width).arg(take.height))
        + row(tr("Frames"), tr("%1 at %2 fps").arg(take.frames).arg(QLocale().toString(take.fps, 'g', 4)))
        + row(tr("Device"), device)
        + row(tr("Made"), QLocale().toString(take.created.toLocalTime(), QLocale::ShortFormat))
        + QStringLiteral("</table>");
}

QVariant TakesModel::data(const QModelIndex& index, int role) const
{
    const auto* take = takeAt(index.row());
    if (!take)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return take->name;
    case Qt::DecorationRole: {
        auto cached = m_thumbnails.find(take->id);
        if (cached == m_thumbnails.end()) {
            // Loaded once per take, on first paint: the frames are small PNGs.
            const QString pattern = m_project->absoluteFramesPattern(*take);
            cached = m_thumbnails.insert(
                take->id, makeThumbnail(core::sequenceFramePath(pattern, std::max(0, take->frames / 2))));
        }
        return cached.value();
    }
    case Qt::ToolTipRole:
        return toolTip(*take);
    case IdRole:
        return take->id;
    case PromptRole:
        return take->prompt;
    case SeedRole:
        return QString::number(take->seed);
    default:
        return {};
    }
}

bool TakesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const auto* take = takeAt(index.row());
    const QString name = value.toString().trimmed();
    if (role != Qt::EditRole || !take || name.isEmpty() || name == take->name)
        return false;
    m_undoStack->push(new RenameTakeCommand(m_project, take->id, name));
    return true;
}

Qt::ItemFlags TakesModel::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsEditable : base;
}

// --- delegate ---------------------------------------------------------------------------------

QFont TakeCardDelegate::detailFont(const QFont& base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QSize TakeCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const int lines = option.fontMetrics.height() + QFontMetrics(detailFont(option.font)).height();
    return { TakesModel::kThumbnailSize + 4 * kPadding, TakesModel::kThumbnailSize + lines + 3 * kPadding };
}

QRect TakeCardDelegate::nameRect(const QStyleOptionViewItem& option) const
{
    const QRect card = option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    return { card.left(), card.top() + TakesModel::kThumbnailSize + kPadding / 2, card.width(),
        option.fontMetrics.height() };
}

void TakeCardDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // The whole card is the selection (the style's item panel would only frame the text).
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    if (selected || hovered) {
        QColor fill = option.palette.color(QPalette::Highlight);
        if (!selected)
            fill.setAlphaF(0.25);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 4, 4);
    }
    painter->setRenderHint(QPainter::Antialiasing, false);

    const QRect card = option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    const QRect thumbBox(card.left() + (card.width() - TakesModel::kThumbnailSize) / 2, card.top(),
        TakesModel::kThumbnailSize, TakesModel::kThumbnailSize);
    painter->fillRect(thumbBox, option.palette.color(QPalette::Shadow));
    const auto pixmap = index.data(Qt::DecorationRole).value<QPixmap>();
    if (!pixmap.isNull()) {
        QRect target(QPoint(), pixmap.size());
        target.moveCenter(thumbBox.center());
        painter->drawPixmap(target, pixmap);
    } else {
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        painter->drawText(thumbBox, Qt::AlignCenter, tr("No frames"));
    }

    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect name = nameRect(option);
    painter->setPen(text);
    painter->setFont(option.font);
    painter->drawText(name, Qt::AlignHCenter | Qt::AlignVCenter,
        option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, name.width()));

    const QFont small = detailFont(option.font);
    const QFontMetrics smallMetrics(small);
    const QString seed = tr(" · seed %1").arg(index.data(TakesModel::SeedRole).toString());
    const int promptWidth = std::max(0, name.width() - smallMetrics.horizontalAdvance(seed));
    const QString prompt
        = smallMetrics.elidedText(index.data(TakesModel::PromptRole).toString(), Qt::ElideRight, promptWidth);
    const QRect detail(name.left(), name.bottom() + 1, name.width(), smallMetrics.height());
    QColor dim = text;
    dim.setAlphaF(selected ? 0.85 : 0.65);
    painter->setPen(dim);
    painter->setFont(small);
    painter->drawText(detail, Qt::AlignHCenter | Qt::AlignVCenter, prompt + seed);
    painter->restore();
}

void TakeCardDelegate::updateEditorGeometry(
    QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const
{
    editor->setGeometry(nameRect(option).adjusted(0, -2, 0, 2));
}

} // namespace kinora::ui
