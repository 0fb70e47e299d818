// The message extractor: every text of the documents domain, found by walking the compiled
// templates (t:i18n and t:msg texts, cf:t / cf:tc / cf:plural literals), the vocabularies
// of templates/terms.xml and the engine's own messages. It writes locales/documents.pot,
// from which translators update their catalogs (docs/translating.md). What must stay true:
// it sees exactly what the renderer will ask the catalogs for, because it reads the same
// compiled templates.
#pragma once

#include "render/Environment.h"

#include <string>
#include <vector>

namespace caseflow::render {

struct ExtractedMessage {
    std::string context; // msgctxt, "" for none
    std::string msgid;
    std::string plural;                 // msgid_plural, "" when none
    std::vector<std::string> locations; // "templates/minutes.xhtml:42"
    std::string comment;                // for translators
};

// Every message of every template of the environment (and of its fragments), the
// vocabularies and the engine's messages, each once, in order of first appearance.
// Throws TemplateError when a template does not compile.
std::vector<ExtractedMessage> extractMessages(const Environment& environment);

// The messages as a gettext template (.pot).
std::string toPot(const std::vector<ExtractedMessage>& messages);

} // namespace caseflow::render
