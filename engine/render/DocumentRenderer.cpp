// From a situation record to a document's bytes: the template's inputs ($network, $record,
// $envelope, $today...) are built here, the template renders HTML, and the HTML becomes PDF
// or ODT. What must stay true: the situation document is parsed per call (no shared mutable
// XML), the network settings are only read, the names accepted here are exactly the ones
// listed by documentNames(), formatNames() and languageParameters(), and a PDF carries only
// its document's data and signed element, never the situation (R19).
#include "render/DocumentRenderer.h"

#include "model/Date.h"
#include "model/Paths.h"
#include "model/Situation.h"
#include "process/EventPayload.h"
#include "process/GuardFacts.h"
#include "render/FinanceDocumentView.h"
#include "render/LanguageSpec.h"
#include "render/OdtWriter.h"
#include "render/PdfWriter.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"

#include <algorithm>
#include <mutex>

namespace caseflow::render {
namespace {

std::string joined(const std::vector<std::string>& values) {
    std::string list;
    for (const auto& value : values) list += (list.empty() ? "" : ", ") + value;
    return list;
}

bool listed(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

void setAttribute(xmlNode* node, const char* name, const std::string& value) {
    xmlSetProp(node, xml::x(name), xml::x(value.c_str()));
}

// $record: what the store knows about the situation besides its document.
xml::Document recordDocument(const SituationRecord& record, const Situation& situation,
                             const NetworkSettings& network) {
    xml::Document document(xmlNewDoc(xml::x("1.0")));
    xmlNode* root = xmlNewNode(nullptr, xml::x("record"));
    xmlDocSetRootElement(document.get(), root);
    if (record.id > 0) setAttribute(root, "id", std::to_string(record.id));
    if (record.version > 0) setAttribute(root, "version", std::to_string(record.version));
    if (!record.state.empty()) setAttribute(root, "state", record.state);
    std::optional<int> category = record.category;
    if (!category) {
        try {
            category = situation.category(network);
        } catch (const std::exception&) {
            // A document without an opening date has no category yet: the template shows "not provided".
        }
    }
    if (category) setAttribute(root, "category", std::to_string(*category));
    if (!record.municipality.empty()) setAttribute(root, "municipality", record.municipality);
    if (!record.registeredAt.empty()) setAttribute(root, "registeredAt", record.registeredAt);
    if (!record.updatedAt.empty()) setAttribute(root, "updatedAt", record.updatedAt);
    return document;
}

// $envelope: <envelope><after position="n" year amount committed remaining/>...</envelope>,
// one entry per budget decision of the situation.
xml::Document envelopeDocument(const SituationRecord& record, const Situation& situation,
                               const EnvelopeLedger* ledger) {
    xml::Document document(xmlNewDoc(xml::x("1.0")));
    xmlNode* root = xmlNewNode(nullptr, xml::x("envelope"));
    xmlDocSetRootElement(document.get(), root);
    if (!ledger) return document;
    xml::XPath xpath(situation.document());
    const auto decisions = xpath.nodes("/situation/budgetDecisions/budgetDecision");
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const auto figures = ledger->after(record.id, static_cast<int>(i + 1));
        if (!figures) continue;
        xmlNode* after = xmlNewChild(root, nullptr, xml::x("after"), nullptr);
        setAttribute(after, "position", std::to_string(i + 1));
        setAttribute(after, "year", std::to_string(figures->year));
        setAttribute(after, "amount", std::to_string(figures->envelope));
        setAttribute(after, "committed", std::to_string(figures->committed));
        setAttribute(after, "remaining", std::to_string(figures->remaining()));
    }
    return document;
}

// $signatures: <signatures><signature of="carePlan|budgetDecision" position status signer
// role signedAt detail/>...</signatures>, what the network's signature authority says about
// the situation's signed elements; empty when nothing verified them (no ledger given).
xml::Document signaturesDocument(const SituationRecord& record, const SignatureLedger* ledger) {
    xml::Document document(xmlNewDoc(xml::x("1.0")));
    xmlNode* root = xmlNewNode(nullptr, xml::x("signatures"));
    xmlDocSetRootElement(document.get(), root);
    const auto* entries = ledger ? ledger->of(record.id, record.version) : nullptr;
    if (!entries) return document;
    for (const auto& entry : *entries) {
        xmlNode* node = xmlNewChild(root, nullptr, xml::x("signature"), nullptr);
        const auto& verification = entry.verification;
        setAttribute(node, "of", entry.of);
        setAttribute(node, "position", std::to_string(entry.position));
        setAttribute(node, "status", signature::statusName(verification.status));
        if (!verification.signer.empty()) setAttribute(node, "signer", verification.signer);
        if (!verification.role.empty()) setAttribute(node, "role", verification.role);
        if (!verification.signedAt.empty()) setAttribute(node, "signedAt", verification.signedAt);
        if (!verification.detail.empty()) setAttribute(node, "detail", verification.detail);
        if (!entry.signedOn.empty()) setAttribute(node, "signedOn", entry.signedOn);
    }
    return document;
}

struct Prepared {
    Situation situation;
    xml::Document record;
    xml::Document envelope;
    xml::Document signatures;
    RenderInputs inputs;
};

Prepared prepare(const SituationRecord& record, const NetworkSettings& network, const RenderRequest& request,
                 const RenderContext& context) {
    Prepared prepared{Situation::fromStored(record.document), {}, {}, {}, {}};
    prepared.record = recordDocument(record, prepared.situation, network);
    prepared.envelope = envelopeDocument(record, prepared.situation, context.ledger.get());
    // The record and the envelope come from the stored situation; the page reads finance's copy.
    if (request.financeView)
        prepared.situation = Situation::fromStored(xml::serialize(financeCopy(prepared.situation.document()).get()));
    prepared.signatures = signaturesDocument(record, context.signatures.get());
    RenderInputs& inputs = prepared.inputs;
    inputs.situation = prepared.situation.document();
    inputs.language = LanguageSpec::parse(request.language);
    inputs.nodes = {{"network", xml::root(network.document())},
                    {"record", xml::root(prepared.record.get())},
                    {"envelope", xml::root(prepared.envelope.get())},
                    {"signatures", xml::root(prepared.signatures.get())}};
    inputs.strings = {{"today", Date::today().iso()}, {"document", request.document}, {"item", request.item}};
    return prepared;
}

std::string describe(const SituationRecord& record, const Situation& situation) {
    std::string reference;
    try {
        reference = situation.reference();
    } catch (const std::exception&) {
    }
    return "situation " + std::to_string(record.id) + (reference.empty() ? "" : " (" + reference + ")");
}

// The text of the first <title> of a rendered document, for the ODT's metadata.
std::string titleOf(const std::string& html) {
    const auto open = html.find("<title>");
    const auto close = html.find("</title>");
    if (open == std::string::npos || close == std::string::npos || close < open) return "";
    std::string title = html.substr(open + 7, close - open - 7);
    // The title was escaped for HTML; the ODT writer escapes again for XML.
    for (const auto& [entity, character] : {std::pair<std::string, std::string>{"&lt;", "<"},
                                            {"&gt;", ">"},
                                            {"&quot;", "\""},
                                            {"&#39;", "'"},
                                            {"&amp;", "&"}}) {
        for (auto at = title.find(entity); at != std::string::npos; at = title.find(entity, at + character.size()))
            title.replace(at, entity.size(), character);
    }
    return title;
}

// schemas/documents/NAME.xsd, loaded once per document and shared.
const xml::Schema& documentSchema(const std::string& document) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const xml::Schema>> schemas;
    std::lock_guard<std::mutex> lock(mutex);
    auto found = schemas.find(document);
    if (found == schemas.end())
        found =
            schemas.emplace(document, xml::Schema::load(schemaPath(("documents/" + document + ".xsd").c_str()))).first;
    return *found->second;
}

// What a PDF carries (R19): the document's own data, computed by its data template from the
// same inputs and subject as the page and checked against its schema, and, when the subject
// is a signed care plan or decision, that element as stored, which is as it was signed
// (never re-indented: `xmlsec1 --verify` must accept it). Never the situation.
std::vector<PdfAttachment> pdfAttachments(const Environment& environment, const CompiledTemplate& page,
                                          const Prepared& prepared, const RenderRequest& request,
                                          const std::string& reference) {
    const std::string stem = reference + "_" + request.document + (request.item.empty() ? "" : "-" + request.item);
    const std::string schemaName = "schemas/documents/" + request.document + ".xsd";
    std::string data;
    try {
        // Parsed without the template's blank lines and written indented: a file people open.
        const auto parsed =
            xml::parseString(environment.getData(request.document)->render(prepared.inputs), stem + ".xml");
        documentSchema(request.document).validate(parsed.get(), stem + ".xml");
        data = xml::serialize(parsed.get(), true);
    } catch (const InvalidInput& error) {
        // Our own template and schema disagree: a defect to fix, not something to ship.
        throw Error("the data of the " + request.document + " does not match " + schemaName + ": " + error.what());
    }
    std::vector<PdfAttachment> attachments = {
        {stem + ".xml", data, "The data this document shows, nothing more (" + schemaName + ")"}};
    xmlNode* subject = page.subjectNode(prepared.inputs);
    // Finance's copy holds no signed element (its reasons are not finance's to read, R19).
    if (!request.financeView && subject && subject->type == XML_ELEMENT_NODE && signature::signatureOf(subject))
        attachments.push_back({stem + "_signed.xml", signature::standaloneXml(subject),
                               "The " + page.subjectName() +
                                   " as signed, with its XML Signature (xmlsec1 --verify --trusted-pem NETWORK-CA)"});
    return attachments;
}

// The business date of the event that recorded the care plan as signed (its workflow step's
// "today"), which the signature's own instant (wall-clock time of signing) is not.
std::string planSignedOn(FundingProcess& process, const SituationRecord& record) {
    if (record.id <= 0) return "";
    std::string date;
    for (const auto& event : process.history(record.id)) {
        try {
            const EventPayload payload = EventPayload::parse(event.payload);
            const xmlNode* data = payload.dataElement();
            if (data && xml::name(data) == "carePlan" && signature::signatureOf(data)) date = payload.outcome.today;
        } catch (const std::exception&) {
            // An event the payload reader does not know carries no plan.
        }
    }
    return date;
}

} // namespace

