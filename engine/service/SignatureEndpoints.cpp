// Signatures over HTTP (issue 6, the split flow of docs/signatures.md): the server hands out
// the exact document to sign, the signer signs it on their own machine (`caseflow sign-file`
// or `xmlsec1 --sign`), and sends it back. The server never sees a private key. What must
// stay true: a signed document is recorded only through SigningDesk::submit, which
// verifies it and lets the workflow's rules (R11 for the care plan, R16 for decisions) judge;
// the actor is the caller, the signer is whoever the certificate names.
#include "service/Endpoints.h"
#include "service/EventFiring.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/RequestContext.h"
#include "service/SignatureViews.h"
#include "service/SituationViews.h"

#include "xml/Xml.h"

namespace caseflow::service {

signature::KeyType keyTypeParameter(const RequestContext& context) {
    const auto value = context.queryValue("keyType").value_or("ecdsa");
    if (value == "ecdsa") return signature::KeyType::Ecdsa;
    if (value == "rsa") return signature::KeyType::Rsa;
    throw ProblemException(
        Problem(ProblemKind::BadRequest, "keyType must be ecdsa or rsa.").extension("field", "keyType"));
}

void sendDocumentToSign(RequestContext& context, const DocumentToSign& document) {
    auto json = Poco::makeShared<Poco::JSON::Object>(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("situationId", document.situationId);
    json->set("situationVersion", document.situationVersion);
    json->set("part", document.part);
    json->set("event", document.event);
    json->set("signedAt", document.signedAt);
    json->set("document", document.xml);
    context.response.set("ETag", etagOf(document.situationVersion));
    context.sendJson(200, json);
}

void prepareCarePlanSignature(RequestContext& context) {
    const auto id = context.situationIdParam();
    requireSituation(context.caller(), Operation::PrepareCarePlanSignature, id);
    const auto keyType = keyTypeParameter(context);
    SigningDesk desk(context.process());
    const auto document = desk.preparePlan(id, keyType);
    // The plan holds clinical text: no answer without its read record.
    context.state.readLog.record(context.caller(), {id}, "document-to-sign:care-plan");
    sendDocumentToSign(context, document);
}

void submitSignature(RequestContext& context) {
    const auto id = context.situationIdParam();
    requireSituation(context.caller(), Operation::SubmitSignature, id);
    const std::string type = context.contentType();
    if (type != "application/xml" && type != "text/xml")
        throw ProblemException(Problem(ProblemKind::UnsupportedMediaType,
                                       "Send the signed document as application/xml, exactly as it was signed."));
    if (!isValidUtf8(context.body))
        throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
    const auto document = xml::parseString(context.body, "signed document");
    xmlNode* root = xml::root(document.get());
    FireRequest request;
    request.situationId = id;
    const std::string part = xml::name(root);
    if (part == "carePlan")
        request.event = "plan.signed";
    else if (part == "budgetDecision")
        request.event = "budget." + xml::attribute(root, "outcome").value_or("");
    else
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "A signed document is a carePlan or a budgetDecision."));
    request.expectedVersion = context.ifMatchVersion();
    request.expectedFromIfMatch = request.expectedVersion.has_value();
    context.process().situation(id); // 404 before anything is judged
    const auto result = submitSignedForCaller(context, request, context.body);
    context.response.set("ETag", etagOf(result.version));
    context.sendJson(200, fireResultJson(result));
}

} // namespace caseflow::service
