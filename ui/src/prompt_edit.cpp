#include "prompt_edit.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

#include <algorithm>

namespace kinora::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('-');
}

} // namespace

PromptEdit::PromptEdit(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_completer(new QCompleter(this))
    , m_words(new QStringListModel(this))
{
    m_completer->setModel(m_words);
    m_completer->setModelSorting(QCompleter::CaseInsensitivelySortedModel);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setMaxVisibleItems(8);
    m_completer->setWrapAround(false);
    m_completer->setWidget(this);
    m_completer->popup()->setObjectName(QStringLiteral("promptCompletions"));
    connect(
        m_completer, qOverload<const QString&>(&QCompleter::activated), this, &PromptEdit::insertCompletion);
}

void PromptEdit::setWords(const QStringList& words)
{
    QStringList sorted = words;
    sorted.sort(Qt::CaseInsensitive); // the completer searches a sorted model by bisection
    sorted.removeDuplicates();
    m_words->setStringList(sorted);
    if (sorted.isEmpty())
        m_completer->popup()->hide();
}

QString PromptEdit::wordBeforeCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString block = cursor.block().text();
    int start = cursor.positionInBlock();
    while (start > 0 && isWordChar(block.at(start - 1)))
        --start;
    while (start < cursor.positionInBlock() && block.at(start) == QLatin1Char('-'))
        ++start; // a hyphen only joins words ("up-left"); it never starts one
    return block.mid(start, cursor.positionInBlock() - start);
}

QString PromptEdit::settledText() const
{
    QString text = toPlainText();
    const QString typing = wordBeforeCursor();
    const QTextCursor cursor = textCursor();
    const QString block = cursor.block().text();
    const int at = cursor.positionInBlock();
    if (typing.isEmpty() || (at < block.size() && isWordChar(block.at(at))))
        return text;
    const QStringList words = m_words->stringList();
    if (std::none_of(words.begin(), words.end(),
            [&](const QString& word) { return word.startsWith(typing, Qt::CaseInsensitive); }))
        return text;
    return text.replace(cursor.position() - typing.size(), typing.size(), QLatin1Char(' '));
}

bool PromptEdit::event(QEvent* event)
{
    // While the list is open its keys reach the editor from the completer, which acts on those the
    // editor leaves alone: Tab, Enter and Return take the highlighted word, Esc closes the list.
    if (event->type() == QEvent::KeyPress && m_completer->popup()->isVisible()) {
        auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (key->modifiers() & Qt::ControlModifier) {
                // Ctrl+Enter generates, list or not: closed, the key goes the usual way (through
                // the prompt panel's event filter).
                m_completer->popup()->hide();
                QCoreApplication::sendEvent(this, event);
                event->accept(); // handled: the completer must not take a word as well
                return true;
            }
            [[fallthrough]];
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
        case Qt::Key_Escape:
            event->ignore();
            return true;
        default:
            break;
        }
    }
    return QPlainTextEdit::event(event);
}

void PromptEdit::keyPressEvent(QKeyEvent* event)
{
    const bool hasWords = m_words->rowCount() > 0;
    const auto modifiers = event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier);
    if (hasWords && event->key() == Qt::Key_Space && modifiers == Qt::ControlModifier) {
        showCompletions(true);
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    if (!hasWords)
        return;
    switch (event->key()) { // a modifier on its own (Shift for a capital) leaves the list as it is
    case Qt::Key_Shift:
    case Qt::Key_Control:
    case Qt::Key_Alt:
    case Qt::Key_AltGr:
    case Qt::Key_Meta:
        return;
    default:
        break;
    }
    const QString typed = event->text();
    const bool typedWordChar = modifiers == Qt::NoModifier && !typed.isEmpty() && isWordChar(typed.back());
    const bool erased = event->key() == Qt::Key_Backspace || event->key() == Qt::Key_Delete;
    if (typedWordChar || (erased && m_completer->popup()->isVisible()))
        showCompletions(false);
    else
        m_completer->popup()->hide();
}

void PromptEdit::showCompletions(bool always)
{
    QAbstractItemView* popup = m_completer->popup();
    const QString prefix = wordBeforeCursor();
    if (prefix.isEmpty() && !always) {
        popup->hide();
        return;
    }
    m_completer->setCompletionPrefix(prefix);
    const int count = m_completer->completionCount();
    // Nothing to offer, or only the word already typed in full.
    if (count == 0
        || (!always && count == 1
            && m_completer->currentCompletion().compare(prefix, Qt::CaseInsensitive) == 0)) {
        popup->hide();
        return;
    }
    popup->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect().translated(viewport()->geometry().topLeft());
    rect.setWidth(popup->sizeHintForColumn(0) + popup->verticalScrollBar()->sizeHint().width() + 8);
    m_completer->complete(rect);
}

void PromptEdit::insertCompletion(const QString& word)
{
    // The word being typed becomes the chosen one, with any part of it after the cursor.
    QTextCursor cursor = textCursor();
    const QString block = cursor.block().text();
    const int at = cursor.positionInBlock();
    const auto typed = static_cast<int>(wordBeforeCursor().size());
    int end = at;
    while (typed > 0 && end < block.size() && isWordChar(block.at(end)))
        ++end;
    const int blockStart = cursor.block().position();
    cursor.setPosition(blockStart + at - typed);
    cursor.setPosition(blockStart + end, QTextCursor::KeepAnchor);
    cursor.insertText(word);
    setTextCursor(cursor);
}

} // namespace kinora::ui
