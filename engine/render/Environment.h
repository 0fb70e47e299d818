// The template environment: where templates live, the vocabularies they share, and the
// cache of compiled templates. A template is compiled the first time it is asked for and
// then shared, immutable, by every render on every thread. What must stay true: two threads
// asking for the same template at once get the same compiled object, compiled once.
#pragma once

#include "render/CompiledTemplate.h"
#include "render/Terms.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace caseflow::render {

class Environment {
public:
    // `directory` holds NAME.xhtml, fragments/, terms.xml and the stylesheets.
    // `domain` is the gettext domain its templates' messages come from.
    explicit Environment(std::filesystem::path directory, std::string displayDirectory = "templates",
                         std::string domain = "documents");

    // The process-wide environment over dataDir()/templates.
    static Environment& shared();

    // Compiles on first use, then returns the cached template. Throws TemplateError.
    std::shared_ptr<const CompiledTemplate> get(const std::string& name) const;
    // The same for the document's data template, data/NAME.xml (what its PDF carries).
    std::shared_ptr<const CompiledTemplate> getData(const std::string& name) const;

    // The names of the templates in the directory (NAME.xhtml), sorted.
    std::vector<std::string> templateNames() const;
    // The names of the data templates (data/NAME.xml), sorted.
    std::vector<std::string> dataTemplateNames() const;

    const std::filesystem::path& directory() const { return directory_; }
    const std::string& displayDirectory() const { return displayDirectory_; }
    const Terms& terms() const { return *terms_; }

private:
    std::shared_ptr<const CompiledTemplate> cached(const std::string& name, TemplateKind kind) const;

    std::filesystem::path directory_;
    std::string displayDirectory_;
    std::string domain_;
    std::shared_ptr<const Terms> terms_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::shared_ptr<const CompiledTemplate>> cache_;
};

} // namespace caseflow::render
