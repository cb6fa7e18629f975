// libFuzzer target for video import: the bytes become a file that VideoReader opens and decodes as
// the app does with a file an artist drops on the timeline. Only Kinora's code carries the coverage
// and sanitizer instrumentation (FFmpeg is the system's build), so the fuzzer steers by the
// reader's own branches: seeking, timestamp bookkeeping, rate and rotation handling, errors.

#include "video_decode_fuzz.h"

#include "kinora/core/media.h"
#include "kinora/core/video_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace kinora::fuzz {
namespace {

using core::MediaError;
using core::VideoReader;

// One file per process: libFuzzer's -jobs/-fork run several processes side by side.
QString inputPath()
{
    const QString folder
        = QFileInfo(QStringLiteral("/dev/shm")).isWritable() ? QStringLiteral("/dev/shm") : QDir::tempPath();
    return QStringLiteral("%1/kinora-video-fuzz-%2.bin").arg(folder).arg(::getpid());
}

std::string checkRefused(const MediaError& error, const QString& path)
{
    const std::string message = error.what();
    const std::string prefix = path.toStdString() + ": ";
    if (message.compare(0, prefix.size(), prefix) != 0)
        return "error does not start with the file name: " + message;
    if (message.size() <= prefix.size())
        return "error says nothing after the file name";
    for (const char c : message) {
        if (c == '\n' || c == '\r')
            return "error is not one line: " + message;
    }
    return {};
}

std::string checkFrame(const QImage& image, const VideoReader& reader, const char* how, long long index)
{
    if (image.isNull())
        return std::string(how) + " returned a null frame " + std::to_string(index);
    if (image.size() != reader.frameSize() || image.format() != reader.frameFormat())
        return std::string(how) + " frame " + std::to_string(index)
            + " is not of the announced size and format";
    return {};
}

std::string checkOpened(VideoReader& reader, bool constantRate)
{
    const core::MediaInfo& info = reader.info();
    if (info.width <= 0 || info.height <= 0)
        return "opened with no frame size";
    if (info.frames <= 0 || reader.frameCount() <= 0)
        return "opened with a frame count of " + std::to_string(info.frames);
    if (!constantRate && reader.frameCount() != info.frames)
        return "frameCount() is not the frames counted";
    if (!info.fps.valid())
        return "opened with no frame rate";
    if (static_cast<long long>(info.width) * info.height > kMaxFuzzPixels || info.frames > kMaxFuzzFrames
        || reader.frameCount() > kMaxFuzzFrames)
        return {};

    int64_t inOrder = 0;
    QImage image;
    // Fewer is allowed: the count is of packets, and some hold no picture (an MPEG-4 Part 2
    // "not coded" frame), which only decoding the whole file would tell.
    while (reader.next(image)) {
        if (std::string problem = checkFrame(image, reader, "next()", inOrder); !problem.empty())
            return problem;
        if (++inOrder > reader.frameCount())
            return "next() returned more frames than frameCount() " + std::to_string(reader.frameCount());
    }
    const int64_t count = reader.frameCount();
    // Last, first, middle: backwards, then forwards again.
    for (const int64_t index : { count - 1, int64_t { 0 }, count / 2 }) {
        try {
            // Only the shape is checked: a damaged stream is concealed from whatever the decoder
            // holds, which differs after a seek, and a damaged AVI index sends a seek to another
            // frame's bytes (ffprobe -read_intervals does the same). VideoImportCorpus holds the
            // valid seeds to frame N by index = frame N in order.
            const QImage frame = reader.frameAt(index);
            if (std::string problem = checkFrame(frame, reader, "frameAt()", index); !problem.empty())
                return problem;
        } catch (const MediaError&) {
            // A frame that does not decode by seeking either: refused, which is allowed.
        }
    }
    return {};
}

} // namespace

std::string checkVideoInput(std::string_view bytes)
{
    const QString path = inputPath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(bytes.data(), static_cast<qint64>(bytes.size()))
                != static_cast<qint64>(bytes.size()))
            return "harness: cannot write " + path.toStdString();
    }
    // The input's length picks the options too, so that one corpus covers them all.
    core::VideoReaderOptions options;
    if (bytes.size() % 4 == 1)
        options.constantRate = { 24, 1 };
    options.applyRotation = bytes.size() % 3 == 1;
    std::string problem;
    try {
        auto reader = VideoReader::open(path, options);
        problem = checkOpened(*reader, options.constantRate.valid());
    } catch (const MediaError& error) {
        problem = checkRefused(error, path);
    } catch (const std::bad_alloc&) {
        // A stream that asks for more memory than there is: refused, as the app's worker would.
    } catch (const std::exception& error) {
        problem = std::string("refused with an exception other than MediaError: ") + error.what();
    }
    QFile::remove(path);
    return problem;
}

} // namespace kinora::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem
        = kinora::fuzz::checkVideoInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "video decode fuzz: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