const std::vector<std::string>& documentNames() {
    static const std::vector<std::string> names = {"concertation-request", "minutes",         "care-plan",
                                                   "funding-request",      "budget-decision", "payment-notice"};
    return names;
}

const std::vector<std::string>& formatNames() {
    static const std::vector<std::string> names = {"html", "pdf", "odt"};
    return names;
}

std::string contentType(const std::string& format) {
    if (format == "html") return "text/html; charset=utf-8";
    if (format == "pdf") return "application/pdf";
    if (format == "odt") return "application/vnd.oasis.opendocument.text";
    throw UsageError("unknown format '" + format + "'; formats are: " + joined(formatNames()));
}

std::string fileExtension(const std::string& format) {
    contentType(format); // refuses unknown formats
    return format;
}

void checkRequest(const RenderRequest& request) {
    if (!listed(documentNames(), request.document))
        throw UsageError("unknown document '" + request.document + "'; documents are: " + joined(documentNames()));
    if (request.financeView && !financeMayRead(request.document))
        throw UsageError("finance reads the budget-decision and the payment-notice only, not the " + request.document);
    LanguageSpec::parse(request.language);
    if (!listed(formatNames(), request.format))
        throw UsageError("unknown format '" + request.format + "'; formats are: " + joined(formatNames()));
    const bool identifier =
        request.item.size() <= 64 && std::all_of(request.item.begin(), request.item.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
        });
    if (!identifier)
        throw UsageError("'" + request.item + "' is not an item id (the id of a concertation, request or payment)");
}

