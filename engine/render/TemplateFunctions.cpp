// The template functions. What must stay true: each pops exactly its arguments and pushes
// exactly one result (or raises an XPath error), every body runs inside `guarded`, amounts
// never pass through floating point except numbers already computed by XPath, which are
// accepted only when they are whole and exactly representable.
#include "render/TemplateFunctions.h"

#include "xml/XPathFunctionKit.h"

#include "core/Text.h"

#include "i18n/MoneyFormat.h"
#include "model/BankAccount.h"
#include "process/RuleMessages.h"
#include "render/Catalog.h"
#include "render/LocaleFormat.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace caseflow::render {
namespace {

constexpr double kExactLimit = 9007199254740992.0; // 2^53

using xml::popString;
using xml::pushString;

FunctionHost& host(xmlXPathParserContextPtr ctxt) {
    auto* found = static_cast<FunctionHost*>(ctxt->context->userData);
    if (!found) throw std::runtime_error("this function is only available while rendering a document");
    return *found;
}

using xml::guarded;

std::string trim(std::string_view text) {
    return std::string(text::trimmed(text));
}

// An integer argument: a number that XPath computed (it must be whole and exact), or the
// string value of a node or literal, read digit by digit.
std::optional<long long> popInteger(xmlXPathParserContextPtr ctxt) {
    xml::XPathObjectPtr object(valuePop(ctxt));
    if (!object) return std::nullopt;
    if (object->type == XPATH_NUMBER) {
        const double value = object->floatval;
        if (!std::isfinite(value) || std::trunc(value) != value || std::fabs(value) > kExactLimit) return std::nullopt;
        return static_cast<long long>(value);
    }
    const std::string text = trim(xml::stringValue(object.get()));
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// cf:format-date(date [, style]) with style 'long' (default), 'medium', 'full' or 'numeric'.
void formatDateFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 2)) return;
    const std::string styleName = nargs == 2 ? popString(ctxt) : "long";
    const std::string date = popString(ctxt);
    if (ctxt->error) return;
    const auto style = parseDateStyle(styleName);
    if (!style) throw std::invalid_argument("unknown date style '" + styleName + "' (long, medium, full, numeric)");
    pushString(ctxt, formatIsoDate(date, host(ctxt).formatLanguage(), *style).value_or(""));
}

// cf:format-datetime(utcInstant): a stored UTC instant shown in Europe/Brussels.
void formatDateTimeFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string instant = popString(ctxt);
    if (ctxt->error) return;
    pushString(ctxt, formatInstant(instant, host(ctxt).formatLanguage()).value_or(""));
}

// cf:format-money(cents): "10 000,00 €" / "€ 10.000,00"; "" when not a whole number of cents.
void formatMoneyFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const auto cents = popInteger(ctxt);
    if (ctxt->error) return;
    pushString(ctxt, cents ? i18n::formatMoney(*cents, host(ctxt).formatLanguage()) : "");
}

// cf:format-number(n): a whole number with the locale's grouping.
void formatNumberFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const auto value = popInteger(ctxt);
    if (ctxt->error) return;
    pushString(ctxt, value ? formatInteger(*value, host(ctxt).formatLanguage()) : "");
}

// cf:format-iban(iban): grouped by four as people read and type it ("BE35 0689 …"); a value
// that is not only letters, digits and spaces is returned as it is (it is data, and escaped).
void formatIbanFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string iban = trim(popString(ctxt));
    if (ctxt->error) return;
    pushString(ctxt, groupedIban(iban));
}

// cf:structured-communication(situationId, ordinal): the Belgian structured communication of
// a situation's ordinal-th payment (model/BankAccount.h communicationOf), "+++ddd/dddd/ddddd+++",
// the one the bank file and the exports carry; "" when there is none.
void structuredCommunicationFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const auto ordinal = popInteger(ctxt);
    const auto situationId = popInteger(ctxt);
    if (ctxt->error) return;
    std::optional<StructuredCommunication> communication;
    if (ordinal && situationId && *ordinal > 0 && *ordinal < 1000)
        communication = communicationOf({*situationId, static_cast<int>(*ordinal)});
    pushString(ctxt, communication ? communication->formatted() : "");
}

