#include "media_probe.h"

#include "kinora/core/image_sequence.h"
#include "kinora/core/media.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QMap>
#include <QRegularExpression>

#include <exception>

namespace kinora::ui {

namespace {

// MediaError says "PATH: cause"; the message names the file by its name alone.
QString causeOf(const std::exception& error, const QString& path)
{
    QString cause = QString::fromUtf8(error.what());
    if (cause.startsWith(path + QLatin1String(": ")))
        cause = cause.mid(path.size() + 2);
    return cause;
}

ProbedMedia failure(const QString& message)
{
    ProbedMedia probed;
    probed.error = message;
    return probed;
}

void setDisplayedSize(core::MediaRecord& record, const core::MediaInfo& info)
{
    const bool turned = info.rotation % 180 != 0;
    record.width = turned ? info.height : info.width;
    record.height = turned ? info.width : info.height;
}

ProbedMedia probeVideo(const QString& path, const QString& name)
{
    ProbedMedia probed;
    core::MediaInfo info;
    try {
        info = core::probeMedia(path);
    } catch (const std::exception& error) {
        return failure(
            QCoreApplication::translate("kinora::ui::MediaImporter", "“%1” cannot be imported: %2.")
                .arg(name, causeOf(error, path)));
    }
    if (info.frames <= 0)
        return failure(QCoreApplication::translate(
            "kinora::ui::MediaImporter", "“%1” cannot be imported: it holds no video frames.")
                           .arg(name));
    core::MediaRecord& record = probed.record;
    record.name = name;
    record.path = path;
    record.frames = info.frames;
    setDisplayedSize(record, info);
    record.fps = info.fps.valid() ? info.fps : kSequenceImportRate;
    record.audio = info.audio;
    record.audioStart = info.startTime;
    return probed;
}

ProbedMedia probeStill(const QString& path, QImageReader& reader)
{
    ProbedMedia probed;
    QSize size = reader.size();
    if (!size.isValid()) {
        const QImage image = reader.read();
        if (image.isNull())
            return failure(
                QCoreApplication::translate("kinora::ui::MediaImporter", "“%1” cannot be imported: %2.")
                    .arg(QFileInfo(path).fileName(), reader.errorString()));
        size = image.size();
    } else if (reader.transformation() & QImageIOHandler::TransformationRotate90) {
        size.transpose(); // shown turned by its EXIF orientation
    }
    core::MediaRecord& record = probed.record;
    record.name = QFileInfo(path).fileName();
    record.path = path;
    record.frames = 1;
    record.width = size.width();
    record.height = size.height();
    record.still = true;
    record.fps = kSequenceImportRate;
    return probed;
}

// A folder of numbered images: the largest run of files named PREFIX<digits>.EXT, read as
// PREFIX%0Nd.EXT from 0 (the jobs and FFmpeg read sequences from 0).
ProbedMedia probeFolder(const QString& path)
{
    const QDir dir(path);
    const QString name = dir.dirName();
    const QStringList files = dir.entryList(QDir::Files | QDir::Readable, QDir::Name);
    if (files.isEmpty())
        return failure(QCoreApplication::translate(
            "kinora::ui::MediaImporter", "“%1” is an empty folder: there is nothing in it to import.")
                           .arg(name));
    QStringList imageSuffixes;
    for (const QByteArray& format : QImageReader::supportedImageFormats())
        imageSuffixes.append(QString::fromLatin1(format).toLower());
    static const QRegularExpression numbered(QStringLiteral("^(.*?)(\\d+)\\.([A-Za-z0-9]+)$"));
    struct Run {
        QStringList digits;
    };
    QMap<QPair<QString, QString>, Run> runs; // (prefix, suffix) -> the numbers found
    for (const QString& file : files) {
        const auto match = numbered.match(file);
        if (match.hasMatch() && imageSuffixes.contains(match.captured(3).toLower()))
            runs[{ match.captured(1), match.captured(3) }].digits.append(match.captured(2));
    }
    if (runs.isEmpty())
        return failure(QCoreApplication::translate("kinora::ui::MediaImporter",
            "“%1” holds no numbered images (such as frame0000.png) to import as an "
            "image sequence.")
                           .arg(name));
    auto best = runs.cbegin();
    for (auto it = runs.cbegin(); it != runs.cend(); ++it)
        if (it->digits.size() > best->digits.size())
            best = it;
    const QString prefix = best.key().first;
    const QString suffix = best.key().second;
    if (prefix.contains(QLatin1Char('%')))
        return failure(QCoreApplication::translate("kinora::ui::MediaImporter",
            "The images in “%1” have a % in their names, which an image sequence "
            "cannot: rename them without it.")
                           .arg(name));
    qsizetype width = std::numeric_limits<qsizetype>::max();
    qlonglong first = std::numeric_limits<qlonglong>::max();
    for (const QString& digits : best->digits) {
        width = std::min(width, digits.size());
        first = std::min(first, digits.toLongLong());
    }
    // Built by hand: QString::arg would take the "%0" of "%04d" for a placeholder.
    const QString number
        = width > 1 ? QLatin1String("%0") + QString::number(width) + QLatin1Char('d') : QStringLiteral("%d");
    const QString pattern = dir.absoluteFilePath(prefix + number + QLatin1Char('.') + suffix);
    if (first != 0)
        return failure(QCoreApplication::translate("kinora::ui::MediaImporter",
            "The image sequence in “%1” starts at %2, not 0: Kinora reads sequences "
            "numbered from 0, so rename its first image to %3.")
                           .arg(name)
                           .arg(first)
                           .arg(QFileInfo(core::sequenceFramePath(pattern, 0)).fileName()));
    ProbedMedia probed = probeVideo(pattern, name);
    if (!probed.error.isEmpty())
        return probed;
    probed.record.fps = kSequenceImportRate;
    probed.record.audio = false;
    probed.record.audioStart = 0;
    return probed;
}

} // namespace

ProbedMedia probeImport(const QString& path)
{
    const QFileInfo file(path);
    if (core::isSequencePattern(path) && !file.exists()) {
        // A sequence imported before (probed again): its folder names it.
        ProbedMedia probed = probeVideo(path, file.dir().dirName());
        probed.record.fps = kSequenceImportRate;
        probed.record.audio = false;
        return probed;
    }
    if (!file.exists())
        return failure(QCoreApplication::translate(
            "kinora::ui::MediaImporter", "“%1” cannot be imported: it does not exist.")
                           .arg(path));
    if (file.isDir())
        return probeFolder(file.absoluteFilePath());
    if (!file.isReadable())
        return failure(QCoreApplication::translate(
            "kinora::ui::MediaImporter", "“%1” cannot be imported: it cannot be read (permissions).")
                           .arg(file.fileName()));
    if (file.size() == 0)
        return failure(QCoreApplication::translate(
            "kinora::ui::MediaImporter", "“%1” cannot be imported: it is empty (0 bytes).")
                           .arg(file.fileName()));
    QImageReader reader(file.absoluteFilePath());
    // An animated image has frames: FFmpeg reads it as a clip.
    if (reader.canRead() && reader.imageCount() <= 1)
        return probeStill(file.absoluteFilePath(), reader);
    return probeVideo(file.absoluteFilePath(), file.fileName());
}

} // namespace kinora::ui