std::shared_ptr<const EnvelopeLedger> EnvelopeLedger::build(const std::vector<SituationRecord>& situations,
                                                            const NetworkSettings& network) {
    auto ledger = std::make_shared<EnvelopeLedger>();
    ledger->envelopes_ = network.envelopes();
    for (const auto& record : situations) {
        const Situation situation = Situation::fromStored(record.document);
        xml::XPath xpath(situation.document());
        int position = 0;
        for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision")) {
            Approval approval;
            approval.date = xml::attribute(decision, "date").value_or("");
            const std::string request = xml::attribute(decision, "request").value_or("");
            std::string requested = approval.date;
            for (xmlNode* candidate : xpath.nodes("/situation/fundingRequests/fundingRequest"))
                if (xml::attribute(candidate, "id") == request)
                    requested = xml::attribute(candidate, "date").value_or(approval.date);
            approval.year = network.commitmentYear(requested, approval.date);
            approval.situationId = record.id;
            approval.position = ++position;
            approval.amount = parseCents(xml::attribute(decision, "amount").value_or("")).value_or(0);
            approval.approved = xml::attribute(decision, "outcome").value_or("") == "approved";
            ledger->decisions_.push_back(std::move(approval));
        }
    }
    std::sort(ledger->decisions_.begin(), ledger->decisions_.end(), [](const Approval& a, const Approval& b) {
        return std::tie(a.date, a.situationId, a.position) < std::tie(b.date, b.situationId, b.position);
    });
    return ledger;
}

