#include "gui_test_support.h"

#include "../app/process.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include <memory>

namespace kinora::test {

namespace {

QTemporaryDir& scratch()
{
    static QTemporaryDir dir;
    return dir;
}

} // namespace

QString tinyPackDir()
{
    static const QString pack = [] {
        const QString dir = scratch().filePath(QStringLiteral("tiny-pack"));
        const auto made = runProcess(
            KINORA_ENGINE_PATH, { "train", "--config", "tiny", "--steps", "0", "-o", dir.toStdString() });
        EXPECT_EQ(made.exitCode, 0) << made.err;
        return dir;
    }();
    return pack;
}

void setTinyPackAsModel()
{
    qputenv("KINORA_MODEL", QFile::encodeName(tinyPackDir()));
}

void useTemporaryDataDir()
{
    const QString data = scratch().filePath(QStringLiteral("data"));
    QDir().mkpath(data);
    qputenv("KINORA_DATA_DIR", QFile::encodeName(data));
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(
        QSettings::NativeFormat, QSettings::UserScope, scratch().filePath(QStringLiteral("settings")));
    QSettings().clear();
}

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return done();
}

} // namespace kinora::test
