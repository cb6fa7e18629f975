// MaskEditor's import and export: read or written on the thread pool (QtConcurrent), applied or
// reported back on the GUI thread, one job at a time.

#include "mask_commands.h"
#include "mask_editor.h"
#include "mask_store.h"
#include "media_probe.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/mask_keyframes.h"
#include "kinora/core/project.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <memory>

namespace kinora::ui {

namespace {

// One picture (not a pattern, a folder, a video or an animation): a key at the current frame.
bool isSingleImage(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile() || core::isSequencePattern(path))
        return false;
    QImageReader reader(path);
    return reader.canRead() && reader.imageCount() <= 1;
}

struct ImportResult {
    std::vector<MaskKeysCommand::Change> changes;
    QString error;
    QString note;
};

QString sizeText(QSize size)
{
    return QStringLiteral("%1×%2").arg(size.width()).arg(size.height());
}

void readImport(const QString& path, const MaskTarget& target, bool single, ImportResult& result)
{
    QString readPath = path;
    if (QFileInfo(path).isDir()) {
        const ProbedMedia probed = probeImport(path);
        if (!probed.error.isEmpty()) {
            result.error = probed.error;
            return;
        }
        readPath = probed.record.path;
    }
    std::vector<QImage> masks;
    try {
        masks = core::readMaskClip(readPath);
    } catch (const std::exception& error) {
        result.error = MaskEditor::tr("The mask “%1” cannot be read: %2")
                           .arg(QFileInfo(path).fileName(), QString::fromUtf8(error.what()));
        return;
    }
    if (masks.empty()) {
        result.error = MaskEditor::tr("The mask “%1” holds no frames.").arg(QFileInfo(path).fileName());
        return;
    }
    QStringList notes;
    const QSize size = masks.front().size();
    if (size != target.size)
        notes << MaskEditor::tr("The mask is %1 and the frames are %2: it was resized (nearest).")
                     .arg(sizeText(size), sizeText(target.size));
    const auto fitted = [&](const QImage& mask) {
        return mask.size() == target.size
            ? mask
            : mask.scaled(target.size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    };
    if (single) {
        result.changes.push_back({ target.frame, fitted(masks.front()) });
        return;
    }
    const auto count = std::min<int64_t>(static_cast<int64_t>(masks.size()), target.count);
    for (int64_t i = 0; i < count; ++i)
        result.changes.push_back({ target.first + i, fitted(masks[static_cast<size_t>(i)]) });
    if (static_cast<int64_t>(masks.size()) > target.count)
        notes << MaskEditor::tr("The mask has %1 frames and the clip %2: the first %2 were used.")
                     .arg(masks.size())
                     .arg(target.count);
    else if (static_cast<int64_t>(masks.size()) < target.count)
        notes << MaskEditor::tr("The mask has %1 frames and the clip %2: the rest keep their masks.")
                     .arg(masks.size())
                     .arg(target.count);
    result.note = notes.join(QLatin1Char(' '));
}

} // namespace

void MaskEditor::startJob(
    std::function<void(QPromise<void>&)> work, int64_t total, std::function<void(bool)> finish)
{
    setBusy(true);
    m_finish = std::move(finish);
    Q_EMIT progressChanged(0, total);
    m_watcher.setFuture(QtConcurrent::run([work = std::move(work), total](QPromise<void>& promise) {
        promise.setProgressRange(0, static_cast<int>(std::min<int64_t>(total, INT_MAX)));
        work(promise);
    }));
}

void MaskEditor::cancelJob()
{
    if (m_busy)
        m_watcher.cancel();
}

void MaskEditor::importMask(const QString& path)
{
    if (m_busy || !m_project || !m_target || m_target->size.isEmpty())
        return;
    const MaskTarget target = *m_target;
    const bool single = isSingleImage(path);
    if (single && target.frame < 0) {
        Q_EMIT message(tr("Move the playhead onto the selected clip to import one image as its mask there."));
        Q_EMIT importFinished(false);
        return;
    }
    if (m_stroking)
        endStroke();
    auto result = std::make_shared<ImportResult>();
    const int generation = m_generation;
    Q_EMIT message(tr("Reading the mask “%1”…").arg(QFileInfo(path).fileName()));
    startJob(
        [path, target, single, result](QPromise<void>& promise) {
            readImport(path, target, single, *result);
            // One bit a pixel for 0/255 masks, made here rather than on the GUI thread.
            for (auto& change : result->changes)
                change.mask = packMask(change.mask);
            promise.setProgressValue(1);
        },
        1,
        [this, result, generation, target](bool cancelled) {
            if (cancelled || generation != m_generation || !m_project) {
                Q_EMIT message(cancelled ? tr("Import cancelled.") : QString());
                Q_EMIT importFinished(false);
                return;
            }
            if (!result->error.isEmpty()) {
                Q_EMIT message(result->error);
                Q_EMIT importFinished(false);
                return;
            }
            m_undoStack->push(
                new MaskKeysCommand(m_project, target.sourceId, result->changes, tr("Import mask")));
            const QString done
                = tr("Imported %n mask frame(s).", nullptr, static_cast<int>(result->changes.size()));
            Q_EMIT message(result->note.isEmpty() ? done : done + QLatin1Char(' ') + result->note);
            Q_EMIT importFinished(true);
        });
}

void MaskEditor::exportMasks(const QString& folder)
{
    if (m_busy || !m_store || !m_target || m_target->size.isEmpty() || m_target->count <= 0)
        return;
    if (m_stroking)
        endStroke();
    const MaskTarget target = *m_target;
    const core::MaskTrack track = m_store->track(target.sourceId); // a copy: the images are shared, read-only
    const QString pattern = QDir(folder).filePath(QString::fromLatin1(kExportPattern));
    struct Outcome {
        bool written = false;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    Q_EMIT message(tr("Exporting %n mask(s)…", nullptr, static_cast<int>(target.count)));
    startJob(
        [track, target, pattern, outcome](QPromise<void>& promise) {
            try {
                outcome->written = core::writeMaskSequence(
                    track, target.first, target.count, target.size, pattern, [&promise](int64_t done) {
                        promise.setProgressValue(static_cast<int>(done));
                        return !promise.isCanceled();
                    });
            } catch (const std::exception& e) {
                outcome->error = QString::fromUtf8(e.what());
            }
        },
        target.count,
        [this, outcome, folder, target](bool) {
            // writeMaskSequence says whether it finished: a cancel after the last frame is too late.
            if (!outcome->error.isEmpty()) {
                Q_EMIT message(outcome->error);
                Q_EMIT exportFinished(false);
            } else if (!outcome->written) {
                Q_EMIT message(tr("Export cancelled: no masks were left behind."));
                Q_EMIT exportFinished(false);
            } else {
                Q_EMIT message(tr("Exported %n mask(s) to %1.", nullptr, static_cast<int>(target.count))
                                   .arg(QDir::toNativeSeparators(folder)));
                Q_EMIT exportFinished(true);
            }
        });
}

} // namespace kinora::ui