// cf:t('msgid'): a literal text of the documents domain, in the language being written.
void translateFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string msgid = popString(ctxt);
    if (ctxt->error) return;
    pushString(ctxt, translate("", msgid, host(ctxt).textLanguage()));
}

// cf:tc('context', 'msgid'): the same with a message context.
void translateContextFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const std::string msgid = popString(ctxt);
    const std::string context = popString(ctxt);
    if (ctxt->error) return;
    pushString(ctxt, translate(context, msgid, host(ctxt).textLanguage()));
}

// cf:plural(n, 'singular', 'plural'): the form the language needs for n, {count} filled in.
void pluralFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 3, 3)) return;
    const std::string plural = popString(ctxt);
    const std::string singular = popString(ctxt);
    const auto count = popInteger(ctxt);
    if (ctxt->error) return;
    if (!count) throw std::invalid_argument("the count is not a whole number");
    FunctionHost& render = host(ctxt);
    const std::string text = translatePlural("", singular, plural, static_cast<long>(*count), render.textLanguage());
    const std::string number = formatInteger(*count, render.formatLanguage());
    pushString(ctxt, text::fillPlaceholders(text, [&](std::string_view name) -> std::optional<std::string> {
                   if (name == "count") return number;
                   return std::nullopt;
               }));
}

// cf:term('vocabulary', value): the translated label of a stored value (templates/terms.xml).
void termFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const std::string value = trim(popString(ctxt));
    const std::string vocabulary = popString(ctxt);
    if (ctxt->error) return;
    FunctionHost& render = host(ctxt);
    if (!render.terms().hasVocabulary(vocabulary)) throw std::invalid_argument("no vocabulary '" + vocabulary + "'");
    pushString(ctxt, value.empty() ? "" : render.terms().translated(vocabulary, value, render.textLanguage()));
}

// The text of the first child element `name` of `parent` whose lang attribute is `language`.
std::string labelIn(xmlNode* parent, const char* name, const std::string& language) {
    for (xmlNode* child : xml::children(parent, name))
        if (xml::attribute(child, "lang").value_or("") == language) return trim(xml::text(child));
    return "";
}

// cf:category-name(n): "Catégorie 3 : 16 à 23 ans, en famille", from the network's age bands (R2).
void categoryNameFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const auto number = popInteger(ctxt);
    if (ctxt->error) return;
    if (!number) {
        pushString(ctxt, "");
        return;
    }
    FunctionHost& render = host(ctxt);
    const std::string& language = render.textLanguage();
    std::vector<xmlNode*> bands;
    if (xmlNode* network = render.network()) bands = xml::children(xml::firstChild(network, "ageBands"), "band");
    const long long bandCount = static_cast<long long>(bands.size());
    const std::string numberText = formatInteger(*number, render.formatLanguage());
    if (bandCount == 0 || *number < 1 || *number > 2 * bandCount) {
        pushString(ctxt, text::fillPlaceholders(translate("", "Category {number}", language), [&](std::string_view) {
                       return std::optional<std::string>(numberText);
                   }));
        return;
    }
    xmlNode* band = bands[static_cast<std::size_t>((*number - 1) % bandCount)];
    const std::string environment = (*number - 1) / bandCount == 0 ? "family" : "institution";
    const std::string text = translate("", "Category {number}: {minAge} to {maxAge} years, {environment}", language);
    pushString(ctxt, text::fillPlaceholders(text, [&](std::string_view name) -> std::optional<std::string> {
                   if (name == "number") return numberText;
                   if (name == "minAge") return xml::attribute(band, "minAge").value_or("?");
                   if (name == "maxAge") return xml::attribute(band, "maxAge").value_or("?");
                   if (name == "environment") return render.terms().translated("living", environment, language);
                   return std::nullopt;
               }));
}

