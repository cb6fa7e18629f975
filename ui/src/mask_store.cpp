#include "mask_store.h"

#include "kinora/core/mask_png.h"
#include "kinora/core/project.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <iterator>

namespace kinora::ui {

core::MaskTrack MaskKeys::track() const
{
    core::MaskTrack track;
    for (const auto& [frame, mask] : decoded)
        track.setKey(frame, mask);
    for (const auto& [frame, png] : encoded)
        track.setKey(frame, core::decodeMaskPng(png)); // a null image: left out
    return track;
}

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
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &MaskStore::finishRequest);
}

const std::set<int64_t>& MaskStore::keyFrames(const QString& sourceId)
{
    auto it = m_keys.find(sourceId);
    if (it == m_keys.end()) {
        const std::vector<int64_t> frames = m_project->maskKeyFrames(sourceId);
        it = m_keys.emplace(sourceId, std::set<int64_t>(frames.begin(), frames.end())).first;
    }
    return it->second;
}

std::optional<QImage> MaskStore::decodedKey(const QString& sourceId, int64_t frame)
{
    const FrameId id(sourceId, frame);
    const auto it = std::find_if(
        m_decoded.begin(), m_decoded.end(), [&](const auto& entry) { return entry.first == id; });
    if (it == m_decoded.end())
        return std::nullopt;
    const QImage mask = it->second;
    rememberKey(id, mask); // the newest again
    return mask;
}

QImage MaskStore::key(const QString& sourceId, int64_t frame)
{
    if (!isKey(sourceId, frame))
        return {};
    if (auto decoded = decodedKey(sourceId, frame))
        return *decoded;
    const QImage mask = core::decodeMaskPng(m_project->maskKeyPng(sourceId, frame));
    if (mask.isNull())
        dropUnreadable(sourceId, frame);
    else
        rememberKey({ sourceId, frame }, mask);
    return mask;
}

MaskStore::Needs MaskStore::needs(const QString& sourceId, int64_t frame)
{
    const std::set<int64_t>& keys = keyFrames(sourceId);
    if (keys.empty())
        return {};
    const auto after = keys.lower_bound(frame);
    if (after != keys.end() && *after == frame)
        return { { frame }, false };
    if (after == keys.begin())
        return { { *after }, false }; // before the first key: it is held
    const auto before = std::prev(after);
    if (after == keys.end())
        return { { *before }, false }; // after the last: it is held
    return { { *before, *after }, true };
}

std::optional<QImage> MaskStore::readyMaskAt(const QString& sourceId, int64_t frame)
{
    const Needs need = needs(sourceId, frame);
    if (need.keys.empty())
        return QImage();
    if (!need.between)
        return decodedKey(sourceId, need.keys.front());
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
    for (;;) {
        if (auto ready = readyMaskAt(sourceId, frame))
            return *ready;
        const Needs need = needs(sourceId, frame);
        core::MaskTrack track;
        for (int64_t keyFrame : need.keys)
            track.setKey(keyFrame, key(sourceId, keyFrame));
        if (track.keys().size() != need.keys.size())
            continue; // a key was unreadable and is left out: the frame needs others
        if (!need.between)
            return track.keys().begin()->second;
        QImage mask = track.maskAt(frame);
        remember({ sourceId, frame }, mask);
        return mask;
    }
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
        const Needs need = needs(id.first, id.second);
        // The keys at hand go as images (shared, only read there), the others as their PNGs.
        MaskKeys keys;
        for (int64_t keyFrame : need.keys) {
            if (auto decoded = decodedKey(id.first, keyFrame))
                keys.decoded.emplace(keyFrame, *decoded);
            else
                keys.encoded.emplace(keyFrame, m_project->maskKeyPng(id.first, keyFrame));
        }
        m_running = std::make_pair(id, m_revisions[id.first]);
        m_watcher.setFuture(QtConcurrent::run([keys, frame = id.second, between = need.between] {
            Result result;
            result.between = between;
            core::MaskTrack track;
            for (const auto& [keyFrame, mask] : keys.decoded)
                track.setKey(keyFrame, mask);
            bool unreadable = false;
            for (const auto& [keyFrame, png] : keys.encoded) {
                const QImage mask = core::decodeMaskPng(png);
                result.decoded.emplace(keyFrame, mask);
                track.setKey(keyFrame, mask);
                unreadable = unreadable || mask.isNull();
            }
            if (!unreadable)
                result.mask = track.maskAt(frame);
            return result;
        }));
    }
}

