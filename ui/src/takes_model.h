#pragma once
// The takes bin's model and delegate (private to TakesPanel): one row per take of the project, in
// bin order, kept in step with the project's signals, with a thumbnail of each take's middle frame
// loaded once and cached by take id. Editing a name pushes a RenameTakeCommand, so an inline
// rename is undoable like every other edit of the bin.

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QPointer>
#include <QStringList>
#include <QStyledItemDelegate>

class QUndoStack;

namespace kinora::core {
class Project;
struct TakeRecord;
} // namespace kinora::core

namespace kinora::ui {

class TakesModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, PromptRole, SeedRole };
    static constexpr int kThumbnailSize = 128;

    explicit TakesModel(QUndoStack* undoStack, QObject* parent = nullptr);

    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }
    QModelIndex indexOf(const QString& takeId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    // The take's middle frame fitted into kThumbnailSize: enlarged by a whole factor with nearest
    // neighbour (a 16x16 take stays crisp), reduced smoothly. Null when the frame cannot be read.
    static QPixmap makeThumbnail(const QString& framePath);

private:
    void takeAdded(const QString& id);
    void takeRemoved(const QString& id);
    void takeRenamed(const QString& id);
    void resync();
    const core::TakeRecord* takeAt(int row) const;
    QString toolTip(const core::TakeRecord& take) const;

    QUndoStack* m_undoStack;
    QPointer<core::Project> m_project;
    QStringList m_ids; // rows, in the order the view knows them
    mutable QHash<QString, QPixmap> m_thumbnails;
};

// Paints a take as a bin card: thumbnail on a dark backdrop, the name under it, and the prompt
// (elided) with the seed in a smaller second line. The inline name editor sits on the name line.
class TakeCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int kPadding = 6;

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void updateEditorGeometry(
        QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QFont detailFont(const QFont& base);

private:
    QRect nameRect(const QStyleOptionViewItem& option) const;
};

} // namespace kinora::ui
