#include "mask_editor.h"

#include "mask_commands.h"
#include "mask_store.h"

#include "kinora/core/mask_png.h"
#include "kinora/core/project.h"

#include <QSettings>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

namespace kinora::ui {

namespace {

const QString kSizeKey = QStringLiteral("masks/brushSize");
const QString kHardnessKey = QStringLiteral("masks/hardness");
const QString kColourKey = QStringLiteral("masks/overlayColour");
const QString kOpacityKey = QStringLiteral("masks/overlayOpacity");
const QString kOnionKey = QStringLiteral("masks/onionSkin");

} // namespace

MaskEditor::MaskEditor(QUndoStack* undoStack, QObject* parent)
    : QObject(parent)
    , m_undoStack(undoStack)
{
    loadSettings();
    m_table = colourTable(m_colour);
    connect(&m_watcher, &QFutureWatcher<void>::progressValueChanged, this,
        [this](int done) { Q_EMIT progressChanged(done, m_watcher.progressMaximum()); });
    connect(&m_watcher, &QFutureWatcher<void>::progressRangeChanged, this,
        [this](int, int maximum) { Q_EMIT progressChanged(m_watcher.progressValue(), maximum); });
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, [this] {
        auto finish = std::move(m_finish);
        m_finish = nullptr;
        const bool cancelled = m_watcher.isCanceled();
        setBusy(false);
        if (finish)
            finish(cancelled);
    });
}

MaskEditor::~MaskEditor()
{
    // The job holds copies of what it needs; it finishes (or stops) on its own.
    m_finish = nullptr;
    m_watcher.cancel();
}

void MaskEditor::setProject(core::Project* project)
{
    if (m_stroking)
        m_stroking = false; // the stroke belonged to the old document
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_project = project;
    m_store = MaskStore::of(project);
    ++m_generation;
    if (m_store) {
        connect(m_store, &MaskStore::changed, this, [this](const QString& sourceId) {
            if (!m_target || sourceId != m_target->sourceId)
                return;
            // An undo (or another writer) under a stroke in progress: the stroke is dropped.
            m_stroking = false;
            refresh();
            Q_EMIT keysChanged();
        });
        connect(m_store, &MaskStore::maskReady, this, [this](const QString& sourceId, qint64 frame) {
            if (!m_target || sourceId != m_target->sourceId || m_target->frame < 0)
                return;
            if (frame == m_target->frame && !m_maskReady)
                adopt(m_store->maskAt(sourceId, frame));
            else if (m_onion && std::abs(frame - m_target->frame) == 1)
                rebuildOnions();
        });
        connect(m_store, &MaskStore::writeFailed, this, [this](const QString& text) {
            // What was painted could not be kept: show what is on disk.
            m_stroking = false;
            m_maskReady = false;
            refresh();
            Q_EMIT message(text);
            // The step whose write failed is obsolete now: off the stack, later (this may run
            // inside the stack's own push).
            QMetaObject::invokeMethod(this, &MaskEditor::dropFailedSteps, Qt::QueuedConnection);
        });
    }
    m_target.reset();
    refresh();
    Q_EMIT targetChanged();
    Q_EMIT keysChanged();
}

void MaskEditor::setTarget(const std::optional<MaskTarget>& target, const QString& whyNot)
{
    const std::optional<MaskTarget> next = m_project ? target : std::nullopt;
    if (next == m_target && whyNot == m_whyNot)
        return;
    if (m_stroking)
        endStroke(); // the playhead moved under the pen: what was painted is kept
    const bool keysMoved = !next || !m_target || next->sourceId != m_target->sourceId
        || next->first != m_target->first || next->count != m_target->count;
    m_target = next;
    m_whyNot = whyNot;
    refresh();
    Q_EMIT targetChanged();
    if (keysMoved)
        Q_EMIT keysChanged();
}

bool MaskEditor::canPaint() const
{
    return m_project && m_target && m_target->frame >= 0 && !m_target->size.isEmpty() && !m_busy;
}

