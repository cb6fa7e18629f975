#include "kinora/core/engine_info.h"

#include <gtest/gtest.h>

#include <QRegularExpression>

TEST(EngineInfo, NamesEveryComponentVersion)
{
    const auto info = kinora::core::engineInfo();
    const QRegularExpression version(QStringLiteral(R"(^\d+\.\d+(\.\d+)?)"));
    EXPECT_TRUE(version.match(info.kinoraVersion).hasMatch()) << info.kinoraVersion.toStdString();
    EXPECT_TRUE(version.match(info.libtorchVersion).hasMatch()) << info.libtorchVersion.toStdString();
    EXPECT_TRUE(version.match(info.opencvVersion).hasMatch()) << info.opencvVersion.toStdString();
    EXPECT_FALSE(info.ffmpegVersion.isEmpty());
    EXPECT_TRUE(info.device == QLatin1String("CPU") || info.device == QLatin1String("CUDA"))
        << info.device.toStdString();
    EXPECT_FALSE(info.deviceDetail.isEmpty());
}
