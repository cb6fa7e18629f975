#pragma once
// A diffusion job as kinora-cli runs it (and, later, the worker thread): a request in Qt and std
// types, progress and cancellation callbacks, image sequences in and out. It finds the model pack,
// reads the inputs, calls the engine's task (generate, extend, inpaint, interpolate), writes the
// frames and a sidecar `OUT.kinora.json` that holds enough to make the take again. Torch stays
// inside diffusion_job.cpp.

#include "kinora/core/job.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kinora::core {

enum class DiffusionTask { Generate, Extend, Inpaint, Interpolate };

// "generate", "extend", "inpaint", "interpolate".
const char* taskName(DiffusionTask task);

struct DiffusionJobRequest {
    DiffusionTask task = DiffusionTask::Generate;
    QString prompt;
    QString negativePrompt;
    QString input; // IN video or pattern: extend, inpaint, interpolate
    QString mask; // MASK image, pattern or video: inpaint
    QString image; // generate: the first frame (optional)
    QString output; // OUT video or pattern
    QString codec; // OUT's codec (codecNames()); empty: from OUT's extension
    int crf = -1; // < 0: the codec preset's
    int frames = 0; // generate: clip length (0: the pack's); extend: frames to add
    int factor = 0; // interpolate: K >= 2 (0: from fps)
    // generate: the output size (0: the pack's, or the first frame's aspect ratio); other tasks: the
    // working size (0: the footage's aspect ratio at about the pack's pixel count).
    int width = 0;
    int height = 0;
    // generate: the clip's rate (0: the pack's); interpolate without a factor: the output rate,
    // above the input's (a video's; image sequences carry none).
    double fps = 0;
    int steps = 0; // 0: the pack's
    double guidance = -1; // < 0: the pack's
    QString sampler; // empty: the pack's
    uint64_t seed = 0;
    QString device = QStringLiteral("auto"); // auto, cpu or cuda
    QString precision = QStringLiteral("auto"); // auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16
    QString modelDir; // empty: findModelDir's search
    QString previewDir; // non-empty: each step's preview frames go to DIR/step_NNN/NNN.png
    int fullDecodeEvery = 0; // > 0: a full VAE decode of the predicted clip every N steps (previews)
    bool overwrite = false;
};

// No model pack where one was asked for or searched; what() lists every place tried.
class ModelNotFoundError : public std::runtime_error {
public:
    ModelNotFoundError(const std::string& message, QStringList tried)
        : std::runtime_error(message)
        , m_tried(std::move(tried))
    {
    }
    const QStringList& tried() const { return m_tried; }

private:
    QStringList m_tried;
};

struct DiffusionJobResult {
    QString output;
    QString sidecar;
    QJsonObject sidecarJson; // what `sidecar` holds: request, model, versions, device, precision
    int frames = 0;
    int width = 0;
    int height = 0;
    int windows = 1;
    double fps = 0; // the output's rate
    QString device; // "cpu" or "cuda"
    QString precision; // "fp32", "bf16" or "fp16"
    QString modelDir;
    QString modelName;
    QString weightsHash; // SHA-256 over the pack's weights files' own hashes, in role order
    // The settings as the engine resolved them (the pack's defaults filled in).
    int steps = 0;
    double guidance = 0;
    QString sampler;
    uint64_t seed = 0;
    double loadSeconds = 0; // spent loading the pack (0 when the cache held it)
};

// Keeps a loaded model pack between jobs (the app's worker holds one, so a second take starts
// without reloading). A job that asks for another pack, device or precision replaces it. Use from
// one thread at a time (the worker's).
class ModelCache {
public:
    ModelCache();
    ~ModelCache();
    ModelCache(const ModelCache&) = delete;
    ModelCache& operator=(const ModelCache&) = delete;

    void clear();
    bool holds(const QString& modelDir, const QString& device, const QString& precision) const;

    struct Entry;
    // Loads (or reuses) `modelDir` on `device` ("cpu"/"cuda") in `precision` ("fp32"/...).
    // Returns the seconds spent loading (0 when reused).
    double load(const QString& modelDir, const QString& device, const QString& precision);
    Entry& entry();

private:
    std::unique_ptr<Entry> m_entry;
};

// Runs the whole job. Throws JobCancelled, ModelNotFoundError, OutputExistsError,
// UnsupportedMediaError (image_sequence.h) or std::runtime_error with one clear message (which
// speaks of the job, never of command-line flags: each front end adds its own hint).
// With `cache`, the pack is taken from it (and left in it); without, it is loaded for this job.
DiffusionJobResult runDiffusionJob(
    const DiffusionJobRequest& request, const JobCallbacks& callbacks = {}, ModelCache* cache = nullptr);

// The request as the sidecar stores it, and back (for "make again"): task, prompts, inputs, frames,
// size, fps, steps, guidance, sampler, seed, device, precision, model folder.
QJsonObject requestToJson(const DiffusionJobRequest& request);
DiffusionJobRequest requestFromJson(const QJsonObject& json);

// The sidecar of an output: OUT + ".kinora.json", for a pattern too (`out/%03d.png.kinora.json`
// sits beside the frames it describes and cannot collide with another sequence's).
QString sidecarPath(const QString& output);

// The pack is `explicitDir` when given, else $KINORA_MODEL when set (either used alone: a wrong
// setting is an error, not a silent fallback to another model), else the first of
// defaultModelPlaces() that holds a pack. Throws ModelNotFoundError listing every place tried.
QString findModelDir(const QString& explicitDir, const QString& executable = {});

// The installed pack `<bin>/../share/kinora/models/kinora-default` (bin: `executable`'s folder, by
// default /proc/self/exe's), then the source tree's resources/models/kinora-default.
QStringList defaultModelPlaces(const QString& executable = {});

// A model pack's manifest and parameter counts, for `kinora-cli info DIR`.
struct ModelPackInfo {
    QString dir;
    QString name;
    QString family;
    QString config;
    QString version;
    int latentChannels = 0;
    int spatialCompression = 0;
    int temporalCompression = 0;
    QString schedule;
    bool zeroTerminalSnr = false;
    QString prediction;
    int width = 0;
    int height = 0;
    int frames = 0;
    double fps = 0;
    int steps = 0;
    double guidance = 0;
    QString sampler;
    std::vector<std::pair<QString, QString>> components; // role -> file
    std::vector<std::pair<QString, int64_t>> parameters; // role -> count, and "total"
};

ModelPackInfo describeModelPack(const QString& dir);
QJsonObject toJson(const ModelPackInfo& info);

} // namespace kinora::core
