// The form helper every page with a form uses (and each phase's form of the second wave):
// the posted fields, the CSRF check, the errors to show next to the fields (a refused event
// gives one per failed rule, with its id and its message in the user's language) and the
// values typed, written back into the page model so the form keeps them. What must stay true:
// a POST whose CSRF field is missing or differs from the session's token is refused (403)
// before anything it asks is done; a refused or invalid form answers 422 with the form as it
// was typed; an accepted one redirects (303) so that reloading never posts twice.
#pragma once

#include "core/Errors.h"
#include "web/PageModel.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace caseflow::web {

class PostedForm {
public:
    // application/x-www-form-urlencoded; throws UsageError when malformed or not UTF-8.
    static PostedForm parse(const std::string& body);
    // multipart/form-data (a file upload) or urlencoded, after the request's Content-Type; a
    // file's field holds the file's bytes. Throws UsageError when malformed.
    static PostedForm parse(const std::string& contentType, const std::string& body);
    std::string value(const std::string& name) const; // "" when absent
    std::optional<std::string> find(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

struct FieldError {
    std::string field;   // the input it concerns ("" for the form as a whole)
    std::string ruleId;  // R7... when a workflow rule refused it, "" otherwise
    std::string message; // already in the user's language
};

// Which field each rule concerns on a form; a rule not listed is shown at the top of the form.
using RuleFields = std::map<std::string, std::string>;
std::vector<FieldError> errorsOfRefusal(const RuleRefusal& refusal, const RuleFields& fields);

// Which field each element ("postalCode") or attribute ("correction@date") of an event's data
// concerns on a form; a finding about anything not listed is shown at the top of the form.
using SchemaFields = std::map<std::string, std::string>;
// The schema's (or the model's) findings on data a form built, in `language`
// (i18n::explainInput), one error per element or attribute, without the "name:line:" prefix
// that only means something to someone who wrote the XML.
std::vector<FieldError> errorsOfInvalidInput(const UsageError& invalid, const std::string& language,
                                             const SchemaFields& fields);

// What a form shows again after a refusal: its values and errors, written as
// <form name="..."><value name="...">typed</value>...<error field="..." rule="...">msg</error></form>.
struct FormEcho {
    std::string name;
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<FieldError> errors;
    void write(PageModel& model, const std::vector<std::string>& secretFields = {"password", "csrf"}) const;
};

// The CSRF token the session expects against what was posted, in constant time.
bool csrfMatches(const std::string& expected, const PostedForm& form);

} // namespace caseflow::web
