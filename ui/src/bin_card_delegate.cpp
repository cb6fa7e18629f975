#include "bin_card_delegate.h"

#include "kinora/core/project.h"
#include "takes_model.h"

#include <QLineEdit>
#include <QPainter>
#include <QStyle>

#include <algorithm>

namespace kinora::ui {

QFont BinCardDelegate::detailFont(const QFont& base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QSize BinCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const int lines = option.fontMetrics.height() + QFontMetrics(detailFont(option.font)).height();
    return { TakesModel::kThumbnailSize + 4 * kPadding, TakesModel::kThumbnailSize + lines + 3 * kPadding };
}

QRect BinCardDelegate::nameRect(const QStyleOptionViewItem& option) const
{
    const QRect card = option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    return { card.left(), card.top() + TakesModel::kThumbnailSize + kPadding / 2, card.width(),
        option.fontMetrics.height() };
}

void BinCardDelegate::paintThumbnail(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index, const QRect& box) const
{
    painter->fillRect(box, option.palette.color(QPalette::Shadow));
    const auto pixmap = index.data(Qt::DecorationRole).value<QPixmap>();
    const bool isTake = index.data(TakesModel::IsTakeRole).toBool();
    if (!pixmap.isNull()) {
        QRect target(QPoint(), pixmap.size());
        target.moveCenter(box.center());
        painter->drawPixmap(target, pixmap);
    } else if (isTake) {
        // A media item's picture is on its way from the decoder; a take's frames are simply gone.
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        painter->drawText(box, Qt::AlignCenter, tr("No frames"));
    }
    if (const QString size = index.data(TakesModel::SizeRole).toString(); !size.isEmpty()) {
        const QFont small = detailFont(option.font);
        const QFontMetrics metrics(small);
        const QRect badge(
            box.left() + 3, box.top() + 3, metrics.horizontalAdvance(size) + 8, metrics.height() + 2);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0, 0, 0, 160));
        painter->drawRoundedRect(badge, 3, 3);
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setFont(small);
        painter->setPen(QColor(230, 232, 236));
        painter->drawText(badge, Qt::AlignCenter, size);
    }
    if (index.data(TakesModel::AudioRole).toBool()) {
        if (m_audioIcon.isNull())
            m_audioIcon = QIcon(QStringLiteral(":/icons/audio.svg"));
        const int side = 18;
        const QRect badge(box.right() - side - 3, box.bottom() - side - 3, side, side);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0, 0, 0, 160));
        painter->drawRoundedRect(badge, 3, 3);
        m_audioIcon.paint(painter, badge.adjusted(2, 2, -2, -2));
        painter->setRenderHint(QPainter::Antialiasing, false);
    }
}

void BinCardDelegate::paint(
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
    paintThumbnail(painter, option, index, thumbBox);

    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect name = nameRect(option);
    painter->setPen(text);
    painter->setFont(option.font);
    painter->drawText(name, Qt::AlignHCenter | Qt::AlignVCenter,
        option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, name.width()));

    const QFont small = detailFont(option.font);
    const QFontMetrics smallMetrics(small);
    QString detail;
    if (index.data(TakesModel::IsTakeRole).toBool()) {
        const QString seed = tr(" · seed %1").arg(index.data(TakesModel::SeedRole).toString());
        const int promptWidth = std::max(0, name.width() - smallMetrics.horizontalAdvance(seed));
        detail = smallMetrics.elidedText(
                     index.data(TakesModel::PromptRole).toString(), Qt::ElideRight, promptWidth)
            + seed;
    } else {
        detail = smallMetrics.elidedText(
            index.data(TakesModel::DetailRole).toString(), Qt::ElideRight, name.width());
    }
    const QRect detailRect(name.left(), name.bottom() + 1, name.width(), smallMetrics.height());
    QColor dim = text;
    dim.setAlphaF(selected ? 0.85 : 0.65);
    painter->setPen(dim);
    painter->setFont(small);
    painter->drawText(detailRect, Qt::AlignHCenter | Qt::AlignVCenter, detail);
    painter->restore();
}

void BinCardDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    if (const auto* line = qobject_cast<QLineEdit*>(editor); line && line->isModified())
        return;
    QStyledItemDelegate::setEditorData(editor, index);
}

void BinCardDelegate::updateEditorGeometry(
    QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const
{
    editor->setGeometry(nameRect(option).adjusted(0, -2, 0, 2));
}

} // namespace kinora::ui
