// The project's files and folders: reading and writing its JSON, copying its media, and the
// session and recovery files (where they live, the lock that tells a running Kinora's session from
// one a crash left behind, and getting a project back from them).

#include "kinora/core/project.h"

#include "mask_writer.h"
#include "project_internal.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <atomic>

namespace kinora::core {

Q_LOGGING_CATEGORY(lcRecovery, "kinora.project")

namespace {

QString tr(const char* text)
{
    return Project::tr(text);
}

QString sessionFolderOf(const QString& recoveryFile)
{
    return QFileInfo(recoveryFile).absolutePath();
}

// Only folders directly under recoveryRoot() are ever removed, whatever a session struct says.
bool isSessionFolder(const QString& folder)
{
    return detail::samePath(QFileInfo(folder).absolutePath(), Project::recoveryRoot());
}

std::unique_ptr<QLockFile> sessionLock(const QString& folder)
{
    auto lock = std::make_unique<QLockFile>(QDir(folder).filePath(QLatin1String(detail::kLockFileName)));
    lock->setStaleLockTime(0); // stale only when its process is gone, however old
    return lock;
}

} // namespace

namespace detail {

QString freshStamp()
{
    static std::atomic<int> counter { 0 };
    return QStringLiteral("%1-%2-%3")
        .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")))
        .arg(QCoreApplication::applicationPid())
        .arg(++counter);
}

QString untitledFolderOf(const QString& mediaDir)
{
    if (mediaDir.isEmpty())
        return {};
    const QFileInfo media(mediaDir);
    if (media.fileName() != QLatin1String(kUntitledMediaName))
        return {};
    const QString folder = media.absolutePath();
    return samePath(QFileInfo(folder).absolutePath(), Project::untitledRoot()) ? folder : QString();
}

bool copyTree(const QString& from, const QString& to)
{
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(
        from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    const QDir source(from);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(path));
        const QFileInfo info = it.fileInfo();
        if (info.isDir() && !info.isSymLink()) {
            if (!QDir().mkpath(target))
                return false;
        } else if (!QFile::copy(path, target)) {
            return false;
        }
    }
    return true;
}

bool samePath(const QString& a, const QString& b)
{
    if (a.isEmpty() || b.isEmpty())
        return a == b;
    const QFileInfo fa(a), fb(b);
    if (fa.exists() && fb.exists())
        return fa.canonicalFilePath() == fb.canonicalFilePath();
    return QDir::cleanPath(fa.absoluteFilePath()) == QDir::cleanPath(fb.absoluteFilePath());
}

QJsonObject readJsonObject(const QString& path, const QString& kind)
{
    QFile file(path);
    if (!QFileInfo::exists(path))
        throw ProjectError(tr("The %1 %2 does not exist.").arg(kind, path).toStdString());
    if (!file.open(QIODevice::ReadOnly)) // read-only: opening never changes the file
        throw ProjectError(
            tr("The %1 %2 cannot be read: %3.").arg(kind, path, file.errorString()).toStdString());
    const QByteArray bytes = file.readAll();
    if (bytes.trimmed().isEmpty())
        throw ProjectError(tr("The %1 %2 is empty.").arg(kind, path).toStdString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        throw ProjectError(tr("The %1 %2 is damaged: %3 at byte %4.")
                               .arg(kind, path, error.errorString())
                               .arg(error.offset)
                               .toStdString());
    if (!doc.isObject())
        throw ProjectError(
            tr("%1 is not a Kinora project: it holds no JSON object.").arg(path).toStdString());
    return doc.object();
}

void writeJsonObject(const QString& path, const QJsonObject& json)
{
    QSaveFile file(path);
    const QByteArray bytes = QJsonDocument(json).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw ProjectError(tr("Cannot write %1: %2.").arg(path, file.errorString()).toStdString());
}

} // namespace detail

Project::~Project()
{
    m_maskWriter.reset(); // waits: the files land before the folder may go
    if (!m_sessionDir.isEmpty() && QFileInfo::exists(recoveryFile()))
        return; // the lock goes with m_lock; the file stays to be offered at the next start
    if (m_ownsUntitledMedia && isUntitled()) {
        const QString folder = detail::untitledFolderOf(m_mediaDir);
        if (!folder.isEmpty())
            QDir(folder).removeRecursively();
    }
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
    if (!m_sessionDir.isEmpty() && isSessionFolder(m_sessionDir))
        QDir(m_sessionDir).removeRecursively();
}

QString Project::dataRoot()
{
    const QString forced = qEnvironmentVariable("KINORA_DATA_DIR");
    if (!forced.isEmpty())
        return QDir(forced).absolutePath();
    // Without an application name (core used from a tool or test) the location would be the
    // shared data folder itself: keep Kinora's files in a folder of their own.
    if (!QCoreApplication::instance() || QCoreApplication::applicationName().isEmpty())
        return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
            .filePath(QStringLiteral("kinora"));
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

QString Project::untitledRoot()
{
    return QDir(dataRoot()).filePath(QStringLiteral("untitled"));
}

QString Project::recoveryRoot()
{
    return QDir(dataRoot()).filePath(QStringLiteral("recovery"));
}

void Project::lockSession(const QString& sessionDir)
{
    const bool adopting = !sessionDir.isEmpty();
    const QString folder = adopting ? sessionDir : QDir(recoveryRoot()).filePath(detail::freshStamp());
    auto lock = sessionLock(folder);
    if (!QDir().mkpath(folder) || !lock->tryLock(0)) {
        if (adopting)
            throw ProjectError(
                tr("The recovered session %1 is in use by another Kinora.").arg(folder).toStdString());
        // Still usable as a document; writeRecovery() will say why it cannot autosave.
        qCWarning(lcRecovery) << "cannot lock a session folder in" << folder;
        return;
    }
    m_sessionDir = folder;
    m_lock = std::move(lock);
}

QString Project::recoveryFile() const
{
    return m_sessionDir.isEmpty() ? QString()
                                  : QDir(m_sessionDir).filePath(QLatin1String(detail::kRecoveryFileName));
}

void Project::writeRecovery()
{
    if (m_sessionDir.isEmpty())
        throw ProjectError(tr("Cannot write a recovery file: the folder %1 cannot be used.")
                               .arg(recoveryRoot())
                               .toStdString());
    const QJsonObject json {
        { QStringLiteral("project"), toJson() },
        { QStringLiteral("original_path"), m_filePath },
        { QStringLiteral("media_dir"), QDir(m_mediaDir).absolutePath() },
        { QStringLiteral("saved"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
    };
    detail::writeJsonObject(recoveryFile(), json);
}

void Project::discardRecovery()
{
    const QString file = recoveryFile();
    if (!file.isEmpty())
        QFile::remove(file);
}

std::vector<Project::RecoverableSession> Project::recoverableSessions()
{
    std::vector<RecoverableSession> sessions;
    const QDir root(recoveryRoot());
    for (const QFileInfo& entry : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString folder = entry.absoluteFilePath();
        auto probe = sessionLock(folder);
        if (!probe->tryLock(0))
            continue; // a running Kinora's session (this one's too)
        const QString file = QDir(folder).filePath(QLatin1String(detail::kRecoveryFileName));
        if (!QFileInfo::exists(file)) {
            // A session that ended before its first autosave: nothing to offer.
            probe->unlock();
            QDir(folder).removeRecursively();
            continue;
        }
        try {
            const QJsonObject json = detail::readJsonObject(file, tr("recovery file"));
            RecoverableSession session;
            session.recoveryFile = file;
            session.originalPath = json.value(QLatin1String("original_path")).toString();
            session.saved
                = QDateTime::fromString(json.value(QLatin1String("saved")).toString(), Qt::ISODateWithMs);
            session.takes = static_cast<int>(json.value(QLatin1String("project"))
                                                 .toObject()
                                                 .value(QLatin1String("takes"))
                                                 .toArray()
                                                 .size());
            sessions.push_back(session);
        } catch (const ProjectError& e) {
            qCWarning(lcRecovery) << "skipping a recovery file:" << e.what();
        }
    }
    std::sort(sessions.begin(), sessions.end(),
        [](const RecoverableSession& a, const RecoverableSession& b) { return a.saved > b.saved; });
    return sessions;
}

std::unique_ptr<Project> Project::recover(const RecoverableSession& session)
{
    const QJsonObject json = detail::readJsonObject(session.recoveryFile, tr("recovery file"));
    const QJsonValue document = json.value(QLatin1String("project"));
    if (!document.isObject())
        throw ProjectError(tr("The recovery file %1 is damaged: it holds no project.")
                               .arg(session.recoveryFile)
                               .toStdString());
    auto project = std::make_unique<Project>(PrivateTag {}, nullptr);
    project->fromJson(document.toObject(), session.recoveryFile);
    project->m_filePath = json.value(QLatin1String("original_path")).toString();
    project->m_mediaDir = json.value(QLatin1String("media_dir")).toString();
    if (project->m_mediaDir.isEmpty())
        throw ProjectError(tr("The recovery file %1 is damaged: it names no media folder.")
                               .arg(session.recoveryFile)
                               .toStdString());
    project->m_ownsUntitledMedia
        = project->m_filePath.isEmpty() && !detail::untitledFolderOf(project->m_mediaDir).isEmpty();
    // Adopting the session keeps its recovery file until the next autosave replaces it, and a
    // live lock keeps it from being offered again.
    project->lockSession(sessionFolderOf(session.recoveryFile));
    project->m_modified = true;
    return project;
}

void Project::discardSession(const RecoverableSession& session)
{
    const QString folder = sessionFolderOf(session.recoveryFile);
    if (!isSessionFolder(folder))
        return;
    auto probe = sessionLock(folder);
    if (!probe->tryLock(0))
        return; // someone is using it after all
    try {
        const QJsonObject json = detail::readJsonObject(session.recoveryFile, tr("recovery file"));
        if (json.value(QLatin1String("original_path")).toString().isEmpty()) {
            const QString untitled
                = detail::untitledFolderOf(json.value(QLatin1String("media_dir")).toString());
            if (!untitled.isEmpty())
                QDir(untitled).removeRecursively();
        }
    } catch (const ProjectError& e) {
        qCWarning(lcRecovery) << "discarding a damaged recovery file:" << e.what();
    }
    probe->unlock();
    QDir(folder).removeRecursively();
}

} // namespace kinora::core
