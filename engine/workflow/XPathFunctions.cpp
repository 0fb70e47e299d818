// The cf: XPath extension functions. What must stay true: every function is reached from
// libxml2's C evaluator, so none may let a C++ exception escape (each body runs inside
// `guarded`), and each pops exactly its arguments and pushes exactly one result or an error.
#include "workflow/XPathFunctions.h"

#include "xml/XPathFunctionKit.h"

#include "model/BankAccount.h"
#include "model/Date.h"
#include "model/XsBoolean.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace caseflow::workflow {
namespace {

using xml::NodeSetPtr;
using xml::popString;
using xml::pushString;
using xml::XmlString;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Doubles hold every integer up to 2^53 exactly; beyond that a sum of cents could round.
constexpr long long kExactLimit = 9007199254740992LL;

void pushNumber(xmlXPathParserContextPtr ctxt, double value) {
    valuePush(ctxt, xmlXPathNewFloat(value));
}

using xml::guarded;

// Dates arrive as string values of nodes, often indented inside their element.
std::optional<Date> parseDate(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::nullopt;
    const auto date = Date::parse(std::string_view(text).substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
    if (!date || date->year() < 1) return std::nullopt;
    return date;
}

// cf:age(birthDate, onDate) -> whole years, NaN for an invalid date or a day before birth.
void age(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const std::string on = popString(ctxt);
    const std::string birth = popString(ctxt);
    if (ctxt->error) return;
    const auto birthDate = parseDate(birth), onDate = parseDate(on);
    const bool valid = birthDate && onDate && *birthDate <= *onDate;
    pushNumber(ctxt, valid ? static_cast<double>(ageOn(*birthDate, *onDate)) : kNaN);
}

// cf:months-between(date1, date2) -> whole calendar months from date1 to date2.
void monthsBetweenFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const std::string to = popString(ctxt);
    const std::string from = popString(ctxt);
    if (ctxt->error) return;
    const auto fromDate = parseDate(from), toDate = parseDate(to);
    pushNumber(ctxt, fromDate && toDate ? static_cast<double>(monthsBetween(*fromDate, *toDate)) : kNaN);
}

void todayFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 0, 0)) return;
    pushString(ctxt, Date::today().iso());
}

// A whole count within `limit` (of months, of days); fractions, NaN and infinities are refused.
std::optional<int> wholeNumber(double value, double limit) {
    if (!std::isfinite(value) || std::trunc(value) != value || std::fabs(value) > limit) return std::nullopt;
    return static_cast<int>(value);
}

// Years 0001 to 9999: what ISO 8601 dates can be written as without an extension.
bool writable(const Date& date) {
    return date.year() >= 1 && date.year() <= 9999;
}

// cf:add-months(date, n) -> ISO date clamped to the month's end, "" when invalid.
void addMonthsFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const double count = xmlXPathPopNumber(ctxt);
    const std::string date = popString(ctxt);
    if (ctxt->error) return;
    const auto start = parseDate(date);
    const auto months = wholeNumber(count, 12 * 10000);
    std::string result;
    if (start && months) {
        const Date moved = start->addMonths(*months);
        if (writable(moved)) result = moved.iso();
    }
    pushString(ctxt, result);
}

// cf:add-days(date, n) -> ISO date, "" when invalid.
void addDaysFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const double count = xmlXPathPopNumber(ctxt);
    const std::string date = popString(ctxt);
    if (ctxt->error) return;
    const auto start = parseDate(date);
    const auto days = wholeNumber(count, 4'000'000); // more than 10 000 years of days
    std::string result;
    if (start && days) {
        const Date moved = start->addDays(*days);
        if (writable(moved)) result = moved.iso();
    }
    pushString(ctxt, result);
}

std::optional<long long> parseCents(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// cf:sum-cents(nodeset) -> exact sum of integer cents, NaN if any value is not an integer or
// the sum could no longer be represented exactly.
void sumCents(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    NodeSetPtr nodes(xmlXPathPopNodeSet(ctxt));
    if (ctxt->error) return;
    long long sum = 0;
    bool exact = true;
    for (int i = 0; nodes && i < nodes->nodeNr && exact; ++i) {
        XmlString value(xmlXPathCastNodeToString(nodes->nodeTab[i]));
        const auto cents = parseCents(value ? xml::c(value.get()) : "");
        exact = cents && !__builtin_add_overflow(sum, *cents, &sum);
    }
    exact = exact && sum <= kExactLimit && sum >= -kExactLimit;
    pushNumber(ctxt, exact ? static_cast<double>(sum) : kNaN);
}

void validIban(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string iban = popString(ctxt);
    if (ctxt->error) return;
    valuePush(ctxt, xmlXPathNewBoolean(caseflow::isValidIban(iban) ? 1 : 0));
}

// cf:iban-problem(text): which ISO 13616 check the text fails ("characters", "country",
// "length", "check-digits"), "" for an IBAN: a rule per check says which one to fix (R15).
void ibanProblemFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string iban = popString(ctxt);
    if (ctxt->error) return;
    const auto problem = caseflow::ibanProblem(iban);
    valuePush(ctxt, xmlXPathNewString(xml::x(problem ? caseflow::ibanProblemName(*problem) : "")));
}

void isDate(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string text = popString(ctxt);
    if (ctxt->error) return;
    valuePush(ctxt, xmlXPathNewBoolean(parseDate(text) ? 1 : 0));
}

// cf:is-true(flag) / cf:is-false(flag): the flag's string value read as an xs:boolean
// (model/XsBoolean.h), so "1" is as true as "true"; an absent or malformed flag is neither.
template <bool Wanted> void isFlag(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string text = popString(ctxt);
    if (ctxt->error) return;
    valuePush(ctxt, xmlXPathNewBoolean(parseXsBoolean(text) == std::optional<bool>(Wanted) ? 1 : 0));
}

} // namespace

void registerNamespaces(xmlXPathContext* context) {
    xmlXPathRegisterNs(context, xml::x(kFunctionsPrefix), xml::x(kFunctionsNamespace));
}

void registerCaseflowFunctions(xmlXPathContext* context) {
    registerNamespaces(context);
    const auto add = [context](const char* functionName, xmlXPathFunction function) {
        // Fails, harmlessly, when the name is taken: the caller's own definition wins.
        xmlXPathRegisterFuncNS(context, xml::x(functionName), xml::x(kFunctionsNamespace), function);
    };
    add("age", guarded<age>);
    add("months-between", guarded<monthsBetweenFunction>);
    add("today", guarded<todayFunction>);
    add("add-months", guarded<addMonthsFunction>);
    add("add-days", guarded<addDaysFunction>);
    add("sum-cents", guarded<sumCents>);
    add("valid-iban", guarded<validIban>);
    add("iban-problem", guarded<ibanProblemFunction>);
    add("date", guarded<isDate>);
    add("is-true", guarded<isFlag<true>>);
    add("is-false", guarded<isFlag<false>>);
    registerPeriodFunctions(context);
}

} // namespace caseflow::workflow
