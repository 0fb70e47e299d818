// Explains an invalid document to the person who typed it, in their language. The schema
// validator (libxml2) and the model's own checks word their findings in English; the common
// cases — a value outside a list, a missing element or attribute, an element in the wrong
// place, a malformed date, boolean or amount — are recognised here and said again in fr, nl
// or en, naming the allowed values. Anything else keeps the validator's own words, so that
// nothing a user needs is ever dropped. What must stay true: each line keeps its
// "file:line: " prefix, and one finding gives one line.
#pragma once

#include "core/Errors.h"

#include <string>
#include <vector>

namespace caseflow::i18n {

// One line per finding of `invalid` (its details, else its message), in `language`.
std::vector<std::string> explainInput(const InvalidInput& invalid, const std::string& language);

// One validator line ("file:line: Element 'x': ...") in `language`.
std::string explainInputLine(const std::string& line, const std::string& language);

} // namespace caseflow::i18n
