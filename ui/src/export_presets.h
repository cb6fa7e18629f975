#pragma once
// The export formats the dialog offers: codec, label, file suffixes and quality range, in the order
// shown, and the file-name rules that go with them.

#include "kinora/core/video_writer.h"

#include <QSize>
#include <QString>

#include <array>

namespace kinora::ui {

struct ExportPreset {
    core::VideoCodec codec;
    const char* label; // translated in the combo (context kinora::ui::ExportDialog)
    const char* shortName; // "H.264", for the summary line
    std::array<const char*, 3> suffixes; // the first is the preset's; all are what the writer takes
    int defaultCrf; // < 0: the codec has no CRF
    int maxCrf;
};

const std::array<ExportPreset, 10>& exportPresets();
const ExportPreset& presetFor(core::VideoCodec codec);
bool takesSuffix(const ExportPreset& preset, const QString& suffix);
// A name as a file name: no separators or characters some file systems refuse.
QString sanitizedName(const QString& name, const QString& fallback);

// DNxHR's smallest frame: the writer refuses anything smaller (video_writer.cpp).
inline constexpr QSize kDnxhrMinimum { 256, 120 };

} // namespace kinora::ui
