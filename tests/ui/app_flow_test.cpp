// The window's main flows, driven as a user drives them, on the real engine (an untrained tiny
// pack) and the real encoder: type a prompt and press Ctrl+Enter, cancel, reorder the queue, make a
// take again, save and reopen, open a damaged file, recover after a crash, export a take.

#include "gui_test_support.h"
#include "window_fixture.h"

#include "../app/process.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/job_queue.h"
#include "kinora/core/project.h"
#include "kinora/ui/export_dialog.h"
#include "kinora/ui/main_window.h"
#include "kinora/ui/preview_panel.h"
#include "kinora/ui/project_controller.h"
#include "kinora/ui/prompt_panel.h"
#include "kinora/ui/settings_panel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

using kinora::core::JobQueue;
using kinora::core::JobState;
using kinora::ui::MainWindow;

namespace {

class AppFlow : public kinora::test::WindowFixture {
protected:
    void SetUp() override
    {
        kinora::test::useTemporaryDataDir();
        kinora::test::setTinyPackAsModel();
        openWindow();
    }

    template <typename T> T* child(const char* name) const
    {
        auto* widget = m_window->findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(widget, nullptr) << name;
        return widget;
    }

    void setSteps(int steps) { child<QSpinBox>("stepsSpin")->setValue(steps); }

    void typePrompt(const QString& text)
    {
        auto* edit = child<QPlainTextEdit>("promptEdit");
        edit->clear();
        edit->setFocus();
        QTest::keyClicks(edit, text);
    }

