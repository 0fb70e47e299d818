// Escaping for the HTML the renderer writes. What must stay true: every character of data
// goes through one of these functions, so data can never become markup: text escapes & < >,
// attribute values also escape both quotes. The output stays well-formed XML (polyglot
// HTML5), which is what lets the ODT writer read it back.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::render {

inline void appendEscapedText(std::string& out, std::string_view text) {
    for (const char ch : text) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += ch;
        }
    }
}

inline void appendEscapedAttribute(std::string& out, std::string_view value) {
    for (const char ch : value) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    }
}

inline std::string escapeText(std::string_view text) {
    std::string out;
    appendEscapedText(out, text);
    return out;
}

// True when the text holds a bidirectional formatting character (LRE, RLE, PDF, LRO, RLO,
// LRI, RLI, FSI, PDI, LRM, RLM, ALM) or right-to-left letters: such a value is isolated
// (<bdi>) so it cannot reorder the text around it (an amount, an IBAN).
bool needsBidiIsolation(std::string_view text);

} // namespace caseflow::render
