// Fuzz target: a document template (templates/NAME.xhtml) compiled by TemplateCompiler,
// with the shipped fragments, stylesheet and terms beside it, then rendered bilingually
// against the render fixture (a situation through every phase) and the Namur settings.
// Properties: a broken template is refused at compile time with a TemplateError, and a
// render fails only with the engine's own errors (TemplateError, NotApplicable); a rendered
// document is polyglot HTML: well-formed XML once its DOCTYPE line is removed (the ODT and
// PDF writers read it as XML).
#include "FuzzSupport.h"

#include "core/Errors.h"
#include "model/Paths.h"
#include "render/CompiledTemplate.h"
#include "render/TemplateCompiler.h"
#include "render/TemplateError.h"
#include "xml/Xml.h"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <unistd.h>

using namespace caseflow;
using namespace caseflow::render;

namespace {

// A directory like templates/ where doc.xhtml is the input: the real fragments, stylesheet
// and terms are linked in, so includes and t:term meet what production templates meet.
class Workspace {
public:
    Workspace()
        : directory_(std::filesystem::temp_directory_path() / ("caseflow-fuzz-template-" + std::to_string(getpid()))) {
        std::filesystem::remove_all(directory_);
        std::filesystem::create_directories(directory_);
        const auto shipped = dataDir() / "templates";
        for (const char* name : {"fragments", "print.css", "terms.xml"})
            std::filesystem::create_symlink(shipped / name, directory_ / name);
        terms_ = std::make_shared<const Terms>(Terms::load(shipped / "terms.xml", "templates/terms.xml"));
    }
    ~Workspace() {
        std::error_code ignored; // at exit: a directory left behind in /tmp is no failure
        std::filesystem::remove_all(directory_, ignored);
    }
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    static Workspace& instance() {
        static Workspace workspace;
        return workspace;
    }
    std::shared_ptr<const CompiledTemplate> compile(std::string_view text) const {
        {
            std::ofstream out(directory_ / "doc.xhtml", std::ios::binary | std::ios::trunc);
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
        }
        return TemplateCompiler(directory_, "templates", terms_).compile("doc");
    }

private:
    std::filesystem::path directory_;
    std::shared_ptr<const Terms> terms_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const xml::Document situation = xml::parseString(fuzz::sampleSituationXml(), "tests/render/situation.xml");
    std::shared_ptr<const CompiledTemplate> compiled;
    try {
        compiled = Workspace::instance().compile(fuzz::bytes(data, size));
    } catch (const TemplateError&) {
        return 0;
    }
    RenderInputs inputs;
    inputs.situation = situation.get();
    inputs.language = LanguageSpec::parse("fr+nl");
    inputs.nodes = {{"network", xml::root(fuzz::namurNetwork().document())}};
    inputs.strings = {{"today", "2026-11-26"}, {"document", "fuzz"}, {"item", ""}};
    std::string html;
    try {
        html = compiled->render(inputs);
    } catch (const TemplateError&) {
        return 0;
    } catch (const NotApplicable&) {
        return 0;
    }
    std::string_view body = html;
    if (body.rfind("<!DOCTYPE", 0) == 0) body.remove_prefix(std::min(body.find('>') + 1, body.size()));
    try {
        (void)xml::parseString(body, "rendered document");
    } catch (const UsageError& refused) {
        fuzz::violated("a rendered document is well-formed XML without its DOCTYPE",
                       std::string(refused.what()) + "\n--- rendered:\n" + html);
    }
    return 0;
}
