// MaskEditor's import and export: read or written on the thread pool (QtConcurrent), applied or
// reported back on the GUI thread, one job at a time.

#include "mask_commands.h"
#include "mask_editor.h"
#include "mask_import.h"
#include "mask_store.h"

#include "kinora/core/mask_keyframes.h"
#include "kinora/core/project.h"

#include <QDir>
#include <QFileInfo>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <exception>
#include <memory>

namespace kinora::ui {

void MaskEditor::startJob(
    std::function<void(QPromise<void>&)> work, int64_t total, std::function<void(bool)> finish)
{
    setBusy(true);
    m_finish = std::move(finish);
    Q_EMIT progressChanged(0, total);
    m_watcher.setFuture(QtConcurrent::run([work = std::move(work), total](QPromise<void>& promise) {
        if (total > 0)
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
    const bool single = isSingleMaskImage(path);
    if (single && target.frame < 0) {
        Q_EMIT message(tr("Move the playhead onto the selected clip to import one image as its mask there."));
        Q_EMIT importFinished(false);
        return;
    }
    if (m_stroking)
        endStroke();
    auto result = std::make_shared<MaskImport>();
    const int generation = m_generation;
    Q_EMIT message(tr("Reading the mask “%1”…").arg(QFileInfo(path).fileName()));
    startJob(
        [path, target, single, result](QPromise<void>& promise) {
            // Read and encoded here, frame by frame: the GUI thread only writes the PNGs.
            *result = readMaskImport(path, target, single, [&promise](int64_t done, int64_t total) {
                if (done == 1)
                    promise.setProgressRange(0, static_cast<int>(std::min<int64_t>(total, INT_MAX)));
                promise.setProgressValue(static_cast<int>(std::min<int64_t>(done, INT_MAX)));
                return !promise.isCanceled();
            });
        },
        0, // known once the mask is open
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
            const int frames = static_cast<int>(result->changes.size());
            const int steps = m_undoStack->index();
            m_undoStack->push(new MaskKeysCommand(
                m_project, target.sourceId, std::move(result->changes), tr("Import mask")));
            if (m_undoStack->index() == steps) {
                // Not started: nothing changed, the stack dropped the step and writeFailed has
                // said why. (A full disk is found later, behind the step: see dropFailedSteps.)
                Q_EMIT importFinished(false);
                return;
            }
            const QString done = tr("Imported %n mask frame(s).", nullptr, frames);
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
    // The keys as they are now: images at hand and the others' PNGs, decoded in the job.
    const MaskKeys keys = m_store->allKeys(target.sourceId);
    const QString pattern = QDir(folder).filePath(QString::fromLatin1(kExportPattern));
    struct Outcome {
        bool written = false;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    Q_EMIT message(tr("Exporting %n mask(s)…", nullptr, static_cast<int>(target.count)));
    startJob(
        [keys, target, pattern, outcome](QPromise<void>& promise) {
            try {
                const core::MaskTrack track = keys.track();
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
