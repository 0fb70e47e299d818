// The situation endpoints: list, register, read, fire events, history, documents, due
// deadlines. What must stay true: every read of a situation is recorded in the read log
// before the response leaves (a read that cannot be recorded is not served); lists only
// ever contain situations the caller may see; each view comes from SituationViews.
#include "process/DueList.h"
#include "service/Accounts.h"
#include "service/Documents.h"
#include "service/Endpoints.h"
#include "service/EventFiring.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/RequestContext.h"
#include "service/SituationViews.h"
#include "store/SituationRepository.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <sstream>

namespace caseflow::service {
namespace {

using Object = Poco::JSON::Object;

Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

// A state or other token given in a query: lower-case words and dashes, as state ids are.
std::string stateParameter(const std::string& value) {
    if (value.empty() || value.size() > 64 ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "'{value}' is not a state name (lower-case letters, digits and dashes).")
                .arg("value", value.substr(0, 64)));
    return value;
}

void recordRead(RequestContext& context, std::vector<std::int64_t> ids, const std::string& what) {
    context.state.readLog.record(context.caller(), ids, what);
}

// A name given in a query (a municipality, a user): some text, not a page of it.
std::string nameParameter(const std::string& parameter, const std::string& value) {
    if (value.empty() || value.size() > 200 || !isValidUtf8(value))
        throw ProblemException(Problem(ProblemKind::BadRequest, "{parameter} must be a name of 1 to 200 characters.")
                                   .arg("parameter", parameter)
                                   .extension("field", parameter));
    return value;
}

// The page size: 50 unless asked, never more than 500 (issue 19: a list is paged, always),
// for the situations and the due deadlines alike.
int limitParameter(const std::optional<std::string>& value) {
    if (!value) return 50;
    if (value->empty() || value->size() > 3 || value->find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(*value) < 1 || std::stoi(*value) > 500)
        throw ProblemException(Problem(ProblemKind::BadRequest, "limit must be a whole number from 1 to 500.")
                                   .extension("field", "limit"));
    return std::stoi(*value);
}

// The cursor is opaque to clients ("s" and the last id shown); anything else is refused
// rather than read as the start of the list.
std::int64_t cursorParameter(const std::optional<std::string>& value) {
    if (!value) return 0;
    if (value->size() < 2 || value->size() > 19 || value->front() != 's' ||
        value->find_first_not_of("0123456789", 1) != std::string::npos)
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "cursor must be a value from a previous page's next link, unchanged.")
                .extension("field", "cursor"));
    return std::stoll(value->substr(1));
}

// The due list's cursor (process/DueList.h); anything but one of its own is refused rather
// than read as the start of the list.
std::optional<store::DeadlineKey> deadlineCursorParameter(const std::optional<std::string>& value) {
    if (!value) return std::nullopt;
    auto key = parseDueCursor(*value);
    if (!key)
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "cursor must be a value from a previous page's next link, unchanged.")
                .extension("field", "cursor"));
    return key;
}

std::string encodedQueryValue(const std::string& value) {
    std::string encoded;
    Poco::URI::encode(value, "&=+?#/%", encoded);
    return encoded;
}

} // namespace

