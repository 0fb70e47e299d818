// Loading and lookup of the vocabularies. What must stay true: a value appears once per
// vocabulary, and every label is a non-empty msgid.
#include "render/Terms.h"

#include "render/Catalog.h"
#include "render/TemplateSyntax.h"
#include "xml/Xml.h"

#include <cstring>

namespace caseflow::render {

Terms Terms::load(const std::filesystem::path& file, const std::string& displayName) {
    Terms terms;
    xml::Document document = xml::parseFile(file, displayName, xml::Whitespace::Keep);
    xmlNode* root = xml::root(document.get());
    auto isTemplateElement = [](xmlNode* node, const char* localName) {
        return node && node->type == XML_ELEMENT_NODE && node->ns &&
               std::strcmp(xml::c(node->ns->href), kTemplateNamespace) == 0 &&
               std::strcmp(xml::c(node->name), localName) == 0;
    };
    if (!isTemplateElement(root, "terms"))
        throw TemplateError({displayName, xml::line(root)}, "",
                            "the root must be <terms xmlns=\"" + std::string(kTemplateNamespace) + "\">");
    for (xmlNode* vocabulary = root->children; vocabulary; vocabulary = vocabulary->next) {
        if (vocabulary->type != XML_ELEMENT_NODE) continue;
        const SourceLocation where{displayName, xml::line(vocabulary)};
        const auto name = xml::attribute(vocabulary, "name");
        if (!isTemplateElement(vocabulary, "vocabulary") || !name || name->empty())
            throw TemplateError(where, "", "expected <vocabulary name=\"...\">");
        auto& entries = terms.vocabularies_[*name];
        for (xmlNode* term = vocabulary->children; term; term = term->next) {
            if (term->type != XML_ELEMENT_NODE) continue;
            const SourceLocation termWhere{displayName, xml::line(term)};
            const auto value = xml::attribute(term, "value");
            std::string label = xml::text(term);
            const auto first = label.find_first_not_of(" \t\r\n");
            label =
                first == std::string::npos ? "" : label.substr(first, label.find_last_not_of(" \t\r\n") - first + 1);
            if (!isTemplateElement(term, "term") || !value || label.empty())
                throw TemplateError(termWhere, "", "expected <term value=\"...\">English label</term>");
            for (const auto& existing : entries)
                if (existing.value == *value)
                    throw TemplateError(termWhere, "",
                                        "value '" + *value + "' appears twice in vocabulary '" + *name + "'");
            entries.push_back({*value, label, termWhere});
        }
    }
    return terms;
}

const std::string* Terms::label(const std::string& vocabulary, const std::string& value) const {
    auto found = vocabularies_.find(vocabulary);
    if (found == vocabularies_.end()) return nullptr;
    for (const auto& term : found->second)
        if (term.value == value) return &term.label;
    return nullptr;
}

std::string Terms::translated(const std::string& vocabulary, const std::string& value,
                              const std::string& language) const {
    const std::string* english = label(vocabulary, value);
    if (!english) return value;
    return translate(vocabulary, *english, language);
}

} // namespace caseflow::render
