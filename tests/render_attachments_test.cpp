// What a PDF carries (issue 11, R19): its document's own data and, for a signed care plan or
// budget decision, that element as signed; never the situation. Checked the way an outsider
// would: attachments taken out with pdfdetach, the page read with pdftotext, signatures
// verified with xmlsec1. Every personal value of the pilot's situations that an attachment
// holds must be on the page too. PDFs are slow (WeasyPrint, ~0.5 s each): every document
// (each concertation, request, decision and payment) of every situation in French, the
// bilingual and Dutch variants for one situation only.
#include "render/RenderTestSupport.h"

#include "model/Situation.h"
#include "process/SigningDesk.h"
#include "render/Environment.h"
#include "render/LocaleFormat.h"
#include "render/TemplateError.h"
#include "support/Pilot.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;
using caseflow::render::RenderRequest;

namespace {

bool toolsAvailable() {
    return externalToolsPresent({{"weasyprint", "weasyprint"},
                                 {"pdftotext", "poppler-utils"},
                                 {"pdfdetach", "poppler-utils"},
                                 {"xmlsec1", "xmlsec1"}},
                                "the attachment checks");
}

// Runs of whitespace become one space: XML indents, a form field may hold line breaks.
std::string collapsed(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char ch : text) {
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += ch;
    }
    return out;
}

// Without any whitespace: a page wraps a table cell at any space or after a hyphen.
std::string unwrapped(std::string_view text) {
    std::string out;
    for (const char ch : text)
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t' && ch != '\f') out += ch;
    return out;
}

struct RenderedPdf {
    std::string page;                       // pdftotext in content order, unwrapped
    std::map<std::string, std::string> raw; // attachment file name -> bytes
    std::vector<std::string> roots;         // the root element of each attachment
    std::string values;                     // every text and attribute value of every attachment, collapsed
};

void collectValues(const xmlNode* node, std::string& out) {
    for (; node; node = node->next) {
        if (node->type == XML_TEXT_NODE) out += " " + xml::text(node);
        if (node->type != XML_ELEMENT_NODE) continue;
        for (const xmlAttr* attribute = node->properties; attribute; attribute = attribute->next)
            out += " " + xml::text(reinterpret_cast<const xmlNode*>(attribute));
        collectValues(node->children, out);
    }
}

// Renders one PDF and reads it back with poppler's tools. Runs on worker threads: no Catch
// assertion here, failures are exceptions the caller reports.
RenderedPdf renderPdf(FundingProcess& process, const SituationRecord& record, const RenderRequest& request,
                      const std::filesystem::path& directory) {
    std::filesystem::create_directories(directory);
    const auto pdf = directory / "document.pdf";
    writeFile(pdf, caseflow::render::renderDocument(process, record, request));
    RenderedPdf rendered;
    // -raw: in the order WeasyPrint drew the text, so a table cell's lines stay together.
    const auto text = runTool(*findTool("pdftotext"), {"-raw", "-enc", "UTF-8", pdf.string(), "-"});
    if (text.exitCode != 0) throw std::runtime_error("pdftotext failed: " + text.err);
    rendered.page = unwrapped(text.out);
    const auto attachments = directory / "attachments";
    std::filesystem::create_directories(attachments);
    if (runTool(*findTool("pdfdetach"), {"-saveall", "-o", attachments.string(), pdf.string()}).exitCode != 0)
        throw std::runtime_error("pdfdetach failed");
    std::string values;
    for (const auto& entry : std::filesystem::directory_iterator(attachments)) {
        rendered.raw[entry.path().filename().string()] = readFile(entry.path());
        const auto document = xml::parseFile(entry.path());
        rendered.roots.push_back(xml::name(xml::root(document.get())));
        collectValues(xml::root(document.get()), values);
    }
    rendered.values = collapsed(values);
    return rendered;
}

