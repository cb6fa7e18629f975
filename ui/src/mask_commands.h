#pragma once
// Undo commands of the mask painter, pushed on the window's QUndoStack. Each redo and undo sets
// the keys through MaskStore at once, and the project writes their PNGs behind it, in order, on
// its writer thread (Project::setMaskKeysInBackground), so the files follow what the painter shows
// within milliseconds. A command finds its project by QPointer and does nothing once the project
// is gone (New, Open).
//
// MaskStrokeCommand is one stroke, press to release: only the rectangle the stroke changed, before
// and after, and whether the frame was a key before. On a frame that was not a key the stroke
// started from the frame's interpolated mask; redo rebuilds that from the keys around it (the same
// keys as when the stroke was made: the stack undoes in order), and undo removes the key again.
// MaskKeysCommand sets or removes whole keys: invert, clear, fill, delete key, an import (its PNGs
// encoded on the thread pool, so applying it hands over bytes only).

#include <QByteArray>
#include <QImage>
#include <QPointer>
#include <QRect>
#include <QSize>
#include <QString>
#include <QUndoCommand>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

// What both commands share: the project they write to, and leaving the stack when a write of
// theirs fails on the project's writer thread (a full disk): the failure comes after redo() or
// undo() returned, marks the command obsolete if it still exists, and MaskEditor then drops it.
class MaskCommand : public QUndoCommand {
public:
    ~MaskCommand() override;

protected:
    MaskCommand(core::Project* project, const QString& text);
    // For MaskStore::setKey(s): makes this command obsolete, unless it is gone by then.
    std::function<void()> onWriteFailed() const;

    QPointer<core::Project> m_project;

private:
    std::shared_ptr<MaskCommand*> m_self;
};

class MaskStrokeCommand : public MaskCommand {
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
    QString m_sourceId;
    int64_t m_frame;
    QSize m_size;
    QRect m_rect;
    QImage m_before;
    QImage m_after;
    bool m_wasKey;
};

class MaskKeysCommand : public MaskCommand {
public:
    struct Change {
        int64_t frame = 0;
        QByteArray png; // the new key, core::encodeMaskPng(); empty removes it
        QImage mask; // optional: the same key as an image, so the painter shows it without decoding
    };
    // The keys as they are now are kept for undo as their PNGs (bytes, not decoded). Only PNGs are
    // kept, a few KB a frame for 0/255 masks: redo and undo hand bytes to the project's writer
    // thread and encode or decode nothing.
    MaskKeysCommand(
        core::Project* project, const QString& sourceId, std::vector<Change> changes, const QString& text);

    void redo() override;
    void undo() override;

    QString sourceId() const { return m_sourceId; }
    size_t frames() const { return m_after.size(); }

private:
    void apply(const std::map<int64_t, QByteArray>& pngs, const std::map<int64_t, QImage>& decoded = {});

    QString m_sourceId;
    std::map<int64_t, QByteArray> m_before;
    std::map<int64_t, QByteArray> m_after;
    std::map<int64_t, QImage> m_firstMasks; // the images given, for the first redo only
};

// A Grayscale8 mask of `size`, every pixel `value`.
QImage filledMask(QSize size, int value);
// Pastes `pixels` (Grayscale8) into `mask` at `topLeft`.
void pasteMask(QImage& mask, const QImage& pixels, QPoint topLeft);

} // namespace kinora::ui
