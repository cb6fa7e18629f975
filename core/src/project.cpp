#include "kinora/core/project.h"

#include "mask_writer.h"
#include "project_internal.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace kinora::core {

// Ids name folders in the media folder: a file must not be able to point a take outside it.
bool detail::isSafeId(const QString& id)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return safe.match(id).hasMatch();
}

namespace {

QString tr(const char* text)
{
    return Project::tr(text);
}

// Every field check throws with the part of the document that is wrong; Project::fromJson adds
// the file's name so the user reads one sentence.
QString stringField(const QJsonObject& json, const char* key, const QString& what, bool required)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isUndefined() && !required)
        return {};
    if (!value.isString())
        throw ProjectError(tr("%1 has no text \"%2\"").arg(what, QLatin1String(key)).toStdString());
    return value.toString();
}

double numberField(const QJsonObject& json, const char* key, const QString& what)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (!value.isDouble())
        throw ProjectError(tr("%1 has no number \"%2\"").arg(what, QLatin1String(key)).toStdString());
    return value.toDouble();
}

int intField(const QJsonObject& json, const char* key, const QString& what)
{
    const double value = numberField(json, key, what);
    if (value != static_cast<double>(static_cast<int>(value)) || value < 0)
        throw ProjectError(
            tr("%1 has a \"%2\" that is not a whole number").arg(what, QLatin1String(key)).toStdString());
    return static_cast<int>(value);
}

using detail::isSafeId;

QString mediaDirFor(const QString& projectFile)
{
    const QFileInfo info(projectFile);
    return QDir(info.absolutePath()).filePath(info.completeBaseName() + QStringLiteral("_media"));
}

} // namespace

QJsonObject TakeRecord::toJson() const
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("name"), name },
        { QStringLiteral("frames_pattern"), framesPattern },
        { QStringLiteral("frames"), frames },
        { QStringLiteral("width"), width },
        { QStringLiteral("height"), height },
        { QStringLiteral("fps"), fps },
        { QStringLiteral("request"), request },
        { QStringLiteral("prompt"), prompt },
        { QStringLiteral("seed"), QString::number(seed) }, // a double would round seeds past 2^53
        { QStringLiteral("model_name"), modelName },
        { QStringLiteral("model_dir"), modelDir },
        { QStringLiteral("weights_hash"), weightsHash },
        { QStringLiteral("device"), device },
        { QStringLiteral("precision"), precision },
        { QStringLiteral("created"),
            created.isValid() ? created.toUTC().toString(Qt::ISODateWithMs) : QString() },
    };
}

TakeRecord TakeRecord::fromJson(const QJsonObject& json)
{
    TakeRecord t;
    t.id = stringField(json, "id", tr("a take"), true);
    if (!isSafeId(t.id))
        throw ProjectError(
            tr("a take has the id \"%1\", which cannot name a folder").arg(t.id).toStdString());
    const QString what = tr("take %1").arg(t.id);
    t.name = stringField(json, "name", what, false);
    t.framesPattern = stringField(json, "frames_pattern", what, true);
    t.frames = intField(json, "frames", what);
    t.width = intField(json, "width", what);
    t.height = intField(json, "height", what);
    t.fps = numberField(json, "fps", what);
    const QJsonValue request = json.value(QLatin1String("request"));
    if (!request.isObject())
        throw ProjectError(tr("%1 has no request").arg(what).toStdString());
    t.request = request.toObject();
    t.prompt = stringField(json, "prompt", what, false);
    const QJsonValue seed = json.value(QLatin1String("seed"));
    bool ok = true;
    if (seed.isString())
        t.seed = seed.toString().toULongLong(&ok);
    else if (seed.isDouble() && seed.toDouble() >= 0)
        t.seed = static_cast<quint64>(seed.toDouble());
    else if (!seed.isUndefined())
        ok = false;
    if (!ok)
        throw ProjectError(tr("%1 has a seed that is not a number").arg(what).toStdString());
    t.modelName = stringField(json, "model_name", what, false);
    t.modelDir = stringField(json, "model_dir", what, false);
    t.weightsHash = stringField(json, "weights_hash", what, false);
    t.device = stringField(json, "device", what, false);
    t.precision = stringField(json, "precision", what, false);
    const QString created = stringField(json, "created", what, false);
    if (!created.isEmpty())
        t.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    return t;
}

