#include "kinora/ui/queue_panel.h"

#include "gui_test_support.h"
#include "kinora/core/job_queue.h"

#include <QAction>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

#include <memory>
#include <set>

using kinora::core::DiffusionTask;
using kinora::core::JobKind;
using kinora::core::JobQueue;
using kinora::core::JobState;
using kinora::core::JobTicket;
using kinora::test::waitFor;
using kinora::ui::QueuePanel;

namespace {

class QueuePanelTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        kinora::test::useTemporaryDataDir();
        ASSERT_TRUE(m_dir.isValid());
        m_queue = std::make_unique<JobQueue>();
        m_panel = std::make_unique<QueuePanel>(m_queue.get());
        m_panel->resize(420, 400);
        m_panel->show();
    }
    void TearDown() override
    {
        m_panel.reset();
        m_queue.reset(); // cancels a running job and waits for it
    }

    // A take made with the tiny pack; with many steps it runs long enough to queue behind it.
    JobTicket generateTicket(const QString& take, int steps)
    {
        JobTicket ticket;
        ticket.kind = JobKind::Diffusion;
        ticket.title = take;
        ticket.takeId = take;
        auto& r = ticket.diffusion;
        r.task = DiffusionTask::Generate;
        r.prompt = "a lighthouse at dusk";
        r.output = (m_dir.filePath(take + QStringLiteral("/%04d.png"))).toStdString();
        r.modelDir = kinora::test::tinyPackDir().toStdString();
        r.frames = 4;
        r.width = 16;
        r.height = 16;
        r.steps = steps;
        r.seed = 7;
        r.device = "cpu";
        return ticket;
    }

    // An export of footage that does not exist: fails as soon as it runs.
    JobTicket failingExport(const QString& title)
    {
        JobTicket ticket;
        ticket.kind = JobKind::Export;
        ticket.title = title;
        ticket.transcode.input = m_dir.filePath(QStringLiteral("no-such-clip.mp4"));
        ticket.transcode.output = m_dir.filePath(title + QStringLiteral(".mp4"));
        return ticket;
    }

    JobState state(int row) const { return m_queue->rows().at(static_cast<size_t>(row)).state; }
    QStringList titles() const
    {
        QStringList out;
        for (const auto& row : m_queue->rows())
            out << row.ticket.title;
        return out;
    }
    QToolButton* button(const char* name) const
    {
        return m_panel->findChild<QToolButton*>(QString::fromLatin1(name));
    }
    QListView* list() const { return m_panel->findChild<QListView*>(QStringLiteral("jobList")); }
    bool waitIdle() const
    {
        return waitFor([this] { return !m_queue->isBusy(); }, 60000);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<QueuePanel> m_panel;
};

} // namespace

TEST_F(QueuePanelTest, AnEmptyQueueHasNothingToPress)
{
    ASSERT_NE(list(), nullptr);
    EXPECT_EQ(list()->model()->rowCount(), 0);
    for (const char* name : { "cancelButton", "cancelQueuedButton", "removeButton", "clearFinishedButton" }) {
        ASSERT_NE(button(name), nullptr) << name;
        EXPECT_FALSE(button(name)->isEnabled()) << name;
        EXPECT_FALSE(button(name)->toolTip().isEmpty()) << name;
    }
    // The hint is drawn into the otherwise plain view.
    const QImage shot = list()->viewport()->grab().toImage();
    std::set<QRgb> colours;
    for (int y = 0; y < shot.height(); y += 2)
        for (int x = 0; x < shot.width(); x += 2)
            colours.insert(shot.pixel(x, y));
    EXPECT_GT(colours.size(), 1u);
}

TEST_F(QueuePanelTest, AFailedJobSaysWhyInRed)
{
    m_queue->enqueue(failingExport(QStringLiteral("Broken export")));
    ASSERT_TRUE(waitFor([this] { return state(0) == JobState::Failed; }, 30000));
    const QString text = m_panel->rowText(0);
    EXPECT_TRUE(text.startsWith(QStringLiteral("Broken export · Failed · "))) << text.toStdString();
    EXPECT_GT(text.size(), QStringLiteral("Broken export · Failed · x").size()) << "the error is shown";

    const QImage shot = list()->viewport()->grab().toImage().convertToFormat(QImage::Format_RGB888);
    int reddish = 0;
    for (int y = 0; y < 52 && y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x) {
            const QColor c = shot.pixelColor(x, y);
            reddish += c.red() > 180 && c.green() < 120 && c.blue() < 120;
        }
    EXPECT_GT(reddish, 10) << "the state is drawn in the failure colour";

    EXPECT_TRUE(button("clearFinishedButton")->isEnabled());
    EXPECT_FALSE(button("cancelButton")->isEnabled());
    QTest::mouseClick(button("clearFinishedButton"), Qt::LeftButton);
    EXPECT_EQ(m_queue->rowCount(), 0);
}

