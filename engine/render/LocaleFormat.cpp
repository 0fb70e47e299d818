// ICU formatters, one set per thread (ICU formatters are not documented thread-safe) and
// per language and style, created on first use. What must stay true: dates are formatted
// in GMT from their civil day (a date has no zone), instants in Europe/Brussels. ICU takes
// some ten thousand instructions per date, and documents repeat the same few dates, so
// results are memoised per thread: formatting is a pure function of its arguments.
#include "render/LocaleFormat.h"
#include "core/Text.h"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/numfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <unordered_map>

namespace caseflow::render {
namespace {

icu::Locale icuLocale(const std::string& language) {
    if (language == "fr") return icu::Locale("fr", "BE");
    if (language == "nl") return icu::Locale("nl", "BE");
    return icu::Locale("en", "BE");
}

std::string utf8(const icu::UnicodeString& text) {
    std::string result;
    text.toUTF8String(result);
    return result;
}

std::unique_ptr<icu::DateFormat> createDateFormat(const std::string& language, DateStyle style) {
    const icu::Locale locale = icuLocale(language);
    if (style == DateStyle::Numeric) {
        // A four-digit year, whatever the locale's short style does (fr_BE's is "11/02/26").
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::DateTimePatternGenerator> generator(
            icu::DateTimePatternGenerator::createInstance(locale, status));
        if (U_SUCCESS(status)) {
            const icu::UnicodeString pattern = generator->getBestPattern(u"ddMMyyyy", status);
            auto format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
            if (U_SUCCESS(status)) return format;
        }
        return std::unique_ptr<icu::DateFormat>(icu::DateFormat::createDateInstance(icu::DateFormat::kShort, locale));
    }
    const auto icuStyle = style == DateStyle::Full     ? icu::DateFormat::kFull
                          : style == DateStyle::Medium ? icu::DateFormat::kMedium
                                                       : icu::DateFormat::kLong;
    return std::unique_ptr<icu::DateFormat>(icu::DateFormat::createDateInstance(icuStyle, locale));
}

icu::DateFormat* dateFormat(const std::string& language, DateStyle style) {
    thread_local std::map<std::pair<std::string, DateStyle>, std::unique_ptr<icu::DateFormat>> formats;
    auto& format = formats[{language, style}];
    if (!format) {
        format = createDateFormat(language, style);
        if (format) format->setTimeZone(*icu::TimeZone::getGMT());
    }
    return format.get();
}

icu::DateFormat* instantFormat(const std::string& language) {
    thread_local std::map<std::string, std::unique_ptr<icu::DateFormat>> formats;
    auto& format = formats[language];
    if (!format) {
        format.reset(icu::DateFormat::createDateTimeInstance(icu::DateFormat::kLong, icu::DateFormat::kShort,
                                                             icuLocale(language)));
        if (format) format->adoptTimeZone(icu::TimeZone::createTimeZone("Europe/Brussels"));
    }
    return format.get();
}

// A bounded per-thread memo of formatted values; emptied when full rather than evicting
// one by one, which keeps it simple and is rare (a batch repeats few distinct values).
class Memo {
public:
    template <typename Compute> const std::string& get(const std::string& key, Compute compute) {
        auto found = values_.find(key);
        if (found != values_.end()) return found->second;
        if (values_.size() >= kCapacity) values_.clear();
        return values_.emplace(key, compute()).first->second;
    }

private:
    static constexpr std::size_t kCapacity = 4096;
    std::unordered_map<std::string, std::string> values_;
};

Memo& memo() {
    thread_local Memo values;
    return values;
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
    if (at + count > text.size()) return false;
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + count, value);
    return error == std::errc() && end == text.data() + at + count;
}

// French writes the first of the month as an ordinal, « 1er avril 2026 », which ICU does not:
// the day's "1" standing alone before the month becomes "1er" (weekday, if any, kept before it).
std::string frenchFirstOfMonth(std::string text, unsigned day, const std::string& language) {
    if (language != "fr" || day != 1) return text;
    for (std::size_t at = text.find('1'); at != std::string::npos; at = text.find('1', at + 1)) {
        const bool alone = (at == 0 || text[at - 1] == ' ') && at + 1 < text.size() && text[at + 1] == ' ';
        if (!alone) continue;
        text.insert(at + 1, "er");
        break;
    }
    return text;
}

} // namespace

