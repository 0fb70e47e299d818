// The rows behind the network's partner directory (table directory_entries, migration 6): the
// organisations and people the network works with, kept by the coordinator, from which the
// web forms pick a situation's partners instead of retyping them. What must stay true: no SQL
// outside this store folder; an entry is never deleted once a form may have copied it (it is
// archived instead), so the directory never loses what a partner was called when added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

struct DirectoryEntry {
    std::int64_t id = 0;
    std::string organisation;
    std::string sector;     // one of situation.xsd's sectors (mental-health, youth-aid, ...)
    std::string profession; // the person's function there ("Pédopsychiatre", "Délégué")
    std::string person;     // who to ask for; may be empty for an organisation as a whole
    std::string language;   // fr, nl, de or en: the language to write to them in
    std::string contact;    // phone or e-mail, as typed
    bool pedopsychiatrist = false;
    bool archived = false;
};

class DirectoryRepository {
public:
    explicit DirectoryRepository(Database& db) : db_(db) {}

    // Returns the new entry's id.
    std::int64_t add(const DirectoryEntry& entry);
    void setArchived(std::int64_t id, bool archived); // throws NotFound
    // Rewrites the entry `entry.id` (all but its archived flag); throws NotFound. A situation
    // that copied the entry keeps its copy: only the forms filled from now on see the change.
    void update(const DirectoryEntry& entry);
    std::optional<DirectoryEntry> find(std::int64_t id) const;
    // Sorted by organisation then person; archived ones only when asked.
    std::vector<DirectoryEntry> entries(bool withArchived = false) const;
    bool empty() const;

private:
    Database& db_;
};

} // namespace caseflow::store
