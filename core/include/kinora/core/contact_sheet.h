#pragma once
// The contact sheet `kinora-cli eval --sheet` writes: a row per clip (its frames side by side,
// scaled up with nearest-neighbour so a 32x32 frame is readable, then its caption and what the
// scorer read, wrapped to the row's width), saved as a palette PNG. The evaluation's frames are
// flat procedural colours, so an 8-bit palette holds them exactly and the file stays a few KB where
// a truecolour one is many times that. Torch-free, so its tests build without the engine.

#include <QImage>
#include <QList>
#include <QString>

#include <vector>

namespace kinora::core {

struct SheetRow {
    std::vector<QImage> frames; // all one size
    QString caption; // "[seen] a red square moving left on a blue background"
    QString reading; // "read: red (ok) square (ok) left (ok) background blue (ok)"
};

// Up to kSheetFrames frames show them all, a longer clip every other one.
constexpr int kSheetFrames = 8;
// The smaller side of a frame on the sheet is at least this many pixels.
constexpr int kSheetFrameSide = 96;

// The sheet, Format_Indexed8. Rows are as wide as their frames; text wraps to fit.
QImage contactSheet(const std::vector<SheetRow>& rows);

// Writes contactSheet(rows) to `path` as a PNG, through QSaveFile (complete or not at all).
// Throws std::runtime_error when it cannot.
void writeContactSheet(const QString& path, const std::vector<SheetRow>& rows);

// `image` as Format_Indexed8 without dithering: with at most 256 colours its own colours, exactly;
// with more, the `keep` colours exactly and a median cut of the others, each pixel its nearest entry.
QImage toIndexed8(const QImage& image, const QList<QRgb>& keep = {});

} // namespace kinora::core
