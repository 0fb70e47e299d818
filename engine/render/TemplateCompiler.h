// Turns a template file into a CompiledTemplate: parse (hardened libxml2), then compile:
// fragments included, stylesheets inlined, every directive checked and every XPath
// expression compiled, literal texts pre-translated, static markup serialised once. What
// must stay true: anything wrong in a template is found here, not while a coordinator is
// printing, and the error names file:line and the directive; a data template (what a PDF
// carries) can hold no translated text, so its data is the same in every language.
#pragma once

#include "render/CompiledTemplate.h"
#include "render/Terms.h"

#include <filesystem>
#include <memory>
#include <string>

namespace caseflow::render {

class TemplateCompiler {
public:
    // `directory` holds the templates (NAME.xhtml), fragments/NAME.xhtml and stylesheets;
    // `displayDirectory` is how messages name it ("templates").
    // `domain` is the gettext domain of its messages (documents; web for the application's pages).
    TemplateCompiler(std::filesystem::path directory, std::string displayDirectory, std::shared_ptr<const Terms> terms,
                     std::string domain = "documents");

    // Compiles directory/NAME.xhtml.
    std::shared_ptr<const CompiledTemplate> compile(const std::string& name) const;
    // Compiles directory/data/NAME.xml, the document's data template: elements in the
    // document data namespace, no translated text, fragments from data/fragments/NAME.xml.
    std::shared_ptr<const CompiledTemplate> compileData(const std::string& name) const;

private:
    std::filesystem::path directory_;
    std::string displayDirectory_;
    std::shared_ptr<const Terms> terms_;
    std::string domain_;
};

} // namespace caseflow::render
