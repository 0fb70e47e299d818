// Escaping for the HTML the renderer writes. What must stay true: every character of data
// goes through one of these functions, so data can never become markup: text escapes & < >,
// attribute values also escape both quotes. The output stays well-formed XML (polyglot
// HTML5), which is what lets the ODT writer read it back.
#pragma once

#include "xml/Xml.h"

#include <string>
#include <string_view>

namespace caseflow::render {

inline void appendEscapedText(std::string& out, std::string_view text) {
    xml::appendEscaped(out, text, false);
}

inline void appendEscapedAttribute(std::string& out, std::string_view value) {
    // Single quotes too, for attributes a template writes between single quotes.
    for (std::size_t quote = value.find('\''); quote != std::string_view::npos; quote = value.find('\'')) {
        xml::appendEscaped(out, value.substr(0, quote));
        out += "&#39;";
        value.remove_prefix(quote + 1);
    }
    xml::appendEscaped(out, value);
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