TEST_F(QueuePanelTest, CancelStopsTheSelectedQueuedJobThenTheRunningOne)
{
    m_queue->enqueue(generateTicket(QStringLiteral("long"), 1000));
    m_queue->enqueue(failingExport(QStringLiteral("second")));
    m_queue->enqueue(failingExport(QStringLiteral("third")));
    ASSERT_EQ(state(0), JobState::Running);
    EXPECT_TRUE(button("cancelQueuedButton")->isEnabled());

    list()->setCurrentIndex(m_queue->index(1));
    ASSERT_EQ(m_panel->selectedJobs().size(), 1);
    ASSERT_TRUE(button("cancelButton")->isEnabled());
    QTest::mouseClick(button("cancelButton"), Qt::LeftButton);
    EXPECT_EQ(state(1), JobState::Cancelled);
    EXPECT_EQ(state(0), JobState::Running);
    EXPECT_TRUE(m_panel->rowText(1).contains(QStringLiteral("Cancelled")));
    EXPECT_FALSE(button("cancelButton")->isEnabled()) << "a cancelled row cannot be cancelled again";

    // Nothing selected: the button stops the running job.
    list()->clearSelection();
    ASSERT_TRUE(button("cancelButton")->isEnabled());
    QTest::mouseClick(button("cancelButton"), Qt::LeftButton);
    ASSERT_TRUE(waitFor([this] { return state(0) == JobState::Cancelled; }, 30000));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(state(2), JobState::Failed) << "the job still waiting ran after the cancelled one";
}

TEST_F(QueuePanelTest, CancelQueuedLetsTheRunningTakeFinish)
{
    m_queue->enqueue(generateTicket(QStringLiteral("long"), 1000));
    m_queue->enqueue(failingExport(QStringLiteral("second")));
    m_queue->enqueue(failingExport(QStringLiteral("third")));
    QTest::mouseClick(button("cancelQueuedButton"), Qt::LeftButton);
    EXPECT_EQ(state(0), JobState::Running);
    EXPECT_EQ(state(1), JobState::Cancelled);
    EXPECT_EQ(state(2), JobState::Cancelled);
    EXPECT_FALSE(button("cancelQueuedButton")->isEnabled());
    EXPECT_TRUE(button("clearFinishedButton")->isEnabled());
    QTest::mouseClick(button("clearFinishedButton"), Qt::LeftButton);
    EXPECT_EQ(titles(), QStringList { QStringLiteral("long") });
    EXPECT_TRUE(m_panel->rowText(0).contains(QStringLiteral("Running"))) << m_panel->rowText(0).toStdString();
    // Once its steps come in, the running row counts them and says how long is left.
    ASSERT_TRUE(waitFor([this] { return m_panel->rowText(0).contains(QStringLiteral("left")); }, 30000))
        << m_panel->rowText(0).toStdString();
    EXPECT_TRUE(m_panel->rowText(0).contains(QStringLiteral("/1000"))) << m_panel->rowText(0).toStdString();
}

