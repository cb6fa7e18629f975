// The app's job queue and its worker thread, on the real engine with an untrained tiny pack
// written by kinora-engine: steps and previews arrive, cancel stops a job within a step and leaves
// no files, waiting jobs run in the order they were moved to (by moveJob or by a drop), a failing
// job names its folder and the next one still runs.

#include "kinora/core/clip_io.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/job_queue.h"

#include "../app/process.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <utility>
#include <vector>

using namespace kinora::core;

namespace {

// test_core's main is gtest's: the queue's signals need an application and its event loop.
void ensureApplication()
{
    static int argc = 1;
    static char name[] = "test_core";
    static char* argv[] = { name, nullptr };
    static const auto app = std::make_unique<QCoreApplication>(argc, argv);
    Q_UNUSED(app)
}

// One untrained tiny pack for every test here: making it is a process start.
const QString& tinyPack()
{
    static QTemporaryDir dir;
    static const QString pack = [] {
        const QString path = dir.filePath(QStringLiteral("pack"));
        const auto made = kinora::test::runProcess(
            KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", path.toStdString() });
        EXPECT_EQ(made.exitCode, 0) << made.err;
        return path;
    }();
    return pack;
}

JobTicket generateTicket(const QTemporaryDir& dir, const QString& take, int steps = 4)
{
    JobTicket ticket;
    ticket.kind = JobKind::Diffusion;
    ticket.title = take;
    ticket.takeId = take;
    DiffusionJobRequest& r = ticket.diffusion;
    r.task = DiffusionTask::Generate;
    r.prompt = "a lighthouse at dusk";
    r.output = (dir.filePath(take + QStringLiteral("/%04d.png"))).toStdString();
    r.modelDir = tinyPack().toStdString();
    r.frames = 4;
    r.width = 16;
    r.height = 16;
    r.steps = steps;
    r.seed = 7;
    r.device = "cpu";
    return ticket;
}

JobState stateOf(const JobQueue& queue, quint64 id)
{
    const JobRow* row = queue.find(id);
    EXPECT_NE(row, nullptr);
    return row ? row->state : JobState::Queued;
}

bool waitIdle(const JobQueue& queue)
{
    return QTest::qWaitFor(
        [&queue] {
            if (queue.isBusy())
                return false;
            for (const JobRow& row : queue.rows())
                if (row.state == JobState::Queued || row.state == JobState::Running)
                    return false;
            return true;
        },
        60000);
}

class JobQueueTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ensureApplication();
        ASSERT_FALSE(tinyPack().isEmpty());
        ASSERT_TRUE(m_dir.isValid());
    }
    QTemporaryDir m_dir;
};

} // namespace

