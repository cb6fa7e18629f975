#include "kinora/ui/media_frames.h"

#include "decode_lane.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/project.h"

#include <QCache>
#include <QHash>
#include <QLoggingCategory>
#include <QPointer>

#include <mutex>

namespace kinora::ui {

namespace {

Q_LOGGING_CATEGORY(lcFrames, "kinora.frames")

struct ResolvedSource {
    SourceInfo info;
    SourceKind kind = SourceKind::Video;
    bool still = false;
};

} // namespace

struct MediaFrames::State {
    QPointer<core::Project> project;
    std::vector<QMetaObject::Connection> connections;
    // Project lookups, dropped whenever its takes or media change (nullopt: no such source).
    QHash<QString, std::optional<ResolvedSource>> resolved;
    QHash<QString, QString> broken; // sources that do not open -> why
    QSet<QString> warned; // sources whose failure sourceFailed has told
    QSet<FrameKey> failedFrames; // frames that do not decode, in a source that opens
    QCache<FrameKey, QImage> pictures { static_cast<qsizetype>(kPictureBudget) };
    QCache<FrameKey, QImage> thumbnails { static_cast<qsizetype>(kThumbnailBudget) };
    QHash<FrameKey, quint64> pending; // asked for, not delivered: the ticket of the request
    quint64 nextTicket = 1;
    std::unique_ptr<DecodeLane> pictureLane;
    std::unique_ptr<DecodeLane> thumbnailLane;
    std::mutex syncMutex;
    FrameDecoder syncPictures { false };
    FrameDecoder syncThumbnails { true };

