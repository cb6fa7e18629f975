// The timeline view driven as a user does: drops from the bin, mouse drags that move and trim
// clips, the ruler, the keys, zoom around the mouse — each checked on the project's timeline, the
// undo stack and the Transport.

#include "timeline_fixture.h"

#include "kinora/ui/source_mime.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;
using test::TimelineViewTest;

namespace {

// Drags `ref` over the view to `pos` and drops it there; returns whether the drop was accepted.
bool dropSource(ui::TimelineView* view, const ui::SourceRef& ref, QPointF pos, bool* indicated = nullptr)
{
    std::unique_ptr<QMimeData> mime(ui::sourceMimeData(ref));
    QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &enter);
    if (!enter.isAccepted())
        return false;
    QDragMoveEvent move(pos.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &move);
    if (indicated)
        *indicated = view->dropIndicator().has_value();
    QDropEvent drop(pos, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &drop);
    return drop.isAccepted();
}

TEST_F(TimelineViewTest, ADropPlacesTheSourceAtTheFrameUnderThePoint)
{
    QSignalSpy selected(panel.get(), &ui::TimelinePanel::clipSelected);
    bool indicated = false;
    ASSERT_TRUE(dropSource(view, { true, take.id }, pointAt(30.5, 1), &indicated));
    EXPECT_TRUE(indicated);
    EXPECT_FALSE(view->dropIndicator()) << "the indicator goes with the drop";

    ASSERT_EQ(project->timeline().clips().size(), 1u);
    const core::TimelineClip& clip = project->timeline().clips().front();
    EXPECT_EQ(clip.start, 30);
    EXPECT_EQ(clip.track, 1);
    EXPECT_EQ(clip.length, 48);
    EXPECT_EQ(clip.sourceId, take.id);
    EXPECT_EQ(stack.count(), 1);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Add “Red fox” to the timeline"));
    EXPECT_EQ(panel->selectedClipId(), clip.id);
    ASSERT_EQ(selected.count(), 1);
    EXPECT_EQ(selected.at(0).at(0).toString(), clip.id);
    EXPECT_EQ(transport.duration(), 78);

    // Something that is not a source is refused.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent enter(pointAt(5, 0).toPoint(), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &enter);
    EXPECT_FALSE(enter.isAccepted());
}

TEST_F(TimelineViewTest, TheFirstDropOnAnEmptyTimelineSetsItsRate)
{
    const core::MediaRecord street
        = test::addFakeMedia(*project, QStringLiteral("street"), 300, { 30, 1 }, true);
    ASSERT_TRUE(dropSource(view, { false, street.id }, pointAt(0.5, 0)));
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 30, 1 }));
    EXPECT_EQ(transport.rate(), (core::Rational { 30, 1 }));
    EXPECT_EQ(transport.duration(), 300);
    EXPECT_TRUE(project->timeline().clips().front().hasAudio);
    // The rate came in the same step as the clip.
    EXPECT_EQ(stack.count(), 1);
    stack.undo();
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 24, 1 }));

    // A later drop is conformed to the timeline's rate: 48 frames at 24 fps on a 30 fps timeline.
    stack.redo();
    view->setZoom(1, ui::TimelineLayout::kHeaderWidth);
    ASSERT_TRUE(dropSource(view, { true, take.id }, pointAt(400.5, 2)));
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 30, 1 }));
    const core::TimelineClip* conformed = project->timeline().clipAt(2, 400);
    ASSERT_TRUE(conformed);
    EXPECT_EQ(conformed->length, 60);
}

TEST_F(TimelineViewTest, DraggingAClipMovesItInOneUndoStep)
{
    setClips({ test::fakeClip(take.id, 10, 40, 0, 48) });
    const QString id = project->timeline().clips().front().id;
    QSignalSpy selected(view, &ui::TimelineView::clipSelected);

    // Grab it in the middle, 50 frames right and two tracks up, in 40 mouse moves.
    drag(pointAt(30.5, 0), pointAt(80.5, 2), 40);
    const core::TimelineClip* moved = project->timeline().clip(id);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->start, 60);
    EXPECT_EQ(moved->track, 2);
    EXPECT_EQ(view->selectedClipId(), id);
    EXPECT_EQ(selected.count(), 1);
    EXPECT_EQ(stack.count(), 1);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Move clip"));

    stack.undo();
    EXPECT_EQ(project->timeline().clip(id)->start, 10);
    EXPECT_EQ(project->timeline().clip(id)->track, 0);
    stack.redo();
    EXPECT_EQ(project->timeline().clip(id)->start, 60);
    EXPECT_EQ(project->timeline().clip(id)->track, 2);

    // Escape during a drag puts it back and leaves no step.
    mouse(QEvent::MouseButtonPress, pointAt(80.5, 2));
    mouse(QEvent::MouseMove, pointAt(120.5, 2));
    EXPECT_EQ(project->timeline().clip(id)->start, 100);
    QTest::keyClick(view, Qt::Key_Escape);
    mouse(QEvent::MouseButtonRelease, pointAt(120.5, 2), Qt::NoButton);
    EXPECT_EQ(project->timeline().clip(id)->start, 60);
    EXPECT_EQ(stack.count(), 1);
}

