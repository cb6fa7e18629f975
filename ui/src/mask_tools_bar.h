#pragma once
// The mask painter's tools over the viewer (shown in mask mode): brush and eraser, size, hardness,
// overlay colour and opacity, onion skin; invert, clear, fill; previous / next / delete keyframe;
// import and export, with a progress bar and Cancel while one runs; and a line saying what the
// painter works on, or why it cannot (no clip selected, the playhead off the clip), or how the
// last import or export went. It drives a MaskEditor and follows its state.

#include <QWidget>

class QAction;
class QActionGroup;
class QLabel;
class QProgressBar;
class QSlider;
class QSpinBox;
class QToolButton;

namespace kinora::ui {

class MaskEditor;

class MaskToolsBar : public QWidget {
    Q_OBJECT
public:
    MaskToolsBar(MaskEditor* editor, QWidget* parent = nullptr);

    // The line under the tools.
    QString statusText() const;

Q_SIGNALS:
    // Key navigation asks the viewer to move the playhead onto a source frame.
    void seekRequested(qint64 sourceFrame);

private:
    void syncSettings();
    void syncState();
    void chooseColour();
    void chooseImport();
    void chooseExport();

    MaskEditor* m_editor;
    QAction* m_brush = nullptr;
    QAction* m_eraser = nullptr;
    QSpinBox* m_size = nullptr;
    QSlider* m_hardness = nullptr;
    QToolButton* m_colour = nullptr;
    QSlider* m_opacity = nullptr;
    QAction* m_onion = nullptr;
    QList<QAction*> m_frameActions; // need a frame under the playhead
    QAction* m_previousKey = nullptr;
    QAction* m_nextKey = nullptr;
    QAction* m_deleteKey = nullptr;
    QAction* m_import = nullptr;
    QAction* m_export = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QString m_lastMessage;
};

} // namespace kinora::ui
