#pragma once
// Paints the timeline in two layers. The static layer — ruler, track rows and headers, clips as
// thumbnail strips with their names, the audio lane — covers only the visible range and is what the
// view caches in a pixmap; it changes with the timeline, the zoom, the scroll, the size and arriving
// thumbnails. The overlay — in/out range, selection, hover handles, drop and snap feedback, the
// playhead — is cheap and drawn over the cached layer on every paint.

#include "timeline_layout.h"

#include "kinora/core/project.h"

#include <QPair>
#include <QRectF>
#include <QSet>
#include <QSize>
#include <QString>

#include <cstdint>
#include <optional>

class QPainter;

namespace kinora::ui {

class FrameSource;

struct TimelineOverlay {
    int64_t playhead = 0;
    int64_t in = -1; // the Transport's in/out points (-1: unset); out is inclusive
    int64_t out = -1;
    QString selected; // clip ids
    QString hovered;
    TimelineLayout::Part hoverPart = TimelineLayout::Part::None;
    std::optional<QRectF> drop; // where a source dragged over the view would land
    std::optional<int64_t> snap; // the frame an edge being dragged snapped to
};

class TimelinePainter {
public:
    using FrameKey = QPair<QString, qint64>;
    // The box thumbnails are asked for in: one size at every zoom and track height, so the frame
    // source's cache serves them all.
    static constexpr QSize kThumbnailBox { 160, 90 };

    explicit TimelinePainter(FrameSource* frames)
        : m_frames(frames)
    {
    }

    // The static layer for `layout` (the whole widget rect). `project` may be null.
    void paintStatic(QPainter& painter, const TimelineLayout& layout, const core::Project* project);
    // The thumbnails the last paintStatic asked for and did not get yet (frameReady for one of them
    // means the cache is stale).
    const QSet<FrameKey>& missing() const { return m_missing; }

    void paintOverlay(QPainter& painter, const TimelineLayout& layout, const core::Timeline* timeline,
        const TimelineOverlay& overlay) const;

    // The x of the playhead line for `frame` (the left edge of the frame, on a pixel).
    static int playheadX(const TimelineLayout& layout, int64_t frame);

private:
    struct SourceLook {
        QString name;
        double aspect = 16.0 / 9.0;
    };
    SourceLook look(const core::Project& project, const QString& sourceId) const;
    void paintTracks(QPainter& painter, const TimelineLayout& layout, bool empty) const;
    void paintClip(QPainter& painter, const TimelineLayout& layout, const core::TimelineClip& clip,
        const SourceLook& look);
    void paintAudio(QPainter& painter, const TimelineLayout& layout, const core::Timeline& timeline,
        const core::Project& project) const;

    FrameSource* m_frames = nullptr;
    QSet<FrameKey> m_missing;
};

} // namespace kinora::ui
