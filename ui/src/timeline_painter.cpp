#include "timeline_painter.h"

#include "timeline_ruler.h"

#include "kinora/ui/frame_source.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {

const QColor kBackground(0x1c, 0x1f, 0x24);
const QColor kHeaderFill(0x24, 0x27, 0x2e);
const QColor kHeaderText(0xa8, 0xae, 0xb8);
const QColor kRowFill(0x23, 0x26, 0x2c);
const QColor kRowFillAlt(0x27, 0x2a, 0x31);
const QColor kAudioLaneFill(0x20, 0x25, 0x23);
const QColor kSeparator(0x15, 0x17, 0x1b);
const QColor kTakeFill(0x3a, 0x55, 0x7c); // a clip's thumbnails not decoded yet: a neutral fill
const QColor kMediaFill(0x45, 0x5e, 0x52);
const QColor kNameBand(0, 0, 0, 150);
const QColor kNameText(0xee, 0xf0, 0xf3);
const QColor kAudioBar(0x2f, 0x6e, 0x4f);
const QColor kAudioBarEdge(0x56, 0xa8, 0x7c);
const QColor kHint(0x80, 0x87, 0x93);
const QColor kRangeTracks(0x5a, 0x8c, 0xe6, 34);
const QColor kRangeRuler(0x5a, 0x8c, 0xe6, 110);
const QColor kRangeMark(0x8a, 0xb4, 0xff);
const QColor kSelection(0xf2, 0xb3, 0x3d);
const QColor kHandleMore(0xf2, 0xd3, 0x6b); // the source goes on past this edge
const QColor kHandleEnd(0x9a, 0xa0, 0xaa); // the source ends here
const QColor kSnapLine(0xff, 0xd8, 0x4a);
const QColor kPlayhead(0xe5, 0x48, 0x4d);

QString tr(const char* text)
{
    return QCoreApplication::translate("kinora::ui::TimelineView", text);
}

} // namespace

TimelinePainter::SourceLook TimelinePainter::look(const core::Project& project, const QString& sourceId) const
{
    SourceLook look;
    look.name = sourceId;
    int width = 0, height = 0;
    if (const core::TakeRecord* take = project.take(sourceId)) {
        look.name = take->name;
        width = take->width, height = take->height;
    } else if (const core::MediaRecord* media = project.mediaItem(sourceId)) {
        look.name = media->name;
        width = media->width, height = media->height;
    }
    if (width > 0 && height > 0)
        look.aspect = std::clamp(double(width) / height, 0.25, 4.0);
    return look;
}

void TimelinePainter::paintStatic(
    QPainter& painter, const TimelineLayout& layout, const core::Project* project)
{
    m_missing.clear();
    painter.fillRect(QRect(QPoint(0, 0), layout.size), kBackground);
    const core::Timeline* timeline = project ? &project->timeline() : nullptr;
    paintRuler(painter, layout, timeline ? timeline->rate() : core::Rational { 24, 1 });
    paintTracks(painter, layout, !timeline || timeline->isEmpty());
    if (!timeline)
        return;

    const int64_t first = layout.firstVisibleFrame();
    const int64_t end = layout.endVisibleFrame();
    QHash<QString, SourceLook> looks; // a few sources under a hundred clips: look each up once
    painter.save();
    painter.setClipRect(QRect(layout.areaLeft(), layout.tracksTop(), layout.areaWidth(),
        layout.tracksBottom() - layout.tracksTop()));
    for (const core::TimelineClip& clip : timeline->clips()) {
        if (clip.end() <= first || clip.start >= end)
            continue;
        auto it = looks.find(clip.sourceId);
        if (it == looks.end())
            it = looks.insert(clip.sourceId, look(*project, clip.sourceId));
        paintClip(painter, layout, clip, *it);
    }
    painter.restore();
    paintAudio(painter, layout, *timeline, *project);
}

void TimelinePainter::paintTracks(QPainter& painter, const TimelineLayout& layout, bool empty) const
{
    painter.fillRect(QRect(0, 0, layout.kHeaderWidth, layout.kRulerHeight), kHeaderFill);
    for (int track = 0; track < layout.tracks; ++track) {
        const QRect row = layout.trackRect(track);
        painter.fillRect(row, track % 2 ? kRowFillAlt : kRowFill);
        const QRect header = layout.trackHeaderRect(track);
        painter.fillRect(header, kHeaderFill);
        painter.setPen(kHeaderText);
        painter.drawText(header, Qt::AlignCenter, QStringLiteral("V%1").arg(track + 1));
        painter.setPen(kSeparator);
        painter.drawLine(0, row.bottom(), layout.size.width(), row.bottom());
    }
    painter.fillRect(layout.audioRect(), kAudioLaneFill);
    painter.fillRect(layout.audioHeaderRect(), kHeaderFill);
    painter.setPen(kHeaderText);
    painter.drawText(layout.audioHeaderRect(), Qt::AlignCenter, QStringLiteral("A"));
    painter.setPen(kSeparator);
    painter.drawLine(layout.kHeaderWidth - 1, 0, layout.kHeaderWidth - 1, layout.size.height());
    if (empty) {
        painter.setPen(kHint);
        const QRect tracks(layout.areaLeft(), layout.tracksTop(), layout.areaWidth(),
            layout.tracksBottom() - layout.tracksTop());
        painter.drawText(tracks, Qt::AlignCenter, tr("Drag takes or media here from the bin"));
    }
}

