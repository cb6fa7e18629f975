#include "media_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace kinora::test {

ProcessResult runProgram(const QString& program, const QStringList& arguments, int timeoutMs)
{
    QProcess process;
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted()) {
        result.err = ("cannot start " + program).toUtf8();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = ("timed out: " + program).toUtf8();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void ffmpeg(const QStringList& arguments)
{
    const ProcessResult r = runProgram(QStringLiteral("ffmpeg"),
        QStringList { QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error"),
            QStringLiteral("-y") }
            + arguments);
    if (r.exitCode != 0)
        throw std::runtime_error(
            "ffmpeg " + arguments.join(QLatin1Char(' ')).toStdString() + " failed: " + r.err.toStdString());
}

std::vector<QJsonObject> probeStreams(const QString& path)
{
    const ProcessResult r = runProgram(QStringLiteral("ffprobe"),
        { QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
            QStringLiteral("-show_streams"), QStringLiteral("-of"), QStringLiteral("json"), path });
    if (r.exitCode != 0)
        throw std::runtime_error("ffprobe " + path.toStdString() + " failed: " + r.err.toStdString());
    std::vector<QJsonObject> streams;
    for (const QJsonValue& s :
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("streams")).toArray())
        streams.push_back(s.toObject());
    return streams;
}

QJsonObject probeVideoStream(const QString& path)
{
    for (const QJsonObject& s : probeStreams(path))
        if (s.value(QStringLiteral("codec_type")).toString() == QLatin1String("video"))
            return s;
    throw std::runtime_error("ffprobe sees no video stream in " + path.toStdString());
}

std::vector<QImage> patternFrames(int count, QSize size, QImage::Format format)
{
    std::vector<QImage> frames;
    for (int t = 0; t < count; ++t) {
        QImage image(size, QImage::Format_RGBA64);
        for (int y = 0; y < size.height(); ++y) {
            auto* line = reinterpret_cast<QRgba64*>(image.scanLine(y));
            for (int x = 0; x < size.width(); ++x) {
                const bool square = std::abs(x - (t * 3) % size.width()) < size.width() / 6
                    && std::abs(y - size.height() / 2) < size.height() / 6;
                const auto r = static_cast<quint16>(65535.0 * x / std::max(1, size.width() - 1));
                const auto g = static_cast<quint16>(65535.0 * y / std::max(1, size.height() - 1));
                const auto b
                    = static_cast<quint16>(square ? 60000 : 65535.0 * ((x + y + 4 * t) % 64) / 63.0 * 0.5);
                const auto a = static_cast<quint16>(square ? 65535 : 40000);
                line[x] = QRgba64::fromRgba64(r, g, b, a);
            }
        }
        frames.push_back(image.convertToFormat(format));
    }
    return frames;
}

QByteArray rawRgb24(const std::vector<QImage>& frames)
{
    QByteArray raw;
    for (const QImage& frame : frames) {
        const QImage rgb = frame.convertToFormat(QImage::Format_RGB888);
        for (int y = 0; y < rgb.height(); ++y)
            raw.append(reinterpret_cast<const char*>(rgb.constScanLine(y)), rgb.width() * 3);
    }
    return raw;
}

double psnr(const QImage& a, const QImage& b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888);
    const QImage y = b.convertToFormat(QImage::Format_RGB888);
    if (x.size() != y.size())
        throw std::invalid_argument("psnr: frames of different sizes");
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar* p = x.constScanLine(row);
        const uchar* q = y.constScanLine(row);
        for (int i = 0; i < x.width() * 3; ++i) {
            const double d = double(p[i]) - double(q[i]);
            sum += d * d;
        }
    }
    const double mse = sum / (double(x.width()) * x.height() * 3);
    return mse == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(255.0 * 255.0 / mse);
}

double meanPsnr(const std::vector<QImage>& a, const std::vector<QImage>& b)
{
    if (a.size() != b.size() || a.empty())
        throw std::invalid_argument("meanPsnr: clips of different lengths");
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i)
        sum += std::min(psnr(a[i], b[i]), 100.0);
    return sum / double(a.size());
}

} // namespace kinora::test