TEST_F(JobQueueTest, RunsAJobWithEveryStepAndPreviews)
{
    JobQueue queue;
    std::vector<JobStatus> progress;
    std::vector<JobPreview> previews;
    std::vector<JobOutcome> outcomes;
    int idles = 0;
    QObject::connect(&queue, &JobQueue::jobProgress, [&](const JobStatus& s) { progress.push_back(s); });
    QObject::connect(&queue, &JobQueue::jobPreview, [&](quint64, const JobPreview& p) {
        previews.push_back(p);
        queue.previewShown(); // as the preview dock does once it painted
    });
    QObject::connect(&queue, &JobQueue::jobFinished, [&](const JobOutcome& o) { outcomes.push_back(o); });
    QObject::connect(&queue, &JobQueue::idle, [&] { ++idles; });

    const JobTicket ticket = generateTicket(m_dir, QStringLiteral("take1"));
    const quint64 id = queue.enqueue(ticket);
    EXPECT_NE(id, 0u);
    EXPECT_EQ(queue.rowCount(), 1);
    EXPECT_EQ(stateOf(queue, id), JobState::Running);
    ASSERT_TRUE(waitIdle(queue));

    EXPECT_EQ(stateOf(queue, id), JobState::Done);
    EXPECT_EQ(idles, 1);
    ASSERT_EQ(progress.size(), 4u);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(progress[static_cast<size_t>(i)].id, id);
        EXPECT_EQ(progress[static_cast<size_t>(i)].step, i + 1);
        EXPECT_EQ(progress[static_cast<size_t>(i)].total, 4);
        EXPECT_GE(progress[static_cast<size_t>(i)].eta, 0.0);
    }
    EXPECT_LE(progress.front().elapsed, progress.back().elapsed);
    EXPECT_EQ(progress.back().eta, 0.0);
    ASSERT_FALSE(previews.empty());
    for (const JobPreview& p : previews) {
        ASSERT_EQ(p.frames.size(), 4u);
        EXPECT_EQ(p.frames.front().format(), QImage::Format_RGB888);
        EXPECT_EQ(p.total, 4);
    }
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_EQ(outcomes[0].id, id);
    EXPECT_EQ(outcomes[0].takeId, QStringLiteral("take1"));
    EXPECT_EQ(outcomes[0].diffusion.frames, 4);
    EXPECT_GT(outcomes[0].seconds, 0.0);
    EXPECT_EQ(readImageSequence(QString::fromStdString(ticket.diffusion.output)).size(), 4u);

    const QModelIndex row = queue.index(0);
    EXPECT_EQ(queue.data(row, Qt::DisplayRole).toString(), QStringLiteral("take1"));
    EXPECT_EQ(queue.data(row, JobQueue::StateRole).toInt(), static_cast<int>(JobState::Done));
    EXPECT_DOUBLE_EQ(queue.data(row, JobQueue::ProgressRole).toDouble(), 1.0);
    EXPECT_EQ(queue.data(row, JobQueue::IdRole).toULongLong(), id);
    EXPECT_FALSE(queue.data(row, JobQueue::MessageRole).toString().isEmpty());
    EXPECT_EQ(jobStateName(JobState::Done), QStringLiteral("Done"));
}

TEST_F(JobQueueTest, CancelFromTheFirstStepLeavesNoFiles)
{
    JobQueue queue;
    // Holds the worker after its first step until the GUI thread has cancelled, so that the
    // job cannot finish before the cancel lands however fast the machine is.
    QSemaphore cancelled;
    bool first = true;
    QObject::connect(
        queue.worker(), &JobWorker::progress, queue.worker(),
        [&](const JobStatus&) {
            if (std::exchange(first, false))
                cancelled.tryAcquire(1, 30000);
        },
        Qt::DirectConnection);
    std::vector<int> steps;
    QObject::connect(&queue, &JobQueue::jobProgress, [&](const JobStatus& s) {
        steps.push_back(s.step);
        queue.cancel(s.id);
        EXPECT_TRUE(queue.find(s.id)->cancelRequested);
        cancelled.release();
    });
    std::vector<quint64> cancelledIds;
    QObject::connect(&queue, &JobQueue::jobCancelled, [&](quint64 id) { cancelledIds.push_back(id); });

    const JobTicket ticket = generateTicket(m_dir, QStringLiteral("take1"));
    const quint64 id = queue.enqueue(ticket);
    ASSERT_TRUE(waitIdle(queue));

    EXPECT_EQ(stateOf(queue, id), JobState::Cancelled);
    EXPECT_EQ(cancelledIds, std::vector<quint64> { id });
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.back(), 1); // stopped within one step
    EXPECT_FALSE(outputExists(QString::fromStdString(ticket.diffusion.output)));
    EXPECT_FALSE(QFile::exists(sidecarPath(QString::fromStdString(ticket.diffusion.output))));
    EXPECT_FALSE(queue.find(id)->message.isEmpty());
}

