#include "kinora/core/image_sequence.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <map>
#include <system_error>

namespace kinora::core {

namespace {

// Prefix, the `%0Nd` spec, suffix; nothing else may hold a `%` (FFmpeg's `%%` is not needed here).
const QRegularExpression& patternSpec()
{
    static const QRegularExpression spec(QStringLiteral(R"(^([^%]*)%(0?[0-9]*)d([^%]*)$)"));
    return spec;
}

std::string local(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

std::runtime_error error(const QString& message)
{
    return std::runtime_error(message.toStdString());
}

// Frame index -> file, for the files in the pattern's folder that the pattern could have written.
std::map<int, QString> matchingFiles(const QString& pattern)
{
    const QFileInfo info(pattern);
    const auto match = patternSpec().match(info.fileName());
    const QRegularExpression name(QStringLiteral("^%1([0-9]+)%2$")
                                      .arg(QRegularExpression::escape(match.captured(1)),
                                          QRegularExpression::escape(match.captured(3))));
    std::map<int, QString> files;
    const QDir dir = info.absoluteDir();
    for (const QString& entry : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const auto m = name.match(entry);
        bool ok = false;
        const int index = m.hasMatch() ? m.captured(1).toInt(&ok) : -1;
        // Only names the pattern writes: with %03d, "007.png" but not "7.png".
        if (ok && QFileInfo(sequenceFramePath(pattern, index)).fileName() == entry)
            files.emplace(index, dir.filePath(entry));
    }
    return files;
}

cv::Mat toBgr(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
        static_cast<size_t>(rgb.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

// Palette images keep their indices in Qt (OpenCV expands them), so they are read through Qt.
bool isPaletteFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(26);
    if (head.startsWith("\x89PNG\r\n\x1a\n")) // IHDR's colour type; 3 = palette
        return head.size() == 26 && head[25] == 3;
    const QImage::Format format = QImageReader(path).imageFormat();
    return format == QImage::Format_Indexed8 || format == QImage::Format_Mono
        || format == QImage::Format_MonoLSB;
}

// The folders `mkpath(dir)` is about to create, outermost first: what to remove if writing fails.
QString firstMissingAncestor(const QString& dir)
{
    QString missing;
    for (QFileInfo at(dir); !at.exists(); at = QFileInfo(at.absolutePath())) {
        missing = at.absoluteFilePath();
        if (at.isRoot())
            break;
    }
    return missing;
}

// Frames 0, 1, ... of `pattern` until the first missing one, each read by `read`.
std::vector<QImage> readNumbered(const QString& pattern, const std::function<QImage(const QString&)>& read)
{
    std::vector<QImage> frames;
    for (int i = 0;; ++i) {
        const QString path = sequenceFramePath(pattern, i);
        if (!QFileInfo::exists(path))
            break;
        frames.push_back(read(path));
        const QSize size = frames.back().size();
        const QSize first = frames.front().size();
        if (size != first)
            throw error(QStringLiteral("%1 is %2x%3, frame 0 is %4x%5: every frame must have the same size")
                            .arg(path, QString::number(size.width()), QString::number(size.height()),
                                QString::number(first.width()), QString::number(first.height())));
    }
    if (frames.empty()) {
        const QString first = sequenceFramePath(pattern, 0);
        const QString second = sequenceFramePath(pattern, 1);
        throw error(QFileInfo::exists(second)
                ? QStringLiteral("%1 not found: sequences are numbered from 0 (found %2)").arg(first, second)
                : QStringLiteral("%1: no frames (%2 not found)").arg(pattern, first));
    }
    return frames;
}

// Removes the folders a failed or cancelled write created, unless the write completed.
struct CreatedFolders {
    QString outermost;
    bool keep = false;
    ~CreatedFolders()
    {
        if (!keep && !outermost.isEmpty())
            QDir(outermost).removeRecursively();
    }
};

} // namespace

bool isSequencePattern(const QString& path)
{
    return patternSpec().match(QFileInfo(path).fileName()).hasMatch();
}

QString sequenceFramePath(const QString& pattern, int index)
{
    const QFileInfo info(pattern);
    const auto match = patternSpec().match(info.fileName());
    if (!match.hasMatch())
        throw UnsupportedMediaError(pattern.toStdString() + ": not an image-sequence pattern");
    const QString spec = match.captured(2);
    const int width = spec.isEmpty() ? 0 : spec.toInt();
    const QChar fill = spec.startsWith(QLatin1Char('0')) ? QLatin1Char('0') : QLatin1Char(' ');
    const QString name
        = match.captured(1) + QStringLiteral("%1").arg(index, width, 10, fill) + match.captured(3);
    const QString dir = pattern.left(pattern.size() - info.fileName().size());
    return dir + name;
}

void requireSequencePattern(const QString& path, const char* role)
{
    // Concatenated, not QString::arg: the message itself holds a `%03d`.
    if (!isSequencePattern(path))
        throw UnsupportedMediaError(std::string(role) + " " + path.toStdString()
            + ": video files arrive with the FFmpeg issue; use an image-sequence pattern like out/%03d.png");
}

QStringList existingSequenceFiles(const QString& pattern)
{
    QStringList files;
    for (const auto& [index, file] : matchingFiles(pattern))
        files << file;
    return files;
}

QImage readImage(const QString& path)
{
    if (!QFileInfo(path).isFile())
        throw error(QStringLiteral("%1: no such file").arg(path));
    cv::Mat bgr;
    try {
        bgr = cv::imread(local(path), cv::IMREAD_COLOR); // 8-bit BGR whatever the file holds
    } catch (const cv::Exception& e) {
        throw error(
            QStringLiteral("%1: cannot read the image (%2)").arg(path, QString::fromStdString(e.msg)));
    }
    if (bgr.empty())
        throw error(QStringLiteral("%1: not an image OpenCV can read").arg(path));
    QImage image(bgr.cols, bgr.rows, QImage::Format_RGB888);
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, image.bits(), static_cast<size_t>(image.bytesPerLine()));
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB); // writes into the QImage's own rows
    return image;
}

std::vector<QImage> readImageSequence(const QString& pattern)
{
    requireSequencePattern(pattern, "IN");
    return readNumbered(pattern, readImage);
}

bool writeImageSequence(const QString& pattern, const std::vector<QImage>& frames, bool overwrite,
    const std::function<bool()>& isCancelled)
{
    requireSequencePattern(pattern, "OUT");
    if (frames.empty())
        throw error(QStringLiteral("%1: no frames to write").arg(pattern));
    if (!cv::haveImageWriter(local(sequenceFramePath(pattern, 0))))
        throw error(QStringLiteral("%1: OpenCV cannot write this image type (use .png)").arg(pattern));
    const auto existing = matchingFiles(pattern);
    if (!existing.empty() && !overwrite)
        throw OutputExistsError(pattern.toStdString() + " exists (use -y to replace it)");

    const QString dir = QFileInfo(pattern).absolutePath();
    CreatedFolders created { firstMissingAncestor(dir) };
    if (!QDir().mkpath(dir))
        throw error(QStringLiteral("%1: cannot create the folder").arg(dir));
    // Inside the destination folder, so that moving the frames into place is a rename. Declared after
    // `created`, so it is gone before the folders around it are removed.
    QTemporaryDir partial(dir + QStringLiteral("/.kinora-partial-XXXXXX"));
    if (!partial.isValid())
        throw error(QStringLiteral("%1: cannot write there (%2)").arg(dir, partial.errorString()));
    std::vector<std::pair<QString, QString>> moves;
    for (size_t i = 0; i < frames.size(); ++i) {
        if (isCancelled && isCancelled())
            return false;
        const QString target = sequenceFramePath(pattern, static_cast<int>(i));
        const QString temporary = partial.filePath(QFileInfo(target).fileName());
        bool written = false;
        try {
            written = cv::imwrite(local(temporary), toBgr(frames[i]));
        } catch (const cv::Exception& e) {
            throw error(QStringLiteral("%1: %2").arg(target, QString::fromStdString(e.msg)));
        }
        if (!written)
            throw error(QStringLiteral("%1: cannot write the frame").arg(target));
        moves.emplace_back(temporary, QFileInfo(target).absoluteFilePath());
    }
    if (isCancelled && isCancelled())
        return false;
    for (const auto& [from, to] : moves) {
        std::error_code ec;
        std::filesystem::rename(local(from), local(to), ec); // replaces an older frame
        if (ec)
            throw error(QStringLiteral("%1: cannot move the frame into place (%2)")
                            .arg(to, QString::fromStdString(ec.message())));
    }
    created.keep = true;
    for (const auto& [index, file] : existing) // surplus frames of the output this replaces
        if (index >= static_cast<int>(frames.size()))
            QFile::remove(file);
    return true;
}

void removeImageSequence(const QString& pattern)
{
    for (const QString& file : existingSequenceFiles(pattern))
        QFile::remove(file);
}

QImage binarizeMask(const QImage& image)
{
    QImage mask(image.size(), QImage::Format_Grayscale8);
    const bool palette = image.format() == QImage::Format_Indexed8 || image.format() == QImage::Format_Mono
        || image.format() == QImage::Format_MonoLSB;
    const QImage source = palette ? image.convertToFormat(QImage::Format_Indexed8)
                                  : image.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < source.height(); ++y) {
        const uchar* in = source.constScanLine(y);
        uchar* out = mask.scanLine(y);
        for (int x = 0; x < source.width(); ++x) {
            bool masked = false;
            if (palette) {
                masked = in[x] != 0;
            } else { // BT.601 luma >= 128, in integers so that the threshold is exact
                const uchar* p = in + 3 * x;
                masked = 299 * p[0] + 587 * p[1] + 114 * p[2] >= 128 * 1000;
            }
            out[x] = masked ? 255 : 0;
        }
    }
    return mask;
}

