#pragma once
// Undo commands of the mask painter, pushed on the window's QUndoStack. Each redo and undo writes
// through MaskStore::setKey (Project::setMaskKey), so the PNG on disk always matches what the
// painter shows and a crash loses no stroke. A command finds its project by QPointer and does
// nothing once the project is gone (New, Open).
//
// MaskStrokeCommand is one stroke, press to release: only the rectangle the stroke changed, before
// and after, and whether the frame was a key before. On a frame that was not a key the stroke
// started from the frame's interpolated mask; redo rebuilds that from the keys around it (the same
// keys as when the stroke was made: the stack undoes in order), and undo removes the key again.
// MaskKeysCommand sets or removes whole keys: invert, clear, fill, delete key, an import.

#include <QImage>
#include <QPointer>
#include <QRect>
#include <QSize>
#include <QString>
#include <QUndoCommand>

#include <cstdint>
#include <vector>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

class MaskStrokeCommand : public QUndoCommand {
public:
    // `before` and `after` are the pixels of `rect` (Grayscale8); `size` is the frame's.
    MaskStrokeCommand(core::Project* project, const QString& sourceId, int64_t frame, QSize size, QRect rect,
        QImage before, QImage after, bool wasKey, const QString& text);

    void redo() override;
    void undo() override;

    QString sourceId() const { return m_sourceId; }
    int64_t frame() const { return m_frame; }
    QRect rect() const { return m_rect; }
    bool wasKey() const { return m_wasKey; }

private:
    QPointer<core::Project> m_project;
    QString m_sourceId;
    int64_t m_frame;
    QSize m_size;
    QRect m_rect;
    QImage m_before;
    QImage m_after;
    bool m_wasKey;
};

class MaskKeysCommand : public QUndoCommand {
public:
    struct Change {
        int64_t frame = 0;
        QImage mask; // the new key; a null image removes it
    };
    // What the keys are now is kept for undo. Masks of only 0 and 255 (imports, fills) are kept at
    // one bit a pixel.
    MaskKeysCommand(core::Project* project, const QString& sourceId, const std::vector<Change>& changes,
        const QString& text);

    void redo() override;
    void undo() override;

    QString sourceId() const { return m_sourceId; }
    size_t frames() const { return m_after.size(); }

private:
    void apply(const std::vector<Change>& changes);

    QPointer<core::Project> m_project;
    QString m_sourceId;
    std::vector<Change> m_before;
    std::vector<Change> m_after;
};

// A Grayscale8 mask of `size`, every pixel `value`.
QImage filledMask(QSize size, int value);
// A mask to keep in an undo step: one of only 0 and 255 at one bit a pixel (Format_Mono), others
// as Grayscale8; a packed mask is returned as it is. unpackMask gives Grayscale8 back.
QImage packMask(const QImage& mask);
QImage unpackMask(const QImage& mask);
// Pastes `pixels` (Grayscale8) into `mask` at `topLeft`.
void pasteMask(QImage& mask, const QImage& pixels, QPoint topLeft);

} // namespace kinora::ui
