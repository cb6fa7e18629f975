#include "gui_test_support.h"
#include "kinora/ui/prompt_panel.h"

#include <QDir>
#include <QIcon>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
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
