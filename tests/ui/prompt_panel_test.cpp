#include "gui_test_support.h"
#include "kinora/ui/main_window.h"
#include "kinora/ui/prompt_panel.h"
#include "kinora/ui/settings_panel.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using kinora::ui::PromptPanel;

namespace {

class PromptPanelTest : public ::testing::Test {
protected:
    void SetUp() override { kinora::test::useTemporaryDataDir(); }
};

QPlainTextEdit* promptEdit(PromptPanel& panel)
{
    return panel.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
}

QListWidget* historyList(PromptPanel& panel)
{
    return panel.findChild<QListWidget*>(QStringLiteral("promptHistory"));
}

QLabel* vocabularyWarning(PromptPanel& panel)
{
    return panel.findChild<QLabel*>(QStringLiteral("promptVocabularyWarning"));
}

// Part of the caption grammar's words, as a pack's manifest lists them.
const QStringList kWords { QStringLiteral("a"), QStringLiteral("background"), QStringLiteral("blue"),
    QStringLiteral("circle"), QStringLiteral("left"), QStringLiteral("moving"), QStringLiteral("on"),
    QStringLiteral("red"), QStringLiteral("square"), QStringLiteral("up"), QStringLiteral("up-left") };

// The words the completion list offers now, in its order.
QStringList offered(QCompleter* completer)
{
    QStringList words;
    for (int row = 0; row < completer->completionModel()->rowCount(); ++row)
        words << completer->completionModel()->index(row, 0).data().toString();
    return words;
}

QStringList visibleRows(QListWidget* list)
{
    QStringList rows;
    for (int i = 0; i < list->count(); ++i)
        if (!list->item(i)->isHidden())
            rows << list->item(i)->text();
    return rows;
}

} // namespace

