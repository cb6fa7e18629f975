#include "kinora/core/clip_jobs.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/take_jobs.h"

#include <QCoreApplication>
#include <QDir>

#include <stdexcept>

namespace kinora::core {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ClipJobs", text);
}

std::runtime_error refuse(const QString& why)
{
    return std::runtime_error(why.toStdString());
}

QString rateText(Rational rate)
{
    const double fps = rate.value();
    return QString::number(fps, 'f', fps == static_cast<int>(fps) ? 0 : 3);
}

// Prep files live apart from the take's frames, so the job's output folder holds only its frames.
QString inputsDir(const Project& project, const QString& takeId)
{
    return QDir(project.mediaDir()).filePath(QStringLiteral("inputs/") + takeId);
}

} // namespace

int64_t clipSourceFrames(const TimelineClip& clip)
{
    return clip.sourceStep.num <= 0 ? 1 : clip.sourceOffset(clip.length - 1) + 1;
}

JobTicket clipJobTicket(const Project& project, const ClipJobSpec& spec, DiffusionJobRequest r)
{
    const Timeline& timeline = project.timeline();
    const TimelineClip* clip = nullptr;
    int64_t grabFrame = 0;
    if (spec.kind == ClipJobKind::ImageToVideo) {
        const TimelineHit hit = timeline.shownAt(spec.playhead);
        if (!hit.clip)
            throw refuse(tr("Move the playhead over a clip: its picture there starts the new clip."));
        clip = hit.clip;
        grabFrame = hit.sourceFrame;
    } else {
        clip = timeline.clip(spec.clipId);
        if (!clip)
            throw refuse(tr("Select a clip on the timeline first."));
    }
    const auto source = project.source(clip->sourceId);
    if (!source)
        throw refuse(tr("The clip's source is no longer in the project."));
    if (source->still && spec.kind != ClipJobKind::ImageToVideo)
        throw refuse(tr("“%1” is a still image: it has no frames to inpaint, interpolate or extend. "
                        "Use Image to Video to make a clip from it.")
                         .arg(source->name));

    r.prompt = spec.prompt.trimmed().toStdString();
    r.negativePrompt = spec.negativePrompt.trimmed().toStdString();
    r.method = spec.method.toStdString();
    r.previewDir.clear();
    if (spec.kind != ClipJobKind::ImageToVideo) {
        // The clip's own frames of its source; the job works at the footage's size and rate.
        r.input = source->path.toStdString();
        r.inputStart = clip->sourceIn;
        r.inputFrames = clipSourceFrames(*clip);
        r.width = 0;
        r.height = 0;
        r.frames = 0;
        r.fps = 0;
        // A take's PNG frames carry no rate of their own.
        r.inputFps = source->isTake ? source->fps.value() : 0;
    }

    JobTicket ticket;
    const QString takeId = project.newTakeId();
    ClipJobPrep prep;
    prep.placement = { true, clip->start, clip->track };
    switch (spec.kind) {
    case ClipJobKind::Inpaint: {
        // Read, not decoded: hundreds of keys would hold up the window; the worker decodes them.
        std::map<int64_t, QByteArray> masks;
        for (int64_t frame : project.maskKeyFrames(clip->sourceId))
            masks[frame] = project.maskKeyPng(clip->sourceId, frame);
        if (masks.empty())
            throw refuse(tr("Paint a mask on “%1” first (Mask mode in the viewer, M): the job repaints what "
                            "the mask covers.")
                             .arg(source->name));
        r.task = DiffusionTask::Inpaint;
        const QString pattern = QDir(inputsDir(project, takeId)).filePath(QStringLiteral("masks/%04d.png"));
        prep.masks = MaskExport { std::move(masks), r.inputStart, r.inputFrames, source->size, pattern };
        r.mask = pattern.toStdString();
        prep.takeName = tr("%1 · inpainted").arg(source->name);
        break;
    }
    case ClipJobKind::Interpolate:
        if (r.inputFrames < 2)
            throw refuse(tr("Interpolation needs at least two frames of the clip."));
        r.task = DiffusionTask::Interpolate;
        if (spec.factor >= 2) {
            r.factor = spec.factor;
            prep.takeName = tr("%1 · %2×").arg(source->name).arg(spec.factor);
        } else if (spec.targetFps.valid()) {
            r.factor = 0;
            r.fps = spec.targetFps.value();
            prep.takeName = tr("%1 · %2 fps").arg(source->name, rateText(spec.targetFps));
        } else {
            throw refuse(tr("Choose a factor or a frame rate to interpolate to."));
        }
        break;
    case ClipJobKind::Extend:
        if (spec.extendFrames < 1)
            throw refuse(tr("Choose how many frames to add."));
        r.task = DiffusionTask::Extend;
        r.frames = spec.extendFrames;
        r.method = "diffusion";
        prep.takeName = tr("%1 · +%2 frames").arg(source->name).arg(spec.extendFrames);
        break;
    case ClipJobKind::ImageToVideo: {
        r.task = DiffusionTask::Generate;
        r.method = "diffusion";
        r.input.clear();
        const QString image = QDir(inputsDir(project, takeId)).filePath(QStringLiteral("first-frame.png"));
        prep.firstFrame = FrameGrab { source->path, source->still ? 0 : grabFrame, image };
        r.image = image.toStdString();
        prep.placement.start = spec.playhead;
        prep.takeName = tr("%1 · from frame %2").arg(source->name).arg(grabFrame);
        break;
    }
    }
    ticket = takeTicket(project, std::move(r), takeId);
    ticket.clip = std::move(prep);
    ticket.title = ticket.clip.takeName;
    return ticket;
}

TimelineClip placeTake(const Timeline& timeline, const TakeRecord& take, const TakePlacement& placement)
{
    TimelineClip clip;
    clip.source = TimelineClip::Source::Take;
    clip.sourceId = take.id;
    clip.sourceFrames = take.frames;
    clip.sourceStep = conformStep(Rational::parse(QString::number(take.fps, 'g', 10)), timeline.rate());
    clip.start = std::max<int64_t>(0, placement.start);
    clip.length = std::max<int64_t>(1, clip.maxLength(0));
    const auto free = [&](int track) {
        for (const TimelineClip& c : timeline.clips())
            if (c.track == track && c.start < clip.end() && clip.start < c.end())
                return false;
        return true;
    };
    clip.track = placement.aboveTrack + 1;
    while (clip.track < timeline.trackCount() && !free(clip.track))
        ++clip.track;
    return clip;
}

} // namespace kinora::core
