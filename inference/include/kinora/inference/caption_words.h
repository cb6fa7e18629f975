#pragma once
// Words of a prompt as a word-level text encoder sees them, and the words Kinora's caption grammar
// (procedural.h) makes. Torch-free, so the app's prompt editor completes and checks words with the
// same rule the model tokenizes by.

#include <string>
#include <string_view>
#include <vector>

namespace kinora::inference {

// Lower-cased words of `prompt`: runs of ASCII letters, digits and inner hyphens ("up-left" is one
// word); everything else (spaces, punctuation, other scripts) separates words.
std::vector<std::string> captionWords(std::string_view prompt);

// The words of `prompt` that are not in `vocabulary`, each once, in the order they first appear.
std::vector<std::string> unknownWords(std::string_view prompt, const std::vector<std::string>& vocabulary);

// Every word a procedural caption can contain, sorted: the colours, shapes, directions, sizes,
// speeds, background styles and the grammar's own words ("a", "moving", "background", ...).
const std::vector<std::string>& captionGrammarWords();

} // namespace kinora::inference