std::optional<EnvelopeLedger::Figures> EnvelopeLedger::after(std::int64_t situationId, int position) const {
    const auto target = std::find_if(decisions_.begin(), decisions_.end(), [&](const Approval& approval) {
        return approval.situationId == situationId && approval.position == position;
    });
    if (target == decisions_.end()) return std::nullopt;
    if (!target->year) return std::nullopt;
    Figures figures;
    figures.year = *target->year;
    auto envelope = envelopes_.find(figures.year);
    if (envelope == envelopes_.end()) return std::nullopt;
    figures.envelope = envelope->second;
    // Each approval counts against the envelope R18's rule gives it, as the workflow's guard does.
    for (auto decision = decisions_.begin(); decision != std::next(target); ++decision)
        if (decision->approved && decision->year == figures.year) figures.committed += decision->amount;
    return figures;
}

std::shared_ptr<const SignatureLedger> SignatureLedger::build(FundingProcess& process,
                                                              const std::vector<SituationRecord>& situations) {
    auto ledger = std::make_shared<SignatureLedger>();
    const signature::TrustStore trust = process.trustStore();
    for (const auto& record : situations) {
        const Situation situation = Situation::fromStored(record.document);
        std::vector<Entry> entries;
        xml::XPath xpath(situation.document());
        const auto plans = xpath.nodes("/situation/carePlan");
        if (!plans.empty() && signature::signatureOf(plans.front()))
            entries.push_back({"carePlan", 0, verifyCarePlan(situation.document(), trust, process.network()),
                               planSignedOn(process, record)});
        int position = 0;
        for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision")) {
            ++position;
            if (signature::signatureOf(decision))
                entries.push_back({"budgetDecision", position, verifyBudgetDecision(decision, trust), ""});
        }
        ledger->entries_[{record.id, record.version}] = std::move(entries);
    }
    return ledger;
}

