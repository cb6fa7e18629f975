#pragma once
// The Prompt dock: what the artist asks for (prompt and negative prompt), the Generate button and
// Ctrl+Enter, and a searchable history of past prompts that a click puts back. The history lives in
// QSettings ("prompts/history") so it survives restarts. For a pack that reads words (a vocabulary)
// the prompt editor completes its words and a line under it names the words the pack does not know.

#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;

namespace kinora::ui {

class PromptEdit;

class PromptPanel : public QWidget {
    Q_OBJECT
public:
    explicit PromptPanel(QWidget* parent = nullptr);

    QString prompt() const;
    QString negativePrompt() const;
    void setPrompt(const QString& prompt);
    void setNegativePrompt(const QString& negative);

    // The words the selected pack knows (ModelPackEntry::vocabulary); empty for a pack that reads
    // any text, which turns completion and the unknown-words line off.
    void setVocabulary(const QStringList& words);

    // Gives the prompt editor the keyboard focus (and its window, when it has none).
    void focusPrompt();

    // Most recent first; an entry already there moves to the top; at most kMaxHistory entries.
    void addToHistory(const QString& prompt, const QString& negative);
    int historyCount() const;

    static constexpr int kMaxHistory = 200;

Q_SIGNALS:
    void generateRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildHistoryList();
    void applyHistoryFilter();
    void restoreFromHistory(QListWidgetItem* item);
    void updateVocabularyWarning();
    void fitVocabularyWarning();

    QStringList m_vocabulary;
    PromptEdit* m_promptEdit = nullptr;
    QLabel* m_vocabularyWarning = nullptr;
    QPlainTextEdit* m_negativeEdit = nullptr;
    QPushButton* m_generateButton = nullptr;
    QLineEdit* m_historySearch = nullptr;
    QListWidget* m_historyList = nullptr;
};

} // namespace kinora::ui
