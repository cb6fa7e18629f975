#pragma once
// A FrameSource for widget tests: sources of solid-coloured frames (each frame's colour from a
// function of its index), answered at once or, with setDeferred(true), only after the event loop
// turns (as the real decoder does), with every request counted.

#include "kinora/ui/frame_source.h"

#include <QColor>

#include <functional>
#include <map>
#include <set>
#include <utility>

namespace kinora::test {

class FakeFrameSource : public ui::FrameSource {
    Q_OBJECT
public:
    using ColorOf = std::function<QColor(int64_t frame)>;

    // A source of `info.frames` frames at `info.size`; frame N is filled with colorOf(N).
    void addSource(const QString& id, const ui::SourceInfo& info, ColorOf colorOf);
    void removeSource(const QString& id);
    // Deferred: frame() returns a null image the first time a frame is asked for and emits
    // frameReady for it from the event loop; later calls return it.
    void setDeferred(bool deferred) { m_deferred = deferred; }
    int requests() const { return m_requests; } // calls to frame()
    int decoded() const { return m_decoded; } // distinct frames made

    std::optional<ui::SourceInfo> info(const QString& sourceId) const override;
    QImage frame(const QString& sourceId, int64_t frame, QSize maxSize = {}) override;
    QImage frameNow(const QString& sourceId, int64_t frame, QSize maxSize = {}) override;

private:
    QImage make(const QString& sourceId, int64_t frame, QSize maxSize) const;

    std::map<QString, std::pair<ui::SourceInfo, ColorOf>> m_sources;
    std::set<std::pair<QString, int64_t>> m_ready;
    bool m_deferred = false;
    int m_requests = 0;
    int m_decoded = 0;
};

} // namespace kinora::test
