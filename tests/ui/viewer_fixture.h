#pragma once
// A viewer panel on a real project with two imported clips (640x360, 24 fps; every frame its own
// flat colour, so a grabbed pixel says which frame is on screen) served by a FakeFrameSource, the
// main Transport sized to the timeline as the timeline panel would, and helpers to drive the mouse
// over the picture in frame pixels.

#include "fake_frame_source.h"
#include "gui_test_support.h"
#include "timeline_fixture.h"
#include "viewer_canvas.h"

#include "kinora/core/project.h"
#include "kinora/ui/transport.h"
#include "kinora/ui/viewer_panel.h"

#include <QApplication>
#include <QColor>
#include <QMouseEvent>
#include <QUndoStack>

#include <gtest/gtest.h>

#include <memory>

namespace kinora::test {

class ViewerTest : public ::testing::Test {
protected:
    static QColor streetColour(int64_t frame) { return { 200, int(frame * 4 % 256), 40 }; }
    static QColor skyColour(int64_t frame) { return { 30, 60, int(100 + frame * 4 % 150) }; }

    void SetUp() override
    {
        useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        street = addFakeMedia(*project, QStringLiteral("street"), 48, { 24, 1 });
        sky = addFakeMedia(*project, QStringLiteral("sky"), 30, { 24, 1 });
        addSource(street.id, streetColour);
        addSource(sky.id, skyColour);
        panel = std::make_unique<ui::ViewerPanel>(&stack, &transport, &frames);
        panel->setProject(project.get());
        panel->resize(660, 560);
        panel->show();
        canvas = panel->canvas();
    }

    void TearDown() override { panel.reset(); }

    void addSource(const QString& id, FakeFrameSource::ColorOf colour)
    {
        const auto source = project->source(id);
        ui::SourceInfo info;
        info.path = source->path;
        info.frames = source->frames;
        info.size = source->size;
        info.fps = source->fps;
        frames.addSource(id, info, std::move(colour));
    }

    // Puts clips on the timeline directly and sizes the transport as the timeline panel does.
    void setClips(const std::vector<core::TimelineClip>& clips)
    {
        core::Timeline timeline = project->timeline();
        for (const core::TimelineClip& clip : clips)
            timeline.add(clip);
        project->setTimeline(timeline);
        transport.setRate(timeline.rate());
        transport.setDuration(timeline.duration());
    }

    // A clip of the media `sourceId` (of `sourceFrames` frames) from `start` for `length` frames.
    static core::TimelineClip mediaClip(const QString& sourceId, int64_t start, int64_t length, int track,
        int64_t sourceFrames, int64_t sourceIn = 0)
    {
        core::TimelineClip clip = fakeClip(sourceId, start, length, track, sourceFrames, sourceIn);
        clip.source = core::TimelineClip::Source::Media;
        return clip;
    }

    // The id of the clip on `track` covering `frame`.
    QString clipId(int track, int64_t frame) const { return project->timeline().clipAt(track, frame)->id; }

    // The colour at the middle of the picture as painted.
    QColor centreColour() const
    {
        const QImage image = canvas->grab().toImage();
        const QPoint centre = canvas->frameRect().center();
        return image.pixelColor(centre * image.devicePixelRatio());
    }

    void mouse(QEvent::Type type, QPointF framePos, Qt::MouseButtons buttons = Qt::LeftButton,
        Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        const QPointF pos = canvas->toWidget(framePos);
        const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
        QMouseEvent event(type, pos, canvas->mapToGlobal(pos), button, buttons, modifiers);
        QApplication::sendEvent(canvas, &event);
    }

    // A stroke through `points` (frame pixels): press on the first, moves, release on the last.
    void stroke(const std::vector<QPointF>& points)
    {
        mouse(QEvent::MouseButtonPress, points.front());
        for (size_t i = 1; i < points.size(); ++i)
            mouse(QEvent::MouseMove, points[i]);
        mouse(QEvent::MouseButtonRelease, points.back(), Qt::NoButton);
    }

    std::unique_ptr<core::Project> project;
    core::MediaRecord street;
    core::MediaRecord sky;
    QUndoStack stack;
    ui::Transport transport;
    FakeFrameSource frames;
    std::unique_ptr<ui::ViewerPanel> panel;
    ui::ViewerCanvas* canvas = nullptr;
};

inline bool near(QColor a, QColor b, int tolerance = 3)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

} // namespace kinora::test
