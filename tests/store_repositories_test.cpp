// Specification of the repositories that keep the database behind store/: what they add to
// the rows they replace (an idempotency key stored once, an event's hash by position, a
// situation found by one of its states), and that rows written through several repositories
// inside one event's transaction commit or vanish with it; the directory's new ids, a proof's
// bytes, a duplicate key as a Conflict, the projections compared with a replay and R18's envelope
// lock. On SQLite and on PostgreSQL alike (support/TestDatabase.h; there as the application role).
#include "core/Errors.h"
#include "store/AccountRepository.h"
#include "store/Backup.h"
#include "store/Database.h"
#include "store/DirectoryRepository.h"
#include "store/EventStore.h"
#include "store/FinanceRepository.h"
#include "store/IdempotencyKeys.h"
#include "store/Migrations.h"
#include "store/ProjectionCheck.h"
#include "store/ProofRepository.h"
#include "store/SessionRepository.h"
#include "store/SituationRepository.h"
#include "store/Transaction.h"
#include "store/TrustRepository.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace caseflow::store;
using caseflow::test::Backend;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

namespace {

// Migrated by the owner, used as the application role (the same file on SQLite).
struct Fixture {
    ScratchDir dir;
    TestDatabase database{dir};
    Database db = caseflow::test::openMigrated(database);
};

IdempotencyRecord keyRecord(const std::string& key, const std::string& response) {
    return {key, "Finn Finance", "fingerprint-" + key, 1, 1, 201, response, "2026-03-01T10:00:00.000Z"};
}

SituationRow situationRow(std::int64_t id, const std::string& state) {
    return {id, 1, state, 2, "Namur", "2026-01-07T09:00:00.000Z", "2026-01-07T09:00:00.000Z", "<situation/>"};
}

} // namespace

TEST_CASE("an idempotency key is stored once, and the first response is the one kept", "[store]") {
    Fixture fixture;
    IdempotencyKeys keys(fixture.db);
    CHECK_FALSE(keys.find("pay-1"));
    CHECK(keys.storeOnce(keyRecord("pay-1", "{\"first\": true}")));
    CHECK_FALSE(keys.storeOnce(keyRecord("pay-1", "{\"second\": true}")));
    const auto stored = keys.find("pay-1");
    REQUIRE(stored);
    CHECK(stored->response == "{\"first\": true}");
    CHECK(stored->userName == "Finn Finance");
    CHECK(stored->status == 201);
}

TEST_CASE("an event's hash is read by its position, and a position past the log has none", "[store]") {
    Fixture fixture;
    EventStore events(fixture.db);
    const auto first = events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, Projector());
    const auto second = events.append({first.situationId, "consent.recorded", "partner:A", "<b/>"}, 1, Projector());
    CHECK(events.hashAt(first.position) == first.hash);
    CHECK(events.hashAt(second.position) == second.hash);
    CHECK_FALSE(events.hashAt(second.position + 1));
}

TEST_CASE("a situation is listed under each of its active states, never under part of a state's name", "[store]") {
    Fixture fixture;
    SituationRepository situations(fixture.db);
    situations.insert(situationRow(1, "budget-check followup"));
    situations.insert(situationRow(2, "budget"));
    CHECK(situations.count() == 2);
    const auto inBudgetCheck = situations.list("budget-check");
    REQUIRE(inBudgetCheck.size() == 1);
    CHECK(inBudgetCheck.front().id == 1);
    CHECK(situations.list("followup").size() == 1);
    const auto inBudget = situations.list("budget");
    REQUIRE(inBudget.size() == 1);
    CHECK(inBudget.front().id == 2);
    CHECK(situations.list().size() == 2);
}

TEST_CASE("rows of several repositories written in an event's transaction vanish with the event when it fails",
          "[store]") {
    Fixture fixture;
    EventStore events(fixture.db);
    const auto refused = [&](Database& db, const StoredEvent& event) {
        SituationRepository(db).insert(situationRow(event.situationId, "preparation"));
        FinanceRepository(db).saveRequest(event.situationId, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000,
                                          "2026-02-01");
        IdempotencyKeys(db).storeOnce(keyRecord("pay-1", "{}"));
        throw std::runtime_error("the projection refuses");
    };
    CHECK_THROWS_WITH(events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, refused),
                      "the projection refuses");
    CHECK(events.allEvents().empty());
    CHECK(SituationRepository(fixture.db).count() == 0);
    CHECK(FinanceRepository(fixture.db).requests().empty());
    CHECK_FALSE(IdempotencyKeys(fixture.db).find("pay-1"));

    // The same writes with a projection that succeeds are all there.
    const auto accepted = [&](Database& db, const StoredEvent& event) {
        SituationRepository(db).insert(situationRow(event.situationId, "preparation"));
        FinanceRepository(db).saveRequest(event.situationId, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000,
                                          "2026-02-01");
        IdempotencyKeys(db).storeOnce(keyRecord("pay-1", "{}"));
    };
    events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, accepted);
    CHECK(SituationRepository(fixture.db).count() == 1);
    CHECK(FinanceRepository(fixture.db).submittedInYear(2026).requestedCents == 150000);
    CHECK(IdempotencyKeys(fixture.db).find("pay-1"));
}

