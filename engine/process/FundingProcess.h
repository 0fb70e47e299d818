// The use cases of one network's funding process over one database: register a situation,
// fire a workflow event, read situations and their history, list and fire deadlines,
// verify and rebuild. The CLI and the HTTP service call these and hold no rule themselves.
#pragma once

#include "model/Date.h"
#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "process/Actor.h"
#include "process/EventPayload.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "workflow/StateChart.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caseflow {

struct SituationRecord {
    std::int64_t id = 0;
    std::int64_t version = 0; // the sequence of its last event: the ETag, the expected version
    std::string state;        // active atomic states, space-separated
    std::optional<int> category;
    std::string municipality;
    std::string registeredAt;
    std::string updatedAt;
    std::string document; // the situation XML
};

struct FireResult {
    std::int64_t situationId = 0;
    std::int64_t version = 0;
    WorkflowOutcome outcome;
};

struct DueDeadline {
    std::int64_t situationId = 0;
    std::string sendId;
    std::string event;
    std::string due;
    bool overdue = false; // due strictly before the date asked about
};

struct EnvelopeFigures {
    int year = 0;
    Cents amount = 0;
    Cents committed = 0; // approved, paid or not
    Cents paid = 0;
    Cents remaining() const { return amount - committed; }
};

class FundingProcess {
public:
    // Creates the database (schema migrations) and records the network settings in it.
    // Refuses a database that already holds another network.
    static void initialize(const std::filesystem::path& database, const std::filesystem::path& networkFile);

    // Opens an initialised database; `workflowFile` defaults to workflows/funding.scxml.
    static FundingProcess open(const std::filesystem::path& database,
                               const std::optional<std::filesystem::path>& workflowFile = std::nullopt);

    // Validates the registration document, records it as `situation.registered` and runs
    // the workflow's eligibility step. Returns the new situation's record.
    SituationRecord registerSituation(const std::string& xmlText, const std::string& sourceName, const Actor& actor);

    // Fires `event` with optional data (one part of the situation document). Throws
    // RuleRefusal with every failed rule, UsageError for an event not allowed here,
    // Conflict when `expectedVersion` is given and stale or another writer got there first.
    FireResult fire(std::int64_t situationId, const std::string& event, const std::optional<std::string>& dataXml,
                    const std::string& dataName, const Actor& actor,
                    std::optional<std::int64_t> expectedVersion = std::nullopt);

    SituationRecord situation(std::int64_t id) const; // throws NotFound
    std::vector<SituationRecord> situations(const std::optional<std::string>& state = std::nullopt) const;
    std::vector<store::StoredEvent> history(std::int64_t id) const; // throws NotFound
    std::vector<std::string> allowedEvents(std::int64_t id) const;

    std::vector<DueDeadline> due(const Date& at) const;
    // Fires every deadline due on or before `at` that has not fired yet; safe to repeat.
    std::vector<DueDeadline> fireDue(const Date& at, const Actor& actor);

    EnvelopeFigures envelope(int year) const;

    store::VerifyReport verify() const;
    void rebuild();

    // The language of rule messages in refusals: "fr", "nl" or "en" (the default).
    void setLanguage(const std::string& language);
    const std::string& language() const { return language_; }

    const NetworkSettings& network() const { return *network_; }
    const workflow::StateChart& chart() const { return *chart_; }
    store::Database& database() { return *db_; }

private:
    FundingProcess(std::unique_ptr<store::Database> db, std::shared_ptr<const NetworkSettings> network,
                   std::shared_ptr<const workflow::StateChart> chart);
    store::Projector projector() const;

    std::unique_ptr<store::Database> db_;
    std::shared_ptr<const NetworkSettings> network_;
    std::shared_ptr<const workflow::StateChart> chart_;
    std::string language_ = "en";
};

std::filesystem::path defaultWorkflowPath();

} // namespace caseflow
