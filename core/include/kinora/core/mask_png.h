#pragma once
// A mask keyframe as it is stored: a Grayscale8 PNG. Encoding a 1280x720 mask takes several
// milliseconds and decoding a few, so the painter does both on the thread pool and hands the
// project the bytes (Project::setMaskKeys). Both functions are pure and safe on any thread.

#include <QByteArray>
#include <QImage>

#include <cstdint>

namespace kinora::core {

// `mask` (converted to Grayscale8) as PNG bytes; empty for a null image.
QByteArray encodeMaskPng(const QImage& mask);
// The Grayscale8 mask of PNG (or any image) bytes; a null image when they do not decode.
QImage decodeMaskPng(const QByteArray& png);

// How many masks encodeMaskPng / decodeMaskPng have handled on the calling thread: lets a test
// check that the GUI thread did no such work during an operation.
int64_t maskPngEncodesOnThisThread();
int64_t maskPngDecodesOnThisThread();

} // namespace kinora::core
