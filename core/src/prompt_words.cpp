#include "kinora/core/prompt_words.h"

#include "kinora/inference/caption_words.h"
#include "kinora/inference/procedural.h"

#include <QCoreApplication>

#include <algorithm>
#include <string>
#include <vector>

namespace kinora::core {

namespace {

namespace inf = kinora::inference;

QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("PromptWords", text, nullptr, n);
}

// What a vocabulary covers, in the caption grammar's terms: a kind is named when the vocabulary
// holds any of its words (a pack trained on part of the grammar names only that part).
QStringList kindsIn(const QStringList& vocabulary)
{
    const auto any = [&](const std::vector<std::string>& words) {
        return std::any_of(words.begin(), words.end(),
            [&](const std::string& w) { return vocabulary.contains(QString::fromStdString(w)); });
    };
    QStringList kinds;
    if (any(inf::proceduralColours()))
        kinds << tr("colours");
    if (any(inf::proceduralShapes()))
        kinds << tr("shapes");
    if (any(inf::proceduralDirections()))
        kinds << tr("directions");
    if (any(inf::proceduralSizes()))
        kinds << tr("sizes");
    if (any(inf::proceduralSpeeds()))
        kinds << tr("speeds");
    if (any(inf::proceduralBackgroundStyles()))
        kinds << tr("background styles");
    return kinds;
}

} // namespace

QStringList unknownPromptWords(const QString& prompt, const QStringList& vocabulary)
{
    if (vocabulary.isEmpty())
        return {};
    std::vector<std::string> words;
    words.reserve(static_cast<size_t>(vocabulary.size()));
    for (const QString& word : vocabulary)
        words.push_back(word.toStdString());
    QStringList unknown;
    for (const std::string& word : inf::unknownWords(prompt.toStdString(), words))
        unknown << QString::fromStdString(word);
    return unknown;
}

QString unknownWordsWarning(const QString& prompt, const QStringList& vocabulary)
{
    const QStringList unknown = unknownPromptWords(prompt, vocabulary);
    if (unknown.isEmpty())
        return {};
    // A pasted paragraph names a few words, not a wall of them.
    constexpr int kShown = 8;
    QString named = unknown.mid(0, kShown).join(QStringLiteral(", "));
    if (unknown.size() > kShown)
        named += tr(" and %n more", static_cast<int>(unknown.size() - kShown));
    const QStringList kinds = kindsIn(vocabulary);
    const QString knows = kinds.isEmpty()
        ? tr("it knows only the %n words of its vocabulary", static_cast<int>(vocabulary.size()))
        : kinds.size() == 1
        ? tr("it knows %1").arg(kinds.front())
        : tr("it knows %1 and %2")
              .arg(kinds.mid(0, kinds.size() - 1).join(QStringLiteral(", ")), kinds.back());
    return tr("The model does not know: %1 — %2.").arg(named, knows);
}

} // namespace kinora::core