QJsonObject MediaRecord::toJson() const
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("name"), name },
        { QStringLiteral("path"), path },
        { QStringLiteral("frames"), static_cast<qint64>(frames) },
        { QStringLiteral("width"), width },
        { QStringLiteral("height"), height },
        { QStringLiteral("fps"), fps.toString() },
        { QStringLiteral("still"), still },
        { QStringLiteral("audio"), audio },
        { QStringLiteral("audio_start"), audioStart },
    };
}

MediaRecord MediaRecord::fromJson(const QJsonObject& json)
{
    MediaRecord m;
    m.id = stringField(json, "id", tr("a media item"), true);
    const QString what = tr("media %1").arg(m.id);
    m.name = stringField(json, "name", what, false);
    m.path = stringField(json, "path", what, true);
    m.frames = json.value(QLatin1String("frames")).toInteger(0);
    m.width = json.value(QLatin1String("width")).toInt(0);
    m.height = json.value(QLatin1String("height")).toInt(0);
    if (json.contains(QLatin1String("fps"))) {
        m.fps = Rational::parse(json.value(QLatin1String("fps")).toString());
        if (!m.fps.valid())
            throw ProjectError(tr("%1 has a frame rate that is not a rate").arg(what).toStdString());
    }
    m.still = json.value(QLatin1String("still")).toBool();
    m.audio = json.value(QLatin1String("audio")).toBool();
    m.audioStart = json.value(QLatin1String("audio_start")).toDouble(0);
    if (m.frames < 0 || m.width < 0 || m.height < 0)
        throw ProjectError(tr("%1 has a negative size or length").arg(what).toStdString());
    return m;
}

Project::Project(QObject* parent)
    : QObject(parent)
{
    // The folder exists before the first take so that a job can write into it at once.
    const QString folder = QDir(untitledRoot()).filePath(detail::freshStamp());
    m_mediaDir = QDir(folder).filePath(QLatin1String(detail::kUntitledMediaName));
    QDir().mkpath(m_mediaDir);
    m_ownsUntitledMedia = true;
    lockSession();
}

Project::Project(PrivateTag, QObject* parent)
    : QObject(parent)
{
}

std::unique_ptr<Project> Project::open(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QJsonObject json = detail::readJsonObject(absolute, tr("project file"));
    auto project = std::make_unique<Project>(PrivateTag {}, nullptr);
    project->fromJson(json, absolute);
    project->m_filePath = absolute;
    project->m_mediaDir = mediaDirFor(absolute);
    project->lockSession();
    return project;
}

