#include "mask_commands.h"

#include "mask_store.h"

#include "kinora/core/project.h"

#include <cstring>
#include <utility>

namespace kinora::ui {

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

MaskCommand::MaskCommand(core::Project* project, const QString& text)
    : QUndoCommand(text)
    , m_project(project)
    , m_self(std::make_shared<MaskCommand*>(this))
{
}

MaskCommand::~MaskCommand()
{
    *m_self = nullptr; // a failure reported later finds nothing to mark
}

std::function<void()> MaskCommand::onWriteFailed() const
{
    return [self = m_self] {
        if (*self)
            (*self)->setObsolete(true);
    };
}

MaskStrokeCommand::MaskStrokeCommand(core::Project* project, const QString& sourceId, int64_t frame,
    QSize size, QRect rect, QImage before, QImage after, bool wasKey, const QString& text)
    : MaskCommand(project, text)
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
    // Not started (it does not encode): the stack drops the step. A write that fails later (a
    // full disk) makes it obsolete, and the painter shows what is on disk.
    if (!store->setKey(m_sourceId, m_frame, mask, onWriteFailed()))
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
        if (!store->setKey(m_sourceId, m_frame, QImage(), onWriteFailed()))
            setObsolete(true);
        return;
    }
    QImage mask = store->key(m_sourceId, m_frame);
    if (mask.isNull())
        return;
    mask = mask.copy();
    pasteMask(mask, m_before, m_rect.topLeft());
    if (!store->setKey(m_sourceId, m_frame, mask, onWriteFailed()))
        setObsolete(true);
}

MaskKeysCommand::MaskKeysCommand(
    core::Project* project, const QString& sourceId, std::vector<Change> changes, const QString& text)
    : MaskCommand(project, text)
    , m_sourceId(sourceId)
{
    for (Change& change : changes) {
        // What the key is now: bytes (waiting to be written, or read from disk), nothing decoded.
        m_before[change.frame] = project ? project->maskKeyPng(sourceId, change.frame) : QByteArray();
        if (!change.mask.isNull() && !change.png.isEmpty())
            m_firstMasks[change.frame] = std::move(change.mask);
        m_after[change.frame] = std::move(change.png);
    }
}

void MaskKeysCommand::apply(
    const std::map<int64_t, QByteArray>& pngs, const std::map<int64_t, QImage>& decoded)
{
    if (!m_project) {
        setObsolete(true);
        return;
    }
    // All or none; when the files cannot be written (a full disk) the keys go back, writeFailed
    // says why and the step becomes obsolete.
    if (!MaskStore::of(m_project)->setKeys(m_sourceId, pngs, decoded, onWriteFailed()))
        setObsolete(true);
}

void MaskKeysCommand::redo()
{
    apply(m_after, m_firstMasks);
    m_firstMasks.clear(); // the store has them now; later redos decode when a frame is shown
}

void MaskKeysCommand::undo()
{
    apply(m_before);
}

} // namespace kinora::ui
