#include "kinora/ui/generate_requests.h"

#include "kinora/core/project.h"

#include <QCoreApplication>

#include <stdexcept>

namespace kinora::ui {

core::DiffusionJobRequest jobSettings(const GenerationSettings& s)
{
    core::DiffusionJobRequest base;
    base.modelDir = s.modelDir.toStdString();
    base.width = s.width;
    base.height = s.height;
    base.fps = s.fps;
    base.steps = s.steps;
    base.guidance = s.guidance;
    base.sampler = s.sampler.toStdString();
    base.device = s.device.isEmpty() ? "auto" : s.device.toStdString();
    base.precision = s.precision.isEmpty() ? "auto" : s.precision.toStdString();
    // A full decode now and then shows the real picture while the cheap previews run.
    base.fullDecodeEvery = 5;
    base.seed = s.seed;
    base.frames = s.frames;
    return base;
}

std::vector<core::DiffusionJobRequest> generateRequests(
    const QString& prompt, const QString& negative, const GenerationSettings& s, const core::Project& project)
{
    core::DiffusionJobRequest base = jobSettings(s);
    base.prompt = prompt.trimmed().toStdString();
    base.negativePrompt = negative.trimmed().toStdString();
    switch (s.mode) {
    case GenerationSettings::Mode::TextToVideo:
        base.task = core::DiffusionTask::Generate;
        base.frames = s.frames;
        break;
    case GenerationSettings::Mode::ImageToVideo:
        if (s.imagePath.isEmpty())
            throw std::runtime_error(
                QCoreApplication::translate("GenerateRequests", "Pick the first frame's image first.")
                    .toStdString());
        base.task = core::DiffusionTask::Generate;
        base.frames = s.frames;
        base.image = s.imagePath.toStdString();
        // The first frame's aspect ratio decides the size unless the pack's default is kept.
        break;
    case GenerationSettings::Mode::ExtendTake: {
        const core::TakeRecord* take = project.take(s.extendTakeId);
        if (!take)
            throw std::runtime_error(
                QCoreApplication::translate("GenerateRequests", "Select the take to extend in the takes bin.")
                    .toStdString());
        base.task = core::DiffusionTask::Extend;
        base.input = project.absoluteFramesPattern(*take).toStdString();
        base.frames = s.extendFrames;
        // The take's own size and rate (its frames carry none): extension continues the clip as it is.
        base.width = 0;
        base.height = 0;
        base.fps = take->fps;
        break;
    }
    }
    std::vector<core::DiffusionJobRequest> requests;
    const int takes = std::max(1, s.takes);
    for (int i = 0; i < takes; ++i) {
        core::DiffusionJobRequest r = base;
        r.seed = s.seed + static_cast<quint64>(i);
        requests.push_back(std::move(r));
    }
    return requests;
}

} // namespace kinora::ui
