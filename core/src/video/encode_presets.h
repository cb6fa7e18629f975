#pragma once
// The export presets: for each codec the FFmpeg encoder, the pixel format it gets (by the frames'
// depth and alpha), the encoder options, the colour tags and matrix, and the size a chroma layout
// needs. Also the ffmpeg command-line arguments that ask for the same encode, which the tests and
// the benchmark compare against. Private to core.

#include "kinora/core/media.h"
#include "kinora/core/video_writer.h"
#include "video/av_handles.h"

#include <QImage>
#include <QSize>
#include <QStringList>

#include <utility>
#include <vector>

namespace kinora::core::video {

struct EncodePreset {
    VideoCodec codec;
    const char* name;
    const char* encoder;
    AVPixelFormat rgb8; // frames: RGB888
    AVPixelFormat rgb16; // RGBX64
    AVPixelFormat rgba8; // RGBA8888
    AVPixelFormat rgba16; // RGBA64
    int defaultCrf; // -1: no CRF
    bool audio; // the container carries audio
    uint32_t codecTag; // 0: the muxer's
    const char* extensions; // for messages
};

const EncodePreset& presetOf(VideoCodec codec);
inline bool isGif(const EncodePreset& preset)
{
    return preset.codec == VideoCodec::Gif;
}
AVPixelFormat pixelFormatFor(const EncodePreset& preset, QImage::Format format);
// The size the pixel format's chroma layout takes (even width for 4:2:2, even both for 4:2:0).
QSize alignedSize(const EncodePreset& preset, AVPixelFormat pixFmt, QSize size);

// The tags written and the matrix RGB is converted with.
struct EncodedColor {
    ColorTags tags;
    int matrix = AVCOL_SPC_BT709;
};
EncodedColor encodedColor(
    const EncodePreset& preset, const ColorTags& source, AVPixelFormat pixFmt, int height);

std::vector<std::pair<QString, QString>> encoderOptions(
    const EncodePreset& preset, int crf, AVPixelFormat pixFmt);

// The muxer for an output name (nullptr: FFmpeg guesses from the name).
const char* muxerFor(const QString& path);

// The closest of core's four frame formats for any QImage format.
QImage::Format coreFormatOf(QImage::Format format);

// split -> palettegen -> paletteuse, as `ffmpeg -vf` takes it.
inline constexpr const char* kGifFilter = "split[a][b];[a]palettegen[p];[b][p]paletteuse";

} // namespace kinora::core::video
