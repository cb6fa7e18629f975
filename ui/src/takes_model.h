#pragma once
// The bin's model (private to TakesPanel): one row per imported media item, then one per take, in
// the project's bin order, kept in step with the project's signals. Thumbnails (each item's middle
// frame) come from the FrameSource, decoded in the background, and are cached by id; without a
// FrameSource a take's small PNG is read directly. Editing a name pushes a rename command, so an
// inline rename is undoable like every other edit of the bin; a drag carries the source's MIME.

#include "kinora/core/media.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QPointer>
#include <QStringList>

class QUndoStack;

namespace kinora::core {
class Project;
struct TakeRecord;
struct MediaRecord;
} // namespace kinora::core

namespace kinora::ui {

class FrameSource;

class TakesModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        PromptRole, // takes
        SeedRole, // takes
        IsTakeRole,
        DetailRole, // media: "00:00:09:19 · 29.97 fps" (a still: "Still")
        AudioRole, // the item has sound
        SizeRole, // media: "1280×720", drawn over the thumbnail
    };
    static constexpr int kThumbnailSize = 128;

    explicit TakesModel(QUndoStack* undoStack, QObject* parent = nullptr);

    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }
    void setFrameSource(FrameSource* frames);
    QModelIndex indexOf(const QString& id) const; // a take or a media item
    bool isTake(const QModelIndex& index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

    // A frame fitted into kThumbnailSize: enlarged by a whole factor with nearest neighbour (a
    // 16x16 take stays crisp), reduced smoothly. Null for a null image.
    static QPixmap makeThumbnail(QImage image);

private:
    void takeAdded(const QString& id);
    void takeRemoved(const QString& id);
    void takeRenamed(const QString& id);
    void mediaAdded(const QString& id);
    void mediaRemoved(const QString& id);
    void mediaChanged();
    void resync();
    void frameReady(const QString& id);
    void sourceChanged(const QString& id);
    const core::TakeRecord* takeAt(int row) const;
    const core::MediaRecord* mediaAt(int row) const;
    QPixmap thumbnail(const QString& id, int64_t frames, const QString& framePath) const;
    QString toolTip(const core::TakeRecord& take) const;
    QString toolTip(const core::MediaRecord& media) const;
    QString detail(const core::MediaRecord& media) const;

    QUndoStack* m_undoStack;
    QPointer<core::Project> m_project;
    QPointer<FrameSource> m_frames;
    QStringList m_mediaIds; // rows 0 .. m_mediaIds.size() - 1
    QStringList m_takeIds; // the rows after them
    mutable QHash<QString, QPixmap> m_thumbnails;
};

} // namespace kinora::ui
