#pragma once
// The masks of one project as the mask painter and its undo commands see them: each source's
// keyframes read once from the project and then kept in step with Project::masksChanged, the
// in-between masks interpolated last (so stepping back and forth or onion skins do not run the
// distance transforms again), and writes through Project::setMaskKey, which puts the PNG on disk at
// once. An in-between mask of a large frame takes tens of milliseconds to interpolate, so the
// painter asks for it in the background (requestMaskAt) and shows it when `interpolated` says it
// is there; only the newest few requests are kept, so scrubbing never queues up work. The store is
// a child of its Project (of()): commands that find the project through a QPointer find the same
// store, and it goes when the project goes.

#include "kinora/core/mask_keyframes.h"

#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QString>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

class MaskStore : public QObject {
    Q_OBJECT
public:
    // In-between masks kept (each a frame of Grayscale8), and background requests waiting.
    static constexpr size_t kInterpolatedKept = 8;
    static constexpr size_t kRequestsKept = 3;

    // The project's store, made on first use.
    static MaskStore* of(core::Project* project);

    // The keyframes of `sourceId` (read from the project the first time).
    const core::MaskTrack& track(const QString& sourceId);
    bool isKey(const QString& sourceId, int64_t frame) { return track(sourceId).isKey(frame); }
    // The key image of `frame`, or a null image when it is not a key.
    QImage key(const QString& sourceId, int64_t frame);
    // The mask `frame` shows: its key, the interpolation between the keys around it, the nearest
    // key's outside them; a null image when the source has no key. Interpolates now if need be.
    QImage maskAt(const QString& sourceId, int64_t frame);
    // The same when it is at hand without interpolating; nullopt when it is not (yet).
    std::optional<QImage> readyMaskAt(const QString& sourceId, int64_t frame);
    // Interpolates `frame` on the thread pool unless it is at hand; `interpolated` follows.
    void requestMaskAt(const QString& sourceId, int64_t frame);

    // Makes `frame` a key with `mask` (a null image removes the key) through Project::setMaskKey.
    // On failure (a full disk) nothing changes, writeFailed says why, and it returns false.
    bool setKey(const QString& sourceId, int64_t frame, const QImage& mask);

Q_SIGNALS:
    // A key of `sourceId` was set or removed (the store is already up to date).
    void changed(const QString& sourceId, qint64 frame);
    // A requested in-between mask is now at hand.
    void interpolated(const QString& sourceId, qint64 frame);
    void writeFailed(const QString& message);

private:
    using FrameId = std::pair<QString, int64_t>;
    explicit MaskStore(core::Project* project);
    void projectChanged(const QString& sourceId, int64_t frame);
    void remember(const FrameId& id, const QImage& mask);
    void startNext();

    core::Project* m_project; // the parent: always alive while the store is
    std::map<QString, core::MaskTrack> m_tracks;
    std::map<QString, int> m_revisions; // bumped on every key change of a source
    std::deque<std::pair<FrameId, QImage>> m_interpolated; // newest first
    std::deque<FrameId> m_requests; // newest first
    std::optional<std::pair<FrameId, int>> m_running; // and the source's revision it started at
    QFutureWatcher<QImage> m_watcher;
    // The key being written by setKey, so its own masksChanged needs no read back from disk.
    std::optional<std::pair<FrameId, QImage>> m_writing;
};

} // namespace kinora::ui
