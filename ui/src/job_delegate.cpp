#include "job_delegate.h"

#include "kinora/core/job_queue.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionProgressBar>

#include <cmath>

namespace kinora::ui {

namespace {

using core::JobQueue;
using core::JobState;

QString aboutLeft(double seconds)
{
    if (seconds < 90)
        return JobDelegate::tr("about %1 s left").arg(std::max(1.0, std::round(seconds)));
    return JobDelegate::tr("about %1 min left").arg(std::round(seconds / 60.0));
}

} // namespace

JobRowText jobRowText(const QModelIndex& index)
{
    JobRowText text;
    text.title = index.data(Qt::DisplayRole).toString();
    const auto state = static_cast<JobState>(index.data(JobQueue::StateRole).toInt());
    text.state = core::jobStateName(state);
    text.detail = index.data(JobQueue::MessageRole).toString();
    if (state == JobState::Running) {
        const int total = index.data(JobQueue::TotalRole).toInt();
        const int step = index.data(JobQueue::StepRole).toInt();
        // Exports count frames written; diffusion jobs count denoising steps.
        const bool frames
            = core::isExport(static_cast<core::JobKind>(index.data(JobQueue::KindRole).toInt()));
        if (total <= 0)
            text.progress = JobDelegate::tr("starting…");
        else if (frames)
            text.progress = JobDelegate::tr("frame %1/%2").arg(step).arg(total);
        else
            text.progress = JobDelegate::tr("step %1/%2").arg(step).arg(total);
        const double eta = index.data(JobQueue::EtaRole).toDouble();
        if (eta >= 0 && step < total)
            text.eta = aboutLeft(eta);
    }
    return text;
}

QColor jobStateColour(int state, const QPalette& palette)
{
    switch (static_cast<JobState>(state)) {
    case JobState::Queued:
        return palette.color(QPalette::PlaceholderText);
    case JobState::Running:
        return palette.color(QPalette::Highlight).lighter(130);
    case JobState::Done:
        return QColor(0x5c, 0xc0, 0x6a);
    case JobState::Failed:
        return QColor(0xe8, 0x4e, 0x4e);
    case JobState::Cancelled:
        return QColor(0xe8, 0xa8, 0x30);
    }
    return palette.color(QPalette::Text);
}

void JobDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    // The row's background and selection as the style draws them; the text is ours.
    opt.text.clear();
    opt.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const JobRowText text = jobRowText(index);
    const int state = index.data(core::JobQueue::StateRole).toInt();
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette& palette = opt.palette;
    const QColor textColour = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect area = opt.rect.adjusted(8, 4, -8, -4);
    const int half = area.height() / 2;
    const QRect top(area.left(), area.top(), area.width(), half);
    const QRect bottom(area.left(), area.top() + half, area.width(), area.height() - half);

    painter->save();
    QFont bold = opt.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const int stateWidth = boldMetrics.horizontalAdvance(text.state);
    painter->setFont(bold);
    painter->setPen(jobStateColour(state, palette));
    painter->drawText(top, Qt::AlignRight | Qt::AlignVCenter, text.state);

    painter->setFont(opt.font);
    painter->setPen(textColour);
    const QFontMetrics metrics(opt.font);
    const QRect titleRect = top.adjusted(0, 0, -(stateWidth + 12), 0);
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(text.title, Qt::ElideRight, titleRect.width()));

    QFont small = opt.font;
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics smallMetrics(small);
    painter->setFont(small);
    if (static_cast<core::JobState>(state) == core::JobState::Running) {
        const int etaWidth = text.eta.isEmpty() ? 0 : smallMetrics.horizontalAdvance(text.eta) + 10;
        QStyleOptionProgressBar bar;
        if (widget)
            bar.initFrom(widget);
        bar.palette = palette;
        bar.rect = bottom.adjusted(0, 3, -etaWidth, -3);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress
            = static_cast<int>(std::lround(index.data(core::JobQueue::ProgressRole).toDouble() * 1000));
        bar.text = text.progress;
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        bar.state |= QStyle::State_Horizontal;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
        if (!text.eta.isEmpty()) {
            painter->setPen(textColour);
            painter->drawText(bottom, Qt::AlignRight | Qt::AlignVCenter, text.eta);
        }
    } else if (!text.detail.isEmpty()) {
        const bool failed = static_cast<core::JobState>(state) == core::JobState::Failed;
        painter->setPen(failed
                ? jobStateColour(state, palette)
                : palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        painter->drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter,
            smallMetrics.elidedText(text.detail, Qt::ElideRight, bottom.width()));
    }
    painter->restore();
}

QSize JobDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    Q_UNUSED(index)
    const int lines = 2 * option.fontMetrics.height() + 12;
    return { 200, std::max(kRowHeight, lines) };
}

} // namespace kinora::ui
