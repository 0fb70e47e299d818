// DirectoryRepository on either backend (see DirectoryRepository.h): the same SQL on both, the
// new id given back by RETURNING (SQLite 3.35+, PostgreSQL's identity column).
#include "store/DirectoryRepository.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/Statement.h"

namespace caseflow::store {
namespace {

constexpr const char* kColumns =
    "id, organisation, sector, profession, person, language, contact, pedopsychiatrist, archived";

DirectoryEntry rowOf(Statement& select) {
    return DirectoryEntry{select.columnInt(0),  select.columnText(1),     select.columnText(2),
                          select.columnText(3), select.columnText(4),     select.columnText(5),
                          select.columnText(6), select.columnInt(7) != 0, select.columnInt(8) != 0};
}

// An entry's own fields, bound to ?1..?7 in the order of kColumns after the id: what add and
// update write alike.
Statement& bindFields(Statement& statement, const DirectoryEntry& entry) {
    return statement.bind(1, entry.organisation)
        .bind(2, entry.sector)
        .bind(3, entry.profession)
        .bind(4, entry.person)
        .bind(5, entry.language)
        .bind(6, entry.contact)
        .bind(7, entry.pedopsychiatrist ? 1 : 0);
}

} // namespace

std::int64_t DirectoryRepository::add(const DirectoryEntry& entry) {
    auto insert = db_.prepare("INSERT INTO directory_entries(organisation, sector, profession, person, language,"
                              " contact, pedopsychiatrist, archived) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)"
                              " RETURNING id");
    if (!bindFields(insert, entry).step()) throw Error("the new directory entry's id was not returned");
    const std::int64_t id = insert.columnInt(0);
    // SQLite finishes the INSERT on the step after its RETURNING row.
    while (insert.step()) {
    }
    return id;
}

void DirectoryRepository::setArchived(std::int64_t id, bool archived) {
    db_.prepare("UPDATE directory_entries SET archived = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, archived ? 1 : 0)
        .step();
    if (db_.changes() == 0) throw NotFound("no directory entry " + std::to_string(id));
}

void DirectoryRepository::update(const DirectoryEntry& entry) {
    auto update = db_.prepare("UPDATE directory_entries SET organisation = ?1, sector = ?2, profession = ?3,"
                              " person = ?4, language = ?5, contact = ?6, pedopsychiatrist = ?7 WHERE id = ?8");
    bindFields(update, entry).bind(8, entry.id).step();
    if (db_.changes() == 0) throw NotFound("no directory entry " + std::to_string(entry.id));
}

std::optional<DirectoryEntry> DirectoryRepository::find(std::int64_t id) const {
    auto select = db_.prepare(std::string("SELECT ") + kColumns + " FROM directory_entries WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return rowOf(select);
}

std::vector<DirectoryEntry> DirectoryRepository::entries(bool withArchived) const {
    auto select =
        db_.prepare(std::string("SELECT ") + kColumns + " FROM directory_entries" +
                    (withArchived ? "" : " WHERE archived = 0") + " ORDER BY lower(organisation), lower(person), id");
    std::vector<DirectoryEntry> found;
    while (select.step()) found.push_back(rowOf(select));
    return found;
}

bool DirectoryRepository::empty() const {
    auto select = db_.prepare("SELECT count(*) FROM directory_entries");
    select.step();
    return select.columnInt(0) == 0;
}

} // namespace caseflow::store
