#include "kinora/ui/prompt_panel.h"

#include "kinora/core/prompt_words.h"
#include "prompt_edit.h"

#include <QEvent>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <vector>

namespace kinora::ui {

namespace {

const QString kHistoryKey = QStringLiteral("prompts/history");
const QString kPromptField = QStringLiteral("prompt");
const QString kNegativeField = QStringLiteral("negative");
constexpr int kPromptRole = Qt::UserRole;
constexpr int kNegativeRole = Qt::UserRole + 1;

struct HistoryEntry {
    QString prompt;
    QString negative;
};

std::vector<HistoryEntry> readHistory()
{
    std::vector<HistoryEntry> entries;
    const QVariantList list = QSettings().value(kHistoryKey).toList();
    for (const QVariant& value : list) {
        const QVariantMap map = value.toMap();
        HistoryEntry entry { map.value(kPromptField).toString(), map.value(kNegativeField).toString() };
        if (!entry.prompt.isEmpty() || !entry.negative.isEmpty())
            entries.push_back(std::move(entry));
    }
    return entries;
}

void writeHistory(const std::vector<HistoryEntry>& entries)
{
    QVariantList list;
    for (const HistoryEntry& entry : entries)
        list.append(QVariantMap { { kPromptField, entry.prompt }, { kNegativeField, entry.negative } });
    QSettings().setValue(kHistoryKey, list);
}

QString oneLine(const QString& text)
{
    return text.simplified();
}

} // namespace

PromptPanel::PromptPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("promptPanel"));

    m_promptEdit = new PromptEdit(this);
    m_promptEdit->setObjectName(QStringLiteral("promptEdit"));
    m_promptEdit->setPlaceholderText(tr("Describe the clip: a yellow star moving left on a blue background"));
    m_promptEdit->setTabChangesFocus(true);
    m_promptEdit->setMinimumHeight(72);
    m_promptEdit->installEventFilter(this);
    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, &PromptPanel::updateVocabularyWarning);
    connect(
        m_promptEdit, &QPlainTextEdit::cursorPositionChanged, this, &PromptPanel::updateVocabularyWarning);

    // Under the prompt, quiet until the prompt has a word the pack does not know.
    m_vocabularyWarning = new QLabel(this);
    m_vocabularyWarning->setObjectName(QStringLiteral("promptVocabularyWarning"));
    m_vocabularyWarning->setWordWrap(true);
    m_vocabularyWarning->setTextFormat(Qt::PlainText);
    m_vocabularyWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_vocabularyWarning->setStyleSheet(QStringLiteral("color: #e3b55b; font-size: small;"));
    m_vocabularyWarning->hide();

    m_negativeEdit = new QPlainTextEdit(this);
    m_negativeEdit->setObjectName(QStringLiteral("negativePromptEdit"));
    m_negativeEdit->setPlaceholderText(tr("What to avoid (optional)"));
    m_negativeEdit->setTabChangesFocus(true);
    m_negativeEdit->setMinimumHeight(40);
    m_negativeEdit->setMaximumHeight(72);
    m_negativeEdit->installEventFilter(this);

    m_generateButton = new QPushButton(QIcon(QStringLiteral(":/icons/generate.svg")), tr("Generate"), this);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_generateButton->setToolTip(tr("Generate takes from this prompt (Ctrl+Enter)"));
    m_generateButton->setDefault(true);
    connect(m_generateButton, &QPushButton::clicked, this, &PromptPanel::generateRequested);

    m_historySearch = new QLineEdit(this);
    m_historySearch->setObjectName(QStringLiteral("promptHistorySearch"));
    m_historySearch->setPlaceholderText(tr("Search past prompts"));
    m_historySearch->setClearButtonEnabled(true);
    connect(m_historySearch, &QLineEdit::textChanged, this, &PromptPanel::applyHistoryFilter);

    m_historyList = new QListWidget(this);
    m_historyList->setObjectName(QStringLiteral("promptHistory"));
    m_historyList->setTextElideMode(Qt::ElideRight);
    // Long prompts are elided (the tooltip and a click give them whole), never scrolled sideways.
    m_historyList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_historyList->setUniformItemSizes(true);
    m_historyList->setMinimumHeight(80);
    connect(m_historyList, &QListWidget::itemClicked, this, &PromptPanel::restoreFromHistory);

    auto* promptLabel = new QLabel(tr("Prompt"), this);
    promptLabel->setBuddy(m_promptEdit);
    auto* negativeLabel = new QLabel(tr("Negative prompt"), this);
    negativeLabel->setBuddy(m_negativeEdit);
    auto* historyLabel = new QLabel(tr("History"), this);
    historyLabel->setBuddy(m_historySearch);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(promptLabel);
    layout->addWidget(m_promptEdit, 2);
    layout->addWidget(m_vocabularyWarning);
    layout->addWidget(negativeLabel);
    layout->addWidget(m_negativeEdit, 1);
    layout->addWidget(m_generateButton);
    layout->addSpacing(6);
    layout->addWidget(historyLabel);
    layout->addWidget(m_historySearch);
    layout->addWidget(m_historyList, 3);
    // Only a width: the height is what the rows need (the layout's minimum), which grows while the
    // unknown-words line shows.
    setMinimumWidth(240);

    rebuildHistoryList();
}

