// WanTokenizer::clean: Wan's prompt cleaning in C++ (see wan_tokenizer.h for what of ftfy is kept).
// Works on code points: Python's html.unescape and its regular expressions count characters, not
// bytes, and its whitespace classes are Unicode ones.

#include "kinora/inference/wan/wan_tokenizer.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string_view>

namespace kinora::inference::wan {

namespace {

struct Entity {
    std::string_view name;
    char32_t codePoint;
    bool bare; // also recognised without the ';' (HTML's legacy references, e.g. "&amp")
};

// Python's html.entities.html5 restricted to the HTML 4 names, &apos; and the upper-case legacy
// spellings (generated from Python 3.11's table), sorted by name for binary search.
// clang-format off
constexpr Entity kEntities[] = {
    { "AElig", 0xC6, true }, { "AMP", 0x26, true }, { "Aacute", 0xC1, true }, { "Acirc", 0xC2, true },
    { "Agrave", 0xC0, true }, { "Alpha", 0x391, false }, { "Aring", 0xC5, true }, { "Atilde", 0xC3, true },
    { "Auml", 0xC4, true }, { "Beta", 0x392, false }, { "COPY", 0xA9, true }, { "Ccedil", 0xC7, true },
    { "Chi", 0x3A7, false }, { "Dagger", 0x2021, false }, { "Delta", 0x394, false }, { "ETH", 0xD0, true },
    { "Eacute", 0xC9, true }, { "Ecirc", 0xCA, true }, { "Egrave", 0xC8, true },
    { "Epsilon", 0x395, false }, { "Eta", 0x397, false }, { "Euml", 0xCB, true }, { "GT", 0x3E, true },
    { "Gamma", 0x393, false }, { "Iacute", 0xCD, true }, { "Icirc", 0xCE, true }, { "Igrave", 0xCC, true },
    { "Iota", 0x399, false }, { "Iuml", 0xCF, true }, { "Kappa", 0x39A, false }, { "LT", 0x3C, true },
    { "Lambda", 0x39B, false }, { "Mu", 0x39C, false }, { "Ntilde", 0xD1, true }, { "Nu", 0x39D, false },
    { "OElig", 0x152, false }, { "Oacute", 0xD3, true }, { "Ocirc", 0xD4, true }, { "Ograve", 0xD2, true },
    { "Omega", 0x3A9, false }, { "Omicron", 0x39F, false }, { "Oslash", 0xD8, true },
    { "Otilde", 0xD5, true }, { "Ouml", 0xD6, true }, { "Phi", 0x3A6, false }, { "Pi", 0x3A0, false },
    { "Prime", 0x2033, false }, { "Psi", 0x3A8, false }, { "QUOT", 0x22, true }, { "REG", 0xAE, true },
    { "Rho", 0x3A1, false }, { "Scaron", 0x160, false }, { "Sigma", 0x3A3, false },
    { "THORN", 0xDE, true }, { "Tau", 0x3A4, false }, { "Theta", 0x398, false }, { "Uacute", 0xDA, true },
    { "Ucirc", 0xDB, true }, { "Ugrave", 0xD9, true }, { "Upsilon", 0x3A5, false }, { "Uuml", 0xDC, true },
    { "Xi", 0x39E, false }, { "Yacute", 0xDD, true }, { "Yuml", 0x178, false }, { "Zeta", 0x396, false },
    { "aacute", 0xE1, true }, { "acirc", 0xE2, true }, { "acute", 0xB4, true }, { "aelig", 0xE6, true },
    { "agrave", 0xE0, true }, { "alefsym", 0x2135, false }, { "alpha", 0x3B1, false },
    { "amp", 0x26, true }, { "and", 0x2227, false }, { "ang", 0x2220, false }, { "apos", 0x27, false },
    { "aring", 0xE5, true }, { "asymp", 0x2248, false }, { "atilde", 0xE3, true }, { "auml", 0xE4, true },
    { "bdquo", 0x201E, false }, { "beta", 0x3B2, false }, { "brvbar", 0xA6, true },
    { "bull", 0x2022, false }, { "cap", 0x2229, false }, { "ccedil", 0xE7, true }, { "cedil", 0xB8, true },
    { "cent", 0xA2, true }, { "chi", 0x3C7, false }, { "circ", 0x2C6, false }, { "clubs", 0x2663, false },
    { "cong", 0x2245, false }, { "copy", 0xA9, true }, { "crarr", 0x21B5, false },
    { "cup", 0x222A, false }, { "curren", 0xA4, true }, { "dArr", 0x21D3, false },
    { "dagger", 0x2020, false }, { "darr", 0x2193, false }, { "deg", 0xB0, true },
    { "delta", 0x3B4, false }, { "diams", 0x2666, false }, { "divide", 0xF7, true },
    { "eacute", 0xE9, true }, { "ecirc", 0xEA, true }, { "egrave", 0xE8, true },
    { "empty", 0x2205, false }, { "emsp", 0x2003, false }, { "ensp", 0x2002, false },
    { "epsilon", 0x3B5, false }, { "equiv", 0x2261, false }, { "eta", 0x3B7, false },
    { "eth", 0xF0, true }, { "euml", 0xEB, true }, { "euro", 0x20AC, false }, { "exist", 0x2203, false },
    { "fnof", 0x192, false }, { "forall", 0x2200, false }, { "frac12", 0xBD, true },
    { "frac14", 0xBC, true }, { "frac34", 0xBE, true }, { "frasl", 0x2044, false },
    { "gamma", 0x3B3, false }, { "ge", 0x2265, false }, { "gt", 0x3E, true }, { "hArr", 0x21D4, false },
    { "harr", 0x2194, false }, { "hearts", 0x2665, false }, { "hellip", 0x2026, false },
    { "iacute", 0xED, true }, { "icirc", 0xEE, true }, { "iexcl", 0xA1, true }, { "igrave", 0xEC, true },
    { "image", 0x2111, false }, { "infin", 0x221E, false }, { "int", 0x222B, false },
    { "iota", 0x3B9, false }, { "iquest", 0xBF, true }, { "isin", 0x2208, false }, { "iuml", 0xEF, true },
    { "kappa", 0x3BA, false }, { "lArr", 0x21D0, false }, { "lambda", 0x3BB, false },
    { "lang", 0x27E8, false }, { "laquo", 0xAB, true }, { "larr", 0x2190, false },
    { "lceil", 0x2308, false }, { "ldquo", 0x201C, false }, { "le", 0x2264, false },
    { "lfloor", 0x230A, false }, { "lowast", 0x2217, false }, { "loz", 0x25CA, false },
    { "lrm", 0x200E, false }, { "lsaquo", 0x2039, false }, { "lsquo", 0x2018, false },
    { "lt", 0x3C, true }, { "macr", 0xAF, true }, { "mdash", 0x2014, false }, { "micro", 0xB5, true },
    { "middot", 0xB7, true }, { "minus", 0x2212, false }, { "mu", 0x3BC, false },
    { "nabla", 0x2207, false }, { "nbsp", 0xA0, true }, { "ndash", 0x2013, false },
    { "ne", 0x2260, false }, { "ni", 0x220B, false }, { "not", 0xAC, true }, { "notin", 0x2209, false },
    { "nsub", 0x2284, false }, { "ntilde", 0xF1, true }, { "nu", 0x3BD, false }, { "oacute", 0xF3, true },
    { "ocirc", 0xF4, true }, { "oelig", 0x153, false }, { "ograve", 0xF2, true },
    { "oline", 0x203E, false }, { "omega", 0x3C9, false }, { "omicron", 0x3BF, false },
    { "oplus", 0x2295, false }, { "or", 0x2228, false }, { "ordf", 0xAA, true }, { "ordm", 0xBA, true },
    { "oslash", 0xF8, true }, { "otilde", 0xF5, true }, { "otimes", 0x2297, false },
    { "ouml", 0xF6, true }, { "para", 0xB6, true }, { "part", 0x2202, false }, { "permil", 0x2030, false },
    { "perp", 0x22A5, false }, { "phi", 0x3C6, false }, { "pi", 0x3C0, false }, { "piv", 0x3D6, false },
    { "plusmn", 0xB1, true }, { "pound", 0xA3, true }, { "prime", 0x2032, false },
    { "prod", 0x220F, false }, { "prop", 0x221D, false }, { "psi", 0x3C8, false }, { "quot", 0x22, true },
    { "rArr", 0x21D2, false }, { "radic", 0x221A, false }, { "rang", 0x27E9, false },
    { "raquo", 0xBB, true }, { "rarr", 0x2192, false }, { "rceil", 0x2309, false },
    { "rdquo", 0x201D, false }, { "real", 0x211C, false }, { "reg", 0xAE, true },
    { "rfloor", 0x230B, false }, { "rho", 0x3C1, false }, { "rlm", 0x200F, false },
    { "rsaquo", 0x203A, false }, { "rsquo", 0x2019, false }, { "sbquo", 0x201A, false },
    { "scaron", 0x161, false }, { "sdot", 0x22C5, false }, { "sect", 0xA7, true }, { "shy", 0xAD, true },
    { "sigma", 0x3C3, false }, { "sigmaf", 0x3C2, false }, { "sim", 0x223C, false },
    { "spades", 0x2660, false }, { "sub", 0x2282, false }, { "sube", 0x2286, false },
    { "sum", 0x2211, false }, { "sup", 0x2283, false }, { "sup1", 0xB9, true }, { "sup2", 0xB2, true },
    { "sup3", 0xB3, true }, { "supe", 0x2287, false }, { "szlig", 0xDF, true }, { "tau", 0x3C4, false },
    { "there4", 0x2234, false }, { "theta", 0x3B8, false }, { "thetasym", 0x3D1, false },
    { "thinsp", 0x2009, false }, { "thorn", 0xFE, true }, { "tilde", 0x2DC, false },
    { "times", 0xD7, true }, { "trade", 0x2122, false }, { "uArr", 0x21D1, false },
    { "uacute", 0xFA, true }, { "uarr", 0x2191, false }, { "ucirc", 0xFB, true }, { "ugrave", 0xF9, true },
    { "uml", 0xA8, true }, { "upsih", 0x3D2, false }, { "upsilon", 0x3C5, false }, { "uuml", 0xFC, true },
    { "weierp", 0x2118, false }, { "xi", 0x3BE, false }, { "yacute", 0xFD, true }, { "yen", 0xA5, true },
    { "yuml", 0xFF, true }, { "zeta", 0x3B6, false }, { "zwj", 0x200D, false }, { "zwnj", 0x200C, false },
};
// clang-format on

// Python's html._invalid_charrefs for 0x80..0x9F: the code point Windows-1252 gives the byte.
constexpr std::array<char32_t, 32> kCp1252 = { 0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178 };

const Entity* findEntity(std::string_view name)
{
    const auto it = std::lower_bound(std::begin(kEntities), std::end(kEntities), name,
        [](const Entity& e, std::string_view n) { return e.name < n; });
    return it != std::end(kEntities) && it->name == name ? &*it : nullptr;
}

std::u32string decodeUtf8(const std::string& text)
{
    std::u32string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        const int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        bool valid = len > 0 && i + static_cast<size_t>(len) <= text.size();
        for (int k = 1; valid && k < len; ++k) {
            const auto c = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
            valid = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
        static constexpr std::array<char32_t, 5> kMin = { 0, 0, 0x80, 0x800, 0x10000 };
        valid
            = valid && cp >= kMin[static_cast<size_t>(len)] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        out.push_back(valid ? cp : U'\uFFFD');
        i += valid ? static_cast<size_t>(len) : 1;
    }
    return out;
}

std::string encodeUtf8(const std::u32string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char32_t cp : text) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

// Python's str.isspace (what str.strip removes).
bool isPySpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
        || c == 0x3000;
}

// The `regex` module's \s (Unicode White_Space): str.isspace without U+001C..U+001F.
bool isWhiteSpace(char32_t c)
{
    return isPySpace(c) && (c < 0x1C || c > 0x1F);
}

bool isDigit(char32_t c)
{
    return c >= U'0' && c <= U'9';
}
bool isHexDigit(char32_t c)
{
    return isDigit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}

// html._replace_charref for a numeric reference's value: what replaces it (possibly nothing).
std::u32string numericReference(char32_t value)
{
    if (value == 0)
        return U"\uFFFD";
    if (value == 0x0D)
        return U"\r";
    if (value >= 0x80 && value <= 0x9F)
        return std::u32string(1, kCp1252[value - 0x80]);
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
        return U"\uFFFD";
    const bool invalid = (value >= 0x01 && value <= 0x08) || value == 0x0B || (value >= 0x0E && value <= 0x1F)
        || value == 0x7F || (value >= 0xFDD0 && value <= 0xFDEF) || (value & 0xFFFE) == 0xFFFE;
    return invalid ? std::u32string() : std::u32string(1, value);
}

// One pass of Python's html.unescape: the regex
// &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?) replaced left to right.
std::u32string unescapeHtml(const std::u32string& s)
{
    std::u32string out;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] != U'&') {
            out.push_back(s[i++]);
            continue;
        }
        size_t j = i + 1;
        if (j < s.size() && s[j] == U'#') {
            const bool hex = j + 1 < s.size() && (s[j + 1] == U'x' || s[j + 1] == U'X');
            size_t k = j + (hex ? 2 : 1);
            const size_t digitsFrom = k;
            char32_t value = 0;
            while (k < s.size() && (hex ? isHexDigit(s[k]) : isDigit(s[k]))) {
                const auto d = static_cast<char32_t>(
                    isDigit(s[k]) ? s[k] - U'0' : (s[k] | 0x20) - U'a' + 10); // (c | 0x20): lower case
                value = std::min<char32_t>(value * (hex ? 16 : 10) + d, 0x110000); // saturates past U+10FFFF
                ++k;
            }
            if (k == digitsFrom) { // "&#", "&#x" without digits: not a reference
                out.push_back(s[i++]);
                continue;
            }
            if (k < s.size() && s[k] == U';')
                ++k;
            out += numericReference(value);
            i = k;
            continue;
        }
        size_t k = j;
        while (k < s.size() && k - j < 32 && s[k] != U'\t' && s[k] != U'\n' && s[k] != U'\f' && s[k] != U' '
            && s[k] != U'<' && s[k] != U'&' && s[k] != U'#' && s[k] != U';')
            ++k;
        if (k == j) {
            out.push_back(s[i++]);
            continue;
        }
        const bool semicolon = k < s.size() && s[k] == U';';
        const std::u32string name = s.substr(j, k - j);
        const size_t end = k + (semicolon ? 1 : 0);
        // Entity names are ASCII; a name with other characters matches nothing but a prefix.
        std::string ascii;
        for (const char32_t c : name)
            ascii.push_back(c < 0x80 ? static_cast<char>(c) : '\x7F');
        const Entity* whole = findEntity(ascii);
        if (whole && (semicolon || whole->bare)) {
            out.push_back(whole->codePoint);
            i = end;
            continue;
        }
        // The longest bare name that the reference starts with (at least two characters).
        bool replaced = false;
        for (size_t len = semicolon ? ascii.size() : ascii.size() - 1; len >= 2 && !replaced; --len) {
            const Entity* prefix = findEntity(std::string_view(ascii).substr(0, len));
            if (prefix && prefix->bare) {
                out.push_back(prefix->codePoint);
                out += s.substr(j + len, end - j - len);
                replaced = true;
            }
        }
        if (!replaced)
            out += s.substr(i, end - i);
        i = end;
    }
    return out;
}

std::u32string strip(const std::u32string& s)
{
    size_t from = 0;
    size_t to = s.size();
    while (from < to && isPySpace(s[from]))
        ++from;
    while (to > from && isPySpace(s[to - 1]))
        --to;
    return s.substr(from, to - from);
}

} // namespace

std::string WanTokenizer::clean(const std::string& text)
{
    std::u32string s = decodeUtf8(text);
    // ftfy's uncurl_quotes: [\u02bc\u2018-\u201b] -> ', [\u201c-\u201f] -> ".
    for (char32_t& c : s) {
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B))
            c = U'\'';
        else if (c >= 0x201C && c <= 0x201F)
            c = U'"';
    }
    s = strip(unescapeHtml(unescapeHtml(s)));
    std::u32string collapsed; // regex.sub(r'\s+', ' ', s)
    bool inRun = false;
    for (const char32_t c : s) {
        const bool space = isWhiteSpace(c);
        if (!space || !inRun)
            collapsed.push_back(space ? U' ' : c);
        inRun = space;
    }
    return encodeUtf8(strip(collapsed));
}

} // namespace kinora::inference::wan
