// The XPath extension functions that workflow guards and templates may call, in the namespace
// `urn:caseflow:functions` bound to the prefix `cf` (cf:age, cf:months-between, cf:today,
// cf:add-months, cf:more-than-months, cf:add-days, cf:sum-cents, cf:valid-iban, cf:date, cf:is-true, cf:is-false). What
// must stay true: no argument, however malformed, makes a function crash or throw through libxml2's C frames; bad dates
// give NaN, false or the empty string, so a guard that reads them is simply false. Date semantics are caseflow::Date's
// (model/Date.h), so guards, templates and the model agree.
#pragma once

#include <libxml/xpath.h>

#include <optional>
#include <string>

namespace caseflow::workflow {

inline constexpr const char* kFunctionsNamespace = "urn:caseflow:functions";
inline constexpr const char* kFunctionsPrefix = "cf";

// Binds the prefixes expressions may use (`cf` -> urn:caseflow:functions). Idempotent.
void registerNamespaces(xmlXPathContext* context);

// Registers the namespaces and every cf: function. A function the caller registered before
// under the same name is kept (libxml2 refuses to overwrite), so tests may substitute one.
void registerCaseflowFunctions(xmlXPathContext* context);

// The period comparisons (PeriodFunctions.cpp): cf:more-than-months. Called by the above.
void registerPeriodFunctions(xmlXPathContext* context);

// An IBAN without its spaces, in capitals; nullopt when it holds anything but letters, digits
// and spaces. Validation and display both start from this form.
std::optional<std::string> compactIban(const std::string& iban);

// mod-97 check of an IBAN (ISO 13616), spaces allowed between groups, letters in any case.
bool isValidIban(const std::string& iban);

} // namespace caseflow::workflow