void Project::fromJson(const QJsonObject& json, const QString& where)
{
    const auto damaged = [&where](const QString& why) {
        return ProjectError(tr("The project file %1 is damaged: %2.").arg(where, why).toStdString());
    };
    if (json.value(QLatin1String("app")).toString() != QLatin1String("kinora"))
        throw ProjectError(tr("%1 is not a Kinora project.").arg(where).toStdString());
    const QJsonValue version = json.value(QLatin1String("format_version"));
    if (!version.isDouble() || version.toDouble() < 1 || version.toDouble() != version.toInt())
        throw damaged(tr("it has no format version"));
    if (version.toInt() > kFormatVersion)
        throw ProjectError(tr("The project file %1 was made by a newer Kinora (format %2); this version "
                              "reads format %3.")
                               .arg(where)
                               .arg(version.toInt())
                               .arg(kFormatVersion)
                               .toStdString());
    const auto array = [&](const char* key) {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            return QJsonArray();
        if (!value.isArray())
            throw damaged(tr("\"%1\" is not a list").arg(QLatin1String(key)));
        return value.toArray();
    };
    // The records' own checks name the part that is wrong; this names the file around it.
    const auto read = [&damaged](auto parse) {
        try {
            return parse();
        } catch (const ProjectError& e) {
            throw damaged(QString::fromStdString(e.what()));
        }
    };
    std::vector<TakeRecord> takes;
    for (const QJsonValue& value : array("takes")) {
        if (!value.isObject())
            throw damaged(tr("a take is not an object"));
        TakeRecord take = read([&] { return TakeRecord::fromJson(value.toObject()); });
        if (std::any_of(takes.begin(), takes.end(), [&](const TakeRecord& t) { return t.id == take.id; }))
            throw damaged(tr("two takes have the id %1").arg(take.id));
        takes.push_back(std::move(take));
    }
    std::vector<MediaRecord> media;
    for (const QJsonValue& value : array("media")) {
        if (!value.isObject())
            throw damaged(tr("a media item is not an object"));
        media.push_back(read([&] { return MediaRecord::fromJson(value.toObject()); }));
    }
    QJsonArray pending;
    for (const QJsonValue& value : array("pending_jobs")) {
        if (!value.isObject())
            throw damaged(tr("a waiting job is not an object"));
        pending.append(value);
    }
    Timeline timeline;
    const QJsonValue timelineJson = json.value(QLatin1String("timeline"));
    if (timelineJson.isObject())
        timeline = read([&] { return Timeline::fromJson(timelineJson.toObject()); });
    else if (!timelineJson.isUndefined())
        throw damaged(tr("\"timeline\" is not an object"));
    std::map<QString, std::set<int64_t>> maskKeys;
    const QJsonValue masksJson = json.value(QLatin1String("masks"));
    if (!masksJson.isUndefined() && !masksJson.isObject())
        throw damaged(tr("\"masks\" is not an object"));
    const QJsonObject masks = masksJson.toObject();
    for (auto it = masks.begin(); it != masks.end(); ++it) {
        if (!isSafeId(it.key()) || !it.value().isArray())
            throw damaged(tr("the masks of \"%1\" are not a list of frames").arg(it.key()));
        for (const QJsonValue& frame : it.value().toArray()) {
            if (!frame.isDouble() || frame.toDouble() < 0 || frame.toDouble() != std::floor(frame.toDouble()))
                throw damaged(tr("a mask of \"%1\" has no frame number").arg(it.key()));
            maskKeys[it.key()].insert(static_cast<int64_t>(frame.toDouble()));
        }
    }
    m_takes = std::move(takes);
    m_media = std::move(media);
    m_pendingJobs = pending;
    m_timeline = std::move(timeline);
    m_maskKeys = std::move(maskKeys);
}

QJsonObject Project::toJson() const
{
    QJsonArray takes;
    for (const TakeRecord& take : m_takes)
        takes.append(take.toJson());
    QJsonArray media;
    for (const MediaRecord& item : m_media)
        media.append(item.toJson());
    QJsonObject masks;
    for (const auto& [source, frames] : m_maskKeys) {
        QJsonArray list;
        for (int64_t frame : frames)
            list.append(static_cast<qint64>(frame));
        if (!list.isEmpty())
            masks.insert(source, list);
    }
    return QJsonObject {
        { QStringLiteral("app"), QStringLiteral("kinora") },
        { QStringLiteral("format_version"), kFormatVersion },
        { QStringLiteral("takes"), takes },
        { QStringLiteral("media"), media },
        { QStringLiteral("pending_jobs"), m_pendingJobs },
        { QStringLiteral("timeline"), m_timeline.toJson() },
        { QStringLiteral("masks"), masks },
    };
}

