// Commands that move situations through the workflow and inspect workflow definitions:
// event, state, due, workflow check, workflow diagram.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "model/Paths.h"
#include "model/Situation.h"
#include "render/ExpressionScanner.h"
#include "workflow/StateChart.h"

#include <Poco/JSON/Array.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <libxml/xpathInternals.h>

#include <fstream>
#include <set>

namespace caseflow::cli {
namespace {

const OptionSpec kWorkflowOption{"--workflow", "FILE", "run with another workflow than the one recorded at init"};
const OptionSpec kAsOption{"--as", "ROLE:NAME", "who acts (default: $CASEFLOW_ACTOR, else coordinator:$USER)"};

int fireEvent(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const std::string event = in.positional(1);
    std::optional<std::string> data;
    std::string dataName = "event data";
    if (auto file = in.option("--data")) {
        data = readInputFile(*file);
        dataName = *file == "-" ? "standard input" : *file;
    }
    std::optional<std::int64_t> expected;
    if (auto version = in.option("--expect-version")) {
        if (version->empty() || version->find_first_not_of("0123456789") != std::string::npos)
            throw UsageError(tr("--expect-version needs a number, got '{value}'", {{"value", *version}}));
        expected = std::stoll(*version);
    }
    const auto result = process.fire(id, event, data, dataName, actorOf(in), expected);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("id", result.situationId);
        json->set("version", result.version);
        json->set("state", result.outcome.activeStates.text());
        json->set("finished", result.outcome.finished);
        printJson(in.out, json);
    } else {
        in.out << tr("situation {id}: {event} accepted, now {state} (version {version})",
                     {{"id", std::to_string(id)},
                      {"event", eventWords(event)},
                      {"state", stateWords(result.outcome.activeStates.text())},
                      {"version", std::to_string(result.version)}})
               << "\n";
        for (const auto& deadline : result.outcome.deadlines)
            in.out << "  "
                   << tr("deadline: {event} on {date}", {{"event", eventWords(deadline.event)}, {"date", deadline.due}})
                   << "\n";
    }
    return kOk;
}

int state(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const auto record = process.situation(id);
    const auto allowed = process.allowedEvents(id);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("id", id);
        json->set("state", record.state);
        json->set("version", record.version);
        Poco::JSON::Array events;
        for (const auto& event : allowed) events.add(event);
        json->set("allowedEvents", events);
        printJson(in.out, json);
    } else {
        in.out << stateWords(record.state) << "\n";
        if (!allowed.empty()) {
            in.out << tr("allowed events:") << "\n";
            for (const auto& event : allowed) in.out << "  " << eventWords(event) << "\n";
        }
    }
    return kOk;
}

int due(Invocation& in) {
    auto process = openProcess(in);
    const Date at = in.option("--at") ? Date::parseOrThrow(*in.option("--at"), "--at") : Date::today();
    const auto deadlines = in.flag("--fire") ? process.fireDue(at, actorOf(in)) : process.due(at);
    const auto attention = process.attention(at);
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& deadline : deadlines) {
            auto item = Poco::makeShared<Poco::JSON::Object>();
            item->set("situation", deadline.situationId);
            item->set("deadline", deadline.sendId);
            item->set("event", deadline.event);
            item->set("due", deadline.due);
            item->set("overdue", deadline.overdue);
            list.add(item);
        }
        for (const auto& [situation, flag] : attention) {
            auto item = Poco::makeShared<Poco::JSON::Object>();
            item->set("situation", situation);
            item->set("attention", flag);
            list.add(item);
        }
        printJson(in.out, list);
        return kOk;
    }
    for (const auto& deadline : deadlines) {
        in.out << tr("situation {id}", {{"id", std::to_string(deadline.situationId)}}) << "  "
               << eventWords(deadline.event) << "  " << tr("due {date}", {{"date", deadline.due}})
               << (deadline.overdue ? "  " + tr("OVERDUE") : "") << (in.flag("--fire") ? "  " + tr("fired") : "")
               << "\n";
    }
    for (const auto& [situation, flag] : attention)
        in.out << tr("situation {id}", {{"id", std::to_string(situation)}}) << "  "
               << tr("attention: {flag}", {{"flag", flag}}) << "\n";
    if (deadlines.empty()) in.out << tr("nothing due on or before {date}", {{"date", at.iso()}}) << "\n";
    return kOk;
}

// Names a condition may read: the elements and attributes of the situation and network
// schemas and the envelope's attributes. XPath's own vocabulary (axes, node types, operators)
// never reaches here: the expression scanner tells it apart.
std::set<std::string> knownNames() {
    std::set<std::string> names = {"envelope", "year", "amount", "committed", "paid", "remaining", "situation"};
    for (const char* schema : {"situation.xsd", "network.xsd"}) {
        auto doc = xml::parseFile(schemaPath(schema));
        xml::XPath xpath(doc.get());
        xmlXPathRegisterNs(xpath.context(), xml::x("xs"), xml::x("http://www.w3.org/2001/XMLSchema"));
        for (xmlNode* node : xpath.nodes("//xs:element/@name | //xs:attribute/@name")) names.insert(xml::text(node));
    }
    return names;
}

