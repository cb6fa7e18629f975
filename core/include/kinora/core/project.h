#pragma once
// The project document: imported media, generated takes, the timeline, the masks painted on media
// and takes, and the jobs still waiting, saved as JSON
// (`.kinora`) with a format version. Every take keeps the exact request (task, prompts, size,
// frames, fps, steps, guidance, sampler, seed, device, precision, model folder), the model's name
// and weights hash, and the device and precision it ran on: enough to make it again.
//
// A take's frames are stored losslessly (PNG) in the project's media folder, `NAME_media/` beside
// `NAME.kinora`. Before the first save the media folder is a fresh folder under the user's data
// folder (`untitledRoot()`), so nothing made before saving is lost; Save As moves (or, across file
// systems, copies) it beside the new file. Files are written with QSaveFile: a failed save leaves
// the old file as it was. Autosave writes a recovery file beside the session's lock; after a crash
// the next start finds it (`recoverableSessions`) and offers it back.

#include "kinora/core/mask_keyframes.h"
#include "kinora/core/timeline.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLockFile>
#include <QObject>
#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

namespace kinora::core {

namespace detail {
class MaskWriter;
}

// A project file that cannot be read: damaged, from a newer Kinora, or not a project at all.
// what() is one sentence a user can act on. The file is never modified.
class ProjectError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TakeRecord {
    QString id; // unique in the project, safe as a folder name
    QString name; // shown in the takes bin; the user may rename it
    QString framesPattern; // relative to the media folder, e.g. "takes/<id>/%04d.png"
    int frames = 0;
    int width = 0;
    int height = 0;
    double fps = 0;
    QJsonObject request; // requestToJson(): what makes the take again
    QString prompt; // for the bin (also inside request)
    quint64 seed = 0;
    QString modelName;
    QString modelDir;
    QString weightsHash;
    QString device;
    QString precision;
    QDateTime created;

    QJsonObject toJson() const;
    static TakeRecord fromJson(const QJsonObject& json); // throws ProjectError
};

// An imported clip, image sequence or still image. The file stays where the user keeps it (it is
// never copied); what the import probed is kept with it, so a project opens without decoding.
struct MediaRecord {
    QString id; // "media-NNNN", unique in the project and never a take's id
    QString name;
    QString path; // absolute, or relative to the media folder when it is inside it
    int64_t frames = 0; // counted when imported (0: not probed, e.g. a format 1 file)
    int width = 0; // as displayed (rotation applied)
    int height = 0;
    Rational fps { 24, 1 }; // an image sequence's is the rate it was imported at
    bool still = false; // a single image: shown for as long as its clip lasts
    bool audio = false; // the file's first audio stream plays with it and goes into exports
    double audioStart = 0; // seconds into the file where frame 0 sits
    QJsonObject toJson() const;
    static MediaRecord fromJson(const QJsonObject& json); // throws ProjectError
};

// What the timeline, the viewer, jobs and exports need to know of a source, take or media alike.
struct SourceDetails {
    QString id;
    QString name;
    bool isTake = false;
    QString path; // absolute: a video file, an image-sequence pattern, or an image (still)
    int64_t frames = 0;
    QSize size;
    Rational fps { 24, 1 };
    bool still = false;
    bool audio = false;
    double audioStart = 0;
};

class Project : public QObject {
    Q_OBJECT
public:
    // 2: the timeline and masks (format 1 files open, with an empty timeline and no masks).
    static constexpr int kFormatVersion = 2;
    static constexpr const char* kSuffix = "kinora"; // NAME.kinora

    // A new, untitled project with a fresh media folder under untitledRoot().
    explicit Project(QObject* parent = nullptr);
    // Unless a recovery file is left (writeRecovery() without discardRecovery()), removes the
    // session folder and an untitled project's media folder: closing without saving discards.
    ~Project() override;

    // Reads a project file. Throws ProjectError (damaged, newer version, missing); never writes.
    static std::unique_ptr<Project> open(const QString& path);

