#pragma once
// Made-up sources for the timeline's tests: take and media records added to a real Project (nothing
// is decoded; the timeline only reads their frame counts, rates and names) and the matching solid
// colour sources in a FakeFrameSource.

#include "fake_frame_source.h"

#include "kinora/core/project.h"

#include <QColor>
#include <QDateTime>
#include <QString>

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

} // namespace kinora::test