void MaskEditor::setActive(bool active)
{
    if (active == m_active)
        return;
    if (m_stroking)
        endStroke();
    m_active = active;
    refresh();
}

void MaskEditor::setTool(Tool tool)
{
    if (tool == m_tool)
        return;
    m_tool = tool;
    Q_EMIT settingsChanged();
}

void MaskEditor::setBrushSize(double diameter)
{
    diameter = std::clamp(diameter, kMinBrush, kMaxBrush);
    if (diameter == m_brush.diameter)
        return;
    m_brush.diameter = diameter;
    saveSettings();
    Q_EMIT settingsChanged();
}

void MaskEditor::setHardness(double hardness)
{
    hardness = std::clamp(hardness, 0.0, 1.0);
    if (hardness == m_brush.hardness)
        return;
    m_brush.hardness = hardness;
    saveSettings();
    Q_EMIT settingsChanged();
}

void MaskEditor::setOverlayColour(const QColor& colour)
{
    if (!colour.isValid() || colour == m_colour)
        return;
    m_colour = colour;
    m_table = colourTable(colour);
    saveSettings();
    updateOverlay(m_overlay.rect());
    Q_EMIT settingsChanged();
    Q_EMIT maskChanged(m_mask.rect());
}

void MaskEditor::setOverlayOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == m_opacity)
        return;
    m_opacity = opacity;
    saveSettings();
    Q_EMIT settingsChanged();
    Q_EMIT maskChanged(m_mask.rect());
}

void MaskEditor::setOnionSkin(bool on)
{
    if (on == m_onion)
        return;
    m_onion = on;
    saveSettings();
    rebuildOnions();
    Q_EMIT settingsChanged();
}

MaskBrush MaskEditor::brush() const
{
    MaskBrush brush = m_brush;
    brush.erase = m_tool == Tool::Eraser;
    return brush;
}

bool MaskEditor::isKey() const
{
    return m_store && m_target && m_target->frame >= 0 && m_store->isKey(m_target->sourceId, m_target->frame);
}

std::vector<int64_t> MaskEditor::keysInRange() const
{
    std::vector<int64_t> keys;
    if (!m_store || !m_target)
        return keys;
    const std::set<int64_t>& frames = m_store->keyFrames(m_target->sourceId);
    keys.assign(frames.lower_bound(m_target->first), frames.lower_bound(m_target->first + m_target->count));
    return keys;
}

int64_t MaskEditor::previousKey() const
{
    if (!m_target)
        return -1;
    const auto keys = keysInRange();
    const int64_t from = m_target->frame >= 0 ? m_target->frame : m_target->first + m_target->count;
    const auto it = std::lower_bound(keys.begin(), keys.end(), from);
    return it == keys.begin() ? -1 : *std::prev(it);
}

int64_t MaskEditor::nextKey() const
{
    if (!m_target)
        return -1;
    const auto keys = keysInRange();
    const auto it = std::upper_bound(keys.begin(), keys.end(), m_target->frame);
    return it == keys.end() ? -1 : *it;
}

void MaskEditor::refresh()
{
    if (!m_active || !m_store || !m_target || m_target->frame < 0) {
        // Nothing to show; nothing to repaint when nothing was shown (playback out of mask mode).
        const bool shown = !m_overlay.isNull() || !m_onionLayers[0].isNull() || !m_onionLayers[1].isNull();
        m_mask = QImage();
        m_maskReady = true;
        if (shown) {
            rebuildOverlay();
            rebuildOnions();
        }
        return;
    }
    rebuildOnions();
    const auto ready = m_store->readyMaskAt(m_target->sourceId, m_target->frame);
    if (!ready) {
        // Decoded or interpolated in the background: the last overlay stays up until it arrives
        // (asked for after the onion skins', so it comes first).
        m_maskReady = false;
        m_store->requestMaskAt(m_target->sourceId, m_target->frame);
        return;
    }
    adopt(*ready);
}

