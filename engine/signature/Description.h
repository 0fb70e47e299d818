// What documents show about signatures (issue 6, point 5): for every signed element of a
// situation document (the care plan, each budget decision), who signed it, in which role,
// when (UTC and Europe/Brussels), with which certificate, and whether the signature is valid
// for the content as it stands now. Templates call `describe` (or bind `describeAsXml` as an
// XPath variable); the PDF/A attaches `signedXml` of each element.
#pragma once

#include "model/NetworkSettings.h"
#include "model/Xml.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::signature {

class TrustStore;

struct SignatureDescription {
    std::string element;                          // "carePlan" or "budgetDecision"
    std::string request;                          // for a decision: the funding request it decides on
    std::string outcome;                          // for a decision: approved, returned, rejected
    std::string signer;                           // the certificate's common name, e.g. "Dr Hélène Marchal"
    std::string role;                             // "pedopsychiatrist" or "coordinator"
    std::string signedAt;                         // ISO 8601 UTC, as signed: "2026-02-04T09:12:00Z"
    std::string signedAtBrussels;                 // the same instant in Europe/Brussels: "2026-02-04T10:12:00+01:00"
    std::string fingerprint;                      // SHA-256 of the signer's certificate, "AB:CD:..." (64 pairs)
    std::optional<std::int64_t> situationVersion; // the version the signature was made from
    bool validForCurrentContent = false;
    std::string status;    // "valid", "altered", "revoked"... (see statusName)
    std::string detail;    // why not valid, in English; "" when valid
    std::string signedXml; // the signed element, standalone: the file to attach to a PDF/A
};

// Every signed element of `situationDocument`, in document order (care plan first). With
// `network`, the care plan's signer is also checked against the pedopsychiatrist it names.
std::vector<SignatureDescription> describe(const xmlDoc* situationDocument, const TrustStore& trust,
                                           const NetworkSettings* network = nullptr);

// The same as a small document for templates:
//   <signatures>
//     <signature element="carePlan" signer="..." role="pedopsychiatrist" signedAt="..."
//                signedAtBrussels="..." fingerprint="AB:..." situationVersion="7" valid="true"
//                status="valid" detail=""/>
//     <signature element="budgetDecision" request="fr1" outcome="approved" .../>
//   </signatures>
xml::Document describeAsXml(const xmlDoc* situationDocument, const TrustStore& trust,
                            const NetworkSettings* network = nullptr);

// An instant "YYYY-MM-DDTHH:MM:SSZ" shown in Europe/Brussels with its offset; "" if malformed.
std::string brusselsTime(const std::string& utcIso);

} // namespace caseflow::signature
