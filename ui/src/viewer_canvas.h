#pragma once
// The viewer's picture: one frame fitted in the widget with its aspect kept, black around it (and
// black when there is no frame). The frame is scaled into a pixmap once per picture and widget
// size, so a repaint is a blit of the region asked for: the mask painter over it repaints only
// the rectangle a dab touched. Pictures are placed by the frame's size in source pixels (the
// mask's), whatever size the decoder delivered them at, so the mask and the picture line up.
// It reports the first paint of each new picture (pictureShown).

#include <QImage>
#include <QPixmap>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>

namespace kinora::ui {

class MaskEditor;

class ViewerCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ViewerCanvas(QWidget* parent = nullptr);

    // The picture and what it is; a null image shows black. Repaints only when it changed.
    void setPicture(const QImage& picture, const QString& sourceId = {}, int64_t frame = -1);
    QImage picture() const { return m_picture; }
    QString pictureSource() const { return m_sourceId; }
    int64_t pictureFrame() const { return m_frame; }

    // Drawn in the middle while there is no picture (e.g. how to put something on the timeline).
    void setPlaceholderText(const QString& text);
    QString placeholderText() const { return m_placeholder; }

    // The frame's size in source pixels; invalid: the picture's own size.
    void setFrameSize(QSize size);
    QSize frameSize() const;
    // Where the frame is drawn (widget pixels), and the mapping between widget and frame pixels.
    QRect frameRect() const;
    QPointF toFrame(QPointF widgetPos) const;
    QPointF toWidget(QPointF framePos) const;
    // The widget rectangle that covers `frameRect` (frame pixels), a pixel wider on each side.
    QRect toWidget(const QRect& frameRect) const;
    // Widget pixels per frame pixel.
    double scale() const;

    // The mask layer: while its editor is active, its overlays are drawn over the picture, the
    // brush's outline follows the mouse and the left button paints; null: a plain viewer.
    void setMaskEditor(MaskEditor* editor);

    QSize sizeHint() const override { return { 640, 360 }; }
    QSize minimumSizeHint() const override { return { 160, 90 }; }

Q_SIGNALS:
    void pictureShown(const QString& sourceId, qint64 frame);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    bool maskActive() const;
    void paintMask(QPainter& painter);
    // The widget rectangle the brush outline at `widgetPos` covers.
    QRect cursorRect(QPointF widgetPos) const;
    void moveCursor(QPointF widgetPos);
    QImage m_picture;
    QString m_sourceId;
    int64_t m_frame = -1;
    QSize m_frameSize;
    QPixmap m_scaled; // m_picture at frameRect()'s size; rebuilt lazily
    bool m_scaledDirty = true;
    QString m_placeholder;
    bool m_unpainted = false; // a new picture not yet reported by pictureShown
    QPointer<MaskEditor> m_editor;
    QPointF m_mouse { -1, -1 }; // the brush outline's centre; x < 0: the mouse is not over the widget
};

} // namespace kinora::ui
