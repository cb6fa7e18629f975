// Project's masks: keyframes as Grayscale8 PNGs in mediaDir/masks/<source>/<frame>.png, written at
// once (QSaveFile) and listed in the project file.

#include "kinora/core/mask_png.h"
#include "kinora/core/project.h"

#include "project_internal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <iterator>
#include <optional>
#include <stdexcept>
#include <vector>

namespace kinora::core {

namespace {

std::optional<QByteArray> readBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

// Through QSaveFile: on failure the old file is as it was. Returns the error, empty on success.
QString writeBytes(const QString& path, const QByteArray& bytes)
{
    QSaveFile out(path);
    if (out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit())
        return {};
    return out.errorString();
}

} // namespace

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

void Project::setMaskKeys(const QString& sourceId, const std::map<int64_t, QByteArray>& encodedPngs)
{
    if (!detail::isSafeId(sourceId) || (!encodedPngs.empty() && encodedPngs.begin()->first < 0))
        throw std::invalid_argument("Project::setMaskKeys: an unsafe source id or a negative frame");
    const auto known = m_maskKeys.find(sourceId);
    const auto isKey = [&](int64_t frame) { return known != m_maskKeys.end() && known->second.count(frame); };

    // Each file touched and what it held (nullopt: nothing), so that a write that fails puts the
    // earlier ones back: a full disk never leaves half a batch.
    std::vector<std::pair<QString, std::optional<QByteArray>>> touched;
    const auto putBack = [&] {
        for (auto it = touched.rbegin(); it != touched.rend(); ++it) {
            if (it->second)
                writeBytes(it->first, *it->second);
            else
                QFile::remove(it->first);
        }
    };
    std::vector<int64_t> changed;
    bool madeFolder = false;
    for (auto it = encodedPngs.begin(); it != encodedPngs.end(); ++it) {
        const auto& [frame, png] = *it;
        if (png.isEmpty() && !isKey(frame))
            continue;
        const QString file = maskKeyPath(sourceId, frame);
        // The last file needs no copy: nothing after it can fail.
        const bool last = std::next(it) == encodedPngs.end();
        std::optional<QByteArray> old = isKey(frame) && !last ? readBytes(file) : std::nullopt;
        if (png.isEmpty()) {
            QFile::remove(file);
        } else {
            if (!madeFolder)
                madeFolder = QDir().mkpath(QFileInfo(file).absolutePath());
            const QString error = writeBytes(file, png);
            if (!error.isEmpty()) {
                putBack();
                throw ProjectError(tr("The mask of frame %1 could not be written to %2 (%3).")
                                       .arg(frame)
                                       .arg(file, error)
                                       .toStdString());
            }
        }
        touched.emplace_back(file, std::move(old));
        changed.push_back(frame);
    }
    if (changed.empty())
        return;
    std::set<int64_t>& keys = m_maskKeys[sourceId];
    for (int64_t frame : changed) {
        if (encodedPngs.at(frame).isEmpty())
            keys.erase(frame);
        else
            keys.insert(frame);
    }
    setModified(true);
    for (int64_t frame : changed)
        Q_EMIT masksChanged(sourceId, frame);
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
    return isMaskKey(sourceId, frame) ? readBytes(maskKeyPath(sourceId, frame)).value_or(QByteArray())
                                      : QByteArray();
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
