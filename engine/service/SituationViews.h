// The JSON a caller receives about a situation, by view (Authorisation.h). What must stay
// true (R19): the finance and committee views are built by copying named, non-clinical
// fields one by one out of the situation document (a whitelist), never by removing fields
// from the whole: a part added to the schema tomorrow stays invisible to them until someone
// decides it belongs here. Neither view carries the youth's name, birth date, municipality,
// the request's reason, minutes, care plan, expense descriptions nor any free text.
#pragma once

#include "process/FundingProcess.h"
#include "service/Authorisation.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace caseflow::service {

// One situation in a list.
Poco::JSON::Object::Ptr situationSummary(const SituationRecord& record, View view);
// One situation in full for its view; `allowedEvents` is shown in the full view only.
Poco::JSON::Object::Ptr situationDetail(const SituationRecord& record, View view,
                                        const std::vector<std::string>& allowedEvents);
// A funding request with its automatic checks, messages in `language` (finance view by construction).
Poco::JSON::Object::Ptr fundingRequestJson(const FundingRequestSummary& request, const NetworkSettings& network,
                                           const std::string& language);
// The state as a list of atomic states ("a b" -> ["a", "b"]).
Poco::JSON::Array::Ptr statesJson(const std::string& state);

} // namespace caseflow::service
