// The handlers behind the routes (Routes.cpp). Each one parses its input, asks the
// authorisation layer, calls one use case of the process layer and writes the response; none
// holds a business rule (those are in workflows/funding.scxml and engine/process).
#pragma once

namespace caseflow::service {

class RequestContext;

// SystemEndpoints.cpp
void health(RequestContext& context);
void openApi(RequestContext& context);
void metrics(RequestContext& context);

// SituationEndpoints.cpp
void listSituations(RequestContext& context);
void registerSituation(RequestContext& context);
void getSituation(RequestContext& context);
void fireEvent(RequestContext& context);
void listEvents(RequestContext& context);
void renderDocument(RequestContext& context);
void listDue(RequestContext& context);

// SignatureEndpoints.cpp
void prepareCarePlanSignature(RequestContext& context);
void submitSignature(RequestContext& context);

// FinanceEndpoints.cpp
void listFundingRequests(RequestContext& context);
void decideFundingRequest(RequestContext& context);
void prepareDecisionSignature(RequestContext& context);
void recordPayment(RequestContext& context);
void getEnvelope(RequestContext& context);
void exportPayments(RequestContext& context);

// ProofEndpoints.cpp, AccountingEndpoints.cpp (issue 17)
void getProof(RequestContext& context);
void exportAccounting(RequestContext& context);
// PaymentRunEndpoints.cpp
void listPaymentsDue(RequestContext& context);
void findPaymentByCommunication(RequestContext& context);
void buildPaymentRunEndpoint(RequestContext& context);
void listPaymentRuns(RequestContext& context);
void getPaymentRun(RequestContext& context);
void exportPaymentRun(RequestContext& context);

// ReportEndpoints.cpp
void getCommitteeReport(RequestContext& context);

} // namespace caseflow::service
