#pragma once
// Clips as numbered images, read and written with OpenCV (video files are video_reader.h's and
// video_writer.h's): a pattern as FFmpeg writes it (`out/%03d.png`, `%d`), numbered from 0. Frames are 8-bit
// RGB QImages (Format_RGB888), so callers above core never see OpenCV or torch. Masks are Format_Grayscale8
// with 0 (keep) or 255 (regenerate).

#include <QImage>
#include <QString>

#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace kinora::core {

// The path is not something this build can read or write (a video file, a malformed pattern).
class UnsupportedMediaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The output exists and the caller did not ask to replace it.
class OutputExistsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// True when the file name holds one `%d` or `%0Nd` (and no other `%`), as FFmpeg's image2 takes.
bool isSequencePattern(const QString& path);

// The file of frame `index`: `out/%03d.png`, 7 -> `out/007.png`.
QString sequenceFramePath(const QString& pattern, int index);

// Throws UnsupportedMediaError unless `path` is a pattern. `role` names the argument in the message ("IN",
// "OUT").
void requireSequencePattern(const QString& path, const char* role);

// The files that match `pattern` in its folder, in frame order (any run of digits the pattern
// accepts, not only those numbered contiguously from 0).
QStringList existingSequenceFiles(const QString& pattern);

// Frames 0, 1, ... until the first missing one. Throws std::runtime_error when frame 0 is missing
// (saying so when the sequence starts at 1, FFmpeg's own default), a frame cannot be decoded, or
// frames differ in size.
std::vector<QImage> readImageSequence(const QString& pattern);

// One image, anything OpenCV's imread reads, as RGB888. Throws std::runtime_error naming the file.
QImage readImage(const QString& path);

// Writes `frames` as `pattern`, creating parent folders. Everything is written into a hidden
// temporary folder beside the frames and moved into place only when every frame is written, so a
// failure or a cancellation leaves nothing behind (and an older output untouched). An existing
// output (any file matching the pattern) is replaced only with `overwrite` (else OutputExistsError);
// its surplus frames are then removed so that the result reads back with exactly `frames.size()`
// frames. Returns false, having written nothing, when `isCancelled` turns true before the commit.
bool writeImageSequence(const QString& pattern, const std::vector<QImage>& frames, bool overwrite,
    const std::function<bool()>& isCancelled = {});

// Writes frames one at a time into a hidden folder beside the pattern's, and moves them into place
// on commit(); destroyed without commit(), it leaves nothing behind (an older output untouched).
// Frames keep 16 bits a channel (RGBX64, RGBA64) and alpha in the PNGs.
class SequenceWriter {
public:
    // Throws OutputExistsError when frames of `pattern` exist and `overwrite` is false, and
    // std::runtime_error when the folder cannot be made or written.
    static std::unique_ptr<SequenceWriter> create(const QString& pattern, bool overwrite);
    ~SequenceWriter();
    SequenceWriter(const SequenceWriter&) = delete;
    SequenceWriter& operator=(const SequenceWriter&) = delete;
    void write(const QImage& frame);
    // Moves the frames into place and removes the surplus frames of an older output.
    void commit();
    int written() const;

private:
    SequenceWriter();
    struct State;
    std::unique_ptr<State> m_state;
};

// Removes every file matching `pattern` (the output of a job that failed after writing it).
void removeImageSequence(const QString& pattern);

// A mask from one image or a pattern: a pixel is masked (255) when its luma (BT.601) is >= 128 or,
// in a palette image (PNG colour type 3, GIF, 8-bit BMP), when its palette index is not 0.
std::vector<QImage> readMasks(const QString& imageOrPattern);
QImage binarizeMask(const QImage& image);

// Masks for a clip of `frameCount` frames of `size`: one mask applies to every frame; a sequence
// must have one mask per frame; masks of another size are resized (nearest), reported once through
// `warn`. Throws std::runtime_error on a count mismatch.
std::vector<QImage> fitMasks(std::vector<QImage> masks, int frameCount, QSize size,
    const std::function<void(const QString&)>& warn = {});

} // namespace kinora::core
