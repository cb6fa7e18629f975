// kinora-video-bench: the video I/O benchmark of the FFmpeg import/export issue. In one run it times
// kinora_media's VideoReader decoding a file to RGB24 against `ffmpeg -f rawvideo -pix_fmt rgb24`
// decoding the same file, and VideoWriter encoding RGB24 frames held in memory against the ffmpeg
// CLI encoding the same frames from a raw file with ffmpegArguments() (the same codec, options,
// pixel format and colour conversion). Both sides are timed wall-clock from start to end: ours
// includes VideoReader::open (which indexes every packet) and VideoWriter::create / finish, just as
// ffmpeg's process time includes its probing, encoder set-up and flush. Each measurement runs
// --repeat times, alternating which side goes first; medians are reported with their ratio
// ours / ffmpeg (target >= 0.9). Exit 0 whatever the ratios; 1 when a run fails.

#include "kinora/core/video_reader.h"
#include "kinora/core/video_writer.h"

#include "machine_load.h"

#include <CLI/CLI.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using kinora::bench::cpuSeconds;
using kinora::bench::machineBusySeconds;
using kinora::core::EncodeSettings;
using kinora::core::VideoReader;
using kinora::core::VideoReaderOptions;
using kinora::core::VideoWriter;

constexpr double kTarget = 0.9;

// One timed run: wall seconds, CPU seconds (user + system, all threads or the child's), frames.
struct Sample {
    double wall = 0;
    double cpu = 0;
    int64_t frames = 0;
    qint64 bytes = 0; // the encoded file's size (encode only)
    double open = 0; // of `wall`, VideoReader::open (decode, ours only)
};

// The medians of one side's samples.
struct Side {
    std::vector<Sample> samples;
    double wall() const
    {
        return median([](const Sample& s) { return s.wall; });
    }
    double cpu() const
    {
        return median([](const Sample& s) { return s.cpu; });
    }
    double open() const
    {
        return median([](const Sample& s) { return s.open; });
    }
    double fps() const { return wall() > 0 ? static_cast<double>(samples.front().frames) / wall() : 0; }
    template <typename F> double median(F value) const
    {
        std::vector<double> v;
        for (const Sample& s : samples)
            v.push_back(value(s));
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
    }
};

struct Comparison {
    QString name;
    Side ours;
    Side ffmpeg;
    double ratio() const { return ffmpeg.wall() > 0 && ours.wall() > 0 ? ffmpeg.wall() / ours.wall() : 0; }
    // For reference only: the ratio had ffmpeg's process not had to start (load its libraries).
    double ratioWithout(double start) const
    {
        return ours.wall() > 0 ? (ffmpeg.wall() - start) / ours.wall() : 0;
    }
};

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readLine()).section(QLatin1Char(' '), 0, 2);
}

// Runs ffmpeg to the end; the frame count comes from its final "frame=" statistics line.
Sample runFfmpeg(const QString& program, const QStringList& args)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(QStringList { "-hide_banner", "-nostdin", "-loglevel", "error", "-stats" } + args);
    process.setStandardOutputFile(QProcess::nullDevice());
    const double cpuBefore = cpuSeconds(RUSAGE_CHILDREN);
    QElapsedTimer timer;
    timer.start();
    process.start();
    if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0)
        throw std::runtime_error((program + " " + args.join(' ')
            + " failed: " + QString::fromLocal8Bit(process.readAllStandardError()))
                                     .toStdString());
    Sample sample;
    sample.wall = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    sample.cpu = cpuSeconds(RUSAGE_CHILDREN) - cpuBefore;
    const QString stats = QString::fromLocal8Bit(process.readAllStandardError());
    QRegularExpressionMatchIterator it
        = QRegularExpression(QStringLiteral("frame=\\s*(\\d+)")).globalMatch(stats);
    while (it.hasNext())
        sample.frames = it.next().captured(1).toLongLong();
    return sample;
}