TEST_F(PromptPanelTest, CtrlEnterInEitherEditorGeneratesOnce)
{
    PromptPanel panel;
    auto* edit = promptEdit(panel);
    ASSERT_NE(edit, nullptr);
    EXPECT_TRUE(panel.prompt().isEmpty());
    QSignalSpy spy(&panel, &PromptPanel::generateRequested);
    QTest::keyClicks(edit, QStringLiteral("a yellow star"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    EXPECT_EQ(spy.count(), 1);
    EXPECT_EQ(panel.prompt(), QStringLiteral("a yellow star")); // Ctrl+Enter adds no newline

    auto* negative = panel.findChild<QPlainTextEdit*>(QStringLiteral("negativePromptEdit"));
    ASSERT_NE(negative, nullptr);
    QTest::keyClicks(negative, QStringLiteral("blur"));
    QTest::keyClick(negative, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    EXPECT_EQ(spy.count(), 2);
    EXPECT_EQ(panel.negativePrompt(), QStringLiteral("blur"));

    QTest::keyClick(edit, Qt::Key_Return); // plain Enter does not generate
    EXPECT_EQ(spy.count(), 2);
}

TEST_F(PromptPanelTest, GenerateButtonShowsTheShortcutAndGenerates)
{
    PromptPanel panel;
    auto* button = panel.findChild<QPushButton*>(QStringLiteral("generateButton"));
    ASSERT_NE(button, nullptr);
    EXPECT_EQ(button->text(), QStringLiteral("Generate"));
    EXPECT_TRUE(button->toolTip().contains(QStringLiteral("Ctrl+Enter")));
    EXPECT_FALSE(button->icon().isNull());
    QSignalSpy spy(&panel, &PromptPanel::generateRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    EXPECT_EQ(spy.count(), 1);
}

TEST_F(PromptPanelTest, FocusPromptGivesTheEditorTheFocus)
{
    PromptPanel panel;
    panel.show();
    panel.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.findChild<QLineEdit*>(QStringLiteral("promptHistorySearch"))->setFocus();
    panel.focusPrompt();
    EXPECT_EQ(panel.focusWidget(), promptEdit(panel));
}

TEST_F(PromptPanelTest, HistoryPersistsAcrossPanelsMostRecentFirstWithoutDuplicates)
{
    {
        PromptPanel first;
        first.addToHistory(QStringLiteral("a red ball bouncing"), QStringLiteral("blur"));
        first.addToHistory(QStringLiteral("a yellow star moving left"), QString());
        first.addToHistory(QStringLiteral("a red ball bouncing"), QStringLiteral("blur"));
        first.addToHistory(QStringLiteral("  "), QString()); // nothing to remember
        EXPECT_EQ(first.historyCount(), 2);
    }
    PromptPanel second;
    auto* list = historyList(second);
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->count(), 2);
    EXPECT_EQ(list->item(0)->text(), QStringLiteral("a red ball bouncing"));
    EXPECT_EQ(list->item(1)->text(), QStringLiteral("a yellow star moving left"));
    EXPECT_TRUE(list->item(0)->toolTip().contains(QStringLiteral("a red ball bouncing")));
    EXPECT_TRUE(list->item(0)->toolTip().contains(QStringLiteral("blur")));
    EXPECT_EQ(QSettings().value(QStringLiteral("prompts/history")).toList().size(), 2);
}

TEST_F(PromptPanelTest, HistoryKeepsAtMostTwoHundred)
{
    PromptPanel panel;
    for (int i = 0; i < PromptPanel::kMaxHistory + 5; ++i)
        panel.addToHistory(QStringLiteral("prompt %1").arg(i), QString());
    auto* list = historyList(panel);
    ASSERT_EQ(list->count(), PromptPanel::kMaxHistory);
    EXPECT_EQ(list->item(0)->text(), QStringLiteral("prompt %1").arg(PromptPanel::kMaxHistory + 4));
}

TEST_F(PromptPanelTest, SearchFiltersTheHistoryIgnoringCase)
{
    PromptPanel panel;
    panel.addToHistory(QStringLiteral("a Red ball"), QString());
    panel.addToHistory(QStringLiteral("a blue square"), QString());
    panel.addToHistory(QStringLiteral("red sunset over water"), QString());
    auto* search = panel.findChild<QLineEdit*>(QStringLiteral("promptHistorySearch"));
    ASSERT_NE(search, nullptr);
    QTest::keyClicks(search, QStringLiteral("RED"));
    EXPECT_EQ(visibleRows(historyList(panel)),
        (QStringList { QStringLiteral("red sunset over water"), QStringLiteral("a Red ball") }));
    search->clear();
    EXPECT_EQ(visibleRows(historyList(panel)).size(), 3);
}

TEST_F(PromptPanelTest, ClickingAHistoryRowFillsBothEditors)
{
    PromptPanel panel;
    panel.addToHistory(QStringLiteral("a green tree swaying"), QStringLiteral("text, watermark"));
    panel.addToHistory(QStringLiteral("a cat"), QString());
    panel.setPrompt(QStringLiteral("something else"));
    panel.resize(360, 600);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    auto* list = historyList(panel);
    const QRect row = list->visualItemRect(list->item(1));
    ASSERT_TRUE(row.isValid());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, row.center());
    EXPECT_EQ(panel.prompt(), QStringLiteral("a green tree swaying"));
    EXPECT_EQ(panel.negativePrompt(), QStringLiteral("text, watermark"));
}

TEST_F(PromptPanelTest, AWarningNamesTheWordsThePackDoesNotKnow)
{
    PromptPanel panel;
    QLabel* warning = vocabularyWarning(panel);
    ASSERT_NE(warning, nullptr);
    panel.setPrompt(QStringLiteral("a red dragon flying"));
    EXPECT_TRUE(warning->isHidden()) << "no pack with a vocabulary yet: any text reads";

    panel.setVocabulary(kWords); // the pack changes: the same text is checked again
    EXPECT_FALSE(warning->isHidden());
    EXPECT_EQ(warning->text(),
        QStringLiteral("The model does not know: dragon, flying — it knows colours, shapes and directions."));
    EXPECT_TRUE(warning->toolTip().contains(QStringLiteral("up-left"))) << "the tooltip lists the words";

    // Typing updates it at once.
    auto* edit = promptEdit(panel);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("a Red square moving up-left"));
    EXPECT_TRUE(warning->isHidden()) << warning->text().toStdString();
    QTest::keyClicks(edit, QStringLiteral(" on a purple background"));
    EXPECT_FALSE(warning->isHidden());
    EXPECT_TRUE(warning->text().startsWith(QStringLiteral("The model does not know: purple — ")))
        << warning->text().toStdString();

    // A word still being typed is not unknown while one of the pack's words starts with it.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("a red bl"));
    EXPECT_TRUE(warning->isHidden()) << warning->text().toStdString();
    QTest::keyClick(edit, Qt::Key_Escape); // the list closes; "bl" is still being typed
    QTest::keyClicks(edit, QStringLiteral(" "));
    EXPECT_FALSE(warning->isHidden());
    EXPECT_TRUE(warning->text().startsWith(QStringLiteral("The model does not know: bl — ")))
        << warning->text().toStdString();
    QTest::keyClick(edit, Qt::Key_Backspace);
    EXPECT_TRUE(warning->isHidden());
    QTest::keyClicks(edit, QStringLiteral("x"));
    EXPECT_TRUE(warning->text().startsWith(QStringLiteral("The model does not know: blx — ")))
        << "no word starts with it";

    panel.setVocabulary({}); // a pack that reads any text (bytes, Wan)
    EXPECT_TRUE(warning->isHidden());
}

TEST_F(PromptPanelTest, TheCompleterOffersThePacksWordsForThePrefixTyped)
{
    PromptPanel panel;
    panel.setVocabulary(kWords);
    panel.resize(360, 600);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    auto* edit = promptEdit(panel);
    edit->setFocus();
    auto* completer = edit->findChild<QCompleter*>();
    ASSERT_NE(completer, nullptr);
    QAbstractItemView* popup = completer->popup();

    QTest::keyClicks(edit, QStringLiteral("a b"));
    ASSERT_TRUE(popup->isVisible());
    EXPECT_EQ(offered(completer), (QStringList { QStringLiteral("background"), QStringLiteral("blue") }));
    QTest::keyClicks(edit, QStringLiteral("L")); // case-insensitive
    EXPECT_EQ(offered(completer), QStringList { QStringLiteral("blue") });
    QTest::keyClick(popup, Qt::Key_Tab); // while the list is open its keys go to it
    EXPECT_FALSE(popup->isVisible());
    EXPECT_EQ(panel.prompt(), QStringLiteral("a blue"));

    QTest::keyClicks(edit, QStringLiteral(" u"));
    EXPECT_EQ(offered(completer), (QStringList { QStringLiteral("up"), QStringLiteral("up-left") }));
    QTest::keyClick(popup, Qt::Key_Down);
    QTest::keyClick(popup, Qt::Key_Return);
    EXPECT_EQ(panel.prompt(), QStringLiteral("a blue up-left")) << "Enter takes the word, adds no newline";

    QTest::keyClicks(edit, QStringLiteral(" sq"));
    ASSERT_TRUE(popup->isVisible());
    QTest::keyClick(popup, Qt::Key_Escape);
    EXPECT_FALSE(popup->isVisible());
    EXPECT_EQ(panel.prompt(), QStringLiteral("a blue up-left sq")) << "Esc only closes the list";

    QTest::keyClicks(edit, QStringLiteral("x")); // no word starts with "sqx"
    EXPECT_FALSE(popup->isVisible());
    QTest::keyClick(edit, Qt::Key_Space);
    QTest::keyClick(edit, Qt::Key_Space, Qt::ControlModifier); // every word, between words
    ASSERT_TRUE(popup->isVisible());
    EXPECT_EQ(offered(completer).size(), kWords.size());
    QTest::keyClick(popup, Qt::Key_Escape);

    // Ctrl+Enter still generates while the list is open.
    QSignalSpy generate(&panel, &PromptPanel::generateRequested);
    QTest::keyClicks(edit, QStringLiteral("c"));
    ASSERT_TRUE(popup->isVisible());
    QTest::keyClick(popup, Qt::Key_Return, Qt::ControlModifier);
    EXPECT_EQ(generate.count(), 1);
    EXPECT_FALSE(popup->isVisible());
    EXPECT_EQ(panel.prompt(), QStringLiteral("a blue up-left sqx c"));

    // A pack that reads any text: nothing to complete.
    panel.setVocabulary({});
    QTest::keyClicks(edit, QStringLiteral(" b"));
    EXPECT_FALSE(popup->isVisible());
}

// The window gives the prompt panel the words of the pack the settings select.
TEST_F(PromptPanelTest, TheSelectedPacksVocabularyReachesThePrompt)
{
    kinora::test::setTinyPackAsModel();
    QTemporaryDir dir;
    const QString words = dir.filePath(QStringLiteral("words-pack"));
    ASSERT_TRUE(QDir().mkpath(words));
    const QDir tiny(kinora::test::tinyPackDir());
    for (const QString& name : tiny.entryList(QDir::Files))
        ASSERT_TRUE(QFile::copy(tiny.filePath(name), QDir(words).filePath(name))) << name.toStdString();
    QFile file(QDir(words).filePath(QStringLiteral("kinora-model.json")));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    manifest[QStringLiteral("name")] = QStringLiteral("tiny-with-words");
    manifest[QStringLiteral("vocabulary")] = QJsonArray::fromStringList(kWords);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(manifest).toJson());
    file.close();

    kinora::ui::MainWindow window;
    PromptPanel* panel = window.promptPanel();
    panel->setPrompt(QStringLiteral("a red dragon"));
    QLabel* warning = vocabularyWarning(*panel);
    ASSERT_NE(warning, nullptr);
    EXPECT_TRUE(warning->isHidden()) << "the tiny pack reads bytes";

    kinora::ui::SettingsPanel* settings = window.settingsPanel();
    ASSERT_TRUE(settings->addModel(words).isEmpty());
    ASSERT_EQ(settings->currentModel()->name, QStringLiteral("tiny-with-words"));
    EXPECT_FALSE(warning->isHidden());
    EXPECT_TRUE(warning->text().contains(QStringLiteral("does not know: dragon")))
        << warning->text().toStdString();

    auto* models = settings->findChild<QComboBox*>(QStringLiteral("modelCombo"));
    ASSERT_NE(models, nullptr);
    const int tinyIndex = models->findData(QFileInfo(kinora::test::tinyPackDir()).canonicalFilePath());
    ASSERT_GE(tinyIndex, 0);
    models->setCurrentIndex(tinyIndex);
    EXPECT_TRUE(warning->isHidden());
}

// Every icon the app names renders (the SVG image plugin is there and each file parses).
TEST(Icons, EveryIconRendersSomething)
{
    const QStringList names = QDir(QStringLiteral(":/icons")).entryList({ QStringLiteral("*.svg") });
    for (const char* needed : { "generate", "cancel", "stop", "play", "pause", "export", "new", "open",
             "save", "undo", "redo", "remove", "lock", "unlock", "dice", "folder", "model", "queue", "clear",
             "info", "again", "variation", "step-back", "step-forward" })
        EXPECT_TRUE(names.contains(QStringLiteral("%1.svg").arg(QLatin1String(needed)))) << needed;
    for (const QString& name : names) {
        const QPixmap pixmap = QIcon(QStringLiteral(":/icons/") + name).pixmap(24, 24);
        ASSERT_FALSE(pixmap.isNull()) << name.toStdString();
        const QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
        int inked = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                inked += qAlpha(image.pixel(x, y)) > 128;
        EXPECT_GT(inked, 20) << name.toStdString();
    }
}