std::optional<DateStyle> parseDateStyle(std::string_view name) {
    if (name == "long" || name.empty()) return DateStyle::Long;
    if (name == "medium") return DateStyle::Medium;
    if (name == "full") return DateStyle::Full;
    if (name == "numeric") return DateStyle::Numeric;
    return std::nullopt;
}

std::string formatDate(const Date& date, const std::string& language, DateStyle style) {
    const std::string key = "d" + std::to_string(static_cast<int>(style)) + language + date.iso();
    return memo().get(key, [&] {
        icu::DateFormat* format = dateFormat(language, style);
        if (!format) return date.iso();
        const auto days = std::chrono::sys_days(date.ymd()).time_since_epoch().count();
        icu::UnicodeString text;
        format->format(static_cast<UDate>(days) * 86400000.0, text);
        if (style == DateStyle::Numeric) return utf8(text);
        return frenchFirstOfMonth(utf8(text), static_cast<unsigned>(date.ymd().day()), language);
    });
}

std::optional<std::string> formatIsoDate(std::string_view iso, const std::string& language, DateStyle style) {
    // Keyed on the text itself: parsing and printing the date again would cost more than ICU.
    const std::string_view text = text::trimmed(iso);
    std::string key = "D";
    key += static_cast<char>('0' + static_cast<int>(style));
    key += language;
    key += text;
    const std::string& formatted = memo().get(key, [&] {
        const auto date = Date::parse(text);
        return date ? formatDate(*date, language, style) : std::string();
    });
    if (formatted.empty()) return std::nullopt;
    return formatted;
}

std::optional<double> parseUtcInstant(std::string_view text) {
    text = text::trimmed(text);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    if (text.size() < 19 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != ' ') ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second))
        return std::nullopt;
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        std::size_t count = 1;
        while (count < rest.size() && rest[count] >= '0' && rest[count] <= '9') ++count;
        if (count < 2) return std::nullopt;
        int fraction = 0;
        const std::size_t used = std::min<std::size_t>(count - 1, 3);
        digits(rest, 1, used, fraction);
        for (std::size_t i = used; i < 3; ++i) fraction *= 10;
        millis = fraction;
        rest.remove_prefix(count);
    }
    if (!(rest.empty() || rest == "Z" || rest == "+00:00")) return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    const double days = static_cast<double>(std::chrono::sys_days(ymd).time_since_epoch().count());
    return days * 86400000.0 + hour * 3600000.0 + minute * 60000.0 + second * 1000.0 + millis;
}

std::optional<std::string> formatInstant(std::string_view utcIso, const std::string& language) {
    const auto instant = parseUtcInstant(utcIso);
    if (!instant || !instantFormat(language)) return std::nullopt;
    return memo().get("i" + language + std::to_string(static_cast<long long>(*instant)), [&] {
        icu::UnicodeString text;
        instantFormat(language)->format(*instant, text);
        // The Brussels day of the instant decides "1er", read back from the formatted text.
        const std::string shown = utf8(text);
        const bool first = shown.rfind("1 ", 0) == 0 || shown.find(" 1 ") != std::string::npos;
        return first ? frenchFirstOfMonth(shown, 1, language) : shown;
    });
}

std::string formatInteger(long long value, const std::string& language) {
    return memo().get("n" + language + std::to_string(value), [&] {
        thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> formats;
        auto& format = formats[language];
        if (!format) {
            UErrorCode status = U_ZERO_ERROR;
            format.reset(icu::NumberFormat::createInstance(icuLocale(language), status));
            if (U_FAILURE(status)) format.reset();
        }
        if (!format) return std::to_string(value);
        icu::UnicodeString text;
        format->format(static_cast<int64_t>(value), text);
        return utf8(text);
    });
}

} // namespace caseflow::render
