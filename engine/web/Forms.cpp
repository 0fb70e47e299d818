// Posted forms, their errors and their echo (see Forms.h).
#include "web/Forms.h"

#include "i18n/InputExplanation.h"

#include "web/Passwords.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <regex>
#include <set>

namespace caseflow::web {
namespace {

bool validUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = lead < 0x80           ? 1
                             : (lead >> 5) == 0x6  ? 2
                             : (lead >> 4) == 0xe  ? 3
                             : (lead >> 3) == 0x1e ? 4
                                                   : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
        i += length;
    }
    return true;
}

std::string decode(const std::string& text) {
    std::string plus = text;
    std::replace(plus.begin(), plus.end(), '+', ' ');
    std::string decoded;
    Poco::URI::decode(plus, decoded);
    if (!validUtf8(decoded)) throw UsageError("the form is not valid UTF-8");
    return decoded;
}

} // namespace

PostedForm PostedForm::parse(const std::string& body) {
    PostedForm form;
    std::size_t start = 0;
    while (start < body.size()) {
        const std::size_t end = std::min(body.find('&', start), body.size());
        const std::string pair = body.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t equals = pair.find('=');
            try {
                form.fields_.emplace_back(decode(pair.substr(0, equals)),
                                          equals == std::string::npos ? "" : decode(pair.substr(equals + 1)));
            } catch (const Poco::Exception&) {
                throw UsageError("the form holds a malformed %-escape");
            }
        }
        start = end + 1;
    }
    return form;
}

std::optional<std::string> PostedForm::find(const std::string& name) const {
    for (const auto& [key, value] : fields_)
        if (key == name) return value;
    return std::nullopt;
}

std::string PostedForm::value(const std::string& name) const {
    return find(name).value_or("");
}

std::vector<std::string> PostedForm::values(const std::string& name) const {
    std::vector<std::string> found;
    for (const auto& [key, value] : fields_)
        if (key == name) found.push_back(value);
    return found;
}

std::vector<FieldError> errorsOfRefusal(const RuleRefusal& refusal, const RuleFields& fields) {
    std::vector<FieldError> errors;
    for (const auto& violation : refusal.violations()) {
        const auto field = fields.find(violation.ruleId);
        errors.push_back({field == fields.end() ? "" : field->second, violation.ruleId, violation.message});
    }
    if (errors.empty()) errors.push_back({"", "", refusal.what()});
    return errors;
}

std::vector<FieldError> errorsOfInvalidInput(const UsageError& invalid, const std::string& language,
                                             const SchemaFields& fields) {
    const auto* input = dynamic_cast<const InvalidInput*>(&invalid);
    const std::vector<std::string> findings =
        input && !input->details().empty() ? input->details() : std::vector<std::string>{invalid.what()};
    static const std::regex located(R"(^[^:]*:\d+: )");
    static const std::regex about(R"(^(?:[^:]*:\d+: )?Element '([^']+)'(?:, attribute '([^']+)')?:)");
    std::vector<FieldError> errors;
    std::set<std::string> subjects;
    for (const auto& finding : findings) {
        std::smatch m;
        std::string subject;
        if (std::regex_search(finding, m, about)) subject = m[2].matched ? m[1].str() + "@" + m[2].str() : m[1].str();
        // libxml2 follows a facet failure with the type failure of the same value: one
        // finding per element or attribute is enough to correct it.
        if (!subject.empty() && !subjects.insert(subject).second) continue;
        const auto field = fields.find(subject);
        errors.push_back({field == fields.end() ? "" : field->second, "",
                          std::regex_replace(i18n::explainInputLine(finding, language), located, "",
                                             std::regex_constants::format_first_only)});
    }
    return errors;
}

void FormEcho::write(PageModel& model, const std::vector<std::string>& secretFields) const {
    model.open("form").attribute("name", name);
    for (const auto& [field, value] : values)
        if (std::find(secretFields.begin(), secretFields.end(), field) == secretFields.end())
            model.leaf("value", {{"name", field}}, value);
    for (const auto& error : errors)
        model.leaf("error", {{"field", error.field}, {"rule", error.ruleId}}, error.message);
    model.close();
}

bool csrfMatches(const std::string& expected, const PostedForm& form) {
    const auto posted = form.find("csrf");
    return posted && !expected.empty() && constantTimeEquals(expected, *posted);
}

} // namespace caseflow::web
