#pragma once
// Paints an item of the bin as a card (private to TakesPanel): the thumbnail on a dark backdrop
// with an audio badge when the item has sound, the name under it, and a smaller second line — a
// take's prompt (elided) with its seed, a media item's duration, rate and size. The inline name
// editor sits on the name line.

#include <QIcon>
#include <QStyledItemDelegate>

namespace kinora::ui {

class BinCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int kPadding = 6;

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    // Leaves a name the user has started typing alone: a thumbnail arriving while the editor is
    // open changes the card's data, and the view would otherwise put the old name back.
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void updateEditorGeometry(
        QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QFont detailFont(const QFont& base);

private:
    QRect nameRect(const QStyleOptionViewItem& option) const;
    void paintThumbnail(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index,
        const QRect& box) const;

    mutable QIcon m_audioIcon; // loaded on first use
};

} // namespace kinora::ui