Sample decodeOurs(const QString& path)
{
    const double cpuBefore = cpuSeconds(RUSAGE_SELF);
    QElapsedTimer timer;
    timer.start();
    VideoReaderOptions options;
    options.format = QImage::Format_RGB888;
    auto reader = VideoReader::open(path, options);
    Sample sample;
    sample.open = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    QImage frame;
    while (reader->next(frame))
        ++sample.frames;
    sample.wall = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    sample.cpu = cpuSeconds(RUSAGE_SELF) - cpuBefore;
    return sample;
}

Sample encodeOurs(const QString& out, const std::vector<QImage>& frames, const EncodeSettings& settings)
{
    QFile::remove(out);
    const double cpuBefore = cpuSeconds(RUSAGE_SELF);
    QElapsedTimer timer;
    timer.start();
    auto writer = VideoWriter::create(out, frames.front().size(), QImage::Format_RGB888, settings);
    for (const QImage& frame : frames)
        writer->write(frame);
    writer->finish();
    Sample sample;
    sample.wall = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    sample.cpu = cpuSeconds(RUSAGE_SELF) - cpuBefore;
    sample.frames = static_cast<int64_t>(frames.size());
    sample.bytes = QFileInfo(out).size();
    return sample;
}

// Runs ours and ffmpeg's `repeat` times each, alternating which goes first.
template <typename Ours, typename Theirs>
void measure(Comparison& c, int repeat, const Ours& ours, const Theirs& theirs)
{
    for (int r = 0; r < repeat; ++r) {
        if (r % 2 == 0) {
            c.ours.samples.push_back(ours());
            c.ffmpeg.samples.push_back(theirs());
        } else {
            c.ffmpeg.samples.push_back(theirs());
            c.ours.samples.push_back(ours());
        }
        std::fprintf(stderr, "  %s run %d: ours %.3f s, ffmpeg %.3f s\n", qPrintable(c.name), r + 1,
            c.ours.samples.back().wall, c.ffmpeg.samples.back().wall);
    }
}

// The file's bytes, read once so that neither side pays for a cold page cache.
void warmPageCache(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(path.toStdString() + ": cannot read");
    while (!file.read(1 << 20).isEmpty()) { }
}

void writeRaw(const QString& path, const std::vector<QImage>& frames)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error(path.toStdString() + ": cannot write");
    for (const QImage& frame : frames) {
        const qint64 row = static_cast<qint64>(frame.width()) * 3;
        for (int y = 0; y < frame.height(); ++y)
            if (file.write(reinterpret_cast<const char*>(frame.constScanLine(y)), row) != row)
                throw std::runtime_error(path.toStdString() + ": cannot write");
    }
}

QJsonObject sideJson(const Side& side)
{
    QJsonArray walls;
    for (const Sample& s : side.samples)
        walls.append(s.wall);
    QJsonObject o { { "median_wall_s", side.wall() }, { "median_cpu_s", side.cpu() }, { "fps", side.fps() },
        { "frames", static_cast<qint64>(side.samples.front().frames) }, { "wall_s", walls } };
    if (side.open() > 0)
        o.insert("median_open_s", side.open());
    if (side.samples.front().bytes > 0)
        o.insert("bytes", side.samples.front().bytes);
    return o;
}

