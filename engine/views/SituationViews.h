// The JSON a caller receives about a situation, by view (process/Authorisation.h), shared by
// both front ends: the HTTP service answers with these objects and the command line prints
// them. What must stay true (R19): the finance and committee views are built by copying
// named, non-clinical fields one by one out of the situation document (a whitelist), never by
// removing fields from the whole: a part added to the schema tomorrow stays invisible to them
// until someone decides it belongs here. Neither view carries the youth's name, birth date,
// municipality, the request's reason, minutes, care plan, expense descriptions nor any free
// text. Key order is part of the answer (objects preserve insertion order).
#pragma once

#include "process/Authorisation.h"
#include "process/FundingProcess.h"
#include "workflow/StateSet.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace caseflow::views {

// One situation in a list.
Poco::JSON::Object::Ptr situationSummary(const SituationRecord& record, View view);
// One situation in full for its view; `allowedEvents` is shown in the full view only.
Poco::JSON::Object::Ptr situationDetail(const SituationRecord& record, View view,
                                        const std::vector<std::string>& allowedEvents);
// The state as a list of atomic states ("a b" -> ["a", "b"]).
Poco::JSON::Array::Ptr statesJson(const workflow::StateSet& states);
// An empty object that keeps its keys in insertion order, as every view does.
Poco::JSON::Object::Ptr object();
// The youth's identity facts a caseload shows (issue 13), added to a situation's JSON in the
// full view only (R19: finance and the committee see neither): "redirection" (reason, date,
// to) when the youth was redirected, and "attention", R2's transition ages the youth is at on
// `on` (["age-18"]; NetworkSettings::attentionFlags).
void addIdentityFacts(Poco::JSON::Object& json, const SituationRecord& record, View view,
                      const NetworkSettings& network, const Date& on);
// An accepted event: situation id, version, state, finished, deadlines.
Poco::JSON::Object::Ptr fireResultJson(const FireResult& result);
// R18's under-spending figure of an envelope (CLI `envelope --json`, GET /envelopes/{year}):
// the shares in tenths of a percent, the warning flag and threshold, and both lines in `language`.
Poco::JSON::Object::Ptr underSpendingJson(const UnderSpendingFigure& figure, const std::string& language);

} // namespace caseflow::views
