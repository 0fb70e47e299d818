// The partner directory's pages (issue 15): the organisations and people of the network, read
// by every signed-in user and kept by the coordinator (add, edit, archive, restore). The phase forms copy an
// entry into a situation's partners (partner.added), so nobody retypes a partner. What must
// stay true: only the coordinator changes the directory (add, edit, archive, restore); an
// entry is archived, never deleted, since past concertations and situations name it;
// every value a coordinator types is checked against the sectors and languages the situation
// schema knows before it is stored.
#include "web/PhaseForms.h"

#include "web/FormParts.h"

#include "model/Situation.h"
#include "process/FundingProcess.h"
#include "store/DirectoryRepository.h"
#include "xml/Xml.h"

#include <algorithm>
#include <set>

namespace caseflow::web {
namespace {

std::string t(const char* msgid, const FormRequest& request) {
    return request.translate(msgid);
}

const std::vector<std::string> kSectors = {"mental-health", "youth-aid", "education", "disability",
                                           "hospital",      "social",    "other"};
const std::vector<std::string> kLanguages = {"fr", "nl", "de", "en"};

constexpr std::size_t kMaxText = 200; // situation.xsd's shortText

void showDirectory(FormRequest& request, int status, const FormEcho* echo) {
    PageModel model;
    request.beginModel(model, "directory");
    model.attribute("done", request.queryValue("done"));
    for (const auto& sector : kSectors) model.leaf("sector", {{"id", sector}, {"label", sectorLabel(sector, request)}});
    // The coordinator also sees the archived entries, to restore one archived by mistake.
    const bool coordinator = request.role() == "coordinator";
    for (const auto& entry : store::DirectoryRepository(request.database()).entries(coordinator))
        model.leaf("entry", {{"id", std::to_string(entry.id)},
                             {"organisation", entry.organisation},
                             {"sector", entry.sector},
                             {"sectorLabel", sectorLabel(entry.sector, request)},
                             {"profession", entry.profession},
                             {"person", entry.person},
                             {"language", entry.language},
                             {"contact", entry.contact},
                             {"pedopsychiatrist", entry.pedopsychiatrist ? "true" : ""},
                             {"archived", entry.archived ? "true" : ""}});
    if (echo) echo->write(model);
    request.sendPage(status, "directory", model);
}

std::int64_t entryId(const PostedForm& form, store::DirectoryRepository& directory) {
    const auto id = std::atoll(form.value("entry").c_str());
    if (id <= 0 || !directory.find(id)) throw NotFound("no such directory entry");
    return id;
}

} // namespace

std::string sectorLabel(const std::string& sector, const FormRequest& request) {
    if (sector == "mental-health") return t("mental health", request);
    if (sector == "youth-aid") return t("youth aid", request);
    if (sector == "education") return t("education", request);
    if (sector == "disability") return t("disability", request);
    if (sector == "hospital") return t("hospital", request);
    if (sector == "social") return t("social", request);
    return t("other sector", request);
}

void directoryPage(FormRequest& request) {
    const auto editing = std::atoll(request.queryValue("edit").c_str());
    if (editing <= 0) return showDirectory(request, 200, nullptr);
    // ?edit=ID: the form filled with the entry, to be posted to /directory/edit.
    if (request.role() != "coordinator")
        throw PageRefused(403, t("Only the coordinator keeps the directory.", request));
    const auto entry = store::DirectoryRepository(request.database()).find(editing);
    if (!entry) throw NotFound("no such directory entry");
    FormEcho echo{"edit",
                  {{"entry", std::to_string(entry->id)},
                   {"organisation", entry->organisation},
                   {"person", entry->person},
                   {"profession", entry->profession},
                   {"sector", entry->sector},
                   {"language", entry->language},
                   {"contact", entry->contact}},
                  {}};
    if (entry->pedopsychiatrist) echo.values.emplace_back("pedopsychiatrist", "true");
    showDirectory(request, 200, &echo);
}

void directoryPost(FormRequest& request, const std::string& action) {
    if (request.role() != "coordinator")
        throw PageRefused(403, t("Only the coordinator keeps the directory.", request));
    const PostedForm& form = request.form();
    store::DirectoryRepository directory(request.database());
    if (action == "archive" || action == "restore") {
        directory.setArchived(entryId(form, directory), action == "archive");
        return request.redirect(action == "archive" ? "/directory?done=archived" : "/directory?done=restored");
    }
    if (action != "add" && action != "edit") throw NotFound("no such page");
    FormEcho echo{action, form.fields(), {}};
    store::DirectoryEntry entry;
    if (action == "edit") entry.id = entryId(form, directory);
    entry.organisation = trimmed(form.value("organisation"));
    entry.sector = form.value("sector");
    entry.profession = trimmed(form.value("profession"));
    entry.person = trimmed(form.value("person"));
    entry.language = form.value("language");
    entry.contact = trimmed(form.value("contact"));
    entry.pedopsychiatrist = form.find("pedopsychiatrist").has_value();
    if (entry.organisation.empty()) echo.errors.push_back({"organisation", "", t("This field is required.", request)});
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, std::string>>{{"organisation", entry.organisation},
                                                          {"profession", entry.profession},
                                                          {"person", entry.person},
                                                          {"contact", entry.contact}})
        if (value.size() > kMaxText)
            echo.errors.push_back({field, "", t("This text is too long (200 characters at most).", request)});
    if (std::find(kSectors.begin(), kSectors.end(), entry.sector) == kSectors.end())
        echo.errors.push_back({"sector", "", t("Choose a sector.", request)});
    if (std::find(kLanguages.begin(), kLanguages.end(), entry.language) == kLanguages.end())
        echo.errors.push_back({"language", "", t("Choose a language.", request)});
    if (!echo.errors.empty()) return showDirectory(request, 422, &echo);
    if (action == "edit") {
        directory.update(entry);
        return request.redirect("/directory?done=edited");
    }
    directory.add(entry);
    request.redirect("/directory?done=added");
}

void seedDirectoryIfEmpty(store::Database& db, FundingProcess& process) {
    store::DirectoryRepository directory(db);
    if (!directory.empty()) return;
    // One entry per organisation and person: the same partner appears in many situations.
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& record : process.situations()) {
        const auto doc = xml::parseString(record.document, "situation");
        xml::XPath xpath(doc.get());
        const auto language = xpath.string("string(/situation/youth/language)");
        for (xmlNode* partner : xpath.nodes("/situation/partners/partner")) {
            store::DirectoryEntry entry;
            entry.organisation = xpath.string("string(organisation)", partner);
            entry.person = xpath.string("string(contact)", partner);
            if (!seen.insert({entry.organisation, entry.person}).second) continue;
            entry.sector = xpath.string("string(@sector)", partner);
            entry.profession = xpath.string("string(function)", partner);
            entry.language = language.empty() ? "fr" : language;
            entry.pedopsychiatrist = xpath.boolean("pedopsychiatrist = 'true' or pedopsychiatrist = '1'", partner);
            directory.add(entry);
        }
    }
    for (const auto& doctor : process.network().pedopsychiatrists()) {
        if (!seen.insert({doctor.organisation, doctor.name}).second) continue;
        directory.add({0, doctor.organisation, "mental-health", "", doctor.name, "fr", "", true, false});
    }
}

} // namespace caseflow::web