void printRow(const Comparison& c)
{
    std::printf("%-8s %10.1f %10.1f %8.3f %8.3f %8.2f %8.2f %7.3f  %s\n", qPrintable(c.name), c.ours.fps(),
        c.ffmpeg.fps(), c.ours.wall(), c.ffmpeg.wall(), c.ours.cpu(), c.ffmpeg.cpu(), c.ratio(),
        c.ratio() >= kTarget ? "met" : "NOT met");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    CLI::App cli {
        "Times kinora_media's video decode and encode against the ffmpeg CLI doing the same work."
    };
    std::string file;
    std::string codecName = "h264";
    std::string ffmpeg = "ffmpeg";
    std::string workDir;
    int frameLimit = 120;
    int repeat = 3;
    bool json = false;
    cli.add_option("file", file, "the video to decode (and whose first frames are encoded)")->required();
    cli.add_option("--frames", frameLimit, "frames encoded (the clip's first N)")->check(CLI::PositiveNumber);
    cli.add_option("--repeat", repeat, "runs of each measurement; the median is reported")
        ->check(CLI::PositiveNumber);
    cli.add_option(
        "--codec", codecName, "the export preset: " + kinora::core::codecNames().join(", ").toStdString());
    cli.add_option("--ffmpeg", ffmpeg, "the ffmpeg executable compared against");
    cli.add_option(
        "--work-dir", workDir, "where the raw frames and outputs go (default: a temporary folder)");
    cli.add_flag("--json", json, "print the results as JSON on stdout instead of the table");
    CLI11_PARSE(cli, argc, argv);

    const auto codec = kinora::core::codecFromName(QString::fromStdString(codecName));
    if (!codec || *codec == kinora::core::VideoCodec::Png) {
        std::cerr << "--codec: one of the video presets (not png): "
                  << kinora::core::codecNames().join(", ").toStdString() << "\n";
        return 2;
    }
    try {
        const QString path = QString::fromStdString(file);
        const QString program = QString::fromStdString(ffmpeg);
        QTemporaryDir temp(workDir.empty()
                ? QDir::tempPath() + QStringLiteral("/kinora-video-bench-XXXXXX")
                : QString::fromStdString(workDir) + QStringLiteral("/kinora-video-bench-XXXXXX"));
        if (!temp.isValid())
            throw std::runtime_error("cannot make a work folder");
        const QString loadBefore = loadAverage();
        // Contention: what the machine spent busy during the run beyond this process and its ffmpegs.
        const double busyBefore = machineBusySeconds();
        const double ownBefore = cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN);
        QElapsedTimer runTimer;
        runTimer.start();
        warmPageCache(path);
        // What every ffmpeg run pays before it does any work: the process and its ~100 libraries.
        Side start;
        for (int r = 0; r < repeat; ++r)
            start.samples.push_back(runFfmpeg(program, { "-version" }));

        Comparison decode { QStringLiteral("decode"), {}, {} };
        std::fprintf(stderr, "decode %s\n", qPrintable(path));
        measure(
            decode, repeat, [&] { return decodeOurs(path); },
            [&] {
                return runFfmpeg(program,
                    { "-i", path, "-an", "-sn", "-dn", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y",
                        QStringLiteral("/dev/null") });
            });

        // The frames to encode: the clip's first N, as the reader returns them.
        VideoReaderOptions options;
        options.format = QImage::Format_RGB888;
        auto reader = VideoReader::open(path, options);
        std::vector<QImage> frames;
        QImage frame;
        while (static_cast<int>(frames.size()) < frameLimit && reader->next(frame))
            frames.push_back(frame);
        if (frames.empty())
            throw std::runtime_error("no frame decodes");
        EncodeSettings settings;
        settings.codec = *codec;
        settings.meta = reader->clipMeta();
        settings.meta.audioSource.clear();
        settings.meta.rotation = 0;
        settings.meta.timecode.clear();
        settings.overwrite = true;
        const QSize size = frames.front().size();
        const QString raw = temp.filePath(QStringLiteral("frames.rgb"));
        writeRaw(raw, frames);
        warmPageCache(raw);
        const QString extension = [&] {
            switch (*codec) {
            case kinora::core::VideoCodec::ProRes:
            case kinora::core::VideoCodec::ProRes4444:
            case kinora::core::VideoCodec::DnxHR:
                return QStringLiteral("mov");
            case kinora::core::VideoCodec::Vp9:
                return QStringLiteral("webm");
            case kinora::core::VideoCodec::Ffv1:
                return QStringLiteral("mkv");
            case kinora::core::VideoCodec::Gif:
                return QStringLiteral("gif");
            default:
                return QStringLiteral("mp4");
            }
        }();
        const QString oursOut = temp.filePath(QStringLiteral("ours.") + extension);
        const QString theirsOut = temp.filePath(QStringLiteral("ffmpeg.") + extension);
        const QStringList encodeArgs = QStringList { "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
            QStringLiteral("%1x%2").arg(size.width()).arg(size.height()), "-r", settings.meta.fps.toString(),
            "-i", raw }
            + kinora::core::ffmpegArguments(settings, QImage::Format_RGB888, size)
            + QStringList { "-y", theirsOut };

        Comparison encode { QStringLiteral("encode"), {}, {} };
        std::fprintf(stderr, "encode %zu frames %dx%d, %s\n", frames.size(), size.width(), size.height(),
            kinora::core::codecName(*codec));
        measure(
            encode, repeat, [&] { return encodeOurs(oursOut, frames, settings); },
            [&] {
                Sample s = runFfmpeg(program, encodeArgs);
                s.bytes = QFileInfo(theirsOut).size();
                return s;
            });
        const QString loadAfter = loadAverage();
        const double runSeconds = static_cast<double>(runTimer.nsecsElapsed()) / 1e9;
        const double others = std::max(0.0,
            machineBusySeconds() - busyBefore
                - (cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN) - ownBefore));
        const int cores = QThread::idealThreadCount();
        // Share of the machine's CPU time other processes took while the bench ran.
        const double othersShare = runSeconds > 0 ? others / (runSeconds * cores) : 0;
        if (othersShare > 0.1)
            std::fprintf(stderr,
                "warning: the machine is busy (other processes took %.0f%% of its %d cores during the run): "
                "the timings are skewed\n",
                100 * othersShare, cores);

        for (const Comparison* c : { &decode, &encode })
            if (c->ffmpeg.samples.front().frames != c->ours.samples.front().frames)
                std::fprintf(stderr, "warning: %s: ffmpeg made %lld frames, ours %lld\n", qPrintable(c->name),
                    static_cast<long long>(c->ffmpeg.samples.front().frames),
                    static_cast<long long>(c->ours.samples.front().frames));

        if (json) {
            QJsonObject root { { "file", path }, { "codec", kinora::core::codecName(*codec) },
                { "repeat", repeat }, { "load_before", loadBefore }, { "load_after", loadAfter },
                { "open_included", true }, { "target", kTarget }, { "ffmpeg_start_s", start.wall() },
                { "others_cpu_share", othersShare } };
            for (const Comparison* c : { &decode, &encode })
                root.insert(c->name,
                    QJsonObject { { "ours", sideJson(c->ours) }, { "ffmpeg", sideJson(c->ffmpeg) },
                        { "ratio", c->ratio() },
                        { "ratio_without_ffmpeg_start", c->ratioWithout(start.wall()) },
                        { "met", c->ratio() >= kTarget } });
            std::cout << QJsonDocument(root).toJson().toStdString();
            return 0;
        }
        std::printf("%s: %lld frames decoded, %zu encoded (%dx%d, %s); median of %d\n", qPrintable(path),
            static_cast<long long>(decode.ours.samples.front().frames), frames.size(), size.width(),
            size.height(), kinora::core::codecName(*codec), repeat);
        std::printf("load average %s -> %s; other processes took %.0f%% of the %d cores during the run\n",
            qPrintable(loadBefore), qPrintable(loadAfter), 100 * othersShare, cores);
        std::printf("wall times include opening: ffmpeg's whole process; ours VideoReader::open (%.3f s of "
                    "the decode, with its packet index) and VideoWriter::create..finish\n",
            decode.ours.open());
        std::printf("%-8s %10s %10s %8s %8s %8s %8s %7s  %s\n", "", "ours fps", "ffmpeg fps", "ours s",
            "ffmpeg s", "ours cpu", "ff cpu", "ratio", "target >= 0.9");
        printRow(decode);
        printRow(encode);
        std::printf("encoded sizes: ours %lld bytes, ffmpeg %lld bytes\n",
            static_cast<long long>(encode.ours.samples.front().bytes),
            static_cast<long long>(encode.ffmpeg.samples.front().bytes));
        for (const Comparison* c : { &decode, &encode })
            std::printf("%s target >= 0.9: %s (ratio %.3f)\n", qPrintable(c->name),
                c->ratio() >= kTarget ? "met" : "NOT met", c->ratio());
        std::printf(
            "for reference, ffmpeg's process start (ffmpeg -version) takes %.3f s; taken off its times, "
            "the ratios would be decode %.3f, encode %.3f\n",
            start.wall(), decode.ratioWithout(start.wall()), encode.ratioWithout(start.wall()));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "kinora-video-bench: " << e.what() << "\n";
        return 1;
    }
}
