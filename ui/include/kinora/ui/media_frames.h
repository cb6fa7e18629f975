#pragma once
// The FrameSource the window uses for every take and imported media item. Frames are decoded off
// the GUI thread in two lanes, so thumbnails never wait behind the viewer's pictures and the other
// way round: pictures are exact frames (VideoReader::frameAt, a take's PNG, a still) and thumbnails
// (at most kThumbnailSide pixels a side) are the fast keyframe pictures of videoThumbnail. Each lane
// takes its newest request first (a scrub shows where the user is now, not a backlog), merges
// duplicates and drops the oldest waiting requests past a bound. Decoded frames wait in two caches
// bounded by bytes, so large footage is never loaded whole. Paths are resolved from the Project on
// the GUI thread; the decode threads never touch it.

#include "kinora/ui/frame_source.h"

#include <memory>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

struct DecodeResult;
struct FrameKey;

class MediaFrames : public FrameSource {
    Q_OBJECT
public:
    // Requests whose larger side fits in this go to the thumbnail lane.
    static constexpr int kThumbnailSide = 256;
    static constexpr qint64 kPictureBudget = 256LL << 20;
    static constexpr qint64 kThumbnailBudget = 64LL << 20;
    // Waiting requests kept per lane; older ones are dropped (the widget asks again when it paints).
    static constexpr int kMaxWaitingPictures = 8;
    static constexpr int kMaxWaitingThumbnails = 512;

    explicit MediaFrames(QObject* parent = nullptr);
    ~MediaFrames() override;

    // The document whose takes and media are served; may change (New, Open) and may be null.
    // Forgets every cached frame and waiting request of the previous one.
    void setProject(core::Project* project);
    core::Project* project() const;

    std::optional<SourceInfo> info(const QString& sourceId) const override;
    QImage frame(const QString& sourceId, int64_t frame, QSize maxSize = {}) override;
    // Blocks the caller while it decodes; on the GUI thread only (it reads the project).
    QImage frameNow(const QString& sourceId, int64_t frame, QSize maxSize = {}) override;

    // Bytes the caches may hold (the defaults are kPictureBudget and kThumbnailBudget).
    void setCacheBudget(qint64 pictureBytes, qint64 thumbnailBytes);
    qint64 pictureCacheBytes() const;
    qint64 thumbnailCacheBytes() const;
    qint64 pictureCacheBudget() const;
    qint64 thumbnailCacheBudget() const;
    // Frames asked for and not yet delivered (waiting or being decoded), both lanes.
    int pendingRequests() const;
    // Drops every cached frame (memory pressure, tests).
    void clearCache();

Q_SIGNALS:
    // A source's file is gone or unreadable: said once per source (until it is added again or
    // the project changes); its frames are null meanwhile.
    void sourceFailed(const QString& sourceId, const QString& message);

private:
    struct State;
    std::optional<FrameKey> keyFor(const QString& sourceId, int64_t frame, QSize maxSize) const;
    bool isThumbnail(const FrameKey& key) const;
    void schedule(const FrameKey& key);
    void store(const FrameKey& key, const QImage& image);
    void delivered(const DecodeResult& result);
    void reportFailure(const DecodeResult& result);
    void sourceChangedInProject(const QString& sourceId);

    std::unique_ptr<State> d;
};

} // namespace kinora::ui
