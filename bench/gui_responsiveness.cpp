// kinora-gui-bench: how the window feels while the engine works. The real main window on the
// shipped default pack: a 1 ms probe timer in the GUI thread records the event loop's gaps while
// takes are made (and, as the peer in the same process, while idle for as long); the time from a
// finished step to its preview being painted; and from Ctrl+Enter to the first preview on screen,
// the first time (the pack loads) and again with the pack loaded.
//   kinora-gui-bench [--takes N] [--threads T] [--idle S]   (offscreen unless DISPLAY is set)

#include "bench_probe.h"

#include "kinora/core/job_queue.h"
#include "kinora/ui/main_window.h"
#include "kinora/ui/preview_panel.h"
#include "kinora/ui/theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

using kinora::bench::GapProbe;
using kinora::bench::nowNs;
using kinora::bench::percentile;
using kinora::bench::waitUntil;

int main(int argc, char** argv)
{
    int takes = 3;
    int threads = 0;
    double idleArg = 0;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--takes") == 0)
            takes = std::max(1, std::atoi(argv[i + 1]));
        if (std::strcmp(argv[i], "--threads") == 0)
            threads = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--idle") == 0)
            idleArg = std::atof(argv[i + 1]);
    }
    // Settings, recent files and recovery in a folder of our own: the user's stored settings (frames,
    // steps, takes per run) would change what is measured, and the bench should leave nothing.
    QTemporaryDir home;
    for (const char* name : { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" })
        qputenv(name, home.path().toUtf8());
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kinora-gui-bench"));
    kinora::ui::applyDarkTheme(app);
    kinora::ui::MainWindow window;
    window.setInteractive(false);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        std::fprintf(stderr, "the window was not exposed; paint times may be off\n");
    auto* queue = window.jobQueue();
    if (threads > 0)
        queue->worker()->setComputeThreads(threads);

    std::map<int, qint64> stepDone; // step -> when it finished (the running job's)
    std::vector<double> latencies;
    qint64 firstPainted = 0;
    QObject::connect(
        queue, &kinora::core::JobQueue::jobProgress, &window, [&](const kinora::core::JobStatus& s) {
            stepDone[s.step] = s.stepDoneNs;
            if (qEnvironmentVariableIsSet("KINORA_BENCH_VERBOSE"))
                std::fprintf(stderr, "step %d/%d\n", s.step, s.total);
        });
    QObject::connect(window.previewPanel(), &kinora::ui::PreviewPanel::previewPainted, &window,
        [&](quint64, int step, qint64 paintedNs) {
            if (!firstPainted)
                firstPainted = paintedNs;
            const auto done = stepDone.find(step);
            if (done != stepDone.end())
                latencies.push_back(static_cast<double>(paintedNs - done->second) / 1e6);
        });

    kinora::core::DiffusionJobResult made; // the last take's resolved settings, for the table
    QObject::connect(queue, &kinora::core::JobQueue::jobFinished, &window,
        [&](const kinora::core::JobOutcome& outcome) { made = outcome.diffusion; });

    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("a yellow star moving left on a blue background"));

    // One take from Ctrl+Enter; returns the seconds to its first painted preview.
    const auto oneTake = [&](double* seconds) {
        stepDone.clear();
        firstPainted = 0;
        const qint64 pressed = nowNs();
        QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
        QElapsedTimer timer;
        timer.start();
        waitUntil([&] { return !queue->isBusy() && queue->queuedTickets().empty(); });
        *seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        return firstPainted ? static_cast<double>(firstPainted - pressed) / 1e9 : -1.0;
    };

    GapProbe probe;
    double firstTakeSeconds = 0;
    probe.start();
    const double firstPreviewCold = oneTake(&firstTakeSeconds); // loads the pack
    const auto coldGaps = probe.stop();
    const auto coldLatencies = latencies;

    // The peer, before the measured takes: the same window, pack loaded, idle for as long as they
    // will take (the first take's length each; --idle S sets it).
    const double idleSeconds = idleArg > 0 ? idleArg : firstTakeSeconds * takes;
    probe.start();
    QElapsedTimer idle;
    idle.start();
    waitUntil([&] { return static_cast<double>(idle.elapsed()) >= idleSeconds * 1000.0; });
    const auto idleGaps = probe.stop();

    std::vector<double> busyGaps;
    std::vector<double> firstPreviewWarm;
    std::vector<double> takeSeconds;
    double busySeconds = 0;
    latencies.clear();
    for (int i = 0; i < takes; ++i) {
        double seconds = 0;
        probe.start();
        firstPreviewWarm.push_back(oneTake(&seconds));
        const auto gaps = probe.stop();
        busyGaps.insert(busyGaps.end(), gaps.begin(), gaps.end());
        busySeconds += seconds;
        takeSeconds.push_back(seconds);
    }

    const auto max = [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    };
    std::printf("kinora-gui-bench: %d takes of the default pack, compute threads %s, platform %s\n", takes,
        threads > 0 ? std::to_string(threads).c_str() : "as the app leaves them (LibTorch default)",
        qPrintable(QGuiApplication::platformName()));
    std::printf("%-46s %10s %10s %10s %8s\n", "", "busy", "first take", "idle peer", "target");
    std::printf(
        "%-46s %10.1f %10.1f %10.1f %8s\n", "run length (s)", busySeconds, firstTakeSeconds, idleSeconds, "");
    std::printf("%-46s %10.1f %10.1f %10.1f %8s\n", "event-loop gap, max (ms)", max(busyGaps), max(coldGaps),
        max(idleGaps), "< 50");
    std::printf("%-46s %10.1f %10.1f %10.1f %8s\n", "event-loop gap, p99 (ms)", percentile(busyGaps, 0.99),
        percentile(coldGaps, 0.99), percentile(idleGaps, 0.99), "< 16");
    std::printf("%-46s %10.1f %10.1f %10.1f\n", "event-loop gap, median (ms)", percentile(busyGaps, 0.5),
        percentile(coldGaps, 0.5), percentile(idleGaps, 0.5));
    std::printf("%-46s %10.1f %10.1f %10s %8s\n", "step finished -> preview painted, median (ms)",
        percentile(latencies, 0.5), percentile(coldLatencies, 0.5), "", "< 100");
    std::printf("%-46s %10.1f %10.1f %10s %8s\n", "step finished -> preview painted, max (ms)",
        max(latencies), max(coldLatencies), "", "< 100");
    std::printf("%-46s %10.2f %10.2f %10s %8s\n", "Ctrl+Enter -> first preview, median (s)",
        percentile(firstPreviewWarm, 0.5), firstPreviewCold, "", "< 1");
    std::printf("%-46s %10.2f %10.2f\n", "Ctrl+Enter -> first preview, max (s)", max(firstPreviewWarm),
        firstPreviewCold);
    std::printf("%-46s %10.2f %10.2f\n", "seconds per take", busySeconds / takes, firstTakeSeconds);
    std::printf("(\"first take\" is the first, with pack load; \"busy\" the %d takes after it, \"idle peer\" "
                "the window idle in between)\n",
        takes);
    std::printf("take: %d frames %dx%d, %d steps, model %s, %s\n", made.frames, made.width, made.height,
        made.steps, qPrintable(made.modelName), qPrintable(made.device));
    std::printf("seconds per take, each:");
    for (const double t : takeSeconds)
        std::printf(" %.2f", t);
    std::printf("\npreviews painted: %zu of %d steps (the worker skips a preview while one is unpainted)\n",
        latencies.size(), takes * 20);
    window.close();
    return 0;
}
