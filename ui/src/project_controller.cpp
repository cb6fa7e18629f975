#include "kinora/ui/project_controller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QWidget>

namespace kinora::ui {

Q_LOGGING_CATEGORY(lcProject, "kinora.project")

namespace {

const QString kRecentKey = QStringLiteral("project/recent");

QString projectFilter()
{
    return QObject::tr("Kinora projects (*.kinora)");
}

} // namespace

ProjectController::ProjectController(QWidget* window)
    : QObject(window)
    , m_window(window)
    , m_project(std::make_unique<core::Project>())
{
    m_autosave.setInterval(kAutosaveMs);
    connect(&m_autosave, &QTimer::timeout, this, &ProjectController::autosave);
    m_autosave.start();
    updateTitle();
}

ProjectController::~ProjectController() = default;

void ProjectController::replaceProject(std::unique_ptr<core::Project> project)
{
    if (m_project)
        m_project->disconnect(this);
    // The old project's recovery goes with it: it was either saved or the user let it go.
    if (m_project)
        m_project->discardRecovery();
    m_project = std::move(project);
    connect(m_project.get(), &core::Project::modifiedChanged, this, &ProjectController::updateTitle);
    connect(m_project.get(), &core::Project::filePathChanged, this, &ProjectController::updateTitle);
    // A finished take is autosaved at once: it is the work a crash must not take.
    connect(m_project.get(), &core::Project::takeAdded, this, &ProjectController::autosave);
    updateTitle();
    Q_EMIT projectChanged(m_project.get());
}

bool ProjectController::newProject()
{
    if (!maybeSave())
        return false;
    replaceProject(std::make_unique<core::Project>());
    return true;
}

bool ProjectController::open()
{
    if (!maybeSave())
        return false;
    const QString start = m_project->isUntitled()
        ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        : QFileInfo(m_project->filePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Project"), start, projectFilter());
    return !path.isEmpty() && openPath(path).isEmpty();
}

QString ProjectController::openPath(const QString& path)
{
    try {
        replaceProject(core::Project::open(path));
        addRecent(path);
        Q_EMIT message(tr("Opened %1").arg(QFileInfo(path).fileName()));
        return {};
    } catch (const std::exception& e) {
        const QString text = QString::fromUtf8(e.what());
        fail(tr("Cannot open the project"), text);
        return text;
    }
}

bool ProjectController::save()
{
    if (m_project->isUntitled())
        return saveAs();
    return saveToPath(m_project->filePath()).isEmpty();
}

bool ProjectController::saveAs()
{
    QString start = m_project->isUntitled()
        ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QStringLiteral("/")
            + tr("Untitled") + QStringLiteral(".kinora")
        : m_project->filePath();
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save Project As"), start, projectFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".kinora");
    return saveToPath(path).isEmpty();
}

QString ProjectController::saveToPath(const QString& path)
{
    try {
        m_project->save(path);
        m_project->discardRecovery();
        addRecent(path);
        Q_EMIT message(tr("Saved %1").arg(QFileInfo(path).fileName()));
        return {};
    } catch (const std::exception& e) {
        const QString text = QString::fromUtf8(e.what());
        fail(tr("Cannot save the project"), text);
        return text;
    }
}

bool ProjectController::maybeSave()
{
    if (!m_project->isModified() || !m_showErrors)
        return true;
    const auto answer = QMessageBox::warning(m_window, tr("Save changes?"),
        tr("The project “%1” has changes that are not saved.").arg(m_project->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    return true;
}

bool ProjectController::offerRecovery(bool ask)
{
    auto sessions = core::Project::recoverableSessions();
    std::sort(
        sessions.begin(), sessions.end(), [](const auto& a, const auto& b) { return a.saved > b.saved; });
    for (const auto& session : sessions) {
        if (ask) {
            const QString what = session.originalPath.isEmpty()
                ? tr("an untitled project")
                : tr("the project “%1”").arg(QFileInfo(session.originalPath).fileName());
            QMessageBox box(QMessageBox::Question, tr("Recover your work?"),
                tr("Kinora did not close properly. It kept %1 with %n take(s), autosaved %2.", nullptr,
                    session.takes)
                    .arg(what, QLocale().toString(session.saved, QLocale::ShortFormat)),
                QMessageBox::NoButton, m_window);
            auto* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
            box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
            box.setDefaultButton(recover);
            box.exec();
            if (box.clickedButton() != recover) {
                core::Project::discardSession(session);
                continue;
            }
        }
        try {
            replaceProject(core::Project::recover(session));
            autosave(); // the recovered project is this session's now
            Q_EMIT message(tr("Recovered %n take(s)", nullptr, static_cast<int>(m_project->takes().size())));
            return true;
        } catch (const std::exception& e) {
            fail(tr("Cannot recover the project"), QString::fromUtf8(e.what()));
        }
    }
    return false;
}

void ProjectController::autosave()
{
    try {
        m_project->writeRecovery();
    } catch (const std::exception& e) {
        // Saying it once in the status bar is enough: a dialog every two minutes would be worse.
        qCWarning(lcProject) << "autosave failed:" << e.what();
        Q_EMIT message(tr("Autosave failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

void ProjectController::closing()
{
    m_autosave.stop();
    m_project->discardRecovery();
}

QStringList ProjectController::recentProjects() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void ProjectController::addRecent(const QString& path)
{
    QStringList recent = recentProjects();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    Q_EMIT recentChanged();
}

void ProjectController::updateTitle()
{
    Q_EMIT titleChanged(tr("%1[*] — Kinora").arg(m_project->displayName()));
}

void ProjectController::fail(const QString& title, const QString& text)
{
    qCWarning(lcProject) << title << text;
    Q_EMIT message(text);
    if (m_showErrors)
        QMessageBox::critical(m_window, title, text);
}

} // namespace kinora::ui
