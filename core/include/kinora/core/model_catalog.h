#pragma once
// The model packs the app offers: the shipped default, $KINORA_MODEL, and folders the user added.
// Reading a pack here parses its manifest and checks that its weights files are there (cheap: no
// weights are loaded on the GUI thread); a pack that does not read is listed with its error, and the
// settings refuse values outside what the pack supports, with the reason.

#include <QString>
#include <QStringList>

#include <vector>

namespace kinora::core {

struct ModelPackEntry {
    QString dir; // absolute
    QString origin; // "default", "environment" or "added"
    QString name; // from the manifest; the folder's name when the manifest does not read
    QString family;
    QString config;
    QString error; // empty when the pack reads
    // The manifest's defaults.
    int width = 0;
    int height = 0;
    int frames = 0;
    double fps = 0;
    int steps = 0;
    double guidance = 0;
    QString sampler;
    int sizeMultiple = 8; // width and height must be multiples of this
    int maxFrames = 0; // the longest clip a job may ask for (windows make long clips)
    int frameStep = 1; // the pack makes 1 + frameStep·n frames (Wan: 4); others are rounded up and trimmed
    QString cardPath; // MODEL_CARD.md when the pack has one
    // The words a pack that reads words knows (the manifest's "vocabulary", sorted); empty for
    // packs that read any text. The prompt editor completes these and names the others.
    QStringList vocabulary;

    bool ok() const { return error.isEmpty(); }
};

// Reads one pack folder (never throws: problems go to `error`).
ModelPackEntry readModelPack(const QString& dir, const QString& origin = QStringLiteral("added"));

// The default places (defaultModelPlaces()), then $KINORA_MODEL, then `added`, each folder once.
std::vector<ModelPackEntry> listModelPacks(const QStringList& added = {});

// The samplers the engine knows, by the names requests use ("dpm++2m", "ddim", ...).
QStringList samplerNames();

// Why `width` x `height` x `frames` cannot be made with `pack`, or empty when it can.
QString checkGenerationSize(const ModelPackEntry& pack, int width, int height, int frames);

} // namespace kinora::core