TEST_F(QueuePanelTest, DraggingReordersWaitingJobsWithoutLosingAny)
{
    m_queue->enqueue(generateTicket(QStringLiteral("long"), 1000));
    for (const char* title : { "A", "B", "C" })
        m_queue->enqueue(failingExport(QString::fromLatin1(title)));

    // As a view drops: the model's own MIME data for the dragged row, dropped before row 1.
    {
        std::unique_ptr<QMimeData> dragged(m_queue->mimeData({ m_queue->index(3) }));
        ASSERT_NE(dragged, nullptr);
        ASSERT_TRUE(m_queue->dropMimeData(dragged.get(), Qt::MoveAction, 1, 0, {}));
    }
    EXPECT_EQ(titles(), (QStringList { "long", "C", "A", "B" }));

    // Through the list itself: drag B onto the upper edge of row 1.
    QListView* view = list();
    view->setCurrentIndex(m_queue->index(3));
    std::unique_ptr<QMimeData> dragged(m_queue->mimeData(view->selectionModel()->selectedIndexes()));
    ASSERT_NE(dragged, nullptr);
    const QPoint at = view->visualRect(m_queue->index(1)).topLeft() + QPoint(10, 1);
    QDragEnterEvent enter(at, Qt::MoveAction, dragged.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(at, Qt::MoveAction, dragged.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &move);
    ASSERT_TRUE(move.isAccepted());
    QDropEvent drop(at, Qt::MoveAction, dragged.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &drop);
    EXPECT_EQ(titles(), (QStringList { "long", "B", "C", "A" }));

    // A running row does not drag.
    EXPECT_EQ(m_queue->mimeData({ m_queue->index(0) }), nullptr);

    // The context menu's "Move to top" puts A first among the waiting jobs.
    QMenu menu;
    m_panel->fillContextMenu(menu, m_queue->index(3));
    auto* top = menu.findChild<QAction*>(QStringLiteral("moveToTopAction"));
    ASSERT_NE(top, nullptr);
    ASSERT_TRUE(top->isEnabled());
    top->trigger();
    EXPECT_EQ(titles(), (QStringList { "long", "A", "B", "C" }));
}

TEST_F(QueuePanelTest, DeleteRemovesFinishedRowsButNotTheRunningOne)
{
    m_queue->enqueue(failingExport(QStringLiteral("broken")));
    ASSERT_TRUE(waitFor([this] { return state(0) == JobState::Failed; }, 30000));
    m_queue->enqueue(generateTicket(QStringLiteral("long"), 1000));
    ASSERT_EQ(state(1), JobState::Running);

    list()->setFocus();
    list()->selectAll();
    ASSERT_EQ(m_panel->selectedJobs().size(), 2);
    EXPECT_TRUE(button("removeButton")->isEnabled());
    QTest::keyClick(list(), Qt::Key_Delete);
    EXPECT_EQ(titles(), QStringList { QStringLiteral("long") });

    list()->selectAll();
    EXPECT_FALSE(button("removeButton")->isEnabled());
    QTest::keyClick(list(), Qt::Key_Delete);
    EXPECT_EQ(m_queue->rowCount(), 1);
}

TEST_F(QueuePanelTest, ADoneTakePlaysOnDoubleClick)
{
    QSignalSpy play(m_panel.get(), &QueuePanel::playRequested);
    m_queue->enqueue(generateTicket(QStringLiteral("take-1"), 2));
    ASSERT_TRUE(waitFor([this] { return state(0) != JobState::Running; }, 60000));
    ASSERT_EQ(state(0), JobState::Done) << m_queue->rows().front().message.toStdString();
    EXPECT_TRUE(m_panel->rowText(0).contains(QStringLiteral("Done")));

    QMenu menu;
    m_panel->fillContextMenu(menu, m_queue->index(0));
    ASSERT_NE(menu.findChild<QAction*>(QStringLiteral("playAction")), nullptr);
    EXPECT_EQ(menu.findChild<QAction*>(QStringLiteral("showInFolderAction")), nullptr);
    EXPECT_FALSE(menu.findChild<QAction*>(QStringLiteral("cancelAction"))->isEnabled());

    const QRect row = list()->visualRect(m_queue->index(0));
    EXPECT_GE(row.height(), 52);
    // Qt's test double click is the second click only: the first comes before it.
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
    QTest::mouseDClick(list()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
    ASSERT_EQ(play.count(), 1);
    EXPECT_EQ(play.at(0).at(0).toString(), QStringLiteral("take-1"));
}

TEST_F(QueuePanelTest, ADoneExportOffersItsFolder)
{
    m_queue->enqueue(generateTicket(QStringLiteral("take-1"), 2));
    JobTicket exportTicket;
    exportTicket.kind = JobKind::Export;
    exportTicket.title = QStringLiteral("Export take-1");
    exportTicket.transcode.input = m_dir.filePath(QStringLiteral("take-1/%04d.png"));
    exportTicket.transcode.output = m_dir.filePath(QStringLiteral("take-1.mp4"));
    m_queue->enqueue(exportTicket);
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(state(1), JobState::Done) << m_queue->rows().at(1).message.toStdString();

    QMenu menu;
    m_panel->fillContextMenu(menu, m_queue->index(1));
    EXPECT_NE(menu.findChild<QAction*>(QStringLiteral("showInFolderAction")), nullptr);
    EXPECT_EQ(menu.findChild<QAction*>(QStringLiteral("playAction")), nullptr);
    EXPECT_TRUE(menu.findChild<QAction*>(QStringLiteral("removeAction"))->isEnabled());
    EXPECT_FALSE(menu.findChild<QAction*>(QStringLiteral("moveToTopAction"))->isEnabled());

    QSignalSpy play(m_panel.get(), &QueuePanel::playRequested);
    const QRect row = list()->visualRect(m_queue->index(1));
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
    QTest::mouseDClick(list()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
    EXPECT_EQ(play.count(), 0) << "an export is not a take to play";
}
