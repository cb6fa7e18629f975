#pragma once
// A diffusion job as kinora-cli and the app's worker thread run it: a request in std types,
// progress and cancellation callbacks, videos and image sequences in and out. It finds the model
// pack, reads the inputs, calls the engine's task (generate, extend, inpaint, interpolate), writes
// the frames and a sidecar `OUT.kinora.json` that holds enough to make the take again. Torch stays
// inside diffusion_job.cpp.

#include "kinora/core/job.h"
#include "kinora/inference/task_request.h"

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

using DiffusionTask = inference::TaskKind;
using inference::taskName;

// A diffusion job: the engine's request for the task (prompts, frames, factor, working size, fps,
// steps, guidance, sampler, seed, windows; zero = the pack's default, resolved once by the engine's
// resolveTask) and the files and device around it. Plain C++ strings (UTF-8, paths too) from the
// command line or the window down to the engine.
struct DiffusionJobRequest : inference::TaskRequest {
    std::string input; // IN video or pattern: extend, inpaint, interpolate
    // The range of IN the job works on (a trimmed timeline clip, without copying the footage):
    // from frame `inputStart`, `inputFrames` frames (0: to the end of IN). The output is only the
    // range (its frame 0 is IN's frame inputStart) and carried sound and timecode move with it. A
    // range outside IN is an InputRangeError (clip_io.h) before anything is written.
    int64_t inputStart = 0;
    int64_t inputFrames = 0;
    // The rate of an image-sequence IN, which carries none of its own (a take's PNG frames): the
    // job then treats the sequence as footage at that rate (interpolation to a target rate, the
    // output's rate). 0: none; ignored for video files.
    double inputFps = 0;
    // MASK image, pattern or video: inpaint. It covers the range, not the whole of IN: mask frame
    // 0 is the range's first frame (one image still applies to every frame).
    std::string mask;
    std::string image; // generate: the first frame (optional)
    std::string output; // OUT video or pattern
    std::string codec; // OUT's codec (codecNames()); empty: from OUT's extension
    int crf = -1; // < 0: the codec preset's
    std::string device = "auto"; // auto, cpu or cuda
    std::string precision = "auto"; // auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16
    std::string modelDir; // empty: findModelDir's search
    std::string previewDir; // non-empty: each step's preview frames go to DIR/step_NNN/NNN.png
    // interpolate, inpaint: "auto", "flow", "blend" (interpolate) or "diffusion" (footage_jobs.h).
    std::string method = "auto";
    int dilate = 0; // inpaint: grow the mask by this many pixels
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
    QString method = QStringLiteral("diffusion"); // or "flow", "blend" (footage_jobs.h)
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

// Runs the whole job; interpolate and inpaint requests whose method resolves to flow or blend go to
// runFootageJob (footage_jobs.h), which needs no model. Throws JobCancelled, ModelNotFoundError,
// OutputExistsError, UnsupportedMediaError (image_sequence.h) or std::runtime_error with one clear message
// (which speaks of the job, never of command-line flags: each front end adds its own hint). With `cache`, the
// pack is taken from it (and left in it); without, it is loaded for this job.
DiffusionJobResult runDiffusionJob(
    const DiffusionJobRequest& request, const JobCallbacks& callbacks = {}, ModelCache* cache = nullptr);

// OUT's encode settings for a job (codec from `codec` or OUT's name, crf, overwrite); throws
// std::runtime_error for an unknown codec and OutputExistsError when OUT exists without overwrite.
struct EncodeSettings;
EncodeSettings outputSettings(const DiffusionJobRequest& request);

// The request as the project stores it, and back (for "make again"): task, prompts, inputs and
// IN's range, frames, size, fps, steps, guidance, sampler, seed, device, precision, model folder,
// method, mask dilation.
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
// Writes the kinora-model.json Kinora uses for a folder of Wan 2.1 weights (inference's
// wan/wan_folder.h writeWanManifest), its preview matrix fitted on the folder's VAE
// (fitWanPreview), and returns its path. Throws with every problem of the folder,
// or when it already has one.
QString writeWanManifest(const QString& dir);
QJsonObject toJson(const ModelPackInfo& info);

} // namespace kinora::core