void TimelinePainter::paintClip(
    QPainter& painter, const TimelineLayout& layout, const core::TimelineClip& clip, const SourceLook& look)
{
    const QRectF rect = layout.clipRect(clip);
    // Only the visible part: a clip can be thousands of pixels wide at a close zoom.
    const double visibleLeft = std::max(rect.left(), double(layout.areaLeft()));
    const double visibleRight = std::min(rect.right(), double(layout.size.width()));
    painter.fillRect(QRectF(visibleLeft, rect.top(), visibleRight - visibleLeft, rect.height()),
        clip.source == core::TimelineClip::Source::Take ? kTakeFill : kMediaFill);

    // The thumbnail strip: one frame per slot of the thumbnail's width, at the frame where the slot
    // begins, laid from the clip's start so that scrolling does not make them jump.
    const QRectF inner = rect.adjusted(1, 1, -1, -1);
    const double thumbHeight = inner.height();
    const double thumbWidth = std::max(12.0, std::round(thumbHeight * look.aspect));
    if (m_frames && inner.width() >= 2 && thumbHeight >= 4) {
        const auto firstSlot
            = static_cast<int64_t>(std::max(0.0, std::floor((visibleLeft - inner.left()) / thumbWidth)));
        const auto endSlot = static_cast<int64_t>(std::ceil((visibleRight - inner.left()) / thumbWidth));
        for (int64_t slot = firstSlot; slot < endSlot; ++slot) {
            const double x = inner.left() + double(slot) * thumbWidth;
            const auto offset
                = static_cast<int64_t>(std::floor(double(slot) * thumbWidth / layout.pixelsPerFrame));
            if (offset >= clip.length || x >= inner.right())
                break;
            const int64_t sourceFrame = clip.sourceFrameAt(clip.start + offset);
            const QImage image = m_frames->frame(clip.sourceId, sourceFrame, kThumbnailBox);
            if (image.isNull()) {
                m_missing.insert({ clip.sourceId, sourceFrame });
                continue;
            }
            // The last slot is cut at the clip's end: draw that part of the picture only.
            const double width = std::min(thumbWidth, inner.right() - x);
            const QRectF source(0, 0, image.width() * width / thumbWidth, image.height());
            painter.drawImage(QRectF(x, inner.top(), width, thumbHeight), image, source);
        }
    }

    painter.setPen(kSeparator);
    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    if (visibleRight - visibleLeft > 28) {
        const QFontMetrics metrics = painter.fontMetrics();
        const double band = metrics.height() + 2;
        const QRectF label(visibleLeft + 1, inner.top(), visibleRight - visibleLeft - 2, band);
        const QString name = metrics.elidedText(look.name, Qt::ElideRight, int(label.width()) - 8);
        if (!name.isEmpty()) {
            painter.fillRect(
                QRectF(label.left(), label.top(), metrics.horizontalAdvance(name) + 8, band), kNameBand);
            painter.setPen(kNameText);
            painter.drawText(label.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, name);
        }
    }
}

void TimelinePainter::paintAudio(QPainter& painter, const TimelineLayout& layout,
    const core::Timeline& timeline, const core::Project& project) const
{
    const int64_t first = layout.firstVisibleFrame();
    const int64_t end = layout.endVisibleFrame();
    painter.save();
    painter.setClipRect(layout.audioRect());
    for (const core::TimelineClip& clip : timeline.clips()) {
        if (!clip.hasAudio || clip.end() <= first || clip.start >= end)
            continue;
        const QRectF bar = layout.audioBarRect(clip);
        painter.fillRect(bar, kAudioBar);
        painter.setPen(kAudioBarEdge);
        painter.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5));
        const double left = std::max(bar.left(), double(layout.areaLeft()));
        const double right = std::min(bar.right(), double(layout.size.width()));
        if (right - left > 40) {
            painter.setPen(kNameText);
            const QString name = look(project, clip.sourceId).name;
            const QRectF label(left + 4, bar.top(), right - left - 8, bar.height());
            painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                painter.fontMetrics().elidedText(name, Qt::ElideRight, int(label.width())));
        }
    }
    painter.restore();
}

