#include "decode_lane.h"

#include "kinora/core/engine_info.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/media.h"
#include "kinora/core/video_reader.h"

#include <QFileInfo>
#include <QHashFunctions>
#include <QImageReader>
#include <QThread>

#include <algorithm>
#include <exception>
#include <limits>
#include <stdexcept>

namespace kinora::ui {

size_t qHash(const FrameKey& key, size_t seed) noexcept
{
    return qHashMulti(seed, key.sourceId, key.frame, key.size.width(), key.size.height());
}

// --- FrameDecoder ---------------------------------------------------------------------------------

FrameDecoder::FrameDecoder(bool thumbnails, int maxReaders)
    : m_thumbnails(thumbnails)
    , m_maxReaders(std::max(1, maxReaders))
{
}

FrameDecoder::~FrameDecoder() = default;

QImage FrameDecoder::fit(QImage image, QSize maxSize)
{
    if (image.isNull())
        return image;
    const QImage::Format format
        = image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32;
    if (maxSize.isValid() && (image.width() > maxSize.width() || image.height() > maxSize.height())) {
        // Scale in the 32-bit format: QImage's smooth scaling is fastest there.
        image = image.convertToFormat(format).scaled(maxSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    if (image.format() != format)
        image.convertTo(format);
    return image;
}

QImage FrameDecoder::decodeImage(const QString& file, QSize maxSize) const
{
    QImageReader reader(file);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    const bool turned = reader.transformation() & QImageIOHandler::TransformationRotate90;
    // Formats that can decode smaller (JPEG) do it here; the rest are scaled after.
    if (maxSize.isValid() && stored.isValid() && !turned
        && (stored.width() > maxSize.width() || stored.height() > maxSize.height()))
        reader.setScaledSize(stored.scaled(maxSize, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    QImage image = reader.read();
    if (image.isNull()) {
        if (!QFileInfo::exists(file))
            throw core::MediaError(QStringLiteral("%1: no such file").arg(file).toStdString());
        throw core::MediaError(QStringLiteral("%1: %2").arg(file, reader.errorString()).toStdString());
    }
    return image;
}

core::VideoReader& FrameDecoder::reader(const QString& path)
{
    const auto it = std::find_if(
        m_readers.begin(), m_readers.end(), [&](const auto& entry) { return entry.first == path; });
    if (it != m_readers.end()) {
        m_readers.splice(m_readers.begin(), m_readers, it);
        return *m_readers.front().second;
    }
    core::VideoReaderOptions options;
    options.applyRotation = true;
    auto opened = core::VideoReader::open(path, options);
    m_readers.emplace_front(path, std::move(opened));
    while (static_cast<int>(m_readers.size()) > m_maxReaders)
        m_readers.pop_back();
    return *m_readers.front().second;
}

DecodeResult FrameDecoder::decode(const DecodeRequest& request)
{
    DecodeResult result;
    result.key = request.key;
    result.ticket = request.ticket;
    const QSize maxSize = request.key.size;
    const int64_t index = request.key.frame;
    // Opening the source is what fails when its file is gone or unreadable: that breaks every
    // frame. A frame that fails past a good open is that frame's problem alone.
    bool opened = false;
    try {
        switch (request.kind) {
        case SourceKind::Still:
            result.image = decodeImage(request.path, maxSize);
            break;
        case SourceKind::Sequence: {
            if (index > std::numeric_limits<int>::max())
                return result;
            const QString file = core::sequenceFramePath(request.path, static_cast<int>(index));
            opened = QFileInfo::exists(core::sequenceFramePath(request.path, 0));
            result.image = decodeImage(file, maxSize);
            break;
        }
        case SourceKind::Video:
            if (m_thumbnails) {
                result.image = core::videoThumbnail(request.path, index, maxSize);
            } else {
                core::VideoReader& video = reader(request.path);
                opened = true;
                if (index >= video.frameCount())
                    return result;
                result.image = video.frameAt(index);
            }
            break;
        }
        result.image = fit(std::move(result.image), maxSize);
    } catch (const std::out_of_range&) {
        result.image = {};
    } catch (const std::exception& error) {
        result.image = {};
        result.error = QString::fromUtf8(error.what());
        result.sourceBroken = !opened;
        // A reader that failed mid-clip may be left anywhere: open it afresh next time.
        if (request.kind == SourceKind::Video)
            m_readers.remove_if([&](const auto& entry) { return entry.first == request.path; });
    }
    return result;
}

// --- DecodeLane -----------------------------------------------------------------------------------

DecodeLane::DecodeLane(const QString& name, bool thumbnails, int maxWaiting, Deliver deliver)
    : m_thumbnails(thumbnails)
    , m_maxWaiting(std::max(1, maxWaiting))
    , m_deliver(std::move(deliver))
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(name);
    m_thread->start();
}

DecodeLane::~DecodeLane()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    m_thread->wait();
}

std::vector<FrameKey> DecodeLane::push(DecodeRequest request)
{
    std::vector<FrameKey> dropped;
    {
        std::lock_guard lock(m_mutex);
        const auto same = std::find_if(m_queue.begin(), m_queue.end(),
            [&](const DecodeRequest& waiting) { return waiting.key == request.key; });
        if (same != m_queue.end())
            m_queue.erase(same);
        m_queue.push_front(std::move(request));
        while (static_cast<int>(m_queue.size()) > m_maxWaiting) {
            dropped.push_back(std::move(m_queue.back().key));
            m_queue.pop_back();
        }
    }
    m_wake.notify_one();
    return dropped;
}

void DecodeLane::clear()
{
    std::lock_guard lock(m_mutex);
    m_queue.clear();
}

int DecodeLane::waiting() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_queue.size());
}

void DecodeLane::run()
{
    // Decoding yields the cores to the GUI thread (FFmpeg's own threads, started from here,
    // inherit the lower priority).
    core::lowerCurrentThreadPriority();
    FrameDecoder decoder(m_thumbnails);
    for (;;) {
        DecodeRequest request;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                return;
            request = std::move(m_queue.front());
            m_queue.pop_front();
        }
        m_deliver(decoder.decode(request));
    }
}

} // namespace kinora::ui
