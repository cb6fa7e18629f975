#pragma once
// Owners for FFmpeg's C objects (one unique_ptr alias per kind, freed by FFmpeg's own function) and
// the one place that turns FFmpeg's negative error codes into messages. Private to core: no public
// header includes FFmpeg.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace kinora::core::av {

// Frees through FFmpeg functions that take T** (and null the pointer) or T*.
template <auto Free> struct Deleter {
    template <typename T> void operator()(T* p) const
    {
        if constexpr (requires { Free(&p); })
            Free(&p);
        else
            Free(p);
    }
};

inline void closeInput(AVFormatContext* ctx)
{
    avformat_close_input(&ctx);
}

// An output context owns its AVIOContext only once avio_open succeeded; close it here.
inline void freeOutput(AVFormatContext* ctx)
{
    if (ctx && ctx->pb && !(ctx->oformat->flags & AVFMT_NOFILE))
        avio_closep(&ctx->pb);
    avformat_free_context(ctx);
}

using InputPtr = std::unique_ptr<AVFormatContext, Deleter<closeInput>>;
using OutputPtr = std::unique_ptr<AVFormatContext, Deleter<freeOutput>>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, Deleter<avcodec_free_context>>;
using FramePtr = std::unique_ptr<AVFrame, Deleter<av_frame_free>>;
using PacketPtr = std::unique_ptr<AVPacket, Deleter<av_packet_free>>;
using SwsPtr = std::unique_ptr<SwsContext, Deleter<sws_freeContext>>;
using SwrPtr = std::unique_ptr<SwrContext, Deleter<swr_free>>;
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, Deleter<avfilter_graph_free>>;

inline FramePtr makeFrame()
{
    FramePtr frame(av_frame_alloc());
    if (!frame)
        throw std::bad_alloc();
    return frame;
}

inline PacketPtr makePacket()
{
    PacketPtr packet(av_packet_alloc());
    if (!packet)
        throw std::bad_alloc();
    return packet;
}

// FFmpeg's own log lines (encoder statistics, decoder complaints about a damaged file) would mix
// with Kinora's one clear message on stderr: they are off unless $KINORA_FFMPEG_LOG names a level
// (quiet, error, warning, info, verbose, debug), for whoever debugs a file.
inline void configureLogging()
{
    static std::once_flag once;
    std::call_once(once, [] {
        int level = AV_LOG_FATAL;
        if (const char* name = std::getenv("KINORA_FFMPEG_LOG")) {
            const std::pair<const char*, int> levels[]
                = { { "quiet", AV_LOG_QUIET }, { "error", AV_LOG_ERROR }, { "warning", AV_LOG_WARNING },
                      { "info", AV_LOG_INFO }, { "verbose", AV_LOG_VERBOSE }, { "debug", AV_LOG_DEBUG } };
            for (const auto& [n, l] : levels)
                if (std::strcmp(name, n) == 0)
                    level = l;
        }
        av_log_set_level(level);
    });
}

// FFmpeg's text for an error code ("Invalid data found when processing input").
inline std::string errorText(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

} // namespace kinora::core::av
