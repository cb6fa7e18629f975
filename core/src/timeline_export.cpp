// The cut rendered: for each output frame the picture the timeline shows at its time, from sources
// decoded on demand, letterboxed into the output size; the clips' sound mixed first into a WAV that
// the writer carries like footage's own.

#include "kinora/core/timeline_export.h"

#include "video/audio_mix.h"
#include "video/encode_presets.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/video_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace kinora::core {

namespace {

std::atomic<int> g_mixCounter { 0 };

bool cancelled(const JobCallbacks& callbacks)
{
    return callbacks.isCancelled && callbacks.isCancelled();
}

// What the request asks for, resolved: rates, the range, the output's frame count, size and codec.
struct Plan {
    Rational rate; // R, the timeline's
    Rational fps; // F, the output's
    int64_t first = 0;
    int64_t count = 0;
    int64_t frames = 0; // ceil(count · F / R)
    QSize size;
    VideoCodec codec = VideoCodec::H264;
    std::vector<const TimelineClip*> clips; // those in range

    // The timeline frame output frame j shows: floor((first/R + j/F) · R), exactly.
    int64_t timelineFrame(int64_t j) const
    {
        return first + j * rate.num * fps.den / (static_cast<int64_t>(rate.den) * fps.num);
    }
    // Seconds from the clip's start to output frame j.
    double secondsIntoClip(const TimelineClip& clip, int64_t j) const
    {
        return static_cast<double>(first - clip.start) * rate.den / rate.num
            + static_cast<double>(j) * fps.den / fps.num;
    }
};

Plan plan(const TimelineExportRequest& r)
{
    Plan p;
    p.rate = r.timeline.rate();
    if (!p.rate.valid())
        throw std::invalid_argument("the timeline has no frame rate");
    p.fps = r.fps.valid() ? r.fps : p.rate;
    if (r.first < 0 || r.count < 0)
        throw std::invalid_argument("the range to export cannot start or run below frame 0");
    p.first = r.first;
    p.count = r.count > 0 ? r.count : r.timeline.duration() - r.first;
    if (p.count <= 0)
        throw std::invalid_argument(r.timeline.isEmpty()
                ? "the timeline is empty: nothing to export"
                : "the range to export starts past the timeline's end");
    const int64_t num = p.count * p.fps.num * p.rate.den, den = static_cast<int64_t>(p.fps.den) * p.rate.num;
    p.frames = (num + den - 1) / den;
    for (const TimelineClip& clip : r.timeline.clips())
        if (clip.start < p.first + p.count && clip.end() > p.first) {
            if (!r.sources.count(clip.sourceId))
                throw std::runtime_error(QStringLiteral("the clip %1 uses %2, which the export was not given")
                                             .arg(clip.id, clip.sourceId)
                                             .toStdString());
            p.clips.push_back(&clip);
        }
    p.size = r.size;
    if (p.size.isEmpty()) {
        for (const TimelineClip* clip : p.clips) {
            const QSize s = r.sources.at(clip->sourceId).size;
            if (!s.isEmpty() && int64_t(s.width()) * s.height() > int64_t(p.size.width()) * p.size.height())
                p.size = s;
        }
        if (p.size.isEmpty())
            throw std::invalid_argument("nothing in the range to take the size from: give a size");
    }
    p.codec = r.codec ? *r.codec : codecForOutput(r.output);
    return p;
}

// Pictures of the sources by source frame: a VideoReader per video kept open while clips still to
// come use it (going forward it decodes on), PNG sequences and stills read as images.
class SourcePictures {
public:
    SourcePictures(
        const std::map<QString, SourceDetails>& sources, const std::vector<const TimelineClip*>& clips)
        : m_sources(sources)
    {
        for (const TimelineClip* clip : clips)
            m_lastUse[clip->sourceId] = std::max(m_lastUse[clip->sourceId], clip->end());
    }