    QImage takeFrame(const kinora::core::TakeRecord& take, int index) const
    {
        return QImage(
            kinora::core::sequenceFramePath(m_window->project()->absoluteFramesPattern(take), index));
    }
};

TEST_F(AppFlow, PromptAndCtrlEnterMakeATakeWithLivePreviews)
{
    setSteps(6);
    QSignalSpy progress(m_window->jobQueue(), &JobQueue::jobProgress);
    QSignalSpy painted(m_window->previewPanel(), &kinora::ui::PreviewPanel::previewPainted);
    typePrompt(QStringLiteral("a red circle moving left on a blue background"));
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    ASSERT_EQ(m_window->jobQueue()->rowCount(), 1);
    ASSERT_TRUE(kinora::test::waitFor([this] { return m_window->project()->takes().size() == 1; }));

    // Every step reported, in order; at least one preview painted, and never a step twice.
    std::vector<int> steps;
    for (const auto& args : progress)
        steps.push_back(args.at(0).value<kinora::core::JobStatus>().step);
    ASSERT_EQ(steps.size(), 6u);
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(steps[static_cast<size_t>(i)], i + 1);
    ASSERT_GE(painted.size(), 1);
    int last = 0;
    for (const auto& args : painted) {
        EXPECT_GT(args.at(1).toInt(), last);
        last = args.at(1).toInt();
    }

    const auto& take = m_window->project()->takes().front();
    EXPECT_EQ(take.prompt, QStringLiteral("a red circle moving left on a blue background"));
    EXPECT_GT(take.frames, 1);
    EXPECT_FALSE(takeFrame(take, take.frames - 1).isNull());
    EXPECT_TRUE(takeFrame(take, take.frames).isNull()); // exactly `frames` frames
    EXPECT_FALSE(take.weightsHash.isEmpty());
    EXPECT_EQ(m_window->jobQueue()->rows().front().state, JobState::Done);
    // The finished take plays in the preview.
    EXPECT_EQ(m_window->previewPanel()->frameCount(), take.frames);
}

TEST_F(AppFlow, CancelStopsWithinAStepAndLeavesNothing)
{
    setSteps(400);
    typePrompt(QStringLiteral("a green square standing still on a black background"));
    int stepAtCancel = 0;
    int lastStep = 0;
    auto* queue = m_window->jobQueue();
    QObject::connect(queue, &JobQueue::jobProgress, m_window.get(), [&](const kinora::core::JobStatus& s) {
        lastStep = s.step;
        if (s.step == 3 && stepAtCancel == 0) {
            stepAtCancel = s.step;
            m_window->findChild<QAction*>(QStringLiteral("actionCancelJob"))->trigger();
        }
    });
    const auto ids = m_window->generate();
    ASSERT_EQ(ids.size(), 1);
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(queue->find(ids.front())->state, JobState::Cancelled);
    EXPECT_EQ(stepAtCancel, 3);
    EXPECT_LE(lastStep, stepAtCancel + 1); // within one step
    EXPECT_TRUE(m_window->project()->takes().empty());
    const QString pattern = m_window->project()->takeFramesPattern(queue->find(ids.front())->ticket.takeId);
    EXPECT_TRUE(kinora::core::existingSequenceFiles(pattern).isEmpty());
    // No hidden partial folder either.
    const QDir takes(QDir(m_window->project()->mediaDir()).filePath(QStringLiteral("takes")));
    EXPECT_TRUE(takes.entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty()
        || !QFileInfo(pattern).dir().exists());
}

TEST_F(AppFlow, ThreeQueuedJobsRunInTheOrderTheyWereMovedTo)
{
    setSteps(150); // the first runs long enough to reorder the others behind it
    auto* queue = m_window->jobQueue();
    QStringList started;
    QObject::connect(queue, &JobQueue::jobStarted, m_window.get(),
        [&](quint64 id) { started << QString::fromStdString(queue->find(id)->ticket.diffusion.prompt); });
    typePrompt(QStringLiteral("first"));
    m_window->generate();
    setSteps(3);
    typePrompt(QStringLiteral("second"));
    m_window->generate();
    typePrompt(QStringLiteral("third"));
    const auto third = m_window->generate();
    ASSERT_EQ(third.size(), 1);
    ASSERT_TRUE(queue->moveJob(third.front(), 1));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(started,
        (QStringList { QStringLiteral("first"), QStringLiteral("third"), QStringLiteral("second") }));
    ASSERT_EQ(m_window->project()->takes().size(), 3u);
    EXPECT_EQ(m_window->project()->takes()[1].prompt, QStringLiteral("third"));
}

TEST_F(AppFlow, MakeAgainGivesIdenticalFramesAndAVariationDoesNot)
{
    setSteps(4);
    typePrompt(QStringLiteral("a yellow star moving up"));
    m_window->generate();
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(m_window->project()->takes().size(), 1u);
    const QString first = m_window->project()->takes()[0].id;
    ASSERT_NE(m_window->makeAgain(first, false), 0u);
    ASSERT_TRUE(waitIdle());
    ASSERT_NE(m_window->makeAgain(first, true), 0u);
    ASSERT_TRUE(waitIdle());
    const auto& takes = m_window->project()->takes();
    ASSERT_EQ(takes.size(), 3u);
    EXPECT_EQ(takes[1].seed, takes[0].seed);
    EXPECT_NE(takes[2].seed, takes[0].seed);
    ASSERT_EQ(takes[1].frames, takes[0].frames);
    for (int i = 0; i < takes[0].frames; ++i)
        EXPECT_EQ(takeFrame(takes[1], i), takeFrame(takes[0], i)) << "frame " << i;
    bool differs = false;
    for (int i = 0; i < takes[0].frames; ++i)
        differs = differs || takeFrame(takes[2], i) != takeFrame(takes[0], i);
    EXPECT_TRUE(differs);
}

TEST_F(AppFlow, SaveThenReopenGivesTheSameDocument)
{
    setSteps(3);
    typePrompt(QStringLiteral("a cyan triangle moving right"));
    m_window->generate();
    ASSERT_TRUE(waitIdle());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("film.kinora"));
    ASSERT_EQ(m_window->projects()->saveToPath(path), QString());
    EXPECT_FALSE(m_window->project()->isModified());
    const QJsonObject saved = m_window->project()->toJson();
    const auto& take = m_window->project()->takes().front();
    EXPECT_TRUE(
        QFileInfo(m_window->project()->absoluteFramesPattern(take)).absolutePath().startsWith(dir.path()));

