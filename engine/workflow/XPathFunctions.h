// The XPath extension functions that workflow guards and templates may call, in the namespace
// `urn:caseflow:functions` bound to the prefix `cf` (cf:age, cf:months-between, cf:today,
// cf:add-months, cf:more-than-months, cf:add-days, cf:sum-cents, cf:valid-iban (model/BankAccount.h: ISO 13616 with the
// country lengths), cf:date, cf:is-true, cf:is-false). What must stay true: no argument, however malformed, makes a
// function crash or throw through libxml2's C frames; bad dates give NaN, false or the empty string, so a guard that
// reads them is simply false. Date semantics are caseflow::Date's (model/Date.h), so guards, templates and the model
// agree.
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

} // namespace caseflow::workflow
