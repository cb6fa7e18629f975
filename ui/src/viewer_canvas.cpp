#include "viewer_canvas.h"

#include "mask_editor.h"

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

ViewerCanvas::ViewerCanvas(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("viewerCanvas"));
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Viewer"));
    // Every pixel of a paint event's region is painted: Qt need not clear it first.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ViewerCanvas::setPicture(const QImage& picture, const QString& sourceId, int64_t frame)
{
    if (picture.cacheKey() == m_picture.cacheKey() && sourceId == m_sourceId && frame == m_frame)
        return;
    m_picture = picture;
    m_sourceId = sourceId;
    m_frame = frame;
    m_scaledDirty = true;
    m_unpainted = !picture.isNull();
    update();
}

void ViewerCanvas::setFrameSize(QSize size)
{
    if (size == m_frameSize)
        return;
    m_frameSize = size;
    m_scaledDirty = true;
    update();
}

QSize ViewerCanvas::frameSize() const
{
    return m_frameSize.isValid() && !m_frameSize.isEmpty() ? m_frameSize : m_picture.size();
}

QRect ViewerCanvas::frameRect() const
{
    const QSize frame = frameSize();
    if (frame.isEmpty())
        return {};
    const QSize fitted = frame.scaled(size(), Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    return { QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted };
}

double ViewerCanvas::scale() const
{
    const QSize frame = frameSize();
    return frame.isEmpty() ? 1.0 : double(frameRect().width()) / frame.width();
}

QPointF ViewerCanvas::toFrame(QPointF widgetPos) const
{
    const QRect rect = frameRect();
    const QSize frame = frameSize();
    if (rect.isEmpty())
        return {};
    return { (widgetPos.x() - rect.x()) * frame.width() / rect.width(),
        (widgetPos.y() - rect.y()) * frame.height() / rect.height() };
}

QPointF ViewerCanvas::toWidget(QPointF framePos) const
{
    const QRect rect = frameRect();
    const QSize frame = frameSize();
    if (frame.isEmpty())
        return {};
    return { rect.x() + framePos.x() * rect.width() / frame.width(),
        rect.y() + framePos.y() * rect.height() / frame.height() };
}

QRect ViewerCanvas::toWidget(const QRect& frameRect) const
{
    const QPointF topLeft = toWidget(QPointF(frameRect.topLeft()));
    const QPointF bottomRight
        = toWidget(QPointF(frameRect.x() + frameRect.width(), frameRect.y() + frameRect.height()));
    return QRectF(topLeft, bottomRight).toAlignedRect().adjusted(-1, -1, 1, 1);
}

void ViewerCanvas::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    const QRect rect = frameRect();
    // Only the region asked for: a dab repaints its own few pixels, not the frame.
    painter.fillRect(event->rect(), Qt::black);
    if (!m_picture.isNull() && !rect.isEmpty()) {
        const qreal ratio = devicePixelRatioF();
        if (m_scaledDirty || m_scaled.size() != rect.size() * ratio) {
            // A small generated take enlarged three times or more keeps its hard pixels (as the bin
            // and the preview show it); footage is scaled smoothly.
            const bool pixelated = m_picture.width() * 3 <= rect.width() * ratio;
            m_scaled = QPixmap::fromImage(m_picture.scaled(rect.size() * ratio, Qt::IgnoreAspectRatio,
                pixelated ? Qt::FastTransformation : Qt::SmoothTransformation));
            m_scaled.setDevicePixelRatio(ratio);
            m_scaledDirty = false;
        }
        painter.drawPixmap(rect.topLeft(), m_scaled);
    } else if (!m_placeholder.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        const QRect box = this->rect().adjusted(width() / 6, 0, -width() / 6, 0);
        painter.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    }
    if (maskActive())
        paintMask(painter);
    if (m_unpainted) {
        m_unpainted = false;
        Q_EMIT pictureShown(m_sourceId, m_frame);
    }
}

void ViewerCanvas::setPlaceholderText(const QString& text)
{
    if (text == m_placeholder)
        return;
    m_placeholder = text;
    update();
}

void ViewerCanvas::resizeEvent(QResizeEvent* event)
{
    m_scaledDirty = true;
    QWidget::resizeEvent(event);
}

void ViewerCanvas::setMaskEditor(MaskEditor* editor)
{
    if (m_editor)
        disconnect(m_editor, nullptr, this, nullptr);
    m_editor = editor;
    if (editor) {
        // Only the pixels a dab changed are repainted.
        connect(editor, &MaskEditor::maskChanged, this, [this](const QRect& rect) {
            if (rect.isEmpty() || rect.size() == frameSize())
                update();
            else
                update(toWidget(rect));
        });
        connect(editor, &MaskEditor::settingsChanged, this, [this] { moveCursor(m_mouse); });
    }
    setMouseTracking(editor != nullptr);
    update();
}

bool ViewerCanvas::maskActive() const
{
    return m_editor && m_editor->isActive();
}

void ViewerCanvas::paintMask(QPainter& painter)
{
    const QRect rect = frameRect();
    if (rect.isEmpty())
        return;
    // Nearest-neighbour: the mask's own pixels, and the raster engine scales only the clipped part.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const double opacity = m_editor->overlayOpacity();
    painter.setOpacity(opacity * MaskEditor::kOnionOpacity);
    for (const QImage* layer : { &m_editor->onionPrevious(), &m_editor->onionNext() })
        if (!layer->isNull())
            painter.drawImage(rect, *layer);
    painter.setOpacity(opacity);
    if (!m_editor->overlay().isNull())
        painter.drawImage(rect, m_editor->overlay());
    painter.setOpacity(1);
    if (m_mouse.x() >= 0 && m_editor->canPaint()) {
        const double radius = m_editor->brushSize() / 2 * scale();
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setBrush(Qt::NoBrush);
        // Dark under light: the outline reads on any picture.
        painter.setPen(QPen(QColor(0, 0, 0, 160), 3));
        painter.drawEllipse(m_mouse, radius, radius);
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1));
        painter.drawEllipse(m_mouse, radius, radius);
    }
}

QRect ViewerCanvas::cursorRect(QPointF widgetPos) const
{
    if (widgetPos.x() < 0 || !m_editor)
        return {};
    const double radius = m_editor->brushSize() / 2 * scale() + 3;
    return QRectF(widgetPos - QPointF(radius, radius), widgetPos + QPointF(radius, radius))
        .toAlignedRect()
        .adjusted(-1, -1, 1, 1);
}

void ViewerCanvas::moveCursor(QPointF widgetPos)
{
    if (!maskActive()) {
        m_mouse = widgetPos;
        return;
    }
    const QRect before = cursorRect(m_mouse);
    m_mouse = widgetPos;
    update(before | cursorRect(m_mouse));
}

void ViewerCanvas::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    if (event->button() == Qt::LeftButton && maskActive()
        && m_editor->beginStroke(toFrame(event->position()))) {
        moveCursor(event->position());
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void ViewerCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (m_editor) {
        moveCursor(event->position());
        if (m_editor->isStroking())
            m_editor->strokeTo(toFrame(event->position()));
    }
    QWidget::mouseMoveEvent(event);
}

void ViewerCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_editor && m_editor->isStroking()) {
        m_editor->strokeTo(toFrame(event->position()));
        m_editor->endStroke();
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void ViewerCanvas::leaveEvent(QEvent* event)
{
    moveCursor({ -1, -1 });
    QWidget::leaveEvent(event);
}

} // namespace kinora::ui
