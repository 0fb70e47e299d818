// The route table and its matcher (see Routes.h).
#include "service/Routes.h"

#include "service/Endpoints.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace caseflow::service {
namespace {

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 1; // paths start with '/'
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        segments.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

} // namespace

const std::vector<Route>& routes() {
    static const std::vector<Route> table = {
        {"GET", "/health", Operation::Health, {}, health},
        {"GET", "/metrics", Operation::Metrics, {}, metrics},
        {"GET", "/api/v1/openapi.json", Operation::OpenApi, {}, openApi},
        {"GET",
         "/api/v1/situations",
         Operation::ListSituations,
         {"state", "municipality", "caseManager", "limit", "cursor", "count"},
         listSituations},
        {"POST", "/api/v1/situations", Operation::RegisterSituation, {}, registerSituation},
        {"GET", "/api/v1/situations/{id}", Operation::ReadSituation, {}, getSituation},
        {"GET", "/api/v1/situations/{id}/events", Operation::ReadHistory, {}, listEvents},
        {"POST", "/api/v1/situations/{id}/events", Operation::FireEvent, {}, fireEvent},
        {"GET",
         "/api/v1/situations/{id}/documents/{document}",
         Operation::RenderDocument,
         {"lang", "format"},
         renderDocument},
        {"GET",
         "/api/v1/situations/{id}/care-plan/document-to-sign",
         Operation::PrepareCarePlanSignature,
         {"keyType"},
         prepareCarePlanSignature},
        {"POST", "/api/v1/situations/{id}/signatures", Operation::SubmitSignature, {}, submitSignature},
        {"GET", "/api/v1/due", Operation::ListDue, {"at", "overdue", "limit", "cursor"}, listDue},
        {"GET", "/api/v1/funding-requests", Operation::ListFundingRequests, {"state"}, listFundingRequests},
        {"POST",
         "/api/v1/funding-requests/{situationId}/{requestId}/decision",
         Operation::DecideFundingRequest,
         {},
         decideFundingRequest},
        {"POST",
         "/api/v1/funding-requests/{situationId}/{requestId}/decision/document-to-sign",
         Operation::PrepareDecisionSignature,
         {"keyType"},
         prepareDecisionSignature},
        {"POST",
         "/api/v1/funding-requests/{situationId}/{requestId}/payments",
         Operation::RecordPayment,
         {},
         recordPayment},
        {"GET", "/api/v1/envelopes/{year}", Operation::ReadEnvelope, {}, getEnvelope},
        {"GET", "/api/v1/payments.csv", Operation::ExportPayments, {"year"}, exportPayments},
        {"GET", "/api/v1/proofs/{sha256}", Operation::ReadProof, {}, getProof},
        {"GET", "/api/v1/payments/accounting.csv", Operation::ExportAccounting, {"year"}, exportAccounting},
        {"GET", "/api/v1/payments/due", Operation::ListPaymentsDue, {}, listPaymentsDue},
        {"GET", "/api/v1/payments", Operation::FindPayment, {"communication"}, findPaymentByCommunication},
        {"GET", "/api/v1/payment-runs", Operation::ListPaymentRuns, {}, listPaymentRuns},
        {"POST", "/api/v1/payment-runs", Operation::BuildPaymentRun, {}, buildPaymentRunEndpoint},
        {"GET", "/api/v1/payment-runs/{runId}", Operation::ReadPaymentRun, {}, getPaymentRun},
        {"GET", "/api/v1/payment-runs/{runId}/pain.001.xml", Operation::ExportPaymentRun, {}, exportPaymentRun},
        {"GET",
         "/api/v1/reports/committee",
         Operation::ReadCommitteeReport,
         {"year", "format", "lang"},
         getCommitteeReport},
    };
    return table;
}

RouteMatch matchRoute(std::string_view method, std::string_view path) {
    RouteMatch match;
    if (path.empty() || path.front() != '/') return match;
    const auto segments = split(path);
    for (const Route& route : routes()) {
        const auto pattern = split(route.path);
        if (pattern.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool matches = true;
        for (std::size_t i = 0; i < pattern.size() && matches; ++i) {
            const std::string& expected = pattern[i];
            if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
                std::string decoded;
                try {
                    Poco::URI::decode(segments[i], decoded);
                } catch (const Poco::Exception&) {
                    match.badEncoding = true;
                    return match;
                }
                if (decoded.empty() || decoded.find('\0') != std::string::npos) {
                    matches = false;
                    if (!decoded.empty()) match.badEncoding = true;
                    break;
                }
                params[expected.substr(1, expected.size() - 2)] = decoded;
            } else if (expected != segments[i]) {
                matches = false;
            }
        }
        if (!matches) continue;
        if (route.method == method) {
            match.route = &route;
            match.params = std::move(params);
            match.allowedMethods.clear();
            return match;
        }
        match.allowedMethods.push_back(route.method);
    }
    return match;
}

} // namespace caseflow::service
