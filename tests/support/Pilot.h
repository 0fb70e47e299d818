// A real pilot database for specifications: a fresh database of the run's backend (a scratch
// SQLite file, or a PostgreSQL database on the test cluster: support/TestDatabase.h) initialised with the
// Namur settings, the sample situations registered, and their scenario steps (the same
// files the main job drives) fired through the engine's use cases.
#pragma once

#include "process/FundingProcess.h"
#include "signature/ScenarioSigners.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::test {

struct ScenarioStep {
    std::string event = {};
    std::string actor = {};
    std::string date = {};
    std::string expect = {};   // "refused" or ""
    std::string rules = {};    // expected rule ids, space-separated
    std::string data = {};     // the event's XML data, "" when none
    std::string signedBy = {}; // "role:Name" when the step is signed (plan.signed, budget.approved), else ""
    std::string state = {};    // the workflow state the situation must be in after the step
    bool refused() const { return expect == "refused"; }
};

std::vector<ScenarioStep> scenarioSteps(const std::string& stem);

// The sample scenario most rule tests start from (samples/scenarios/01-...): Emma, in Namur.
inline const std::string kEmma = "01-namur-early-childhood";
// Step `number` of Emma's scenario, counted from 1: 1 request, 2 consent to share information,
// 3 a concertation with two partners (refused R5), 4 the concertation, 5 plan agreed,
// 6 adhesion to the plan (R9: once it is agreed), 7 plan signed by the pedopsychiatrist, 8 need identified, 9 dossier
// submitted, 10 approved (a decision signed by the coordinator), 11 paid, 12 review.
inline ScenarioStep emmaStep(std::size_t number) {
    return scenarioSteps(kEmma).at(number - 1);
}
// A step carrying other data.
inline ScenarioStep withData(ScenarioStep step, std::string data) {
    step.data = std::move(data);
    return step;
}
std::string sampleSituation(const std::string& stem);

// Rewrites an XML text: removes what `xpath` selects, or sets an attribute on it.
std::string withoutNodes(const std::string& xmlText, const std::string& xpath);
std::string withText(const std::string& xmlText, const std::string& xpath, const std::string& text);
std::string withAttribute(const std::string& xmlText, const std::string& xpath, const std::string& name,
                          const std::string& value);

// The ids of the rules a refusal names, sorted and without duplicates, e.g. "R5 R9".
std::string refusedRules(const std::function<void()>& action);

class Pilot {
public:
    Pilot(); // the Namur network running workflows/funding.scxml
    Pilot(const std::filesystem::path& networkFile, const std::filesystem::path& workflowFile);
    FundingProcess& process() { return *process_; }
    // The database's address as its owner: the file on SQLite, a postgresql:// address otherwise.
    std::filesystem::path databasePath() const { return database_.address(); }
    const TestDatabase& database() const { return database_; }

    // Registers a sample; registered again, it gets its own youth reference ("KIR-26-001-2"),
    // since a reference names one dossier and is refused twice.
    std::int64_t registerSample(const std::string& stem);
    // Fires steps [from, to] (1-based, inclusive) of a scenario; a step expected to be
    // refused must be refused with exactly its rules, and after each step the situation
    // must be in the state the step names.
    void runSteps(std::int64_t id, const std::string& stem, std::size_t from, std::size_t to);
    void runScenario(std::int64_t id, const std::string& stem);
    // The same without assertions, for a thread (Catch2 v2's are not thread-safe): how the step, or
    // the first step of the scenario, went otherwise than written, or "" when all went as written.
    std::string playStep(std::int64_t id, const ScenarioStep& step);
    std::string playScenario(std::int64_t id, const std::string& stem);
    FireResult fire(std::int64_t id, const ScenarioStep& step);
    FireResult fire(std::int64_t id, const std::string& event, const std::string& data, const std::string& actor,
                    const std::string& date);
    std::string state(std::int64_t id) { return process_->situation(id).state; }
    // The pilot's network CA and signers' keys (issue 6), made on first use.
    ScenarioSigners& signers();

private:
    ScratchDir dir_;
    TestDatabase database_;
    std::optional<FundingProcess> process_;
    std::optional<ScenarioSigners> signers_;   // the pilot's signers, made on the first signed step
    std::map<std::string, int> registrations_; // per sample stem
};

std::filesystem::path namurSamples(); // samples/namur in the source tree

// Every sample stem in scenario order ("01-namur-early-childhood", ...).
std::vector<std::string> sampleStems();

} // namespace caseflow::test
