#include "mask_key_row.h"

#include "mask_editor.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {

const QColor kBackground(0x1d, 0x20, 0x26);
const QColor kKey(0xf2, 0xc9, 0x4c);
const QColor kPlayhead(0xff, 0xff, 0xff);

} // namespace

MaskKeyRow::MaskKeyRow(MaskEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
{
    setObjectName(QStringLiteral("maskKeyRow"));
    setToolTip(tr("Mask keyframes of the selected clip (click to go to a frame)"));
    setFixedHeight(kHeight);
    connect(editor, &MaskEditor::keysChanged, this, &MaskKeyRow::sync);
    connect(editor, &MaskEditor::targetChanged, this, &MaskKeyRow::sync);
    sync();
}

void MaskKeyRow::sync()
{
    const auto& target = m_editor->target();
    m_keys = m_editor->keysInRange();
    m_first = target ? target->first : 0;
    m_count = target ? target->count : 0;
    m_frame = target ? target->frame : -1;
    update();
}

double MaskKeyRow::xForFrame(int64_t frame) const
{
    if (m_count <= 0)
        return 0;
    return (static_cast<double>(frame - m_first) + 0.5) * width() / static_cast<double>(m_count);
}

int64_t MaskKeyRow::frameAtX(double x) const
{
    if (m_count <= 0 || width() <= 0)
        return -1;
    const auto offset = static_cast<int64_t>(std::floor(x * static_cast<double>(m_count) / width()));
    return m_first + std::clamp<int64_t>(offset, 0, m_count - 1);
}

void MaskKeyRow::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    if (m_count <= 0)
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(kKey);
    const double middle = height() / 2.0;
    const double half = height() / 2.0 - 2;
    for (int64_t key : m_keys) {
        const double x = xForFrame(key);
        QPainterPath diamond;
        diamond.moveTo(x, middle - half);
        diamond.lineTo(x + half * 0.7, middle);
        diamond.lineTo(x, middle + half);
        diamond.lineTo(x - half * 0.7, middle);
        diamond.closeSubpath();
        painter.drawPath(diamond);
    }
    if (m_frame >= 0) {
        painter.setPen(QPen(kPlayhead, 1.5));
        const double x = xForFrame(m_frame);
        painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    }
}

void MaskKeyRow::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_count > 0)
        Q_EMIT seekRequested(frameAtX(event->position().x()));
}

void MaskKeyRow::mouseMoveEvent(QMouseEvent* event)
{
    if ((event->buttons() & Qt::LeftButton) && m_count > 0)
        Q_EMIT seekRequested(frameAtX(event->position().x()));
}

} // namespace kinora::ui
