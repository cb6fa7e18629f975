#pragma once
// The live preview dock: shows each step's predicted clip while a take is made (cheap latent
// previews and full decodes, labelled as such), the job's step and ETA, and plays finished takes
// as a loop, with play/pause, frame stepping, a frame slider and smooth or pixelated scaling.

#include "kinora/core/job.h"
#include "kinora/core/job_worker.h"

#include <QIcon>
#include <QImage>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace kinora::ui {

class FrameView;

class PreviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPanel(QWidget* parent = nullptr);
    ~PreviewPanel() override;

    // A step's predicted clip, looped at `fps`. Every preview replaces the one shown; previews
    // that come faster than the view paints are dropped but the newest.
    void showPreview(quint64 jobId, const kinora::core::JobPreview& preview, double fps);
    // "Step 7/20 · 3.4 s · about 5 s left" under the picture.
    void showStatus(const kinora::core::JobStatus& status);
    // A finished take, looped.
    void playFrames(const std::vector<QImage>& frames, double fps, const QString& title);
    // A take's frames on disk (`dir/%04d.png`): reads up to `frames` of them (all when <= 0).
    void playSequence(const QString& framesPattern, int frames, double fps, const QString& title);
    // No clip; `message` in the middle of the view.
    void clear(const QString& message = {});

    quint64 currentJob() const { return m_jobId; }
    int shownStep() const { return m_step; }
    int frameCount() const;
    int currentFrame() const;
    bool isPlaying() const { return m_playing; }

    void play();
    void pause();
    void togglePlay();
    void stepFrame(int delta);

Q_SIGNALS:
    // A new preview reached the screen (steady_clock ns): the worker may send the next.
    void previewPainted(quint64 jobId, int step, qint64 paintedNs);

private:
    void setClip(std::vector<QImage> frames, double fps, bool tagged);
    void advance();
    void setFrame(int index);
    void updateControls();
    void updatePlayButton();

    FrameView* m_view = nullptr;
    QToolButton* m_playButton = nullptr;
    QToolButton* m_backButton = nullptr;
    QToolButton* m_forwardButton = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_frameLabel = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_scaling = nullptr;
    QTimer m_timer;
    QIcon m_playIcon;
    QIcon m_pauseIcon;
    quint64 m_jobId = 0;
    int m_step = 0;
    bool m_playing = false;
    // The user paused this job's previews: new steps keep the pause.
    bool m_pausedByUser = false;
};

} // namespace kinora::ui