TEST_F(TimelineViewTest, AMovedClipSnapsToAnotherClipsEdge)
{
    setClips({ test::fakeClip(take.id, 0, 40, 0, 48), test::fakeClip(take.id, 100, 20, 1, 48) });
    const QString second = project->timeline().clipAt(1, 100)->id;
    // 4 px a frame: 41 is within 8 px (2 frames) of the first clip's end at 40, so it lands there.
    drag(pointAt(110.5, 1), pointAt(51.5, 1));
    EXPECT_EQ(project->timeline().clip(second)->start, 40);
    EXPECT_EQ(stack.count(), 1);

    panel->findChild<QToolButton*>(QStringLiteral("snapButton"))->click();
    EXPECT_FALSE(view->snapping());
    drag(pointAt(50.5, 1), pointAt(62.5, 1));
    drag(pointAt(60.5, 1), pointAt(49.5, 1));
    EXPECT_EQ(project->timeline().clip(second)->start, 41);
}

TEST_F(TimelineViewTest, DraggingAnEdgeTrimsTheClip)
{
    setClips({ test::fakeClip(take.id, 10, 40, 0, 48) });
    const QString id = project->timeline().clips().front().id;

    // The end, 20 frames to the left: 20 frames long.
    const QRectF rect = view->clipRect(id);
    drag(QPointF(rect.right() - 2, rect.center().y()), QPointF(rect.right() - 2 - 80, rect.center().y()));
    EXPECT_EQ(project->timeline().clip(id)->length, 20);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Trim clip"));

    // The start, 8 frames to the right: the source's in-point follows.
    drag(QPointF(rect.left() + 2, rect.center().y()), QPointF(rect.left() + 2 + 32, rect.center().y()));
    const core::TimelineClip* trimmed = project->timeline().clip(id);
    EXPECT_EQ(trimmed->start, 18);
    EXPECT_EQ(trimmed->sourceIn, 8);
    EXPECT_EQ(trimmed->end(), 30);
    EXPECT_EQ(stack.count(), 2);

    // Dragged past the source's end, the end stops at its last frame.
    const QRectF shorter = view->clipRect(id);
    drag(QPointF(shorter.right() - 2, shorter.center().y()),
        QPointF(shorter.right() + 400, shorter.center().y()));
    EXPECT_EQ(project->timeline().clip(id)->length, 40);
    stack.undo();
    stack.undo();
    stack.undo();
    EXPECT_EQ(project->timeline().clip(id)->start, 10);
    EXPECT_EQ(project->timeline().clip(id)->length, 40);
}

TEST_F(TimelineViewTest, SSplitsAtThePlayhead)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48), test::fakeClip(take.id, 0, 30, 1, 48) });
    transport.setPlayhead(20);
    view->setFocus();
    // Nothing selected: the top clip under the playhead.
    QTest::keyClick(view, Qt::Key_S);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Split clip"));
    EXPECT_EQ(project->timeline().clipAt(1, 19)->end(), 20);
    EXPECT_EQ(project->timeline().clipAt(1, 20)->start, 20);
    EXPECT_EQ(project->timeline().clipAt(0, 19), project->timeline().clipAt(0, 20));

    // The selected clip, when the playhead is inside it.
    view->setSelectedClip(project->timeline().clipAt(0, 0)->id);
    transport.setPlayhead(40);
    QTest::keyClick(view, Qt::Key_S);
    EXPECT_EQ(project->timeline().clipAt(0, 39)->end(), 40);
    EXPECT_EQ(project->timeline().clips().size(), 4u);
    EXPECT_EQ(stack.count(), 2);

    QTest::keyClick(view, Qt::Key_Delete);
    EXPECT_EQ(project->timeline().clipAt(0, 0), nullptr);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Delete clip"));
    EXPECT_TRUE(view->selectedClipId().isEmpty());
}