const std::vector<SignatureLedger::Entry>* SignatureLedger::of(std::int64_t situationId, std::int64_t version) const {
    const auto found = entries_.find({situationId, version});
    return found == entries_.end() ? nullptr : &found->second;
}

std::vector<std::string> documentItems(const SituationRecord& record, const std::string& document) {
    checkRequest({document, "fr", "html", ""});
    const Situation situation = Situation::fromStored(record.document);
    xml::XPath xpath(situation.document());
    std::vector<std::string> items;
    const auto ids = [&](const char* expression) {
        for (xmlNode* id : xpath.nodes(expression)) items.push_back(xml::text(id));
    };
    if (document == "minutes")
        ids("/situation/concertations/concertation/@id");
    else if (document == "funding-request")
        ids("/situation/fundingRequests/fundingRequest/@id");
    else if (document == "payment-notice")
        ids("/situation/payments/payment/@id");
    else if (document == "budget-decision") {
        // Decisions have no id of their own: the request they decide and their position,
        // which the template's subject reads back (several decisions may share a request).
        int position = 0;
        for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision"))
            items.push_back(xml::attribute(decision, "request").value_or("") + "-d" + std::to_string(++position));
    } else
        items.push_back("");
    return items;
}

std::string DocumentRenderer::render(const SituationRecord& record, const NetworkSettings& network,
                                     const RenderRequest& request, const RenderContext& context) const {
    checkRequest(request);
    const auto compiled = environment_.get(request.document);
    Prepared prepared = prepare(record, network, request, context);
    std::string html;
    try {
        html = compiled->render(prepared.inputs);
    } catch (const NotApplicable& error) {
        throw NotApplicable(describe(record, prepared.situation) + ": no " + request.document + " to render, " +
                            error.what());
    }
    if (request.format == "html") return html;
    if (request.format == "odt") {
        OdtMetadata metadata;
        metadata.title = titleOf(html);
        metadata.language = prepared.inputs.language.first();
        metadata.modified = record.updatedAt;
        return htmlToOdt(html, metadata);
    }
    std::string reference = "situation";
    try {
        reference = prepared.situation.reference();
    } catch (const std::exception&) {
    }
    return htmlToPdf(html, pdfAttachments(environment_, *compiled, prepared, request, reference));
}

bool DocumentRenderer::applies(const SituationRecord& record, const NetworkSettings& network,
                               const std::string& document, const std::string& item) const {
    RenderRequest request{document, "fr", "html", item};
    checkRequest(request);
    const auto compiled = environment_.get(document);
    Prepared prepared = prepare(record, network, request, {});
    return compiled->applies(prepared.inputs);
}

std::string renderDocument(const SituationRecord& record, const NetworkSettings& network, const RenderRequest& request,
                           const RenderContext& context) {
    return DocumentRenderer().render(record, network, request, context);
}

RenderContext renderContext(FundingProcess& process, const SituationRecord& record, const RenderRequest& request) {
    RenderContext context;
    if (request.document == "budget-decision")
        context.ledger = EnvelopeLedger::build(process.situations(), process.network());
    context.signatures = SignatureLedger::build(process, {record});
    return context;
}

std::string renderDocument(FundingProcess& process, const SituationRecord& record, const RenderRequest& request) {
    checkRequest(request);
    return DocumentRenderer().render(record, process.network(), request, renderContext(process, record, request));
}

std::string renderDocument(FundingProcess& process, std::int64_t situationId, const RenderRequest& request) {
    checkRequest(request);
    return renderDocument(process, process.situation(situationId), request);
}

std::string documentFileName(const SituationRecord& record, const RenderRequest& request) {
    std::string reference = "situation-" + std::to_string(record.id);
    try {
        reference = Situation::fromStored(record.document).reference();
    } catch (const std::exception&) {
    }
    return reference + "_" + request.document + (request.item.empty() ? "" : "-" + request.item) + "_" +
           request.language + "." + fileExtension(request.format);
}

} // namespace caseflow::render