// The personal and clinical values of a situation (R19): names, birth date, municipality,
// clinical and consent texts, payees and IBANs, who recorded and decided what.
const char* const kPersonalValues[] = {
    "/situation/youth/givenName",
    "/situation/youth/familyName",
    "/situation/youth/birthDate",
    "/situation/youth/municipality",
    "/situation/redirection/note",
    "/situation/consents/consent",
    "/situation/consents/consent/@recordedBy",
    "/situation/partners/partner/contact",
    "/situation/request/reason",
    "/situation/request/urgencyCheck",
    "//objection",
    "//decisions/decision",
    "//roadmap/item/what",
    "//roadmap/item/how",
    "//roadmap/item/withWhom",
    "/situation/carePlan/objectives/objective",
    "/situation/carePlan/actions/action",
    "/situation/carePlan/validation/@by",
    "/situation/financialNeed",
    "//fundingRequest/justification",
    "//fundingRequest/line",
    "//fundingRequest/line/@supplier",
    "//fundingRequest/payee/@name",
    "//fundingRequest/payee/@iban",
    "//budgetDecision/reason",
    "//budgetDecision/@by",
    "//budgetDecision/@countersignedBy",
    "/situation/reviews/review",
    "/situation/closure",
};

struct PersonalValue {
    std::string xpath;
    std::string value;             // collapsed
    std::vector<std::string> seen; // how a page may show it
};

std::vector<PersonalValue> personalValues(const SituationRecord& record) {
    const auto document = xml::parseString(record.document, "situation");
    xml::XPath xpath(document.get());
    std::vector<PersonalValue> values;
    for (const char* expression : kPersonalValues) {
        for (xmlNode* node : xpath.nodes(expression)) {
            PersonalValue value{expression, collapsed(xml::text(node)), {}};
            if (value.value.empty()) continue;
            value.seen.push_back(unwrapped(value.value));
            // A date is shown formatted: 15 septembre 2014, 15 september 2014, 15/09/2014.
            for (const auto* language : {"fr", "nl"})
                for (const auto style : {caseflow::render::DateStyle::Long, caseflow::render::DateStyle::Numeric})
                    if (auto shown = caseflow::render::formatIsoDate(value.value, language, style))
                        value.seen.push_back(unwrapped(*shown));
            values.push_back(std::move(value));
        }
    }
    return values;
}

// Every item a document can be about: each concertation's minutes, each request and its
// decision, each payment's notice; "" (the only one) for the other documents.
std::vector<std::string> itemsOf(const SituationRecord& record, const std::string& document) {
    static const std::map<std::string, std::string> items = {
        {"minutes", "/situation/concertations/concertation/@id"},
        {"funding-request", "/situation/fundingRequests/fundingRequest/@id"},
        {"budget-decision", "/situation/budgetDecisions/budgetDecision/@request"},
        {"payment-notice", "/situation/payments/payment/@id"}};
    const auto found = items.find(document);
    if (found == items.end()) return {""};
    const auto situation = xml::parseString(record.document, "situation");
    std::vector<std::string> ids;
    for (xmlNode* id : xml::XPath(situation.get()).nodes(found->second))
        if (std::find(ids.begin(), ids.end(), xml::text(id)) == ids.end()) ids.push_back(xml::text(id));
    return ids;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("no PDF of the samples carries a personal value its page does not show", "[render][pdf][attachments]") {
    if (!toolsAvailable()) return;
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);

    struct Job {
        SituationRecord record;
        RenderRequest request;
        RenderedPdf pdf;
        std::string failure;
    };
    std::vector<Job> jobs;
    for (const auto& record : pilot.process().situations()) {
        // The bilingual and Dutch pages of the richest dossier (03, Andenne): the data does not
        // depend on the language, the page's text does.
        const bool andenne = Situation::fromStored(record.document).reference() == "KIR-26-003";
        const std::vector<std::string> languages =
            andenne ? std::vector<std::string>{"fr", "fr+nl", "nl"} : std::vector<std::string>{"fr"};
        for (const auto& document : caseflow::render::documentNames())
            for (const auto& item : itemsOf(record, document)) {
                if (!caseflow::render::DocumentRenderer().applies(record, pilot.process().network(), document, item))
                    continue;
                for (const auto& language : languages)
                    jobs.push_back({record, {document, language, "pdf", item}, {}, ""});
            }
    }
    // Two renders at a time: WeasyPrint is the slow part and the renderer is thread-safe.
    ScratchDir scratch;
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            try {
                jobs[i].pdf =
                    renderPdf(pilot.process(), jobs[i].record, jobs[i].request, scratch / ("pdf-" + std::to_string(i)));
            } catch (const std::exception& error) {
                jobs[i].failure = error.what();
            }
        }
    };
    std::thread helper(work);
    work();
    helper.join();

    const auto ca = scratch / "network-ca.pem";
    writeFile(ca, pilot.signers().authority().certificate().pem());
    int valuesCarried = 0, signaturesVerified = 0;
    std::set<std::string> kinds;
    for (const auto& job : jobs) {
        INFO("situation " << job.record.id << ", " << job.request.document << " " << job.request.item << ", "
                          << job.request.language);
        REQUIRE(job.failure == "");
        kinds.insert(job.request.document);
        REQUIRE_FALSE(job.pdf.raw.empty());
        for (const auto& root : job.pdf.roots) CHECK(root != "situation");
        for (const auto& [name, bytes] : job.pdf.raw) {
            if (name.size() < 11 || name.compare(name.size() - 11, 11, "_signed.xml") != 0) continue;
            const auto file = scratch / ("verify-" + name);
            writeFile(file, bytes);
            const auto verified =
                runTool("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", ca.string(), file.string()});
            INFO(name << ": " << verified.err);
            CHECK(verified.exitCode == 0);
            ++signaturesVerified;
        }
        for (const auto& value : personalValues(job.record)) {
            if (!contains(job.pdf.values, value.value)) continue;
            ++valuesCarried;
            INFO(value.xpath << " = '" << value.value << "' is in an attachment");
            CHECK(std::any_of(value.seen.begin(), value.seen.end(),
                              [&](const std::string& shown) { return contains(job.pdf.page, shown); }));
        }
    }
    WARN(jobs.size() << " PDFs checked, " << valuesCarried << " personal values carried and shown, "
                     << signaturesVerified << " signed attachments verified by xmlsec1");
    // Every kind was rendered, real values were looked at, signatures were there to verify.
    CHECK(kinds.size() == caseflow::render::documentNames().size());
    CHECK(valuesCarried > 100);
    CHECK(signaturesVerified > 10);
}

