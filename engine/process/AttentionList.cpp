// R2's attention ages by birth-date ranges (see AttentionList.h).
#include "process/AttentionList.h"

#include "process/FundingProcess.h"
#include "store/SituationRepository.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace caseflow {
namespace {

// `on` moved back by `years` years, as ISO text; a 29 February lands on the 28th (the range
// around it is widened by days anyway).
std::string yearsBefore(const Date& on, int years) {
    char text[16];
    const unsigned day = static_cast<unsigned>(on.ymd().day());
    const unsigned month = static_cast<unsigned>(on.ymd().month());
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", on.year() - years, month, month == 2 && day == 29 ? 28u : day);
    return text;
}

// A youth aged `first` to `last` on `on` was born after (on - (last+1) years) and on or before
// (on - first years). Two days' margin on each side covers the 29 February rules of ageOn; the
// exact test is attentionFlags over the rows found.
std::pair<std::string, std::string> birthRange(const Date& on, int first, int last) {
    const Date earliest = Date::parseOrThrow(yearsBefore(on, last + 1), "birth range").addDays(-2);
    const Date latest = Date::parseOrThrow(yearsBefore(on, first), "birth range").addDays(2);
    return {earliest.iso(), latest.iso()};
}

bool open(const std::string& state) {
    return !(state.rfind("redirected", 0) == 0 || state == "closed");
}

} // namespace

std::vector<AttentionFlag> attentionFlagsOn(store::Database& db, const NetworkSettings& network, const Date& at) {
    // Every situation whose birth date falls in some watched band's range, once.
    std::map<std::int64_t, Date> born; // situation id -> birth date, in id order
    const store::SituationRepository situations(db);
    for (const AgeBand& band : network.ageBands()) {
        if (band.attentionAt.empty()) continue;
        const auto dash = band.attentionAt.find('-');
        const int first = std::stoi(band.attentionAt.substr(0, dash));
        const int last = dash == std::string::npos ? first : std::stoi(band.attentionAt.substr(dash + 1));
        const auto [from, to] = birthRange(at, first, last);
        for (const auto& situation : situations.bornBetween(from, to)) {
            if (!open(situation.state)) continue;
            if (const auto date = Date::parse(situation.birthDate)) born.emplace(situation.id, *date);
        }
    }
    std::vector<AttentionFlag> flags;
    for (const auto& [id, birthDate] : born)
        for (auto& flag : network.attentionFlags(birthDate, at)) flags.push_back({id, std::move(flag)});
    return flags;
}

} // namespace caseflow
