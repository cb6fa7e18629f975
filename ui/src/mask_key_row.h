#pragma once
// A thin row under the viewer in mask mode: the selected clip's source frames from left to right,
// a small tick at each mask keyframe and a line at the frame under the playhead. A click or drag
// asks to move the playhead onto the frame under the mouse.

#include <QWidget>

#include <cstdint>
#include <vector>

namespace kinora::ui {

class MaskEditor;

class MaskKeyRow : public QWidget {
    Q_OBJECT
public:
    static constexpr int kHeight = 14;

    explicit MaskKeyRow(MaskEditor* editor, QWidget* parent = nullptr);

    // The keys drawn (source frames), for tests.
    const std::vector<int64_t>& keys() const { return m_keys; }
    // The x of a source frame's middle, and the source frame at x.
    double xForFrame(int64_t frame) const;
    int64_t frameAtX(double x) const;

    QSize sizeHint() const override { return { 200, kHeight }; }
    QSize minimumSizeHint() const override { return { 40, kHeight }; }

Q_SIGNALS:
    void seekRequested(qint64 sourceFrame);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void sync();

    MaskEditor* m_editor;
    std::vector<int64_t> m_keys;
    int64_t m_first = 0;
    int64_t m_count = 0;
    int64_t m_frame = -1;
};

} // namespace kinora::ui
