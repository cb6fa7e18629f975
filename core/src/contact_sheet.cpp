#include "kinora/core/contact_sheet.h"

#include "kinora/inference/procedural.h"

#include <opencv2/imgproc.hpp>

#include <QBuffer>
#include <QHash>
#include <QSaveFile>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace kinora::core {

namespace {

constexpr int kGap = 4;
constexpr int kLineHeight = 16;
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kFontScale = 0.42;
constexpr int kPaper = 32; // the sheet's grey
constexpr int kInk = 235;

int textWidth(const QString& text)
{
    int baseline = 0;
    return cv::getTextSize(text.toStdString(), kFont, kFontScale, 1, &baseline).width;
}

// `text` in lines no wider than `width` (a single word wider than that keeps a line to itself).
QStringList wrapped(const QString& text, int width)
{
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && textWidth(longer) > width) {
            lines << line;
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines;
}

struct RowLayout {
    std::vector<size_t> shown; // the frames on the sheet
    QSize frame; // one frame, scaled
    int width = 0, height = 0;
    QStringList lines;
};

RowLayout layoutOf(const SheetRow& row)
{
    if (row.frames.empty() || row.frames.front().isNull())
        throw std::invalid_argument("a contact sheet row needs frames");
    RowLayout layout;
    const QSize size = row.frames.front().size();
    const int side = std::max(1, std::min(size.width(), size.height()));
    const int scale = std::max(1, (kSheetFrameSide + side - 1) / side);
    layout.frame = size * scale;
    const size_t step = row.frames.size() <= static_cast<size_t>(kSheetFrames) ? 1 : 2;
    for (size_t i = 0; i < row.frames.size(); i += step)
        layout.shown.push_back(i);
    layout.width = static_cast<int>(layout.shown.size()) * (layout.frame.width() + kGap) + kGap;
    layout.lines
        = wrapped(row.caption, layout.width - 2 * kGap) + wrapped(row.reading, layout.width - 2 * kGap);
    layout.height = kGap + layout.frame.height() + static_cast<int>(layout.lines.size()) * kLineHeight + kGap;
    return layout;
}

// The colours the procedural scenes are drawn in, as 8-bit RGB: a clip that hits them keeps them.
QList<QRgb> proceduralPalette()
{
    QList<QRgb> colours { qRgb(kPaper, kPaper, kPaper), qRgb(kInk, kInk, kInk) };
    for (const std::string& name : inference::proceduralColours()) {
        const auto v = inference::colourValue(name);
        const auto byte
            = [](double x) { return static_cast<int>(std::lround(std::clamp(x, 0.0, 1.0) * 255)); };
        colours << qRgb(byte(v[0]), byte(v[1]), byte(v[2]));
    }
    return colours;
}

int channel(QRgb c, int k)
{
    return k == 0 ? qRed(c) : k == 1 ? qGreen(c) : qBlue(c);
}

// Heckbert's median cut: the box with the widest channel is split at its pixel-weighted median
// along that channel until there are `boxes`; each box's colour is its pixels' mean. Splitting the
// widest box first gives a distinct flat colour a box of its own before shades of one colour share.
QList<QRgb> medianCut(std::vector<std::pair<QRgb, qint64>> colours, int boxes)
{
    struct Box {
        size_t begin, end;
    };
    QList<QRgb> table;
    if (boxes <= 0 || colours.empty())
        return table;
    const auto widest = [&](const Box& box, int& which) {
        std::array<int, 3> low { 255, 255, 255 }, high { 0, 0, 0 };
        for (size_t i = box.begin; i < box.end; ++i)
            for (int k = 0; k < 3; ++k) {
                low[k] = std::min(low[k], channel(colours[i].first, k));
                high[k] = std::max(high[k], channel(colours[i].first, k));
            }
        which = 0;
        for (int k = 1; k < 3; ++k)
            if (high[k] - low[k] > high[which] - low[which])
                which = k;
        return high[which] - low[which];
    };
    std::vector<Box> all { { 0, colours.size() } };
    while (static_cast<int>(all.size()) < boxes) {
        int best = -1, bestRange = 0, bestChannel = 0;
        for (size_t i = 0; i < all.size(); ++i) {
            if (all[i].end - all[i].begin < 2)
                continue;
            int which = 0;
            if (const int range = widest(all[i], which); range > bestRange) {
                best = static_cast<int>(i);
                bestRange = range;
                bestChannel = which;
            }
        }
        if (best < 0)
            break; // every box is one colour
        const Box box = all[static_cast<size_t>(best)];
        const auto first = colours.begin() + static_cast<std::ptrdiff_t>(box.begin);
        const auto last = colours.begin() + static_cast<std::ptrdiff_t>(box.end);
        std::sort(first, last, [&](const auto& a, const auto& b) {
            return channel(a.first, bestChannel) < channel(b.first, bestChannel);
        });
        qint64 total = 0;
        for (auto it = first; it != last; ++it)
            total += it->second;
        qint64 seen = 0;
        size_t split = box.begin;
        while (split < box.end - 1 && 2 * (seen + colours[split].second) <= total)
            seen += colours[split++].second;
        split = std::clamp(split, box.begin + 1, box.end - 1);
        all[static_cast<size_t>(best)] = { box.begin, split };
        all.push_back({ split, box.end });
    }
    for (const Box& box : all) {
        double sum[3] = { 0, 0, 0 };
        double weight = 0;
        for (size_t i = box.begin; i < box.end; ++i) {
            for (int k = 0; k < 3; ++k)
                sum[k] += static_cast<double>(channel(colours[i].first, k))
                    * static_cast<double>(colours[i].second);
            weight += static_cast<double>(colours[i].second);
        }
        table << qRgb(static_cast<int>(std::lround(sum[0] / weight)),
            static_cast<int>(std::lround(sum[1] / weight)), static_cast<int>(std::lround(sum[2] / weight)));
    }
    return table;
}

} // namespace

