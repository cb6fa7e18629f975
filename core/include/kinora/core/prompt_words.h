#pragma once
// A prompt's words against a model pack's vocabulary (ModelManifest::vocabulary): a pack that reads
// words sees a word outside its vocabulary as one "unknown" token, so the prompt editor and
// kinora-cli name those words before the artist waits for a clip that ignores them. Packs with no
// vocabulary (byte-level, Wan) read any text: nothing is unknown to them. The word rule is the
// engine's (inference/caption_words.h), so the check says what the text encoder will see.

#include <QString>
#include <QStringList>

namespace kinora::core {

// The words of `prompt` that `vocabulary` lacks, lower-cased, each once, in the order they first
// appear; empty when `vocabulary` is empty.
QStringList unknownPromptWords(const QString& prompt, const QStringList& vocabulary);

// One sentence naming the unknown words of `prompt` and what the vocabulary covers ("The model does
// not know: dragon, flying — it knows colours, shapes, directions, …"); empty when every word is
// known or the vocabulary is empty.
QString unknownWordsWarning(const QString& prompt, const QStringList& vocabulary);

} // namespace kinora::core
