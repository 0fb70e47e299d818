// The parts every phase form written on FormRequest shares (EarlyPhaseForms.cpp,
// CorrectionForms.cpp): a writer for event data, the situation a form concerns, the page a form
// starts with, the checks a form makes before firing, and the firing itself with its refusal
// shown in place. What must stay true: event data is built only through DataXml, which escapes
// every value; a form is shown only to a user the matrix lets fire events on that situation; a
// refused event answers 422 with what was typed and each problem next to its field, in the
// user's language (a rule's id and message, or the schema's finding said again by
// i18n::explainInput); an accepted one redirects (303) to the situation.
#pragma once

#include "process/FundingProcess.h"
#include "web/Forms.h"
#include "web/PhaseForms.h"
#include "xml/Xml.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caseflow::web {

// A small writer for event data: every value passes through xml::appendEscaped; an attribute
// whose value is empty is left out.
class DataXml {
public:
    DataXml& open(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes = {});
    DataXml& text(std::string_view value);
    DataXml& close();
    DataXml& element(std::string_view name, std::string_view value,
                     const std::vector<std::pair<std::string, std::string>>& attributes = {});
    const std::string& str() const { return xml_; }

private:
    std::string xml_;
    std::vector<std::string> stack_;
};

std::string trimmed(const std::string& text);
bool isDate(const std::string& text);
// An xs:boolean at `path` is true ("true" or "1").
bool isTrue(xml::XPath& xpath, const std::string& path);

// The situation as a form needs it, once its reader may fire events on it (else PageRefused 403).
struct SituationInHand {
    SituationRecord record;
    xml::Document document;
};
SituationInHand situationForForm(FormRequest& request, std::int64_t id);

// The page every phase form starts with: the situation it concerns, its partners (the forms
// pick from them).
void beginFormPage(FormRequest& request, PageModel& model, const std::string& pageName, const SituationInHand& held,
                   const std::string& event);
// How a form whose page holds only that and what was typed is shown (with a status: 200, 422).
// `request` and `held` must outlive the function.
std::function<void(int status, const FormEcho& echo)> plainFormPage(FormRequest& request, const SituationInHand& held,
                                                                    std::string pageName, std::string event);

// The first id `prefix`N not used yet by the elements at `listPath` ("p3", "k2"...).
std::string nextId(const xml::Document& doc, const std::string& listPath, const std::string& prefix);

void requireField(FormRequest& request, FormEcho& echo, const PostedForm& form, const std::string& field);
void requireDate(FormRequest& request, FormEcho& echo, const PostedForm& form, const std::string& field,
                 bool required = true);

using ShowForm = std::function<void(int status, const FormEcho& echo)>;

// Fires the event; on a refusal shows the form again (422) with the failed rules next to the
// fields `ruleFields` names and the schema's findings next to those `schemaFields` names.
// `accepted` is where an accepted form goes (the situation by default).
void fireOrShow(FormRequest& request, std::int64_t id, const std::string& event, const std::string& data,
                const RuleFields& ruleFields, FormEcho& echo, const ShowForm& show,
                const SchemaFields& schemaFields = {}, const std::string& accepted = "");

} // namespace caseflow::web