int workflowCheck(Invocation& in) {
    const auto chart = workflow::StateChart::load(in.positional(0));
    const auto names = knownNames();
    std::vector<std::string> problems;
    // A name test that no schema declares is almost certainly a typo: such a condition would
    // silently be false forever. Prefixed names belong to other vocabularies.
    auto check = [&](const std::string& expression, int line, const std::string& what) {
        for (const auto& name : render::scanExpression(expression).names) {
            if (names.count(name) || name.find(':') != std::string::npos) continue;
            problems.push_back(chart->sourceName() + ":" + std::to_string(line) + ": " + what + " reads '" + name +
                               "', which neither the situation nor the network schema declares");
        }
    };
    for (const auto& transition : chart->transitions()) {
        if (!transition.cond.empty()) check(transition.cond, transition.line, "condition");
        for (const auto& rule : transition.rules) check(rule.expression, rule.line, "rule " + rule.ruleId);
    }
    const auto unreachable = chart->unreachableStates();
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        Poco::JSON::Array states, events, dead, issues;
        for (const auto& s : chart->states()) states.add(s.id);
        for (const auto& e : chart->eventNames()) events.add(e);
        for (const auto& u : unreachable) dead.add(u);
        for (const auto& p : problems) issues.add(p);
        json->set("states", states);
        json->set("events", events);
        json->set("unreachableStates", dead);
        json->set("problems", issues);
        printJson(in.out, json);
    } else {
        in.out << chart->sourceName() << ": " << chart->states().size() << " states, " << chart->transitions().size()
               << " transitions\nstates:";
        for (const auto& s : chart->states()) in.out << " " << s.id << (s.isFinal ? "(final)" : "");
        in.out << "\nevents:";
        for (const auto& e : chart->eventNames()) in.out << " " << e;
        in.out << "\n";
        for (const auto& u : unreachable) in.out << "unreachable state: " << u << "\n";
        for (const auto& p : problems) in.out << p << "\n";
        if (unreachable.empty() && problems.empty()) in.out << "ok\n";
    }
    return unreachable.empty() && problems.empty() ? kOk : kError;
}

int workflowDiagram(Invocation& in) {
    const auto chart = workflow::StateChart::load(in.positional(0));
    std::set<std::string> highlighted;
    if (in.option("--situation")) {
        auto process = openProcess(in);
        const auto record = process.situation(parseSituationId(*in.option("--situation")));
        for (const auto& state : workflow::StateSet::parse(record.state)) highlighted.insert(state);
    }
    const std::string dot = chart->toDot(highlighted);
    const auto output = in.option("--output");
    if (!output) {
        in.out << dot;
        return kOk;
    }
    if (output->size() > 4 && output->substr(output->size() - 4) == ".svg") {
        if (!std::filesystem::exists("/usr/bin/dot"))
            throw Error("writing SVG needs Graphviz's `dot` (apt-get install graphviz); write a .dot file instead");
        Poco::Pipe inPipe, outPipe;
        auto handle = Poco::Process::launch("/usr/bin/dot", {"-Tsvg", "-o", *output}, &inPipe, &outPipe, nullptr);
        Poco::PipeOutputStream toDot(inPipe);
        toDot << dot;
        toDot.close();
        if (handle.wait() != 0) throw Error("dot could not render " + *output);
    } else {
        std::ofstream file(*output, std::ios::trunc);
        if (!(file << dot)) throw Error("cannot write " + *output);
    }
    in.out << tr("wrote {file}", {{"file", *output}}) << "\n";
    return kOk;
}

} // namespace

void addWorkflowCommands(std::vector<CommandSpec>& commands) {
    commands.push_back({"event",
                        "ID EVENT",
                        "fire a workflow event on a situation",
                        "The event's data (--data) is one part of the situation document; docs/events.md lists which\n"
                        "event carries which. A refused event exits 3 and lists every failed rule with its id.",
                        {{"--data", "FILE", "the event's data (XML), - for standard input"},
                         kAsOption,
                         {"--expect-version", "N", "refuse if the situation is no longer at version N"},
                         kWorkflowOption},
                        2,
                        2,
                        fireEvent});
    commands.push_back(
        {"state", "ID", "show a situation's state and the events allowed in it", "", {kWorkflowOption}, 1, 1, state});
    commands.push_back({"due",
                        "",
                        "list deadlines due or overdue (follow-ups, reviews, budget checks)",
                        "Firing is idempotent: a deadline fires once, however often this runs.",
                        {{"--at", "DATE", "the day to look at (default: today in Europe/Brussels)"},
                         {"--fire", "", "fire the due deadlines as workflow events"},
                         kAsOption,
                         kWorkflowOption},
                        0,
                        0,
                        due});
    commands.push_back({"workflow check",
                        "FILE",
                        "validate a workflow definition",
                        "Lists states and events, reports unreachable states and conditions that read data neither\n"
                        "schema declares. Exits 1 when it finds a problem, 2 when the file cannot be loaded.",
                        {},
                        1,
                        1,
                        workflowCheck});
    commands.push_back({"workflow diagram",
                        "FILE",
                        "draw a workflow as Graphviz DOT (or SVG with -o FILE.svg)",
                        "",
                        {{"--situation", "ID", "highlight this situation's current state"},
                         {"--output", "FILE", "write to FILE (.svg runs Graphviz's dot) instead of standard output"}},
                        1,
                        1,
                        workflowDiagram});
}

} // namespace caseflow::cli
