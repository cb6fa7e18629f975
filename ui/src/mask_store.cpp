#include "mask_store.h"

#include "kinora/core/project.h"

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

QImage MaskStore::maskAt(const QString& sourceId, int64_t frame)
{
    const core::MaskTrack& keys = track(sourceId);
    if (keys.isEmpty())
        return {};
    if (keys.isKey(frame))
        return keys.keys().at(frame);
    const auto id = std::make_pair(sourceId, frame);
    const auto cached = std::find_if(
        m_interpolated.begin(), m_interpolated.end(), [&](const auto& entry) { return entry.first == id; });
    if (cached != m_interpolated.end()) {
        auto entry = *cached;
        m_interpolated.erase(cached);
        m_interpolated.push_front(entry);
        return entry.second;
    }
    QImage mask = keys.maskAt(frame);
    m_interpolated.emplace_front(id, mask);
    if (m_interpolated.size() > kInterpolatedKept)
        m_interpolated.pop_back();
    return mask;
}

bool MaskStore::setKey(const QString& sourceId, int64_t frame, const QImage& mask)
{
    track(sourceId); // read the others first, so this one is not read back from disk
    m_writing = std::make_pair(std::make_pair(sourceId, frame),
        mask.isNull() ? QImage() : mask.convertToFormat(QImage::Format_Grayscale8));
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
    forgetInterpolated(sourceId);
    const auto it = m_tracks.find(sourceId);
    if (it != m_tracks.end()) {
        const auto id = std::make_pair(sourceId, frame);
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

void MaskStore::forgetInterpolated(const QString& sourceId)
{
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first.first == sourceId; });
}

} // namespace kinora::ui
