// Recognises libxml2's schema messages (the wording of libxml2 2.9, Debian 12) and the
// model's amount check, and says them again through the "interface" catalogs.
#include "i18n/InputExplanation.h"

#include "core/Text.h"
#include "i18n/Translator.h"

#include <regex>

namespace caseflow::i18n {

namespace {

std::string say(const char* msgid, const std::string& language,
                std::initializer_list<std::pair<const char*, std::string>> values) {
    return text::fillPlaceholders(translate(kInterfaceDomain, msgid, language),
                                  [&](std::string_view name) -> std::optional<std::string> {
                                      for (const auto& [key, value] : values)
                                          if (name == key) return value;
                                      return std::nullopt;
                                  });
}

// "{'family', 'institution'}" -> "family, institution"
std::string listed(const std::string& set) {
    static const std::regex item("'([^']*)'");
    std::vector<std::string> items;
    for (auto it = std::sregex_iterator(set.begin(), set.end(), item); it != std::sregex_iterator(); ++it)
        items.push_back((*it)[1].str());
    return text::joined(items, ", ");
}

// "( a, b )" or "( {ns}a, b )" -> "a, b"
std::string expected(const std::string& list) {
    std::string names = std::regex_replace(list, std::regex(R"(\{[^}]*\})"), "");
    return std::string(text::trimmed(names));
}

// <element> or @attribute of <element>, as the user wrote them.
std::string subject(const std::string& element, const std::string& attribute, const std::string& language) {
    if (attribute.empty()) return "<" + element + ">";
    return say("attribute {attribute} of <{element}>", language, {{"attribute", attribute}, {"element", element}});
}

std::string typeProblem(const std::string& value, const std::string& type, const std::string& what,
                        const std::string& language) {
    if (type == "date" || type == "xs:date")
        return say("{what}: \"{value}\" is not a date; write it as YYYY-MM-DD (2026-03-15)", language,
                   {{"what", what}, {"value", value}});
    if (type == "xs:boolean")
        return say("{what}: \"{value}\" is neither true nor false", language, {{"what", what}, {"value", value}});
    if (type == "cents" || type == "xs:nonNegativeInteger" || type == "xs:positiveInteger" || type == "xs:integer")
        return say("{what}: \"{value}\" is not a whole number", language, {{"what", what}, {"value", value}});
    return say("{what}: \"{value}\" is not a valid value", language, {{"what", what}, {"value", value}});
}

} // namespace

std::string explainInputLine(const std::string& line, const std::string& language) {
    // "file:line: " stays as it is; the rest is the finding.
    static const std::regex located(R"(^([^:]*:\d+: )(.*)$)");
    std::smatch parts;
    std::string prefix, finding = line;
    if (std::regex_match(line, parts, located)) {
        prefix = parts[1].str();
        finding = parts[2].str();
    }
    static const std::regex about(R"(^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$)");
    std::smatch head;
    if (std::regex_match(finding, head, about)) {
        const std::string element = head[1].str(), attribute = head[2].str(), rest = head[3].str();
        const std::string what = subject(element, attribute, language);
        static const std::regex enumeration(
            R"(^\[facet 'enumeration'\] The value '([^']*)' is not an element of the set (\{.*\})\.$)");
        static const std::regex atomic(
            R"(^'([^']*)' is not a valid value of the (?:local )?(?:atomic|union) type(?: '([^']+)')?\.$)");
        static const std::regex missingChild(R"(^Missing child element\(s\)\. Expected is(?: one of)? \((.*)\)\.$)");
        static const std::regex unexpected(R"(^This element is not expected\. Expected is(?: one of)? \((.*)\)\.$)");
        static const std::regex unexpectedAlone(R"(^This element is not expected\.$)");
        static const std::regex missingAttribute(R"(^The attribute '([^']+)' is required but missing\.$)");
        static const std::regex unknownAttribute(R"(^The attribute '([^']+)' is not allowed\.$)");
        static const std::regex textInElements(R"(^Character content other than whitespace is not allowed.*$)");
        static const std::regex pattern(
            R"(^\[facet '(?:pattern|minLength|maxLength|minInclusive|maxInclusive)'\] The value '([^']*)'.*$)");
        std::smatch m;
        if (std::regex_match(rest, m, enumeration))
            return prefix + say("{what}: \"{value}\" is not one of the allowed values: {allowed}", language,
                                {{"what", what}, {"value", m[1].str()}, {"allowed", listed(m[2].str())}});
        if (std::regex_match(rest, m, atomic)) return prefix + typeProblem(m[1].str(), m[2].str(), what, language);
        if (std::regex_match(rest, m, missingChild))
            return prefix + say("<{element}> lacks {expected}", language,
                                {{"element", element}, {"expected", "<" + expected(m[1].str()) + ">"}});
        if (std::regex_match(rest, m, unexpected))
            return prefix + say("<{element}> is not expected here; expected: {expected}", language,
                                {{"element", element}, {"expected", "<" + expected(m[1].str()) + ">"}});
        if (std::regex_match(rest, m, unexpectedAlone))
            return prefix + say("<{element}> is not expected here", language, {{"element", element}});
        if (std::regex_match(rest, m, missingAttribute))
            return prefix + say("<{element}> needs the attribute {attribute}", language,
                                {{"element", element}, {"attribute", m[1].str()}});
        if (std::regex_match(rest, m, unknownAttribute))
            return prefix + say("<{element}> does not take the attribute {attribute}", language,
                                {{"element", element}, {"attribute", m[1].str()}});
        if (std::regex_match(rest, m, textInElements))
            return prefix + say("<{element}> holds elements, not text", language, {{"element", element}});
        if (std::regex_match(rest, m, pattern))
            return prefix +
                   say("{what}: \"{value}\" is not a valid value", language, {{"what", what}, {"value", m[1].str()}});
        return line;
    }
    // The model's own checks (model/Situation.cpp): an event's data element, an amount.
    static const std::regex eventData(R"(^<([^>]+)> cannot be the data of an event; expected one of: (.*)$)");
    if (std::smatch d; std::regex_match(finding, d, eventData))
        return prefix + say("<{element}> cannot be the data of an event; expected one of: {expected}", language,
                            {{"element", d[1].str()}, {"expected", d[2].str()}});
    // The model's own amount check (model/Situation.cpp).
    static const std::regex cents(R"re(^(\w+) "([^"]*)" of <([^>]+)> is not canonical cents:.*$)re");
    std::smatch m;
    if (std::regex_match(finding, m, cents))
        return prefix + say("{what}: \"{value}\" is not an amount in cents: whole cents in digits only "
                            "(12500 for 125,00 EUR)",
                            language, {{"what", subject(m[3].str(), m[1].str(), language)}, {"value", m[2].str()}});
    return line;
}

std::vector<std::string> explainInput(const InvalidInput& invalid, const std::string& language) {
    const std::vector<std::string> details =
        invalid.details().empty() ? std::vector<std::string>{invalid.what()} : invalid.details();
    static const std::regex sameSubject(R"(^([^:]*:\d+: Element '[^']+'(?:, attribute '[^']+')?):)");
    std::vector<std::string> lines;
    std::string previous;
    for (const auto& detail : details) {
        // libxml2 follows a facet failure with the type failure of the same value: one
        // finding, one line.
        std::smatch current, before;
        const bool repeatsFacet =
            detail.find("is not a valid value of the") != std::string::npos &&
            previous.find("[facet '") != std::string::npos && std::regex_search(detail, current, sameSubject) &&
            std::regex_search(previous, before, sameSubject) && current[1].str() == before[1].str();
        previous = detail;
        if (!repeatsFacet) lines.push_back(explainInputLine(detail, language));
    }
    return lines;
}

} // namespace caseflow::i18n
