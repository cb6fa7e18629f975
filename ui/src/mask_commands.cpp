#include "mask_commands.h"

#include "mask_store.h"

#include "kinora/core/project.h"

#include <cstring>
#include <utility>

namespace kinora::ui {

namespace {

bool isBinary(const QImage& mask)
{
    for (int y = 0; y < mask.height(); ++y) {
        const uchar* row = mask.constScanLine(y);
        for (int x = 0; x < mask.width(); ++x)
            if (row[x] != 0 && row[x] != 255)
                return false;
    }
    return true;
}

} // namespace

// An undo step may hold a whole imported clip of masks: 0/255 ones go down to a bit a pixel.
QImage packMask(const QImage& mask)
{
    if (mask.isNull() || mask.format() == QImage::Format_Mono)
        return mask;
    const QImage gray = mask.convertToFormat(QImage::Format_Grayscale8);
    return isBinary(gray) ? gray.convertToFormat(QImage::Format_Mono, Qt::ThresholdDither) : gray;
}

QImage unpackMask(const QImage& mask)
{
    return mask.isNull() || mask.format() == QImage::Format_Grayscale8
        ? mask
        : mask.convertToFormat(QImage::Format_Grayscale8);
}

QImage filledMask(QSize size, int value)
{
    QImage mask(size, QImage::Format_Grayscale8);
    mask.fill(value);
    return mask;
}

void pasteMask(QImage& mask, const QImage& pixels, QPoint topLeft)
{
    const QRect rect = QRect(topLeft, pixels.size()).intersected(mask.rect());
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        std::memcpy(mask.scanLine(y) + rect.left(),
            pixels.constScanLine(y - topLeft.y()) + (rect.left() - topLeft.x()),
            static_cast<size_t>(rect.width()));
}

MaskStrokeCommand::MaskStrokeCommand(core::Project* project, const QString& sourceId, int64_t frame,
    QSize size, QRect rect, QImage before, QImage after, bool wasKey, const QString& text)
    : QUndoCommand(text)
    , m_project(project)
    , m_sourceId(sourceId)
    , m_frame(frame)
    , m_size(size)
    , m_rect(rect)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_wasKey(wasKey)
{
}

void MaskStrokeCommand::redo()
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    MaskStore* store = MaskStore::of(m_project);
    // The mask the stroke started from: the key, or the in-between mask the keys around it give.
    QImage mask = store->maskAt(m_sourceId, m_frame);
    if (mask.isNull())
        mask = filledMask(m_size, 0);
    else if (mask.size() != m_size)
        mask = mask.scaled(m_size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    mask = mask.copy();
    pasteMask(mask, m_after, m_rect.topLeft());
    // Not written (a full disk): the stack drops the step, and the painter shows what is on disk.
    if (!store->setKey(m_sourceId, m_frame, mask))
        setObsolete(true);
}

void MaskStrokeCommand::undo()
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    MaskStore* store = MaskStore::of(m_project);
    if (!m_wasKey) {
        if (!store->setKey(m_sourceId, m_frame, QImage()))
            setObsolete(true);
        return;
    }
    QImage mask = store->key(m_sourceId, m_frame);
    if (mask.isNull())
        return;
    mask = mask.copy();
    pasteMask(mask, m_before, m_rect.topLeft());
    if (!store->setKey(m_sourceId, m_frame, mask))
        setObsolete(true);
}

MaskKeysCommand::MaskKeysCommand(
    core::Project* project, const QString& sourceId, const std::vector<Change>& changes, const QString& text)
    : QUndoCommand(text)
    , m_project(project)
    , m_sourceId(sourceId)
{
    MaskStore* store = MaskStore::of(project);
    for (const Change& change : changes) {
        m_before.push_back({ change.frame, store ? packMask(store->key(sourceId, change.frame)) : QImage() });
        m_after.push_back({ change.frame, packMask(change.mask) });
    }
}

void MaskKeysCommand::apply(const std::vector<Change>& changes)
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    MaskStore* store = MaskStore::of(m_project);
    for (const Change& change : changes) {
        if (!store->setKey(m_sourceId, change.frame, unpackMask(change.mask))) {
            setObsolete(true); // writeFailed said why; the rest would fail the same way
            return;
        }
    }
}

void MaskKeysCommand::redo()
{
    apply(m_after);
}

void MaskKeysCommand::undo()
{
    apply(m_before);
}

} // namespace kinora::ui