    // Writes the project to `path` (Save when it is filePath(), Save As otherwise) and, when the
    // media folder is not already beside `path`, moves it there first (copies it when the old
    // project file still exists, so Save As leaves that project whole, or across file systems).
    // Refuses a `NAME_media` folder that already exists with something in it. Throws ProjectError
    // with a clear message on failure; the old file and the media stay as they were. Discards
    // the recovery file on success.
    void save(const QString& path);

    QString filePath() const { return m_filePath; } // empty while untitled
    QString mediaDir() const { return m_mediaDir; } // absolute
    QString displayName() const; // file name without suffix, or "Untitled"
    bool isUntitled() const { return m_filePath.isEmpty(); }
    bool isModified() const { return m_modified; }
    void setModified(bool modified);

    // Takes, in bin order.
    const std::vector<TakeRecord>& takes() const { return m_takes; }
    const TakeRecord* take(const QString& id) const;
    int indexOfTake(const QString& id) const;
    QString newTakeId() const; // unused in this project
    // The absolute pattern a job writes a new take's frames to: mediaDir/takes/<id>/%04d.png.
    QString takeFramesPattern(const QString& id) const;
    QString absoluteFramesPattern(const TakeRecord& take) const;
    // Both throw std::invalid_argument when the take's id is empty, unsafe or already in use.
    void addTake(TakeRecord take); // at the end
    void insertTake(int index, TakeRecord take); // index clamped to [0, takes().size()]
    std::optional<TakeRecord> removeTake(const QString& id); // frames stay on disk (undo)
    bool renameTake(const QString& id, const QString& name);

    // Imported media, in bin order. Ids come from newMediaId(); both inserts throw
    // std::invalid_argument on an empty, unsafe or used id.
    const std::vector<MediaRecord>& media() const { return m_media; }
    const MediaRecord* mediaItem(const QString& id) const;
    int indexOfMedia(const QString& id) const;
    QString newMediaId() const;
    void addMedia(MediaRecord media); // at the end
    void insertMedia(int index, MediaRecord media);
    std::optional<MediaRecord> removeMedia(const QString& id); // the file is never touched
    bool renameMedia(const QString& id, const QString& name);
    // The absolute path of a media item (its path may be relative to the media folder).
    QString absoluteMediaPath(const MediaRecord& media) const;

    // A take or a media item by id; nullopt when there is none.
    std::optional<SourceDetails> source(const QString& id) const;

    // The cut. setTimeline marks the project modified and emits timelineChanged when it differs.
    const Timeline& timeline() const { return m_timeline; }
    void setTimeline(const Timeline& timeline);

    // Masks, per source (a take's or a media item's id) and source frame, so they follow the
    // frames through trims and splits. Keyframes are written as PNGs (Grayscale8, encodeMaskPng)
    // to mediaDir/masks/<source>/<frame>.png, beside the takes' frames; the project file lists the
    // keys. Every setter throws std::invalid_argument on an unsafe source id or a negative frame,
    // and masksChanged follows each key set or removed. Mask writes happen in the order they are
    // made, whichever setter made them.
    //
    // setMaskKey encodes `mask` on the calling thread and writes it (a null image removes the key,
    // its file too); setMaskKeys writes PNGs already encoded, an empty array removing that key.
    // Both write before they return (after the background writes still queued) and throw
    // ProjectError when a file cannot be written, with every file and key then as it was.
    void setMaskKey(const QString& sourceId, int64_t frame, const QImage& mask);
    void setMaskKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& encodedPngs);
    // The same as setMaskKeys with the file writes on a worker thread: each commit syncs a file
    // to disk (milliseconds), too slow for hundreds of frames on the GUI thread. The keys are what
    // the batch makes them at once: maskKeyFrames, maskKeyPng and masks answer from the bytes
    // waiting to be written, and masksChanged follows at once. When a file cannot be written the
    // batch's files are put back as they were, its keys go back to what is on disk (masksChanged
    // again) and `failed(message)` is called on this object's thread. save() waits for the writes.
    void setMaskKeysInBackground(const QString& sourceId, const std::map<int64_t, QByteArray>& encodedPngs,
        std::function<void(const QString& message)> failed = {});
    // Blocks until every mask write queued is on disk (its failures reported).
    void waitForMaskWrites();
    // The source's keyframes read back (an unreadable PNG is left out); empty when it has none.
    // Decodes every key on the calling thread: for jobs and the CLI, not the GUI thread.
    MaskTrack masks(const QString& sourceId) const;
    std::vector<int64_t> maskKeyFrames(const QString& sourceId) const;
    bool isMaskKey(const QString& sourceId, int64_t frame) const;
    QString maskKeyPath(const QString& sourceId, int64_t frame) const;
    // The key's PNG (the bytes waiting to be written, or read from disk; not decoded); empty when
    // `frame` is not a key.
    QByteArray maskKeyPng(const QString& sourceId, int64_t frame) const;

