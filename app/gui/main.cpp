// kinora: the desktop app.

#include "kinora/ui/main_window.h"
#include "kinora/ui/theme.h"
#include "kinora/version.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    // Answer --version and --help before QApplication, which needs a display.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("kinora %s\n", kinora::kVersion);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("Usage: kinora [--version] [--help] [Qt options]\n"
                        "Kinora, the desktop app for making video with diffusion models.\n"
                        "Headless jobs: kinora-cli --help\n");
            return 0;
        }
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Kinora"));
    QApplication::setApplicationVersion(QString::fromLatin1(kinora::kVersion));
    QApplication::setOrganizationName(QStringLiteral("Kinora"));
    QApplication::setDesktopFileName(QStringLiteral("io.kinora.Kinora"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/kinora.svg")));

    QTranslator translator;
    // English is the fallback: its .ts carries the plural forms ("1 take", "3 takes"), which the
    // source strings ("%n take(s)") only spell out in a translation, so a C or POSIX locale needs it.
    if (translator.load(QLocale(), QStringLiteral("kinora"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral("kinora_en"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    kinora::ui::applyDarkTheme(app);
    kinora::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
