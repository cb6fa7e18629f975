#include "kinora/inference/caption_words.h"

#include "kinora/inference/procedural.h"

#include <algorithm>
#include <set>

namespace kinora::inference {

std::vector<std::string> captionWords(std::string_view prompt)
{
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        while (!word.empty() && word.back() == '-')
            word.pop_back();
        if (!word.empty())
            words.push_back(word);
        word.clear();
    };
    for (const char raw : prompt) {
        const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            word += c;
        else if (c == '-' && !word.empty())
            word += c;
        else
            flush();
    }
    flush();
    return words;
}

std::vector<std::string> unknownWords(std::string_view prompt, const std::vector<std::string>& vocabulary)
{
    std::vector<std::string> unknown;
    for (const auto& word : captionWords(prompt))
        if (std::find(vocabulary.begin(), vocabulary.end(), word) == vocabulary.end()
            && std::find(unknown.begin(), unknown.end(), word) == unknown.end())
            unknown.push_back(word);
    return unknown;
}

const std::vector<std::string>& captionGrammarWords()
{
    static const std::vector<std::string> words = [] {
        std::set<std::string> all { "a", "an", "and", "on", "background", "moving", "standing", "still" };
        for (const auto* list : { &proceduralColours(), &proceduralShapes(), &proceduralDirections(),
                 &proceduralSizes(), &proceduralSpeeds(), &proceduralBackgroundStyles() })
            all.insert(list->begin(), list->end());
        all.erase("plain"); // a plain background is said by naming no style
        return std::vector<std::string>(all.begin(), all.end());
    }();
    return words;
}

} // namespace kinora::inference
