#pragma once
// The Prompt dock: what the artist asks for (prompt and negative prompt), the Generate button and
// Ctrl+Enter, and a searchable history of past prompts that a click puts back. The history lives in
// QSettings ("prompts/history") so it survives restarts.

#include <QString>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;

namespace kinora::ui {

class PromptPanel : public QWidget {
    Q_OBJECT
public:
    explicit PromptPanel(QWidget* parent = nullptr);

    QString prompt() const;
    QString negativePrompt() const;
    void setPrompt(const QString& prompt);
    void setNegativePrompt(const QString& negative);

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

private:
    void rebuildHistoryList();
    void applyHistoryFilter();
    void restoreFromHistory(QListWidgetItem* item);

    QPlainTextEdit* m_promptEdit = nullptr;
    QPlainTextEdit* m_negativeEdit = nullptr;
    QPushButton* m_generateButton = nullptr;
    QLineEdit* m_historySearch = nullptr;
    QListWidget* m_historyList = nullptr;
};

} // namespace kinora::ui