TEST_CASE("a directory entry gets a new id from the database, and entries are listed by organisation", "[store]") {
    Fixture fixture;
    DirectoryRepository directory(fixture.db);
    CHECK(directory.empty());
    const auto first = directory.add({0, "SSM Namur", "mental-health", "Pédopsychiatre", "Dr Lambert", "fr", "", true});
    const auto second = directory.add({0, "AMO Basse-Sambre", "youth-aid", "", "", "fr", "081 00 00 00"});
    CHECK(first > 0);
    CHECK(second > first);
    const auto found = directory.find(first);
    REQUIRE(found);
    CHECK(found->organisation == "SSM Namur");
    CHECK(found->pedopsychiatrist);
    CHECK_FALSE(found->archived);
    directory.setArchived(second, true);
    CHECK(directory.entries(false).size() == 1);
    const auto all = directory.entries(true);
    REQUIRE(all.size() == 2);
    CHECK(all.front().id == second); // "AMO ..." before "SSM ..."
    CHECK_THROWS_AS(directory.setArchived(second + 100, true), caseflow::NotFound);
}

TEST_CASE("a proof's bytes come back exactly as stored, NUL and high bytes included, and are stored once", "[store]") {
    Fixture fixture;
    ProofRepository proofs(fixture.db);
    std::string bytes = "%PDF-1.7\n";
    for (int value = 0; value < 256; ++value) bytes += static_cast<char>(value);
    bytes += std::string(3, '\0') + "%%EOF";
    const ProofFacts facts = inspectProof("facture.pdf", bytes);
    CHECK(proofs.storeOnce(facts, bytes));
    CHECK_FALSE(proofs.storeOnce(facts, bytes));
    CHECK(proofs.count() == 1);
    const auto stored = proofs.find(facts.sha256);
    REQUIRE(stored);
    CHECK(stored->mediaType == "application/pdf");
    CHECK(stored->bytes.size() == bytes.size());
    CHECK(stored->bytes == bytes);
    CHECK_FALSE(proofs.find(std::string(64, '0')));
}

TEST_CASE("a row stored twice under one key is a Conflict on either backend", "[store]") {
    Fixture fixture;
    SituationRepository situations(fixture.db);
    situations.insert(situationRow(1, "preparation"));
    CHECK_THROWS_AS(situations.insert(situationRow(1, "preparation")), caseflow::Conflict);
    CHECK(situations.count() == 1);
}

TEST_CASE("stored projections are compared with a replay in an SQLite scratch database, and replaced by it",
          "[store]") {
    Fixture fixture;
    SituationRepository(fixture.db).insert(situationRow(1, "preparation"));
    SituationRepository(fixture.db).insert(situationRow(2, "followup"));
    FinanceRepository(fixture.db)
        .saveRequest(1, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000, "2026-02-01");

    Database replayed = Database::openScratch();
    migrate(replayed);
    SituationRepository(replayed).insert(situationRow(1, "preparation"));
    SituationRepository(replayed).insert(situationRow(3, "preparation"));
    FinanceRepository(replayed).saveRequest(1, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 175000, "2026-02-01");

    const auto drifts = compareProjections(fixture.db, replayed);
    std::vector<std::string> described;
    for (const auto& drift : drifts) described.push_back(drift.describe());
    INFO(described.size() << " drifts");
    REQUIRE(drifts.size() == 3);
    CHECK(drifts[0].table == "situations");
    CHECK(drifts[0].key == "id=2");
    CHECK_FALSE(drifts[0].replayed);
    CHECK(drifts[1].key == "id=3");
    CHECK_FALSE(drifts[1].stored);
    CHECK(drifts[2].table == "funding_requests");
    CHECK(drifts[2].column == "requested_cents");
    CHECK(drifts[2].stored == "150000");
    CHECK(drifts[2].replayed == "175000");

    {
        Transaction transaction(fixture.db);
        replaceProjections(fixture.db, replayed);
        transaction.commit();
    }
    CHECK(compareProjections(fixture.db, replayed).empty());
    // The generated columns are the stored database's own, computed again from the copied document.
    auto reference = fixture.db.prepare("SELECT count(*) FROM situations WHERE youth_reference IS NULL");
    reference.step();
    CHECK(reference.columnInt(0) == 2);
}