QString PromptPanel::prompt() const
{
    return m_promptEdit->toPlainText();
}

QString PromptPanel::negativePrompt() const
{
    return m_negativeEdit->toPlainText();
}

void PromptPanel::setPrompt(const QString& prompt)
{
    m_promptEdit->setPlainText(prompt);
}

void PromptPanel::setNegativePrompt(const QString& negative)
{
    m_negativeEdit->setPlainText(negative);
}

void PromptPanel::setVocabulary(const QStringList& words)
{
    if (words == m_vocabulary)
        return;
    m_vocabulary = words;
    m_promptEdit->setWords(words);
    m_vocabularyWarning->setToolTip(
        tr("<p>The words this model knows (Ctrl+Space in the prompt lists them):<br>%1</p>")
            .arg(words.join(QStringLiteral(", ")).toHtmlEscaped()));
    updateVocabularyWarning();
}

void PromptPanel::updateVocabularyWarning()
{
    const QString warning = core::unknownWordsWarning(m_promptEdit->settledText(), m_vocabulary);
    if (warning != m_vocabularyWarning->text()) {
        m_vocabularyWarning->setText(warning);
        fitVocabularyWarning();
    }
    m_vocabularyWarning->setVisible(!warning.isEmpty());
}

void PromptPanel::fitVocabularyWarning()
{
    // A wrapped label's minimum height is guessed for a width other than its own, and a dock does
    // not ask for height-for-width: the label asks for the lines it has, so that the panel (and its
    // dock) grows instead of the label running over the prompt.
    const int width = layout()->contentsRect().width();
    if (width > 0 && !m_vocabularyWarning->text().isEmpty())
        m_vocabularyWarning->setMinimumHeight(m_vocabularyWarning->heightForWidth(width));
}

void PromptPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitVocabularyWarning();
}

void PromptPanel::focusPrompt()
{
    if (QWidget* top = window(); top->isVisible())
        top->activateWindow();
    m_promptEdit->setFocus(Qt::OtherFocusReason);
    m_promptEdit->moveCursor(QTextCursor::End);
}

void PromptPanel::addToHistory(const QString& prompt, const QString& negative)
{
    const HistoryEntry added { prompt.trimmed(), negative.trimmed() };
    if (added.prompt.isEmpty() && added.negative.isEmpty())
        return;
    // Re-read first: another panel (or window) may have added entries since this one was built.
    std::vector<HistoryEntry> entries = readHistory();
    std::erase_if(entries,
        [&](const HistoryEntry& e) { return e.prompt == added.prompt && e.negative == added.negative; });
    entries.insert(entries.begin(), added);
    if (entries.size() > static_cast<size_t>(kMaxHistory))
        entries.resize(kMaxHistory);
    writeHistory(entries);
    rebuildHistoryList();
}

int PromptPanel::historyCount() const
{
    return m_historyList->count();
}

bool PromptPanel::eventFilter(QObject* watched, QEvent* event)
{
    if ((watched == m_promptEdit || watched == m_negativeEdit) && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            Q_EMIT generateRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PromptPanel::rebuildHistoryList()
{
    m_historyList->clear();
    for (const HistoryEntry& entry : readHistory()) {
        auto* item = new QListWidgetItem(oneLine(entry.prompt.isEmpty() ? entry.negative : entry.prompt));
        item->setData(kPromptRole, entry.prompt);
        item->setData(kNegativeRole, entry.negative);
        QString tip = entry.prompt.toHtmlEscaped();
        if (!entry.negative.isEmpty())
            tip += QStringLiteral("<br><i>%1</i> %2").arg(tr("Avoid:"), entry.negative.toHtmlEscaped());
        item->setToolTip(QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(tip));
        m_historyList->addItem(item);
    }
    applyHistoryFilter();
}

void PromptPanel::applyHistoryFilter()
{
    const QString needle = m_historySearch->text().trimmed();
    for (int row = 0; row < m_historyList->count(); ++row) {
        QListWidgetItem* item = m_historyList->item(row);
        const bool match = needle.isEmpty()
            || item->data(kPromptRole).toString().contains(needle, Qt::CaseInsensitive)
            || item->data(kNegativeRole).toString().contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
    }
}

void PromptPanel::restoreFromHistory(QListWidgetItem* item)
{
    if (!item)
        return;
    setPrompt(item->data(kPromptRole).toString());
    setNegativePrompt(item->data(kNegativeRole).toString());
    m_promptEdit->setFocus(Qt::OtherFocusReason);
}

} // namespace kinora::ui