TEST_F(JobQueueTest, MovedJobsRunInTheNewOrder)
{
    JobQueue queue;
    std::vector<quint64> started;
    QObject::connect(&queue, &JobQueue::jobStarted, [&](quint64 id) { started.push_back(id); });

    const quint64 a = queue.enqueue(generateTicket(m_dir, QStringLiteral("a"), 3));
    const quint64 b = queue.enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    const quint64 c = queue.enqueue(generateTicket(m_dir, QStringLiteral("c"), 3));
    const quint64 d = queue.enqueue(generateTicket(m_dir, QStringLiteral("d"), 3));
    EXPECT_EQ(stateOf(queue, a), JobState::Running);
    EXPECT_EQ(stateOf(queue, b), JobState::Queued);
    EXPECT_FALSE(queue.moveJob(a, 3)); // the running job stays where it is
    EXPECT_TRUE(queue.moveJob(d, 1)); // d runs before b
    EXPECT_EQ(queue.rowOf(d), 1);
    EXPECT_EQ(queue.rowOf(b), 2);
    std::vector<quint64> waiting;
    for (const JobTicket& t : queue.queuedTickets())
        waiting.push_back(t.id);
    EXPECT_EQ(waiting, (std::vector<quint64> { d, b, c }));

    ASSERT_TRUE(waitIdle(queue));
    EXPECT_EQ(started, (std::vector<quint64> { a, d, b, c }));
    for (const quint64 id : { a, b, c, d })
        EXPECT_EQ(stateOf(queue, id), JobState::Done);
    EXPECT_EQ(readImageSequence(m_dir.filePath(QStringLiteral("d/%04d.png"))).size(), 4u);
}

TEST_F(JobQueueTest, CancelQueuedLetsTheRunningJobFinish)
{
    JobQueue queue;
    std::vector<quint64> started;
    QObject::connect(&queue, &JobQueue::jobStarted, [&](quint64 id) { started.push_back(id); });
    const quint64 a = queue.enqueue(generateTicket(m_dir, QStringLiteral("a"), 3));
    const quint64 b = queue.enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    const quint64 c = queue.enqueue(generateTicket(m_dir, QStringLiteral("c"), 3));
    queue.cancelQueued();
    EXPECT_EQ(stateOf(queue, b), JobState::Cancelled); // at once, without the worker
    EXPECT_EQ(stateOf(queue, c), JobState::Cancelled);
    EXPECT_TRUE(queue.queuedTickets().empty());

    ASSERT_TRUE(waitIdle(queue));
    EXPECT_EQ(stateOf(queue, a), JobState::Done);
    EXPECT_EQ(started, std::vector<quint64> { a });
    EXPECT_FALSE(outputExists(m_dir.filePath(QStringLiteral("b/%04d.png"))));

    queue.clearFinished();
    EXPECT_EQ(queue.rowCount(), 0);
}

TEST_F(JobQueueTest, AFailedJobNamesTheFolderAndTheNextOneRuns)
{
    JobQueue queue;
    QString failure;
    QObject::connect(
        &queue, &JobQueue::jobFailed, [&](quint64, const QString& message) { failure = message; });
    JobTicket broken = generateTicket(m_dir, QStringLiteral("broken"));
    broken.diffusion.modelDir = m_dir.filePath(QStringLiteral("no-such-pack")).toStdString();
    const quint64 a = queue.enqueue(broken);
    const quint64 b = queue.enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    ASSERT_TRUE(waitIdle(queue));

    EXPECT_EQ(stateOf(queue, a), JobState::Failed);
    EXPECT_TRUE(failure.contains(QStringLiteral("no-such-pack"))) << failure.toStdString();
    EXPECT_FALSE(failure.contains(QLatin1Char('\n')));
    EXPECT_EQ(queue.find(a)->message, failure);
    EXPECT_TRUE(queue.data(queue.index(0), Qt::ToolTipRole).toString().contains(failure));
    EXPECT_EQ(stateOf(queue, b), JobState::Done);
}

