// IBAN, BIC and structured-communication checks (see BankAccount.h). The IBAN lengths are
// those of the SWIFT IBAN registry (release 98, 2024); a country that joins later is refused
// with IbanProblem::Country until it is added here, which is the safe side for a payment run.
#include "model/BankAccount.h"

#include <cctype>
#include <cstdio>
#include <string>

namespace caseflow {
namespace {

struct CountryLength {
    char code[3];
    int length;
};

// Sorted by country code, to be read and extended by people.
constexpr CountryLength kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
    {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
    {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

bool isSpace(std::string_view text, std::size_t& i) {
    if (text[i] == ' ') return true;
    // U+00A0, as copied from a formatted document
    if (static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
        ++i;
        return true;
    }
    return false;
}

bool isUpperAlpha(char ch) {
    return ch >= 'A' && ch <= 'Z';
}
bool isDigit(char ch) {
    return ch >= '0' && ch <= '9';
}

} // namespace

int ibanLengthOf(std::string_view country) {
    for (const CountryLength& entry : kIbanLengths)
        if (country == entry.code) return entry.length;
    return 0;
}

std::optional<std::string> compactIban(std::string_view typed) {
    std::string compact;
    for (std::size_t i = 0; i < typed.size(); ++i) {
        if (isSpace(typed, i)) continue;
        const auto ch = static_cast<unsigned char>(typed[i]);
        if (!std::isalnum(ch) || ch >= 0x80) return std::nullopt;
        compact.push_back(static_cast<char>(std::toupper(ch)));
    }
    return compact;
}

std::optional<IbanProblem> ibanProblem(std::string_view typed) {
    const auto compacted = compactIban(typed);
    if (!compacted || compacted->empty()) return IbanProblem::Characters;
    const std::string& iban = *compacted;
    if (iban.size() < 2 || !isUpperAlpha(iban[0]) || !isUpperAlpha(iban[1])) return IbanProblem::Country;
    const int expected = ibanLengthOf(iban.substr(0, 2));
    if (expected == 0) return IbanProblem::Country;
    if (static_cast<int>(iban.size()) != expected) return IbanProblem::Length;
    if (!isDigit(iban[2]) || !isDigit(iban[3])) return IbanProblem::CheckDigits;
    // ISO 7064 mod 97-10 over the account part followed by the country and check digits,
    // letters counting as two digits (A = 10 … Z = 35), folded into the remainder as we go.
    const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
    int remainder = 0;
    for (const char ch : rearranged) {
        if (isDigit(ch)) {
            remainder = (remainder * 10 + (ch - '0')) % 97;
        } else {
            const int value = ch - 'A' + 10;
            remainder = (remainder * 100 + value) % 97;
        }
    }
    if (remainder != 1) return IbanProblem::CheckDigits;
    return std::nullopt;
}

std::string groupedIban(std::string_view iban) {
    const auto compact = compactIban(iban);
    if (!compact) return std::string(iban);
    std::string grouped;
    for (std::size_t i = 0; i < compact->size(); ++i) {
        if (i > 0 && i % 4 == 0) grouped += ' ';
        grouped += (*compact)[i];
    }
    return grouped;
}

std::string compactBic(std::string_view typed) {
    std::string compact;
    for (const char ch : typed) {
        if (ch == ' ') continue;
        compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    }
    return compact;
}

bool isValidBic(std::string_view typed) {
    const std::string bic = compactBic(typed);
    if (bic.size() != 8 && bic.size() != 11) return false;
    for (std::size_t i = 0; i < 6; ++i)
        if (!isUpperAlpha(bic[i])) return false;
    for (std::size_t i = 6; i < bic.size(); ++i)
        if (!isUpperAlpha(bic[i]) && !isDigit(bic[i])) return false;
    return true;
}

std::optional<StructuredCommunication> StructuredCommunication::fromBase(std::uint64_t base) {
    if (base > kLargestBase) return std::nullopt;
    return StructuredCommunication(base);
}

int StructuredCommunication::checkDigits() const {
    const int remainder = static_cast<int>(base_ % 97);
    return remainder == 0 ? 97 : remainder;
}

std::string StructuredCommunication::digits() const {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%010llu%02d", static_cast<unsigned long long>(base_), checkDigits());
    return buffer;
}

std::string StructuredCommunication::formatted() const {
    const std::string all = digits();
    return "+++" + all.substr(0, 3) + "/" + all.substr(3, 4) + "/" + all.substr(7, 5) + "+++";
}

std::optional<StructuredCommunication> StructuredCommunication::parse(std::string_view text) {
    std::string_view body = text;
    while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    for (const std::string_view fence : {std::string_view("+++"), std::string_view("***")}) {
        if (body.size() >= 6 && body.substr(0, 3) == fence && body.substr(body.size() - 3) == fence) {
            body = body.substr(3, body.size() - 6);
            break;
        }
    }
    std::string digits;
    std::string shape; // the digits' grouping, when slashes are used: must be 3/4/5
    for (const char ch : body) {
        if (isDigit(ch)) {
            digits.push_back(ch);
        } else if (ch == '/') {
            shape += std::to_string(digits.size()) + "/";
        } else if (ch != ' ') {
            return std::nullopt;
        }
    }
    if (!shape.empty() && shape != "3/7/") return std::nullopt;
    if (digits.size() != 12) return std::nullopt;
    const std::uint64_t base = std::stoull(digits.substr(0, 10));
    const int check = std::stoi(digits.substr(10));
    StructuredCommunication communication(base);
    if (communication.checkDigits() != check) return std::nullopt;
    return communication;
}

std::optional<StructuredCommunication> communicationOf(const PaymentReference& payment) {
    if (payment.situationId <= 0 || payment.ordinal <= 0 || payment.ordinal > 999) return std::nullopt;
    if (payment.situationId > static_cast<std::int64_t>(StructuredCommunication::kLargestBase / 1000))
        return std::nullopt;
    return StructuredCommunication::fromBase(static_cast<std::uint64_t>(payment.situationId) * 1000 +
                                             static_cast<std::uint64_t>(payment.ordinal));
}

std::optional<PaymentReference> paymentOf(const StructuredCommunication& communication) {
    const auto situationId = static_cast<std::int64_t>(communication.base() / 1000);
    const int ordinal = static_cast<int>(communication.base() % 1000);
    if (situationId == 0 || ordinal == 0) return std::nullopt;
    return PaymentReference{situationId, ordinal};
}

const char* ibanProblemText(IbanProblem problem) {
    switch (problem) {
    case IbanProblem::Characters:
        return "it holds characters other than letters, digits and spaces";
    case IbanProblem::Country:
        return "its first two letters are no country of the IBAN registry";
    case IbanProblem::Length:
        return "it does not have the length of its country's IBANs";
    case IbanProblem::CheckDigits:
        return "its check digits are wrong (mod 97): a typo";
    }
    return "";
}

const char* ibanProblemName(IbanProblem problem) {
    switch (problem) {
    case IbanProblem::Characters:
        return "characters";
    case IbanProblem::Country:
        return "country";
    case IbanProblem::Length:
        return "length";
    case IbanProblem::CheckDigits:
        return "check-digits";
    }
    return "";
}

} // namespace caseflow