QImage toIndexed8(const QImage& image, const QList<QRgb>& keep)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    QHash<QRgb, qint64> counts;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            ++counts[line[x] | 0xff000000u];
    }
    QList<QRgb> table;
    if (counts.size() <= 256) {
        table = counts.keys();
    } else {
        QSet<QRgb> kept;
        for (const QRgb colour : keep) {
            const QRgb opaque = colour | 0xff000000u;
            if (counts.contains(opaque) && !kept.contains(opaque) && kept.size() < 256) {
                kept.insert(opaque);
                table << opaque;
            }
        }
        std::vector<std::pair<QRgb, qint64>> rest;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            if (!kept.contains(it.key()))
                rest.emplace_back(it.key(), it.value());
        std::sort(rest.begin(), rest.end()); // the same sheet, the same palette
        table += medianCut(std::move(rest), 256 - static_cast<int>(table.size()));
    }
    std::sort(table.begin(), table.end());
    // With a colour table Qt maps each pixel to its nearest entry, without dithering.
    return rgb.convertToFormat(QImage::Format_Indexed8, table);
}

QImage contactSheet(const std::vector<SheetRow>& rows)
{
    std::vector<RowLayout> layouts;
    int width = 0, height = 0;
    for (const SheetRow& row : rows) {
        layouts.push_back(layoutOf(row));
        width = std::max(width, layouts.back().width);
        height += layouts.back().height;
    }
    if (layouts.empty())
        throw std::invalid_argument("a contact sheet needs a row");
    QImage sheet(width, height, QImage::Format_RGB888);
    sheet.fill(QColor(kPaper, kPaper, kPaper));
    cv::Mat canvas(
        sheet.height(), sheet.width(), CV_8UC3, sheet.bits(), static_cast<size_t>(sheet.bytesPerLine()));
    int top = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
        const RowLayout& layout = layouts[r];
        for (size_t column = 0; column < layout.shown.size(); ++column) {
            const QImage frame = rows[r]
                                     .frames[layout.shown[column]]
                                     .convertToFormat(QImage::Format_RGB888)
                                     .scaled(layout.frame, Qt::IgnoreAspectRatio, Qt::FastTransformation);
            const int left = kGap + static_cast<int>(column) * (layout.frame.width() + kGap);
            for (int y = 0; y < frame.height(); ++y)
                std::memcpy(sheet.scanLine(top + kGap + y) + static_cast<ptrdiff_t>(left) * 3,
                    frame.constScanLine(y), static_cast<size_t>(frame.width()) * 3);
        }
        int baseline = top + kGap + layout.frame.height() + kLineHeight - 4;
        for (const QString& line : layout.lines) {
            cv::putText(canvas, line.toStdString(), cv::Point(kGap, baseline), kFont, kFontScale,
                cv::Scalar::all(kInk), 1, cv::LINE_AA);
            baseline += kLineHeight;
        }
        top += layout.height;
    }
    return toIndexed8(sheet, proceduralPalette());
}

void writeContactSheet(const QString& path, const std::vector<SheetRow>& rows)
{
    const QImage sheet = contactSheet(rows);
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !sheet.save(&buffer, "PNG"))
        throw std::runtime_error("could not encode the contact sheet");
    QSaveFile file(path); // renamed into place only when complete
    if (!file.open(QIODevice::WriteOnly) || file.write(png) != png.size() || !file.commit())
        throw std::runtime_error("could not write the contact sheet " + path.toStdString() + ": "
            + file.errorString().toStdString());
}

} // namespace kinora::core
