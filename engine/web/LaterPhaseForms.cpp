// The later phases' forms (see LaterPhaseForms.h).
#include "web/LaterPhaseForms.h"

#include "core/Errors.h"
#include "i18n/Translator.h"
#include "model/Date.h"
#include "model/EuroAmount.h"
#include "process/SigningDesk.h"
#include "signature/Verifier.h"
#include "web/Forms.h"
#include "web/Labels.h"
#include "xml/Xml.h"

#include <algorithm>
#include <set>

namespace caseflow::web {
namespace {

constexpr int kEmptyRows = 3; // rows offered beyond those filled; "add a row" adds one more
constexpr int kMaxRows = 60;  // a form asking for more is refused, not served

std::string t(const std::string& msgid, const std::string& language) {
    return i18n::translate(i18n::kWebDomain, msgid, language);
}

std::string esc(const std::string& text) {
    return xml::escaped(text);
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// How many rows of `prefix` the form showed (its hidden count), plus one when "add a row" was
// pressed for it, never fewer than kEmptyRows.
int rowCount(const PostedForm& form, const std::string& prefix, int filled) {
    int count = std::max(filled, kEmptyRows);
    const std::string shown = form.value(prefix + "-rows");
    if (!shown.empty() && shown.size() < 4 && shown.find_first_not_of("0123456789") == std::string::npos)
        count = std::max(count, std::stoi(shown));
    if (form.value("add") == prefix) ++count;
    if (count > kMaxRows) throw UsageError("the form has too many rows");
    return count;
}

std::string field(const std::string& prefix, int row, const std::string& name) {
    return prefix + "-" + std::to_string(row) + "-" + name;
}

std::string attr(const xmlNode* node, const char* name) {
    return xml::attribute(node, name).value_or("");
}

bool validDate(const std::string& text) {
    return Date::parse(text).has_value();
}

struct Form {
    PhaseFormCall& call;
    PostedForm posted;
    FormEcho echo;
    SituationRecord record;
    xml::Document document;
    std::string template_;

    Form(PhaseFormCall& phaseCall, const std::string& templateName)
        : call(phaseCall), posted(phaseCall.form), echo{phaseCall.event, posted.fields(), {}},
          record(phaseCall.process.situation(phaseCall.situationId)),
          document(xml::parseString(record.document, "situation")), template_(templateName) {}

    std::string value(const std::string& name) const { return trimmed(posted.value(name)); }
    void error(const std::string& fieldName, const std::string& message) {
        echo.errors.push_back({fieldName, "", message});
    }
    void dateField(const std::string& name, bool required) {
        const std::string typed = value(name);
        if (typed.empty() ? required : !validDate(typed))
            error(name, t("Give a date as YYYY-MM-DD (a real day).", call.language));
    }

    // The page: the situation, the choices the form offers, what was typed and the errors.
    void show(int status, const std::function<void(PageModel&)>& rows) {
        PageModel model;
        call.beginModel(model, template_);
        xml::XPath xpath(document.get());
        model.open("situation")
            .attribute("id", std::to_string(record.id))
            .attribute("state", record.state)
            .attribute("reference", xpath.string("string(/situation/youth/reference)"));
        model.close();
        model.leaf("event", {{"name", call.event}, {"label", eventLabel(call.event, call.language)}});
        for (const auto& partner : xpath.nodes("/situation/partners/partner")) {
            const std::string id = attr(partner, "id");
            const std::string path = "/situation/partners/partner[@id='" + id + "']";
            model.leaf("partner", {{"id", id},
                                   {"label", xpath.string("string(" + path + "/organisation)") + " — " +
                                                 xpath.string("string(" + path + "/contact)")},
                                   {"pedopsychiatrist", xpath.boolean(path + "[pedopsychiatrist = 'true' or "
                                                                             "pedopsychiatrist = '1']")
                                                            ? "true"
                                                            : ""}});
        }
        rows(model);
        echo.write(model);
        call.sendPage(status, template_, model);
    }

    // Fires the event with `data`; 303 to the situation when accepted, else the form again with
    // each failed rule next to the field it concerns.
    void fire(const std::string& data, const std::string& dataName, const RuleFields& fields,
              const std::function<void(PageModel&)>& rows) {
        try {
            call.process.fire(call.situationId, call.event, data, dataName, call.actor, record.version);
            return call.redirect("/situations/" + std::to_string(call.situationId) + "?done=" + call.event);
        } catch (const RuleRefusal& refusal) {
            for (auto& failed : errorsOfRefusal(refusal, fields)) echo.errors.push_back(std::move(failed));
        } catch (const EventNotAllowed& refused) {
            echo.errors.push_back({"", "", refused.what()});
        } catch (const InvalidInput& invalid) {
            echo.errors.push_back({"", "", invalid.what()});
        } catch (const Conflict&) {
            error("",
                  t("The situation changed while you were typing; check it and send the form again.", call.language));
        }
        show(422, rows);
    }
};

// ---- the care plan -------------------------------------------------------------------------

void carePlan(PhaseFormCall& call) {
    Form form(call, "care-plan");
    xml::XPath xpath(form.document.get());
    const bool fresh = !call.post;
    // A revision starts from the plan in force; a new plan from empty rows.
    std::vector<std::map<std::string, std::string>> objectives, actions;
    std::vector<std::string> meetings;
    std::string agreedOn = Date::today().iso(), pedopsychiatrist;
    if (fresh) {
        for (const auto& node : xpath.nodes("/situation/carePlan/objectives/objective"))
            objectives.push_back({{"id", attr(node, "id")}, {"text", xml::text(node)}});
        for (const auto& node : xpath.nodes("/situation/carePlan/actions/action"))
            actions.push_back({{"objective", attr(node, "objective")},
                               {"responsible", attr(node, "responsible")},
                               {"start", attr(node, "start")},
                               {"end", attr(node, "end")},
                               {"text", xml::text(node)}});
        for (const auto& node : xpath.nodes("/situation/carePlan/followUp/meeting"))
            meetings.push_back(attr(node, "date"));
        const std::string partner = xpath.string("string(/situation/carePlan/pedopsychiatrist/@partner)");
        const std::string network =
            xpath.string("string(/situation/carePlan/pedopsychiatrist/@networkPedopsychiatrist)");
        pedopsychiatrist = !partner.empty() ? "partner:" + partner : !network.empty() ? "network:" + network : "";
        // Objectives are chosen by their row: renumber the prefilled actions' references.
        for (auto& action : actions)
            for (std::size_t i = 0; i < objectives.size(); ++i)
                if (objectives[i]["id"] == action["objective"]) action["objective"] = std::to_string(i + 1);
        form.echo.values = {{"agreedOn", agreedOn}, {"pedopsychiatrist", pedopsychiatrist}};
        for (std::size_t i = 0; i < objectives.size(); ++i)
            form.echo.values.push_back({field("objective", int(i + 1), "text"), objectives[i]["text"]});
        for (std::size_t i = 0; i < actions.size(); ++i)
            for (const auto& name : {"objective", "responsible", "start", "end", "text"})
                form.echo.values.push_back({field("action", int(i + 1), name), actions[i][name]});
        for (std::size_t i = 0; i < meetings.size(); ++i)
            form.echo.values.push_back({field("meeting", int(i + 1), "date"), meetings[i]});
    }
    const int objectiveRows = rowCount(form.posted, "objective", int(objectives.size()));
    const int actionRows = rowCount(form.posted, "action", int(actions.size()));
    const int meetingRows = rowCount(form.posted, "meeting", int(meetings.size()));
    const auto rows = [&](PageModel& model) {
        model.leaf("rows", {{"objective", std::to_string(objectiveRows)},
                            {"action", std::to_string(actionRows)},
                            {"meeting", std::to_string(meetingRows)}});
        for (int i = 1; i <= objectiveRows; ++i) model.leaf("objective", {{"row", std::to_string(i)}});
        for (int i = 1; i <= actionRows; ++i) model.leaf("action", {{"row", std::to_string(i)}});
        for (int i = 1; i <= meetingRows; ++i) model.leaf("meeting", {{"row", std::to_string(i)}});
        for (const auto& doctor : call.process.network().pedopsychiatrists())
            model.leaf("networkPedopsychiatrist",
                       {{"id", doctor.id}, {"label", doctor.name + " — " + doctor.organisation}});
    };
    if (!call.post || !form.posted.value("add").empty()) return form.show(200, rows);

    form.dateField("agreedOn", true);
    const std::string doctor = form.value("pedopsychiatrist");
    if (doctor.rfind("partner:", 0) != 0 && doctor.rfind("network:", 0) != 0)
        form.error("pedopsychiatrist", t("Choose the pedopsychiatrist.", call.language));
    std::string objectivesXml, actionsXml, meetingsXml;
    std::set<int> objectiveIds;
    for (int i = 1; i <= objectiveRows; ++i) {
        const std::string text = form.value(field("objective", i, "text"));
        if (text.empty()) continue;
        objectiveIds.insert(i);
        objectivesXml += "<objective id=\"o" + std::to_string(i) + "\">" + esc(text) + "</objective>";
    }
    if (objectiveIds.empty())
        form.error(field("objective", 1, "text"), t("Write at least one objective.", call.language));
    for (int i = 1; i <= actionRows; ++i) {
        const std::string text = form.value(field("action", i, "text"));
        const std::string objective = form.value(field("action", i, "objective"));
        const std::string responsible = form.value(field("action", i, "responsible"));
        const std::string start = form.value(field("action", i, "start")), end = form.value(field("action", i, "end"));
        if (text.empty() && responsible.empty() && start.empty() && end.empty()) continue;
        if (text.empty()) form.error(field("action", i, "text"), t("Say what the action is.", call.language));
        if (responsible.empty())
            form.error(field("action", i, "responsible"), t("Choose the partner responsible.", call.language));
        form.dateField(field("action", i, "start"), true);
        form.dateField(field("action", i, "end"), false);
        int objectiveRow = 0;
        if (!objective.empty() && objective.size() < 3 &&
            objective.find_first_not_of("0123456789") == std::string::npos)
            objectiveRow = std::stoi(objective);
        if (!objective.empty() && !objectiveIds.count(objectiveRow))
            form.error(field("action", i, "objective"),
                       t("Link the action to an objective written above.", call.language));
        actionsXml += "<action id=\"a" + std::to_string(i) + "\"" +
                      (objectiveRow ? " objective=\"o" + std::to_string(objectiveRow) + "\"" : std::string()) +
                      " responsible=\"" + esc(responsible) + "\" start=\"" + esc(start) + "\"" +
                      (end.empty() ? std::string() : " end=\"" + esc(end) + "\"") + ">" + esc(text) + "</action>";
    }
    if (actionsXml.empty()) form.error(field("action", 1, "text"), t("Write at least one action.", call.language));
    for (int i = 1; i <= meetingRows; ++i) {
        const std::string date = form.value(field("meeting", i, "date"));
        if (date.empty()) continue;
        form.dateField(field("meeting", i, "date"), true);
        meetingsXml += "<meeting date=\"" + esc(date) + "\"/>";
    }
    if (!form.echo.errors.empty()) return form.show(422, rows);

    const std::string who = doctor.rfind("partner:", 0) == 0
                                ? "partner=\"" + esc(doctor.substr(8)) + "\""
                                : "networkPedopsychiatrist=\"" + esc(doctor.substr(8)) + "\"";
    const std::string data = "<carePlan agreedOn=\"" + esc(form.value("agreedOn")) + "\"><pedopsychiatrist " + who +
                             "/><objectives>" + objectivesXml + "</objectives><actions>" + actionsXml + "</actions>" +
                             (meetingsXml.empty() ? "" : "<followUp>" + meetingsXml + "</followUp>") + "</carePlan>";
    form.fire(data, "care plan form", {{"R6", "pedopsychiatrist"}, {"R8", field("meeting", 1, "date")}}, rows);
}

// ---- the plan's signature, split flow -----------------------------------------------------

std::string statusWords(signature::SignatureStatus status, const std::string& language) {
    using signature::SignatureStatus;
    switch (status) {
    case SignatureStatus::Valid:
        return t("The signature is valid.", language);
    case SignatureStatus::Missing:
        return t("The file carries no signature.", language);
    case SignatureStatus::Malformed:
        return t("The file is not a signed care plan as caseflow prepares it.", language);
    case SignatureStatus::Altered:
        return t("The plan or its signature was changed after signing.", language);
    case SignatureStatus::Untrusted:
        return t("The certificate is not one the network issued.", language);
    case SignatureStatus::Expired:
        return t("The certificate was not valid when the plan was signed.", language);
    case SignatureStatus::Revoked:
        return t("The certificate was revoked.", language);
    case SignatureStatus::WrongSigner:
        break;
    }
    return t("The plan was signed by someone other than its pedopsychiatrist.", language);
}

// The exact document the pedopsychiatrist signs (the prepare-signature use case).
void planToSign(PhaseFormCall& call) {
    if (call.post) throw NotFound("no such form");
    const auto prepared = SigningDesk(call.process).preparePlan(call.situationId);
    call.sendFile("application/xml; charset=utf-8", "care-plan-" + std::to_string(call.situationId) + "-to-sign.xml",
                  prepared.xml);
}

void planSignature(PhaseFormCall& call) {
    Form form(call, "plan-signature");
    const auto rows = [&](PageModel& model) {
        model.leaf("download", {{"file", "care-plan-" + std::to_string(call.situationId) + "-to-sign.xml"}});
    };
    if (!call.post) return form.show(200, rows);
    form.echo.values.clear(); // the file is not shown back
    const std::string signedXml = form.posted.value("signed");
    if (signedXml.empty()) {
        form.error("signed", t("Choose the signed file to send.", call.language));
        return form.show(422, rows);
    }
    // The verdict in the user's language, whatever the rules then decide.
    std::optional<signature::Verification> verdict;
    try {
        const auto document = xml::parseString(signedXml, "signed care plan");
        verdict = signature::Verifier(call.process.trustStore())
                      .verify(xml::root(document.get()), signature::SignatureAge::New);
    } catch (const std::exception&) {
        form.error("signed", t("The file is not a signed care plan as caseflow prepares it.", call.language));
        return form.show(422, rows);
    }
    const auto showVerdict = [&](PageModel& model) {
        rows(model);
        model.leaf("verdict",
                   {{"status", signature::statusName(verdict->status)},
                    {"words", statusWords(verdict->status, call.language)},
                    {"signer", verdict->signer},
                    {"signedAt", verdict->signedAt}},
                   verdict->detail);
    };
    try {
        SigningDesk(call.process)
            .submit(call.situationId, signedXml, "uploaded signed plan", call.actor, form.record.version);
        return call.redirect("/situations/" + std::to_string(call.situationId) + "?done=plan.signed");
    } catch (const RuleRefusal& refusal) {
        for (auto& failed : errorsOfRefusal(refusal, {{"R11", "signed"}, {"R9", ""}}))
            form.echo.errors.push_back(std::move(failed));
    } catch (const Conflict&) {
        form.error("",
                   t("The situation changed while you were typing; check it and send the form again.", call.language));
    } catch (const UsageError& refused) {
        form.echo.errors.push_back({"signed", "", refused.what()});
    }
    form.show(422, showVerdict);
}

// ---- the financial need --------------------------------------------------------------------

void need(PhaseFormCall& call) {
    Form form(call, "need");
    const auto rows = [](PageModel&) {};
    if (!call.post) {
        form.echo.values = {{"date", Date::today().iso()}};
        return form.show(200, rows);
    }
    form.dateField("date", true);
    const std::string reason = form.value("reason");
    if (reason.empty()) form.error("reason", t("Say why, in a few words.", call.language));
    if (!form.echo.errors.empty()) return form.show(422, rows);
    const bool needed = call.event == "need.identified";
    const std::string data = "<financialNeed date=\"" + esc(form.value("date")) + "\" needed=\"" +
                             (needed ? "true" : "false") + "\">" + esc(reason) + "</financialNeed>";
    form.fire(data, "financial need form", {{"R12", "reason"}, {"R11", ""}}, rows);
}

// ---- the funding request -------------------------------------------------------------------

void fundingRequest(PhaseFormCall& call) {
    Form form(call, "funding-request");
    xml::XPath xpath(form.document.get());
    // The latest request not decided yet is prepared again; otherwise a new one.
    const std::string latest = "(/situation/fundingRequests/fundingRequest)[last()]";
    const std::string latestId = xpath.string("string(" + latest + "/@id)");
    const bool decided = !latestId.empty() && xpath.boolean("/situation/budgetDecisions/budgetDecision[@request = '" +
                                                            latestId + "' and @outcome != 'returned']");
    const int count = int(xpath.number("count(/situation/fundingRequests/fundingRequest)"));
    const std::string requestId = latestId.empty() || decided ? "fr" + std::to_string(count + 1) : latestId;
    std::vector<std::map<std::string, std::string>> lines;
    if (!call.post) {
        if (!latestId.empty() && !decided)
            for (const auto& node : xpath.nodes(latest + "/line"))
                lines.push_back({{"category", attr(node, "category")},
                                 {"action", attr(node, "action")},
                                 {"supplier", attr(node, "supplier")},
                                 {"amount", formatEuroAmount(parseCents(attr(node, "amount")).value_or(0))},
                                 {"description", xml::text(node)}});
        form.echo.values = {{"date", Date::today().iso()}};
        if (!latestId.empty() && !decided) {
            form.echo.values.push_back({"justification", xpath.string("string(" + latest + "/justification)")});
            form.echo.values.push_back({"payee", xpath.string("string(" + latest + "/payee/@name)")});
            form.echo.values.push_back({"iban", xpath.string("string(" + latest + "/payee/@iban)")});
        }
        for (std::size_t i = 0; i < lines.size(); ++i)
            for (const auto& name : {"category", "action", "supplier", "amount", "description"})
                form.echo.values.push_back({field("line", int(i + 1), name), lines[i][name]});
    }
    const int lineRows = rowCount(form.posted, "line", int(lines.size()));
    const auto rows = [&](PageModel& model) {
        model.leaf("rows", {{"line", std::to_string(lineRows)}});
        model.leaf("request", {{"id", requestId}});
        for (int i = 1; i <= lineRows; ++i) model.leaf("line", {{"row", std::to_string(i)}});
        for (const auto& category : call.process.network().expenseCategories())
            if (category.eligible) {
                const auto label = category.labels.find(call.language == "nl" ? "nl" : "fr");
                model.leaf("category", {{"id", category.id},
                                        {"label", label == category.labels.end() ? category.id : label->second}});
            }
        for (const auto& node : xpath.nodes("/situation/carePlan/actions/action"))
            model.leaf("planAction", {{"id", attr(node, "id")}, {"label", xml::text(node)}});
    };
    if (!call.post || !form.posted.value("add").empty()) return form.show(200, rows);

    form.dateField("date", true);
    std::string linesXml;
    for (int i = 1; i <= lineRows; ++i) {
        const std::string category = form.value(field("line", i, "category"));
        const std::string action = form.value(field("line", i, "action"));
        const std::string supplier = form.value(field("line", i, "supplier"));
        const std::string amount = form.value(field("line", i, "amount"));
        const std::string description = form.value(field("line", i, "description"));
        if (amount.empty() && description.empty() && supplier.empty()) continue;
        if (description.empty()) form.error(field("line", i, "description"), t("Describe the expense.", call.language));
        if (category.empty()) form.error(field("line", i, "category"), t("Choose the category.", call.language));
        if (action.empty())
            form.error(field("line", i, "action"), t("Choose the plan action the expense supports.", call.language));
        const auto cents = parseEuroAmount(amount);
        if (const auto* problem = std::get_if<EuroAmountProblem>(&cents))
            form.echo.errors.push_back({field("line", i, "amount"), "", amountProblem(*problem, call.language)});
        else if (std::get<Cents>(cents) == 0)
            form.error(field("line", i, "amount"), t("An expense line needs an amount above zero.", call.language));
        linesXml += "<line category=\"" + esc(category) + "\" action=\"" + esc(action) + "\"" +
                    (supplier.empty() ? std::string() : " supplier=\"" + esc(supplier) + "\"") + " amount=\"" +
                    (std::holds_alternative<Cents>(cents) ? std::to_string(std::get<Cents>(cents)) : "0") + "\">" +
                    esc(description) + "</line>";
    }
    if (linesXml.empty())
        form.error(field("line", 1, "description"), t("Write at least one expense line.", call.language));
    const std::string payee = form.value("payee");
    std::string iban = form.value("iban");
    iban.erase(std::remove(iban.begin(), iban.end(), ' '), iban.end());
    std::transform(iban.begin(), iban.end(), iban.begin(), [](unsigned char ch) { return std::toupper(ch); });
    if (payee.empty() != iban.empty())
        form.error(payee.empty() ? "payee" : "iban",
                   t("Give both the payee's name and their IBAN, or neither.", call.language));
    if (!form.echo.errors.empty()) return form.show(422, rows);

    const std::string date = form.value("date");
    const std::string justification = form.value("justification");
    const std::string caseManager =
        xpath.string("string((/situation/concertations/concertation)[last()]/caseManager/@partner)");
    std::string data = "<fundingRequest id=\"" + esc(requestId) + "\" date=\"" + esc(date) + "\">" + linesXml;
    if (!justification.empty()) data += "<justification>" + esc(justification) + "</justification>";
    if (!form.value("noDoubleSubsidy").empty())
        data += "<noDoubleSubsidy declared=\"true\" date=\"" + esc(date) + "\"/>";
    if (!payee.empty()) data += "<payee name=\"" + esc(payee) + "\" iban=\"" + esc(iban) + "\"/>";
    if (!caseManager.empty()) data += "<caseManager partner=\"" + esc(caseManager) + "\"/>";
    data += "</fundingRequest>";
    form.fire(data, "funding request form",
              {{"R12", field("line", 1, "category")},
               {"R13", "noDoubleSubsidy"},
               {"R14", field("line", 1, "amount")},
               {"R15", "iban"}},
              rows);
}

} // namespace

std::string amountProblem(EuroAmountProblem problem, const std::string& language) {
    switch (problem) {
    case EuroAmountProblem::Empty:
        return t("Type the amount in euros, for example 1 234,56.", language);
    case EuroAmountProblem::Negative:
        return t("An amount cannot be negative.", language);
    case EuroAmountProblem::DotAfterComma:
        return t("Write the cents after a comma and group thousands with a space or a dot: 1 234,56 or 1.234,56.",
                 language);
    case EuroAmountProblem::TwoCommas:
        return t("An amount has one comma, before the cents: 1 234,56.", language);
    case EuroAmountProblem::BadGrouping:
        return t("A space or a dot may only separate groups of three digits; write the cents after a comma: 12,50.",
                 language);
    case EuroAmountProblem::MixedSeparators:
        return t("Group thousands with spaces or with dots, not both.", language);
    case EuroAmountProblem::TooManyDecimals:
        return t("An amount has at most two digits after the comma.", language);
    case EuroAmountProblem::NoDecimals:
        return t("Write the cents after the comma, or no comma at all.", language);
    case EuroAmountProblem::TooLarge:
        return t("This amount is too large.", language);
    case EuroAmountProblem::NotANumber:
        break;
    }
    return t("This is not an amount in euros; type it as 1 234,56.", language);
}

bool isLaterPhaseForm(const std::string& event) {
    static const std::set<std::string> events{"plan.agreed",          "plan.revised",     "plan.signed",
                                              "plan.signed/document", "need.identified",  "need.none",
                                              "dossier.updated",      "dossier.submitted"};
    return events.count(event) > 0;
}

void handleLaterPhaseForm(PhaseFormCall& call) {
    if (call.event == "plan.agreed" || call.event == "plan.revised") return carePlan(call);
    if (call.event == "plan.signed/document") return planToSign(call);
    if (call.event == "plan.signed") return planSignature(call);
    if (call.event == "need.identified" || call.event == "need.none") return need(call);
    if (call.event == "dossier.updated" || call.event == "dossier.submitted") return fundingRequest(call);
    throw NotFound("no such form");
}

} // namespace caseflow::web