void MaskStore::finishRequest()
{
    const auto running = std::exchange(m_running, std::nullopt);
    // A result for keys that changed meanwhile is dropped: the painter asks again.
    if (running && m_watcher.future().resultCount() > 0
        && m_revisions[running->first.first] == running->second) {
        const FrameId& id = running->first;
        const Result result = m_watcher.result();
        bool unreadable = false;
        for (const auto& [keyFrame, mask] : result.decoded) {
            if (mask.isNull()) {
                dropUnreadable(id.first, keyFrame);
                unreadable = true;
            } else {
                rememberKey({ id.first, keyFrame }, mask);
            }
        }
        if (unreadable) {
            m_requests.push_front(id); // again, with the keys that are left
        } else {
            if (result.between)
                remember(id, result.mask);
            Q_EMIT maskReady(id.first, id.second);
        }
    }
    startNext();
}

MaskKeys MaskStore::allKeys(const QString& sourceId)
{
    MaskKeys keys;
    for (int64_t frame : keyFrames(sourceId)) {
        const FrameId id(sourceId, frame);
        const auto decoded = std::find_if(
            m_decoded.begin(), m_decoded.end(), [&](const auto& entry) { return entry.first == id; });
        if (decoded != m_decoded.end())
            keys.decoded.emplace(frame, decoded->second);
        else
            keys.encoded.emplace(frame, m_project->maskKeyPng(sourceId, frame));
    }
    return keys;
}

void MaskStore::rememberKey(const FrameId& id, const QImage& mask)
{
    std::erase_if(m_decoded, [&](const auto& entry) { return entry.first == id; });
    m_decoded.emplace_front(id, mask);
    if (m_decoded.size() > kKeysKept)
        m_decoded.pop_back();
}

void MaskStore::remember(const FrameId& id, const QImage& mask)
{
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first == id; });
    m_interpolated.emplace_front(id, mask);
    if (m_interpolated.size() > kInterpolatedKept)
        m_interpolated.pop_back();
}

void MaskStore::dropUnreadable(const QString& sourceId, int64_t frame)
{
    m_keys[sourceId].erase(frame);
    ++m_revisions[sourceId];
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first.first == sourceId; });
    // Said later: this runs inside a lookup, and the painter reads the keys again on `changed`.
    QMetaObject::invokeMethod(
        this, [this, sourceId, frame] { Q_EMIT changed(sourceId, frame); }, Qt::QueuedConnection);
}

bool MaskStore::setKey(
    const QString& sourceId, int64_t frame, const QImage& mask, std::function<void()> failed)
{
    if (mask.isNull())
        return setKeys(sourceId, { { frame, QByteArray() } }, {}, std::move(failed));
    const QImage gray = mask.convertToFormat(QImage::Format_Grayscale8);
    const QByteArray png = core::encodeMaskPng(gray);
    if (png.isEmpty()) {
        Q_EMIT writeFailed(tr("The mask of frame %1 could not be encoded as PNG.").arg(frame));
        return false;
    }
    return setKeys(sourceId, { { frame, png } }, { { frame, gray } }, std::move(failed));
}

bool MaskStore::setKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& pngs,
    const std::map<int64_t, QImage>& decoded, std::function<void()> failed)
{
    keyFrames(sourceId); // the list before the write, kept in step by projectChanged
    m_writing = Writing { sourceId, &decoded, {} };
    try {
        // The project puts the keys back itself (masksChanged) before it calls this.
        m_project->setMaskKeysInBackground(
            sourceId, pngs, [this, failed = std::move(failed)](const QString& message) {
                if (failed)
                    failed();
                Q_EMIT writeFailed(message);
            });
    } catch (const std::exception& error) {
        m_writing.reset();
        Q_EMIT writeFailed(QString::fromUtf8(error.what()));
        return false;
    }
    const std::vector<int64_t> frames = std::move(m_writing->frames);
    m_writing.reset();
    if (!frames.empty())
        Q_EMIT changed(sourceId, frames.size() == 1 ? frames.front() : -1);
    return true;
}

void MaskStore::projectChanged(const QString& sourceId, int64_t frame)
{
    // Every in-between mask of the source may change with one key.
    ++m_revisions[sourceId];
    std::erase_if(m_interpolated, [&](const auto& entry) { return entry.first.first == sourceId; });
    const FrameId id(sourceId, frame);
    std::erase_if(m_decoded, [&](const auto& entry) { return entry.first == id; });
    const bool ours = m_writing && m_writing->sourceId == sourceId;
    if (ours) {
        // The image the writer had: no decoding it back. Others are decoded when a frame needs them.
        const auto given = m_writing->decoded->find(frame);
        if (given != m_writing->decoded->end() && !given->second.isNull())
            rememberKey(id, given->second.convertToFormat(QImage::Format_Grayscale8));
    }
    const auto keys = m_keys.find(sourceId);
    if (keys != m_keys.end()) {
        if (m_project->isMaskKey(sourceId, frame))
            keys->second.insert(frame);
        else
            keys->second.erase(frame);
    }
    if (ours)
        m_writing->frames.push_back(frame);
    else
        Q_EMIT changed(sourceId, frame); // someone else wrote it (a job, a test)
}

} // namespace kinora::ui
