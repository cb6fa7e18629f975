#include "kinora/core/model_catalog.h"

#include "kinora/core/diffusion_job.h"
#include "kinora/inference/model_manifest.h"
#include "kinora/inference/task_plan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <set>

namespace kinora::core {

namespace {

namespace inf = kinora::inference;

QString tr(const char* text)
{
    return QCoreApplication::translate("ModelCatalog", text);
}

// The multiple the engine's resolveTask asks of a size (task_plan.h). Unknown configs fall back
// to the manifest's compression times the default U-Net's factor.
int sizeMultipleOf(const inf::ModelManifest& manifest)
{
    try {
        return inf::sizeMultiple(manifest);
    } catch (const std::exception&) {
        return std::max(1, manifest.spatialCompression) * 2;
    }
}

// Long clips are made window by window (one window = the pack's default frames, overlapping as
// resolveTask plans them); 16 windows keeps a request within a few minutes per step count.
int maxFramesOf(int windowFrames)
{
    constexpr int kMaxWindows = 16;
    const int window = std::max(1, windowFrames);
    const int overlap = inf::defaultOverlap(window);
    return window <= overlap ? window : window + (kMaxWindows - 1) * (window - overlap);
}

QString joinedProblems(const inf::ModelPackError& error)
{
    QStringList lines;
    for (const std::string& problem : error.problems())
        lines << QString::fromStdString(problem);
    return lines.isEmpty() ? QString::fromStdString(error.what()) : lines.join(QStringLiteral("; "));
}

QString canonical(const QString& dir)
{
    const QString path = QFileInfo(dir).canonicalFilePath();
    return path.isEmpty() ? QDir::cleanPath(QFileInfo(dir).absoluteFilePath()) : path;
}

} // namespace

ModelPackEntry readModelPack(const QString& dir, const QString& origin)
{
    ModelPackEntry entry;
    entry.dir = canonical(dir);
    entry.origin = origin;
    entry.name = QFileInfo(entry.dir).fileName();
    if (!QFileInfo(entry.dir).isDir()) {
        entry.error = tr("%1 does not exist").arg(entry.dir);
        return entry;
    }
    if (!inf::isModelPackFolder(QFile::encodeName(entry.dir).toStdString())) {
        entry.error
            = tr("%1 has no %2 and no Wan 2.1 weights").arg(entry.dir, QLatin1String(inf::kManifestFileName));
        return entry;
    }
    try {
        const inf::ModelManifest manifest
            = inf::loadModelManifest(QFile::encodeName(entry.dir).toStdString());
        entry.name = QString::fromStdString(manifest.name);
        entry.family = QString::fromStdString(manifest.family);
        entry.config = QString::fromStdString(manifest.config);
        const inf::ManifestDefaults& d = manifest.defaults;
        entry.width = d.width;
        entry.height = d.height;
        entry.frames = d.frames;
        entry.fps = d.fps;
        entry.steps = d.steps;
        entry.guidance = d.guidance;
        entry.sampler = QString::fromStdString(d.sampler);
        entry.sizeMultiple = sizeMultipleOf(manifest);
        // A family whose VAE compresses time (Wan) makes a clip in one window: its default length
        // is the most it makes (task_plan.h's resolveTask refuses more).
        entry.maxFrames = manifest.temporalCompression > 1 ? d.frames : maxFramesOf(d.frames);
        entry.frameStep = std::max(1, manifest.temporalCompression);
        for (const std::string& word : manifest.vocabulary)
            entry.vocabulary << QString::fromStdString(word);
        entry.vocabulary.sort();
        entry.vocabulary.removeDuplicates();
    } catch (const inf::ModelPackError& e) {
        entry.error = joinedProblems(e);
    } catch (const std::exception& e) {
        entry.error = QString::fromStdString(e.what());
    }
    const QString card = QDir(entry.dir).filePath(QStringLiteral("MODEL_CARD.md"));
    if (QFileInfo(card).isFile())
        entry.cardPath = card;
    return entry;
}

std::vector<ModelPackEntry> listModelPacks(const QStringList& added)
{
    std::vector<ModelPackEntry> packs;
    std::set<QString> seen;
    const auto add = [&](const QString& dir, const QString& origin, bool skipMissing) {
        if (dir.isEmpty())
            return;
        if (skipMissing && !inf::isModelPackFolder(QFile::encodeName(dir).toStdString()))
            return; // a default place that holds no pack is not a pack
        if (!seen.insert(canonical(dir)).second)
            return;
        packs.push_back(readModelPack(dir, origin));
    };
    for (const QString& place : defaultModelPlaces())
        add(place, QStringLiteral("default"), true);
    add(qEnvironmentVariable("KINORA_MODEL"), QStringLiteral("environment"), false);
    for (const QString& dir : added)
        add(dir, QStringLiteral("added"), false);
    return packs;
}

QStringList samplerNames()
{
    // The names parseSamplerKind() accepts (inference/src/sampler.cpp), in its order; the sampler
    // header needs ATen, which core keeps to the few files that run the engine.
    return { QStringLiteral("ddpm"), QStringLiteral("ddim"), QStringLiteral("euler"),
        QStringLiteral("euler-a"), QStringLiteral("dpm++2m"), QStringLiteral("flow-euler"),
        QStringLiteral("unipc") };
}

QString checkGenerationSize(const ModelPackEntry& pack, int width, int height, int frames)
{
    if (!pack.ok())
        return tr("the pack does not read: %1").arg(pack.error);
    const int multiple = std::max(1, pack.sizeMultiple);
    for (const auto& [side, value] :
        { std::pair { tr("width"), width }, std::pair { tr("height"), height } }) {
        if (value < multiple)
            return tr("%1 %2 is below %3, the smallest this pack makes").arg(side).arg(value).arg(multiple);
        if (value % multiple != 0)
            return tr("%1 %2 is not a multiple of %3").arg(side).arg(value).arg(multiple);
    }
    if (frames < 1)
        return tr("a clip needs at least 1 frame");
    if (pack.maxFrames > 0 && frames > pack.maxFrames)
        return tr("%1 frames is too long: this pack makes at most %2 frames").arg(frames).arg(pack.maxFrames);
    return {};
}

} // namespace kinora::core
