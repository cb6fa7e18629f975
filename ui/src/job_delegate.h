#pragma once
// Draws one job queue row: title, state in the state's colour, and a second line with a progress
// bar ("step 7/20") and the ETA for the running job, the error for a failed one, or the queue's
// summary. The texts come from rowText(), which the panel also offers to tests and tool tips.

#include <QStyledItemDelegate>

namespace kinora::ui {

struct JobRowText {
    QString title;
    QString state;
    QString progress; // running: "step 7/20"
    QString eta; // running, when known: "about 12 s left"
    QString detail; // failed: the error; otherwise the queue's message
};

JobRowText jobRowText(const QModelIndex& index);
QColor jobStateColour(int state, const QPalette& palette);

class JobDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static constexpr int kRowHeight = 52;

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace kinora::ui