TEST_F(TimelineViewTest, ClickingTheRulerMovesThePlayhead)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48) });
    const double rulerY = ui::TimelineLayout::kRulerHeight / 2.0;
    const ui::TimelineLayout layout = view->layout();
    mouse(QEvent::MouseButtonPress, QPointF(layout.xForFrame(17.5), rulerY));
    EXPECT_EQ(transport.playhead(), 17);
    mouse(QEvent::MouseMove, QPointF(layout.xForFrame(30.9), rulerY));
    EXPECT_EQ(transport.playhead(), 30);
    mouse(QEvent::MouseMove, QPointF(layout.xForFrame(500), rulerY));
    EXPECT_EQ(transport.playhead(), 47) << "clamped to the last frame";
    mouse(QEvent::MouseButtonRelease, QPointF(layout.xForFrame(500), rulerY), Qt::NoButton);
    EXPECT_EQ(stack.count(), 0);
}

TEST_F(TimelineViewTest, KeysDriveTheTransport)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48) });
    view->setFocus();
    QTest::keyClick(view, Qt::Key_L);
    EXPECT_EQ(transport.speed(), 1);
    QTest::keyClick(view, Qt::Key_L);
    EXPECT_EQ(transport.speed(), 2);
    QTest::keyClick(view, Qt::Key_K);
    EXPECT_EQ(transport.speed(), 0);
    QTest::keyClick(view, Qt::Key_J);
    EXPECT_EQ(transport.speed(), -1);
    QTest::keyClick(view, Qt::Key_K);
    QTest::keyClick(view, Qt::Key_Space);
    EXPECT_TRUE(transport.isPlaying());
    QTest::keyClick(view, Qt::Key_Space);
    EXPECT_FALSE(transport.isPlaying());

    QTest::keyClick(view, Qt::Key_Home);
    EXPECT_EQ(transport.playhead(), 0);
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(transport.playhead(), 1);
    QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
    EXPECT_EQ(transport.playhead(), 25);
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_EQ(transport.playhead(), 24);
    QTest::keyClick(view, Qt::Key_I);
    EXPECT_EQ(transport.inPoint(), 24);
    QTest::keyClick(view, Qt::Key_End);
    EXPECT_EQ(transport.playhead(), 47);
    QTest::keyClick(view, Qt::Key_O);
    EXPECT_EQ(transport.outPoint(), 47);
    EXPECT_TRUE(transport.hasRange());
    QTest::keyClick(view, Qt::Key_X, Qt::AltModifier);
    EXPECT_EQ(transport.inPoint(), -1);
    EXPECT_EQ(transport.outPoint(), -1);
}

TEST_F(TimelineViewTest, ZoomingKeepsTheFrameUnderTheMouse)
{
    setClips({ test::fakeClip(take.id, 0, 48, 0, 48), test::fakeClip(take.id, 2000, 48, 0, 48) });
    view->setScroll(1000);
    const QPointF mousePos(612, 100);
    const double before = view->layout().frameAtX(mousePos.x());
    QSignalSpy zoomed(view, &ui::TimelineView::zoomChanged);
    for (int notches : { 120, 240, -360, -120 }) {
        QWheelEvent wheel(mousePos, view->mapToGlobal(mousePos), QPoint(), QPoint(0, notches), Qt::NoButton,
            Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &wheel);
        EXPECT_NEAR(view->layout().frameAtX(mousePos.x()), before, 1e-6) << notches;
    }
    EXPECT_EQ(zoomed.count(), 4);
    EXPECT_LT(view->zoom(), 4);

    // A plain wheel scrolls in time.
    const double scroll = view->scroll();
    QWheelEvent wheel(mousePos, view->mapToGlobal(mousePos), QPoint(), QPoint(0, -120), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &wheel);
    EXPECT_GT(view->scroll(), scroll);

    // Fit shows the whole timeline from its start.
    panel->findChild<QToolButton*>(QStringLiteral("zoomFitButton"))->click();
    EXPECT_EQ(view->scroll(), 0);
    EXPECT_LE(view->layout().xForFrame(2048), view->width());
    EXPECT_GT(view->layout().xForFrame(2048), view->width() * 0.8);
}

} // namespace