    QImage frame(const QString& id, int64_t index)
    {
        Open& open = m_open[id];
        if (index == open.index)
            return open.picture;
        const SourceDetails& source = m_sources.at(id);
        if (source.still) {
            if (open.picture.isNull())
                open.picture = readImage(source.path);
        } else if (isSequencePattern(source.path)) {
            open.picture = readImage(sequenceFramePath(source.path, static_cast<int>(index)));
        } else {
            if (!open.reader)
                open.reader = VideoReader::open(source.path, { QImage::Format_RGB888, true, {} });
            open.picture = open.reader->frameAt(std::clamp<int64_t>(index, 0, open.reader->frameCount() - 1));
        }
        open.index = index;
        return open.picture;
    }

    // Closes what no clip uses from timeline frame `frame` on.
    void release(int64_t frame)
    {
        for (auto it = m_open.begin(); it != m_open.end();)
            it = m_lastUse[it->first] <= frame ? m_open.erase(it) : std::next(it);
    }

private:
    struct Open {
        std::unique_ptr<VideoReader> reader;
        int64_t index = -1;
        QImage picture;
    };
    const std::map<QString, SourceDetails>& m_sources;
    std::map<QString, int64_t> m_lastUse; // one past the last timeline frame a clip shows it
    std::map<QString, Open> m_open;
};

// `picture` scaled smoothly to fit `size` with its aspect kept, centred on black.
QImage fitted(const QImage& picture, QSize size)
{
    if (picture.size() == size)
        return picture.convertToFormat(QImage::Format_RGB888);
    QImage canvas(size, QImage::Format_RGB888);
    canvas.fill(Qt::black);
    QSize fit = picture.size().scaled(size, Qt::KeepAspectRatio);
    fit = fit.expandedTo({ 1, 1 });
    const QImage scaled = picture.scaled(fit, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                              .convertToFormat(QImage::Format_RGB888);
    const int x = (size.width() - fit.width()) / 2, y = (size.height() - fit.height()) / 2;
    for (int row = 0; row < fit.height(); ++row)
        std::memcpy(canvas.scanLine(y + row) + 3 * x, scaled.constScanLine(row),
            static_cast<size_t>(3 * fit.width()));
    return canvas;
}

// The sound of every clip in range whose source has audio, placed on the output's time.
std::vector<video::AudioPlacement> placements(const TimelineExportRequest& r, const Plan& p, int64_t samples)
{
    const double rate = p.rate.value();
    const double start = static_cast<double>(p.first) / rate;
    std::vector<video::AudioPlacement> placed;
    for (const TimelineClip* clip : p.clips) {
        const SourceDetails& source = r.sources.at(clip->sourceId);
        if (!source.audio || source.still)
            continue;
        const double from = static_cast<double>(clip->start) / rate - start; // on the output's time
        const double to = static_cast<double>(clip->end()) / rate - start;
        const int64_t at = std::llround(std::max(0.0, from) * video::kMixRate);
        const int64_t end = std::min<int64_t>(samples, std::llround(to * video::kMixRate));
        if (end <= at)
            continue;
        video::AudioPlacement a;
        a.path = source.path;
        a.sourceSeconds = source.audioStart + static_cast<double>(clip->sourceIn) / source.fps.value()
            + (std::max(0.0, from) - from);
        a.at = at;
        a.length = end - at;
        placed.push_back(a);
    }
    return placed;
}

// What an unfinished export leaves behind goes: the mix WAV always, the output's folder when this
// export made it.
struct Leftovers {
    QString wav;
    QString createdFolder;
    bool finished = false;
    ~Leftovers()
    {
        if (!wav.isEmpty())
            QFile::remove(wav);
        if (!finished && !createdFolder.isEmpty())
            QDir(createdFolder).removeRecursively();
    }
};

// Makes `dir`, remembering the outermost folder that did not exist.
void makeFolder(const QString& dir, Leftovers& leftovers)
{
    QString missing;
    for (QString at = QDir::cleanPath(dir); !QFileInfo::exists(at); at = QFileInfo(at).absolutePath()) {
        missing = at;
        if (QFileInfo(at).absolutePath() == at)
            break;
    }
    if (!QDir().mkpath(dir))
        throw MediaError(QStringLiteral("%1: cannot create the folder").arg(dir).toStdString());
    leftovers.createdFolder = missing;
}

} // namespace

std::map<QString, SourceDetails> timelineSources(const Project& project, const Timeline& timeline)
{
    std::map<QString, SourceDetails> sources;
    for (const TimelineClip& clip : timeline.clips()) {
        if (sources.count(clip.sourceId))
            continue;
        const auto source = project.source(clip.sourceId);
        if (!source)
            throw std::runtime_error(
                QStringLiteral("the timeline's clip %1 uses %2, which is not in the project")
                    .arg(clip.id, clip.sourceId)
                    .toStdString());
        sources.emplace(clip.sourceId, *source);
    }
    return sources;
}

TranscodeResult exportTimeline(const TimelineExportRequest& r, const JobCallbacks& callbacks)
{
    const Plan p = plan(r);
    // Cheap failures first: nothing is mixed for an output that may not be written.
    if (!r.overwrite && outputExists(r.output))
        throw OutputExistsError(r.output.toStdString() + " exists");
    EncodeSettings settings;
    settings.codec = p.codec;
    settings.crf = r.crf;
    settings.overwrite = r.overwrite;
    settings.meta.fps = p.fps;
    settings.expectedFrames = p.frames;

    Leftovers leftovers;
    const int64_t samples
        = std::llround(static_cast<double>(p.frames) * p.fps.den / p.fps.num * video::kMixRate);
    const auto sound = r.audio && video::presetOf(p.codec).audio ? placements(r, p, samples)
                                                                 : std::vector<video::AudioPlacement> {};
    if (!sound.empty()) {
        const QString dir = QFileInfo(r.output).absolutePath();
        makeFolder(dir, leftovers);
        leftovers.wav = QStringLiteral("%1/.%2.kinora-mix-%3-%4.wav")
                            .arg(dir, QFileInfo(r.output).fileName())
                            .arg(::getpid())
                            .arg(g_mixCounter.fetch_add(1));
        video::mixToWav(sound, samples, leftovers.wav, callbacks.isCancelled);
        settings.meta.audioSource = leftovers.wav;
        settings.meta.audioStart = 0;
    }

    auto writer = VideoWriter::create(r.output, p.size, QImage::Format_RGB888, settings, callbacks.onWarning);
    SourcePictures pictures(r.sources, p.clips);
    QImage black(p.size, QImage::Format_RGB888);
    black.fill(Qt::black);
    // Consecutive output frames often show one source frame (a still, a slower source): it is
    // scaled once.
    const TimelineClip* lastClip = nullptr;
    int64_t lastSource = -1;
    QImage last = black;
    for (int64_t j = 0; j < p.frames; ++j) {
        if (cancelled(callbacks))
            throw JobCancelled();
        const int64_t frame = p.timelineFrame(j);
        const TimelineHit hit = r.timeline.shownAt(frame);
        if (!hit.clip) {
            last = black;
            lastClip = nullptr;
        } else {
            const int64_t source = hit.clip->sourceFrameAtTime(p.secondsIntoClip(*hit.clip, j), p.rate);
            if (hit.clip != lastClip || source != lastSource)
                last = fitted(pictures.frame(hit.clip->sourceId, source), p.size);
            lastClip = hit.clip;
            lastSource = source;
        }
        writer->write(last);
        pictures.release(frame);
        if (callbacks.onProgress)
            callbacks.onProgress({ static_cast<int>(j + 1), static_cast<int>(p.frames), 0, 1 });
    }
    if (cancelled(callbacks))
        throw JobCancelled();
    writer->finish();
    leftovers.finished = true;

    TranscodeResult result;
    result.output = r.output;
    result.codec = p.codec;
    result.frames = p.frames;
    result.size = writer->encodedSize();
    result.pixelFormat = writer->pixelFormat();
    result.fps = p.fps;
    result.audio = !sound.empty();
    return result;
}

} // namespace kinora::core
