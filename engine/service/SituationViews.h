// The JSON a caller receives about a situation, by view: the role views shared with the
// command line (views/SituationViews.h), and the service's own funding-request view, whose
// check messages are in the caller's language. What must stay true (R19): the funding-request
// view is finance's by construction, built from the finance summary (no clinical text).
#pragma once

#include "process/FundingProcess.h"
#include "service/Authorisation.h"
#include "views/SituationViews.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace caseflow::service {

using views::fireResultJson;
using views::situationDetail;
using views::situationSummary;
using views::statesJson;

// A funding request with its automatic checks, messages in `language` (finance view by construction).
Poco::JSON::Object::Ptr fundingRequestJson(const FundingRequestSummary& request, const NetworkSettings& network,
                                           const std::string& language);

} // namespace caseflow::service
