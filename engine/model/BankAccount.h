// The numbers a bank checks before it moves money: IBAN (ISO 13616), BIC (ISO 9362) and the
// Belgian structured communication (« +++123/4567/89002+++ », the OGM/VCS a payee's accounting
// matches automatically). What must stay true: a number is accepted only when every check a
// bank applies passes (country known, length of that country, check digits), so an error is
// caught where it is typed and never in a rejected payment run; each refusal says which check
// failed; the stored spelling is the compact one (capitals, no spaces) and people see it
// grouped by four.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

enum class IbanProblem {
    Characters,  // anything but letters, digits and spaces
    Country,     // the first two letters are no country of the IBAN registry
    Length,      // not the length of that country's IBANs (Belgium: 16)
    CheckDigits, // the mod-97 check (ISO 7064) fails: a typo
};

// Capitals without spaces, or nullopt when `typed` holds anything but letters, digits and
// spaces (ASCII space, no-break space).
std::optional<std::string> compactIban(std::string_view typed);
// Why `typed` is not an IBAN, or nullopt when it is one.
std::optional<IbanProblem> ibanProblem(std::string_view typed);
// Which check failed, in English, for a message: "the check digits are wrong (mod 97): a typo".
const char* ibanProblemText(IbanProblem problem);
// The same as a word for data and catalogs: characters, country, length, check-digits.
const char* ibanProblemName(IbanProblem problem);
inline bool isValidIban(std::string_view typed) {
    return !ibanProblem(typed).has_value();
}
// The length of `country`'s IBANs (two capitals), 0 for a country outside the registry.
int ibanLengthOf(std::string_view country);
// « BE71 0961 2345 6769 »: groups of four as people read and type it. Anything that is not an
// IBAN's characters is returned unchanged (it is data, shown as written).
std::string groupedIban(std::string_view iban);

// A BIC by its form: 4 letters (institution), 2 letters (a country of the registry), 2
// letters or digits (location), optionally 3 more (branch); 8 or 11 characters, spaces
// ignored, letters in any case. The country is checked by form only: ISO 9362 follows
// ISO 3166, wider than the IBAN registry.
bool isValidBic(std::string_view typed);
// Capitals without spaces.
std::string compactBic(std::string_view typed);

// A Belgian structured communication: ten digits chosen by the payer, then two check digits
// (the ten digits mod 97; 97 when that is 0).
class StructuredCommunication {
public:
    static constexpr std::uint64_t kLargestBase = 9'999'999'999;
    // The communication whose first ten digits are `base`; nullopt above kLargestBase.
    static std::optional<StructuredCommunication> fromBase(std::uint64_t base);
    // Reads « +++123/4567/89002+++ », « ***123/4567/89002*** », « 123/4567/89002 » or the
    // twelve digits alone (spaces allowed); nullopt when the form or the check digits are wrong.
    static std::optional<StructuredCommunication> parse(std::string_view text);

    std::uint64_t base() const { return base_; }
    int checkDigits() const;
    std::string digits() const;    // the twelve digits: what a SEPA file carries (Ref of CdtrRefInf)
    std::string formatted() const; // « +++123/4567/89002+++ »: what people read

    bool operator==(const StructuredCommunication&) const = default;

private:
    explicit StructuredCommunication(std::uint64_t base) : base_(base) {}
    std::uint64_t base_ = 0;
};

// The communication of a payment, derived from the payment alone so that it can be computed
// again anywhere (notice, export, bank file) and read back to the payment from a bank line:
// base = situation id × 1000 + the payment's ordinal among the situation's payments (1 for
// the first recorded, in log order). Room for 9 999 999 situations of 999 payments each;
// nullopt beyond (never silently wrapped into another payment's number).
struct PaymentReference {
    std::int64_t situationId = 0;
    int ordinal = 0; // 1-based
    bool operator==(const PaymentReference&) const = default;
};
std::optional<StructuredCommunication> communicationOf(const PaymentReference& payment);
// The payment a communication names, or nullopt for one no payment can carry (ordinal 0).
std::optional<PaymentReference> paymentOf(const StructuredCommunication& communication);

} // namespace caseflow
