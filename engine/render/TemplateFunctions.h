// The XPath functions templates call to format what they show, registered in the same
// namespace as the workflow's (urn:caseflow:functions, prefix cf) so a guard and a template
// read alike. Formatting: cf:format-date, cf:format-datetime, cf:format-money,
// cf:format-number, cf:format-iban; translation: cf:t, cf:tc, cf:plural, cf:term, cf:category-name,
// cf:state-name, cf:expense-category, cf:network-name; cf:join and cf:coalesce. What must
// stay true: values are formatted and texts translated in the language being written (both
// languages in turn in a bilingual document, each formatting its own); no function lets
// an exception cross libxml2's C frames; a value that cannot be read gives "" so the
// template shows "not provided".
#pragma once

#include "render/Terms.h"

#include <libxml/xpath.h>

#include <string>

namespace caseflow::render {

// What the functions need from the render in progress, reached through the XPath
// context's userData.
class FunctionHost {
public:
    virtual ~FunctionHost() = default;
    virtual const std::string& textLanguage() const = 0;   // the language being written
    virtual const std::string& formatLanguage() const = 0; // the language dates and amounts are written in
    virtual const Terms& terms() const = 0;
    virtual xmlNode* network() const = 0; // the network settings' root, or null
};

inline constexpr const char* kSignaturePrefix = "ds";
inline constexpr const char* kSignatureNamespace = "http://www.w3.org/2000/09/xmldsig#";

// Registers the workflow's cf: functions and the template ones on a context, and binds the
// prefixes templates may use: cf, and ds for XML Signature elements.
void registerTemplateFunctions(xmlXPathContext* context);

} // namespace caseflow::render