void listSituations(RequestContext& context) {
    store::SituationFilter filter;
    if (auto value = context.queryValue("state")) filter.state = stateParameter(*value);
    if (auto value = context.queryValue("municipality")) filter.municipality = nameParameter("municipality", *value);
    std::optional<std::string> caseManager;
    if (auto value = context.queryValue("caseManager")) caseManager = nameParameter("caseManager", *value);
    const int limit = limitParameter(context.queryValue("limit"));
    const std::int64_t after = cursorParameter(context.queryValue("cursor"));
    bool withTotal = false;
    if (auto value = context.queryValue("count")) {
        if (*value != "true" && *value != "false")
            throw ProblemException(
                Problem(ProblemKind::BadRequest, "count must be true or false.").extension("field", "count"));
        withTotal = *value == "true";
    }
    if (caseManager) filter.assignedTo.push_back(*caseManager);
    // A scoped caller's list is its assignments, chosen by the query itself, so that a page
    // is full even when the caller sees few of the network's situations.
    if (context.permission.access == Access::Assigned) filter.assignedTo.push_back(context.caller().name);
    const auto page = context.process().situationPage(filter, after, limit);
    Poco::JSON::Array list;
    std::vector<std::int64_t> shown;
    for (const auto& record : page.records) {
        if (!maySee(context.caller(), context.permission, record.id)) continue;
        auto summary = situationSummary(record, context.permission.view);
        views::addIdentityFacts(*summary, record, context.permission.view, context.process().network(), Date::today());
        list.add(summary);
        shown.push_back(record.id);
    }
    recordRead(context, shown, "list");
    auto json = object();
    json->set("situations", list);
    if (page.nextAfter) {
        const std::string cursor = "s" + std::to_string(*page.nextAfter);
        std::string next = "/api/v1/situations?limit=" + std::to_string(limit);
        if (filter.state) next += "&state=" + *filter.state;
        if (filter.municipality) next += "&municipality=" + encodedQueryValue(*filter.municipality);
        if (caseManager) next += "&caseManager=" + encodedQueryValue(*caseManager);
        next += "&cursor=" + cursor;
        json->set("cursor", cursor);
        json->set("next", next);
        context.response.set("Link", "<" + next + ">; rel=\"next\"");
    } else {
        json->set("cursor", Poco::Dynamic::Var());
        json->set("next", Poco::Dynamic::Var());
    }
    if (withTotal) json->set("total", context.process().situationCount(filter));
    context.sendJson(200, json);
}

void registerSituation(RequestContext& context) {
    std::string document;
    const std::string type = context.contentType();
    if (type == "application/xml" || type == "text/xml") {
        document = context.body;
    } else if (type == "application/json") {
        const auto body = JsonBody::parse(context.body, {"document"});
        document = *body.text("document", true, context.state.config.maxBodyBytes);
    } else {
        throw ProblemException(Problem(ProblemKind::UnsupportedMediaType,
                                       "Register a situation with its XML document (application/xml) "
                                       "or as JSON {\"document\": \"<situation>...\"}."));
    }
    if (document.empty())
        throw ProblemException(Problem(ProblemKind::MissingField, "The situation document is empty."));
    if (!isValidUtf8(document))
        throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
    FundingProcess& process = context.process();
    const auto record = [&] {
        try {
            return process.registerSituation(document, "request body", context.caller().actor());
        } catch (const DataOutOfScope& outOfScope) {
            throw ProblemException(outOfScopeProblem(outOfScope));
        } catch (const AlreadyRegistered& registered) {
            throw ProblemException(alreadyRegisteredProblem(registered));
        }
    }();
    context.state.metrics.eventAppended("situation.registered");
    // A partner or case manager who registers a situation works on it: without this they
    // could not even read what they just created.
    if (isScopedRole(context.caller().role)) {
        Accounts(process.accounts()).assign(context.caller().name, {record.id});
        context.principal->situations.insert(record.id);
    }
    const Permission permission = requireSituation(context.caller(), Operation::ReadSituation, record.id);
    context.response.set("Location", "/api/v1/situations/" + std::to_string(record.id));
    context.response.set("ETag", etagOf(record.version));
    recordRead(context, {record.id}, "situation");
    auto detail = situationDetail(record, permission.view, process.allowedEvents(record.id));
    views::addIdentityFacts(*detail, record, permission.view, process.network(), Date::today());
    context.sendJson(201, detail);
}

void getSituation(RequestContext& context) {
    const auto id = context.situationIdParam();
    const Permission permission = requireSituation(context.caller(), Operation::ReadSituation, id);
    FundingProcess& process = context.process();
    // The version alone decides the tag and the cached view: the row's document is read only
    // when the view must be built.
    auto version = store::SituationRepository(process.database()).version(id);
    // An unknown situation: the 404 every endpoint gives (or its version, registered meanwhile).
    if (!version) version = process.situation(id).version;
    std::string etag = situationTag(id, *version, permission.view, context.state.tagKey);
    // A 304 tells the caller that what it holds is this version's view: that is an access to
    // the situation's data too (R19), recorded like any other read before the answer leaves.
    if (context.ifNoneMatch(etag)) {
        recordRead(context, {id}, "situation");
        context.sendNotModified(etag);
        return;
    }
    const Date today = Date::today();
    ViewCache::Body body = context.state.views.find(ViewKey{id, *version, permission.view, today.iso()});
    if (!body) {
        // Built from the row read now, and keyed and tagged by that row's version: an event
        // recorded since the version was read gives the newer view, never an older tag on it.
        const auto record = process.situation(id);
        const auto allowed = permission.view == View::Full ? process.allowedEvents(id) : std::vector<std::string>{};
        auto detail = situationDetail(record, permission.view, allowed);
        views::addIdentityFacts(*detail, record, permission.view, process.network(), today);
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(detail, text);
        body = std::make_shared<const std::string>(text.str());
        context.state.views.store(ViewKey{id, record.version, permission.view, today.iso()}, body);
        etag = situationTag(id, record.version, permission.view, context.state.tagKey);
    }
    recordRead(context, {id}, "situation");
    context.response.set("ETag", etag);
    context.send(200, "application/json; charset=utf-8", *body);
}

