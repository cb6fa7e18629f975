#pragma once
// Brings footage into the project: video files, still images and folders of numbered images, by
// the Import menu or a drop. Each path is probed on a background thread (a probe reads every
// packet to count frames exactly, seconds for long footage) and what it finds becomes a
// MediaRecord added by an AddMediaCommand on the main window's undo stack, so an import undoes
// like any edit. A path that cannot be imported adds nothing and says why in one sentence.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

class QMimeData;
class QUndoStack;

namespace kinora::core {
class Project;
}

namespace kinora::ui {

struct ProbedMedia;

class MediaImporter : public QObject {
    Q_OBJECT
public:
    explicit MediaImporter(QUndoStack* undoStack, QObject* parent = nullptr);
    ~MediaImporter() override; // probes still running finish unheard

    // The document imports go into; may change (New, Open) and may be null. Items an older file
    // kept without frame counts (frames == 0) are probed again in the background and completed.
    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }

    // Probes each path in the background; `imported` or `failed` follows for each, in any order.
    void importPaths(const QStringList& paths);
    bool isBusy() const { return m_running > 0; }

    // The local files and folders a drop carries (a project file is not media: it is left out).
    static QStringList importablePaths(const QMimeData* mime);
    // For the Import dialog: "Media (*.mp4 *.mov …);;All files (*)".
    static QString fileDialogFilter();

Q_SIGNALS:
    void imported(const QString& mediaId);
    void failed(const QString& path, const QString& message);
    void busyChanged(bool busy); // the status bar says "Importing…" while true

private:
    struct Inbox;
    void start(const QString& path, bool reprobe);
    void finished(const QString& path, bool reprobe, quint64 generation, const ProbedMedia& probed);
    void add(const ProbedMedia& probed);
    void complete(const QString& path, const ProbedMedia& probed);

    QUndoStack* m_undoStack;
    QPointer<core::Project> m_project;
    quint64 m_generation = 0; // results for an earlier project are dropped
    int m_running = 0;
    std::shared_ptr<Inbox> m_inbox;
};

} // namespace kinora::ui
