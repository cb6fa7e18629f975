#pragma once
// The preview's picture: paints one frame of a clip scaled to fit (aspect kept, centred on a dark
// background), smooth or nearest-neighbour, with a small overlay line. Frames become pixmaps
// lazily, once each, so a preview replaced before it was painted costs no conversion. It reports
// the first paint of each new preview, which is what lets the worker send the next one.

#include <QImage>
#include <QPixmap>
#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

namespace kinora::ui {

class FrameView : public QWidget {
    Q_OBJECT
public:
    explicit FrameView(QWidget* parent = nullptr);

    // Which job and step a frame set shows, reported by newPreviewPainted on its first paint.
    struct PreviewTag {
        quint64 jobId = 0;
        int step = 0;
    };

    // Replaces the clip; `tag` set: report the first paint. The current frame is kept when it
    // still exists (a step's new preview continues the loop where the old one was).
    void setFrames(std::vector<QImage> frames, std::optional<PreviewTag> tag = std::nullopt);
    int frameCount() const { return static_cast<int>(m_frames.size()); }
    void setCurrentFrame(int index);
    int currentFrame() const { return m_current; }

    void setPixelated(bool pixelated);
    bool isPixelated() const { return m_pixelated; }
    // Top-left line over the picture ("Step 7/20 · cheap preview", a take's name).
    void setOverlay(const QString& text);
    // Centred text shown while there are no frames.
    void setMessage(const QString& text);

    QSize sizeHint() const override { return { 320, 240 }; }
    QSize minimumSizeHint() const override { return { 64, 48 }; }

Q_SIGNALS:
    void newPreviewPainted(quint64 jobId, int step, qint64 paintedNs);
    void playPauseRequested();
    void stepRequested(int delta);

protected:
    void paintEvent(QPaintEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    struct Frame {
        QImage image; // dropped once converted
        QPixmap pixmap;
    };
    const QPixmap& pixmapAt(int index);

    std::vector<Frame> m_frames;
    int m_current = 0;
    bool m_pixelated = false;
    QString m_overlay;
    QString m_message;
    std::optional<PreviewTag> m_unpainted;
};

} // namespace kinora::ui
