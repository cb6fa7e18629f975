#pragma once
// The masks of one project as the mask painter and its undo commands see them. A source's key
// frames are the project's list (nothing decoded); a key's image is decoded when a frame needs it
// and the last few are kept, as are the last in-between masks (so stepping back and forth or onion
// skins do not run the distance transforms again). Decoding a 1280x720 key takes milliseconds and
// an in-between mask tens of them, so the painter asks for a frame's mask in the background
// (requestMaskAt) and shows it when `maskReady` says it is there: a source with hundreds of keys
// opens without decoding them, and only the newest few requests are kept, so scrubbing never
// queues up work. Writes go through Project::setMaskKeysInBackground: the keys change at once and
// the files are written in order on the project's writer thread; a whole import is one batch of
// PNGs encoded on the thread pool and one `changed`. The store is a child of its Project (of()):
// commands that find the project through a QPointer find the same store, and it goes when the
// project goes.

#include "kinora/core/mask_keyframes.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QString>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

// Some keys of a source to read off the GUI thread: those decoded already and the PNG bytes of the
// others (Project::maskKeyPng when it was taken, so later edits do not change it).
struct MaskKeys {
    std::map<int64_t, QImage> decoded;
    std::map<int64_t, QByteArray> encoded;
    // Every key, the encoded ones decoded now (one that does not decode is left out). Any thread.
    core::MaskTrack track() const;
};

class MaskStore : public QObject {
    Q_OBJECT
public:
    // Decoded keys and in-between masks kept (each a frame of Grayscale8), background requests
    // waiting.
    static constexpr size_t kKeysKept = 12;
    static constexpr size_t kInterpolatedKept = 8;
    static constexpr size_t kRequestsKept = 3;

    // The project's store, made on first use.
    static MaskStore* of(core::Project* project);

    // The keyframes of `sourceId` (a key whose PNG turned out unreadable is left out).
    const std::set<int64_t>& keyFrames(const QString& sourceId);
    bool isKey(const QString& sourceId, int64_t frame) { return keyFrames(sourceId).count(frame) != 0; }
    // The key image of `frame` (decoded now if it is not at hand), or a null image when it is not
    // a key.
    QImage key(const QString& sourceId, int64_t frame);
    // The key image when it is decoded already; nullopt when it is not (or not a key).
    std::optional<QImage> decodedKey(const QString& sourceId, int64_t frame);
    // The mask `frame` shows: its key, the interpolation between the keys around it, the nearest
    // key's outside them; a null image when the source has no key. Decodes (at most the two keys
    // around it) and interpolates now if need be: for an edit, not for showing.
    QImage maskAt(const QString& sourceId, int64_t frame);
    // The same when it is at hand without decoding or interpolating; nullopt when it is not (yet).
    std::optional<QImage> readyMaskAt(const QString& sourceId, int64_t frame);
    // Decodes and interpolates `frame` on the thread pool unless it is at hand; `maskReady` follows.
    void requestMaskAt(const QString& sourceId, int64_t frame);
    // Every key of the source, to be decoded off the GUI thread (MaskKeys::track): reads the PNGs
    // of the keys not at hand, decodes nothing.
    MaskKeys allKeys(const QString& sourceId);

    // Makes `frame` a key with `mask` (a null image removes the key); encodes it on this thread (a
    // stroke: one frame). The key is set at once; the file is written on the project's writer
    // thread (Project::setMaskKeysInBackground). When it cannot be written (a full disk) the key
    // goes back to what is on disk, writeFailed says why and `failed` is called. Returns false
    // when nothing could be started (the mask does not encode).
    bool setKey(
        const QString& sourceId, int64_t frame, const QImage& mask, std::function<void()> failed = {});
    // The same for keys already encoded (an empty array removes the key), all or none, with one
    // `changed`. `decoded` may hold some of them as images, so the painter shows them without
    // decoding.
    bool setKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& pngs,
        const std::map<int64_t, QImage>& decoded = {}, std::function<void()> failed = {});

Q_SIGNALS:
    // Keys of `sourceId` were set or removed: `frame`, or -1 when several changed at once (the
    // store is already up to date).
    void changed(const QString& sourceId, qint64 frame);
    // A requested mask is now at hand.
    void maskReady(const QString& sourceId, qint64 frame);
    void writeFailed(const QString& message);

private:
    using FrameId = std::pair<QString, int64_t>;
    // The keys `frame` needs: itself, the one held outside the keys, or the two around it (then
    // `between`).
    struct Needs {
        std::vector<int64_t> keys;
        bool between = false;
    };
    struct Result {
        std::map<int64_t, QImage> decoded; // the keys it decoded (null: unreadable)
        QImage mask; // null when a key was unreadable
        bool between = false;
    };
    struct Writing {
        QString sourceId;
        const std::map<int64_t, QImage>* decoded = nullptr;
        std::vector<int64_t> frames; // what the project said changed
    };
    explicit MaskStore(core::Project* project);
    Needs needs(const QString& sourceId, int64_t frame);
    void projectChanged(const QString& sourceId, int64_t frame);
    void rememberKey(const FrameId& id, const QImage& mask);
    void remember(const FrameId& id, const QImage& mask);
    // A key that does not decode is left out (as Project::masks leaves it out).
    void dropUnreadable(const QString& sourceId, int64_t frame);
    void finishRequest();
    void startNext();

    core::Project* m_project; // the parent: always alive while the store is
    std::map<QString, std::set<int64_t>> m_keys;
    std::map<QString, int> m_revisions; // bumped on every key change of a source
    std::deque<std::pair<FrameId, QImage>> m_decoded; // newest first
    std::deque<std::pair<FrameId, QImage>> m_interpolated; // newest first
    std::deque<FrameId> m_requests; // newest first
    std::optional<std::pair<FrameId, int>> m_running; // and the source's revision it started at
    QFutureWatcher<Result> m_watcher;
    std::optional<Writing> m_writing; // while setKeys writes
};

} // namespace kinora::ui