TEST_CASE("signed plans and decisions ride in the PDF as signed, and xmlsec1 verifies them",
          "[render][pdf][attachments][signature]") {
    if (!toolsAvailable()) return;
    Pilot pilot; // scenario 03: the plan signed by the pedopsychiatrist, the decision by the coordinator
    const auto id = pilot.registerSample("03-andenne-eleven-transition");
    pilot.runScenario(id, "03-andenne-eleven-transition");
    ScratchDir scratch;
    const auto ca = scratch / "network-ca.pem";
    writeFile(ca, pilot.signers().authority().certificate().pem());
    const auto record = pilot.process().situation(id);
    SigningDesk desk(pilot.process());
    const std::string reference = Situation::fromStored(record.document).reference();

    for (const auto& [document, exported] : std::vector<std::pair<std::string, std::string>>{
             {"care-plan", desk.exportSignedPlan(id)}, {"budget-decision", desk.exportSignedDecision(id, {})}}) {
        INFO(document);
        const auto pdf = renderPdf(pilot.process(), record, {document, "fr", "pdf", ""}, scratch / document);
        REQUIRE(pdf.raw.size() == 2);
        const std::string signedName = reference + "_" + document + "_signed.xml";
        REQUIRE(pdf.raw.count(signedName) == 1);
        CHECK(pdf.raw.count(reference + "_" + document + ".xml") == 1);
        WARN(document << " attachments: " << pdf.raw.at(reference + "_" + document + ".xml").size()
                      << " bytes of data + " << pdf.raw.at(reference + "_" + document + "_signed.xml").size()
                      << " bytes signed; the whole situation attached before was "
                      << Situation::fromStored(record.document).toXml(true).size() << " bytes");
        // The element as stored, which is as signed: not re-indented, not a re-serialised copy.
        CHECK(pdf.raw.at(signedName) == exported);
        const auto file = scratch / (document + "-signed.xml");
        writeFile(file, pdf.raw.at(signedName));
        const auto verified = runTool("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", ca.string(), file.string()});
        INFO(verified.err);
        CHECK(verified.exitCode == 0);

        // A changed byte no longer verifies: the check above can fail.
        std::string tampered = pdf.raw.at(signedName);
        const auto at = tampered.find("signedAt=\"2");
        REQUIRE(at != std::string::npos);
        tampered[at + 10] = '3'; // signed in 3026
        writeFile(file, tampered);
        CHECK(runTool("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", ca.string(), file.string()}).exitCode != 0);
    }
}

