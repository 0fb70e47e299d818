// The states a situation is in, as one value: the workflow's atomic states in document order
// (what users call "the state"), written as their ids separated by one space wherever it is
// stored or shown ("plan-agreed follow-up"). What must stay true: a state set is split and
// joined only here, so the stored text, the JSON arrays and the checks for "is it in state X"
// always agree, and a state is never found as part of another state's name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caseflow::workflow {

class StateSet {
public:
    StateSet() = default;
    explicit StateSet(std::vector<std::string> states) : states_(std::move(states)) {}

    // The states of a stored or displayed text: ids separated by XML whitespace.
    static StateSet parse(std::string_view text);

    // The ids separated by one space: the form stored in the event log and the situations table.
    std::string text() const;
    bool contains(std::string_view state) const;
    bool empty() const { return states_.empty(); }
    std::size_t size() const { return states_.size(); }
    const std::vector<std::string>& ids() const { return states_; }
    auto begin() const { return states_.begin(); }
    auto end() const { return states_.end(); }

    friend bool operator==(const StateSet&, const StateSet&) = default;

private:
    std::vector<std::string> states_;
};

} // namespace caseflow::workflow
