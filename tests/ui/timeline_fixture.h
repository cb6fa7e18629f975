#pragma once
// Made-up sources for the timeline's tests: take and media records added to a real Project (nothing
// is decoded; the timeline only reads their frame counts, rates and names), the matching solid
// colour sources in a FakeFrameSource, and a fixture with a shown timeline panel.

#include "fake_frame_source.h"
#include "gui_test_support.h"
#include "timeline_view.h"

#include "kinora/core/project.h"
#include "kinora/ui/timeline_panel.h"
#include "kinora/ui/transport.h"

#include <QApplication>
#include <QColor>
#include <QDateTime>
#include <QMouseEvent>
#include <QString>
#include <QUndoStack>

#include <gtest/gtest.h>

#include <memory>

namespace kinora::test {

// A take of `frames` frames at `fps` (16:9), named `name`.
inline core::TakeRecord addFakeTake(core::Project& project, const QString& name, int frames, double fps = 24)
{
    core::TakeRecord take;
    take.id = project.newTakeId();
    take.name = name;
    take.framesPattern = QStringLiteral("takes/%1/%04d.png").arg(take.id);
    take.frames = frames;
    take.width = 320;
    take.height = 180;
    take.fps = fps;
    take.created = QDateTime::currentDateTimeUtc();
    project.addTake(take);
    return take;
}

// An imported clip (or, with `still`, an image) of `frames` frames at `fps`.
inline core::MediaRecord addFakeMedia(core::Project& project, const QString& name, int64_t frames,
    core::Rational fps, bool audio = false, bool still = false)
{
    core::MediaRecord media;
    media.id = project.newMediaId();
    media.name = name;
    media.path = QStringLiteral("/nowhere/%1.mp4").arg(name);
    media.frames = frames;
    media.width = 640;
    media.height = 360;
    media.fps = fps;
    media.audio = audio;
    media.still = still;
    project.addMedia(media);
    return media;
}

// The same source in `frames`, every frame filled with `colour`.
inline void addFakeFrames(
    FakeFrameSource& frames, const core::Project& project, const QString& id, QColor colour)
{
    const auto source = project.source(id);
    ui::SourceInfo info;
    info.path = source->path;
    info.frames = source->frames;
    info.size = source->size;
    info.fps = source->fps;
    info.audio = source->audio;
    frames.addSource(id, info, [colour](int64_t) { return colour; });
}

// A clip of `length` frames of `sourceId` (a take of `sourceFrames` frames at the timeline's rate).
inline core::TimelineClip fakeClip(const QString& sourceId, int64_t start, int64_t length, int track,
    int64_t sourceFrames = 1000, int64_t sourceIn = 0)
{
    core::TimelineClip clip;
    clip.source = core::TimelineClip::Source::Take;
    clip.sourceId = sourceId;
    clip.sourceFrames = sourceFrames;
    clip.sourceIn = sourceIn;
    clip.start = start;
    clip.length = length;
    clip.track = track;
    return clip;
}

// A timeline panel on a real project with one take ("Red fox", 48 frames at 24 fps, its frames
// one flat colour), shown at 1000x300 with a zoom of 4 pixels per frame and nothing scrolled.
class TimelineViewTest : public ::testing::Test {
protected:
    static inline const QColor kTakeColour { 40, 200, 90 };

    void SetUp() override
    {
        useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        take = addFakeTake(*project, QStringLiteral("Red fox"), 48, 24);
        addFakeFrames(frames, *project, take.id, kTakeColour);
        panel = std::make_unique<ui::TimelinePanel>(&stack, &transport, &frames);
        panel->setProject(project.get());
        panel->resize(1000, 300);
        panel->show();
        view = panel->view();
        view->setZoom(4, ui::TimelineLayout::kHeaderWidth);
        view->setScroll(0);
    }

    void TearDown() override { panel.reset(); }

    // Puts clips on the timeline directly (not through the undo stack).
    void setClips(const std::vector<core::TimelineClip>& clips)
    {
        core::Timeline timeline = project->timeline();
        for (const core::TimelineClip& clip : clips)
            timeline.add(clip);
        project->setTimeline(timeline);
    }

    // The middle of `frame` on `track`'s row, in view coordinates.
    QPointF pointAt(double frame, int track) const
    {
        const ui::TimelineLayout layout = view->layout();
        return { layout.xForFrame(frame), layout.trackRect(track).center().y() + 0.5 };
    }

    void mouse(QEvent::Type type, QPointF pos, Qt::MouseButtons buttons = Qt::LeftButton)
    {
        const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
        QMouseEvent event(type, pos, view->mapToGlobal(pos), button, buttons, Qt::NoModifier);
        QApplication::sendEvent(view, &event);
    }

    // Press at `from`, move there in `steps` moves, release at `to`.
    void drag(QPointF from, QPointF to, int steps = 20)
    {
        mouse(QEvent::MouseButtonPress, from);
        for (int i = 1; i <= steps; ++i)
            mouse(QEvent::MouseMove, from + (to - from) * (double(i) / steps));
        mouse(QEvent::MouseButtonRelease, to, Qt::NoButton);
    }

    std::unique_ptr<core::Project> project;
    core::TakeRecord take;
    QUndoStack stack;
    ui::Transport transport;
    FakeFrameSource frames;
    std::unique_ptr<ui::TimelinePanel> panel;
    ui::TimelineView* view = nullptr;
};

} // namespace kinora::test
