#pragma once
// Help > About: names Kinora's version and what the engine runs on (LibTorch, device, FFmpeg,
// OpenCV), which is the first thing to ask for in a bug report.

#include "kinora/core/engine_info.h"

#include <QDialog>

namespace kinora::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const core::EngineInfo& info, QWidget* parent = nullptr);
};

} // namespace kinora::ui