    // Jobs that were still waiting when the project was saved (requestToJson() each).
    QJsonArray pendingJobs() const { return m_pendingJobs; }
    void setPendingJobs(const QJsonArray& jobs);

    QJsonObject toJson() const;

    // Recovery. The session's recovery file lives in its own folder under recoveryRoot() with a
    // lock held while this process runs; a crash leaves the file and a stale lock behind.
    void writeRecovery(); // throws ProjectError on a full disk etc.
    void discardRecovery(); // on clean close or after a save
    QString recoveryFile() const;

    struct RecoverableSession {
        QString recoveryFile;
        QString originalPath; // the project file it belonged to, empty when untitled
        QDateTime saved;
        int takes = 0;
    };
    // Sessions whose process is gone (their lock is stale) and left a recovery file.
    static std::vector<RecoverableSession> recoverableSessions();
    // The recovered project: modified, at its original path (if any), its media where they were.
    static std::unique_ptr<Project> recover(const RecoverableSession& session);
    // Forgets a recoverable session the user declined (its untitled media go too).
    static void discardSession(const RecoverableSession& session);

    // Where untitled media folders and recovery files live (QStandardPaths::AppLocalDataLocation,
    // or $KINORA_DATA_DIR when set, for tests).
    static QString dataRoot();
    static QString untitledRoot();
    static QString recoveryRoot();

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void takesChanged(); // added, removed, renamed or reordered
    void takeAdded(const QString& id);
    void takeRemoved(const QString& id);
    void takeRenamed(const QString& id);
    void mediaChanged(); // added, removed or renamed
    void mediaAdded(const QString& id);
    void mediaRemoved(const QString& id);
    void filePathChanged(const QString& path);
    void timelineChanged();
    void masksChanged(const QString& sourceId, int64_t frame);

private:
    struct PrivateTag { };

public:
    Project(PrivateTag, QObject* parent);

private:
    void lockSession(const QString& sessionDir = {}); // a fresh session folder, or adopts one
    void fromJson(const QJsonObject& json, const QString& where); // throws ProjectError
    void finishMaskWrites(); // on this object's thread

    QString m_filePath;
    QString m_mediaDir;
    bool m_modified = false;
    bool m_ownsUntitledMedia = false; // the untitled media folder is ours to remove when discarded
    std::vector<TakeRecord> m_takes;
    std::vector<MediaRecord> m_media;
    QJsonArray m_pendingJobs;
    Timeline m_timeline;
    std::map<QString, std::set<int64_t>> m_maskKeys; // source id -> keyframes, queued writes included
    // Background mask writes: the bytes of each key still to be written and the batch writing
    // them (empty bytes: a removal), and what each batch touched.
    struct PendingMask {
        QByteArray png;
        uint64_t batch = 0;
    };
    struct MaskBatch {
        QString sourceId;
        std::vector<int64_t> frames;
        std::function<void(const QString&)> failed;
    };
    std::map<std::pair<QString, int64_t>, PendingMask> m_pendingMasks;
    std::map<uint64_t, MaskBatch> m_maskBatches;
    std::unique_ptr<detail::MaskWriter> m_maskWriter; // made on first use
    QString m_sessionDir;
    std::unique_ptr<QLockFile> m_lock;
    mutable int m_nextTakeNumber = 1; // newTakeId() never hands out an id twice
    mutable int m_nextMediaNumber = 1;
};

} // namespace kinora::core
