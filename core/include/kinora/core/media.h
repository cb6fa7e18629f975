#pragma once
// What Kinora knows about a piece of media (a video file or an image-sequence pattern), and the
// metadata that travels with decoded frames to an export so that footage keeps its frame rate,
// colour tags, sample aspect, rotation, timecode and audio. Plain Qt/std types: FFmpeg stays in
// core's .cpp files.
//
// Frames in core are QImages in one of four formats: Format_RGB888 and Format_RGBA8888 (8 bits a
// channel), Format_RGBX64 and Format_RGBA64 (16 bits a channel, for footage deeper than 8 bits).

#include <QImage>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <stdexcept>

namespace kinora::core {

// A media file cannot be opened, read or written; what() is one line naming the file and the cause.
class MediaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Rational {
    int num = 0;
    int den = 1;
    bool valid() const { return num > 0 && den > 0; }
    double value() const { return den ? double(num) / den : 0.0; }
    // "30000/1001", "24/1".
    QString toString() const;
    // "30000/1001", "24", "29.97" (decimals become the nearest rational with a small denominator;
    // 23.976 and 29.97 become 24000/1001 and 30000/1001). Invalid or <= 0: {0, 1}.
    static Rational parse(const QString& text);
    friend bool operator==(const Rational&, const Rational&) = default;
};

// The colour tags FFmpeg uses (values of AVColorPrimaries, AVColorTransferCharacteristic,
// AVColorSpace, AVColorRange). The default is what generated clips are tagged with: BT.709,
// limited ("tv") range.
struct ColorTags {
    int primaries = 1; // AVCOL_PRI_BT709
    int transfer = 1; // AVCOL_TRC_BT709
    int space = 1; // AVCOL_SPC_BT709
    int range = 1; // AVCOL_RANGE_MPEG
    static ColorTags unspecified() { return { 2, 2, 2, 0 }; }
    friend bool operator==(const ColorTags&, const ColorTags&) = default;
};

// Metadata that goes with a clip's frames into an export.
struct ClipMeta {
    Rational fps { 24, 1 };
    Rational sampleAspect { 1, 1 };
    ColorTags color;
    int rotation = 0; // degrees clockwise a player turns the frames to show them upright
    QString timecode; // "01:00:00:00" or empty
    // A file whose first audio stream is carried into the export, and where (seconds into that
    // file's timeline) the clip's frame 0 sits: audio before it is dropped, so the sound stays in
    // sync with the frames.
    QString audioSource;
    double audioStart = 0;
};

struct MediaInfo {
    QString path;
    QString container; // FFmpeg's demuxer name ("mov,mp4,m4a,3gp,3g2,mj2", "image2")
    bool imageSequence = false;
    int width = 0; // as stored (before rotation)
    int height = 0;
    Rational sampleAspect { 1, 1 };
    Rational fps; // average frame rate
    bool vfr = false; // frame durations vary
    int64_t frames = 0; // counted, not the container's claim
    double duration = 0; // seconds, frames' span
    double startTime = 0; // seconds: the first frame's timestamp
    QString codec;
    QString pixFmt;
    int bitDepth = 8; // of the deepest component
    bool alpha = false;
    ColorTags color = ColorTags::unspecified();
    int rotation = 0;
    QString timecode;
    bool audio = false;
    QString audioCodec;
    int audioSampleRate = 0;
    int audioChannels = 0;

    // The QImage format frames decode to by default: 16 bits a channel when the source has more
    // than 8, RGBA when it has alpha.
    QImage::Format frameFormat() const;
    // The metadata an export of this footage keeps (audio included when it has any).
    ClipMeta clipMeta() const;
};

// Opens `path` (a file FFmpeg reads, or a pattern such as `dir/%03d.png` numbered from 0), reads
// every packet of its first video stream to count frames exactly and find whether the rate varies.
// Throws MediaError.
MediaInfo probeMedia(const QString& path);

// `kinora-cli info FILE --json`: width, height, fps ("30000/1001"), vfr, frames, duration, codec,
// pix_fmt, color_space, color_range, color_primaries, color_transfer, sample_aspect, rotation,
// timecode, audio (+ audio_codec, audio_sample_rate, audio_channels when present), bit_depth, alpha.
QJsonObject toJson(const MediaInfo& info);

// FFmpeg's names for colour tags ("bt709", "tv", "unknown").
QString colorSpaceName(int space);
QString colorRangeName(int range);
QString colorPrimariesName(int primaries);
QString colorTransferName(int transfer);

} // namespace kinora::core
