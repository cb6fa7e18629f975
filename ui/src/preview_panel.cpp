#include "kinora/ui/preview_panel.h"

#include "tool_button.h"

#include "frame_view.h"
#include "kinora/core/image_sequence.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QImageReader>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

namespace kinora::ui {

namespace {

const QString kScalingKey = QStringLiteral("preview/scaling");
const QString kSmooth = QStringLiteral("smooth");
const QString kPixelated = QStringLiteral("pixelated");
constexpr double kDefaultFps = 8.0;

QString secondsText(double seconds)
{
    if (seconds < 90)
        return PreviewPanel::tr("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    return PreviewPanel::tr("%1 min").arg(std::round(seconds / 60.0));
}

} // namespace

PreviewPanel::PreviewPanel(QWidget* parent)
    : QWidget(parent)
    , m_playIcon(QStringLiteral(":/icons/play.svg"))
    , m_pauseIcon(QStringLiteral(":/icons/pause.svg"))
{
    setObjectName(QStringLiteral("previewPanel"));

    m_view = new FrameView(this);
    connect(m_view, &FrameView::newPreviewPainted, this, &PreviewPanel::previewPainted);
    connect(m_view, &FrameView::playPauseRequested, this, &PreviewPanel::togglePlay);
    connect(m_view, &FrameView::stepRequested, this, &PreviewPanel::stepFrame);

    m_playButton
        = makeToolButton(QStringLiteral("playButton"), QStringLiteral("play"), tr("Play (Space)"), this);
    connect(m_playButton, &QToolButton::clicked, this, &PreviewPanel::togglePlay);
    m_backButton = makeToolButton(
        QStringLiteral("stepBackButton"), QStringLiteral("step-back"), tr("Previous frame (Left)"), this);
    connect(m_backButton, &QToolButton::clicked, this, [this] { stepFrame(-1); });
    m_forwardButton = makeToolButton(
        QStringLiteral("stepForwardButton"), QStringLiteral("step-forward"), tr("Next frame (Right)"), this);
    connect(m_forwardButton, &QToolButton::clicked, this, [this] { stepFrame(1); });

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("frameSlider"));
    m_slider->setToolTip(tr("Frame"));
    m_slider->setRange(0, 0);
    connect(m_slider, &QSlider::sliderPressed, this, &PreviewPanel::pause);
    connect(m_slider, &QSlider::valueChanged, this, &PreviewPanel::setFrame);

    m_frameLabel = new QLabel(this);
    m_frameLabel->setObjectName(QStringLiteral("frameLabel"));
    m_frameLabel->setMinimumWidth(m_frameLabel->fontMetrics().horizontalAdvance(QStringLiteral("000 / 000")));
    m_frameLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_scaling = new QComboBox(this);
    m_scaling->setObjectName(QStringLiteral("scalingCombo"));
    m_scaling->setToolTip(tr("How small clips are scaled up"));
    m_scaling->addItem(tr("Smooth"), kSmooth);
    m_scaling->addItem(tr("Pixelated"), kPixelated);
    const QString scaling = QSettings().value(kScalingKey, kSmooth).toString();
    m_scaling->setCurrentIndex(std::max(0, m_scaling->findData(scaling)));
    m_view->setPixelated(m_scaling->currentData().toString() == kPixelated);
    connect(m_scaling, &QComboBox::currentIndexChanged, this, [this] {
        const QString value = m_scaling->currentData().toString();
        QSettings().setValue(kScalingKey, value);
        m_view->setPixelated(value == kPixelated);
    });

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("previewStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long prompt wraps instead of widening the dock (and squeezing the viewer beside it).
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(m_playButton);
    controls->addWidget(m_backButton);
    controls->addWidget(m_forwardButton);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_frameLabel);
    controls->addWidget(m_scaling);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(controls);
    layout->addWidget(m_status);

    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PreviewPanel::advance);
    updateControls();
    updatePlayButton();
}

PreviewPanel::~PreviewPanel() = default;

int PreviewPanel::frameCount() const
{
    return m_view->frameCount();
}

int PreviewPanel::currentFrame() const
{
    return m_view->currentFrame();
}

void PreviewPanel::showPreview(quint64 jobId, const core::JobPreview& preview, double fps)
{
    if (jobId != m_jobId)
        m_pausedByUser = false;
    m_jobId = jobId;
    m_step = preview.step;
    const QString kind = preview.fullDecode ? tr("decoded") : tr("cheap preview");
    m_view->setOverlay(preview.windows > 1
            ? tr("Step %1/%2 · window %3/%4 · %5")
                  .arg(preview.step)
                  .arg(preview.total)
                  .arg(preview.window + 1)
                  .arg(preview.windows)
                  .arg(kind)
            : tr("Step %1/%2 · %3").arg(preview.step).arg(preview.total).arg(kind));
    m_view->setMessage({});
    setClip(preview.frames, fps, true);
    if (!m_pausedByUser)
        play();
}