    MainWindow other;
    other.setInteractive(false);
    ASSERT_EQ(other.projects()->openPath(path), QString());
    EXPECT_EQ(other.project()->toJson(), saved);
    ASSERT_EQ(other.project()->takes().size(), 1u);
    EXPECT_FALSE(QImage(kinora::core::sequenceFramePath(
                            other.project()->absoluteFramesPattern(other.project()->takes().front()), 0))
                     .isNull());
}

TEST_F(AppFlow, ADamagedProjectFileIsReportedAndLeftAsItWas)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.kinora"));
    const QByteArray bytes = "{\"format_version\": 1, \"takes\": [ {\"id\": \"take-1\", ";
    {
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    const QString before = m_window->project()->displayName();
    const QString message = m_window->projects()->openPath(path);
    EXPECT_FALSE(message.isEmpty());
    EXPECT_TRUE(message.contains(QStringLiteral("broken.kinora"))) << message.toStdString();
    EXPECT_EQ(m_window->project()->displayName(), before); // the open project is kept
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(file.readAll(), bytes);
}

TEST_F(AppFlow, ATakeSurvivesACrashThroughTheRecoveryFile)
{
    // Close the fixture's window so that only the crashing session's recovery exists.
    m_window->close();
    m_window.reset();
    QTemporaryDir frames;
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The crashing session: a project with one finished take, autosaved, then killed without
        // any clean-up (no destructors, no discardRecovery).
        kinora::core::Project project;
        kinora::core::TakeRecord take;
        take.id = project.newTakeId();
        take.name = QStringLiteral("survivor");
        const QString pattern = project.takeFramesPattern(take.id);
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::red);
        const bool written = kinora::core::writeImageSequence(pattern, { image, image }, false);
        take.framesPattern = QDir(project.mediaDir()).relativeFilePath(pattern);
        take.frames = 2;
        take.width = take.height = 8;
        take.fps = 8;
        project.addTake(take);
        project.writeRecovery();
        ::kill(::getpid(), SIGKILL);
        std::_Exit(written ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));

    MainWindow next;
    next.setInteractive(false);
    ASSERT_TRUE(next.projects()->offerRecovery(false));
    ASSERT_EQ(next.project()->takes().size(), 1u);
    const auto& take = next.project()->takes().front();
    EXPECT_EQ(take.name, QStringLiteral("survivor"));
    EXPECT_TRUE(next.project()->isModified());
    EXPECT_EQ(QImage(kinora::core::sequenceFramePath(next.project()->absoluteFramesPattern(take), 1))
                  .pixelColor(0, 0),
        QColor(Qt::red));
}

TEST_F(AppFlow, ExportingATakeWritesAFileFfprobeReads)
{
    setSteps(3);
    typePrompt(QStringLiteral("a magenta circle moving down"));
    m_window->generate();
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(m_window->project()->takes().size(), 1u);
    const auto take = m_window->project()->takes().front();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("export.mp4"));
    QTimer::singleShot(0, [out] {
        auto* dialog = qobject_cast<kinora::ui::ExportDialog*>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        dialog->findChild<QLineEdit*>(QStringLiteral("outputEdit"))->setText(out);
        dialog->accept();
    });
    m_window->exportTake(take.id);
    ASSERT_TRUE(waitIdle());
    ASSERT_TRUE(QFileInfo::exists(out));
    const auto probe = kinora::test::runProcess("ffprobe",
        { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
            "-of", "csv=p=0", out.toStdString() },
        kinora::test::ProcessOptions::fromPath());
    ASSERT_EQ(probe.exitCode, 0) << probe.err;
    EXPECT_EQ(std::stoi(probe.out), take.frames);
}

} // namespace
