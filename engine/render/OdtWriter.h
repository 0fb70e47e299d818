// ODT (OpenDocument Text, ISO/IEC 26300) from a rendered document, built by our own code:
// the XHTML the templates produce is read back and mapped to real ODF structure (headings
// with outline levels, paragraphs, tables with header rows, lists), so LibreOffice and Word
// open it as an editable document, not as a picture of one. What must stay true: the
// package's first entry is `mimetype`, stored uncompressed, as ODF requires; every text
// goes through XML escaping; the running header and footer carry the network, the
// document reference and version, and "page N / M".
#pragma once

#include <string>

namespace caseflow::render {

struct OdtMetadata {
    std::string title;    // dc:title
    std::string language; // "fr" or "nl": the document's default language
    std::string modified; // UTC instant (the situation's last update); "" for now
};

// `html` is a document rendered by a template (polyglot HTML5). Throws InvalidInput when it
// is not well-formed.
std::string htmlToOdt(const std::string& html, const OdtMetadata& metadata);

} // namespace caseflow::render
