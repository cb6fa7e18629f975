#pragma once
// The prompt's text editor: completes the word under the cursor from the words the selected model
// pack knows (as Qt's Custom Completer example does for a QTextEdit). Typing a letter opens the
// list, Tab or Enter takes the highlighted word, Esc closes it, Ctrl+Space opens it anywhere. With
// no words to offer (a pack that reads any text) it is a plain editor.

#include <QPlainTextEdit>
#include <QStringList>

class QCompleter;
class QStringListModel;

namespace kinora::ui {

class PromptEdit : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit PromptEdit(QWidget* parent = nullptr);

    // The words to complete (any order, any case); empty turns completion off.
    void setWords(const QStringList& words);
    QCompleter* completer() const { return m_completer; }

    // The part of the word before the cursor ("ye" in "a ye|llow"): letters, digits and inner
    // hyphens, the engine's word rule (caption_words.h).
    QString wordBeforeCursor() const;

    // The text to check against the pack's words: the word being typed (the cursor at its end)
    // is left out while one of the words starts with it, as it is not unknown yet.
    QString settledText() const;

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void showCompletions(bool always);
    void insertCompletion(const QString& word);

    QCompleter* m_completer = nullptr;
    QStringListModel* m_words = nullptr;
};

} // namespace kinora::ui
