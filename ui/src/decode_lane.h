#pragma once
// MediaFrames' decoding (private to it): what a request for a frame says, the decoder one thread
// uses (with its own few VideoReaders), and a lane, one decode thread with its waiting requests.
// Nothing here reads the Project: requests carry the paths, resolved on the GUI thread.

#include <QImage>
#include <QSize>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

class QThread;

namespace kinora::core {
class VideoReader;
}

namespace kinora::ui {

// A frame as cached: the source, the frame, and the size it was asked to fit (invalid: full size).
struct FrameKey {
    QString sourceId;
    int64_t frame = 0;
    QSize size;
    friend bool operator==(const FrameKey&, const FrameKey&) = default;
};
size_t qHash(const FrameKey& key, size_t seed = 0) noexcept;

enum class SourceKind {
    Video, // a file FFmpeg reads (frames by VideoReader)
    Sequence, // a pattern of numbered images (a take's PNGs, an imported sequence)
    Still, // one image
};

struct DecodeRequest {
    FrameKey key;
    QString path; // the file or the pattern, absolute
    SourceKind kind = SourceKind::Video;
    quint64 ticket = 0; // MediaFrames keeps a result only while this request is the one it waits on
};

struct DecodeResult {
    FrameKey key;
    quint64 ticket = 0;
    QImage image; // Format_RGB32 or ARGB32_Premultiplied; null: no such frame, or an error
    QString error; // why the frame could not be decoded
    bool sourceBroken = false; // the source itself cannot be opened: every frame would fail
};

// Decodes frames on the thread that owns it, keeping the last few VideoReaders open (least
// recently used closed first): a reader indexes its file when it opens, and reading on from where
// the last frame left it is the cheap way through a clip.
class FrameDecoder {
public:
    // `thumbnails`: videos give their keyframe picture (videoThumbnail), fast and a little early.
    explicit FrameDecoder(bool thumbnails, int maxReaders = 3);
    ~FrameDecoder();
    FrameDecoder(const FrameDecoder&) = delete;
    FrameDecoder& operator=(const FrameDecoder&) = delete;

    DecodeResult decode(const DecodeRequest& request); // never throws

    // Converts to Format_RGB32 / ARGB32_Premultiplied and scales down (never up) to fit `maxSize`.
    static QImage fit(QImage image, QSize maxSize);

private:
    QImage decodeImage(const QString& file, QSize maxSize) const;
    core::VideoReader& reader(const QString& path);

    bool m_thumbnails;
    int m_maxReaders;
    std::list<std::pair<QString, std::unique_ptr<core::VideoReader>>> m_readers; // newest first
};

// One decode thread and the requests waiting for it, newest first: a request goes ahead of every
// waiting one (one for the same frame is moved up rather than queued twice), and past `maxWaiting`
// the oldest are dropped. Results go to `deliver`, called on the lane's thread.
class DecodeLane {
public:
    using Deliver = std::function<void(DecodeResult)>;

    DecodeLane(const QString& name, bool thumbnails, int maxWaiting, Deliver deliver);
    ~DecodeLane(); // drops what waits, finishes the frame in hand, joins the thread
    DecodeLane(const DecodeLane&) = delete;
    DecodeLane& operator=(const DecodeLane&) = delete;

    // Returns the keys dropped to make room (the caller forgets it asked for them).
    std::vector<FrameKey> push(DecodeRequest request);
    void clear(); // drops every waiting request
    int waiting() const;

private:
    void run();

    bool m_thumbnails;
    int m_maxWaiting;
    Deliver m_deliver;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<DecodeRequest> m_queue; // front: the newest
    bool m_stop = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace kinora::ui