void Project::save(const QString& path)
{
    waitForMaskWrites(); // the media folder may move
    const QString target = QFileInfo(path).absoluteFilePath();
    const QString targetMedia = mediaDirFor(target);
    const QString oldMedia = m_mediaDir;
    const auto fail = [&target](const QString& why) {
        return ProjectError(tr("Cannot save %1: %2.").arg(target, why).toStdString());
    };
    if (!QFileInfo(target).absoluteDir().exists())
        throw fail(tr("the folder %1 does not exist").arg(QFileInfo(target).absolutePath()));

    // Save As of a saved project leaves that project whole (a copy); an untitled project, or one
    // whose file is gone, moves its media with it.
    enum class Transfer { None, Moved, Copied };
    Transfer transfer = Transfer::None;
    const bool keepOld = !m_filePath.isEmpty() && QFileInfo::exists(m_filePath)
        && detail::samePath(mediaDirFor(m_filePath), oldMedia);
    const bool newPlace = !detail::samePath(targetMedia, oldMedia);
    const QFileInfo existing(targetMedia);
    if (newPlace && existing.exists()) {
        // Another project's media (or someone's folder): never merge takes into it.
        if (!existing.isDir()
            || !QDir(targetMedia).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            throw fail(tr("the folder %1 already exists and is not this project's").arg(targetMedia));
        QDir().rmdir(targetMedia);
    }
    if (newPlace && QFileInfo::exists(oldMedia)) {
        if (!keepOld && QDir().rename(oldMedia, targetMedia)) {
            transfer = Transfer::Moved;
        } else if (detail::copyTree(oldMedia, targetMedia)) { // another file system, or keeping the old one
            transfer = Transfer::Copied;
        } else {
            QDir(targetMedia).removeRecursively();
            throw fail(tr("the media could not be copied to %1").arg(targetMedia));
        }
    }

    try {
        detail::writeJsonObject(target, toJson());
    } catch (const ProjectError&) {
        if (transfer == Transfer::Moved)
            QDir().rename(targetMedia, oldMedia);
        else if (transfer == Transfer::Copied)
            QDir(targetMedia).removeRecursively();
        throw;
    }

    if (transfer == Transfer::Copied && !keepOld)
        QDir(oldMedia).removeRecursively();
    // The untitled folder held only the media (and maybe nothing yet): it has served its purpose.
    const QString untitledFolder = m_ownsUntitledMedia ? detail::untitledFolderOf(oldMedia) : QString();
    if (!untitledFolder.isEmpty() && !target.startsWith(untitledFolder + QLatin1Char('/')))
        QDir(untitledFolder).removeRecursively();
    const bool moved = !detail::samePath(target, m_filePath);
    m_filePath = target;
    m_mediaDir = targetMedia;
    m_ownsUntitledMedia = false;
    discardRecovery(); // the file holds everything now
    setModified(false);
    if (moved)
        Q_EMIT filePathChanged(m_filePath);
}

QString Project::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).completeBaseName();
}

void Project::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

const TakeRecord* Project::take(const QString& id) const
{
    const int index = indexOfTake(id);
    return index < 0 ? nullptr : &m_takes[static_cast<size_t>(index)];
}

int Project::indexOfTake(const QString& id) const
{
    for (size_t i = 0; i < m_takes.size(); ++i)
        if (m_takes[i].id == id)
            return static_cast<int>(i);
    return -1;
}

QString Project::newTakeId() const
{
    // Counting on past the ids handed out: queued jobs hold ids whose takes do not exist yet, and
    // a removed take's frames stay on disk for undo.
    for (;;) {
        const QString id = QStringLiteral("take-%1").arg(m_nextTakeNumber++, 4, 10, QLatin1Char('0'));
        if (indexOfTake(id) < 0
            && !QFileInfo::exists(QDir(m_mediaDir).filePath(QStringLiteral("takes/") + id)))
            return id;
    }
}

QString Project::takeFramesPattern(const QString& id) const
{
    return QDir(m_mediaDir).filePath(QStringLiteral("takes/%1/%04d.png").arg(id));
}

QString Project::absoluteFramesPattern(const TakeRecord& take) const
{
    return QDir::cleanPath(QDir(m_mediaDir).filePath(take.framesPattern));
}

void Project::addTake(TakeRecord take)
{
    insertTake(static_cast<int>(m_takes.size()), std::move(take));
}

void Project::insertTake(int index, TakeRecord take)
{
    if (!isSafeId(take.id) || indexOfTake(take.id) >= 0)
        throw std::invalid_argument("Project::insertTake: the take's id is empty, unsafe or already used");
    index = std::clamp(index, 0, static_cast<int>(m_takes.size()));
    const QString id = take.id;
    m_takes.insert(m_takes.begin() + index, std::move(take));
    setModified(true);
    Q_EMIT takeAdded(id);
    Q_EMIT takesChanged();
}

std::optional<TakeRecord> Project::removeTake(const QString& id)
{
    const int index = indexOfTake(id);
    if (index < 0)
        return std::nullopt;
    TakeRecord removed = std::move(m_takes[static_cast<size_t>(index)]);
    m_takes.erase(m_takes.begin() + index);
    setModified(true);
    Q_EMIT takeRemoved(id);
    Q_EMIT takesChanged();
    return removed;
}

