// Specifications of validating what an event places rather than the whole situation
// (Situation::validatePlaced): sound because a valid part placed by apply() leaves a valid
// situation valid. These tests hold the engine to that premise on real data, and show that what
// the shortcut does not cover is still looked at.
#include "core/Errors.h"
#include "model/Situation.h"
#include "process/EventPayload.h"
#include "support/Pilot.h"
#include "support/TestSupport.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

using namespace caseflow;

TEST_CASE("every situation of the whole pilot stays valid as a whole after each part its events place",
          "[model][validation]") {
    test::Pilot pilot;
    for (const auto& stem : test::sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    int placed = 0;
    for (const auto& record : pilot.process().situations()) {
        std::optional<Situation> replayed;
        for (const auto& event : pilot.process().history(record.id)) {
            const EventPayload payload = EventPayload::parse(event.payload);
            xmlNode* data = payload.dataElement();
            if (!data) continue;
            const std::string name = "event " + std::to_string(event.position);
            if (!replayed) {
                replayed = Situation::fromStored(xml::serializeNode(data));
                REQUIRE_NOTHROW(replayed->validate(name));
                continue;
            }
            // The part alone (as the firing path validated it), then the whole document.
            xml::Document alone(xmlNewDoc(xml::x("1.0")));
            xmlDocSetRootElement(alone.get(), xmlDocCopyNode(data, alone.get(), 1));
            REQUIRE_NOTHROW(Situation::fromStored(xml::serialize(alone.get())).validate(name));
            xmlNode* part = replayed->apply(data);
            REQUIRE_NOTHROW(replayed->validatePlaced(part, true, name));
            INFO(name << " placed <" << xml::name(part) << "> in situation " << record.id);
            REQUIRE_NOTHROW(replayed->validate(name));
            ++placed;
        }
        // What the projector adds itself (the id, a redirection) keeps the stored document valid:
        // the next event's shortcut starts from it.
        INFO("stored situation " << record.id);
        REQUIRE_NOTHROW(Situation::fromStored(record.document).validate("stored"));
    }
    CHECK(placed > 100);
}

TEST_CASE("a part changed after its validation as event data is validated again where it is placed",
          "[model][validation]") {
    Situation situation = Situation::parse(test::sampleSituation(test::kEmma), "emma.xml");
    const auto payment = xml::parseString(
        R"(<payment id="pay1" request="fr1" date="2026-03-02" amount="156000" reference="KIR-26-001/V1"/>)",
        "payment.xml");
    xmlNode* part = situation.apply(xml::root(payment.get()));
    // An attribute the schema does not declare, as a faulty addition after validation would be.
    xmlSetProp(part, xml::x("unexpected"), xml::x("1"));
    CHECK_NOTHROW(situation.validatePlaced(part, true, "payment.xml"));
    try {
        situation.validatePlaced(part, false, "payment.xml");
        FAIL("a changed part was not validated");
    } catch (const InvalidInput& refused) {
        CHECK_THAT(refused.what(), Catch::Contains("unexpected"));
    }
    CHECK_THROWS_AS(situation.validate("payment.xml"), InvalidInput);
}

TEST_CASE("a correction rewrites the youth, so the whole situation is validated after it", "[model][validation]") {
    Situation situation = Situation::parse(test::sampleSituation(test::kEmma), "emma.xml");
    const auto correction = xml::parseString(
        R"(<correction id="k1" date="2026-01-20" kind="moved"><postalCode>5100</postalCode><municipality>Jambes</municipality><reason>moved</reason></correction>)",
        "correction.xml");
    xmlNode* part = situation.apply(xml::root(correction.get()));
    // The youth broken behind the correction's back: only a whole validation sees it.
    xmlNode* youth = xml::firstChild(xml::root(situation.document()), "youth");
    xmlNodeSetContent(xml::firstChild(youth, "birthDate"), xml::x("not a date"));
    CHECK_THROWS_AS(situation.validatePlaced(part, true, "correction.xml"), InvalidInput);
}