void fireEvent(RequestContext& context) {
    const auto id = context.situationIdParam();
    requireSituation(context.caller(), Operation::FireEvent, id);
    context.requireJsonBody();
    const auto body = JsonBody::parse(context.body, {"event", "data", "expectedVersion"});
    FireRequest request;
    request.situationId = id;
    request.event = *body.text("event", true, 64);
    if (request.event.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos)
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "'{event}' is not an event name (see docs/events.md).")
                .arg("event", request.event)
                .extension("field", "event"));
    request.dataXml = body.text("data", false, context.state.config.maxBodyBytes);
    const auto fromBody = body.integer("expectedVersion", false, 0, std::numeric_limits<std::int64_t>::max());
    const auto fromHeader = context.ifMatchVersion();
    if (fromBody && fromHeader && *fromBody != *fromHeader)
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "If-Match and expectedVersion disagree; give the version once."));
    request.expectedVersion = fromHeader ? fromHeader : fromBody;
    request.expectedFromIfMatch = fromHeader.has_value();
    context.process().situation(id); // 404 before anything else is judged
    const auto result = fireForCaller(context, request);
    context.response.set("ETag", etagOf(result.version));
    context.sendJson(200, fireResultJson(result));
}

void listEvents(RequestContext& context) {
    const auto id = context.situationIdParam();
    requireSituation(context.caller(), Operation::ReadHistory, id);
    const auto history = context.process().history(id);
    Poco::JSON::Array list;
    for (const auto& event : history) {
        const auto payload = EventPayload::parse(event.payload);
        auto item = object();
        item->set("position", event.position);
        item->set("sequence", event.sequence);
        item->set("type", event.type);
        item->set("actor", event.actor);
        item->set("recordedAt", event.recordedAt);
        item->set("state", payload.outcome.activeStates.text());
        if (xmlNode* data = payload.dataElement())
            item->set("data", xml::serializeNode(data));
        else
            item->set("data", Poco::Dynamic::Var());
        item->set("hash", event.hash);
        item->set("previousHash", event.previousHash);
        list.add(item);
    }
    recordRead(context, {id}, "history");
    auto json = object();
    json->set("situationId", id);
    json->set("events", list);
    context.sendJson(200, json);
}

