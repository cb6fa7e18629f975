#pragma once
// Whether any line of an error's problem list contains a phrase: for tests of errors that list
// every problem at once (model packs, manifests).

#include <string>
#include <vector>

namespace kinora::test {

inline bool mentions(const std::vector<std::string>& problems, const std::string& text)
{
    for (const auto& p : problems)
        if (p.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace kinora::test
