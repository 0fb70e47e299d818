#include "i18n/MoneyFormat.h"

#include "i18n/Translator.h"

#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <mutex>

namespace caseflow::i18n {
namespace {

const char* icuLocale(const std::string& language) {
    if (language == "fr") return "fr_BE";
    if (language == "nl") return "nl_BE";
    return "en_BE";
}

} // namespace

std::string formatMoney(Cents amount, const std::string& language) {
    // NumberFormat::format is const but not documented thread-safe: one formatter per thread.
    thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> formatters;
    const std::string checked = checkLanguage(language);
    auto& formatter = formatters[checked];
    UErrorCode status = U_ZERO_ERROR;
    if (!formatter) {
        formatter.reset(icu::NumberFormat::createCurrencyInstance(icu::Locale(icuLocale(checked)), status));
        if (U_FAILURE(status) || !formatter) return formatCentsPlain(amount) + " EUR";
        static const char16_t euro[] = u"EUR";
        formatter->setCurrency(euro, status);
    }
    const std::string decimal = formatCentsPlain(amount);
    icu::Formattable number(icu::StringPiece(decimal.c_str()), status);
    if (U_FAILURE(status)) return decimal + " EUR";
    icu::UnicodeString text;
    icu::FieldPosition position;
    formatter->format(number, text, position, status);
    if (U_FAILURE(status)) return decimal + " EUR";
    std::string result;
    text.toUTF8String(result);
    return result;
}

std::string formatPermille(int permille, const std::string& language) {
    const std::string checked = checkLanguage(language);
    const bool negative = permille < 0;
    const int magnitude = negative ? -permille : permille;
    const std::string number = (negative ? "-" : "") + std::to_string(magnitude / 10) + (checked == "en" ? "." : ",") +
                               std::to_string(magnitude % 10);
    return number + (checked == "fr" ? "\u00a0%" : "%");
}

} // namespace caseflow::i18n
