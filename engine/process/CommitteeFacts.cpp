// The committee report's dated facts (see CommitteeFacts.h). Each fact is read from the
// situation document exactly as figuresOf's XPath expressions read the replayed document
// (process/CommitteeReport.cpp), walking the tree instead of compiling XPath on the firing path;
// the equality tests of tests/scale_reports_test.cpp hold the two readings together.
#include "process/CommitteeFacts.h"

#include "model/Date.h"
#include "model/Money.h"
#include "process/CommitteeReport.h"
#include "process/FundingProcess.h"
#include "store/CommitteeFactsStore.h"
#include "store/Transaction.h"
#include "xml/Xml.h"

#include <cstdio>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace caseflow {
namespace {

using Fact = store::CommitteeFact;
using FactKey = std::pair<std::string, std::string>; // kind, fact_key

std::string isoOrEmpty(const std::optional<std::string>& text) {
    if (!text) return "";
    const auto date = Date::parse(*text);
    return date ? date->iso() : "";
}

Cents centsOf(const std::optional<std::string>& text) {
    return text ? parseCents(*text).value_or(0) : 0;
}

// /situation/PARENT/CHILD, in document order.
std::vector<xmlNode*> grandchildren(xmlNode* root, const char* parent, const char* child) {
    std::vector<xmlNode*> found;
    for (xmlNode* group : xml::children(root, parent))
        for (xmlNode* node : xml::children(group, child)) found.push_back(node);
    return found;
}

// XPath's string(NODES/@NAME): the attribute of the first node that has it, "" when none has.
std::optional<std::string> firstAttribute(const std::vector<xmlNode*>& nodes, const char* name) {
    for (xmlNode* node : nodes)
        if (auto value = xml::attribute(node, name)) return value;
    return std::nullopt;
}

// /situation/fundingRequests/fundingRequest[@id = ID]
std::vector<xmlNode*> requestsWithId(xmlNode* root, const std::string& id) {
    std::vector<xmlNode*> found;
    for (xmlNode* request : grandchildren(root, "fundingRequests", "fundingRequest"))
        if (xml::attribute(request, "id") == std::optional<std::string>(id)) found.push_back(request);
    return found;
}

std::vector<xmlNode*> linesOf(const std::vector<xmlNode*>& requests) {
    std::vector<xmlNode*> lines;
    for (xmlNode* request : requests)
        for (xmlNode* line : xml::children(request, "line")) lines.push_back(line);
    return lines;
}

std::vector<xmlNode*> paymentsFor(xmlNode* root, const std::string& request) {
    std::vector<xmlNode*> found;
    for (xmlNode* payment : grandchildren(root, "payments", "payment"))
        if (xml::attribute(payment, "request") == std::optional<std::string>(request)) found.push_back(payment);
    return found;
}

// The key the caseload counts the situation under: its last concertation's case manager, by
// the partner's contact (or the partner id within the situation); "" when it names none.
std::string caseManagerKey(xmlNode* root, std::int64_t situationId) {
    std::vector<xmlNode*> managers;
    for (xmlNode* concertations : xml::children(root, "concertations")) {
        const auto all = xml::children(concertations, "concertation");
        if (!all.empty())
            for (xmlNode* manager : xml::children(all.back(), "caseManager")) managers.push_back(manager);
    }
    const std::string manager = firstAttribute(managers, "partner").value_or("");
    if (manager.empty()) return "";
    for (xmlNode* partner : grandchildren(root, "partners", "partner")) {
        if (xml::attribute(partner, "id") != std::optional<std::string>(manager)) continue;
        if (xmlNode* contact = xml::firstChild(partner, "contact")) {
            const std::string text = xml::text(contact);
            return text.empty() ? manager + "@" + std::to_string(situationId) : text;
        }
    }
    return manager + "@" + std::to_string(situationId);
}

std::string firstConcertationDate(xmlNode* root) {
    std::vector<xmlNode*> firsts;
    for (xmlNode* concertations : xml::children(root, "concertations"))
        if (xmlNode* first = xml::firstChild(concertations, "concertation")) firsts.push_back(first);
    return isoOrEmpty(firstAttribute(firsts, "date"));
}

std::string padded(std::size_t index) {
    char text[24];
    std::snprintf(text, sizeof text, "%06zu", index);
    return text;
}

// The day an event counts on (businessDate in CommitteeReport.cpp): the outcome's, or the day it
// was recorded for events stored before business dates were; "" when neither parses.
std::string businessDay(const store::StoredEvent& event, const EventPayload& payload) {
    if (const auto date = Date::parse(payload.outcome.today)) return date->iso();
    if (const auto date = Date::parse(event.recordedAt.substr(0, std::min<std::size_t>(10, event.recordedAt.size()))))
        return date->iso();
    return "";
}

} // namespace

