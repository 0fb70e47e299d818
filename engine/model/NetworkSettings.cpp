// Network settings loading. What must stay true: a settings object exists only if its
// document passed the schema, so accessors never meet a missing value.
#include "model/NetworkSettings.h"
#include "core/Files.h"

#include "core/Errors.h"
#include "core/Text.h"
#include "model/BankAccount.h"
#include "model/Paths.h"
#include "model/XsBoolean.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace caseflow {
namespace {

int intAttribute(xmlNode* node, const char* attributeName) {
    return std::stoi(xml::attribute(node, attributeName).value_or("0"));
}

Cents centsText(xmlNode* node) {
    return parseCents(xml::text(node)).value_or(0);
}

std::shared_ptr<const xml::Schema> networkSchema() {
    static const auto schema = xml::Schema::load(schemaPath("network.xsd"));
    return schema;
}

} // namespace

std::shared_ptr<const NetworkSettings> NetworkSettings::fromFile(const std::filesystem::path& file) {
    return fromString(readFile(file, "network settings " + file.string()), file.string());
}

std::shared_ptr<const NetworkSettings> NetworkSettings::fromString(const std::string& xmlText,
                                                                   const std::string& name) {
    auto doc = xml::parseString(xmlText, name);
    networkSchema()->validate(doc.get(), name);

    std::shared_ptr<NetworkSettings> settings(new NetworkSettings());
    settings->sourceText_ = xmlText;
    xmlNode* network = xml::root(doc.get());
    settings->id_ = xml::attribute(network, "id").value_or("");
    for (xmlNode* label : xml::children(network, "label"))
        settings->labels_[xml::attribute(label, "lang").value_or("")] = xml::text(label);
    xmlNode* territory = xml::firstChild(network, "territory");
    for (xmlNode* range : xml::children(territory, "postalCodes")) {
        const PostalCodeRange codes{intAttribute(range, "from"), intAttribute(range, "to")};
        if (codes.from > codes.to)
            throw InvalidInput(name + ":" + std::to_string(xml::line(range)) + ": the postal codes from " +
                               std::to_string(codes.from) + " to " + std::to_string(codes.to) + " are an empty range");
        settings->territoryRanges_.push_back(codes);
    }
    for (xmlNode* code : xml::children(territory, "postalCode")) settings->territoryCodes_.insert(xml::text(code));
    xmlNode* range = xml::firstChild(network, "ageRange");
    settings->minAge_ = intAttribute(range, "min");
    settings->maxAge_ = intAttribute(range, "max");
    for (xmlNode* band : xml::children(xml::firstChild(network, "ageBands"), "band"))
        settings->bands_.push_back({intAttribute(band, "number"), intAttribute(band, "minAge"),
                                    intAttribute(band, "maxAge"), xml::attribute(band, "attentionAt").value_or("")});
    xmlNode* funding = xml::firstChild(network, "funding");
    settings->ceiling_ = centsText(xml::firstChild(funding, "ceilingPerIntervention"));
    settings->strongerValidationThreshold_ = centsText(xml::firstChild(funding, "strongerValidationThreshold"));
    settings->budgetCheckMaxDays_ = std::stoi(xml::text(xml::firstChild(funding, "budgetCheckMaxDays")));
    xmlNode* concertation = xml::firstChild(network, "concertation");
    settings->minPartners_ = std::stoi(xml::text(xml::firstChild(concertation, "minPartners")));
    settings->minMentalHealthPartners_ = std::stoi(xml::text(xml::firstChild(concertation, "minMentalHealthPartners")));
    settings->followUpMinMonths_ = std::stoi(xml::text(xml::firstChild(concertation, "followUpMinMonths")));
    settings->distinctOrganisations_ =
        text::trimmed(xml::text(xml::firstChild(concertation, "distinctPartners"))) == "organisation";
    settings->selfConsentAge_ = std::stoi(xml::text(xml::firstChild(concertation, "selfConsentAge")));
    settings->pilotSituations_ = intAttribute(xml::firstChild(network, "pilot"), "situations");
    xmlNode* envelopes = xml::firstChild(network, "envelopes");
    settings->commitmentDate_ = xml::attribute(envelopes, "commitmentDate").value_or("") == "decision-date"
                                    ? CommitmentDate::Decision
                                    : CommitmentDate::Request;
    for (xmlNode* envelope : xml::children(envelopes, "envelope")) {
        const int year = intAttribute(envelope, "year");
        if (settings->envelopes_.count(year))
            throw InvalidInput(name + ":" + std::to_string(xml::line(envelope)) + ": two envelopes for year " +
                               std::to_string(year));
        settings->envelopes_[year] = parseCents(xml::attribute(envelope, "amount").value_or("")).value_or(0);
    }
    for (xmlNode* category : xml::children(xml::firstChild(network, "expenseCategories"), "expenseCategory")) {
        ExpenseCategory expense{xml::attribute(category, "id").value_or(""),
                                isXsTrue(xml::attribute(category, "eligible").value_or("")),
                                {}};
        for (xmlNode* label : xml::children(category, "label"))
            expense.labels[xml::attribute(label, "lang").value_or("")] = xml::text(label);
        settings->expenseCategories_.push_back(std::move(expense));
    }
    for (xmlNode* doctor : xml::children(xml::firstChild(network, "pedopsychiatrists"), "pedopsychiatrist")) {
        settings->pedopsychiatrists_.push_back({xml::attribute(doctor, "id").value_or(""),
                                                xml::text(xml::firstChild(doctor, "name")),
                                                xml::text(xml::firstChild(doctor, "organisation"))});
    }
    if (xmlNode* reporting = xml::firstChild(network, "reporting")) {
        settings->smallCountThreshold_ = intAttribute(reporting, "smallCountThreshold");
        if (xml::attribute(reporting, "underSpendingWarningPoints"))
            settings->underSpendingWarningPoints_ = intAttribute(reporting, "underSpendingWarningPoints");
    }
    for (xmlNode* to : xml::children(xml::firstChild(network, "redirections"), "redirectTo"))
        settings->redirectTo_[xml::attribute(to, "reason").value_or("")] = xml::text(to);
    if (xmlNode* account = xml::firstChild(network, "bankAccount")) {
        const std::string where = name + ":" + std::to_string(xml::line(account)) + ": ";
        const std::string iban = xml::attribute(account, "iban").value_or("");
        if (const auto problem = ibanProblem(iban))
            throw InvalidInput(where + "the network's IBAN '" + iban + "' is not valid: " + ibanProblemText(*problem));
        const std::string bic = xml::attribute(account, "bic").value_or("");
        if (!isValidBic(bic))
            throw InvalidInput(where + "the network's BIC '" + bic +
                               "' is not valid: a BIC is 4 letters (bank), 2 letters (country), 2 letters or "
                               "digits (place) and optionally 3 more (branch)");
        const std::string holder = xml::attribute(account, "name").value_or("");
        settings->bankAccount_ =
            NetworkBankAccount{std::string(text::trimmed(holder)), *compactIban(iban), compactBic(bic)};
    }
    if (settings->minAge_ > settings->maxAge_)
        throw InvalidInput(name + ": ageRange min " + std::to_string(settings->minAge_) + " is above max " +
                           std::to_string(settings->maxAge_));
    settings->document_ = std::move(doc);
    return settings;
}

