#pragma once
// Reading a mask import on the thread pool: a video, an image-sequence pattern or a folder of
// numbered images (frame i of it goes to source frame first + i), or one image (a key at the
// target frame), by the CLI's mask rule (luma >= 128, palette index != 0); another size is
// resized (nearest). Frames are read one at a time (a video streamed, a pattern file by file) and
// each is encoded to its PNG at once, so a long clip never sits in memory and the GUI thread only
// writes the bytes (MaskKeysCommand).

#include "mask_commands.h"
#include "mask_editor.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

namespace kinora::ui {

struct MaskImport {
    std::vector<MaskKeysCommand::Change> changes; // PNGs (and, for one image, the image too)
    QString error; // empty when it was read
    QString note; // resized, or more or fewer frames than the clip
};

// One picture (not a pattern, a folder, a video or an animation): a key at the target frame.
bool isSingleMaskImage(const QString& path);

// Reads and encodes `path` for `target` (`single`: isSingleMaskImage). `progress(done, total)`
// follows each frame; returning false stops (the result is then incomplete).
MaskImport readMaskImport(const QString& path, const MaskTarget& target, bool single,
    const std::function<bool(int64_t done, int64_t total)>& progress);

} // namespace kinora::ui
