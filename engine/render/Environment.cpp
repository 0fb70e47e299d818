// The environment's cache. What must stay true: libxml2 is initialised before any thread
// renders, and a template that fails to compile is not cached (the next call reports the
// same error, or succeeds once the file is fixed).
#include "render/Environment.h"

#include "model/Paths.h"
#include "render/TemplateCompiler.h"

#include <libxml/parser.h>

#include <algorithm>

namespace caseflow::render {

Environment::Environment(std::filesystem::path directory, std::string displayDirectory, std::string domain)
    : directory_(std::move(directory)), displayDirectory_(std::move(displayDirectory)), domain_(std::move(domain)) {
    xmlInitParser(); // libxml2's global tables, once, before threads use them
    const auto termsFile = directory_ / "terms.xml";
    terms_ = std::make_shared<const Terms>(
        std::filesystem::exists(termsFile) ? Terms::load(termsFile, displayDirectory_ + "/terms.xml") : Terms());
}

Environment& Environment::shared() {
    static Environment environment(dataDir() / "templates");
    return environment;
}

std::shared_ptr<const CompiledTemplate> Environment::get(const std::string& name) const {
    return cached(name, TemplateKind::Page);
}

std::shared_ptr<const CompiledTemplate> Environment::getData(const std::string& name) const {
    return cached(name, TemplateKind::Data);
}

std::shared_ptr<const CompiledTemplate> Environment::cached(const std::string& name, TemplateKind kind) const {
    // "data/" cannot begin a page's name (names are file stems), so one cache holds both kinds.
    const std::string key = kind == TemplateKind::Data ? "data/" + name : name;
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = cache_.find(key);
    if (found != cache_.end()) return found->second;
    // Compiling under the lock: templates are few and compile in milliseconds, and this
    // keeps "compiled once" true without a second synchronisation scheme.
    const TemplateCompiler compiler(directory_, displayDirectory_, terms_, domain_);
    auto compiled = kind == TemplateKind::Data ? compiler.compileData(name) : compiler.compile(name);
    cache_.emplace(key, compiled);
    return compiled;
}

namespace {

std::vector<std::string> stemsIn(const std::filesystem::path& directory, const char* extension) {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
        if (entry.is_regular_file() && entry.path().extension() == extension)
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

std::vector<std::string> Environment::templateNames() const {
    return stemsIn(directory_, ".xhtml");
}

std::vector<std::string> Environment::dataTemplateNames() const {
    return stemsIn(directory_ / "data", ".xml");
}

} // namespace caseflow::render
