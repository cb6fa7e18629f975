#include "mask_store.h"

#include "kinora/core/project.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace kinora::ui {

MaskStore* MaskStore::of(core::Project* project)
{
    if (!project)
        return nullptr;
    if (auto* store = project->findChild<MaskStore*>(QString(), Qt::FindDirectChildrenOnly))
        return store;
    return new MaskStore(project);
}

MaskStore::MaskStore(core::Project* project)
    : QObject(project)
    , m_project(project)
{
    connect(project, &core::Project::masksChanged, this, &MaskStore::projectChanged);
    connect(&m_watcher, &QFutureWatcher<QImage>::finished, this, [this] {
        const auto running = std::exchange(m_running, std::nullopt);
        if (running && m_watcher.future().resultCount() > 0
            && m_revisions[running->first.first] == running->second) {
            remember(running->first, m_watcher.result());
            Q_EMIT interpolated(running->first.first, running->first.second);
        }
        startNext();
    });
}

const core::MaskTrack& MaskStore::track(const QString& sourceId)
{
    auto it = m_tracks.find(sourceId);
    if (it == m_tracks.end())
        it = m_tracks.emplace(sourceId, m_project->masks(sourceId)).first;
    return it->second;
}

QImage MaskStore::key(const QString& sourceId, int64_t frame)
{
    const auto& keys = track(sourceId).keys();
    const auto it = keys.find(frame);
    return it == keys.end() ? QImage() : it->second;
}

std::optional<QImage> MaskStore::readyMaskAt(const QString& sourceId, int64_t frame)
{
    const core::MaskTrack& keys = track(sourceId);
    if (keys.isEmpty())
        return QImage();
    const int64_t before = keys.previousKey(frame);
    const int64_t after = keys.nextKey(frame);
    // A key, or outside the keys (the nearest is held): no interpolation.
    if (before == frame || before < 0 || after < 0)
        return keys.maskAt(frame);
    const FrameId id(sourceId, frame);
    const auto cached = std::find_if(
        m_interpolated.begin(), m_interpolated.end(), [&](const auto& entry) { return entry.first == id; });
    if (cached == m_interpolated.end())
        return std::nullopt;
    const QImage mask = cached->second;
    remember(id, mask); // the newest again
    return mask;
}

QImage MaskStore::maskAt(const QString& sourceId, int64_t frame)
{
    if (auto ready = readyMaskAt(sourceId, frame))
        return *ready;
    QImage mask = track(sourceId).maskAt(frame);
    remember({ sourceId, frame }, mask);
    return mask;
}

void MaskStore::requestMaskAt(const QString& sourceId, int64_t frame)
{
    const FrameId id(sourceId, frame);
    if (readyMaskAt(sourceId, frame) || (m_running && m_running->first == id))
        return;
    std::erase(m_requests, id);
    m_requests.push_front(id);
    if (m_requests.size() > kRequestsKept)
        m_requests.pop_back();
    if (!m_running)
        startNext();
}

void MaskStore::startNext()
{
    while (!m_requests.empty() && !m_running) {
        const FrameId id = m_requests.front();
        m_requests.pop_front();
        if (readyMaskAt(id.first, id.second))
            continue;
        m_running = std::make_pair(id, m_revisions[id.first]);
        // The track is copied: its images are shared and only read there.
        m_watcher.setFuture(
            QtConcurrent::run([track = track(id.first), frame = id.second] { return track.maskAt(frame); }));
    }
}

void MaskStore::remember(const FrameId& id, const QImage& mask)
{
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first == id; });
    m_interpolated.emplace_front(id, mask);
    if (m_interpolated.size() > kInterpolatedKept)
        m_interpolated.pop_back();
}

bool MaskStore::setKey(const QString& sourceId, int64_t frame, const QImage& mask)
{
    track(sourceId); // read the others first, so this one is not read back from disk
    m_writing = std::make_pair(
        FrameId(sourceId, frame), mask.isNull() ? QImage() : mask.convertToFormat(QImage::Format_Grayscale8));
    try {
        m_project->setMaskKey(sourceId, frame, mask);
    } catch (const std::exception& error) {
        m_writing.reset();
        Q_EMIT writeFailed(QString::fromUtf8(error.what()));
        return false;
    }
    m_writing.reset();
    return true;
}

void MaskStore::projectChanged(const QString& sourceId, int64_t frame)
{
    // Every in-between mask of the source may change with one key.
    ++m_revisions[sourceId];
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first.first == sourceId; });
    const auto it = m_tracks.find(sourceId);
    if (it != m_tracks.end()) {
        const FrameId id(sourceId, frame);
        QImage mask;
        if (m_writing && m_writing->first == id) {
            mask = m_writing->second;
        } else {
            // Someone else wrote it (a job, another panel): read what is on disk now.
            const auto frames = m_project->maskKeyFrames(sourceId);
            if (std::binary_search(frames.begin(), frames.end(), frame))
                mask = QImage(m_project->maskKeyPath(sourceId, frame));
        }
        it->second.setKey(frame, mask);
    }
    Q_EMIT changed(sourceId, frame);
}

} // namespace kinora::ui
