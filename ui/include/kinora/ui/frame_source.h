#pragma once
// Where the timeline's thumbnails, the viewer's pictures and the mask painter's frames come from:
// the frames of a project source (a take's PNG sequence or an imported media file) by source id
// and source frame. The window's implementation (MediaFrames) decodes off the GUI thread into a
// bounded cache; a widget asks, gets what is cached at once (or a null image), and repaints when
// frameReady says the frame has arrived. Tests give widgets a fake.

#include "kinora/core/media.h"

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>

#include <cstdint>
#include <optional>

namespace kinora::ui {

struct SourceInfo {
    QString path; // the file, or the sequence's pattern (absolute)
    int64_t frames = 0;
    QSize size; // as displayed (rotation applied)
    core::Rational fps { 24, 1 };
    bool audio = false; // a file whose first audio stream plays with the frames
    double audioStart = 0; // seconds into the file where frame 0 sits
};

class FrameSource : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // What the source is; nullopt when the id is unknown or the source cannot be read.
    virtual std::optional<SourceInfo> info(const QString& sourceId) const = 0;
    // The frame scaled to fit inside `maxSize` (aspect kept; an invalid size: full size), in
    // Format_RGB32 or ARGB32_Premultiplied, when it is cached; otherwise a null image and the
    // decode is scheduled (frameReady follows). Never blocks the caller on a decode.
    virtual QImage frame(const QString& sourceId, int64_t frame, QSize maxSize = {}) = 0;
    // The same, decoded now if need be (for jobs' inputs and tests; not for paint events).
    virtual QImage frameNow(const QString& sourceId, int64_t frame, QSize maxSize = {}) = 0;

Q_SIGNALS:
    // A frame asked for by frame() is now cached: ask again.
    void frameReady(const QString& sourceId, qint64 frame);
    // A source's info became known or changed (an import finished probing, a take was added).
    void sourceChanged(const QString& sourceId);
};

} // namespace kinora::ui
