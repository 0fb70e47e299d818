// The situation as finance may read it in a document (R19, issue 17): the budget decision and
// the payment notice rendered for finance from a copy that holds only named, non-clinical
// parts of the situation. What must stay true: the copy is built by copying named elements and
// attributes into an empty document (a whitelist), never by deleting from the whole, so a part
// added to the schema tomorrow stays out of finance's documents until someone adds it here; no
// free text of the care reaches it (the youth's identity, the request's reason, concertations,
// the care plan's content, expense descriptions, the request's justification, the decision's
// reasons); the facts the documents' checks read (the plan is validated, its action ids, the
// designated case manager) are carried as facts, not as the texts they come from.
#pragma once

#include "xml/Xml.h"

#include <string>

namespace caseflow::render {

// Documents finance may read (budget-decision, payment-notice).
bool financeMayRead(const std::string& document);
// The finance copy of `situation` (a situation document as stored).
xml::Document financeCopy(const xmlDoc* situation);

} // namespace caseflow::render
