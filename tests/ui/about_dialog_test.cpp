#include "kinora/ui/about_dialog.h"

#include <QLabel>
#include <QTextDocument>

#include <gtest/gtest.h>

TEST(AboutDialog, NamesVersionLibTorchAndDevice)
{
    kinora::core::EngineInfo info;
    info.kinoraVersion = QStringLiteral("9.8.7");
    info.libtorchVersion = QStringLiteral("2.99.1");
    info.ffmpegVersion = QStringLiteral("5.1.x");
    info.opencvVersion = QStringLiteral("4.6.0");
    info.device = QStringLiteral("CUDA");
    info.deviceDetail = QStringLiteral("1 GPU");
    kinora::ui::AboutDialog dialog(info);
    auto* label = dialog.findChild<QLabel*>(QStringLiteral("aboutText"));
    ASSERT_NE(label, nullptr);
    QTextDocument doc;
    doc.setHtml(label->text());
    const QString shown = doc.toPlainText();
    for (const auto& expected : { info.kinoraVersion, info.libtorchVersion, info.device, info.deviceDetail,
             info.ffmpegVersion, info.opencvVersion })
        EXPECT_TRUE(shown.contains(expected))
            << expected.toStdString() << " missing from: " << shown.toStdString();
}

TEST(AboutDialog, ShowsTheRealEngine)
{
    const auto info = kinora::core::engineInfo();
    kinora::ui::AboutDialog dialog(info);
    const auto* label = dialog.findChild<QLabel*>(QStringLiteral("aboutText"));
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->text().contains(info.libtorchVersion));
    EXPECT_TRUE(label->text().contains(info.device));
}
