#include "media_commands.h"

#include "error_hints.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/media.h"
#include "kinora/core/transcode.h"

#include <QJsonDocument>

#include <iostream>

namespace kinora::cli {

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

std::string text(const QString& s)
{
    return s.toStdString();
}

} // namespace

int runEncode(const EncodeOptions& o, const std::atomic<bool>& interrupted)
{
    const std::string prefix = "kinora-cli encode: ";
    core::TranscodeRequest request;
    request.input = QString::fromStdString(o.input);
    request.output = QString::fromStdString(o.output);
    request.crf = o.crf;
    request.overwrite = o.overwrite;
    if (!o.codec.empty()) {
        request.codec = core::codecFromName(QString::fromStdString(o.codec));
        if (!request.codec) {
            std::cerr << prefix << "--codec " << o.codec << ": not one of "
                      << text(core::codecNames().join(", ")) << "\n";
            return kExitUsage;
        }
    }
    if (!o.fps.empty()) {
        request.fps = core::Rational::parse(QString::fromStdString(o.fps));
        if (!request.fps.valid()) {
            std::cerr << prefix << "--fps " << o.fps << ": give a rate such as 24, 29.97 or 30000/1001\n";
            return kExitUsage;
        }
    }
    bool progressShown = false;
    core::JobCallbacks callbacks;
    callbacks.isCancelled = [&interrupted] { return interrupted.load(); };
    callbacks.onProgress = [&progressShown](const core::JobProgress& p) {
        std::cerr << "\rframe " << p.step << "/" << p.total << std::flush;
        progressShown = true;
    };
    const auto endLine = [&progressShown] {
        if (progressShown)
            std::cerr << "\n";
        progressShown = false;
    };
    callbacks.onWarning = [&](const QString& warning) {
        endLine();
        std::cerr << prefix << "warning: " << text(warning) << "\n";
    };
    try {
        const auto result = core::transcode(request, callbacks);
        endLine();
        std::cerr << prefix << result.frames << " frames, " << result.size.width() << "x"
                  << result.size.height() << " " << core::codecName(result.codec) << " "
                  << text(result.pixelFormat) << " at " << text(result.fps.toString()) << " fps"
                  << (result.audio ? ", audio carried" : "") << "\n";
        std::cout << text(result.output) << std::endl;
        return 0;
    } catch (const core::JobCancelled&) {
        endLine();
        std::cerr << prefix << "interrupted; no output written\n";
        return kExitInterrupted;
    } catch (const std::exception& e) {
        endLine();
        std::cerr << prefix << describeError(e) << "\n";
        return kExitRuntime;
    }
}

int runMediaInfo(const std::string& path, bool json)
{
    try {
        const core::MediaInfo info = core::probeMedia(QString::fromStdString(path));
        if (json) {
            std::cout << QJsonDocument(core::toJson(info)).toJson(QJsonDocument::Indented).toStdString();
            return 0;
        }
        std::cout << path << "\n"
                  << "  video: " << text(info.codec) << " " << text(info.pixFmt) << ", " << info.width << "x"
                  << info.height;
        if (info.sampleAspect.num != info.sampleAspect.den)
            std::cout << " (SAR " << text(info.sampleAspect.toString()) << ")";
        std::cout << ", " << text(info.fps.toString()) << " fps (" << info.fps.value() << ")"
                  << (info.vfr ? ", variable frame rate" : "") << "\n"
                  << "  frames: " << info.frames << ", duration " << info.duration << " s\n"
                  << "  colour: " << text(core::colorSpaceName(info.color.space)) << ", "
                  << text(core::colorRangeName(info.color.range)) << " range, primaries "
                  << text(core::colorPrimariesName(info.color.primaries)) << ", transfer "
                  << text(core::colorTransferName(info.color.transfer)) << ", " << info.bitDepth << "-bit"
                  << (info.alpha ? " with alpha" : "") << "\n";
        if (info.rotation != 0)
            std::cout << "  rotation: " << info.rotation << " degrees\n";
        if (!info.timecode.isEmpty())
            std::cout << "  timecode: " << text(info.timecode) << "\n";
        if (info.audio)
            std::cout << "  audio: " << text(info.audioCodec) << ", " << info.audioSampleRate << " Hz, "
                      << info.audioChannels << " channels\n";
        else
            std::cout << "  audio: none\n";
        std::cout << "  container: " << text(info.container) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "kinora-cli info: " << e.what() << "\n";
        return kExitRuntime;
    }
}

} // namespace kinora::cli
