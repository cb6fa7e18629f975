#include "takes_model.h"

#include "timeline_ruler.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/ui/frame_source.h"
#include "kinora/ui/media_commands.h"
#include "kinora/ui/source_mime.h"
#include "kinora/ui/take_commands.h"

#include <QImageReader>
#include <QLocale>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

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
    m_mediaIds.clear();
    m_takeIds.clear();
    if (project) {
        for (const auto& media : project->media())
            m_mediaIds.append(media.id);
        for (const auto& take : project->takes())
            m_takeIds.append(take.id);
        connect(project, &core::Project::takeAdded, this, &TakesModel::takeAdded);
        connect(project, &core::Project::takeRemoved, this, &TakesModel::takeRemoved);
        connect(project, &core::Project::takeRenamed, this, &TakesModel::takeRenamed);
        connect(project, &core::Project::takesChanged, this, &TakesModel::resync);
        connect(project, &core::Project::mediaAdded, this, &TakesModel::mediaAdded);
        connect(project, &core::Project::mediaRemoved, this, &TakesModel::mediaRemoved);
        connect(project, &core::Project::mediaChanged, this, &TakesModel::mediaChanged);
        // A project deleted without setProject(nullptr): forget its rows rather than read freed ones.
        connect(project, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_mediaIds.clear();
            m_takeIds.clear();
            m_thumbnails.clear();
            endResetModel();
        });
    }
    endResetModel();
}

void TakesModel::setFrameSource(FrameSource* frames)
{
    if (m_frames)
        disconnect(m_frames, nullptr, this, nullptr);
    m_frames = frames;
    m_thumbnails.clear();
    if (frames) {
        connect(frames, &FrameSource::frameReady, this, [this](const QString& id) { frameReady(id); });
        connect(frames, &FrameSource::sourceChanged, this, &TakesModel::sourceChanged);
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), { Qt::DecorationRole });
}

QModelIndex TakesModel::indexOf(const QString& id) const
{
    if (const auto row = m_mediaIds.indexOf(id); row >= 0)
        return index(static_cast<int>(row));
    if (const auto row = m_takeIds.indexOf(id); row >= 0)
        return index(static_cast<int>(m_mediaIds.size() + row));
    return {};
}

bool TakesModel::isTake(const QModelIndex& index) const
{
    return index.isValid() && index.row() >= m_mediaIds.size() && index.row() < rowCount();
}

void TakesModel::takeAdded(const QString& id)
{
    if (!m_project || m_takeIds.contains(id))
        return;
    const int at = m_project->indexOfTake(id);
    if (at < 0 || at > m_takeIds.size()) {
        resync();
        return;
    }
    m_thumbnails.remove(id); // an id reused by undo: its frames may have been rewritten
    const int row = static_cast<int>(m_mediaIds.size()) + at;
    beginInsertRows({}, row, row);
    m_takeIds.insert(at, id);
    endInsertRows();
}

void TakesModel::takeRemoved(const QString& id)
{
    const auto at = static_cast<int>(m_takeIds.indexOf(id));
    if (at < 0)
        return;
    const int row = static_cast<int>(m_mediaIds.size()) + at;
    beginRemoveRows({}, row, row);
    m_takeIds.removeAt(at);
    endRemoveRows();
}

void TakesModel::takeRenamed(const QString& id)
{
    const QModelIndex at = indexOf(id);
    if (at.isValid())
        Q_EMIT dataChanged(at, at);
}

void TakesModel::mediaAdded(const QString& id)
{
    if (!m_project || m_mediaIds.contains(id))
        return;
    const int at = m_project->indexOfMedia(id);
    if (at < 0 || at > m_mediaIds.size()) {
        resync();
        return;
    }
    m_thumbnails.remove(id);
    beginInsertRows({}, at, at);
    m_mediaIds.insert(at, id);
    endInsertRows();
}

void TakesModel::mediaRemoved(const QString& id)
{
    const auto row = static_cast<int>(m_mediaIds.indexOf(id));
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_mediaIds.removeAt(row);
    endRemoveRows();
}

void TakesModel::mediaChanged()
{
    resync();
    // Renames come only as this signal.
    if (!m_mediaIds.isEmpty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_mediaIds.size()) - 1));
}

// Whatever order the signals came in, the rows end up as the project's media and takes.
void TakesModel::resync()
{
    QStringList media;
    QStringList takes;
    if (m_project) {
        for (const auto& item : m_project->media())
            media.append(item.id);
        for (const auto& take : m_project->takes())
            takes.append(take.id);
    }
    if (media == m_mediaIds && takes == m_takeIds) // already applied by its own signal
        return;
    beginResetModel();
    m_mediaIds = media;
    m_takeIds = takes;
    endResetModel();
}

void TakesModel::frameReady(const QString& id)
{
    if (m_thumbnails.contains(id))
        return; // the viewer's frames of an item whose card is already drawn
    const QModelIndex at = indexOf(id);
    if (at.isValid())
        Q_EMIT dataChanged(at, at, { Qt::DecorationRole });
}