// cf:state-name(states): workflow state ids (space-separated) in the language being written.
void stateNameFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string states = popString(ctxt);
    if (ctxt->error) return;
    const std::string& language = host(ctxt).textLanguage();
    std::string names;
    std::size_t start = 0;
    while (start < states.size()) {
        const std::size_t end = std::min(states.find(' ', start), states.size());
        if (end > start)
            names += (names.empty() ? "" : ", ") + localiseState(states.substr(start, end - start), language);
        start = end + 1;
    }
    pushString(ctxt, names);
}

// cf:expense-category(id): the category's label from the network settings.
void expenseCategoryFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 1)) return;
    const std::string id = trim(popString(ctxt));
    if (ctxt->error) return;
    FunctionHost& render = host(ctxt);
    std::string label;
    if (xmlNode* network = render.network()) {
        for (xmlNode* category : xml::children(xml::firstChild(network, "expenseCategories"), "expenseCategory"))
            if (xml::attribute(category, "id").value_or("") == id)
                label = labelIn(category, "label", render.textLanguage());
    }
    pushString(ctxt, label.empty() ? id : label);
}

// cf:network-name(): the network's name in the language being written.
void networkNameFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 0, 0)) return;
    FunctionHost& render = host(ctxt);
    pushString(ctxt, render.network() ? labelIn(render.network(), "label", render.textLanguage()) : "");
}

// cf:join(nodes, separator): the non-empty string values, joined.
void joinFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 2, 2)) return;
    const std::string separator = popString(ctxt);
    xml::NodeSetPtr nodes(xmlXPathPopNodeSet(ctxt));
    if (ctxt->error) return;
    std::string joined;
    for (int i = 0; nodes && i < nodes->nodeNr; ++i) {
        xml::XmlString value(xmlXPathCastNodeToString(nodes->nodeTab[i]));
        const std::string text = trim(value ? xml::c(value.get()) : "");
        if (!text.empty()) joined += (joined.empty() ? "" : separator) + text;
    }
    pushString(ctxt, joined);
}

// cf:coalesce(a, b, ...): the first argument whose string value is not empty, else "".
void coalesceFunction(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 1, 16)) return;
    std::vector<std::string> values;
    for (int i = 0; i < nargs; ++i) values.push_back(trim(popString(ctxt)));
    if (ctxt->error) return;
    // Arguments come off the stack last first.
    for (auto value = values.rbegin(); value != values.rend(); ++value) {
        if (!value->empty()) {
            pushString(ctxt, *value);
            return;
        }
    }
    pushString(ctxt, "");
}

} // namespace

void registerTemplateFunctions(xmlXPathContext* context) {
    workflow::registerCaseflowFunctions(context);
    // Signed care plans and decisions end with an enveloped W3C XML Signature (issue 6):
    // templates may ask whether one is there (ds:Signature), never show its content.
    xmlXPathRegisterNs(context, xml::x(kSignaturePrefix), xml::x(kSignatureNamespace));
    const auto add = [context](const char* name, xmlXPathFunction function) {
        xmlXPathRegisterFuncNS(context, xml::x(name), xml::x(workflow::kFunctionsNamespace), function);
    };
    add("format-date", guarded<formatDateFunction>);
    add("format-datetime", guarded<formatDateTimeFunction>);
    add("format-money", guarded<formatMoneyFunction>);
    add("format-number", guarded<formatNumberFunction>);
    add("format-iban", guarded<formatIbanFunction>);
    add("structured-communication", guarded<structuredCommunicationFunction>);
    add("t", guarded<translateFunction>);
    add("tc", guarded<translateContextFunction>);
    add("plural", guarded<pluralFunction>);
    add("term", guarded<termFunction>);
    add("category-name", guarded<categoryNameFunction>);
    add("state-name", guarded<stateNameFunction>);
    add("expense-category", guarded<expenseCategoryFunction>);
    add("network-name", guarded<networkNameFunction>);
    add("join", guarded<joinFunction>);
    add("coalesce", guarded<coalesceFunction>);
}

} // namespace caseflow::render
