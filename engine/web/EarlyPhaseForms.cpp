// The forms of the first phases (issue 15): register a situation, record a consent, add a
// partner from the directory, request a concertation, hold it. Each builds the event's data
// element (docs/events.md) from plain fields, with the ids chosen here, and fires it through
// FundingProcess as the CLI does. What must stay true: nothing here decides a business rule
// (the workflow does; a check here only catches what the schema would refuse, to name the
// field); what the user typed comes back on a refusal; XML is built only with escaped values.
#include "web/PhaseForms.h"

#include "web/FormParts.h"

#include "model/Date.h"
#include "process/Authorisation.h"
#include "process/FundingProcess.h"
#include "store/DirectoryRepository.h"
#include "web/Labels.h"
#include "xml/Xml.h"

#include <algorithm>
#include <regex>

namespace caseflow::web {
namespace {

std::string t(const char* msgid, const FormRequest& request) {
    return request.translate(msgid);
}

std::string participantRoleLabel(const std::string& role, const FormRequest& request) {
    if (role == "pedopsychiatrist") return t("pedopsychiatrist", request);
    if (role == "psychologist") return t("psychologist", request);
    if (role == "social-worker") return t("social worker", request);
    if (role == "educator") return t("educator", request);
    if (role == "teacher") return t("teacher", request);
    if (role == "physician") return t("physician", request);
    if (role == "nurse") return t("nurse", request);
    if (role == "coordinator") return t("network coordinator", request);
    if (role == "case-manager") return t("case manager", request);
    if (role == "parent") return t("parent", request);
    return t("other role", request);
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        if (auto line = trimmed(text.substr(start, end - start)); !line.empty()) lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

// ---- consent.recorded --------------------------------------------------------------------

void consentForm(FormRequest& request, std::int64_t id) {
    const auto held = situationForForm(request, id);
    const auto show = plainFormPage(request, held, "consent", "consent.recorded");
    const PostedForm& form = request.form();
    FormEcho echo{"consent.recorded", form.fields(), {}};
    if (!request.posted()) {
        echo.values = {{"date", Date::today().iso()}, {"given", "true"}};
        return show(200, echo);
    }
    const std::string type = form.value("type"), by = form.value("by"), given = form.value("given");
    if (type != "informed" && type != "information-sharing" && type != "plan-adhesion")
        echo.errors.push_back({"type", "", t("Choose what is consented to.", request)});
    if (given != "true" && given != "false")
        echo.errors.push_back({"given", "", t("Say whether the consent is given or withdrawn.", request)});
    if (!by.empty() && by != "youth" && by != "parent" && by != "guardian")
        echo.errors.push_back({"by", "", t("Choose who consents.", request)});
    requireDate(request, echo, form, "date");
    if (!echo.errors.empty()) return show(422, echo);
    DataXml data;
    data.element("consent", trimmed(form.value("note")),
                 {{"type", type},
                  {"given", given},
                  {"date", trimmed(form.value("date"))},
                  {"recordedBy", request.actor().name},
                  {"by", by}});
    fireOrShow(request, id, "consent.recorded", data.str(), {{"R9", "date"}}, echo, show);
}

// ---- partner.added -----------------------------------------------------------------------

void partnerForm(FormRequest& request, std::int64_t id) {
    const auto held = situationForForm(request, id);
    const auto entries = store::DirectoryRepository(request.database()).entries();
    const auto show = [&](int status, const FormEcho& echo) {
        PageModel model;
        beginFormPage(request, model, "partner", held, "partner.added");
        for (const auto& entry : entries)
            model.leaf("entry", {{"id", std::to_string(entry.id)},
                                 {"organisation", entry.organisation},
                                 {"person", entry.person},
                                 {"profession", entry.profession},
                                 {"sector", entry.sector},
                                 {"sectorLabel", sectorLabel(entry.sector, request)}});
        echo.write(model);
        request.sendPage(status, "partner", model);
    };
    const PostedForm& form = request.form();
    FormEcho echo{"partner.added", form.fields(), {}};
    if (!request.posted()) return show(200, echo);
    std::optional<store::DirectoryEntry> chosen;
    if (const auto entryId = std::atoll(form.value("entry").c_str()); entryId > 0)
        chosen = store::DirectoryRepository(request.database()).find(entryId);
    if (!chosen || chosen->archived) {
        echo.errors.push_back({"entry", "", t("Choose a partner from the directory.", request)});
        return show(422, echo);
    }
    DataXml data;
    data.open("partner",
              {{"id", nextId(held.document, "/situation/partners/partner", "p")}, {"sector", chosen->sector}});
    data.element("organisation", chosen->organisation);
    const std::string contact = chosen->person.empty() ? chosen->contact : chosen->person;
    if (!contact.empty()) data.element("contact", contact);
    if (!chosen->profession.empty()) data.element("function", chosen->profession);
    if (chosen->pedopsychiatrist) data.element("pedopsychiatrist", "true");
    data.close();
    fireOrShow(request, id, "partner.added", data.str(), {{"R5", "entry"}, {"R9", "entry"}}, echo, show);
}

// ---- concertation.requested --------------------------------------------------------------

void requestForm(FormRequest& request, std::int64_t id) {
    const auto held = situationForForm(request, id);
    const auto show = plainFormPage(request, held, "concertation-request", "concertation.requested");
    const PostedForm& form = request.form();
    FormEcho echo{"concertation.requested", form.fields(), {}};
    if (!request.posted()) {
        echo.values = {{"date", Date::today().iso()}};
        return show(200, echo);
    }
    requireDate(request, echo, form, "date");
    requireField(request, echo, form, "reason");
    requireField(request, echo, form, "requestedBy");
    if (!echo.errors.empty()) return show(422, echo);
    DataXml data;
    data.open("request", {{"date", trimmed(form.value("date"))}, {"requestedBy", form.value("requestedBy")}});
    data.element("reason", trimmed(form.value("reason")));
    if (const auto check = trimmed(form.value("urgencyCheck")); !check.empty()) data.element("urgencyCheck", check);
    data.close();
    fireOrShow(request, id, "concertation.requested", data.str(), {{"R1", "requestedBy"}}, echo, show);
}

// ---- concertation.held -------------------------------------------------------------------

constexpr int kRoadmapRows = 3;
constexpr int kMaxRoadmapRows = 40;
constexpr int kMeetings = 3;
const std::vector<std::string> kParticipantRoles = {"pedopsychiatrist", "psychologist", "social-worker", "educator",
                                                    "teacher",          "physician",    "nurse",         "coordinator",
                                                    "case-manager",     "parent",       "other"};

int roadmapRowsOf(const PostedForm& form) {
    const int asked = std::atoi(form.value("rows").c_str());
    return std::clamp(asked, kRoadmapRows, kMaxRoadmapRows);
}

void concertationForm(FormRequest& request, std::int64_t id) {
    const auto held = situationForForm(request, id);
    const PostedForm& form = request.form();
    int rows = request.posted() ? roadmapRowsOf(form) : kRoadmapRows;
    const bool addingRow = request.posted() && form.find("add-row").has_value();
    if (addingRow) rows = std::min(rows + 1, kMaxRoadmapRows);
    const auto& network = request.process().network();
    const auto show = [&](int status, const FormEcho& echo) {
        PageModel model;
        beginFormPage(request, model, "concertation", held, "concertation.held");
        model.leaf("roadmap", {{"rows", std::to_string(rows)}});
        for (const auto& doctor : network.pedopsychiatrists())
            model.leaf("networkPedopsychiatrist",
                       {{"id", doctor.id}, {"name", doctor.name}, {"organisation", doctor.organisation}});
        for (const auto& role : kParticipantRoles)
            model.leaf("participantRole", {{"id", role}, {"label", participantRoleLabel(role, request)}});
        for (int row = 1; row <= rows; ++row) model.leaf("row", {{"index", std::to_string(row)}});
        for (int meeting = 1; meeting <= kMeetings; ++meeting)
            model.leaf("meeting", {{"index", std::to_string(meeting)}});
        echo.write(model);
        request.sendPage(status, "concertation", model);
    };
    FormEcho echo{"concertation.held", form.fields(), {}};
    if (!request.posted()) {
        xml::XPath xpath(held.document.get());
        echo.values = {{"date", Date::today().iso()}, {"invited", "true"}};
        const auto count = static_cast<int>(xpath.number("count(/situation/partners/partner)"));
        for (int i = 1; i <= count; ++i) {
            const std::string at = "/situation/partners/partner[" + std::to_string(i) + "]";
            const std::string partner = xpath.string("string(" + at + "/@id)");
            echo.values.emplace_back("attendance-" + partner, "present");
            echo.values.emplace_back("role-" + partner,
                                     isTrue(xpath, at + "/pedopsychiatrist") ? "pedopsychiatrist" : "other");
        }
        return show(200, echo);
    }
    if (addingRow) return show(200, echo);

    requireDate(request, echo, form, "date");
    const std::string invited = form.value("invited");
    if (invited != "true" && invited != "false")
        echo.errors.push_back({"invited", "", t("Say whether the youth was invited.", request)});
    for (int meeting = 1; meeting <= kMeetings; ++meeting)
        requireDate(request, echo, form, "meeting-" + std::to_string(meeting), false);
    for (int row = 1; row <= rows; ++row) {
        const std::string n = std::to_string(row);
        if (trimmed(form.value("what-" + n)).empty()) continue;
        requireDate(request, echo, form, "when-" + n);
        requireField(request, echo, form, "who-" + n);
    }

    xml::XPath xpath(held.document.get());
    DataXml data;
    data.open("concertation", {{"id", nextId(held.document, "/situation/concertations/concertation", "c")},
                               {"date", trimmed(form.value("date"))}});
    bool anyone = false;
    const auto count = static_cast<int>(xpath.number("count(/situation/partners/partner)"));
    for (int i = 1; i <= count; ++i) {
        const std::string partner = xpath.string("string(/situation/partners/partner[" + std::to_string(i) + "]/@id)");
        const std::string attendance = form.value("attendance-" + partner);
        if (attendance != "present" && attendance != "excused") continue;
        std::string role = form.value("role-" + partner);
        if (std::find(kParticipantRoles.begin(), kParticipantRoles.end(), role) == kParticipantRoles.end())
            role = "other";
        data.open("participant", {{"partner", partner}, {"role", role}, {"attendance", attendance}}).close();
        anyone = true;
    }
    for (const auto& doctor : network.pedopsychiatrists()) {
        const std::string attendance = form.value("attendance-np-" + doctor.id);
        if (attendance != "present" && attendance != "excused") continue;
        data.open("participant",
                  {{"networkPedopsychiatrist", doctor.id}, {"role", "pedopsychiatrist"}, {"attendance", attendance}})
            .close();
        anyone = true;
    }
    if (!trimmed(form.value("objection")).empty()) {
        // The schema needs both partners of an objection: ask for them here, next to the fields.
        requireField(request, echo, form, "objectionBy");
        requireField(request, echo, form, "informedBy");
    }
    if (!anyone) echo.errors.push_back({"participants", "", t("Mark who was present or excused.", request)});
    if (!echo.errors.empty()) return show(422, echo);

    data.open("youthParticipation", {{"invited", invited}, {"present", form.find("present") ? "true" : "false"}});
    if (const auto objection = trimmed(form.value("objection")); !objection.empty())
        data.element("objection", objection,
                     {{"by", form.value("objectionBy")}, {"informedBy", form.value("informedBy")}});
    data.close();
    if (!form.value("caseManager").empty()) data.open("caseManager", {{"partner", form.value("caseManager")}}).close();
    if (const auto decisions = linesOf(form.value("decisions")); !decisions.empty()) {
        data.open("decisions");
        for (const auto& decision : decisions) data.element("decision", decision);
        data.close();
    }
    bool roadmap = false;
    for (int row = 1; row <= rows; ++row) {
        const std::string n = std::to_string(row);
        const std::string what = trimmed(form.value("what-" + n));
        if (what.empty()) continue;
        if (!roadmap) data.open("roadmap");
        roadmap = true;
        data.open("item", {{"who", form.value("who-" + n)}, {"when", trimmed(form.value("when-" + n))}});
        data.element("what", what);
        if (const auto how = trimmed(form.value("how-" + n)); !how.empty()) data.element("how", how);
        if (const auto with = trimmed(form.value("with-" + n)); !with.empty()) data.element("withWhom", with);
        data.close();
    }
    if (roadmap) data.close();
    bool meetings = false;
    for (int meeting = 1; meeting <= kMeetings; ++meeting) {
        const std::string date = trimmed(form.value("meeting-" + std::to_string(meeting)));
        if (date.empty()) continue;
        if (!meetings) data.open("nextMeetings");
        meetings = true;
        data.open("meeting", {{"date", date}}).close();
    }
    if (meetings) data.close();
    data.close();
    fireOrShow(request, id, "concertation.held", data.str(),
               {{"R1", "date"},
                {"R5", "participants"},
                {"R6", "participants"},
                {"R7", "caseManager"},
                {"R8", "meetings"},
                {"R9", "participants"},
                {"R10", "youth"}},
               echo, show);
}

} // namespace

const std::vector<PhaseForm>& earlyPhaseForms() {
    static const std::vector<PhaseForm> forms = {
        {"consent.recorded", consentForm},
        {"partner.added", partnerForm},
        {"concertation.requested", requestForm},
        {"concertation.held", concertationForm},
    };
    return forms;
}

const PhaseForm* findPhaseForm(std::string_view event) {
    for (const auto& form : earlyPhaseForms())
        if (form.event == event) return &form;
    for (const auto& form : correctionForms())
        if (form.event == event) return &form;
    return nullptr;
}

// ---- situation.registered ----------------------------------------------------------------

void registrationForm(FormRequest& request) {
    if (!permissionFor(request.role(), Operation::RegisterSituation).allowed())
        throw PageRefused(403, t("Your role does not give access to this page.", request));
    const auto show = [&](int status, const FormEcho& echo) {
        PageModel model;
        request.beginModel(model, "register");
        echo.write(model);
        request.sendPage(status, "register", model);
    };
    const PostedForm& form = request.form();
    FormEcho echo{"situation.registered", form.fields(), {}};
    if (!request.posted()) {
        echo.values = {{"environment", "family"}, {"language", "fr"}};
        return show(200, echo);
    }
    static const std::regex reference("[A-Za-z0-9][A-Za-z0-9\\-_.]{1,39}");
    static const std::regex postalCode("[1-9][0-9]{3}");
    if (!std::regex_match(trimmed(form.value("reference")), reference))
        echo.errors.push_back({"reference", "",
                               t("A reference has 2 to 40 letters, digits, dashes, dots or "
                                 "underscores, for example KIR-26-015.",
                                 request)});
    requireDate(request, echo, form, "birthDate");
    if (!std::regex_match(trimmed(form.value("postalCode")), postalCode))
        echo.errors.push_back({"postalCode", "", t("A Belgian postal code has four digits.", request)});
    requireField(request, echo, form, "municipality");
    const std::string environment = form.value("environment"), language = form.value("language");
    if (environment != "family" && environment != "institution")
        echo.errors.push_back({"environment", "", t("Choose where the youth lives.", request)});
    if (!language.empty() && language != "fr" && language != "nl" && language != "de")
        echo.errors.push_back({"language", "", t("Choose the family's language.", request)});
    if (!echo.errors.empty()) return show(422, echo);

    DataXml data;
    data.open("situation", {{"openedOn", Date::today().iso()}});
    data.open("youth");
    data.element("reference", trimmed(form.value("reference")));
    if (const auto given = trimmed(form.value("givenName")); !given.empty()) data.element("givenName", given);
    if (const auto family = trimmed(form.value("familyName")); !family.empty()) data.element("familyName", family);
    data.element("birthDate", trimmed(form.value("birthDate")));
    data.element("environment", environment);
    data.element("postalCode", trimmed(form.value("postalCode")));
    data.element("municipality", trimmed(form.value("municipality")));
    if (!language.empty()) data.element("language", language);
    data.close();
    data.element("emergency", form.find("emergency") ? "true" : "false");
    data.close();
    try {
        const auto record = request.process().registerSituation(data.str(), "registration form", request.actor());
        if (isScopedRole(request.role())) request.assign(record.id);
        request.redirect("/situations/" + std::to_string(record.id) + "?registered=1");
    } catch (const AlreadyRegistered& duplicate) {
        std::string message = t("This reference is already registered: situation {id}.", request);
        message.replace(message.find("{id}"), 4, std::to_string(duplicate.situationId()));
        echo.errors.push_back({"reference", "", message});
        echo.values.emplace_back("duplicateOf", std::to_string(duplicate.situationId()));
        show(422, echo);
    } catch (const UsageError& invalid) {
        echo.errors.push_back({"", "", invalid.what()});
        show(422, echo);
    }
}

} // namespace caseflow::web