std::vector<QImage> readMasks(const QString& imageOrPattern)
{
    const auto readOne = [](const QString& path) {
        if (!isPaletteFile(path))
            return binarizeMask(readImage(path));
        QImageReader reader(path);
        const QImage indexed = reader.read();
        if (indexed.isNull())
            throw error(QStringLiteral("%1: cannot read the mask (%2)").arg(path, reader.errorString()));
        return binarizeMask(indexed);
    };
    if (!isSequencePattern(imageOrPattern))
        return { readOne(imageOrPattern) };
    return readNumbered(imageOrPattern, readOne);
}

std::vector<QImage> fitMasks(
    std::vector<QImage> masks, int frameCount, QSize size, const std::function<void(const QString&)>& warn)
{
    if (masks.size() == 1)
        masks.assign(static_cast<size_t>(frameCount), masks.front());
    if (masks.size() != static_cast<size_t>(frameCount))
        throw error(
            QStringLiteral("MASK has %1 frames and IN %2: give one mask image for every frame, or one "
                           "mask per frame")
                .arg(masks.size())
                .arg(frameCount));
    bool warned = false;
    for (QImage& mask : masks) {
        if (mask.size() == size)
            continue;
        if (!warned && warn)
            warn(QStringLiteral("the mask is %1x%2 and the clip %3x%4: the mask is resized (nearest)")
                     .arg(mask.width())
                     .arg(mask.height())
                     .arg(size.width())
                     .arg(size.height()));
        warned = true;
        mask = mask.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    }
    return masks;
}

} // namespace kinora::core