TEST_F(JobQueueTest, RemoveRefusesTheRunningRow)
{
    JobQueue queue;
    const quint64 a = queue.enqueue(generateTicket(m_dir, QStringLiteral("a"), 3));
    const quint64 b = queue.enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    EXPECT_FALSE(queue.remove(a));
    EXPECT_TRUE(queue.remove(b));
    EXPECT_EQ(queue.rowCount(), 1);
    EXPECT_EQ(queue.find(b), nullptr);
    ASSERT_TRUE(waitIdle(queue));
    EXPECT_EQ(stateOf(queue, a), JobState::Done);
    EXPECT_FALSE(outputExists(m_dir.filePath(QStringLiteral("b/%04d.png"))));
    EXPECT_TRUE(queue.remove(a));
    EXPECT_EQ(queue.rowCount(), 0);
}

TEST_F(JobQueueTest, ADropMovesQueuedRows)
{
    JobQueue queue;
    std::vector<quint64> started;
    QObject::connect(&queue, &JobQueue::jobStarted, [&](quint64 id) { started.push_back(id); });
    const quint64 a = queue.enqueue(generateTicket(m_dir, QStringLiteral("a"), 3));
    const quint64 b = queue.enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    const quint64 c = queue.enqueue(generateTicket(m_dir, QStringLiteral("c"), 3));
    const quint64 d = queue.enqueue(generateTicket(m_dir, QStringLiteral("d"), 3));

    EXPECT_FALSE(queue.flags(queue.index(0)).testFlag(Qt::ItemIsDragEnabled)); // running
    EXPECT_TRUE(queue.flags(queue.index(3)).testFlag(Qt::ItemIsDragEnabled));
    EXPECT_FALSE(queue.flags(queue.index(3)).testFlag(Qt::ItemIsDropEnabled)); // not onto a row
    EXPECT_TRUE(queue.flags({}).testFlag(Qt::ItemIsDropEnabled));
    EXPECT_EQ(queue.mimeData({ queue.index(0) }), nullptr);

    const std::unique_ptr<QMimeData> dragged(queue.mimeData({ queue.index(3) }));
    ASSERT_NE(dragged, nullptr);
    EXPECT_TRUE(dragged->hasFormat(QString::fromLatin1(JobQueue::kMimeType)));
    EXPECT_FALSE(queue.canDropMimeData(dragged.get(), Qt::CopyAction, 1, 0, {}));
    ASSERT_TRUE(queue.canDropMimeData(dragged.get(), Qt::MoveAction, 1, 0, {}));
    EXPECT_TRUE(queue.dropMimeData(dragged.get(), Qt::MoveAction, 1, 0, {})); // between a and b
    EXPECT_EQ(queue.rowCount(), 4);
    EXPECT_EQ(queue.rowOf(d), 1);
    EXPECT_EQ(queue.rowOf(b), 2);
    // The same drop again, now to the end: still four rows, d last.
    EXPECT_TRUE(queue.dropMimeData(dragged.get(), Qt::MoveAction, -1, 0, {}));
    EXPECT_EQ(queue.rowCount(), 4);
    EXPECT_EQ(queue.rowOf(d), 3);
    // Two rows at once, before b: they keep their order.
    const std::unique_ptr<QMimeData> both(queue.mimeData({ queue.index(3), queue.index(2) }));
    EXPECT_TRUE(queue.dropMimeData(both.get(), Qt::MoveAction, 1, 0, {}));
    EXPECT_EQ(queue.rowCount(), 4);
    std::vector<quint64> waiting;
    for (const JobTicket& t : queue.queuedTickets())
        waiting.push_back(t.id);
    EXPECT_EQ(waiting, (std::vector<quint64> { c, d, b }));

    ASSERT_TRUE(waitIdle(queue));
    EXPECT_EQ(started, (std::vector<quint64> { a, c, d, b }));
}

