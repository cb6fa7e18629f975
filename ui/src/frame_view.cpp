#include "frame_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <chrono>

namespace kinora::ui {

namespace {

const QColor kBackground(0x12, 0x12, 0x14);

} // namespace

FrameView::FrameView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("frameView"));
    setFocusPolicy(Qt::StrongFocus);
    // Every pixel is painted in paintEvent: Qt need not clear the background first.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void FrameView::setFrames(std::vector<QImage> frames, std::optional<PreviewTag> tag)
{
    m_frames.clear();
    m_frames.reserve(frames.size());
    for (auto& image : frames)
        m_frames.push_back({ std::move(image), {} });
    if (m_current >= frameCount())
        m_current = 0;
    // A newer preview that lands before the older was painted simply replaces its tag: only the
    // newest is ever painted and reported.
    if (tag)
        m_unpainted = tag;
    update();
}

void FrameView::setCurrentFrame(int index)
{
    index = frameCount() == 0 ? 0 : std::clamp(index, 0, frameCount() - 1);
    if (index == m_current)
        return;
    m_current = index;
    update();
}

void FrameView::setPixelated(bool pixelated)
{
    if (pixelated == m_pixelated)
        return;
    m_pixelated = pixelated;
    update();
}

void FrameView::setOverlay(const QString& text)
{
    if (text == m_overlay)
        return;
    m_overlay = text;
    update();
}

void FrameView::setMessage(const QString& text)
{
    if (text == m_message)
        return;
    m_message = text;
    update();
}

const QPixmap& FrameView::pixmapAt(int index)
{
    Frame& frame = m_frames[static_cast<size_t>(index)];
    if (frame.pixmap.isNull() && !frame.image.isNull()) {
        frame.pixmap = QPixmap::fromImage(frame.image);
        frame.image = QImage();
    }
    return frame.pixmap;
}

void FrameView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    if (m_frames.empty()) {
        if (!m_message.isEmpty()) {
            painter.setPen(palette().color(QPalette::PlaceholderText));
            painter.drawText(
                rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        }
    } else {
        const QPixmap& pixmap = pixmapAt(m_current);
        if (!pixmap.isNull()) {
            const QSize fitted = pixmap.size().scaled(size(), Qt::KeepAspectRatio);
            const QRect target(
                QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
            painter.setRenderHint(QPainter::SmoothPixmapTransform, !m_pixelated);
            painter.drawPixmap(target, pixmap);
        }
    }
    if (!m_overlay.isEmpty()) {
        const QFontMetrics metrics(font());
        const QString text = metrics.elidedText(m_overlay, Qt::ElideRight, std::max(0, width() - 24));
        const QRect box(8, 8, metrics.horizontalAdvance(text) + 12, metrics.height() + 6);
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.fillRect(box, QColor(0, 0, 0, 150));
        painter.setPen(QColor(0xee, 0xee, 0xee));
        painter.drawText(box, Qt::AlignCenter, text);
    }
    if (m_unpainted) {
        const PreviewTag tag = *m_unpainted;
        m_unpainted.reset();
        const qint64 now = std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now().time_since_epoch())
                               .count();
        Q_EMIT newPreviewPainted(tag.jobId, tag.step, now);
    }
}

void FrameView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        Q_EMIT playPauseRequested();
        break;
    case Qt::Key_Left:
        Q_EMIT stepRequested(-1);
        break;
    case Qt::Key_Right:
        Q_EMIT stepRequested(1);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void FrameView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    QWidget::mousePressEvent(event);
}

} // namespace kinora::ui