void MaskEditor::adopt(QImage mask)
{
    if (!mask.isNull() && m_target && mask.size() != m_target->size)
        mask = mask.scaled(m_target->size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    // The same pixels (a stroke's own command landing): the overlay is already what the dabs left.
    const bool same = m_maskReady && !mask.isNull() && !m_mask.isNull() && mask == m_mask;
    m_mask = mask;
    m_maskReady = true;
    if (!same)
        rebuildOverlay();
}

void MaskEditor::rebuildOverlay()
{
    const QSize size = m_active && m_target ? m_target->size : QSize();
    if (m_mask.isNull() || size.isEmpty()) {
        m_overlay = QImage();
    } else {
        if (m_overlay.size() != size)
            m_overlay = QImage(size, QImage::Format_ARGB32_Premultiplied);
        updateOverlay(m_overlay.rect());
    }
    Q_EMIT maskChanged(size.isEmpty() ? QRect() : QRect(QPoint(0, 0), size));
}

void MaskEditor::rebuildOnions()
{
    const QSize size = m_active && m_target ? m_target->size : QSize();
    for (int side = 0; side < 2; ++side) {
        QImage& layer = m_onionLayers[static_cast<size_t>(side)];
        if (!m_onion || size.isEmpty() || !m_target || m_target->frame < 0 || !m_store) {
            layer = QImage();
            continue;
        }
        const int64_t frame = m_target->frame + (side == 0 ? -1 : 1);
        if (frame < m_target->first || frame >= m_target->first + m_target->count) {
            layer = QImage();
            continue;
        }
        const auto ready = m_store->readyMaskAt(m_target->sourceId, frame);
        if (!ready) {
            m_store->requestMaskAt(m_target->sourceId, frame); // `maskReady` brings it
            continue;
        }
        QImage mask = *ready;
        if (mask.isNull()) {
            layer = QImage();
            continue;
        }
        if (mask.size() != size)
            mask = mask.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
        const auto table = colourTable(side == 0 ? onionPreviousColour() : onionNextColour());
        layer = QImage(size, QImage::Format_ARGB32_Premultiplied);
        for (int y = 0; y < size.height(); ++y) {
            const uchar* in = mask.constScanLine(y);
            auto* out = reinterpret_cast<QRgb*>(layer.scanLine(y));
            for (int x = 0; x < size.width(); ++x)
                out[x] = table[in[x]];
        }
    }
    Q_EMIT maskChanged(size.isEmpty() ? QRect() : QRect(QPoint(0, 0), size));
}

void MaskEditor::updateOverlay(const QRect& rect)
{
    if (m_overlay.isNull() || m_mask.isNull())
        return;
    const QRect area = rect.intersected(m_overlay.rect()).intersected(m_mask.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const uchar* in = m_mask.constScanLine(y);
        auto* out = reinterpret_cast<QRgb*>(m_overlay.scanLine(y));
        for (int x = area.left(); x <= area.right(); ++x)
            out[x] = m_table[in[x]];
    }
}

std::array<QRgb, 256> MaskEditor::colourTable(const QColor& colour)
{
    std::array<QRgb, 256> table {};
    for (int value = 0; value < 256; ++value)
        table[static_cast<size_t>(value)]
            = qPremultiply(qRgba(colour.red(), colour.green(), colour.blue(), value));
    return table;
}

bool MaskEditor::beginStroke(QPointF pos)
{
    if (!canPaint() || !m_active)
        return false;
    if (!m_maskReady) // not back from the thread pool yet: make it now
        adopt(m_store->maskAt(m_target->sourceId, m_target->frame));
    if (m_mask.isNull()) {
        m_mask = filledMask(m_target->size, 0);
        rebuildOverlay();
    }
    m_stroking = true;
    m_strokeBase = m_mask; // shared: the first dab detaches m_mask from it
    m_strokeWasKey = isKey();
    m_lastDab = pos;
    m_strokeRect = applyDab(m_mask, pos, brush());
    updateOverlay(m_strokeRect);
    if (!m_strokeRect.isEmpty())
        Q_EMIT maskChanged(m_strokeRect);
    return true;
}

void MaskEditor::strokeTo(QPointF pos)
{
    if (!m_stroking)
        return;
    const QRect changed = applySegment(m_mask, m_lastDab, pos, brush());
    if (changed.isEmpty())
        return;
    m_strokeRect |= changed;
    updateOverlay(changed);
    Q_EMIT maskChanged(changed);
}

void MaskEditor::endStroke()
{
    if (!m_stroking)
        return;
    m_stroking = false;
    const QRect rect = m_strokeRect;
    m_strokeRect = QRect();
    QImage before = std::exchange(m_strokeBase, QImage());
    if (rect.isEmpty() || !m_project || !m_target)
        return;
    const QString text = m_tool == Tool::Eraser ? tr("Erase mask") : tr("Paint mask");
    m_undoStack->push(new MaskStrokeCommand(m_project, m_target->sourceId, m_target->frame, m_target->size,
        rect, before.copy(rect), m_mask.copy(rect), m_strokeWasKey, text));
}

void MaskEditor::pushFrameEdit(const QImage& mask, const QString& text)
{
    if (!canPaint())
        return;
    if (m_stroking)
        endStroke();
    // One frame, encoded here as a stroke's is; the image goes along so the painter need not
    // decode it back.
    MaskKeysCommand::Change change { m_target->frame, core::encodeMaskPng(mask), mask };
    if (!mask.isNull() && change.png.isEmpty()) {
        Q_EMIT message(tr("The mask could not be encoded as PNG."));
        return;
    }
    m_undoStack->push(new MaskKeysCommand(m_project, m_target->sourceId, { std::move(change) }, text));
}

void MaskEditor::invert()
{
    if (!canPaint())
        return;
    QImage mask = m_store->maskAt(m_target->sourceId, m_target->frame);
    if (mask.isNull())
        mask = filledMask(m_target->size, 0);
    else if (mask.size() != m_target->size)
        mask = mask.scaled(m_target->size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    mask = mask.copy();
    mask.invertPixels();
    pushFrameEdit(mask, tr("Invert mask"));
}

void MaskEditor::clear()
{
    if (canPaint())
        pushFrameEdit(filledMask(m_target->size, 0), tr("Clear mask"));
}

void MaskEditor::fill()
{
    if (canPaint())
        pushFrameEdit(filledMask(m_target->size, 255), tr("Fill mask"));
}

void MaskEditor::deleteKey()
{
    if (canPaint() && isKey())
        pushFrameEdit(QImage(), tr("Delete mask keyframe"));
}

void MaskEditor::dropFailedSteps()
{
    // undo() deletes an obsolete command without undoing it.
    while (m_undoStack->index() > 0 && m_undoStack->command(m_undoStack->index() - 1)->isObsolete())
        m_undoStack->undo();
}

void MaskEditor::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void MaskEditor::loadSettings()
{
    const QSettings settings;
    m_brush.diameter = std::clamp(settings.value(kSizeKey, 40.0).toDouble(), kMinBrush, kMaxBrush);
    m_brush.hardness = std::clamp(settings.value(kHardnessKey, 0.8).toDouble(), 0.0, 1.0);
    const QColor colour(settings.value(kColourKey, m_colour.name()).toString());
    if (colour.isValid())
        m_colour = colour;
    m_opacity = std::clamp(settings.value(kOpacityKey, 0.5).toDouble(), 0.0, 1.0);
    m_onion = settings.value(kOnionKey, false).toBool();
}

void MaskEditor::saveSettings() const
{
    QSettings settings;
    settings.setValue(kSizeKey, m_brush.diameter);
    settings.setValue(kHardnessKey, m_brush.hardness);
    settings.setValue(kColourKey, m_colour.name());
    settings.setValue(kOpacityKey, m_opacity);
    settings.setValue(kOnionKey, m_onion);
}

} // namespace kinora::ui
