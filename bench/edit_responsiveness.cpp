// kinora-edit-bench: how the window feels while an artist edits footage. The real main window with
// a 1280x720 clip on the timeline: the mouse scrubs the timeline's ruler and paints mask strokes in
// the viewer at 60 events a second, first with nothing running (the peer) and then while a job
// runs (optical-flow interpolation of the clip, on the worker thread); a 1 ms probe timer in the
// GUI thread records the event loop's gaps in both. Then the timeline is filled with 100 clips and
// its repaint is timed, the static layer rebuilt each time and not, against the same timeline with
// one clip (the peer).
//   kinora-edit-bench CLIP [--seconds S]   (offscreen unless DISPLAY is set; bench/edit.sh runs it)

#include "bench_probe.h"

#include "kinora/core/clip_jobs.h"
#include "kinora/core/job_queue.h"
#include "kinora/core/project.h"
#include "kinora/ui/main_window.h"
#include "kinora/ui/media_frames.h"
#include "kinora/ui/media_importer.h"
#include "kinora/ui/theme.h"
#include "kinora/ui/timeline_commands.h"
#include "kinora/ui/timeline_panel.h"
#include "kinora/ui/transport.h"
#include "kinora/ui/viewer_panel.h"
#include "mask_editor.h"
#include "timeline_view.h"
#include "viewer_canvas.h"

#include "clip_actions.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <cstdio>
#include <cstring>

using namespace kinora;
using bench::GapProbe;
using bench::percentile;
using bench::waitUntil;

