#pragma once
// The app's look: Qt's Fusion style with a dark palette, which suits judging colour in video.

class QApplication;

namespace kinora::ui {

void applyDarkTheme(QApplication& app);

} // namespace kinora::ui
