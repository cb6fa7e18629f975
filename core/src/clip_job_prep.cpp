#include "kinora/core/clip_job_prep.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/mask_png.h"
#include "kinora/core/video_reader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <stdexcept>

namespace kinora::core {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ClipJobs", text);
}

} // namespace

bool prepareClipJob(const ClipJobPrep& prep, const JobCallbacks& callbacks)
{
    if (prep.firstFrame) {
        const FrameGrab& grab = *prep.firstFrame;
        QImage frame;
        if (isSequencePattern(grab.source)) {
            frame = readImage(sequenceFramePath(grab.source, static_cast<int>(grab.frame)));
        } else if (QImageReader(grab.source).canRead()) {
            frame = readImage(grab.source);
        } else {
            auto reader = VideoReader::open(grab.source, { QImage::Format_RGB888, true, {} });
            frame = reader->frameAt(grab.frame);
        }
        QDir().mkpath(QFileInfo(grab.output).absolutePath());
        if (!frame.save(grab.output, "PNG"))
            throw std::runtime_error(tr("Could not write the first frame to %1.")
                                         .arg(QDir::toNativeSeparators(grab.output))
                                         .toStdString());
    }
    if (prep.masks) {
        const MaskExport& m = *prep.masks;
        MaskTrack track;
        for (const auto& [frame, png] : m.keys)
            track.setKey(frame, decodeMaskPng(png)); // an unreadable one is left out
        QDir().mkpath(QFileInfo(m.pattern).absolutePath());
        const bool done = writeMaskSequence(track, m.first, m.count, m.size, m.pattern, [&](int64_t written) {
            if (callbacks.onProgress)
                callbacks.onProgress({ static_cast<int>(written), static_cast<int>(m.count), 0, 1 });
            return !(callbacks.isCancelled && callbacks.isCancelled());
        });
        if (!done)
            return false;
    }
    return true;
}

void discardClipJobPrep(const ClipJobPrep& prep)
{
    if (prep.firstFrame)
        QFile::remove(prep.firstFrame->output);
    if (prep.masks)
        removeImageSequence(prep.masks->pattern);
}

} // namespace kinora::core
