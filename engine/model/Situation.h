// One youth's situation as an XML document (schemas/situation.xsd). The document is the
// projection of the situation's events: registration gives the first version, and each
// event's data element is put in place by `apply`. The category (R2) is derived here,
// never stored in the document.
#pragma once

#include "model/Date.h"
#include "model/NetworkSettings.h"
#include "xml/Xml.h"

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow {

class Situation {
public:
    // Parses and validates a whole situation document (a registration file or a stored projection).
    static Situation parse(std::string_view xmlText, const std::string& name);
    // For documents this engine wrote itself (stored projections): parsed, not re-validated.
    static Situation fromStored(std::string_view xmlText);
    // A deep copy that shares the original's dictionary of names (libxml2 interns element and
    // attribute names there): two and a half times faster to make and free than a copy with
    // names of its own, which matters on the firing path (one copy per event). A dictionary is
    // not safe to use from two threads at once: the copy and the original must stay on one
    // thread at a time, as the firing path's trees do (one FundingProcess, one thread).
    Situation copy() const;

    // Validates the current document against the schema; throws InvalidInput naming `name`.
    void validate(const std::string& name) const;
    // Validates the document after apply() placed `placed` in it, this document having been
    // valid before. Every part is a global element of situation.xsd that the document refers
    // to, the document's sequence takes each part where apply() puts it, its lists are
    // unbounded and the schema has no identity constraint, ID or key: a valid part placed by
    // apply() leaves a valid document valid. So only the part is validated, unless
    // `partAsValidated` says it is still the event data parseEventData validated (the firing
    // path may add a payment's quoted decision signature after that); a correction also
    // rewrites the youth, so it has the whole document validated.
    void validatePlaced(const xmlNode* placed, bool partAsValidated, const std::string& name) const;

    std::optional<std::int64_t> id() const;
    void setId(std::int64_t id);
    std::string reference() const;
    Date birthDate() const;
    LivingEnvironment environment() const;
    std::string municipality() const; // display text
    std::string postalCode() const;   // R1's territory is checked on this
    bool emergency() const;
    std::optional<Date> openedOn() const;
    void setOpenedOn(const Date& date);
    // R2, at the registration date.
    std::optional<int> category(const NetworkSettings& network) const;

    // Puts an event's data element in place: list members (consent, partner, concertation,
    // fundingRequest, budgetDecision, payment, review) are appended or replace the member
    // with the same id; single parts (request, carePlan, financialNeed, redirection, closure)
    // replace the previous one. The document order of the schema is kept. Returns the part
    // as placed in this document.
    xmlNode* apply(const xmlNode* data);

    std::string toXml(bool pretty = false) const;
    xmlDoc* document() const { return document_.get(); }

private:
    explicit Situation(xml::Document document) : document_(std::move(document)) {}
    xml::Document document_;
};

// Parses and validates an event's data: one element of the situation document.
xml::Document parseEventData(std::string_view xmlText, const std::string& name);

// Element names that an event's data may have, in the document order of the schema.
const std::vector<std::string>& situationPartOrder();

// How an element that events may carry lives in the situation: a member of a list (consent,
// partner, ...), a single part (request, carePlan, ...), or not a part events may carry.
enum class PartKind { None, Single, ListMember };
PartKind eventPartKind(const std::string& element);

} // namespace caseflow