void projectCommitteeFacts(store::Database& db, const store::StoredEvent& event, const EventPayload& payload,
                           const Situation& situation, std::optional<int> category, const workflow::StateChart& chart) {
    const std::int64_t id = event.situationId;
    // The effective day: the latest business day of the situation's events so far.
    std::string effective = businessDay(event, payload);
    store::CommitteeFactsStore facts(db);
    // One read: the clock and the facts holding now, which the new ones are compared with.
    store::SituationFacts stored = facts.situationFacts(id);
    const std::optional<std::string>& clocked = stored.clock;
    if (clocked) effective = std::max(effective, *clocked);
    // Written only when it moves: a page the transaction does not dirty is one it does not sync.
    if (clocked != effective) facts.setClock(id, effective);

    std::map<FactKey, const store::CommitteeFactRow*> before;
    for (const store::CommitteeFactRow& row : stored.open) before.emplace(FactKey{row.kind, row.key}, &row);
    std::map<FactKey, Fact> after;
    const WorkflowOutcome& outcome = payload.outcome;
    xmlNode* root = xml::root(situation.document());

    // The situation itself. Its first validation is the business day of the first event that left
    // it in plan-validated (replayUpTo's firstValidation), kept once set.
    {
        Fact fact;
        const auto opened = situation.openedOn();
        fact.day = opened ? opened->iso() : "";
        fact.day2 = firstConcertationDate(root);
        const auto previous = before.find({"situation", ""});
        if (previous != before.end() && !previous->second->fact.day3.empty())
            fact.day3 = previous->second->fact.day3;
        else if (outcome.activeStates.contains("plan-validated"))
            fact.day3 = businessDay(event, payload);
        if (category) fact.amount = *category;
        // Its phase, all the report counts it by, so that a step within a phase changes no fact
        // (and dirties no page); a redirected situation keeps its state, the reason it shows.
        const std::string state = outcome.activeStates.text();
        const std::string phase = phaseOfState(chart, state);
        fact.text1 = phase == "redirected" ? std::string(kRedirectedPrefix) + state : phase;
        fact.text2 = caseManagerKey(root, id);
        after[{"situation", ""}] = std::move(fact);
    }
    // Pending follow-up and review deadlines, as replayUpTo folds the outcomes.
    {
        std::map<std::string, Fact> pending;
        for (const auto& [key, open] : before)
            if (key.first == "deadline") pending[key.second] = open->fact;
        if (outcome.firedDeadline) pending.erase(*outcome.firedDeadline);
        for (const auto& cancelled : outcome.cancelled) pending.erase(cancelled);
        for (const auto& deadline : outcome.deadlines) {
            if (deadline.event == "followup.due" || deadline.event == "review.due")
                pending[deadline.sendId] = Fact{deadline.due, "", "", std::nullopt, deadline.event, ""};
            else
                pending.erase(deadline.sendId);
        }
        if (outcome.finished) pending.clear();
        for (auto& [sendId, fact] : pending) after[{"deadline", sendId}] = std::move(fact);
    }
    // Submitted requests: once submitted, always (the replay's set only grows); date and amount
    // as the document has them now.
    {
        std::set<std::string> submitted;
        for (const auto& [key, open] : before)
            if (key.first == "request") submitted.insert(key.second);
        xmlNode* data = payload.dataElement();
        if (event.sequence > 1 && data && xml::name(data) == "fundingRequest" && chart.submitsDossier(event.type))
            submitted.insert(xml::attribute(data, "id").value_or(""));
        for (const std::string& request : submitted) {
            const auto requests = requestsWithId(root, request);
            Fact fact;
            fact.day = isoOrEmpty(firstAttribute(requests, "date"));
            Cents requested = 0;
            for (xmlNode* line : linesOf(requests)) requested += centsOf(xml::attribute(line, "amount"));
            fact.amount = requested;
            after[{"request", request}] = std::move(fact);
        }
    }
    // Budget decisions with a decision date (the figures skip the others): the amount an approval
    // commits (what was paid once its grant is closed), its request's date and lines, the first
    // payment of its request.
    {
        const bool situationClosed = xml::firstChild(root, "closure") != nullptr;
        const auto decisions = grandchildren(root, "budgetDecisions", "budgetDecision");
        for (std::size_t index = 0; index < decisions.size(); ++index) {
            xmlNode* decision = decisions[index];
            Fact fact;
            fact.day = isoOrEmpty(xml::attribute(decision, "date"));
            if (fact.day.empty()) continue;
            const std::string request = xml::attribute(decision, "request").value_or("");
            const auto requests = requestsWithId(root, request);
            const auto payments = paymentsFor(root, request);
            fact.day2 = isoOrEmpty(firstAttribute(requests, "date"));
            fact.day3 = payments.empty() ? "" : isoOrEmpty(xml::attribute(payments.front(), "date"));
            fact.text1 = xml::attribute(decision, "outcome").value_or("");
            Cents amount = 0;
            if (fact.text1 == "approved") {
                bool closed = situationClosed;
                for (xmlNode* closure : grandchildren(root, "fundingClosures", "fundingClosure"))
                    if (xml::attribute(closure, "outcome") == std::optional<std::string>("closed") &&
                        xml::attribute(closure, "request") == std::optional<std::string>(request))
                        closed = true;
                if (closed)
                    for (xmlNode* payment : payments) amount += centsOf(xml::attribute(payment, "amount"));
                else
                    amount = centsOf(xml::attribute(decision, "amount"));
                // One line per request line: its amount, a space, its expense category.
                for (xmlNode* line : linesOf(requests))
                    fact.text2 += std::to_string(centsOf(xml::attribute(line, "amount"))) + " " +
                                  xml::attribute(line, "category").value_or("") + "\n";
            }
            fact.amount = amount;
            after[{"decision", padded(index)}] = std::move(fact);
        }
    }
    // Payments with a date.
    {
        const auto payments = grandchildren(root, "payments", "payment");
        for (std::size_t index = 0; index < payments.size(); ++index) {
            Fact fact;
            fact.day = isoOrEmpty(xml::attribute(payments[index], "date"));
            if (fact.day.empty()) continue;
            fact.amount = centsOf(xml::attribute(payments[index], "amount"));
            after[{"payment", padded(index)}] = std::move(fact);
        }
    }

    // A fact that changed closes on the effective day and its new value opens on it. One that
    // opened that same day never held at the end of any day: it goes, or says its new value in
    // place (one statement instead of a delete and an insert). An unchanged one is not written.
    for (const auto& [key, open] : before) {
        const auto now = after.find(key);
        if (now != after.end() && now->second == open->fact) continue;
        if (open->validFrom != effective)
            facts.closeFact(id, *open, effective);
        else if (now != after.end())
            facts.reviseFact(id, *open, now->second);
        else
            facts.removeFact(id, *open);
    }
    for (const auto& [key, fact] : after) {
        const auto was = before.find(key);
        if (was != before.end() && (was->second->fact == fact || was->second->validFrom == effective)) continue;
        facts.openFact(id, key.first, key.second, effective, fact);
    }
}

void fillCommitteeFactsIfMissing(FundingProcess& process) {
    store::CommitteeFactsStore facts(process.database());
    if (!facts.missing()) return;
    store::Transaction transaction(process.database());
    if (!facts.missing()) return; // another process filled them while this one waited for the lock
    const auto situations = facts.situationCategories();
    // Each situation's log folded as replayUpTo folds it; the facts read nothing the projector's
    // extra steps (the stored id, the redirection) change.
    for (const auto& [id, category] : situations) {
        std::optional<Situation> document;
        for (const store::StoredEvent& event : process.history(id)) {
            const EventPayload payload = EventPayload::parse(event.payload);
            xmlNode* data = payload.dataElement();
            if (event.sequence == 1) {
                if (!data) break;
                document = Situation::fromStored(xml::serializeNode(data));
            } else if (data) {
                document->apply(data);
            }
            projectCommitteeFacts(process.database(), event, payload, *document, category, process.chart());
        }
    }
    transaction.commit();
}

} // namespace caseflow
