#include "clip_actions.h"

#include "kinora/core/job_queue.h"
#include "kinora/core/project.h"
#include "kinora/ui/generate_requests.h"
#include "kinora/ui/settings_panel.h"
#include "kinora/ui/timeline_commands.h"

#include <QSettings>
#include <QUndoStack>

namespace kinora::ui {

namespace {

constexpr char kMethodKey[] = "footage/method";

core::ClipJobKind coreKind(ClipJobDialog::Kind kind)
{
    switch (kind) {
    case ClipJobDialog::Kind::Inpaint:
        return core::ClipJobKind::Inpaint;
    case ClipJobDialog::Kind::Interpolate:
        return core::ClipJobKind::Interpolate;
    case ClipJobDialog::Kind::Extend:
        return core::ClipJobKind::Extend;
    case ClipJobDialog::Kind::ImageToVideo:
        return core::ClipJobKind::ImageToVideo;
    }
    return core::ClipJobKind::Inpaint;
}

} // namespace

ClipActions::ClipActions(
    QWidget* window, core::JobQueue* queue, QUndoStack* undoStack, SettingsPanel* settings)
    : QObject(window)
    , m_window(window)
    , m_queue(queue)
    , m_undoStack(undoStack)
    , m_settings(settings)
{
}

void ClipActions::setProject(core::Project* project)
{
    m_project = project;
}

QString ClipActions::savedMethod()
{
    const QString method = QSettings().value(QLatin1String(kMethodKey), QStringLiteral("auto")).toString();
    return method == QLatin1String("flow") || method == QLatin1String("diffusion") ? method
                                                                                   : QStringLiteral("auto");
}

quint64 ClipActions::ask(ClipJobDialog::Kind kind, const QString& clipId, int64_t playhead)
{
    if (!m_project)
        return 0;
    const core::Timeline& timeline = m_project->timeline();
    const core::TimelineClip* clip = nullptr;
    if (kind == ClipJobDialog::Kind::ImageToVideo)
        clip = timeline.shownAt(playhead).clip;
    else
        clip = timeline.clip(clipId);
    if (!clip) {
        Q_EMIT message(kind == ClipJobDialog::Kind::ImageToVideo
                ? tr("Move the playhead over a clip: its picture there starts the new clip.")
                : tr("Select a clip on the timeline first."),
            8000);
        return 0;
    }
    const auto source = m_project->source(clip->sourceId);
    if (!source)
        return 0;
    ClipJobDialog dialog(
        kind, source->name, core::clipSourceFrames(*clip), source->fps, savedMethod(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return 0;
    core::ClipJobSpec spec;
    spec.kind = coreKind(kind);
    spec.clipId = clip->id;
    spec.playhead = playhead;
    spec.factor = dialog.factor();
    spec.targetFps = dialog.targetFps();
    spec.extendFrames = dialog.extendFrames();
    spec.method = dialog.method();
    spec.prompt = dialog.prompt();
    if (kind == ClipJobDialog::Kind::Inpaint || kind == ClipJobDialog::Kind::Interpolate)
        QSettings().setValue(QLatin1String(kMethodKey), spec.method);
    return queue(spec);
}

quint64 ClipActions::queue(const core::ClipJobSpec& spec)
{
    if (!m_project)
        return 0;
    try {
        core::JobTicket ticket = core::clipJobTicket(*m_project, spec, jobSettings(m_settings->settings()));
        const QString title = ticket.title;
        const quint64 id = m_queue->enqueue(std::move(ticket));
        m_settings->nextSeed();
        Q_EMIT message(tr("Queued “%1”").arg(title), 5000);
        return id;
    } catch (const std::exception& e) {
        Q_EMIT message(QString::fromUtf8(e.what()), 12000);
        return 0;
    }
}

void ClipActions::placeTake(const core::JobTicket& ticket, const core::TakeRecord& take)
{
    if (!m_project || !ticket.clip.placement.place)
        return;
    core::Timeline after = m_project->timeline();
    const core::TimelineClip clip = core::placeTake(after, take, ticket.clip.placement);
    after.add(clip);
    m_undoStack->push(new TimelineCommand(m_project, after, tr("Place “%1” on the timeline").arg(take.name)));
}

} // namespace kinora::ui