bool Project::renameTake(const QString& id, const QString& name)
{
    const int index = indexOfTake(id);
    const QString trimmed = name.trimmed();
    if (index < 0 || trimmed.isEmpty())
        return false;
    TakeRecord& take = m_takes[static_cast<size_t>(index)];
    if (take.name == trimmed)
        return true;
    take.name = trimmed;
    setModified(true);
    Q_EMIT takeRenamed(id);
    Q_EMIT takesChanged();
    return true;
}

const MediaRecord* Project::mediaItem(const QString& id) const
{
    const int index = indexOfMedia(id);
    return index < 0 ? nullptr : &m_media[static_cast<size_t>(index)];
}

int Project::indexOfMedia(const QString& id) const
{
    for (size_t i = 0; i < m_media.size(); ++i)
        if (m_media[i].id == id)
            return static_cast<int>(i);
    return -1;
}

QString Project::newMediaId() const
{
    for (;;) {
        const QString id = QStringLiteral("media-%1").arg(m_nextMediaNumber++, 4, 10, QLatin1Char('0'));
        if (indexOfMedia(id) < 0 && indexOfTake(id) < 0)
            return id;
    }
}

void Project::addMedia(MediaRecord media)
{
    insertMedia(static_cast<int>(m_media.size()), std::move(media));
}

void Project::insertMedia(int index, MediaRecord media)
{
    if (!isSafeId(media.id) || indexOfMedia(media.id) >= 0 || indexOfTake(media.id) >= 0)
        throw std::invalid_argument("Project::insertMedia: the media's id is empty, unsafe or already used");
    index = std::clamp(index, 0, static_cast<int>(m_media.size()));
    const QString id = media.id;
    m_media.insert(m_media.begin() + index, std::move(media));
    setModified(true);
    Q_EMIT mediaAdded(id);
    Q_EMIT mediaChanged();
}

std::optional<MediaRecord> Project::removeMedia(const QString& id)
{
    const int index = indexOfMedia(id);
    if (index < 0)
        return std::nullopt;
    MediaRecord removed = std::move(m_media[static_cast<size_t>(index)]);
    m_media.erase(m_media.begin() + index);
    setModified(true);
    Q_EMIT mediaRemoved(id);
    Q_EMIT mediaChanged();
    return removed;
}

bool Project::renameMedia(const QString& id, const QString& name)
{
    const int index = indexOfMedia(id);
    const QString trimmed = name.trimmed();
    if (index < 0 || trimmed.isEmpty())
        return false;
    MediaRecord& media = m_media[static_cast<size_t>(index)];
    if (media.name != trimmed) {
        media.name = trimmed;
        setModified(true);
        Q_EMIT mediaChanged();
    }
    return true;
}

QString Project::absoluteMediaPath(const MediaRecord& media) const
{
    return QDir::cleanPath(QDir(m_mediaDir).absoluteFilePath(media.path));
}

std::optional<SourceDetails> Project::source(const QString& id) const
{
    SourceDetails d;
    d.id = id;
    if (const TakeRecord* t = take(id)) {
        d.name = t->name;
        d.isTake = true;
        d.path = absoluteFramesPattern(*t);
        d.frames = t->frames;
        d.size = QSize(t->width, t->height);
        const Rational fps = Rational::parse(QString::number(t->fps, 'g', 10));
        if (fps.valid())
            d.fps = fps;
        return d;
    }
    if (const MediaRecord* m = mediaItem(id)) {
        d.name = m->name;
        d.path = absoluteMediaPath(*m);
        d.frames = m->frames;
        d.size = QSize(m->width, m->height);
        d.fps = m->fps;
        d.still = m->still;
        d.audio = m->audio;
        d.audioStart = m->audioStart;
        return d;
    }
    return std::nullopt;
}

void Project::setTimeline(const Timeline& timeline)
{
    if (m_timeline == timeline)
        return;
    m_timeline = timeline;
    setModified(true);
    Q_EMIT timelineChanged();
}

void Project::setPendingJobs(const QJsonArray& jobs)
{
    if (m_pendingJobs == jobs)
        return;
    m_pendingJobs = jobs;
    setModified(true);
}

} // namespace kinora::core
