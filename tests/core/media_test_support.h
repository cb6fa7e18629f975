#pragma once
// Helpers for the media tests: synthetic clips made by the ffmpeg command-line tool, ffprobe's
// view of a file, and picture comparisons. The ffmpeg CLI is the independent judge here: what it
// writes and reads is what editors and players see.

#include <QImage>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace kinora::test {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion (no shell).
ProcessResult runProgram(const QString& program, const QStringList& arguments, int timeoutMs = 300000);

// `ffmpeg -hide_banner -loglevel error -y ARGS`; throws std::runtime_error with its stderr on failure.
void ffmpeg(const QStringList& arguments);

// ffprobe's first video stream, with `-count_frames`: codec_name, pix_fmt, width, height,
// avg_frame_rate, r_frame_rate, nb_read_frames, color_space, ... as ffprobe prints them.
QJsonObject probeVideoStream(const QString& path);
// Every stream ffprobe sees (codec_type, codec_name, start_time, duration, ...).
std::vector<QJsonObject> probeStreams(const QString& path);

// A moving colour pattern (gradients, a square, noise-free edges): `count` frames of `size`.
std::vector<QImage> patternFrames(int count, QSize size, QImage::Format format = QImage::Format_RGB888);

// Raw RGB24 bytes of frames, as `ffmpeg -f rawvideo -pix_fmt rgb24` reads them.
QByteArray rawRgb24(const std::vector<QImage>& frames);

// PSNR (peak 255) over RGB of two 8-bit frames of one size; +inf when identical.
double psnr(const QImage& a, const QImage& b);
// Mean PSNR of two clips of the same length.
double meanPsnr(const std::vector<QImage>& a, const std::vector<QImage>& b);

} // namespace kinora::test
