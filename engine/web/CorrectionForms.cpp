// The forms of the corrections and of the closing events (issue 15, after issue 13): a youth
// who moved (`youth.moved`), a placement that changed (`youth.placement-changed`), the family's
// language (`family.language-changed`), a registration entry typed wrong
// (`registration.corrected`, the coordinator), a funding request withdrawn under budget check
// (`request.withdrawn`), a grant closed at what was paid (`grant.closed`) and the situation
// closed (`situation.closed`), at /situations/{id}/events/{event}. Each builds the data element
// docs/events.md gives the event (ids generated here) and fires it through FundingProcess::fire,
// the use case behind `caseflow event`. What must stay true: no rule is decided here (the
// workflow's R1, R2, R16 and R18 decide; their refusals come back next to the field they
// concern); the dates are left to the schema, whose finding is shown translated next to the
// date; a correction that redirects the situation says so on the situation page.
#include "web/FormParts.h"

#include "model/Date.h"
#include "model/EuroAmount.h"
#include "web/LaterPhaseForms.h"

#include <algorithm>
#include <array>

namespace caseflow::web {
namespace {

std::string t(const char* msgid, const FormRequest& request) {
    return request.translate(msgid);
}

constexpr std::array kEnvironments = {"family", "institution"};
constexpr std::array kLanguages = {"fr", "nl", "de"};
// The youth's fields a registration correction may carry, in situation.xsd's order.
constexpr std::array kRegistrationFields = {"givenName",  "familyName",   "birthDate", "environment",
                                            "postalCode", "municipality", "language"};
constexpr std::array kClosureReasons = {"goals-reached", "network-sustainable", "moved-away", "youth-withdrew",
                                        "other"};

template <std::size_t N> bool oneOf(const std::array<const char*, N>& allowed, const std::string& value) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// The funding request a closing event concerns: for request.withdrawn the latest one (the one
// under budget check), for grant.closed the latest approved one; and what was paid on it.
struct RequestInHand {
    std::string id;
    Cents granted = 0;
    Cents paid = 0;
};

RequestInHand requestFor(const xml::Document& doc, const std::string& event) {
    xml::XPath xpath(doc.get());
    RequestInHand request;
    if (event == "grant.closed") {
        const std::string decision = "(/situation/budgetDecisions/budgetDecision[@outcome = 'approved'])[last()]";
        request.id = xpath.string("string(" + decision + "/@request)");
        request.granted = static_cast<Cents>(xpath.number("number(" + decision + "/@amount)"));
    } else {
        request.id = xpath.string("string((/situation/fundingRequests/fundingRequest)[last()]/@id)");
    }
    for (xmlNode* payment : xpath.nodes("/situation/payments/payment[@request = '" + request.id + "']"))
        request.paid += static_cast<Cents>(xpath.number("number(@amount)", payment));
    return request;
}

void correctionForm(FormRequest& request, std::int64_t id, const std::string& event) {
    const auto held = situationForForm(request, id);
    xml::XPath xpath(held.document.get());
    const RequestInHand funding = requestFor(held.document, event);
    const auto youth = [&](const std::string& field) { return xpath.string("string(/situation/youth/" + field + ")"); };
    const ShowForm show = [&](int status, const FormEcho& echo) {
        PageModel model;
        beginFormPage(request, model, "correction", held, event);
        model.leaf("youth", {{"postalCode", youth("postalCode")},
                             {"municipality", youth("municipality")},
                             {"environment", youth("environment")},
                             {"language", youth("language")},
                             {"birthDate", youth("birthDate")}});
        if (!funding.id.empty())
            model.leaf("request", {{"id", funding.id},
                                   {"granted", formatEuroAmount(funding.granted)},
                                   {"paid", formatEuroAmount(funding.paid)}});
        echo.write(model);
        request.sendPage(status, "correction", model);
    };
    const PostedForm& form = request.form();
    FormEcho echo{event, form.fields(), {}};
    if (!request.posted()) {
        echo.values = {{"date", Date::today().iso()}};
        if (event == "youth.placement-changed")
            echo.values.emplace_back("environment", youth("environment") == "family" ? "institution" : "family");
        if (event == "family.language-changed") echo.values.emplace_back("language", youth("language"));
        if (event == "grant.closed") echo.values.emplace_back("finalAmount", formatEuroAmount(funding.paid));
        return show(200, echo);
    }

    // The date is the schema's to check (its finding comes back translated next to the field):
    // only an empty one is asked for here, since an empty attribute is left out of the data.
    requireField(request, echo, form, "date");
    const std::string date = trimmed(form.value("date")), reason = trimmed(form.value("reason"));
    DataXml data;
    RuleFields ruleFields;
    SchemaFields schemaFields;
    if (event == "request.withdrawn" || event == "grant.closed") {
        requireField(request, echo, form, "reason");
        std::string finalAmount;
        if (event == "grant.closed") {
            const auto amount = parseEuroAmount(trimmed(form.value("finalAmount")));
            if (const auto* problem = std::get_if<EuroAmountProblem>(&amount))
                echo.errors.push_back({"finalAmount", "", amountProblem(*problem, request.language())});
            else
                finalAmount = std::to_string(std::get<Cents>(amount));
        }
        if (!echo.errors.empty()) return show(422, echo);
        data.open("fundingClosure", {{"request", funding.id},
                                     {"date", date},
                                     {"outcome", event == "grant.closed" ? "closed" : "withdrawn"},
                                     {"finalAmount", finalAmount},
                                     {"by", request.actor().name}});
        data.element("reason", reason).close();
        ruleFields = {{"R18", "finalAmount"}};
        schemaFields = {{"fundingClosure@date", "date"}, {"reason", "reason"}};
    } else if (event == "situation.closed") {
        const std::string why = form.value("closureReason");
        if (!oneOf(kClosureReasons, why))
            echo.errors.push_back({"closureReason", "", t("Choose why the situation is closed.", request)});
        if (!echo.errors.empty()) return show(422, echo);
        data.element("closure", trimmed(form.value("note")), {{"date", date}, {"reason", why}});
        ruleFields = {{"R18", "note"}};
        schemaFields = {{"closure@date", "date"}, {"closure", "note"}};
    } else {
        // The four corrections: one <correction> whose fields become the youth's.
        static const std::map<std::string, std::string> kinds = {{"youth.moved", "moved"},
                                                                 {"youth.placement-changed", "placement-changed"},
                                                                 {"family.language-changed", "language-changed"},
                                                                 {"registration.corrected", "registration-corrected"}};
        std::vector<std::pair<std::string, std::string>> fields;
        if (event == "youth.moved") {
            requireField(request, echo, form, "postalCode");
            requireField(request, echo, form, "municipality");
            fields = {{"postalCode", trimmed(form.value("postalCode"))},
                      {"municipality", trimmed(form.value("municipality"))}};
            ruleFields = {{"R1", "postalCode"}};
        } else if (event == "youth.placement-changed") {
            if (!oneOf(kEnvironments, form.value("environment")))
                echo.errors.push_back({"environment", "", t("Choose where the youth lives.", request)});
            fields = {{"environment", form.value("environment")}};
            ruleFields = {{"R1", "environment"}, {"R2", "environment"}};
        } else if (event == "family.language-changed") {
            if (!oneOf(kLanguages, form.value("language")))
                echo.errors.push_back({"language", "", t("Choose the family's language.", request)});
            fields = {{"language", form.value("language")}};
            ruleFields = {{"R1", "language"}};
        } else {
            const std::string which = form.value("field");
            if (!oneOf(kRegistrationFields, which))
                echo.errors.push_back({"field", "", t("Choose the entry to correct.", request)});
            requireField(request, echo, form, "value");
            requireField(request, echo, form, "reason");
            fields = {{which, trimmed(form.value("value"))}};
            ruleFields = {{"R1", "value"}};
        }
        if (!echo.errors.empty()) return show(422, echo);
        data.open("correction", {{"id", nextId(held.document, "/situation/corrections/correction", "k")},
                                 {"date", date},
                                 {"kind", kinds.at(event)}});
        for (const auto& [name, value] : fields) data.element(name, value);
        if (!reason.empty()) data.element("reason", reason);
        data.close();
        schemaFields = {{"correction@date", "date"}, {"reason", "reason"}};
        for (const auto& [name, value] : fields)
            schemaFields[name] = event == "registration.corrected" ? "value" : name;
    }
    fireOrShow(request, id, event, data.str(), ruleFields, echo, show, schemaFields,
               "/situations/" + std::to_string(id) + "?done=" + event);
}

template <const char* Event> void handlerOf(FormRequest& request, std::int64_t id) {
    correctionForm(request, id, Event);
}

constexpr char kMoved[] = "youth.moved";
constexpr char kPlacement[] = "youth.placement-changed";
constexpr char kLanguage[] = "family.language-changed";
constexpr char kCorrected[] = "registration.corrected";
constexpr char kWithdrawn[] = "request.withdrawn";
constexpr char kGrantClosed[] = "grant.closed";
constexpr char kClosed[] = "situation.closed";

} // namespace

const std::vector<PhaseForm>& correctionForms() {
    static const std::vector<PhaseForm> forms = {
        {kMoved, handlerOf<kMoved>},         {kPlacement, handlerOf<kPlacement>},
        {kLanguage, handlerOf<kLanguage>},   {kCorrected, handlerOf<kCorrected>},
        {kWithdrawn, handlerOf<kWithdrawn>}, {kGrantClosed, handlerOf<kGrantClosed>},
        {kClosed, handlerOf<kClosed>},
    };
    return forms;
}

} // namespace caseflow::web
