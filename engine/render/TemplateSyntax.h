// The template language's fixed vocabulary: namespaces, the variables every template may
// read, and the XPath functions whose result depends on the language being written. See
// docs/templates.md for the reference; this header is the single source the compiler, the
// renderer and the message extractor share.
#pragma once

#include <string>
#include <vector>

namespace caseflow::render {

inline constexpr const char* kTemplateNamespace = "urn:caseflow:template:1";
inline constexpr const char* kXhtmlNamespace = "http://www.w3.org/1999/xhtml";
// The namespace of a document's own data (templates/data/NAME.xml, schemas/documents/NAME.xsd):
// what a PDF carries instead of the situation.
inline constexpr const char* kDocumentDataNamespace = "urn:caseflow:document:1";

// A page template (templates/NAME.xhtml) writes HTML for people; a data template
// (templates/data/NAME.xml) writes the XML of exactly the values its page shows.
enum class TemplateKind { Page, Data };

// Variables bound in every render: $situation (the root), $network, $record, $envelope,
// $signatures, $subject, $today, $document, $item, $lang. Loops add $index, $first, $last, $count and
// their t:as name; t:let-NAME adds NAME.
const std::vector<std::string>& globalVariables();
const std::vector<std::string>& loopVariables();

// cf: functions whose result is translated text: in a bilingual document an expression that
// calls one (or reads $lang) is evaluated once per language.
const std::vector<std::string>& translatingFunctions();

// cf: functions that format a value the way a language writes it (dates, instants, amounts,
// numbers): on a page, in a bilingual document, an expression that calls one is evaluated once
// per language too, so the French block reads "1er avril 2026" and the Dutch one "1 april 2026".
// A data template may call them (it writes one language-neutral value per element anyway).
const std::vector<std::string>& formattingFunctions();

// HTML elements that never have content and are written as <br />.
bool isVoidElement(const std::string& name);

} // namespace caseflow::render
