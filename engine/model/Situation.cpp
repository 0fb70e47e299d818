// The situation document and its projection rules. What must stay true: every document
// held by a Situation matches the schema once `validate` has passed, and `apply` never
// reorders or drops parts it was not asked to replace.
#include "model/Situation.h"

#include "core/Errors.h"
#include "model/Money.h"
#include "model/Paths.h"
#include "model/XsBoolean.h"

#include <libxml/dict.h>

#include <algorithm>
#include <cstring>

namespace caseflow {
namespace {

const xml::Schema& situationSchema() {
    static const auto schema = xml::Schema::load(schemaPath("situation.xsd"));
    return *schema;
}

struct PartRule {
    const char* element;
    const char* container; // nullptr for single parts
};

// Top-level order of situation.xsd; the two first entries are never replaced by events.
const PartRule kParts[] = {
    {"youth", nullptr},
    {"emergency", nullptr},
    {"redirection", nullptr},
    {"correction", "corrections"},
    {"consent", "consents"},
    {"partner", "partners"},
    {"request", nullptr},
    {"concertation", "concertations"},
    {"carePlan", nullptr},
    {"financialNeed", nullptr},
    {"fundingRequest", "fundingRequests"},
    {"budgetDecision", "budgetDecisions"},
    {"payment", "payments"},
    {"fundingClosure", "fundingClosures"},
    {"review", "reviews"},
    {"closure", nullptr},
};

const PartRule* ruleFor(const std::string& element) {
    for (const PartRule& rule : kParts)
        if (element == rule.element) return &rule;
    return nullptr;
}

int partIndex(const std::string& topLevelName) {
    for (size_t i = 0; i < std::size(kParts); ++i) {
        const char* name = kParts[i].container ? kParts[i].container : kParts[i].element;
        if (topLevelName == name) return static_cast<int>(i);
    }
    return -1;
}

std::string requiredText(xmlDoc* doc, const char* path) {
    xmlNode* node = xml::root(doc);
    for (const char* step : {"youth", path}) node = xml::firstChild(node, step);
    return xml::text(node);
}

// The youth's fields in schema order (situation.xsd's <youth>).
const char* const kYouthFields[] = {"reference",   "givenName",  "familyName",   "birthDate",
                                    "environment", "postalCode", "municipality", "language"};

// A correction's fields (issue 13) become the youth's current values: each replaces the
// youth's field of that name, or is inserted where the schema puts it.
void correctYouth(xmlNode* situation, const xmlNode* correction) {
    xmlNode* youth = xml::firstChild(situation, "youth");
    const auto order = [](const std::string& name) {
        const auto found = std::find(std::begin(kYouthFields), std::end(kYouthFields), name);
        return found == std::end(kYouthFields) ? -1 : static_cast<int>(found - std::begin(kYouthFields));
    };
    for (xmlNode* field : xml::children(const_cast<xmlNode*>(correction))) {
        const std::string name = xml::name(field);
        const int index = order(name);
        if (index < 0 || name == "reference") continue; // the reason stays with the correction
        xmlNode* copied = xmlDocCopyNode(field, youth->doc, 1);
        if (xmlNode* previous = xml::firstChild(youth, name.c_str())) {
            xmlReplaceNode(previous, copied);
            xmlFreeNode(previous);
            continue;
        }
        xmlNode* after = nullptr;
        for (xmlNode* child : xml::children(youth))
            if (!after && order(xml::name(child)) > index) after = child;
        if (after)
            xmlAddPrevSibling(after, copied);
        else
            xmlAddChild(youth, copied);
    }
}

// Inserts `node` as a top-level child of the situation at the place the schema expects.
void insertInOrder(xmlNode* situation, xmlNode* node) {
    const int index = partIndex(xml::name(node));
    for (xmlNode* child : xml::children(situation)) {
        if (partIndex(xml::name(child)) > index) {
            xmlAddPrevSibling(child, node);
            return;
        }
    }
    xmlAddChild(situation, node);
}

// Every amount (the schema's cents) must be written canonically before the schema sees it:
// the schema's integer types would accept "+100", "0100" or " 100", which the guards' exact
// arithmetic cannot read, so the refusal would come later and for the wrong reason.
void checkCanonicalCents(xmlNode* node, const std::string& name) {
    for (xmlNode* current = node; current; current = current->next) {
        if (current->type != XML_ELEMENT_NODE) continue;
        if (const auto amount = xml::attribute(current, "amount"); amount && !isCanonicalCents(*amount)) {
            throw InvalidInput(name + ":" + std::to_string(xml::line(current)) + ": amount \"" + *amount + "\" of <" +
                               xml::name(current) +
                               "> is not canonical cents: a non-negative whole number of cents in digits only, "
                               "without sign, leading zero, spaces, decimals or exponent (12500 for 125.00 EUR)");
        }
        checkCanonicalCents(current->children, name);
    }
}

} // namespace

const std::vector<std::string>& situationPartOrder() {
    static const std::vector<std::string> order = [] {
        std::vector<std::string> names;
        for (const PartRule& rule : kParts) names.emplace_back(rule.element);
        return names;
    }();
    return order;
}

PartKind eventPartKind(const std::string& element) {
    const PartRule* rule = ruleFor(element);
    if (!rule || element == "youth" || element == "emergency") return PartKind::None;
    return rule->container ? PartKind::ListMember : PartKind::Single;
}

Situation Situation::parse(std::string_view xmlText, const std::string& name) {
    Situation situation(xml::parseString(xmlText, name));
    // The schema declares some of a situation's parts globally, so one of them alone validates.
    if (const std::string root = xml::name(xml::root(situation.document())); root != "situation")
        throw InvalidInput(name + ": the root element is <" + root + ">, a situation's is <situation>");
    checkCanonicalCents(xml::root(situation.document()), name);
    situation.validate(name);
    return situation;
}

Situation Situation::fromStored(std::string_view xmlText) {
    return Situation(xml::parseString(xmlText, "stored situation"));
}

Situation Situation::copy() const {
    const xmlDoc* original = document_.get();
    // xmlCopyDoc gives the copy no dictionary, so it duplicates every name and frees each one
    // again: that was slower than parsing the text. A situation has no DTD, entities or
    // document-level namespaces to carry; any other document is copied the general way.
    if (!original->dict || original->type != XML_DOCUMENT_NODE || original->intSubset || original->extSubset ||
        original->oldNs)
        return Situation(xml::copy(original));
    xml::Document copied(xmlNewDoc(original->version));
    if (!copied) throw Error("out of memory copying a situation");
    xmlDoc* doc = copied.get();
    doc->dict = original->dict;
    xmlDictReference(doc->dict);
    if (original->encoding) doc->encoding = xmlStrdup(original->encoding);
    if (original->URL) doc->URL = xmlStrdup(original->URL);
    if (original->name) doc->name = static_cast<char*>(xmlMemStrdup(original->name));
    doc->standalone = original->standalone;
    doc->charset = original->charset;
    doc->compression = original->compression;
    if (original->children) {
        xmlNode* nodes = xmlDocCopyNodeList(doc, original->children);
        if (!nodes) throw Error("out of memory copying a situation");
        doc->children = nodes;
        for (xmlNode* node = nodes; node; node = node->next) {
            node->parent = reinterpret_cast<xmlNode*>(doc);
            doc->last = node;
        }
    }
    return Situation(std::move(copied));
}

void Situation::validate(const std::string& name) const {
    situationSchema().validate(document_.get(), name);
}

void Situation::validatePlaced(const xmlNode* placed, bool partAsValidated, const std::string& name) const {
    if (!placed || xml::name(placed) == "correction") return validate(name);
    if (!partAsValidated) situationSchema().validateElement(placed, name);
}

std::optional<std::int64_t> Situation::id() const {
    auto value = xml::attribute(xml::root(document_.get()), "id");
    if (!value) return std::nullopt;
    return std::stoll(*value);
}

void Situation::setId(std::int64_t id) {
    xmlSetProp(xml::root(document_.get()), xml::x("id"), xml::x(std::to_string(id).c_str()));
}

std::string Situation::reference() const {
    return requiredText(document_.get(), "reference");
}

Date Situation::birthDate() const {
    return Date::parseOrThrow(requiredText(document_.get(), "birthDate"), "youth birth date");
}

LivingEnvironment Situation::environment() const {
    return requiredText(document_.get(), "environment") == "institution" ? LivingEnvironment::Institution
                                                                         : LivingEnvironment::Family;
}

std::string Situation::municipality() const {
    return requiredText(document_.get(), "municipality");
}

std::string Situation::postalCode() const {
    // Documents stored before postal codes existed have none: "" is in no territory.
    return requiredText(document_.get(), "postalCode");
}

bool Situation::emergency() const {
    const std::string flag = xml::text(xml::firstChild(xml::root(document_.get()), "emergency"));
    return isXsTrue(flag);
}

std::optional<Date> Situation::openedOn() const {
    auto value = xml::attribute(xml::root(document_.get()), "openedOn");
    if (!value) return std::nullopt;
    return Date::parse(*value);
}

void Situation::setOpenedOn(const Date& date) {
    xmlSetProp(xml::root(document_.get()), xml::x("openedOn"), xml::x(date.iso().c_str()));
}

std::optional<int> Situation::category(const NetworkSettings& network) const {
    const auto opened = openedOn();
    if (!opened) return std::nullopt;
    return network.category(birthDate(), environment(), *opened);
}

xmlNode* Situation::apply(const xmlNode* data) {
    const std::string element = xml::name(data);
    const PartRule* rule = ruleFor(element);
    if (!rule || element == "youth" || element == "emergency")
        throw UsageError("an event cannot carry a <" + element + "> element");
    xmlNode* situation = xml::root(document_.get());
    xmlNode* copied = xmlDocCopyNode(const_cast<xmlNode*>(data), document_.get(), 1);
    if (!rule->container) {
        if (xmlNode* previous = xml::firstChild(situation, element.c_str())) {
            xmlReplaceNode(previous, copied);
            xmlFreeNode(previous);
        } else {
            insertInOrder(situation, copied);
        }
        return copied;
    }
    xmlNode* container = xml::firstChild(situation, rule->container);
    if (!container) {
        container = xmlNewDocNode(document_.get(), nullptr, xml::x(rule->container), nullptr);
        insertInOrder(situation, container);
    }
    if (const auto id = xml::attribute(data, "id")) {
        for (xmlNode* member : xml::children(container, element.c_str())) {
            if (xml::attribute(member, "id") == id) {
                xmlReplaceNode(member, copied);
                xmlFreeNode(member);
                return copied;
            }
        }
    }
    xmlAddChild(container, copied);
    if (element == "correction") correctYouth(situation, copied);
    return copied;
}

std::string Situation::toXml(bool pretty) const {
    return xml::serialize(document_.get(), pretty);
}

xml::Document parseEventData(std::string_view xmlText, const std::string& name) {
    auto doc = xml::parseString(xmlText, name);
    // Every part is a global element of situation.xsd, so the same schema validates it in
    // isolation; only the parts an event may carry are accepted as roots.
    const std::string element = xml::name(xml::root(doc.get()));
    const PartRule* rule = ruleFor(element);
    if (!rule || element == "youth" || element == "emergency") {
        std::string allowed;
        for (const PartRule& part : kParts)
            if (std::string_view(part.element) != "youth" && std::string_view(part.element) != "emergency")
                allowed += std::string(allowed.empty() ? "" : ", ") + part.element;
        throw InvalidInput(name + ":" + std::to_string(xml::line(xml::root(doc.get()))) + ": <" + element +
                           "> cannot be the data of an event; expected one of: " + allowed);
    }
    checkCanonicalCents(xml::root(doc.get()), name);
    situationSchema().validate(doc.get(), name);
    return doc;
}

} // namespace caseflow
