#include "kinora/ui/media_importer.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"
#include "kinora/ui/media_commands.h"
#include "media_probe.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMimeData>
#include <QThreadPool>
#include <QUndoStack>
#include <QUrl>

#include <mutex>

namespace kinora::ui {

namespace {

Q_LOGGING_CATEGORY(lcImport, "kinora.import")

} // namespace

// Where a probe thread hands its result: the importer while it lives. The lock makes "still
// alive" and "post to it" one step, so a probe finishing as the importer goes posts to nothing.
struct MediaImporter::Inbox {
    std::mutex mutex;
    MediaImporter* target = nullptr;
};

MediaImporter::MediaImporter(QUndoStack* undoStack, QObject* parent)
    : QObject(parent)
    , m_undoStack(undoStack)
    , m_inbox(std::make_shared<Inbox>())
{
    m_inbox->target = this;
}

MediaImporter::~MediaImporter()
{
    std::lock_guard lock(m_inbox->mutex);
    m_inbox->target = nullptr;
}

void MediaImporter::setProject(core::Project* project)
{
    m_project = project;
    ++m_generation;
    if (!project)
        return;
    for (const auto& media : project->media())
        if (media.frames <= 0)
            start(project->absoluteMediaPath(media), true);
}

void MediaImporter::importPaths(const QStringList& paths)
{
    for (const QString& path : paths)
        start(path, false);
}

void MediaImporter::start(const QString& path, bool reprobe)
{
    if (m_running++ == 0)
        Q_EMIT busyChanged(true);
    // The global pool: an importer going away never waits for a long probe to end.
    QThreadPool::globalInstance()->start([inbox = m_inbox, path, reprobe, generation = m_generation] {
        const ProbedMedia probed = probeImport(path);
        std::lock_guard lock(inbox->mutex);
        if (MediaImporter* target = inbox->target)
            QMetaObject::invokeMethod(
                target, [=] { target->finished(path, reprobe, generation, probed); }, Qt::QueuedConnection);
    });
}

void MediaImporter::finished(const QString& path, bool reprobe, quint64 generation, const ProbedMedia& probed)
{
    if (generation != m_generation || !m_project) {
        if (!reprobe)
            Q_EMIT failed(path, tr("“%1” was not imported: the project was closed first.").arg(path));
    } else if (reprobe) {
        complete(path, probed);
    } else if (!probed.error.isEmpty()) {
        qCInfo(lcImport) << probed.error;
        Q_EMIT failed(path, probed.error);
    } else {
        add(probed);
    }
    if (--m_running == 0)
        Q_EMIT busyChanged(false);
}

void MediaImporter::add(const ProbedMedia& probed)
{
    core::MediaRecord record = probed.record;
    record.id = m_project->newMediaId();
    // Footage kept inside the project's media folder moves with it (Save As): store it relative.
    const QString relative = QDir(m_project->mediaDir()).relativeFilePath(record.path);
    if (!relative.startsWith(QLatin1String("..")) && !QDir::isAbsolutePath(relative))
        record.path = relative;
    const QString id = record.id;
    if (m_undoStack)
        m_undoStack->push(new AddMediaCommand(m_project, std::move(record)));
    else
        m_project->addMedia(std::move(record));
    if (m_project->mediaItem(id))
        Q_EMIT imported(id);
}

// An item an older file kept without what the import now probes: completed in place, not as an
// edit (nothing to undo, and the project stays as modified as it was).
void MediaImporter::complete(const QString& path, const ProbedMedia& probed)
{
    if (!probed.error.isEmpty()) {
        qCWarning(lcImport) << probed.error;
        return;
    }
    const auto& media = m_project->media();
    const auto it = std::find_if(media.begin(), media.end(), [&](const core::MediaRecord& item) {
        return item.frames <= 0 && m_project->absoluteMediaPath(item) == path;
    });
    if (it == media.end())
        return;
    core::MediaRecord record = *it;
    const bool sequence = core::isSequencePattern(path);
    record.frames = probed.record.frames;
    record.width = probed.record.width;
    record.height = probed.record.height;
    if (!sequence)
        record.fps = probed.record.fps; // a sequence keeps the rate it was imported at
    record.still = probed.record.still;
    record.audio = probed.record.audio;
    record.audioStart = probed.record.audioStart;
    const int index = static_cast<int>(it - media.begin());
    const bool wasModified = m_project->isModified();
    m_project->removeMedia(record.id);
    m_project->insertMedia(index, record);
    m_project->setModified(wasModified);
}

QStringList MediaImporter::importablePaths(const QMimeData* mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo file(url.toLocalFile());
        if (!file.exists())
            continue;
        if (file.isFile()
            && file.suffix().compare(QLatin1String(core::Project::kSuffix), Qt::CaseInsensitive) == 0)
            continue;
        paths.append(file.absoluteFilePath());
    }
    return paths;
}

QString MediaImporter::fileDialogFilter()
{
    return tr("Media (*.mp4 *.mov *.m4v *.mkv *.webm *.avi *.mxf *.mpg *.mpeg *.ts *.y4m *.gif *.png *.jpg "
              "*.jpeg *.tif *.tiff *.bmp *.webp *.exr);;All files (*)");
}

} // namespace kinora::ui
