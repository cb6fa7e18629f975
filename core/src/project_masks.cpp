// Project's masks: keyframes as Grayscale8 PNGs in mediaDir/masks/<source>/<frame>.png, listed in
// the project file, written at once or in the background (mask_writer.h), in the order made.

#include "kinora/core/mask_png.h"
#include "kinora/core/project.h"

#include "mask_writer.h"
#include "project_internal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>

#include <stdexcept>
#include <utility>

namespace kinora::core {

QString Project::maskKeyPath(const QString& sourceId, int64_t frame) const
{
    return QDir(m_mediaDir)
        .filePath(QStringLiteral("masks/%1/%2.png").arg(sourceId).arg(frame, 6, 10, QLatin1Char('0')));
}

void Project::setMaskKey(const QString& sourceId, int64_t frame, const QImage& mask)
{
    if (!detail::isSafeId(sourceId) || frame < 0)
        throw std::invalid_argument("Project::setMaskKey: an unsafe source id or a negative frame");
    QByteArray png;
    if (!mask.isNull()) {
        png = encodeMaskPng(mask);
        if (png.isEmpty())
            throw ProjectError(
                tr("The mask of frame %1 could not be encoded as PNG.").arg(frame).toStdString());
    }
    setMaskKeys(sourceId, { { frame, png } });
}

namespace {

void checkMaskKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& encodedPngs)
{
    if (!detail::isSafeId(sourceId) || (!encodedPngs.empty() && encodedPngs.begin()->first < 0))
        throw std::invalid_argument("Project::setMaskKeys: an unsafe source id or a negative frame");
}

} // namespace

void Project::setMaskKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& encodedPngs)
{
    checkMaskKeys(sourceId, encodedPngs);
    waitForMaskWrites(); // after the writes made before this one
    std::vector<detail::MaskFileWrite> writes;
    for (const auto& [frame, png] : encodedPngs)
        if (!png.isEmpty() || isMaskKey(sourceId, frame)) // removing what is no key: nothing to do
            writes.push_back({ frame, maskKeyPath(sourceId, frame), png });
    if (writes.empty())
        return;
    const QString error = detail::writeMaskFiles(writes);
    if (!error.isEmpty())
        throw ProjectError(error.toStdString());
    std::set<int64_t>& keys = m_maskKeys[sourceId];
    for (const auto& write : writes) {
        if (write.png.isEmpty())
            keys.erase(write.frame);
        else
            keys.insert(write.frame);
    }
    setModified(true);
    for (const auto& write : writes)
        Q_EMIT masksChanged(sourceId, write.frame);
}

void Project::setMaskKeysInBackground(const QString& sourceId,
    const std::map<int64_t, QByteArray>& encodedPngs, std::function<void(const QString& message)> failed)
{
    checkMaskKeys(sourceId, encodedPngs);
    std::vector<detail::MaskFileWrite> writes;
    for (const auto& [frame, png] : encodedPngs)
        if (!png.isEmpty() || isMaskKey(sourceId, frame))
            writes.push_back({ frame, maskKeyPath(sourceId, frame), png });
    if (writes.empty())
        return;
    if (!m_maskWriter) {
        m_maskWriter = std::make_unique<detail::MaskWriter>(
            [this] { QMetaObject::invokeMethod(this, &Project::finishMaskWrites, Qt::QueuedConnection); });
    }
    MaskBatch batch { sourceId, {}, std::move(failed) };
    for (const auto& write : writes)
        batch.frames.push_back(write.frame);
    const uint64_t number = m_maskWriter->enqueue(writes);
    // The keys are what the batch makes them from now on.
    std::set<int64_t>& keys = m_maskKeys[sourceId];
    for (const auto& write : writes) {
        m_pendingMasks[{ sourceId, write.frame }] = { write.png, number };
        if (write.png.isEmpty())
            keys.erase(write.frame);
        else
            keys.insert(write.frame);
    }
    m_maskBatches.emplace(number, std::move(batch));
    setModified(true);
    for (const auto& write : writes)
        Q_EMIT masksChanged(sourceId, write.frame);
}

void Project::waitForMaskWrites()
{
    if (!m_maskWriter)
        return;
    m_maskWriter->wait();
    finishMaskWrites();
}

void Project::finishMaskWrites()
{
    if (!m_maskWriter)
        return;
    for (const auto& finished : m_maskWriter->takeFinished()) {
        const auto it = m_maskBatches.find(finished.batch);
        if (it == m_maskBatches.end())
            continue;
        MaskBatch batch = std::move(it->second);
        m_maskBatches.erase(it);
        std::vector<int64_t> reverted;
        for (int64_t frame : batch.frames) {
            const auto pending = m_pendingMasks.find({ batch.sourceId, frame });
            // A later batch writing the same key decides what it is.
            if (pending == m_pendingMasks.end() || pending->second.batch != finished.batch)
                continue;
            m_pendingMasks.erase(pending);
            if (finished.error.isEmpty())
                continue;
            // The batch's files were put back: the key is what is on disk.
            std::set<int64_t>& keys = m_maskKeys[batch.sourceId];
            if (QFileInfo(maskKeyPath(batch.sourceId, frame)).isFile())
                keys.insert(frame);
            else
                keys.erase(frame);
            reverted.push_back(frame);
        }
        if (finished.error.isEmpty())
            continue;
        for (int64_t frame : reverted)
            Q_EMIT masksChanged(batch.sourceId, frame);
        if (batch.failed)
            batch.failed(finished.error);
    }
}

std::vector<int64_t> Project::maskKeyFrames(const QString& sourceId) const
{
    const auto it = m_maskKeys.find(sourceId);
    return it == m_maskKeys.end() ? std::vector<int64_t>()
                                  : std::vector<int64_t>(it->second.begin(), it->second.end());
}

bool Project::isMaskKey(const QString& sourceId, int64_t frame) const
{
    const auto it = m_maskKeys.find(sourceId);
    return it != m_maskKeys.end() && it->second.count(frame) != 0;
}

QByteArray Project::maskKeyPng(const QString& sourceId, int64_t frame) const
{
    if (!isMaskKey(sourceId, frame))
        return {};
    const auto pending = m_pendingMasks.find({ sourceId, frame });
    if (pending != m_pendingMasks.end())
        return pending->second.png;
    QFile file(maskKeyPath(sourceId, frame));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

MaskTrack Project::masks(const QString& sourceId) const
{
    MaskTrack track;
    for (int64_t frame : maskKeyFrames(sourceId)) {
        const QImage image = decodeMaskPng(maskKeyPng(sourceId, frame));
        if (!image.isNull())
            track.setKey(frame, image);
    }
    return track;
}

} // namespace kinora::core
