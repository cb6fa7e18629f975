#pragma once
// The mask painter's state and edits, without widgets: which source frame is painted (set by the
// viewer from the selected clip and the playhead), the tools (brush or eraser, size, hardness,
// overlay colour and opacity, onion skin; kept in QSettings), the mask of that frame as shown (its
// key, or the in-between mask of the keys around it), the overlay layers the canvas draws, strokes
// with dirty rectangles, whole-frame edits, keyframe navigation, and mask import and export in the
// background (mask_editor_io.cpp). Every edit is an undo command (mask_commands.h); the masks
// themselves live in the project's MaskStore.
//
// Painting stays fluid on large frames: a dab changes a few pixels of a Grayscale8 mask in place,
// the overlay is updated only over those pixels (a 256-entry colour table, no conversion of the
// frame), and the canvas repaints only their rectangle. Whole-frame work (interpolation, building
// the overlays) happens when the frame or the keys change, never per mouse move, and decoding a
// key or interpolating an in-between frame runs in the background (MaskStore::requestMaskAt).

#include "mask_dab.h"
#include "mask_store.h"

#include "kinora/core/project.h"

#include <QColor>
#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QRect>
#include <QSize>
#include <QString>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

class QUndoStack;

namespace kinora::ui {

// What the painter works on: a source's masks (the source's frame size), the range of its frames
// the selected clip uses (exports and imports cover it), and the source frame under the playhead.
struct MaskTarget {
    QString sourceId;
    QSize size;
    int64_t first = 0;
    int64_t count = 0;
    int64_t frame = -1; // -1: the playhead is not on the clip (nothing to paint)
    friend bool operator==(const MaskTarget&, const MaskTarget&) = default;
};

class MaskEditor : public QObject {
    Q_OBJECT
public:
    enum class Tool { Brush, Eraser };
    static constexpr double kMinBrush = 1;
    static constexpr double kMaxBrush = 1000;
    static constexpr double kOnionOpacity = 0.6; // of the onion layers, relative to the overlay's

    explicit MaskEditor(QUndoStack* undoStack, QObject* parent = nullptr);
    ~MaskEditor() override;

    void setProject(core::Project* project);
    core::Project* project() const { return m_project; }

    // What is painted now; nullopt with `whyNot` (shown by the tools) when nothing is.
    void setTarget(const std::optional<MaskTarget>& target, const QString& whyNot = {});
    const std::optional<MaskTarget>& target() const { return m_target; }
    QString whyNot() const { return m_whyNot; }
    // A frame to paint on and no import under way.
    bool canPaint() const;

    // Mask mode: the layers are built only while it is on.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    Tool tool() const { return m_tool; }
    void setTool(Tool tool);
    double brushSize() const { return m_brush.diameter; } // frame pixels
    void setBrushSize(double diameter);
    double hardness() const { return m_brush.hardness; } // 0..1
    void setHardness(double hardness);
    QColor overlayColour() const { return m_colour; }
    void setOverlayColour(const QColor& colour);
    double overlayOpacity() const { return m_opacity; } // 0..1
    void setOverlayOpacity(double opacity);
    bool onionSkin() const { return m_onion; }
    void setOnionSkin(bool on);
    MaskBrush brush() const;

    // The target frame's mask as shown (Grayscale8 at the source's size); null when there is none.
    // While it is decoded or interpolated in the background (not ready) it is the last one.
    QImage mask() const { return m_mask; }
    bool isMaskReady() const { return m_maskReady; }
    bool isKey() const;
    // The keyframes within the target's range, and the one before / after the target frame there.
    std::vector<int64_t> keysInRange() const;
    int64_t previousKey() const; // -1: none
    int64_t nextKey() const;

    // The layers (ARGB32 premultiplied, the frame's size; null when there is nothing to draw): the
    // mask in the overlay colour at full strength (drawn at overlayOpacity()), and the previous and
    // next frames' masks in their own tints (drawn at overlayOpacity() * kOnionOpacity).
    const QImage& overlay() const { return m_overlay; }
    const QImage& onionPrevious() const { return m_onionLayers[0]; }
    const QImage& onionNext() const { return m_onionLayers[1]; }
    static QColor onionPreviousColour() { return { 255, 176, 32 }; }
    static QColor onionNextColour() { return { 48, 200, 255 }; }

    // A stroke in frame pixels: press, moves, release (one undo command, the changed rectangle).
    bool beginStroke(QPointF pos);
    void strokeTo(QPointF pos);
    void endStroke();
    bool isStroking() const { return m_stroking; }

    // Whole-frame edits of the target frame, each one undo command.
    void invert();
    void clear();
    void fill();
    void deleteKey();

    // In the background (mask_editor_io.cpp), with progress. Import (mask_import.h): a video, an
    // image-sequence pattern or a folder of numbered images (frame i of it goes to source frame
    // first + i), or one image (a key at the target frame), read and encoded on the thread pool and
    // applied as one undo step. Export: the masks of the target's range as PNGs numbered from 0 in
    // `folder` (kExportPattern).
    static constexpr const char* kExportPattern = "mask_%04d.png";
    void importMask(const QString& path);
    void exportMasks(const QString& folder);
    bool isBusy() const { return m_busy; }
    void cancelJob();

Q_SIGNALS:
    void maskChanged(const QRect& rect); // frame pixels; the whole frame when it changed wholly
    void targetChanged();
    void keysChanged();
    void settingsChanged();
    void message(const QString& text);
    void busyChanged(bool busy);
    void progressChanged(qint64 done, qint64 total);
    void importFinished(bool ok);
    void exportFinished(bool ok);

private:
    void refresh();
    // Shows `mask` as the target frame's.
    void adopt(QImage mask);
    void rebuildOverlay();
    void rebuildOnions();
    void updateOverlay(const QRect& rect);
    void pushFrameEdit(const QImage& mask, const QString& text);
    // Takes the steps whose writes failed (obsolete) off the top of the undo stack.
    void dropFailedSteps();
    // Runs `work` on the thread pool (promise progress: frames done of `total`; 0 when the work
    // sets the range itself once it knows), then `finish`.
    void startJob(std::function<void(QPromise<void>&)> work, int64_t total, std::function<void(bool)> finish);
    void setBusy(bool busy);
    void loadSettings();
    void saveSettings() const;
    static std::array<QRgb, 256> colourTable(const QColor& colour);

    QUndoStack* m_undoStack = nullptr;
    QPointer<core::Project> m_project;
    QPointer<MaskStore> m_store;
    std::optional<MaskTarget> m_target;
    QString m_whyNot;
    bool m_active = false;

    Tool m_tool = Tool::Brush;
    MaskBrush m_brush;
    QColor m_colour { 255, 48, 64 };
    double m_opacity = 0.5;
    bool m_onion = false;

    QImage m_mask;
    bool m_maskReady = true;
    QImage m_overlay;
    std::array<QImage, 2> m_onionLayers;
    std::array<QRgb, 256> m_table {};

    bool m_stroking = false;
    QImage m_strokeBase; // the mask when the stroke began (shared until the first dab detaches)
    bool m_strokeWasKey = false;
    QRect m_strokeRect;
    QPointF m_lastDab;

    bool m_busy = false;
    int m_generation = 0; // bumped when the project changes: a job's result for an old one is dropped
    QFutureWatcher<void> m_watcher;
    std::function<void(bool cancelled)> m_finish; // the running job's ending, on the GUI thread
};

} // namespace kinora::ui
