#include "fake_frame_source.h"

#include <QTimer>

namespace kinora::test {

void FakeFrameSource::addSource(const QString& id, const ui::SourceInfo& info, ColorOf colorOf)
{
    m_sources[id] = { info, std::move(colorOf) };
    Q_EMIT sourceChanged(id);
}

void FakeFrameSource::removeSource(const QString& id)
{
    m_sources.erase(id);
    Q_EMIT sourceChanged(id);
}

std::optional<ui::SourceInfo> FakeFrameSource::info(const QString& sourceId) const
{
    const auto it = m_sources.find(sourceId);
    if (it == m_sources.end())
        return std::nullopt;
    return it->second.first;
}

QImage FakeFrameSource::make(const QString& sourceId, int64_t frame, QSize maxSize) const
{
    const auto it = m_sources.find(sourceId);
    if (it == m_sources.end() || frame < 0 || frame >= it->second.first.frames)
        return {};
    QSize size = it->second.first.size;
    if (maxSize.isValid() && (size.width() > maxSize.width() || size.height() > maxSize.height()))
        size = size.scaled(maxSize, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    QImage image(size, QImage::Format_RGB32);
    image.fill(it->second.second(frame));
    return image;
}

QImage FakeFrameSource::frame(const QString& sourceId, int64_t frame, QSize maxSize)
{
    ++m_requests;
    const auto key = std::make_pair(sourceId, frame);
    if (m_deferred && !m_ready.count(key)) {
        m_ready.insert(key);
        ++m_decoded;
        QTimer::singleShot(0, this, [this, sourceId, frame] { Q_EMIT frameReady(sourceId, frame); });
        return {};
    }
    if (!m_deferred && m_ready.insert(key).second)
        ++m_decoded;
    return make(sourceId, frame, maxSize);
}

QImage FakeFrameSource::frameNow(const QString& sourceId, int64_t frame, QSize maxSize)
{
    return make(sourceId, frame, maxSize);
}

} // namespace kinora::test
