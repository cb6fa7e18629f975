#include "kinora/core/job_worker.h"

#include "kinora/core/engine_info.h"
#include "kinora/core/image_sequence.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <chrono>
#include <exception>
#include <new>

namespace kinora::core {

namespace {

Q_LOGGING_CATEGORY(lcWorker, "kinora.worker")

qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Elapsed time and ETA over one job's steps. The first step carries the model load and the text
// encoding, so once a second step is in, the ETA is the mean of the steps after the first.
class StepClock {
public:
    StepClock() { m_timer.start(); }

    double seconds() const { return static_cast<double>(m_timer.nsecsElapsed()) / 1e9; }

    JobStatus status(quint64 id, const JobProgress& p)
    {
        JobStatus s;
        s.id = id;
        s.step = p.step;
        s.total = p.total;
        s.window = p.window;
        s.windows = p.windows;
        s.elapsed = seconds();
        s.stepDoneNs = steadyNowNs();
        if (m_firstStep < 0 || p.step < m_firstStep) { // the first step this job reports
            m_firstStep = p.step;
            m_firstAt = s.elapsed;
        }
        const int left = p.total - p.step;
        if (p.step <= 0 || p.total <= 0)
            s.eta = -1;
        else if (p.step == m_firstStep)
            s.eta = s.elapsed / p.step * left;
        else
            s.eta = (s.elapsed - m_firstAt) / (p.step - m_firstStep) * left;
        if (left <= 0 && s.eta >= 0)
            s.eta = 0;
        return s;
    }

private:
    QElapsedTimer m_timer;
    int m_firstStep = -1;
    double m_firstAt = 0;
};

// Frames that own their own pixels: the engine's buffers stay the engine's, and the GUI thread
// reads these without touching anything the worker may still write.
JobPreview detached(const JobPreview& preview)
{
    JobPreview copy = preview;
    for (auto& frame : copy.frames)
        frame = frame.copy();
    return copy;
}

QString oneLine(const char* what)
{
    QString text = QString::fromUtf8(what).trimmed();
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        text.truncate(newline);
    return text;
}

} // namespace

JobWorker::JobWorker(QObject* parent)
    : QObject(parent)
    , m_cache(std::make_unique<ModelCache>())
{
}

JobWorker::~JobWorker() = default;

void JobWorker::run(const JobTicket& ticket)
{
    const quint64 id = ticket.id;
    m_previewInFlight = false;
    m_cancel = false;
    m_running = id;
    // After m_running: a cancel() that stored its id before this line is seen here, and one that
    // comes after sees m_running (both atomics are sequentially consistent).
    if (m_cancelId.load() == id)
        m_cancel = true;
    Q_EMIT started(id);
    StepClock clock;
    JobOutcome outcome;
    outcome.id = id;
    outcome.kind = ticket.kind;
    outcome.takeId = ticket.takeId;
    enum class End { Finished, Cancelled, Failed } end = End::Failed;
    QString message = tr("unknown error");
    // Every exception stops here: the job's row shows one line, and the thread lives on.
    try {
        if (m_cancel) // cancelled between the queue's start and now: not worth a model load
            throw JobCancelled();
        if (const int threads = m_threads; threads > 0)
            setEngineThreads(threads);
        JobCallbacks callbacks;
        callbacks.isCancelled = [this] { return m_cancel.load(); };
        callbacks.onProgress
            = [this, id, &clock](const JobProgress& p) { Q_EMIT progress(clock.status(id, p)); };
        callbacks.onWarning = [this, id](const QString& text) { Q_EMIT warning(id, text); };
        if (ticket.kind == JobKind::Diffusion) {
            callbacks.wantsPreview = [this] { return !m_previewInFlight.load(); };
            callbacks.onPreview = [this, id](const JobPreview& p) {
                m_previewInFlight = true;
                Q_EMIT preview(id, detached(p));
            };
            if (ticket.clip.needed()) {
                // Masks and first frames are written here, not when the job is queued: hundreds of
                // interpolated masks would hold the window up for seconds.
                JobCallbacks prep;
                prep.isCancelled = callbacks.isCancelled;
                try {
                    if (!prepareClipJob(ticket.clip, prep))
                        throw JobCancelled();
                    outcome.diffusion = runDiffusionJob(ticket.diffusion, callbacks, m_cache.get());
                } catch (...) {
                    discardClipJobPrep(ticket.clip);
                    throw;
                }
            } else {
                outcome.diffusion = runDiffusionJob(ticket.diffusion, callbacks, m_cache.get());
            }
        } else if (ticket.kind == JobKind::TimelineExport) {
            outcome.transcode = exportTimeline(ticket.timelineExport, callbacks);
        } else {
            outcome.transcode = transcode(ticket.transcode, callbacks);
        }
        outcome.seconds = clock.seconds();
        end = End::Finished;
    } catch (const JobCancelled&) {
        end = End::Cancelled;
    } catch (const std::bad_alloc&) { // outside the sampling loop, which says what to lower itself
        message = tr("out of memory: lower the size or the number of frames, or close other programs");
    } catch (const std::exception& e) { // ModelNotFoundError, OutputExistsError, MediaError, out of memory
        if (const QString line = oneLine(e.what()); !line.isEmpty())
            message = line;
    } catch (...) {
    }
    m_running = 0;
    switch (end) {
    case End::Finished:
        Q_EMIT finished(outcome);
        break;
    case End::Cancelled:
        Q_EMIT cancelled(id);
        break;
    case End::Failed:
        qCWarning(lcWorker) << "job" << id << "failed:" << message;
        Q_EMIT failed(id, message);
        break;
    }
}

void JobWorker::cancel(quint64 id)
{
    if (id == 0)
        return;
    m_cancelId = id;
    if (m_running.load() == id)
        m_cancel = true;
}

void JobWorker::previewShown()
{
    m_previewInFlight = false;
}

void JobWorker::setComputeThreads(int threads)
{
    m_threads = threads;
}

} // namespace kinora::core