void PreviewPanel::showStatus(const core::JobStatus& status)
{
    QString text = tr("Step %1/%2").arg(status.step).arg(status.total);
    if (status.windows > 1)
        text += tr(" · window %1/%2").arg(status.window + 1).arg(status.windows);
    text += tr(" · %1").arg(secondsText(status.elapsed));
    if (status.eta >= 0 && status.step < status.total)
        text += status.eta < 90 ? tr(" · about %1 s left").arg(std::max(1.0, std::round(status.eta)))
                                : tr(" · about %1 min left").arg(std::round(status.eta / 60.0));
    m_status->setText(text);
}

void PreviewPanel::playFrames(const std::vector<QImage>& frames, double fps, const QString& title)
{
    m_jobId = 0;
    m_step = 0;
    m_pausedByUser = false;
    m_view->setOverlay(title);
    m_view->setMessage(frames.empty() ? tr("“%1” has no frames").arg(title) : QString());
    m_status->setText(tr("%1 · %n frame(s) at %2 fps", nullptr, static_cast<int>(frames.size()))
                          .arg(title, QString::number(fps > 0 ? fps : kDefaultFps, 'g', 4)));
    setClip(frames, fps, false);
    m_view->setCurrentFrame(0);
    updateControls();
    play();
}

void PreviewPanel::playSequence(const QString& framesPattern, int frames, double fps, const QString& title)
{
    std::vector<QImage> images;
    try {
        if (frames <= 0) {
            images = core::readImageSequence(framesPattern);
        } else {
            // Qt's own PNG reader, up to the take's frame count: cheap enough for the GUI thread.
            images.reserve(static_cast<size_t>(frames));
            for (int i = 0; i < frames; ++i) {
                QImageReader reader(core::sequenceFramePath(framesPattern, i));
                QImage image = reader.read();
                if (image.isNull())
                    break;
                images.push_back(std::move(image));
            }
        }
    } catch (const std::exception& e) {
        clear(tr("Cannot play “%1”: %2").arg(title, QString::fromUtf8(e.what())));
        return;
    }
    if (images.empty()) {
        clear(tr("Cannot play “%1”: no frames at %2")
                  .arg(title, QFileInfo(core::sequenceFramePath(framesPattern, 0)).absoluteFilePath()));
        return;
    }
    playFrames(images, fps, title);
}

void PreviewPanel::clear(const QString& message)
{
    pause();
    m_jobId = 0;
    m_step = 0;
    m_pausedByUser = false;
    m_view->setFrames({});
    m_view->setCurrentFrame(0);
    m_view->setOverlay({});
    m_view->setMessage(message);
    m_status->clear();
    updateControls();
}

void PreviewPanel::setClip(std::vector<QImage> frames, double fps, bool tagged)
{
    const double rate = fps > 0 ? fps : kDefaultFps;
    m_timer.setInterval(std::max(1, static_cast<int>(std::lround(1000.0 / rate))));
    std::optional<FrameView::PreviewTag> tag;
    if (tagged)
        tag = FrameView::PreviewTag { m_jobId, m_step };
    m_view->setFrames(std::move(frames), tag);
    updateControls();
}

void PreviewPanel::play()
{
    m_playing = frameCount() > 1;
    if (m_playing && !m_timer.isActive())
        m_timer.start();
    if (!m_playing)
        m_timer.stop();
    updatePlayButton();
}

void PreviewPanel::pause()
{
    m_playing = false;
    m_timer.stop();
    updatePlayButton();
}

void PreviewPanel::togglePlay()
{
    if (m_playing) {
        pause();
        m_pausedByUser = true;
    } else {
        m_pausedByUser = false;
        play();
    }
}

void PreviewPanel::stepFrame(int delta)
{
    const int count = frameCount();
    if (count == 0)
        return;
    if (m_playing) {
        pause();
        m_pausedByUser = true;
    }
    setFrame(((currentFrame() + delta) % count + count) % count);
}

void PreviewPanel::advance()
{
    const int count = frameCount();
    if (count <= 1) {
        pause();
        return;
    }
    setFrame((currentFrame() + 1) % count);
}

void PreviewPanel::setFrame(int index)
{
    m_view->setCurrentFrame(index);
    updateControls();
}

void PreviewPanel::updateControls()
{
    const int count = frameCount();
    const int current = currentFrame();
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setRange(0, std::max(0, count - 1));
        m_slider->setValue(current);
    }
    m_slider->setEnabled(count > 1);
    m_backButton->setEnabled(count > 1);
    m_forwardButton->setEnabled(count > 1);
    m_playButton->setEnabled(count > 1);
    m_frameLabel->setText(count == 0 ? tr("– / –") : tr("%1 / %2").arg(current + 1).arg(count));
}

void PreviewPanel::updatePlayButton()
{
    m_playButton->setIcon(m_playing ? m_pauseIcon : m_playIcon);
    m_playButton->setToolTip(m_playing ? tr("Pause (Space)") : tr("Play (Space)"));
    m_playButton->setText(m_playing ? tr("Pause") : tr("Play"));
}

} // namespace kinora::ui
