// The words the pages show for the workflow's events, the documents and the roles: English
// msgids of the `web` gettext domain, so locales/*/web.po translates them. What must stay true:
// every event of workflows/funding.scxml, every document and every role has a label here (an
// unknown one is shown as its id rather than hidden).
#pragma once

#include <string>

namespace caseflow::web {

std::string eventLabel(const std::string& event, const std::string& language);
std::string documentLabel(const std::string& document, const std::string& language);
std::string roleLabel(const std::string& role, const std::string& language);
// What a read-log row says was read ("document:care-plan" -> "Document: Care plan"), in words.
std::string readLabel(const std::string& what, const std::string& language);

} // namespace caseflow::web
