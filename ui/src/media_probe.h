#pragma once
// What an import makes of a path (private to MediaImporter): a video file, a still image, or a
// folder of numbered images, probed into a MediaRecord (without its id), or one sentence saying
// why nothing can be imported. Reads files only; safe on any thread.

#include "kinora/core/project.h"

#include <QString>

namespace kinora::ui {

struct ProbedMedia {
    core::MediaRecord record; // id empty: the project gives it
    QString error; // empty when the path imports
};

// Image sequences are read at this rate until the user says otherwise.
inline constexpr core::Rational kSequenceImportRate { 24, 1 };

ProbedMedia probeImport(const QString& path);

} // namespace kinora::ui