TEST_CASE("the year's envelope lock is taken inside a write transaction and leaves the committed sum alone",
          "[store]") {
    Fixture fixture;
    FinanceRepository finance(fixture.db);
    finance.saveRequest(1, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000, "2026-02-01");
    finance.decideRequest(1, "fr-1", caseflow::RequestState::Approved, "2026-02-10", 120000, 2026);
    {
        Transaction transaction(fixture.db);
        finance.lockEnvelopeYear(2026);
        finance.lockEnvelopeYear(2026); // again in the same transaction: already held
        CHECK(finance.committedInYear(2026) == 120000);
        transaction.commit();
    }
    if (fixture.database.backend() == Backend::Postgres) {
        auto locks = fixture.db.prepare("SELECT count(*) FROM envelope_locks WHERE year = 2026");
        locks.step();
        CHECK(locks.columnInt(0) == 1);
        // A second server deciding against the same year waits for the first: here, past a short timeout.
        Database other = Database::open(fixture.database.appAddress(), OpenMode::MustExist);
        other.exec("SET lock_timeout = '100ms'");
        Transaction holding(fixture.db);
        finance.lockEnvelopeYear(2026);
        Transaction waiting(other);
        CHECK_THROWS_AS(FinanceRepository(other).lockEnvelopeYear(2026), caseflow::Conflict);
    }
}

TEST_CASE("caseflow backup and restore on a PostgreSQL address point to pg_dump", "[store]") {
    ScratchDir dir;
    const std::string address = "postgresql:///caseflow?host=/tmp/nowhere&user=caseflow_owner";
    CHECK_THROWS_WITH(backupDatabase(address, dir / "backup.db", false),
                      Catch::Contains("for a PostgreSQL database use pg_dump and pg_restore (docs/deployment.md)"));
    CHECK_THROWS_AS(restoreDatabase(dir / "backup.db", address, false), caseflow::UsageError);
    CHECK_FALSE(std::filesystem::exists(dir / "backup.db"));
}

TEST_CASE("accounts, tokens, sessions and the trust store keep their rules on either backend", "[store]") {
    Fixture fixture;
    AccountRepository accounts(fixture.db);
    accounts.insertUser({"ana", "coordinator", "2026-01-05T08:00:00.000Z"});
    CHECK_THROWS_AS(accounts.insertUser({"ana", "finance", "2026-01-05T08:00:00.000Z"}), caseflow::Conflict);
    accounts.assign("ana", 3, "2026-01-05T08:00:00.000Z");
    accounts.assign("ana", 1, "2026-01-05T08:00:00.000Z");
    CHECK(accounts.assignments("ana") == std::vector<std::int64_t>{1, 3});
    CHECK(accounts.setLanguage("ana", "nl"));
    CHECK_FALSE(accounts.setLanguage("nobody", "nl"));
    const auto login = accounts.login("ana");
    REQUIRE(login);
    CHECK(login->language == "nl");
    CHECK_FALSE(login->passwordHash);
    accounts.insertToken({"t1", "ana", "2026-01-05T08:00:00.000Z", "2026-02-01T00:00:00.000Z", std::nullopt},
                         std::string(64, 'a'));
    CHECK(accounts.userOfActiveToken(std::string(64, 'a'), "2026-01-10T00:00:00.000Z"));
    CHECK_FALSE(accounts.userOfActiveToken(std::string(64, 'a'), "2026-03-01T00:00:00.000Z"));
    CHECK(accounts.revokeToken("t1", "2026-01-06T00:00:00.000Z") == 1);
    CHECK(accounts.revokeToken("t1", "2026-01-07T00:00:00.000Z") == 0);

    SessionRepository sessions(fixture.db);
    sessions.insert({std::string(64, 'b'), "ana", "csrf", 1000, 1000});
    sessions.insert({std::string(64, 'c'), "ana", "csrf", 1000, 5000});
    CHECK(sessions.removeExpired(2000, 0) == 1);
    CHECK(sessions.removeAllOf("ana") == 1);

    TrustRepository trust(fixture.db);
    trust.insertSigner({"f1", "ana", "coordinator", "01", "2026-01-01", "2027-01-01", "2026-01-01T00:00:00.000Z", "ca",
                        std::nullopt, std::nullopt, std::nullopt, "-----BEGIN CERTIFICATE-----"});
    trust.revokeSigner("f1", "2026-06-01T00:00:00.000Z", "ca", "key lost");
    const auto revoked = trust.signer("f1");
    REQUIRE(revoked);
    CHECK(revoked->revocationReason == "key lost");
    CHECK(trust.activeSigners("ana").empty());
    // Revoked once: a second revocation, or any other change, is refused by the database.
    CHECK_THROWS_WITH(trust.revokeSigner("f1", "2026-07-01T00:00:00.000Z", "ca", "again"),
                      Catch::Contains("a signer certificate only changes by being revoked, once"));
    CHECK_THROWS_WITH(fixture.db.exec("DELETE FROM trust_signers"),
                      Catch::Contains(fixture.database.backend() == Backend::Sqlite
                                          ? "signer certificates are revoked, never deleted"
                                          : "permission denied for table trust_signers"));
}
