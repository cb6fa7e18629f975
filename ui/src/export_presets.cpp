#include "export_presets.h"

#include <QtGlobal>

namespace kinora::ui {

using core::VideoCodec;

const std::array<ExportPreset, 10>& exportPresets()
{
    static constexpr std::array<ExportPreset, 10> kPresets { {
        { VideoCodec::H264, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "H.264 MP4 (.mp4)"), "H.264",
            { "mp4", "mov", "mkv" }, 18, 51 },
        { VideoCodec::H265, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "H.265 MP4 (.mp4)"), "H.265",
            { "mp4", "mov", "mkv" }, 20, 51 },
        { VideoCodec::ProRes, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "ProRes 422 HQ (.mov)"),
            "ProRes 422 HQ", { "mov", nullptr, nullptr }, -1, 0 },
        { VideoCodec::ProRes4444, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "ProRes 4444 (.mov)"),
            "ProRes 4444", { "mov", nullptr, nullptr }, -1, 0 },
        { VideoCodec::DnxHR, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "DNxHR HQ (.mov)"), "DNxHR HQ",
            { "mov", nullptr, nullptr }, -1, 0 },
        { VideoCodec::Vp9, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "VP9 WebM (.webm)"), "VP9",
            { "webm", "mkv", nullptr }, 31, 63 },
        { VideoCodec::Av1, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "AV1 (.mp4 or .mkv)"), "AV1",
            { "mp4", "mkv", "webm" }, 30, 63 },
        { VideoCodec::Gif, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "GIF (.gif)"), "GIF",
            { "gif", nullptr, nullptr }, -1, 0 },
        { VideoCodec::Png,
            QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "PNG sequence (folder of NAME_0000.png)"), "PNG",
            { "png", nullptr, nullptr }, -1, 0 },
        { VideoCodec::Ffv1, QT_TRANSLATE_NOOP("kinora::ui::ExportDialog", "FFV1 lossless (.mkv)"), "FFV1",
            { "mkv", nullptr, nullptr }, -1, 0 },
    } };
    return kPresets;
}

const ExportPreset& presetFor(VideoCodec codec)
{
    for (const auto& preset : exportPresets())
        if (preset.codec == codec)
            return preset;
    return exportPresets().front();
}

bool takesSuffix(const ExportPreset& preset, const QString& suffix)
{
    for (const char* s : preset.suffixes)
        if (s && suffix.compare(QLatin1String(s), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QString sanitizedName(const QString& name, const QString& fallback)
{
    QString out;
    for (const QChar c : name)
        out += c.isLetterOrNumber() || c == u' ' || c == u'-' || c == u'_' || c == u'.' ? c : QChar(u'_');
    out = out.simplified();
    while (out.startsWith(u'.'))
        out.remove(0, 1);
    return out.isEmpty() ? fallback : out;
}

} // namespace kinora::ui
