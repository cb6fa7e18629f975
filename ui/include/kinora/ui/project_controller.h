#pragma once
// Owns the open project and everything that keeps it safe: New, Open, Save, Save As, recent
// projects, the question before an unsaved project is closed, autosave to a recovery file every
// two minutes and after every finished take, and the offer to recover after a crash. Dialogs are
// asked through the window it is given; the *Path methods do the work without dialogs (the menus
// call them after asking, and so do the tests).

#include "kinora/core/project.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <memory>

class QWidget;

namespace kinora::ui {

class ProjectController : public QObject {
    Q_OBJECT
public:
    static constexpr int kAutosaveMs = 2 * 60 * 1000;
    static constexpr int kMaxRecent = 10;

    explicit ProjectController(QWidget* window);
    ~ProjectController() override;

    core::Project* project() const { return m_project.get(); }

    // With dialogs. Each returns false when the user cancelled or it failed (after saying why).
    bool newProject();
    bool open(); // asks for a file
    bool save();
    bool saveAs();
    // Asks to save a modified project; false when the user chose Cancel.
    bool maybeSave();

    // Without dialogs. Return an empty string on success, else the message (also shown, when
    // `showErrors`).
    QString openPath(const QString& path);
    QString saveToPath(const QString& path);
    void replaceProject(std::unique_ptr<core::Project> project);

    // Offers the crashed sessions' projects back (asks once per session; `ask` false: recover the
    // newest without asking, for tests). Returns true when one was recovered.
    bool offerRecovery(bool ask = true);

    void autosave(); // the recovery file, now
    QStringList recentProjects() const;
    void setShowErrors(bool show) { m_showErrors = show; }
    // Called at a clean close: the session's recovery file goes.
    void closing();

Q_SIGNALS:
    void projectChanged(kinora::core::Project* project); // a new, opened or recovered project
    void titleChanged(const QString& title); // for the window title
    void recentChanged();
    void message(const QString& text); // for the status bar

private:
    void addRecent(const QString& path);
    void updateTitle();
    void fail(const QString& title, const QString& text);

    QPointer<QWidget> m_window;
    std::unique_ptr<core::Project> m_project;
    QTimer m_autosave;
    bool m_showErrors = true;
};

} // namespace kinora::ui
