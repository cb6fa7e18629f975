// One of the few core files where torch meets Qt (built with QT_NO_KEYWORDS): it turns image
// sequences into the engine's tensors and back.

#include "kinora/core/diffusion_job.h"

#include "video_tensor.h"

#include "kinora/core/clip_io.h"
#include "kinora/core/footage_jobs.h"
#include "kinora/core/image_sequence.h"
#include "kinora/core/prompt_words.h"
#include "kinora/core/video_writer.h"
#include "kinora/inference/runtime.h"
#include "kinora/inference/sidecar.h"
#include "kinora/inference/tasks.h"
#include "kinora/inference/video_model.h"
#include "kinora/inference/wan/wan_folder.h"
#include "kinora/inference/wan/wan_video_model.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cmath>
#include <cstring>
#include <filesystem>

namespace kinora::core {

namespace {

namespace inf = kinora::inference;

} // namespace

struct ModelCache::Entry {
    QString dir;
    QString device;
    QString precision;
    std::unique_ptr<inf::VideoModel> model;
    inf::SidecarJson
        modelJson; // name, family, config, version, folder, weights hashes (hashed once per load)
    QString weightsHash;
};

namespace {

std::filesystem::path localPath(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

std::string utf8(const QString& text)
{
    return text.toStdString();
}

// RGB888 frames -> [3, T, H, W] float in [0, 1].
at::Tensor framesToTensor(const std::vector<QImage>& frames)
{
    const int64_t t = static_cast<int64_t>(frames.size());
    const int h = frames.front().height();
    const int w = frames.front().width();
    auto bytes = at::empty({ t, h, w, 3 }, at::kByte);
    auto* out = bytes.data_ptr<uint8_t>();
    const size_t row = static_cast<size_t>(w) * 3;
    for (int64_t i = 0; i < t; ++i) {
        const QImage rgb = frames[static_cast<size_t>(i)].convertToFormat(QImage::Format_RGB888);
        for (int y = 0; y < h; ++y) // QImage rows are padded to 4 bytes; the tensor's are not
            std::memcpy(out + (i * h + y) * row, rgb.constScanLine(y), row);
    }
    return bytes.permute({ 3, 0, 1, 2 }).to(at::kFloat).div(255.0).contiguous();
}

// [3, T, H, W] in [0, 1] -> RGB888 frames; rounding makes 8-bit inputs come back exactly.
std::vector<QImage> tensorToFrames(const at::Tensor& video)
{
    const auto bytes = videoToRgbBytes(video);
    const int t = static_cast<int>(bytes.size(0));
    const int h = static_cast<int>(bytes.size(1));
    const int w = static_cast<int>(bytes.size(2));
    const auto* in = bytes.data_ptr<uint8_t>();
    const size_t row = static_cast<size_t>(w) * 3;
    std::vector<QImage> frames;
    for (int i = 0; i < t; ++i) {
        QImage frame(w, h, QImage::Format_RGB888);
        for (int y = 0; y < h; ++y)
            std::memcpy(frame.scanLine(y), in + (static_cast<size_t>(i) * h + y) * row, row);
        frames.push_back(std::move(frame));
    }
    return frames;
}

// Grayscale8 masks (255 = regenerate) -> [T, H, W] float with 1 where the pixel is regenerated.
at::Tensor masksToTensor(const std::vector<QImage>& masks)
{
    std::vector<QImage> rgb;
    for (const QImage& mask : masks)
        rgb.push_back(mask.convertToFormat(QImage::Format_RGB888));
    return (framesToTensor(rgb)[0] >= 0.5).to(at::kFloat);
}

// A kinora-model.json, or a folder of Wan weights as downloaded (model_manifest.h).
bool isPack(const QString& dir)
{
    return inf::isModelPackFolder(localPath(dir));
}

QString packProblem(const QString& dir)
{
    return QFileInfo(dir).isDir() ? QStringLiteral("%1 has no %2 and no Wan 2.1 weights")
                                        .arg(dir, QLatin1String(inf::kManifestFileName))
                                  : QStringLiteral("%1 does not exist").arg(dir);
}

// The request part of the sidecar. `width`/`height` are the working size the model ran at;
// `output_*` what was written.
inf::SidecarJson requestJson(const DiffusionJobRequest& r, const inf::TaskResult& result, double fps,
    const std::vector<QImage>& out, int64_t inputFrames)
{
    const auto& o = result.resolved;
    inf::SidecarRequest q;
    q.task = taskName(r.task);
    q.prompt = r.prompt;
    q.negativePrompt = r.negativePrompt;
    q.input = r.input;
    q.mask = r.mask;
    q.image = r.image;
    q.output = r.output;
    if (r.task == DiffusionTask::Generate) // the clip's length
        q.frames = static_cast<int>(out.size());
    else if (r.task == DiffusionTask::Extend) // the frames added
        q.frames = r.frames;
    if (r.task == DiffusionTask::Interpolate)
        q.factor = o.factor;
    q.outputFrames = static_cast<int>(out.size());
    q.outputWidth = out.front().width();
    q.outputHeight = out.front().height();
    q.width = o.width;
    q.height = o.height;
    q.fps = fps;
    q.steps = o.steps;
    q.guidance = o.guidance;
    q.sampler = o.sampler;
    q.seed = o.seed;
    q.windows = result.windows;
    q.windowFrames = o.windowFrames;
    q.overlapFrames = o.overlapFrames;
    auto json = inf::sidecarRequestJson(q);
    if (r.task != DiffusionTask::Generate) { // the range of IN that was read
        json["input_start"] = r.inputStart;
        json["input_frames"] = inputFrames;
    }
    return json;
}

void writePreview(const QString& dir, const inf::TaskProgress& progress)
{
    if (!progress.update.preview.defined())
        return;
    const QString step = QStringLiteral("step_%1").arg(progress.update.step, 3, 10, QLatin1Char('0'));
    writeImageSequence(QDir(dir).filePath(step) + QStringLiteral("/%03d.png"),
        tensorToFrames(progress.update.preview), true);
}

JobPreview toJobPreview(const inf::TaskProgress& p, bool full)
{
    JobPreview preview;
    preview.step = p.update.step;
    preview.total = p.update.total;
    preview.window = p.window;
    preview.windows = p.windows;
    preview.firstFrame = p.firstFrame;
    preview.fullDecode = full;
    preview.frames = tensorToFrames(full ? p.update.fullDecode : p.update.preview);
    return preview;
}

Rational rateOf(double fps)
{
    return Rational::parse(QString::number(fps, 'g', 12));
}

// Interpolation to a rate: the rate of the output and the frames of the K-times clip that land
// nearest each output time (none when the rate is K times the input's).
struct Retiming {
    Rational rate;
    std::vector<int> pick;
};

Retiming retime(const inf::TaskRequest& resolved, const Clip& clip)
{
    const int k = resolved.factor;
    Retiming t { { clip.meta.fps.num * k, clip.meta.fps.den }, {} };
    if (!clip.hasRate)
        return t;
    const double ratio = resolved.fps / clip.meta.fps.value();
    if (std::abs(ratio - k) < 1e-6) // an exact multiple: keep the input's exact rational
        return t;
    t.rate = rateOf(resolved.fps);
    const int inputFrames = static_cast<int>(clip.frames.size());
    const int outputFrames = static_cast<int>(std::floor((inputFrames - 1) * ratio + 1e-9)) + 1;
    const int last = k * (inputFrames - 1);
    for (int j = 0; j < outputFrames; ++j)
        t.pick.push_back(std::min(last, static_cast<int>(std::lround(j * k / ratio))));
    return t;
}

// What the job's task reads besides the request, as the engine's tensors.
inf::TaskInput taskInput(
    const DiffusionJobRequest& r, const Clip& clip, const std::vector<QImage>& masks, const QImage& first)
{
    inf::TaskInput input;
    if (r.task == DiffusionTask::Generate) {
        if (!first.isNull())
            input.firstFrame = framesToTensor({ first }).select(1, 0);
        return input;
    }
    input.clip = framesToTensor(clip.frames);
    input.fps = clip.hasRate ? clip.meta.fps.value() : 0;
    if (r.task == DiffusionTask::Inpaint)
        input.mask = masksToTensor(masks);
    return input;
}

} // namespace

QString sidecarPath(const QString& output)
{
    return QFile::decodeName(inf::sidecarPath(localPath(output)).c_str());
}

QStringList defaultModelPlaces(const QString& executable)
{
    QString exe = executable;
    if (exe.isEmpty()) { // no QCoreApplication needed: the CLI may not create one
        std::error_code ec;
        const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec)
            exe = QFile::decodeName(self.c_str());
    }
    QStringList places;
    if (!exe.isEmpty())
        places << QDir::cleanPath(
            QFileInfo(exe).absolutePath() + QStringLiteral("/../share/kinora/models/kinora-default"));
#ifdef KINORA_SOURCE_DIR
    places << QDir::cleanPath(QStringLiteral(KINORA_SOURCE_DIR "/resources/models/kinora-default"));
#endif
    return places;
}

QString findModelDir(const QString& explicitDir, const QString& executable)
{
    if (!explicitDir.isEmpty()) {
        if (isPack(explicitDir))
            return explicitDir;
        throw ModelNotFoundError(
            utf8(QStringLiteral("no model pack at %1 (%2)").arg(explicitDir, packProblem(explicitDir))),
            { explicitDir });
    }
    const QString fromEnvironment = qEnvironmentVariable("KINORA_MODEL");
    if (!fromEnvironment.isEmpty()) {
        if (isPack(fromEnvironment))
            return fromEnvironment;
        throw ModelNotFoundError(utf8(QStringLiteral("no model pack at $KINORA_MODEL=%1 (%2)")
                                          .arg(fromEnvironment, packProblem(fromEnvironment))),
            { fromEnvironment });
    }
    const QStringList places = defaultModelPlaces(executable);
    QStringList problems;
    for (const QString& place : places) {
        if (isPack(place))
            return place;
        problems << packProblem(place);
    }
    throw ModelNotFoundError(utf8(QStringLiteral("no model pack found; tried $KINORA_MODEL (not set), %1")
                                      .arg(problems.join(QStringLiteral(", ")))),
        places);
}

EncodeSettings outputSettings(const DiffusionJobRequest& r)
{
    const QString output = QString::fromStdString(r.output);
    EncodeSettings settings;
    if (r.codec.empty()) {
        settings.codec = codecForOutput(output);
    } else {
        const auto codec = codecFromName(QString::fromStdString(r.codec));
        if (!codec)
            throw std::runtime_error(
                utf8(QStringLiteral("no codec named %1; the codecs are %2")
                         .arg(QString::fromStdString(r.codec), codecNames().join(QStringLiteral(", ")))));
        settings.codec = *codec;
    }
    settings.crf = r.crf;
    settings.overwrite = r.overwrite;
    if (!r.overwrite && outputExists(output))
        throw OutputExistsError(r.output + " exists");
    return settings;
}

DiffusionJobResult runDiffusionJob(const DiffusionJobRequest& r, const JobCallbacks& cb, ModelCache* cache)
{
    if (resolveMethod(r) != FootageMethod::Diffusion)
        return runFootageJob(r, cb);
    // Everything that can fail cheaply fails before the model loads.
    const QString output = QString::fromStdString(r.output);
    EncodeSettings settings = outputSettings(r);
    const auto cancelled = [&cb] { return cb.isCancelled && cb.isCancelled(); };
    Clip clip;
    std::vector<QImage> masks;
    QImage first;
    if (r.task != DiffusionTask::Generate)
        clip = readClip(QString::fromStdString(r.input), cb, { r.inputStart, r.inputFrames });
    if (!clip.hasRate && r.inputFps > 0) { // a take's frames, at the rate the take was made at
        clip.meta.fps = rateOf(r.inputFps);
        clip.hasRate = true;
    }
    if (r.task == DiffusionTask::Inpaint)
        masks = fitMasks(readMaskClip(QString::fromStdString(r.mask)), static_cast<int>(clip.frames.size()),
            clip.frames.front().size(), cb.onWarning);
    if (r.task == DiffusionTask::Generate && !r.image.empty())
        first = readImage(QString::fromStdString(r.image));

    DiffusionJobResult out;
    out.modelDir = findModelDir(QString::fromStdString(r.modelDir));
    // The request resolved once, against the pack's manifest and the footage, before any weights load.
    const auto input = taskInput(r, clip, masks, first);
    DiffusionJobRequest job = r;
    const inf::ModelManifest manifest = inf::loadModelManifest(localPath(out.modelDir));
    static_cast<inf::TaskRequest&>(job) = inf::resolveTask(manifest, r, inf::footageOf(input));
    // A pack that reads words sees each word outside its vocabulary as one unknown token: the clip
    // still runs, and the artist learns which words it ignored.
    if (cb.onWarning && !manifest.vocabulary.empty()) {
        QStringList vocabulary;
        for (const std::string& word : manifest.vocabulary)
            vocabulary << QString::fromStdString(word);
        if (QString warning = unknownWordsWarning(QString::fromStdString(r.prompt), vocabulary);
            !warning.isEmpty()) {
            warning[0] = warning[0].toLower(); // warnings read as the end of "warning: "
            cb.onWarning(warning);
        }
    }
    std::vector<QImage> frames;
    inf::SidecarJson sidecar;
    ModelCache ownCache;
    ModelCache& models = cache ? *cache : ownCache;
    try {
        // No autograd anywhere in a job: less memory, and no version counters on the weights.
        c10::InferenceMode inferenceMode;
        const auto device = inf::resolveDevice(inf::parseDevicePreference(r.device));
        const auto precision = inf::resolvePrecision(inf::parsePrecision(r.precision), device);
        out.loadSeconds
            = models.load(out.modelDir, QString::fromStdString(device), QString::fromStdString(precision));
        auto& loaded = models.entry();
        auto& model = *loaded.model;
        inf::TaskCallbacks callbacks;
        callbacks.isCancelled = cancelled;
        const QString previewDir = QString::fromStdString(r.previewDir);
        callbacks.onStep = [&](const inf::TaskProgress& p) {
            if (!previewDir.isEmpty())
                writePreview(previewDir, p);
            if (cb.onProgress)
                cb.onProgress({ p.update.step, p.update.total, p.window, p.windows });
            if (cb.onPreview && (!cb.wantsPreview || cb.wantsPreview())) {
                const bool full = p.update.fullDecode.defined();
                if (full || p.update.preview.defined())
                    cb.onPreview(toJobPreview(p, full));
            }
        };
        const auto result = inf::runTask(model, job, input, callbacks);
        frames = tensorToFrames(result.video);
        const auto& resolved = result.resolved;
        // Footage keeps its metadata (rate, colour tags, sample aspect, timecode, audio); a
        // generated clip is BT.709 at the asked rate.
        if (r.task == DiffusionTask::Generate) {
            settings.meta = ClipMeta {};
            settings.meta.fps = rateOf(resolved.fps);
        } else {
            settings.meta = clip.meta;
            if (!clip.hasRate && resolved.fps > 0) // an image sequence at the rate the request names
                settings.meta.fps = rateOf(resolved.fps);
        }
        if (r.task == DiffusionTask::Interpolate) {
            const auto retiming = retime(resolved, clip);
            settings.meta.fps = retiming.rate;
            if (!retiming.pick.empty()) {
                std::vector<QImage> picked;
                for (const int i : retiming.pick)
                    picked.push_back(frames[static_cast<size_t>(i)]);
                frames = std::move(picked);
            }
        }
        const double fps = settings.meta.fps.value();
        sidecar
            = inf::sidecarJson(requestJson(r, result, fps, frames, static_cast<int64_t>(clip.frames.size())),
                loaded.modelJson, device, precision);
        out.device = QString::fromStdString(device);
        out.precision = QString::fromStdString(precision);
        out.modelName = QString::fromStdString(model.manifest().name);
        out.weightsHash = loaded.weightsHash;
        out.windows = result.windows;
        out.fps = fps;
        out.steps = resolved.steps;
        out.guidance = resolved.guidance;
        out.sampler = QString::fromStdString(resolved.sampler);
        out.seed = resolved.seed;
    } catch (const inf::PipelineCancelled&) {
        throw JobCancelled();
    } catch (const c10::Error& e) { // LibTorch's own messages carry a C++ backtrace: keep the first line
        throw std::runtime_error(e.what_without_backtrace());
    }
    JobCallbacks writing;
    writing.isCancelled = cancelled;
    writing.onWarning = cb.onWarning;
    if (!writeVideo(output, frames, settings, writing))
        throw JobCancelled();
    out.output = output;
    out.sidecar = sidecarPath(output);
    try {
        inf::writeSidecar(localPath(out.sidecar), sidecar);
    } catch (...) { // frames without the sidecar that makes them again are not a finished take
        removeOutput(output);
        throw;
    }
    out.sidecarJson = QJsonDocument::fromJson(QByteArray::fromStdString(sidecar.dump())).object();
    out.frames = static_cast<int>(frames.size());
    out.width = frames.front().width();
    out.height = frames.front().height();
    return out;
}

ModelCache::ModelCache() = default;
ModelCache::~ModelCache() = default;

void ModelCache::clear()
{
    m_entry.reset();
}

bool ModelCache::holds(const QString& modelDir, const QString& device, const QString& precision) const
{
    return m_entry && m_entry->dir == QFileInfo(modelDir).canonicalFilePath() && m_entry->device == device
        && m_entry->precision == precision;
}

double ModelCache::load(const QString& modelDir, const QString& device, const QString& precision)
{
    // Keyed by folder, device and precision only: a pack retrained into the same folder while the
    // app runs is not noticed until another pack, device or precision is asked for.
    if (holds(modelDir, device, precision))
        return 0;
    m_entry.reset(); // free the old weights before loading new ones
    QElapsedTimer timer;
    timer.start();
    auto entry = std::make_unique<Entry>();
    entry->dir = QFileInfo(modelDir).canonicalFilePath();
    entry->device = device;
    entry->precision = precision;
    entry->model = inf::loadPack(localPath(modelDir), utf8(device), utf8(precision));
    const auto hashes = inf::hashPackWeights(entry->model->manifest(), localPath(modelDir));
    entry->modelJson = inf::sidecarModelJson(entry->model->manifest(), localPath(modelDir), hashes);
    entry->weightsHash = QString::fromStdString(hashes.combined);
    m_entry = std::move(entry);
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

ModelCache::Entry& ModelCache::entry()
{
    if (!m_entry)
        throw std::logic_error("ModelCache::entry() before load()");
    return *m_entry;
}

QJsonObject requestToJson(const DiffusionJobRequest& r)
{
    const auto q = [](const std::string& text) { return QString::fromStdString(text); };
    return QJsonObject { { QStringLiteral("task"), QString::fromLatin1(taskName(r.task)) },
        { QStringLiteral("prompt"), q(r.prompt) }, { QStringLiteral("negative_prompt"), q(r.negativePrompt) },
        { QStringLiteral("input"), q(r.input) }, { QStringLiteral("input_start"), qint64(r.inputStart) },
        { QStringLiteral("input_frames"), qint64(r.inputFrames) },
        { QStringLiteral("input_fps"), r.inputFps }, { QStringLiteral("mask"), q(r.mask) },
        { QStringLiteral("image"), q(r.image) }, { QStringLiteral("output"), q(r.output) },
        { QStringLiteral("codec"), q(r.codec) }, { QStringLiteral("crf"), r.crf },
        { QStringLiteral("frames"), r.frames }, { QStringLiteral("factor"), r.factor },
        { QStringLiteral("width"), r.width }, { QStringLiteral("height"), r.height },
        { QStringLiteral("fps"), r.fps }, { QStringLiteral("steps"), r.steps },
        { QStringLiteral("guidance"), r.guidance }, { QStringLiteral("sampler"), q(r.sampler) },
        // JSON numbers are doubles: a 64-bit seed goes as a decimal string so no bit is lost.
        { QStringLiteral("seed"), QString::number(r.seed) }, { QStringLiteral("device"), q(r.device) },
        { QStringLiteral("precision"), q(r.precision) }, { QStringLiteral("model_dir"), q(r.modelDir) },
        { QStringLiteral("window_frames"), r.windowFrames },
        { QStringLiteral("overlap_frames"), r.overlapFrames },
        { QStringLiteral("full_decode_every"), r.fullDecodeEvery }, { QStringLiteral("method"), q(r.method) },
        { QStringLiteral("dilate"), r.dilate } };
}

DiffusionJobRequest requestFromJson(const QJsonObject& j)
{
    DiffusionJobRequest r;
    const QString task = j.value(QStringLiteral("task")).toString(QStringLiteral("generate"));
    const auto kind = inf::parseTaskName(utf8(task));
    if (!kind)
        throw std::runtime_error(utf8(QStringLiteral("unknown task \"%1\" in a saved request").arg(task)));
    r.task = *kind;
    const auto text = [&j](const char* key, const char* fallback = "") {
        return utf8(j.value(QLatin1String(key)).toString(QString::fromUtf8(fallback)));
    };
    const auto integer
        = [&j](const char* key, int fallback) { return j.value(QLatin1String(key)).toInt(fallback); };
    const auto real
        = [&j](const char* key, double fallback) { return j.value(QLatin1String(key)).toDouble(fallback); };
    r.prompt = text("prompt");
    r.negativePrompt = text("negative_prompt");
    r.input = text("input");
    r.inputStart = j.value(QStringLiteral("input_start")).toInteger(0);
    r.inputFrames = j.value(QStringLiteral("input_frames")).toInteger(0);
    r.inputFps = real("input_fps", 0);
    r.mask = text("mask");
    r.image = text("image");
    r.output = text("output");
    r.codec = text("codec");
    r.crf = integer("crf", -1);
    r.frames = integer("frames", 0);
    r.factor = integer("factor", 0);
    r.width = integer("width", 0);
    r.height = integer("height", 0);
    r.fps = real("fps", 0);
    r.steps = integer("steps", 0);
    r.guidance = real("guidance", -1);
    r.sampler = text("sampler");
    const QJsonValue seed = j.value(QStringLiteral("seed"));
    r.seed = seed.isString() ? seed.toString().toULongLong() : static_cast<uint64_t>(seed.toDouble(0));
    r.device = text("device", "auto");
    r.precision = text("precision", "auto");
    r.modelDir = text("model_dir");
    r.windowFrames = integer("window_frames", 0);
    r.overlapFrames = integer("overlap_frames", 0);
    r.fullDecodeEvery = integer("full_decode_every", 0);
    r.method = text("method", "auto");
    r.dilate = integer("dilate", 0);
    return r;
}

ModelPackInfo describeModelPack(const QString& dir)
{
    inf::ModelManifest m = inf::loadModelManifest(localPath(dir));
    std::map<std::string, int64_t> parameters;
    if (m.family == inf::wan::kWanFamily) {
        // Counted from the headers: loading 7 B parameters to count them would take minutes.
        parameters = inf::wan::wanParameterCounts(localPath(dir), m);
    } else {
        try {
            parameters = inf::loadPack(localPath(dir), "cpu", "fp32")->parameterCounts();
        } catch (const c10::Error& e) {
            throw std::runtime_error(e.what_without_backtrace());
        }
    }
    const auto q = [](const std::string& s) { return QString::fromStdString(s); };
    ModelPackInfo info;
    info.dir = QFileInfo(dir).absoluteFilePath();
    info.name = q(m.name);
    info.family = q(m.family);
    info.config = q(m.config);
    info.version = q(m.version);
    info.latentChannels = m.latentChannels;
    info.spatialCompression = m.spatialCompression;
    info.temporalCompression = m.temporalCompression;
    info.schedule = q(m.schedule.kind);
    info.zeroTerminalSnr = m.schedule.zeroTerminalSnr;
    info.prediction = q(m.prediction);
    info.width = m.defaults.width;
    info.height = m.defaults.height;
    info.frames = m.defaults.frames;
    info.fps = m.defaults.fps;
    info.steps = m.defaults.steps;
    info.guidance = m.defaults.guidance;
    info.sampler = q(m.defaults.sampler);
    for (const auto& [role, file] : m.components)
        info.components.emplace_back(q(role), q(file));
    for (const auto& [role, count] : parameters)
        info.parameters.emplace_back(q(role), count);
    return info;
}

QString writeWanManifest(const QString& dir)
{
    // The preview matrix fitted on the folder's own VAE (seconds on the CPU for the real one).
    const auto path = localPath(dir);
    return QFile::decodeName(inf::wan::writeWanManifest(path, [&](inf::ModelManifest& m) {
        inf::wan::fitWanPreview(path, m);
    }).c_str());
}

QJsonObject toJson(const ModelPackInfo& info)
{
    QJsonObject components;
    for (const auto& [role, file] : info.components)
        components.insert(role, file);
    QJsonObject parameters;
    for (const auto& [role, count] : info.parameters)
        parameters.insert(role, static_cast<qint64>(count));
    return QJsonObject { { QStringLiteral("dir"), info.dir }, { QStringLiteral("name"), info.name },
        { QStringLiteral("family"), info.family }, { QStringLiteral("config"), info.config },
        { QStringLiteral("version"), info.version },
        { QStringLiteral("latent"),
            QJsonObject { { QStringLiteral("channels"), info.latentChannels },
                { QStringLiteral("spatial_compression"), info.spatialCompression },
                { QStringLiteral("temporal_compression"), info.temporalCompression } } },
        { QStringLiteral("schedule"),
            QJsonObject { { QStringLiteral("kind"), info.schedule },
                { QStringLiteral("zero_terminal_snr"), info.zeroTerminalSnr } } },
        { QStringLiteral("prediction"), info.prediction },
        { QStringLiteral("defaults"),
            QJsonObject { { QStringLiteral("width"), info.width }, { QStringLiteral("height"), info.height },
                { QStringLiteral("frames"), info.frames }, { QStringLiteral("fps"), info.fps },
                { QStringLiteral("steps"), info.steps }, { QStringLiteral("guidance"), info.guidance },
                { QStringLiteral("sampler"), info.sampler } } },
        { QStringLiteral("components"), components }, { QStringLiteral("parameters"), parameters } };
}

} // namespace kinora::core
