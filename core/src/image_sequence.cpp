#include "kinora/core/image_sequence.h"
#include "output_folders.h"

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
#include <memory>
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

// OpenCV's BGR(A) image of a frame in one of core's formats: 8 or 16 bits a channel, alpha kept.
cv::Mat toMat(const QImage& image)
{
    const bool deep = image.format() == QImage::Format_RGBX64 || image.format() == QImage::Format_RGBA64;
    const bool alpha = image.hasAlphaChannel();
    QImage::Format format = QImage::Format_RGB888;
    if (deep)
        format = alpha ? QImage::Format_RGBA64 : QImage::Format_RGBX64;
    else if (alpha)
        format = QImage::Format_RGBA8888;
    const QImage rgb = image.convertToFormat(format);
    const int type = deep ? CV_16UC4 : (alpha ? CV_8UC4 : CV_8UC3);
    const cv::Mat view(rgb.height(), rgb.width(), type, const_cast<uchar*>(rgb.constBits()),
        static_cast<size_t>(rgb.bytesPerLine()));
    cv::Mat out;
    if (type == CV_8UC3)
        cv::cvtColor(view, out, cv::COLOR_RGB2BGR);
    else
        cv::cvtColor(view, out, alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGBA2BGR);
    return out;
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
            + ": not an image-sequence pattern like out/%03d.png");
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

struct SequenceWriter::State {
    QString pattern;
    std::map<int, QString> existing;
    CreatedFolders created;
    std::unique_ptr<QTemporaryDir> partial;
    std::vector<std::pair<QString, QString>> moves;
};

SequenceWriter::SequenceWriter()
    : m_state(std::make_unique<State>())
{
}

SequenceWriter::~SequenceWriter()
{
    m_state->partial.reset(); // before the folders around it are removed
}

std::unique_ptr<SequenceWriter> SequenceWriter::create(const QString& pattern, bool overwrite)
{
    requireSequencePattern(pattern, "OUT");
    if (!cv::haveImageWriter(local(sequenceFramePath(pattern, 0))))
        throw error(QStringLiteral("%1: OpenCV cannot write this image type (use .png)").arg(pattern));
    std::unique_ptr<SequenceWriter> writer(new SequenceWriter());
    State& s = *writer->m_state;
    s.pattern = pattern;
    s.existing = matchingFiles(pattern);
    if (!s.existing.empty() && !overwrite)
        throw OutputExistsError(pattern.toStdString() + " exists");
    const QString dir = QFileInfo(pattern).absolutePath();
    s.created.outermost = firstMissingFolder(dir);
    if (!QDir().mkpath(dir))
        throw error(QStringLiteral("%1: cannot create the folder").arg(dir));
    // Inside the destination folder, so that moving the frames into place is a rename.
    s.partial = std::make_unique<QTemporaryDir>(dir + QStringLiteral("/.kinora-partial-XXXXXX"));
    if (!s.partial->isValid())
        throw error(QStringLiteral("%1: cannot write there (%2)").arg(dir, s.partial->errorString()));
    return writer;
}

void SequenceWriter::write(const QImage& frame)
{
    State& s = *m_state;
    const QString target = sequenceFramePath(s.pattern, static_cast<int>(s.moves.size()));
    const QString temporary = s.partial->filePath(QFileInfo(target).fileName());
    bool written = false;
    try {
        written = cv::imwrite(local(temporary), toMat(frame));
    } catch (const cv::Exception& e) {
        throw error(QStringLiteral("%1: %2").arg(target, QString::fromStdString(e.msg)));
    }
    if (!written)
        throw error(QStringLiteral("%1: cannot write the frame (is the disk full?)").arg(target));
    s.moves.emplace_back(temporary, QFileInfo(target).absoluteFilePath());
}

void SequenceWriter::commit()
{
    State& s = *m_state;
    if (s.moves.empty())
        throw error(QStringLiteral("%1: no frames to write").arg(s.pattern));
    for (const auto& [from, to] : s.moves) {
        std::error_code ec;
        std::filesystem::rename(local(from), local(to), ec); // replaces an older frame
        if (ec)
            throw error(QStringLiteral("%1: cannot move the frame into place (%2)")
                            .arg(to, QString::fromStdString(ec.message())));
    }
    s.created.keep = true;
    for (const auto& [index, file] : s.existing) // surplus frames of the output this replaces
        if (index >= static_cast<int>(s.moves.size()))
            QFile::remove(file);
}

int SequenceWriter::written() const
{
    return static_cast<int>(m_state->moves.size());
}

bool writeImageSequence(const QString& pattern, const std::vector<QImage>& frames, bool overwrite,
    const std::function<bool()>& isCancelled)
{
    if (frames.empty())
        throw error(QStringLiteral("%1: no frames to write").arg(pattern));
    auto writer = SequenceWriter::create(pattern, overwrite);
    for (const QImage& frame : frames) {
        if (isCancelled && isCancelled())
            return false;
        writer->write(frame);
    }
    if (isCancelled && isCancelled())
        return false;
    writer->commit();
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