std::string NetworkSettings::label(const std::string& language) const {
    if (auto found = labels_.find(language); found != labels_.end()) return found->second;
    return labels_.empty() ? id_ : labels_.begin()->second;
}

bool NetworkSettings::inTerritory(const std::string& postalCode) const {
    if (territoryCodes_.count(postalCode)) return true;
    if (postalCode.size() != 4 || postalCode.find_first_not_of("0123456789") != std::string::npos) return false;
    const int code = std::stoi(postalCode);
    return std::any_of(territoryRanges_.begin(), territoryRanges_.end(),
                       [&](const PostalCodeRange& range) { return code >= range.from && code <= range.to; });
}

std::optional<std::string> NetworkSettings::redirectTo(const std::string& reason) const {
    if (auto found = redirectTo_.find(reason); found != redirectTo_.end()) return found->second;
    return std::nullopt;
}

std::vector<std::string> NetworkSettings::attentionFlags(const Date& birthDate, const Date& on) const {
    std::vector<std::string> flags;
    if (on < birthDate) return flags;
    const int age = ageOn(birthDate, on);
    for (const AgeBand& band : bands_) {
        if (band.attentionAt.empty()) continue;
        // "11-12" is the ages 11 to 12, "18" the age 18 alone (the schema's pattern).
        const auto dash = band.attentionAt.find('-');
        const int first = std::stoi(band.attentionAt.substr(0, dash));
        const int last = dash == std::string::npos ? first : std::stoi(band.attentionAt.substr(dash + 1));
        if (age >= first && age <= last) flags.push_back("age-" + band.attentionAt);
    }
    return flags;
}

std::optional<Cents> NetworkSettings::envelope(int year) const {
    if (auto found = envelopes_.find(year); found != envelopes_.end()) return found->second;
    return std::nullopt;
}

std::optional<int> NetworkSettings::commitmentYear(const std::string& requestDate,
                                                   const std::string& decisionDate) const {
    const auto date = Date::parse(commitmentDate_ == CommitmentDate::Decision ? decisionDate : requestDate);
    if (!date) return std::nullopt;
    return date->year();
}

std::optional<int> NetworkSettings::category(const Date& birthDate, LivingEnvironment environment,
                                             const Date& on) const {
    const int age = ageOn(birthDate, on);
    for (const AgeBand& band : bands_) {
        if (age >= band.minAge && age <= band.maxAge) {
            const int bandCount = static_cast<int>(bands_.size());
            return environment == LivingEnvironment::Family ? band.number : band.number + bandCount;
        }
    }
    return std::nullopt;
}

} // namespace caseflow
