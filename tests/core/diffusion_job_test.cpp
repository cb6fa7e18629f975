// The diffusion job behind kinora-cli: model lookup, progress, warnings, previews, cancellation and
// the sidecar, with an untrained tiny pack written by kinora-engine.

#include "kinora/core/diffusion_job.h"
#include "kinora/core/image_sequence.h"

#include "../app/process.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace kinora::core;

namespace {

// KINORA_MODEL as the test needs it, restored afterwards.
class ModelEnvironment {
public:
    explicit ModelEnvironment(const QByteArray& value)
        : m_saved(qgetenv("KINORA_MODEL"))
        , m_wasSet(qEnvironmentVariableIsSet("KINORA_MODEL"))
    {
        if (value.isNull())
            qunsetenv("KINORA_MODEL");
        else
            qputenv("KINORA_MODEL", value);
    }
    ~ModelEnvironment()
    {
        if (m_wasSet)
            qputenv("KINORA_MODEL", m_saved);
        else
            qunsetenv("KINORA_MODEL");
    }

private:
    QByteArray m_saved;
    bool m_wasSet;
};

// A folder findModelDir accepts: only the manifest's presence is checked there.
void fakePack(const QString& dir)
{
    ASSERT_TRUE(QDir().mkpath(dir));
    QFile manifest(QDir(dir).filePath(QStringLiteral("kinora-model.json")));
    ASSERT_TRUE(manifest.open(QIODevice::WriteOnly));
}

QString tinyPack(const QTemporaryDir& dir)
{
    const QString pack = dir.filePath(QStringLiteral("pack"));
    const auto made = kinora::test::runProcess(
        KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", pack.toStdString() });
    EXPECT_EQ(made.exitCode, 0) << made.err;
    return pack;
}

QImage frame(int seed)
{
    QImage image(16, 16, QImage::Format_RGB888);
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
            image.setPixel(x, y, qRgb((seed * 50 + x * 13) % 256, (y * 17) % 256, (x * y + seed) % 256));
    return image;
}

} // namespace

TEST(DiffusionJob, FindsTheModelInContractOrder)
{
    QTemporaryDir dir;
    const QString exe = dir.filePath(QStringLiteral("prefix/bin/kinora-cli"));
    const QString installed = dir.filePath(QStringLiteral("prefix/share/kinora/models/kinora-default"));
    const QStringList places = defaultModelPlaces(exe);
    ASSERT_GE(places.size(), 2);
    EXPECT_EQ(places[0], QDir::cleanPath(installed));
    EXPECT_TRUE(places[1].endsWith(QStringLiteral("resources/models/kinora-default")))
        << places[1].toStdString();

    const QString explicitPack = dir.filePath(QStringLiteral("explicit"));
    const QString environmentPack = dir.filePath(QStringLiteral("environment"));
    fakePack(explicitPack);
    fakePack(environmentPack);
    fakePack(installed);
    {
        ModelEnvironment environment(environmentPack.toUtf8());
        EXPECT_EQ(findModelDir(explicitPack, exe), explicitPack);
        EXPECT_EQ(findModelDir({}, exe), environmentPack);
    }
    {
        ModelEnvironment environment(QByteArray {});
        EXPECT_EQ(findModelDir({}, exe), QDir::cleanPath(installed));
    }
    {
        // A wrong explicit setting is an error, not a silent fallback to another model.
        ModelEnvironment environment(dir.filePath(QStringLiteral("missing")).toUtf8());
        EXPECT_THROW(findModelDir({}, exe), ModelNotFoundError);
        EXPECT_THROW(findModelDir(dir.filePath(QStringLiteral("nowhere")), exe), ModelNotFoundError);
    }
}

TEST(DiffusionJob, NoModelAnywhereListsEveryPlaceTried)
{
    QTemporaryDir dir;
    const QString exe = dir.filePath(QStringLiteral("prefix/bin/kinora-cli"));
    ModelEnvironment environment(QByteArray {});
    const QStringList places = defaultModelPlaces(exe);
    for (const QString& place : places)
        if (QFileInfo::exists(QDir(place).filePath(QStringLiteral("kinora-model.json"))))
            GTEST_SKIP() << "a default pack exists at " << place.toStdString();
    try {
        findModelDir({}, exe);
        FAIL() << "a model was found";
    } catch (const ModelNotFoundError& e) {
        EXPECT_EQ(e.tried(), places);
        const std::string message = e.what();
        for (const QString& place : places)
            EXPECT_NE(message.find(place.toStdString()), std::string::npos) << message;
        EXPECT_NE(message.find("KINORA_MODEL"), std::string::npos) << message;
    }
}

TEST(DiffusionJob, InpaintsWithProgressPreviewsAWarningAndASidecar)
{
    QTemporaryDir dir;
    const QString pack = tinyPack(dir);
    const QString input = dir.filePath(QStringLiteral("in/%03d.png"));
    ASSERT_TRUE(writeImageSequence(input, { frame(0), frame(1), frame(2) }, false));
    QImage mask(8, 8, QImage::Format_Grayscale8); // half the clip's size: resized, with a warning
    mask.fill(0);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 4; ++x)
            mask.setPixel(x, y, qRgb(255, 255, 255));
    const QString maskPath = dir.filePath(QStringLiteral("mask.png"));
    ASSERT_TRUE(mask.save(maskPath));

