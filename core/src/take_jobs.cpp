#include "kinora/core/take_jobs.h"

#include <QCoreApplication>
#include <QDir>

namespace kinora::core {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TakeJobs", text);
}

} // namespace

QString takeTitle(const DiffusionJobRequest& request)
{
    QString prompt = QString::fromStdString(request.prompt).simplified();
    if (prompt.isEmpty())
        prompt = tr("(no prompt)");
    if (prompt.size() > 60)
        prompt = prompt.left(57) + QStringLiteral("…");
    return tr("%1 · seed %2").arg(prompt).arg(request.seed);
}

JobTicket takeTicket(const Project& project, DiffusionJobRequest request, const QString& takeId)
{
    JobTicket ticket;
    ticket.kind = JobKind::Diffusion;
    ticket.takeId = takeId.isEmpty() ? project.newTakeId() : takeId;
    request.output = project.takeFramesPattern(ticket.takeId).toStdString();
    request.codec = "png";
    request.overwrite = false;
    request.previewDir.clear();
    ticket.title = takeTitle(request);
    ticket.diffusion = std::move(request);
    return ticket;
}

JobTicket remakeTicket(const Project& project, const TakeRecord& take, std::optional<uint64_t> seed)
{
    DiffusionJobRequest request = requestFromJson(take.request);
    if (seed)
        request.seed = *seed;
    return takeTicket(project, std::move(request));
}

TakeRecord takeFromOutcome(const Project& project, const JobTicket& ticket, const JobOutcome& outcome)
{
    const auto& r = outcome.diffusion;
    TakeRecord take;
    take.id = ticket.takeId;
    take.name = ticket.clip.takeName.isEmpty()
        ? QString::fromStdString(ticket.diffusion.prompt).simplified().left(40)
        : ticket.clip.takeName;
    if (take.name.isEmpty())
        take.name = tr("Take %1").arg(project.takes().size() + 1);
    take.framesPattern = QDir(project.mediaDir()).relativeFilePath(r.output);
    take.frames = r.frames;
    take.width = r.width;
    take.height = r.height;
    take.fps = r.fps;
    // The request as asked, with the seed and the pack's folder made explicit, so that "make
    // again" does not depend on what the settings or $KINORA_MODEL say later.
    DiffusionJobRequest asked = ticket.diffusion;
    asked.seed = r.seed;
    asked.modelDir = QDir(r.modelDir).absolutePath().toStdString();
    asked.device = r.device.toStdString();
    asked.precision = r.precision.toStdString();
    take.request = requestToJson(asked);
    take.prompt = QString::fromStdString(asked.prompt);
    take.seed = r.seed;
    take.modelName = r.modelName;
    take.modelDir = QString::fromStdString(asked.modelDir);
    take.weightsHash = r.weightsHash;
    take.device = r.device;
    take.precision = r.precision;
    take.created = QDateTime::currentDateTime();
    return take;
}

} // namespace kinora::core