void renderDocument(RequestContext& context) {
    const auto id = context.situationIdParam();
    const std::string& name = context.params.at("document");
    // Names are lower-case words and dashes: anything else (dots, slashes, "..") is refused
    // here, before it could reach a file name.
    if (name.size() > 64 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos ||
        name.front() == '-')
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "'{name}' is not a document name.").arg("name", name.substr(0, 64)));
    const Permission permission = requireSituation(context.caller(), Operation::RenderDocument, id);
    // Finance reads the decision and the payment notice only, from its copy of the situation (R19).
    const bool financeView = permission.view == View::Finance;
    if (financeView && !Documents::financeMayRead(name))
        throw ProblemException(Problem(ProblemKind::Forbidden,
                                       "Finance may read the budget-decision and the payment-notice, not the "
                                       "{name}.")
                                   .arg("name", name.substr(0, 64)));
    FundingProcess& process = context.process();
    process.situation(id); // 404 for an unknown situation
    const std::string language = context.documentLanguage();
    std::string format = "html";
    if (auto requested = context.queryValue("format")) {
        if (*requested != "html" && *requested != "pdf" && *requested != "odt")
            throw ProblemException(Problem(ProblemKind::NotAcceptable, "format must be html, pdf or odt."));
        format = *requested;
    } else if (context.request.has("Accept")) {
        const std::string accept = context.request.get("Accept");
        if (accept.find("application/pdf") != std::string::npos)
            format = "pdf";
        else if (accept.find("application/vnd.oasis.opendocument.text") != std::string::npos)
            format = "odt";
        else if (accept.find("text/html") == std::string::npos && accept.find("*/*") == std::string::npos)
            throw ProblemException(Problem(ProblemKind::NotAcceptable,
                                           "Documents come as text/html, application/pdf or "
                                           "application/vnd.oasis.opendocument.text."));
    }
    std::string item;
    if (auto value = context.queryValue("item")) {
        if (!isIdentifier(*value))
            throw ProblemException(Problem(ProblemKind::BadRequest, "item must be an id from the situation, like fr1.")
                                       .extension("field", "item"));
        item = *value;
    }
    const auto names = Documents::names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw ProblemException(Problem(ProblemKind::NotFound, "There is no document '{name}'.").arg("name", name));
    RenderedDocument rendered;
    try {
        rendered = Documents::render(process, id, name, item, language, format, financeView);
    } catch (const NotFound& missing) {
        // NotApplicable: the document's subject does not exist yet (no care plan, no payment...).
        throw ProblemException(Problem(ProblemKind::NotFound, "").literalDetail(missing.what()));
    } catch (const DocumentToolMissing& missing) {
        throw ProblemException(Problem(ProblemKind::DocumentsUnavailable, "").literalDetail(missing.what()));
    }
    recordRead(context, {id}, "document:" + name);
    context.response.set("Content-Disposition", "inline; filename=\"" + rendered.fileName + "\"");
    context.send(200, rendered.contentType, rendered.body);
}

void listDue(RequestContext& context) {
    Date at = Date::today();
    if (auto value = context.queryValue("at")) {
        auto parsed = Date::parse(*value);
        if (!parsed)
            throw ProblemException(
                Problem(ProblemKind::BadRequest, "at must be a date written YYYY-MM-DD.").extension("field", "at"));
        at = *parsed;
    }
    DueQuery query;
    query.at = at;
    if (auto value = context.queryValue("overdue")) {
        if (*value != "true" && *value != "false")
            throw ProblemException(
                Problem(ProblemKind::BadRequest, "overdue must be true or false.").extension("field", "overdue"));
        query.overdueOnly = *value == "true";
    }
    const int limit = limitParameter(context.queryValue("limit"));
    const auto cursor = context.queryValue("cursor");
    const auto after = deadlineCursorParameter(cursor);
    // A scoped caller's pages are its assignments, chosen by the query itself (as the list of
    // situations does), so that a page is full even when it sees few of the network's deadlines.
    if (context.permission.access == Access::Assigned) query.assignedTo = context.caller().name;
    const auto page = dueDeadlinesPage(context.process().database(), query, after, limit);
    Poco::JSON::Array list;
    for (const auto& deadline : page.deadlines) {
        if (!maySee(context.caller(), context.permission, deadline.situationId)) continue;
        auto item = object();
        item->set("situationId", deadline.situationId);
        item->set("deadline", deadline.sendId);
        item->set("event", deadline.event);
        item->set("due", deadline.due);
        item->set("overdue", deadline.overdue);
        list.add(item);
    }
    auto json = object();
    json->set("at", at.iso());
    json->set("deadlines", list);
    // R2's attention ages, for the same caller's situations: what `caseflow due` also lists.
    // One list per situation, not per deadline: it comes with the first page only.
    if (!cursor) {
        Poco::JSON::Array attention;
        for (const auto& [situationId, flag] : context.process().attention(at)) {
            if (!maySee(context.caller(), context.permission, situationId)) continue;
            auto item = object();
            item->set("situationId", situationId);
            item->set("attention", flag);
            attention.add(item);
        }
        json->set("attention", attention);
    }
    if (page.next) {
        // The date is fixed in the link, so that the pages of one walk agree across midnight.
        const std::string nextCursor = dueCursor(*page.next);
        std::string next = "/api/v1/due?at=" + at.iso() + "&limit=" + std::to_string(limit);
        if (query.overdueOnly) next += "&overdue=true";
        next += "&cursor=" + nextCursor;
        json->set("cursor", nextCursor);
        json->set("next", next);
        context.response.set("Link", "<" + next + ">; rel=\"next\"");
    } else {
        json->set("cursor", Poco::Dynamic::Var());
        json->set("next", Poco::Dynamic::Var());
    }
    context.sendJson(200, json);
}

} // namespace caseflow::service