    DiffusionJobRequest request;
    request.task = DiffusionTask::Inpaint;
    request.method = "diffusion"; // the model path: steps, previews, the pack in the sidecar
    request.input = input.toStdString();
    request.mask = maskPath.toStdString();
    request.output = dir.filePath(QStringLiteral("out/%03d.png")).toStdString();
    request.modelDir = pack.toStdString();
    request.steps = 2;
    request.seed = 77;
    request.device = "cpu";
    request.previewDir = dir.filePath(QStringLiteral("preview")).toStdString();
    std::vector<JobProgress> progress;
    QStringList warnings;
    JobCallbacks callbacks;
    callbacks.onProgress = [&progress](const JobProgress& p) { progress.push_back(p); };
    callbacks.onWarning = [&warnings](const QString& w) { warnings << w; };
    const auto result = runDiffusionJob(request, callbacks);

    EXPECT_EQ(result.frames, 3);
    EXPECT_EQ(result.width, 16);
    EXPECT_EQ(result.device, QStringLiteral("cpu"));
    ASSERT_EQ(progress.size(), 2u);
    EXPECT_EQ(progress.back().step, 2);
    EXPECT_EQ(progress.back().total, 2);
    EXPECT_EQ(warnings.size(), 1);
    EXPECT_EQ(
        readImageSequence(QString::fromStdString(request.previewDir) + QStringLiteral("/step_002/%03d.png"))
            .size(),
        3u);

    const auto out = readImageSequence(QString::fromStdString(request.output));
    ASSERT_EQ(out.size(), 3u);
    bool changed = false;
    for (int i = 0; i < 3; ++i) {
        const QImage in = frame(i);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x) {
                if (x >= 8) {
                    ASSERT_EQ(out[static_cast<size_t>(i)].pixel(x, y), in.pixel(x, y))
                        << i << ": " << x << "," << y;
                } else {
                    changed = changed || out[static_cast<size_t>(i)].pixel(x, y) != in.pixel(x, y);
                }
            }
    }
    EXPECT_TRUE(changed) << "the masked half was regenerated";

    QFile file(sidecarPath(QString::fromStdString(request.output)));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QJsonObject sidecar = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject req = sidecar[QStringLiteral("request")].toObject();
    EXPECT_EQ(req[QStringLiteral("task")].toString(), QStringLiteral("inpaint"));
    EXPECT_EQ(req[QStringLiteral("seed")].toInt(), 77);
    EXPECT_EQ(req[QStringLiteral("steps")].toInt(), 2);
    EXPECT_TRUE(req[QStringLiteral("inputs")].toObject()[QStringLiteral("mask")].toString().endsWith(
        QStringLiteral("mask.png")));
    const QJsonObject weights
        = sidecar[QStringLiteral("model")].toObject()[QStringLiteral("weights_sha256")].toObject();
    EXPECT_EQ(weights.size(), 3);
    const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    for (const auto& hash : weights)
        EXPECT_TRUE(hex.match(hash.toString()).hasMatch()) << hash.toString().toStdString();
    EXPECT_EQ(sidecar[QStringLiteral("device")].toString(), QStringLiteral("cpu"));
    EXPECT_FALSE(sidecar[QStringLiteral("libtorch_version")].toString().isEmpty());
}

TEST(DiffusionJob, CancellingStopsAtTheNextStepAndWritesNothing)
{
    QTemporaryDir dir;
    DiffusionJobRequest request;
    request.prompt = "a blue circle";
    request.output = dir.filePath(QStringLiteral("out/%03d.png")).toStdString();
    request.modelDir = tinyPack(dir).toStdString();
    request.frames = 2;
    request.width = 16;
    request.height = 16;
    request.steps = 50;
    request.device = "cpu";
    int steps = 0;
    JobCallbacks callbacks;
    callbacks.onProgress = [&steps](const JobProgress&) { ++steps; };
    callbacks.isCancelled = [&steps] { return steps >= 1; };
    EXPECT_THROW(runDiffusionJob(request, callbacks), JobCancelled);
    EXPECT_EQ(steps, 1);
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("out"))));
}

