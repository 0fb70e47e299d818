// The parts the phase forms share (see FormParts.h).
#include "web/FormParts.h"

#include "model/Date.h"
#include "process/Authorisation.h"
#include "web/Labels.h"

namespace caseflow::web {
namespace {

std::string t(const char* msgid, const FormRequest& request) {
    return request.translate(msgid);
}

} // namespace

bool isTrue(xml::XPath& xpath, const std::string& path) {
    return xpath.boolean(path + " = 'true' or " + path + " = '1'");
}

DataXml& DataXml::open(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes) {
    xml_ += "<";
    xml_ += name;
    for (const auto& [key, value] : attributes) {
        if (value.empty()) continue;
        xml_ += " " + key + "=\"";
        xml::appendEscaped(xml_, value);
        xml_ += "\"";
    }
    xml_ += ">";
    stack_.emplace_back(name);
    return *this;
}

DataXml& DataXml::text(std::string_view value) {
    xml::appendEscaped(xml_, value, false);
    return *this;
}

DataXml& DataXml::close() {
    xml_ += "</" + stack_.back() + ">";
    stack_.pop_back();
    return *this;
}

DataXml& DataXml::element(std::string_view name, std::string_view value,
                          const std::vector<std::pair<std::string, std::string>>& attributes) {
    return open(name, attributes).text(value).close();
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool isDate(const std::string& text) {
    return Date::parse(text).has_value();
}

SituationInHand situationForForm(FormRequest& request, std::int64_t id) {
    const Permission permission = permissionFor(request.role(), Operation::FireEvent);
    if (!permission.allowed()) throw PageRefused(403, t("Your role does not give access to this page.", request));
    SituationRecord record = request.process().situation(id);
    if (!maySee(permission, request.assignedTo(id)))
        throw PageRefused(403, t("This situation is not one of yours.", request));
    auto doc = xml::parseString(record.document, "situation");
    return {std::move(record), std::move(doc)};
}

// The page every phase form starts with: the situation it concerns, its partners (the forms
// pick from them) and the echo of what was typed.
void beginFormPage(FormRequest& request, PageModel& model, const std::string& pageName, const SituationInHand& held,
                   const std::string& event) {
    request.beginModel(model, pageName);
    xml::XPath xpath(held.document.get());
    model.open("situation")
        .attribute("id", std::to_string(held.record.id))
        .attribute("reference", xpath.string("string(/situation/youth/reference)"))
        .attribute("state", held.record.state)
        .attribute("event", event)
        .attribute("eventLabel", eventLabel(event, request.language()))
        .close();
    const auto count = static_cast<int>(xpath.number("count(/situation/partners/partner)"));
    for (int i = 1; i <= count; ++i) {
        const std::string at = "/situation/partners/partner[" + std::to_string(i) + "]";
        model.leaf("partner", {{"id", xpath.string("string(" + at + "/@id)")},
                               {"organisation", xpath.string("string(" + at + "/organisation)")},
                               {"contact", xpath.string("string(" + at + "/contact)")},
                               {"function", xpath.string("string(" + at + "/function)")},
                               {"sector", xpath.string("string(" + at + "/@sector)")},
                               {"pedopsychiatrist", isTrue(xpath, at + "/pedopsychiatrist") ? "true" : ""}});
    }
}

std::function<void(int, const FormEcho&)> plainFormPage(FormRequest& request, const SituationInHand& held,
                                                        std::string pageName, std::string event) {
    return
        [&request, &held, pageName = std::move(pageName), event = std::move(event)](int status, const FormEcho& echo) {
            PageModel model;
            beginFormPage(request, model, pageName, held, event);
            echo.write(model);
            request.sendPage(status, pageName, model);
        };
}

void fireOrShow(FormRequest& request, std::int64_t id, const std::string& event, const std::string& data,
                const RuleFields& ruleFields, FormEcho& echo, const ShowForm& show, const SchemaFields& schemaFields,
                const std::string& accepted) {
    try {
        request.process().fire(id, event, data, "form", request.actor());
    } catch (const RuleRefusal& refusal) {
        echo.errors = errorsOfRefusal(refusal, ruleFields);
        return show(422, echo);
    } catch (const EventNotAllowed&) {
        echo.errors.push_back({"", "", t("This event cannot be recorded in the situation's state now.", request)});
        return show(422, echo);
    } catch (const UsageError& invalid) {
        // The schema or the event's scope refused the data: a field this form left unchecked,
        // said again in the user's language next to it.
        for (auto& error : errorsOfInvalidInput(invalid, request.language(), schemaFields))
            echo.errors.push_back(std::move(error));
        return show(422, echo);
    }
    request.redirect(accepted.empty() ? "/situations/" + std::to_string(id) : accepted);
}

void requireField(FormRequest& request, FormEcho& echo, const PostedForm& form, const std::string& field) {
    if (trimmed(form.value(field)).empty()) echo.errors.push_back({field, "", t("This field is required.", request)});
}

void requireDate(FormRequest& request, FormEcho& echo, const PostedForm& form, const std::string& field,
                 bool required) {
    const std::string value = trimmed(form.value(field));
    if (value.empty() && !required) return;
    if (!isDate(value))
        echo.errors.push_back({field, "", t("Give a date as YYYY-MM-DD, for example 2026-03-15.", request)});
}

std::string nextId(const xml::Document& doc, const std::string& listPath, const std::string& prefix) {
    xml::XPath xpath(doc.get());
    for (int n = static_cast<int>(xpath.number("count(" + listPath + ")")) + 1;; ++n) {
        const std::string id = prefix + std::to_string(n);
        if (!xpath.boolean(listPath + "[@id = '" + id + "']")) return id;
    }
}

} // namespace caseflow::web