namespace {

const char* const kDataTemplateSituation = R"~(<situation id="7">
  <youth><reference>KIR-26-099</reference><givenName>Lina</givenName><birthDate>2014-09-15</birthDate></youth>
  <items><item code="a" amount="125000">First &amp; &lt;best&gt;</item><item code="b" amount="99">   </item></items>
</situation>)~";

// Renders templates/data/doc.xml written by the test, or returns the compile error.
std::string renderData(const std::string& text, const std::map<std::string, std::string>& fragments = {}) {
    TemplateDirectory directory;
    std::filesystem::create_directories(directory.path() / "data" / "fragments");
    directory.write("data/doc.xml", text);
    for (const auto& [name, content] : fragments) directory.write("data/fragments/" + name + ".xml", content);
    caseflow::render::Environment environment(directory.path(), "tpl");
    const auto situation = xml::parseString(kDataTemplateSituation, "situation");
    caseflow::render::RenderInputs inputs;
    inputs.situation = situation.get();
    inputs.language = caseflow::render::LanguageSpec::parse("fr+nl");
    try {
        return environment.getData("doc")->render(inputs);
    } catch (const caseflow::render::TemplateError& error) {
        return std::string("error: ") + error.what();
    }
}

std::string dataTemplate(const std::string& body) {
    return "<doc xmlns=\"urn:caseflow:document:1\" xmlns:t=\"urn:caseflow:template:1\">" + body + "</doc>";
}

} // namespace

TEST_CASE("a data template writes stored values as XML and leaves out what is not provided", "[render][attachments]") {
    const std::string data = renderData(
        dataTemplate("<item t:each=\"/situation/items/item\" t:attr-code=\"@code\" t:attr-amount=\"@amount\">"
                     "<label t:text=\".\"/></item><who t:include=\"who\"/>"),
        {{"who", "<f xmlns=\"urn:caseflow:document:1\" xmlns:t=\"urn:caseflow:template:1\">"
                 "<youth t:fragment=\"who\" t:attr-reference=\"/situation/youth/reference\"/></f>"}});
    CHECK(data == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<doc xmlns=\"urn:caseflow:document:1\"><item code=\"a\" amount=\"125000\"><label>First &amp; "
                  "&lt;best&gt;</label></item><item code=\"b\" amount=\"99\"></item>"
                  "<youth reference=\"KIR-26-099\"></youth></doc>\n");
    // Well-formed, once per language of the request: data does not depend on the language.
    CHECK(xml::name(xml::root(xml::parseString(data, "data").get())) == "doc");
}

TEST_CASE("a data template refuses translated text and elements outside the data namespace", "[render][attachments]") {
    CHECK_THAT(renderData(dataTemplate("<label t:i18n=\"\">Name</label>")),
               Catch::Contains("tpl/data/doc.xml:1: t:i18n: a data template writes stored values, not translated"));
    CHECK_THAT(renderData(dataTemplate("<label t:text=\"cf:term('yes-no', 'true')\"/>")),
               Catch::Contains("translates or reads $lang"));
    CHECK_THAT(renderData(dataTemplate("<label t:text=\"$lang\"/>")), Catch::Contains("translates or reads $lang"));
    CHECK_THAT(renderData("<doc xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:t=\"urn:caseflow:template:1\"/>"),
               Catch::Contains("a data template is XML in the document data namespace"));
    CHECK_THAT(renderData(dataTemplate("<p xmlns=\"http://www.w3.org/1999/xhtml\"/>")),
               Catch::Contains("<p> is not in the document data namespace"));
}

TEST_CASE("every document has a data template that compiles, and a schema", "[render][attachments]") {
    const auto& environment = caseflow::render::Environment::shared();
    for (const auto& document : caseflow::render::documentNames()) {
        INFO(document);
        CHECK_NOTHROW(environment.getData(document));
        CHECK_NOTHROW(xml::Schema::load(projectDir() / "schemas" / "documents" / (document + ".xsd")));
    }
}
