// What the finance specifications of issue 17 share (header-only, as tests/CMakeLists builds the
// *_test.cpp files of tests/ only): situation 12 of the service fixture (KIR-26-012, fr1 of
// 1 250 EUR awaiting budget check) approved by Marie Coordinator's signature with a reason that
// is clinical text, files that are or pretend to be invoices, and base64 as a client sends it.
#pragma once

#include "service/ServiceFixture.h"

#include <Poco/Base64Encoder.h>

#include <sstream>
#include <string>

namespace caseflow::test::finance {

using namespace caseflow::test::http;

inline constexpr std::int64_t kSituation = kBudgetCheckSituation;
inline const std::string kRequestPath = "/api/v1/funding-requests/12/fr1";
// Clinical text the coordinator wrote in the decision's reasons: finance must never read it (R19).
inline const std::string kClinicalReason = "Sarah accepte enfin un espace thérapeutique après ses automutilations.";
// Clinical sentences of the situation itself (request reason, plan, expense description, justification).
inline const std::vector<std::string>& clinicalSentences() {
    static const std::vector<std::string> sentences = {
        "se coupe régulièrement depuis février",
        "Réduire les automutilations",
        "10 séances de thérapie familiale systémique",
        "Sans transport, la mère ne peut pas participer",
        "Sarah",
    };
    return sentences;
}

inline std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

// A file that starts as a PDF does: the store checks the first bytes, not the rest.
inline std::string invoicePdf(const std::string& text = "Facture F-2026-118") {
    return "%PDF-1.4\n% " + text + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}
// The first bytes of an ELF executable.
inline std::string executable() {
    return std::string("\x7f"
                       "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                       16) +
           std::string(64, '\x90');
}

inline std::string proofJson(const std::string& fileName, const std::string& bytes) {
    return R"({"fileName": )" + jsonString(fileName) + R"(, "contentBase64": ")" + base64(bytes) + R"("})";
}

// fr1 of situation 12 approved for 1 250 EUR on 2026-06-20, signed by Marie Coordinator.
inline void approveRequest(const ServiceFixture& service) {
    Response approved =
        service.approve(kSituation, "fr1",
                        R"({"outcome": "approved", "amountCents": 125000, "date": "2026-06-20", "reasons": [)" +
                            jsonString(kClinicalReason) + "]}");
    INFO(approved.body);
    REQUIRE(approved.status == 200);
}

inline Response pay(const ServiceFixture& service, const std::string& key, const std::string& body) {
    return service.post(kRequestPath + "/payments", "finance", body, {{"Idempotency-Key", key}});
}

} // namespace caseflow::test::finance
