// One network's settings (schemas/network.xsd): every number a rule uses. Loaded once,
// validated, then read-only; guards and templates see the same document as `$network`.
#pragma once

#include "model/Date.h"
#include "model/Money.h"
#include "xml/Xml.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace caseflow {

struct AgeBand {
    int number = 0;
    int minAge = 0;
    int maxAge = 0;
    std::string attentionAt; // R2's transition to watch, "11-12" or "18"; "" when none
};

// R1: an inclusive range of postal codes of the territory ("5000" to "5999").
struct PostalCodeRange {
    int from = 0;
    int to = 0;
};

struct ExpenseCategory {
    std::string id;
    bool eligible = false;
    std::map<std::string, std::string> labels; // language -> label
};

struct NetworkPedopsychiatrist {
    std::string id;
    std::string name;
    std::string organisation;
};

// The network's own bank account (`<bankAccount>`): the debtor of its payment runs. The IBAN
// passed ISO 13616's checks and the BIC its form when the settings were loaded; both compact.
struct NetworkBankAccount {
    std::string name;
    std::string iban;
    std::string bic;
};

enum class LivingEnvironment { Family, Institution };

// R18: the date that puts an approval in a year's envelope (`<envelopes commitmentDate>`).
enum class CommitmentDate { Request, Decision };

class NetworkSettings {
public:
    // Parses and validates against schemas/network.xsd; errors name file and line.
    static std::shared_ptr<const NetworkSettings> fromFile(const std::filesystem::path& file);
    static std::shared_ptr<const NetworkSettings> fromString(const std::string& xmlText, const std::string& name);

    const std::string& id() const { return id_; }
    std::string label(const std::string& language) const;
    // R1: whether a postal code is in the territory (a range or a listed code). The youth's
    // municipality plays no part: it is display text.
    bool inTerritory(const std::string& postalCode) const;
    const std::vector<PostalCodeRange>& territoryRanges() const { return territoryRanges_; }
    // Where a youth redirected for `reason` (emergency, out-of-territory, out-of-age-range) is
    // sent (`<redirections><redirectTo reason>`), recorded in the situation's redirection.
    std::optional<std::string> redirectTo(const std::string& reason) const;
    int minAge() const { return minAge_; }
    int maxAge() const { return maxAge_; }
    const std::vector<AgeBand>& ageBands() const { return bands_; }
    Cents ceilingPerIntervention() const { return ceiling_; }
    Cents strongerValidationThreshold() const { return strongerValidationThreshold_; }
    int budgetCheckMaxDays() const { return budgetCheckMaxDays_; }
    int minPartners() const { return minPartners_; }
    int minMentalHealthPartners() const { return minMentalHealthPartners_; }
    int followUpMinMonths() const { return followUpMinMonths_; }
    // R5: whether the partners present must also come from distinct organisations
    // (`<concertation><distinctPartners>organisation`), not only be distinct partners.
    bool distinctOrganisations() const { return distinctOrganisations_; }
    // R9: the age from which the young person consents for themself.
    int selfConsentAge() const { return selfConsentAge_; }
    int pilotSituations() const { return pilotSituations_; }
    int smallCountThreshold() const { return smallCountThreshold_; }
    // The committee report warns of under-spending when the share of the year elapsed is ahead
    // of the share of the envelope committed by more than this many percentage points
    // (`<reporting underSpendingWarningPoints>`, 15 when absent).
    int underSpendingWarningPoints() const { return underSpendingWarningPoints_; }
    std::optional<Cents> envelope(int year) const;
    CommitmentDate commitmentDate() const { return commitmentDate_; }
    // R18, the one rule: the year whose envelope an approval of a request dated `requestDate`,
    // decided on `decisionDate` (ISO dates), commits; nullopt when the date the rule reads is not
    // a date. The guard, the finance tables, the envelope, the documents and the committee
    // report all ask here.
    std::optional<int> commitmentYear(const std::string& requestDate, const std::string& decisionDate) const;
    const std::map<int, Cents>& envelopes() const { return envelopes_; }
    const std::vector<ExpenseCategory>& expenseCategories() const { return expenseCategories_; }
    const std::vector<NetworkPedopsychiatrist>& pedopsychiatrists() const { return pedopsychiatrists_; }
    // nullopt when the settings name no account: then no payment run can be built.
    const std::optional<NetworkBankAccount>& bankAccount() const { return bankAccount_; }

    // R2's transitions a youth is in on `on`: "age-11-12" while aged 11 or 12 (a band's
    // attentionAt="11-12"), "age-18" while aged 18, in the order of the bands.
    std::vector<std::string> attentionFlags(const Date& birthDate, const Date& on) const;

    // R2: the category (1..6) of a youth, or nullopt when the age is outside every band.
    std::optional<int> category(const Date& birthDate, LivingEnvironment environment, const Date& on) const;

    const xmlDoc* document() const { return document_.get(); }
    const std::string& sourceText() const { return sourceText_; }

private:
    NetworkSettings() = default;
    xml::Document document_;
    std::string sourceText_;
    std::string id_;
    std::map<std::string, std::string> labels_;
    std::vector<PostalCodeRange> territoryRanges_;
    std::set<std::string> territoryCodes_;
    std::map<std::string, std::string> redirectTo_; // reason -> where the youth is sent
    int minAge_ = 0, maxAge_ = 0;
    std::vector<AgeBand> bands_;
    Cents ceiling_ = 0, strongerValidationThreshold_ = 0;
    int budgetCheckMaxDays_ = 0, minPartners_ = 0, minMentalHealthPartners_ = 0, followUpMinMonths_ = 0;
    int pilotSituations_ = 0, smallCountThreshold_ = 3, underSpendingWarningPoints_ = 15;
    bool distinctOrganisations_ = false;
    int selfConsentAge_ = 18;
    std::map<int, Cents> envelopes_;
    CommitmentDate commitmentDate_ = CommitmentDate::Request;
    std::vector<ExpenseCategory> expenseCategories_;
    std::vector<NetworkPedopsychiatrist> pedopsychiatrists_;
    std::optional<NetworkBankAccount> bankAccount_;
};

} // namespace caseflow