void TakesModel::sourceChanged(const QString& id)
{
    m_thumbnails.remove(id);
    const QModelIndex at = indexOf(id);
    if (at.isValid())
        Q_EMIT dataChanged(at, at, { Qt::DecorationRole });
}

const core::TakeRecord* TakesModel::takeAt(int row) const
{
    row -= static_cast<int>(m_mediaIds.size());
    if (!m_project || row < 0 || row >= m_takeIds.size())
        return nullptr;
    return m_project->take(m_takeIds.at(row));
}

const core::MediaRecord* TakesModel::mediaAt(int row) const
{
    if (!m_project || row < 0 || row >= m_mediaIds.size())
        return nullptr;
    return m_project->mediaItem(m_mediaIds.at(row));
}

int TakesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_mediaIds.size() + m_takeIds.size());
}

QPixmap TakesModel::makeThumbnail(QImage image)
{
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

// The middle frame: from the FrameSource when there is one (null until it has been decoded, then
// dataChanged follows), else a take's PNG read here (tests and tools without a window).
QPixmap TakesModel::thumbnail(const QString& id, int64_t frames, const QString& framePath) const
{
    if (const auto cached = m_thumbnails.constFind(id); cached != m_thumbnails.cend())
        return cached.value();
    QImage image;
    if (m_frames)
        image = m_frames->frame(id, std::max<int64_t>(0, frames / 2), QSize(kThumbnailSize, kThumbnailSize));
    else if (!framePath.isEmpty())
        image = QImageReader(framePath).read();
    if (image.isNull() && m_frames)
        return {};
    return m_thumbnails.insert(id, makeThumbnail(image)).value();
}

QString TakesModel::detail(const core::MediaRecord& media) const
{
    if (media.still)
        return tr("Still");
    return tr("%1 · %2 fps")
        .arg(timecode(media.frames, media.fps.valid() ? media.fps : core::Rational { 24, 1 }),
            QLocale().toString(media.fps.value(), 'g', 4));
}

QString TakesModel::toolTip(const core::MediaRecord& media) const
{
    const auto row = [](const QString& label, const QString& value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label, value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<p><b>%1</b></p><table>").arg(media.name.toHtmlEscaped())
        + row(tr("File"), m_project->absoluteMediaPath(media))
        + row(tr("Size"), tr("%1×%2").arg(media.width).arg(media.height));
    if (!media.still)
        html += row(tr("Frames"),
                    tr("%1 at %2 fps (%3)")
                        .arg(media.frames)
                        .arg(QLocale().toString(media.fps.value(), 'g', 6),
                            timecode(media.frames, media.fps.valid() ? media.fps : core::Rational { 24, 1 })))
            + row(tr("Sound"), media.audio ? tr("Yes") : tr("No"));
    return html + QStringLiteral("</table>");
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
    if (const auto* media = mediaAt(index.row())) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            return media->name;
        case Qt::DecorationRole:
            return thumbnail(media->id, media->frames, {});
        case Qt::ToolTipRole:
            return toolTip(*media);
        case IdRole:
            return media->id;
        case IsTakeRole:
            return false;
        case DetailRole:
            return detail(*media);
        case AudioRole:
            return media->audio;
        case SizeRole:
            return tr("%1×%2").arg(media->width).arg(media->height);
        default:
            return {};
        }
    }
    const auto* take = takeAt(index.row());
    if (!take)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return take->name;
    case Qt::DecorationRole:
        return thumbnail(take->id, take->frames,
            core::sequenceFramePath(m_project->absoluteFramesPattern(*take), std::max(0, take->frames / 2)));
    case Qt::ToolTipRole:
        return toolTip(*take);
    case IdRole:
        return take->id;
    case PromptRole:
    case DetailRole:
        return take->prompt;
    case SeedRole:
        return QString::number(take->seed);
    case IsTakeRole:
        return true;
    case AudioRole:
        return false;
    default:
        return {};
    }
}

bool TakesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const QString name = value.toString().trimmed();
    if (role != Qt::EditRole || name.isEmpty() || name == index.data(Qt::EditRole).toString())
        return false;
    if (const auto* media = mediaAt(index.row()))
        m_undoStack->push(new RenameMediaCommand(m_project, media->id, name));
    else if (const auto* take = takeAt(index.row()))
        m_undoStack->push(new RenameTakeCommand(m_project, take->id, name));
    else
        return false;
    return true;
}

Qt::ItemFlags TakesModel::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsEditable | Qt::ItemIsDragEnabled : base;
}

QStringList TakesModel::mimeTypes() const
{
    return { QString::fromLatin1(kSourceMimeType) };
}

QMimeData* TakesModel::mimeData(const QModelIndexList& indexes) const
{
    for (const QModelIndex& index : indexes)
        if (index.isValid() && index.model() == this)
            return sourceMimeData({ isTake(index), index.data(IdRole).toString() });
    return nullptr;
}

} // namespace kinora::ui