namespace {

void sendMouse(QWidget* widget, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, pos, widget->mapToGlobal(pos),
        type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
}

// The user's hand: a 60 Hz timer that alternates a second of scrubbing the ruler across the clip
// with a second of mask strokes on the viewer, for as long as it runs.
class Hand {
public:
    Hand(ui::MainWindow& window, const QString& clipId)
        : m_window(window)
        , m_clipId(clipId)
    {
        m_timer.setInterval(16);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start()
    {
        m_tick = 0;
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        endGesture();
    }
    int scrubMoves = 0;
    int strokeMoves = 0;
    int strokes = 0;

private:
    ui::TimelineView* view() const { return m_window.timelinePanel()->view(); }
    ui::ViewerCanvas* canvas() const { return m_window.viewerPanel()->canvas(); }

    void endGesture()
    {
        if (m_scrubbing)
            sendMouse(view(), QEvent::MouseButtonRelease, m_last, Qt::NoButton);
        if (m_painting)
            sendMouse(canvas(), QEvent::MouseButtonRelease, m_last, Qt::NoButton);
        m_scrubbing = m_painting = false;
    }

    void tick()
    {
        const int phase = (m_tick / 60) % 2; // 60 ticks (about a second) each
        const int step = m_tick % 60;
        ++m_tick;
        if (phase == 0) {
            if (m_painting)
                endGesture();
            const auto* clip = m_window.project()->timeline().clip(m_clipId);
            const auto layout = view()->layout();
            const double from = layout.xForFrame(static_cast<double>(clip->start));
            const double to = layout.xForFrame(static_cast<double>(clip->end()));
            // Back and forth across the clip: every move lands on another frame.
            const double t = step < 30 ? step / 29.0 : (59 - step) / 29.0;
            m_last = QPointF(from + (to - from) * (0.02 + 0.96 * t), layout.rulerRect().center().y());
            if (!m_scrubbing) {
                sendMouse(view(), QEvent::MouseButtonPress, m_last, Qt::LeftButton);
                m_scrubbing = true;
            } else {
                sendMouse(view(), QEvent::MouseMove, m_last, Qt::LeftButton);
            }
            ++scrubMoves;
            return;
        }
        if (m_scrubbing)
            endGesture();
        // Strokes of 20 moves each across the middle of the frame.
        const int inStroke = step % 20;
        const QSizeF frame = canvas()->frameSize();
        const QPointF at(frame.width() * (0.2 + 0.03 * inStroke),
            frame.height() * (0.3 + 0.1 * ((step / 20) % 4)) + 20 * std::sin(inStroke * 0.6));
        m_last = canvas()->toWidget(at);
        if (inStroke == 0) {
            sendMouse(canvas(), QEvent::MouseButtonPress, m_last, Qt::LeftButton);
            m_painting = true;
            ++strokes;
        } else if (inStroke == 19) {
            sendMouse(canvas(), QEvent::MouseButtonRelease, m_last, Qt::NoButton);
            m_painting = false;
        } else {
            sendMouse(canvas(), QEvent::MouseMove, m_last, Qt::LeftButton);
        }
        ++strokeMoves;
    }

    ui::MainWindow& m_window;
    QString m_clipId;
    QTimer m_timer;
    int m_tick = 0;
    bool m_scrubbing = false;
    bool m_painting = false;
    QPointF m_last;
};

struct PaintFigures {
    std::vector<double> rebuild; // ms per repaint with the static layer rebuilt
    std::vector<double> blit; // ms per repaint over the cached layer (the playhead moved)
};

// Times `count` repaints of the timeline view as it stands.
PaintFigures timePaints(ui::MainWindow& window, int count)
{
    auto* view = window.timelinePanel()->view();
    view->zoomToFit();
    // Thumbnails asked for by the first paints are decoded before timing (a warm cache).
    view->repaint();
    waitUntil([&] { return window.mediaFrames()->pendingRequests() == 0; });
    view->repaint();
    PaintFigures f;
    QElapsedTimer timer;
    const double zoom = view->zoom();
    for (int i = 0; i < count; ++i) {
        // A zoom change of a hair invalidates the static layer, as a zoom or a scroll does.
        view->setZoom(zoom * (i % 2 ? 1.0 : 1.0001), view->width() / 2.0);
        timer.start();
        view->repaint();
        f.rebuild.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        window.transport()->setPlayhead(i % std::max<int64_t>(1, window.transport()->duration()));
        timer.start();
        view->repaint();
        f.blit.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    return f;
}

double max(const std::vector<double>& v)
{
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: kinora-edit-bench CLIP [--seconds S]\n");
        return 2;
    }
    const QString clipPath = QString::fromLocal8Bit(argv[1]);
    double seconds = 10;
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::max(2.0, std::atof(argv[i + 1]));
    QTemporaryDir home;
    for (const char* name : { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" })
        qputenv(name, home.path().toUtf8());
    qputenv("KINORA_DATA_DIR", home.filePath(QStringLiteral("data")).toUtf8());
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kinora-edit-bench"));
    ui::applyDarkTheme(app);
    ui::MainWindow window;
    window.setInteractive(false);
    window.resize(1600, 960);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        std::fprintf(stderr, "the window was not exposed; paint times may be off\n");

    // The clip on the timeline, selected, the viewer in mask mode over it.
    window.importer()->importPaths({ clipPath });
    waitUntil([&] { return !window.project()->media().empty() || !window.importer()->isBusy(); });
    if (window.project()->media().empty()) {
        std::fprintf(stderr, "kinora-edit-bench: %s did not import\n", qPrintable(clipPath));
        return 1;
    }
    const core::MediaRecord media = window.project()->media().front();
    window.addToTimeline(media.id);
    const QString clipId = window.project()->timeline().clips().front().id;
    window.timelinePanel()->setSelectedClip(clipId);
    window.timelinePanel()->view()->zoomToFit();
    window.findChild<QAction*>(QStringLiteral("actionMaskMode"))->setChecked(true);
    window.transport()->setPlayhead(window.project()->timeline().clip(clipId)->length / 2);
    waitUntil([&] { return window.viewerPanel()->maskEditor()->target().has_value(); });

    GapProbe probe;
    Hand hand(window, clipId);
    const auto handFor = [&](double s) {
        QElapsedTimer t;
        t.start();
        hand.start();
        waitUntil([&] { return static_cast<double>(t.elapsed()) >= s * 1000.0; });
        hand.stop();
    };
    int pictures = 0;
    QObject::connect(window.viewerPanel(), &ui::ViewerPanel::pictureShown, [&] { ++pictures; });

    // The peer: the same hand with nothing running.
    probe.start();
    handFor(seconds);
    const auto idleGaps = probe.stop();
    const int idleMoves = hand.scrubMoves, idlePictures = pictures;

    // The same while the clip is interpolated 2x by optical flow on the worker.
    core::ClipJobSpec spec;
    spec.kind = core::ClipJobKind::Interpolate;
    spec.clipId = clipId;
    spec.factor = 2;
    spec.method = QStringLiteral("flow");
    const quint64 job = window.clipActions()->queue(spec);
    waitUntil([&] { return window.jobQueue()->isBusy(); });
    hand.scrubMoves = hand.strokeMoves = hand.strokes = 0;
    pictures = 0;
    probe.start();
    handFor(seconds);
    const auto busyGaps = probe.stop();
    const bool jobRan = window.jobQueue()->isBusy();
    window.jobQueue()->cancel(job);
    waitUntil([&] { return !window.jobQueue()->isBusy(); });

    // Timeline paint: the one clip (the peer), then 100 clips over three tracks.
    const PaintFigures empty = timePaints(window, 200);
    core::Timeline hundred;
    hundred.setRate(media.fps);
    const auto source = *window.project()->source(media.id);
    for (int i = 0; i < 100; ++i) {
        core::TimelineClip c = ui::clipForSource(source, media.fps, (i / 3) * 40 + (i % 3) * 13, i % 3);
        c.sourceIn = (i * 7) % std::max<int64_t>(1, media.frames - 40);
        c.length = 36;
        hundred.add(c);
    }
    window.undoStack()->push(new ui::TimelineCommand(window.project(), hundred, QStringLiteral("100 clips")));
    const PaintFigures full = timePaints(window, 200);

    std::printf("kinora-edit-bench: %s (%dx%d, %lld frames), %.0f s a phase, platform %s\n",
        qPrintable(clipPath), media.width, media.height, static_cast<long long>(media.frames), seconds,
        qPrintable(QGuiApplication::platformName()));
    std::printf(
        "%-48s %10s %10s %8s\n", "scrub + paint strokes at 60 events/s", "job runs", "idle peer", "target");
    std::printf(
        "%-48s %10.1f %10.1f %8s\n", "event-loop gap, max (ms)", max(busyGaps), max(idleGaps), "< 50");
    std::printf("%-48s %10.1f %10.1f %8s\n", "event-loop gap, p99 (ms)", percentile(busyGaps, 0.99),
        percentile(idleGaps, 0.99), "< 16");
    std::printf("%-48s %10.1f %10.1f\n", "event-loop gap, median (ms)", percentile(busyGaps, 0.5),
        percentile(idleGaps, 0.5));
    std::printf("%-48s %10d %10d\n", "scrub moves", hand.scrubMoves, idleMoves);
    std::printf("%-48s %10d %10d\n", "new pictures painted in the viewer", pictures, idlePictures);
    std::printf("%-48s %10d\n", "mask strokes painted (job running)", hand.strokes);
    std::printf("(the job: optical-flow interpolation of the clip, 2x, %s)\n",
        jobRan ? "still running at the end of the phase, then cancelled" : "finished within the phase");
    std::printf("\n%-48s %10s %10s %8s\n", "timeline repaint, 1600 px wide", "100 clips", "1 clip", "target");
    std::printf("%-48s %10.2f %10.2f %8s\n", "static layer rebuilt, median (ms)",
        percentile(full.rebuild, 0.5), percentile(empty.rebuild, 0.5), "< 8");
    std::printf("%-48s %10.2f %10.2f %8s\n", "static layer rebuilt, p99 (ms)", percentile(full.rebuild, 0.99),
        percentile(empty.rebuild, 0.99), "< 8");
    std::printf("%-48s %10.2f %10.2f\n", "playhead moved (cached layer), median (ms)",
        percentile(full.blit, 0.5), percentile(empty.blit, 0.5));
    std::printf("%-48s %10.2f\n", "100 clips : 1 clip, rebuilt (ratio)",
        percentile(full.rebuild, 0.5) / std::max(1e-6, percentile(empty.rebuild, 0.5)));
    window.close();
    return 0;
}