TEST_F(JobQueueTest, CancelAllAndClosingStopTheRunningJob)
{
    auto queue = std::make_unique<JobQueue>();
    const quint64 a = queue->enqueue(generateTicket(m_dir, QStringLiteral("a"), 200));
    const quint64 b = queue->enqueue(generateTicket(m_dir, QStringLiteral("b"), 3));
    ASSERT_TRUE(QTest::qWaitFor([&] { return queue->find(a)->status.step >= 1; }, 60000));
    queue->cancelAll();
    EXPECT_EQ(stateOf(*queue, b), JobState::Cancelled);
    ASSERT_TRUE(waitIdle(*queue));
    EXPECT_EQ(stateOf(*queue, a), JobState::Cancelled);
    EXPECT_FALSE(outputExists(m_dir.filePath(QStringLiteral("a/%04d.png"))));

    // Closing while a long job runs returns within a step, and leaves nothing behind.
    queue->enqueue(generateTicket(m_dir, QStringLiteral("c"), 200));
    queue.reset();
    EXPECT_FALSE(outputExists(m_dir.filePath(QStringLiteral("c/%04d.png"))));
}

TEST_F(JobQueueTest, ATimelineExportRunsLikeAnExportOnItsSnapshot)
{
    std::vector<QImage> frames;
    for (int i = 0; i < 6; ++i) {
        frames.emplace_back(32, 24, QImage::Format_RGB888);
        frames.back().fill(qRgb(40 * i, 80, 160));
    }
    ASSERT_TRUE(writeImageSequence(m_dir.filePath(QStringLiteral("take/%04d.png")), frames, false));
    SourceDetails take;
    take.id = QStringLiteral("take-1");
    take.isTake = true;
    take.path = m_dir.filePath(QStringLiteral("take/%04d.png"));
    take.frames = 6;
    take.size = QSize(32, 24);
    Timeline timeline;
    TimelineClip clip;
    clip.sourceId = take.id;
    clip.sourceFrames = 6;
    clip.length = 6;
    timeline.add(clip);

    JobTicket ticket;
    ticket.kind = JobKind::TimelineExport;
    ticket.timelineExport.timeline = timeline; // the snapshot
    ticket.timelineExport.sources = { { take.id, take } };
    ticket.timelineExport.output = m_dir.filePath(QStringLiteral("cut.mp4"));
    clip.start = 6; // an edit after the snapshot was taken never reaches the file
    timeline.add(clip);

    JobQueue queue;
    std::vector<JobStatus> progress;
    std::vector<JobOutcome> outcomes;
    QObject::connect(&queue, &JobQueue::jobProgress, [&](const JobStatus& s) { progress.push_back(s); });
    QObject::connect(&queue, &JobQueue::jobFinished, [&](const JobOutcome& o) { outcomes.push_back(o); });
    const quint64 id = queue.enqueue(ticket);
    EXPECT_EQ(queue.data(queue.index(queue.rowOf(id)), Qt::DisplayRole).toString(),
        QStringLiteral("Export timeline → cut.mp4"));
    ASSERT_TRUE(waitIdle(queue));
    ASSERT_EQ(stateOf(queue, id), JobState::Done) << queue.find(id)->message.toStdString();
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_EQ(outcomes[0].kind, JobKind::TimelineExport);
    EXPECT_EQ(outcomes[0].transcode.frames, 6);
    EXPECT_EQ(outcomes[0].transcode.output, ticket.timelineExport.output);
    EXPECT_EQ(probeMedia(outcomes[0].transcode.output).frames, 6);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().step, 6);
    EXPECT_EQ(progress.back().total, 6);
    EXPECT_EQ(queue.data(queue.index(queue.rowOf(id)), JobQueue::ProgressRole).toDouble(), 1.0);
    EXPECT_TRUE(queue.find(id)->message.startsWith(QStringLiteral("6 frames")))
        << queue.find(id)->message.toStdString();
}
