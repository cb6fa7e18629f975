#pragma once
// The worker that runs the app's long jobs (diffusion takes, exports of a take and of the cut) on
// its own thread: a
// QObject moved to a QThread by JobQueue. Jobs start by a queued call to run(); cancel() is called
// directly from the GUI thread and only stores an atomic, so it lands within one step even while
// run() is busy. It runs exactly the jobs kinora-cli runs (runDiffusionJob, transcode) and
// exportTimeline, keeps the
// loaded model pack between jobs, and catches every exception at its boundary.

#include "kinora/core/clip_job_prep.h"
#include "kinora/core/diffusion_job.h"
#include "kinora/core/job.h"
#include "kinora/core/timeline_export.h"
#include "kinora/core/transcode.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>

namespace kinora::core {

// Export: a file (a take) transcoded; TimelineExport: the cut rendered (exportTimeline).
enum class JobKind { Diffusion, Export, TimelineExport };

// Both kinds of export: a file out, progress in frames, an outcome in JobOutcome::transcode.
inline bool isExport(JobKind kind)
{
    return kind == JobKind::Export || kind == JobKind::TimelineExport;
}

// What to run. `id` is given by the queue; exactly one of the requests is used, by `kind`.
struct JobTicket {
    quint64 id = 0;
    JobKind kind = JobKind::Diffusion;
    DiffusionJobRequest diffusion;
    TranscodeRequest transcode;
    TimelineExportRequest timelineExport; // a snapshot of the timeline and its sources
    QString title; // one line for the queue's row (an export's: "Export → FILE" when left empty)
    QString takeId; // diffusion: the take this job makes (the project's id)
    ClipJobPrep clip; // diffusion on a timeline clip: its placement and what to write first
};

struct JobOutcome {
    quint64 id = 0;
    JobKind kind = JobKind::Diffusion;
    DiffusionJobResult diffusion;
    TranscodeResult transcode; // Export and TimelineExport
    QString takeId;
    double seconds = 0; // wall time of the whole job
};

// Progress as the GUI shows it. Times in seconds; `eta` < 0 while unknown. `stepDoneNs` is the
// steady clock (std::chrono::steady_clock, ns since its epoch) when the step finished, so a probe
// can time how long the step took to reach the screen.
struct JobStatus {
    quint64 id = 0;
    int step = 0;
    int total = 0;
    int window = 0;
    int windows = 1;
    double elapsed = 0;
    double eta = -1;
    qint64 stepDoneNs = 0;
};

class JobWorker : public QObject {
    Q_OBJECT
public:
    explicit JobWorker(QObject* parent = nullptr);
    ~JobWorker() override;

    // Runs on the worker's thread (start it by a queued call). Emits started, then progress and
    // previews, then exactly one of finished, failed or cancelled.
    void run(const kinora::core::JobTicket& ticket);

    // Thread-safe. Stops the job `id` at its next step when it is the one running, or at once
    // when it is the next to run (started by the queue, not yet taken by run()); a job that is
    // still waiting in the queue is the queue's to drop.
    void cancel(quint64 id);

    // Thread-safe: the view painted the last preview, so the next may be sent. Until then the
    // worker makes no new preview (the newest step wins when the view catches up).
    void previewShown();

    // Thread-safe: how many LibTorch intra-op threads jobs use (0: LibTorch's default). The GUI
    // keeps one core for itself on small machines.
    void setComputeThreads(int threads);

Q_SIGNALS:
    void started(quint64 id);
    void progress(const kinora::core::JobStatus& status);
    void preview(quint64 id, const kinora::core::JobPreview& preview);
    void finished(const kinora::core::JobOutcome& outcome);
    void failed(quint64 id, const QString& message);
    void cancelled(quint64 id);
    void warning(quint64 id, const QString& message);

private:
    std::unique_ptr<ModelCache> m_cache;
    std::atomic<quint64> m_running { 0 };
    std::atomic<bool> m_cancel { false };
    // The last id cancel() was given: a cancel that comes between the queue's start and run()
    // taking the job is not lost.
    std::atomic<quint64> m_cancelId { 0 };
    std::atomic<bool> m_previewInFlight { false };
    std::atomic<int> m_threads { 0 };
};

} // namespace kinora::core

Q_DECLARE_METATYPE(kinora::core::JobTicket)
Q_DECLARE_METATYPE(kinora::core::JobOutcome)
Q_DECLARE_METATYPE(kinora::core::JobStatus)
Q_DECLARE_METATYPE(kinora::core::JobPreview)
