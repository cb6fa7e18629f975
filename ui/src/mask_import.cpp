#include "mask_import.h"

#include "media_probe.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/mask_png.h"
#include "kinora/core/video_reader.h"

#include <QFileInfo>
#include <QImageReader>
#include <QStringList>

#include <algorithm>
#include <climits>
#include <exception>
#include <memory>

namespace kinora::ui {

namespace {

QString sizeText(QSize size)
{
    return QStringLiteral("%1×%2").arg(size.width()).arg(size.height());
}

// MASK's frames one at a time, as core::readMaskClip reads them all.
class MaskFrames {
public:
    explicit MaskFrames(const QString& path)
        : m_path(path)
    {
        if (core::isSequencePattern(path)) {
            while (QFileInfo::exists(core::sequenceFramePath(path, static_cast<int>(m_count))))
                ++m_count;
            if (m_count == 0)
                core::readMasks(path); // throws its message (e.g. numbered from 1, not 0)
        } else if (QImageReader(path).canRead()) {
            m_count = 1;
        } else {
            m_video = core::VideoReader::open(path, { QImage::Format_RGB888, true, {} });
            // A header without a count: as many as decode (read up to the clip's length).
            m_count = m_video->frameCount() > 0 ? m_video->frameCount() : INT64_MAX;
        }
    }

    // Frames it holds (a video's as its header counts them).
    int64_t count() const { return m_count; }

    // The next mask; false after the last.
    bool next(QImage& mask)
    {
        if (m_video) {
            QImage frame;
            if (!m_video->next(frame))
                return false;
            mask = core::binarizeMask(frame);
        } else {
            if (m_index >= m_count)
                return false;
            const QString file = m_count == 1 && !core::isSequencePattern(m_path)
                ? m_path
                : core::sequenceFramePath(m_path, static_cast<int>(m_index));
            mask = core::readMasks(file).front();
        }
        ++m_index;
        return true;
    }

private:
    QString m_path;
    std::unique_ptr<core::VideoReader> m_video;
    int64_t m_count = 0;
    int64_t m_index = 0;
};

} // namespace

bool isSingleMaskImage(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile() || core::isSequencePattern(path))
        return false;
    QImageReader reader(path);
    return reader.canRead() && reader.imageCount() <= 1;
}

MaskImport readMaskImport(const QString& path, const MaskTarget& target, bool single,
    const std::function<bool(int64_t done, int64_t total)>& progress)
{
    MaskImport result;
    QString readPath = path;
    if (QFileInfo(path).isDir()) {
        const ProbedMedia probed = probeImport(path);
        if (!probed.error.isEmpty()) {
            result.error = probed.error;
            return result;
        }
        readPath = probed.record.path;
    }
    const QString name = QFileInfo(path).fileName();
    QSize size; // the mask's own, from its first frame
    int64_t available = 0;
    try {
        MaskFrames frames(readPath);
        available = frames.count();
        const int64_t total = single ? 1 : std::min(available, target.count);
        QImage mask;
        while (static_cast<int64_t>(result.changes.size()) < total && frames.next(mask)) {
            if (!size.isValid())
                size = mask.size();
            if (mask.size() != target.size)
                mask = mask.scaled(target.size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
            const int64_t i = static_cast<int64_t>(result.changes.size());
            MaskKeysCommand::Change change { single ? target.frame : target.first + i,
                core::encodeMaskPng(mask), {} };
            if (single)
                change.mask = mask; // one frame: the painter shows it without decoding
            result.changes.push_back(std::move(change));
            if (progress && !progress(i + 1, total))
                return result;
        }
    } catch (const std::exception& error) {
        result.error
            = MaskEditor::tr("The mask “%1” cannot be read: %2").arg(name, QString::fromUtf8(error.what()));
        result.changes.clear();
        return result;
    }
    if (result.changes.empty()) {
        result.error = MaskEditor::tr("The mask “%1” holds no frames.").arg(name);
        return result;
    }
    QStringList notes;
    if (size != target.size)
        notes << MaskEditor::tr("The mask is %1 and the frames are %2: it was resized (nearest).")
                     .arg(sizeText(size), sizeText(target.size));
    if (!single) {
        // A video's header may count more frames than decode.
        if (static_cast<int64_t>(result.changes.size()) < std::min(available, target.count))
            available = static_cast<int64_t>(result.changes.size());
        if (available > target.count)
            notes << MaskEditor::tr("The mask has %1 frames and the clip %2: the first %2 were used.")
                         .arg(available)
                         .arg(target.count);
        else if (available < target.count)
            notes << MaskEditor::tr("The mask has %1 frames and the clip %2: the rest keep their masks.")
                         .arg(available)
                         .arg(target.count);
    }
    result.note = notes.join(QLatin1Char(' '));
    return result;
}

} // namespace kinora::ui