// An image sequence carries no rate: an extended take keeps the one its request names (the app's
// takes are PNG sequences; before, they came back at the sequence reader's 24 fps).
TEST(DiffusionJob, ExtendingAnImageSequenceKeepsTheRateTheRequestNames)
{
    QTemporaryDir dir;
    const QString input = dir.filePath(QStringLiteral("in/%03d.png"));
    ASSERT_TRUE(writeImageSequence(input, { frame(0), frame(1) }, false));
    DiffusionJobRequest request;
    request.task = DiffusionTask::Extend;
    request.input = input.toStdString();
    request.output = dir.filePath(QStringLiteral("out/%03d.png")).toStdString();
    request.modelDir = tinyPack(dir).toStdString();
    request.frames = 2;
    request.fps = 8;
    request.steps = 1;
    request.device = "cpu";
    const auto result = runDiffusionJob(request);
    EXPECT_EQ(result.frames, 4);
    EXPECT_DOUBLE_EQ(result.fps, 8.0);
    EXPECT_DOUBLE_EQ(
        result.sidecarJson[QStringLiteral("request")].toObject()[QStringLiteral("fps")].toDouble(), 8.0);
}

// The model's path honours IN's range too: the clip it extends is the range, kept frame for frame.
TEST(DiffusionJob, ExtendingARangeContinuesThatRangeOnly)
{
    QTemporaryDir dir;
    const QString input = dir.filePath(QStringLiteral("in/%03d.png"));
    ASSERT_TRUE(writeImageSequence(input, { frame(0), frame(1), frame(2), frame(3), frame(4) }, false));
    DiffusionJobRequest request;
    request.task = DiffusionTask::Extend;
    request.input = input.toStdString();
    request.inputStart = 1;
    request.inputFrames = 2;
    request.output = dir.filePath(QStringLiteral("out/%03d.png")).toStdString();
    request.modelDir = tinyPack(dir).toStdString();
    request.frames = 2;
    request.steps = 1;
    request.device = "cpu";
    const auto result = runDiffusionJob(request);
    EXPECT_EQ(result.frames, 4) << "the range's 2 frames and the 2 added";
    const auto out = readImageSequence(dir.filePath(QStringLiteral("out/%03d.png")));
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0], frame(1));
    EXPECT_EQ(out[1], frame(2));
    const auto sidecar = result.sidecarJson[QStringLiteral("request")].toObject();
    EXPECT_EQ(sidecar[QStringLiteral("input_start")].toInt(), 1);
    EXPECT_EQ(sidecar[QStringLiteral("input_frames")].toInt(), 2);
}

// The request is resolved against the pack's manifest before the weights load: a size the model
// cannot make fails with the job's message, and nothing is written.
TEST(DiffusionJob, ARequestThePackCannotMakeFailsBeforeAnythingIsWritten)
{
    QTemporaryDir dir;
    DiffusionJobRequest request;
    request.prompt = "a blue circle";
    request.output = dir.filePath(QStringLiteral("out/%03d.png")).toStdString();
    request.modelDir = tinyPack(dir).toStdString();
    request.width = 18;
    request.height = 16;
    request.device = "cpu";
    int steps = 0;
    JobCallbacks callbacks;
    callbacks.onProgress = [&steps](const JobProgress&) { ++steps; };
    try {
        runDiffusionJob(request, callbacks);
        ADD_FAILURE() << "18x16 was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("multiple of 4"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << "no flag in core's message";
    }
    EXPECT_EQ(steps, 0);
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("out"))));
}

TEST(DiffusionJob, DescribesAPack)
{
    QTemporaryDir dir;
    const auto info = describeModelPack(tinyPack(dir));
    EXPECT_EQ(info.config, QStringLiteral("tiny"));
    EXPECT_EQ(info.family, QStringLiteral("kinora-native"));
    ASSERT_FALSE(info.parameters.empty());
    const QJsonObject json = toJson(info);
    EXPECT_GT(json[QStringLiteral("parameters")].toObject()[QStringLiteral("total")].toInteger(), 100000);
    EXPECT_EQ(json[QStringLiteral("defaults")].toObject()[QStringLiteral("width")].toInt(), 32);
}
