// Belgian euro amounts to cents (see EuroAmount.h).
#include "model/EuroAmount.h"

#include <algorithm>
#include <string>
#include <vector>

namespace caseflow {
namespace {

constexpr std::size_t kMaxEuroDigits = 13; // 10^13 euros = 10^15 cents, parseCents' bound

// Non-breaking spaces (U+00A0, and U+202F which fr_BE formatting writes) become plain spaces.
std::string normaliseSpaces(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\xc2\xa0") == 0) {
            out += ' ';
            ++i;
        } else if (text.compare(i, 3, "\xe2\x80\xaf") == 0) {
            out += ' ';
            i += 2;
        } else if (text[i] == '\t') {
            out += ' ';
        } else {
            out += text[i];
        }
    }
    return out;
}

void trim(std::string& text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) {
        text.clear();
        return;
    }
    text = text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool startsWithCurrency(const std::string& text, std::size_t& length) {
    if (text.rfind("\xe2\x82\xac", 0) == 0) return length = 3, true;
    if (text.size() >= 3 && (text[0] == 'E' || text[0] == 'e') && (text[1] == 'U' || text[1] == 'u') &&
        (text[2] == 'R' || text[2] == 'r'))
        return length = 3, true;
    return false;
}

bool endsWithCurrency(const std::string& text, std::size_t& length) {
    if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xe2\x82\xac") == 0) return length = 3, true;
    if (text.size() >= 3) {
        std::string tail = text.substr(text.size() - 3);
        std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char ch) { return std::toupper(ch); });
        if (tail == "EUR") return length = 3, true;
    }
    return false;
}

bool allDigits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

} // namespace

std::variant<Cents, EuroAmountProblem> parseEuroAmount(std::string_view typed) {
    std::string text = normaliseSpaces(typed);
    trim(text);
    std::size_t currency = 0;
    if (startsWithCurrency(text, currency))
        text.erase(0, currency);
    else if (endsWithCurrency(text, currency))
        text.erase(text.size() - currency);
    trim(text);
    if (text.empty()) return EuroAmountProblem::Empty;
    if (text.front() == '-') return EuroAmountProblem::Negative;

    const auto comma = text.find(',');
    std::string whole = text.substr(0, comma);
    std::string decimals = comma == std::string::npos ? "" : text.substr(comma + 1);
    if (comma != std::string::npos) {
        if (decimals.find(',') != std::string::npos) return EuroAmountProblem::TwoCommas;
        if (decimals.find('.') != std::string::npos) return EuroAmountProblem::DotAfterComma;
        if (!allDigits(decimals)) return EuroAmountProblem::NotANumber;
        if (decimals.empty()) return EuroAmountProblem::NoDecimals;
        if (decimals.size() > 2) return EuroAmountProblem::TooManyDecimals;
    }
    if (whole.empty() || whole.find_first_not_of("0123456789 .") != std::string::npos)
        return EuroAmountProblem::NotANumber;
    const bool spaces = whole.find(' ') != std::string::npos, dots = whole.find('.') != std::string::npos;
    if (spaces && dots) return EuroAmountProblem::MixedSeparators;
    if (spaces || dots) {
        // Every group but the first has exactly three digits, the first one to three.
        const char separator = spaces ? ' ' : '.';
        std::vector<std::string> groups;
        std::size_t start = 0;
        while (true) {
            const auto next = whole.find(separator, start);
            groups.push_back(whole.substr(start, next == std::string::npos ? std::string::npos : next - start));
            if (next == std::string::npos) break;
            start = next + 1;
        }
        if (groups.front().empty() || groups.front().size() > 3) return EuroAmountProblem::BadGrouping;
        for (std::size_t i = 1; i < groups.size(); ++i)
            if (groups[i].size() != 3) return EuroAmountProblem::BadGrouping;
        whole.erase(std::remove(whole.begin(), whole.end(), separator), whole.end());
    }
    const auto significant = whole.find_first_not_of('0');
    const std::string digits = significant == std::string::npos ? "0" : whole.substr(significant);
    if (digits.size() > kMaxEuroDigits) return EuroAmountProblem::TooLarge;
    decimals.resize(2, '0');
    return static_cast<Cents>(std::stoll(digits) * 100 + std::stoll(decimals));
}

std::string formatEuroAmount(Cents amount) {
    const std::string euros = std::to_string(amount / 100);
    std::string grouped;
    for (std::size_t i = 0; i < euros.size(); ++i) {
        if (i > 0 && (euros.size() - i) % 3 == 0) grouped += ' ';
        grouped += euros[i];
    }
    const auto cents = amount % 100;
    return grouped + "," + (cents < 10 ? "0" : "") + std::to_string(cents);
}

} // namespace caseflow