    // Cached frames and pending requests of one source (all when the id is empty).
    void forget(const QString& id)
    {
        const auto drop = [&](QCache<FrameKey, QImage>& cache) {
            const auto keys = cache.keys();
            for (const FrameKey& key : keys)
                if (id.isEmpty() || key.sourceId == id)
                    cache.remove(key);
        };
        drop(pictures);
        drop(thumbnails);
        for (auto it = pending.begin(); it != pending.end();)
            it = id.isEmpty() || it.key().sourceId == id ? pending.erase(it) : std::next(it);
        for (auto it = failedFrames.begin(); it != failedFrames.end();)
            it = id.isEmpty() || it->sourceId == id ? failedFrames.erase(it) : std::next(it);
        if (id.isEmpty()) {
            broken.clear();
            warned.clear();
        } else {
            broken.remove(id);
            warned.remove(id);
        }
    }
};

MediaFrames::MediaFrames(QObject* parent)
    : FrameSource(parent)
    , d(std::make_unique<State>())
{
    // Results come back on the lanes' threads and are handed to the GUI thread; the lanes are
    // joined in the destructor before this object goes, and Qt drops what was still posted.
    const auto deliver = [this](DecodeResult result) {
        QMetaObject::invokeMethod(
            this, [this, result = std::move(result)] { delivered(result); }, Qt::QueuedConnection);
    };
    d->pictureLane = std::make_unique<DecodeLane>(
        QStringLiteral("kinora pictures"), false, kMaxWaitingPictures, deliver);
    d->thumbnailLane = std::make_unique<DecodeLane>(
        QStringLiteral("kinora thumbnails"), true, kMaxWaitingThumbnails, deliver);
}

MediaFrames::~MediaFrames()
{
    d->pictureLane.reset();
    d->thumbnailLane.reset();
}

void MediaFrames::setProject(core::Project* project)
{
    for (const auto& connection : d->connections)
        disconnect(connection);
    d->connections.clear();
    d->project = project;
    d->resolved.clear();
    d->forget({});
    d->pictureLane->clear();
    d->thumbnailLane->clear();
    if (!project)
        return;
    const auto changed = [this](const QString& id) { sourceChangedInProject(id); };
    const auto listChanged = [this] { d->resolved.clear(); };
    d->connections = {
        connect(project, &core::Project::takeAdded, this, changed),
        connect(project, &core::Project::takeRemoved, this, changed),
        connect(project, &core::Project::mediaAdded, this, changed),
        connect(project, &core::Project::mediaRemoved, this, changed),
        connect(project, &core::Project::takesChanged, this, listChanged),
        connect(project, &core::Project::mediaChanged, this, listChanged),
        connect(project, &QObject::destroyed, this, [this] { setProject(nullptr); }),
    };
}

core::Project* MediaFrames::project() const
{
    return d->project;
}

void MediaFrames::sourceChangedInProject(const QString& sourceId)
{
    // Added again (undo), its frames may have been rewritten, or a missing file may be back.
    d->resolved.clear();
    d->forget(sourceId);
    Q_EMIT sourceChanged(sourceId);
}

static std::optional<ResolvedSource> resolveSource(const core::Project* project, const QString& id)
{
    const auto details = project ? project->source(id) : std::nullopt;
    if (!details)
        return std::nullopt;
    ResolvedSource source;
    source.info.path = details->path;
    source.info.frames = details->frames;
    source.info.size = details->size;
    source.info.fps = details->fps;
    source.info.audio = details->audio;
    source.info.audioStart = details->audioStart;
    source.still = details->still;
    if (details->still)
        source.kind = SourceKind::Still;
    else if (details->isTake || core::isSequencePattern(details->path))
        source.kind = SourceKind::Sequence;
    return source;
}

std::optional<SourceInfo> MediaFrames::info(const QString& sourceId) const
{
    auto it = d->resolved.find(sourceId);
    if (it == d->resolved.end())
        it = d->resolved.insert(sourceId, resolveSource(d->project, sourceId));
    if (!it.value())
        return std::nullopt;
    return it.value()->info;
}

std::optional<FrameKey> MediaFrames::keyFor(const QString& sourceId, int64_t frame, QSize maxSize) const
{
    auto it = d->resolved.find(sourceId);
    if (it == d->resolved.end())
        it = d->resolved.insert(sourceId, resolveSource(d->project, sourceId));
    const auto& source = it.value();
    if (!source || frame < 0)
        return std::nullopt;
    if (source->still)
        frame = 0; // a still is the same picture for as long as its clip lasts
    else if (source->info.frames > 0 && frame >= source->info.frames)
        return std::nullopt;
    const QSize full = source->info.size;
    // A box the whole frame fits in asks for the full frame: one decode serves every such box.
    if (!maxSize.isValid() || maxSize.isEmpty()
        || (full.isValid() && !full.isEmpty() && maxSize.width() >= full.width()
            && maxSize.height() >= full.height()))
        maxSize = QSize();
    return FrameKey { sourceId, frame, maxSize };
}

bool MediaFrames::isThumbnail(const FrameKey& key) const
{
    return key.size.isValid() && std::max(key.size.width(), key.size.height()) <= kThumbnailSide;
}

QImage MediaFrames::frame(const QString& sourceId, int64_t frame, QSize maxSize)
{
    const auto key = keyFor(sourceId, frame, maxSize);
    if (!key)
        return {};
    if (const QImage* image = (isThumbnail(*key) ? d->thumbnails : d->pictures).object(*key))
        return *image;
    if (d->broken.contains(sourceId) || d->failedFrames.contains(*key) || d->pending.contains(*key))
        return {};
    schedule(*key);
    return {};
}

void MediaFrames::schedule(const FrameKey& key)
{
    const auto& source = d->resolved.value(key.sourceId);
    if (!source)
        return;
    DecodeRequest request { key, source->info.path, source->kind, d->nextTicket++ };
    d->pending.insert(key, request.ticket);
    auto& lane = isThumbnail(key) ? *d->thumbnailLane : *d->pictureLane;
    for (const FrameKey& dropped : lane.push(std::move(request)))
        d->pending.remove(dropped);
}

QImage MediaFrames::frameNow(const QString& sourceId, int64_t frame, QSize maxSize)
{
    const auto key = keyFor(sourceId, frame, maxSize);
    if (!key)
        return {};
    const bool thumbnail = isThumbnail(*key);
    if (const QImage* image = (thumbnail ? d->thumbnails : d->pictures).object(*key))
        return *image;
    if (d->broken.contains(sourceId))
        return {};
    const auto source = d->resolved.value(sourceId);
    DecodeResult result;
    {
        std::lock_guard lock(d->syncMutex);
        // An exact frame even at thumbnail sizes: callers of frameNow want the frame asked for.
        result = d->syncPictures.decode({ *key, source->info.path, source->kind, 0 });
    }
    if (!result.error.isEmpty()) {
        reportFailure(result);
        return {};
    }
    if (!result.image.isNull())
        store(*key, result.image);
    return result.image;
}

void MediaFrames::store(const FrameKey& key, const QImage& image)
{
    auto& cache = isThumbnail(key) ? d->thumbnails : d->pictures;
    const qsizetype cost = image.sizeInBytes();
    if (cost > cache.maxCost()) {
        qCWarning(lcFrames) << "frame" << key.frame << "of" << key.sourceId << "is larger than the cache";
        return;
    }
    cache.insert(key, new QImage(image), cost);
}

void MediaFrames::delivered(const DecodeResult& result)
{
    const auto it = d->pending.constFind(result.key);
    if (it == d->pending.cend() || it.value() != result.ticket)
        return; // from before the project changed or the source was added again
    d->pending.erase(it);
    if (!result.error.isEmpty()) {
        reportFailure(result);
        return;
    }
    if (result.image.isNull())
        return;
    store(result.key, result.image);
    Q_EMIT frameReady(result.key.sourceId, result.key.frame);
}

void MediaFrames::reportFailure(const DecodeResult& result)
{
    const QString& id = result.key.sourceId;
    if (result.sourceBroken)
        d->broken.insert(id, result.error); // every frame would fail the same way
    else
        d->failedFrames.insert(result.key); // the other frames may still decode
    if (d->warned.contains(id))
        return;
    // One warning per source: the message names the file and what is wrong with it.
    d->warned.insert(id);
    qCWarning(lcFrames) << result.error;
    Q_EMIT sourceFailed(id, result.error);
}

void MediaFrames::setCacheBudget(qint64 pictureBytes, qint64 thumbnailBytes)
{
    d->pictures.setMaxCost(static_cast<qsizetype>(std::max<qint64>(pictureBytes, 0)));
    d->thumbnails.setMaxCost(static_cast<qsizetype>(std::max<qint64>(thumbnailBytes, 0)));
}

qint64 MediaFrames::pictureCacheBytes() const
{
    return d->pictures.totalCost();
}

qint64 MediaFrames::thumbnailCacheBytes() const
{
    return d->thumbnails.totalCost();
}

qint64 MediaFrames::pictureCacheBudget() const
{
    return d->pictures.maxCost();
}

qint64 MediaFrames::thumbnailCacheBudget() const
{
    return d->thumbnails.maxCost();
}

int MediaFrames::pendingRequests() const
{
    return static_cast<int>(d->pending.size());
}

void MediaFrames::clearCache()
{
    d->pictures.clear();
    d->thumbnails.clear();
}

} // namespace kinora::ui