int TimelinePainter::playheadX(const TimelineLayout& layout, int64_t frame)
{
    return static_cast<int>(std::floor(layout.xForFrame(static_cast<double>(frame))));
}

void TimelinePainter::paintOverlay(QPainter& painter, const TimelineLayout& layout,
    const core::Timeline* timeline, const TimelineOverlay& overlay) const
{
    const int top = layout.tracksTop();
    const int bottom = layout.audioRect().bottom();
    painter.save();
    painter.setClipRect(QRect(layout.areaLeft(), 0, layout.areaWidth(), layout.size.height()));

    // In and out: the range shaded on the ruler and the tracks, each point marked on the ruler.
    const QRect ruler = layout.rulerRect();
    if (overlay.in >= 0 && overlay.out >= overlay.in) {
        const double left = layout.xForFrame(double(overlay.in));
        const double right = layout.xForFrame(double(overlay.out + 1));
        painter.fillRect(QRectF(left, ruler.bottom() - 7, right - left, 7), kRangeRuler);
        painter.fillRect(QRectF(left, top, right - left, bottom - top), kRangeTracks);
    }
    painter.setPen(QPen(kRangeMark, 2));
    if (overlay.in >= 0) {
        const double x = layout.xForFrame(double(overlay.in)) + 1;
        painter.drawPolyline(QPolygonF({ { x + 5, ruler.bottom() - 9.0 }, { x, ruler.bottom() - 9.0 },
            { x, ruler.bottom() - 1.0 }, { x + 5, ruler.bottom() - 1.0 } }));
    }
    if (overlay.out >= 0) {
        const double x = layout.xForFrame(double(overlay.out + 1)) - 1;
        painter.drawPolyline(QPolygonF({ { x - 5, ruler.bottom() - 9.0 }, { x, ruler.bottom() - 9.0 },
            { x, ruler.bottom() - 1.0 }, { x - 5, ruler.bottom() - 1.0 } }));
    }

    if (timeline) {
        if (const core::TimelineClip* hovered = timeline->clip(overlay.hovered)) {
            // Trim handles: bright where the source goes on past the edge, grey where it ends.
            const QRectF rect = layout.clipRect(*hovered);
            const bool moreBefore = hovered->sourceIn > 0 || hovered->sourceStep.num == 0;
            const bool moreAfter = hovered->length < hovered->maxLength(hovered->sourceIn);
            const double width = overlay.hoverPart == TimelineLayout::Part::Body ? 3 : 5;
            const double start = overlay.hoverPart == TimelineLayout::Part::StartEdge ? 5 : width;
            const double endWidth = overlay.hoverPart == TimelineLayout::Part::EndEdge ? 5 : width;
            painter.fillRect(
                QRectF(rect.left(), rect.top(), start, rect.height()), moreBefore ? kHandleMore : kHandleEnd);
            painter.fillRect(QRectF(rect.right() - endWidth, rect.top(), endWidth, rect.height()),
                moreAfter ? kHandleMore : kHandleEnd);
        }
        if (const core::TimelineClip* selected = timeline->clip(overlay.selected)) {
            painter.setPen(QPen(kSelection, 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(layout.clipRect(*selected).adjusted(1, 1, -1, -1));
            if (selected->hasAudio)
                painter.drawRect(layout.audioBarRect(*selected).adjusted(1, 1, -1, -1));
        }
    }
    if (overlay.drop) {
        painter.setPen(QPen(kSelection, 2, Qt::DashLine));
        painter.setBrush(QColor(kSelection.red(), kSelection.green(), kSelection.blue(), 40));
        painter.drawRect(overlay.drop->adjusted(1, 1, -1, -1));
        painter.setBrush(Qt::NoBrush);
    }
    if (overlay.snap) {
        const double x = std::floor(layout.xForFrame(double(*overlay.snap))) + 0.5;
        painter.setPen(QPen(kSnapLine, 1));
        painter.drawLine(QPointF(x, top), QPointF(x, bottom));
    }

    // The playhead: a line down the tracks with a handle on the ruler.
    const int x = playheadX(layout, overlay.playhead);
    painter.fillRect(QRect(x, ruler.top() + 12, 1, bottom - ruler.top() - 12), kPlayhead);
    QPainterPath handle;
    handle.moveTo(x - 5.5, ruler.top() + 12);
    handle.lineTo(x + 6.5, ruler.top() + 12);
    handle.lineTo(x + 6.5, ruler.bottom() - 6);
    handle.lineTo(x + 0.5, ruler.bottom());
    handle.lineTo(x - 5.5, ruler.bottom() - 6);
    handle.closeSubpath();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillPath(handle, kPlayhead);
    painter.restore();
}

} // namespace kinora::ui
