// The template compiler. What must stay true: every XPath expression of a template is
// checked here (syntax, variables in scope, functions that exist, literal msgids) so that
// rendering can only fail on data, never on the template's own mistakes; nothing in the
// compiled tree refers back to the parsed document, which is freed when compilation ends.
#include "render/TemplateCompiler.h"
#include "core/Files.h"
#include "core/Text.h"

#include "render/Catalog.h"
#include "render/ExpressionScanner.h"
#include "render/HtmlWriter.h"
#include "render/LocaleFormat.h"
#include "render/TemplateFunctions.h"
#include "render/TemplateSyntax.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace caseflow::render {
namespace {

bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Whitespace runs become one space, as a browser shows them: the msgid translators see.
std::string normaliseSpace(std::string_view text) {
    std::string result;
    bool space = false;
    for (const char ch : text) {
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            space = !result.empty();
        } else {
            if (space) result += ' ';
            space = false;
            result += ch;
        }
    }
    return result;
}

bool isName(std::string_view name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    return std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
    });
}

bool isFileStem(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    });
}

// Attributes that could make data into a script, a style or a fetched URL: never set from
// an expression. Archived documents must not run or fetch anything.
bool isDangerousAttribute(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    static const char* const urlOrStyle[] = {"href",   "src",    "srcset",     "action",     "formaction",
                                             "poster", "data",   "xlink:href", "background", "cite",
                                             "style",  "srcdoc", "manifest"};
    if (name.rfind("on", 0) == 0) return true;
    return std::any_of(std::begin(urlOrStyle), std::end(urlOrStyle), [&](const char* bad) { return name == bad; });
}

// A URL whose expression starts with a literal local path, concat('/situations/', @id): data
// fills in the rest but can choose neither the scheme nor the host, so the link can never be
// javascript: or lead to another site. The web application's pages link this way.
bool isLocalUrlExpression(const std::string& attribute, const std::string& text) {
    if (attribute != "href" && attribute != "src" && attribute != "action") return false;
    std::size_t i = text.find_first_not_of(" \t\n");
    if (i == std::string::npos || text.compare(i, 6, "concat") != 0) return false;
    i = text.find_first_not_of(" \t\n", i + 6);
    if (i == std::string::npos || text[i] != '(') return false;
    i = text.find_first_not_of(" \t\n", i + 1);
    if (i == std::string::npos || (text[i] != '\'' && text[i] != '"')) return false;
    const char quote = text[i];
    return i + 2 < text.size() && text[i + 1] == '/' && text[i + 2] != '/' && text[i + 2] != '\\' &&
           text[i + 2] != quote;
}

bool inTemplateNamespace(const xmlNode* node) {
    return node->ns && std::strcmp(xml::c(node->ns->href), kTemplateNamespace) == 0;
}

bool inTemplateNamespace(const xmlAttr* attribute) {
    return attribute->ns && std::strcmp(xml::c(attribute->ns->href), kTemplateNamespace) == 0;
}

std::string attributeValue(xmlAttr* attribute) {
    xml::XmlString value(xmlNodeGetContent(reinterpret_cast<xmlNode*>(attribute)));
    return value ? xml::c(value.get()) : "";
}

std::string serialiseAttribute(const std::string& name, std::string_view value) {
    std::string out = " " + name + "=\"";
    appendEscapedAttribute(out, value);
    out += '"';
    return out;
}

void appendStatic(std::vector<Node>& out, std::string_view markup) {
    if (markup.empty()) return;
    if (!out.empty() && out.back().kind == NodeKind::Static) {
        out.back().markup += markup;
        return;
    }
    Node node;
    node.kind = NodeKind::Static;
    node.markup = std::string(markup);
    out.push_back(std::move(node));
}

// The t: attributes of one element, read once and checked for combinations.
struct Directives {
    std::optional<std::string> condition, each, as, text, i18n, plural, count, include, subject, subjectName;
    bool otherwise = false, inlineStylesheet = false, fragment = false;
    std::vector<std::pair<std::string, std::string>> lets, attributes, arguments;
    std::vector<std::pair<std::string, std::string>> plain; // non-directive attributes, in order
    std::string main;                                       // the directive named in errors
};

class Compilation {
public:
    Compilation(const std::filesystem::path& directory, const std::string& displayDirectory,
                std::shared_ptr<const Terms> terms, TemplateKind kind, std::string domain)
        : directory_(directory), displayDirectory_(displayDirectory), terms_(std::move(terms)), kind_(kind),
          domain_(std::move(domain)), extension_(kind == TemplateKind::Data ? ".xml" : ".xhtml"),
          checker_(xmlXPathNewContext(nullptr)) {
        if (!checker_) throw Error("out of memory creating an XPath context");
        registerTemplateFunctions(checker_.get());
        scope_ = globalVariables();
    }

    std::shared_ptr<const CompiledTemplate> run(const std::string& name) {
        if (!isFileStem(name)) throw UsageError("'" + name + "' is not a template name");
        file_ = displayDirectory_ + "/" + name + extension_;
        xml::Document document = parse(directory_ / (name + extension_), file_, {file_, 0});
        root_ = xml::root(document.get());
        std::vector<Node> nodes;
        if (isData()) {
            if (!root_ || !root_->ns || std::strcmp(xml::c(root_->ns->href), kDocumentDataNamespace) != 0)
                throw TemplateError({file_, xml::line(root_)}, "",
                                    "a data template is XML in the document data namespace: <NAME xmlns=\"" +
                                        std::string(kDocumentDataNamespace) + "\" xmlns:t=\"" + kTemplateNamespace +
                                        "\">");
            appendStatic(nodes, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        } else {
            if (!root_ || inTemplateNamespace(root_) || !root_->ns ||
                std::strcmp(xml::c(root_->ns->href), kXhtmlNamespace) != 0 || xml::name(root_) != "html")
                throw TemplateError({file_, xml::line(root_)}, "",
                                    "a template is an XHTML document: <html xmlns=\"" + std::string(kXhtmlNamespace) +
                                        "\" xmlns:t=\"" + kTemplateNamespace + "\">");
            appendStatic(nodes, "<!DOCTYPE html>\n");
        }
        compileElement(root_, nodes, false);
        appendStatic(nodes, "\n");
        return std::make_shared<CompiledTemplate>(name, SourceLocation{file_, 1}, std::move(nodes),
                                                  std::move(expressions_), std::move(messages_), subject_, subjectName_,
                                                  terms_, kind_);
    }

private:
    bool isData() const { return kind_ == TemplateKind::Data; }
    const char* elementNamespace() const { return isData() ? kDocumentDataNamespace : kXhtmlNamespace; }

    // Parses a template or fragment; a malformed one becomes a TemplateError at its line.
    xml::Document parse(const std::filesystem::path& path, const std::string& display, const SourceLocation& from) {
        try {
            return xml::parseFile(path, display, xml::Whitespace::Keep);
        } catch (const InvalidInput& error) {
            const std::string message = error.what();
            int line = 0;
            const std::string prefix = display + ":";
            if (message.rfind(prefix, 0) == 0) line = std::atoi(message.c_str() + prefix.size());
            const auto colon = message.find(": ", prefix.size());
            throw TemplateError({display, line}, "", colon == std::string::npos ? message : message.substr(colon + 2));
        } catch (const NotFound&) {
            throw TemplateError(from, from.line ? "t:include" : "", "cannot read " + display);
        }
    }

    bool inScope(const std::string& name) const {
        return std::find(scope_.begin(), scope_.end(), name) != scope_.end();
    }

    std::string scopeList() const {
        std::vector<std::string> names = scope_;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        std::string list;
        for (const auto& name : names) list += (list.empty() ? "$" : ", $") + name;
        return list;
    }

    void checkFunction(const FunctionCall& call, const SourceLocation& where, const std::string& directive) {
        const auto colon = call.name.find(':');
        xmlXPathFunction function = nullptr;
        if (colon == std::string::npos) {
            function = xmlXPathFunctionLookup(checker_.get(), xml::x(call.name.c_str()));
        } else if (call.name.substr(0, colon) == workflow::kFunctionsPrefix) {
            const std::string local = call.name.substr(colon + 1);
            function =
                xmlXPathFunctionLookupNS(checker_.get(), xml::x(local.c_str()), xml::x(workflow::kFunctionsNamespace));
        } else {
            throw TemplateError(where, directive,
                                "unknown prefix in " + call.name + "(); template functions use cf: (" +
                                    workflow::kFunctionsNamespace + ")");
        }
        if (!function) throw TemplateError(where, directive, "unknown function " + call.name + "()");

        // Messages must be literals, or the extractor could not list them for translators.
        const auto literal = [&](std::size_t index, const char* what) -> std::string {
            if (index >= call.literals.size() || !call.literals[index])
                throw TemplateError(where, directive,
                                    call.name + "() needs " + what + " as a string literal, so it can be translated");
            return *call.literals[index];
        };
        if (call.name == "cf:t") literal(0, "the msgid");
        if (call.name == "cf:tc") {
            literal(0, "the context");
            literal(1, "the msgid");
        }
        if (call.name == "cf:plural") {
            literal(1, "the singular msgid");
            literal(2, "the plural msgid");
        }
        if (call.name == "cf:term") {
            const std::string vocabulary = literal(0, "the vocabulary name");
            if (!terms_->hasVocabulary(vocabulary))
                throw TemplateError(where, directive, "no vocabulary '" + vocabulary + "' in templates/terms.xml");
        }
        if (call.name == "cf:format-date" && call.literals.size() == 2 && call.literals[1]) {
            const std::string style = *call.literals[1];
            if (!parseDateStyle(style))
                throw TemplateError(where, directive,
                                    "unknown date style '" + style + "' (long, medium, full, numeric)");
        }
    }

    int expression(const std::string& text, int line, const std::string& directive) {
        const SourceLocation where{file_, line};
        if (isBlank(text)) throw TemplateError(where, directive, "needs an XPath expression");
        const ScannedExpression scanned = scanExpression(text);
        bool languageDependent = false;
        for (const auto& variable : scanned.variables) {
            if (variable == "lang") languageDependent = true;
            if (!inScope(variable))
                throw TemplateError(where, directive,
                                    "unknown variable $" + variable + " in '" + text + "' (in scope: " + scopeList() +
                                        ")");
        }
        for (const auto& call : scanned.calls) {
            checkFunction(call, where, directive);
            const auto& translating = translatingFunctions();
            if (std::find(translating.begin(), translating.end(), call.name) != translating.end())
                languageDependent = true;
            // Each language formats its own block; a data value is language-neutral.
            const auto& formatting = formattingFunctions();
            if (!isData() && std::find(formatting.begin(), formatting.end(), call.name) != formatting.end())
                languageDependent = true;
        }
        // A document's data is the same in every language: stored values, never labels.
        if (isData() && languageDependent)
            throw TemplateError(where, directive,
                                "a data template writes stored values, not translated text ('" + text +
                                    "' translates or reads $lang)");
        xml::ErrorCapture capture;
        xml::XPathCompiledPtr compiled(xmlXPathCtxtCompile(checker_.get(), xml::x(text.c_str())));
        if (!compiled)
            throw TemplateError(where, directive, "invalid XPath expression '" + text + "': " + capture.lastMessage());
        expressions_.push_back({text, where, directive, languageDependent});
        return static_cast<int>(expressions_.size() - 1);
    }

    Directives readDirectives(xmlNode* element) {
        Directives found;
        const SourceLocation where{file_, xml::line(element)};
        for (xmlAttr* attribute = element->properties; attribute; attribute = attribute->next) {
            const std::string local = xml::c(attribute->name);
            const std::string value = attributeValue(attribute);
            if (!inTemplateNamespace(attribute)) {
                std::string name = local;
                if (attribute->ns && attribute->ns->prefix)
                    name = std::string(xml::c(attribute->ns->prefix)) + ":" + local;
                found.plain.emplace_back(name, value);
                continue;
            }
            const std::string directive = "t:" + local;
            const auto prefixed = [&](const char* prefix) -> std::optional<std::string> {
                const std::size_t length = std::strlen(prefix);
                if (local.size() <= length || local.compare(0, length, prefix) != 0) return std::nullopt;
                return local.substr(length);
            };
            if (local == "if")
                found.condition = value;
            else if (local == "else")
                found.otherwise = true;
            else if (local == "each")
                found.each = value;
            else if (local == "as")
                found.as = value;
            else if (local == "text")
                found.text = value;
            else if (local == "i18n")
                found.i18n = value;
            else if (local == "plural")
                found.plural = value;
            else if (local == "count")
                found.count = value;
            else if (local == "include")
                found.include = value;
            else if (local == "inline")
                found.inlineStylesheet = true;
            else if (local == "fragment")
                found.fragment = true;
            else if (local == "subject")
                found.subject = value;
            else if (local == "subject-name")
                found.subjectName = value;
            else if (auto variable = prefixed("let-"))
                found.lets.emplace_back(*variable, value);
            else if (auto attributeName = prefixed("attr-"))
                found.attributes.emplace_back(*attributeName, value);
            else if (auto placeholder = prefixed("arg-"))
                found.arguments.emplace_back(*placeholder, value);
            else
                throw TemplateError(where, directive,
                                    "unknown directive (directives: t:if, t:else, t:each, t:as, t:let-NAME, t:text, "
                                    "t:attr-NAME, t:i18n, t:plural, t:count, t:arg-NAME, t:include, t:inline; "
                                    "see docs/templates.md)");
            if (found.main.empty() && local != "as" && local != "fragment") found.main = directive;
        }
        return found;
    }

    int compileMessage(xmlNode* element, const Directives& directives, int line) {
        const SourceLocation where{file_, line};
        std::string raw;
        for (xmlNode* child = element->children; child; child = child->next) {
            if (child->type == XML_TEXT_NODE)
                raw += xml::c(child->content);
            else if (child->type == XML_ELEMENT_NODE)
                throw TemplateError(where, "t:i18n",
                                    "the text to translate must be plain text (found <" + xml::name(child) +
                                        ">); put the markup around the translated element");
        }
        Message message;
        message.context = *directives.i18n;
        message.msgid = normaliseSpace(raw);
        message.where = where;
        if (message.msgid.empty()) throw TemplateError(where, "t:i18n", "the element has no text to translate");
        if (directives.plural) {
            if (!directives.count) throw TemplateError(where, "t:plural", "a plural message needs t:count");
            message.plural = normaliseSpace(*directives.plural);
            message.count = expression(*directives.count, line, "t:count");
        } else if (directives.count) {
            throw TemplateError(where, "t:count", "t:count is only for plural messages (with t:plural)");
        }
        std::vector<std::string> used = text::placeholders(message.msgid);
        for (const auto& name : text::placeholders(message.plural))
            if (std::find(used.begin(), used.end(), name) == used.end()) used.push_back(name);
        for (const auto& name : used) {
            const bool given = std::any_of(directives.arguments.begin(), directives.arguments.end(),
                                           [&](const auto& argument) { return argument.first == name; });
            if (!given && !(directives.plural && name == "count"))
                throw TemplateError(where, "t:i18n", "placeholder {" + name + "} has no t:arg-" + name);
        }
        for (const auto& [name, text] : directives.arguments) {
            if (std::find(used.begin(), used.end(), name) == used.end())
                throw TemplateError(where, "t:arg-" + name, "the message has no placeholder {" + name + "}");
            message.arguments.emplace_back(name, expression(text, line, "t:arg-" + name));
        }
        message.domain = domain_;
        if (message.plural.empty())
            for (const auto& language : documentLanguages())
                message.translations.push_back(translate(domain_, message.context, message.msgid, language));
        messages_.push_back(std::move(message));
        return static_cast<int>(messages_.size() - 1);
    }

    static xmlNode* findFragment(xmlNode* node, const std::string& name) {
        for (; node; node = node->next) {
            if (node->type != XML_ELEMENT_NODE) continue;
            for (xmlAttr* attribute = node->properties; attribute; attribute = attribute->next)
                if (inTemplateNamespace(attribute) && std::strcmp(xml::c(attribute->name), "fragment") == 0 &&
                    attributeValue(attribute) == name)
                    return node;
            if (xmlNode* found = findFragment(node->children, name)) return found;
        }
        return nullptr;
    }

    void compileInclude(const std::string& name, std::vector<Node>& out, int line) {
        const SourceLocation where{file_, line};
        if (!isFileStem(name))
            throw TemplateError(where, "t:include", "'" + name + "' is not a fragment name (letters, digits, -)");
        if (std::find(includeStack_.begin(), includeStack_.end(), name) != includeStack_.end()) {
            std::string cycle;
            for (const auto& included : includeStack_) cycle += included + " -> ";
            throw TemplateError(where, "t:include", "fragment '" + name + "' includes itself: " + cycle + name);
        }
        const std::string display = displayDirectory_ + "/fragments/" + name + extension_;
        auto cached = fragments_.find(name);
        if (cached == fragments_.end())
            cached =
                fragments_.emplace(name, parse(directory_ / "fragments" / (name + extension_), display, where)).first;
        xmlNode* fragment = findFragment(xml::root(cached->second.get()), name);
        if (!fragment)
            throw TemplateError(where, "t:include", display + " has no element with t:fragment=\"" + name + "\"");
        const std::string savedFile = file_;
        file_ = display;
        includeStack_.push_back(name);
        compileElement(fragment, out, false);
        includeStack_.pop_back();
        file_ = savedFile;
    }

    std::string inlineStylesheet(const Directives& directives, int line) {
        const SourceLocation where{file_, line};
        std::string href;
        for (const auto& [name, value] : directives.plain)
            if (name == "href") href = value;
        if (!isFileStem(std::filesystem::path(href).stem().string()) || href.find('/') != std::string::npos ||
            std::filesystem::path(href).extension() != ".css")
            throw TemplateError(where, "t:inline", "href must name a stylesheet next to the templates (print.css)");
        std::string css;
        try {
            css = readFile(directory_ / href);
        } catch (const NotFound&) {
            throw TemplateError(where, "t:inline", "cannot read " + displayDirectory_ + "/" + href);
        }
        // Inside <style> nothing is escaped, so a stylesheet must not be able to close the element.
        if (css.find_first_of("<&") != std::string::npos)
            throw TemplateError(where, "t:inline", displayDirectory_ + "/" + href + " must not contain '<' or '&'");
        return "<style>\n" + css + "</style>";
    }

    // Compiles one element into `out`; returns whether it carries t:if (so a t:else may follow).
    bool compileElement(xmlNode* element, std::vector<Node>& out, bool previousHadCondition) {
        const int line = xml::line(element);
        const SourceLocation where{file_, line};
        const bool directiveElement = inTemplateNamespace(element);
        const std::string name = xml::name(element);
        if (!directiveElement && (!element->ns || std::strcmp(xml::c(element->ns->href), elementNamespace()) != 0))
            throw TemplateError(where, "",
                                "<" + name + "> is not in the " + (isData() ? "document data" : "XHTML") +
                                    " namespace (xmlns=\"" + elementNamespace() + "\")");
        Directives directives = readDirectives(element);
        if (isData() && (directives.i18n || (directiveElement && name == "msg") || directives.inlineStylesheet))
            throw TemplateError(where, directives.main.empty() ? "t:" + name : directives.main,
                                "a data template writes stored values, not translated text or stylesheets");
        const bool isRoot = element == root_;
        if ((directives.subject || directives.subjectName) && !isRoot)
            throw TemplateError(where, directives.subject ? "t:subject" : "t:subject-name",
                                "only the template's root <html> element may name the document's subject");
        if (directives.fragment && includeStack_.empty())
            throw TemplateError(where, "t:fragment", "t:fragment belongs in templates/fragments/NAME.xhtml");

        Node node;
        node.kind = NodeKind::Element;
        node.where = where;
        node.directive = directives.main;
        if (directiveElement) {
            if (name == "msg") {
                if (!directives.i18n) directives.i18n = "";
            } else if (name != "block") {
                throw TemplateError(where, "t:" + name, "unknown element (template elements: t:block, t:msg)");
            }
            if (!directives.plain.empty())
                throw TemplateError(where, "t:" + name,
                                    "attribute " + directives.plain.front().first +
                                        " has no effect on a template element");
        } else {
            node.tag = name;
        }
        if (directives.otherwise && !previousHadCondition)
            throw TemplateError(where, "t:else", "t:else must directly follow an element with t:if");
        if (directives.as && !directives.each) throw TemplateError(where, "t:as", "t:as names the item of a t:each");
        if ((directives.plural || directives.count || !directives.arguments.empty()) && !directives.i18n)
            throw TemplateError(where, directives.main, "t:plural, t:count and t:arg-NAME belong to a t:i18n message");
        if (directives.text && directives.i18n)
            throw TemplateError(where, "t:text", "an element has either t:text (data) or t:i18n (literal text)");
        if (directives.include &&
            (directives.text || directives.i18n || !directives.attributes.empty() || directives.inlineStylesheet))
            throw TemplateError(where, "t:include",
                                "an include is replaced by the fragment: only t:if, t:else, "
                                "t:each and t:let-NAME may go with it");

        if (isRoot) {
            if (directives.subject) subject_ = expression(*directives.subject, line, "t:subject");
            if (directives.subjectName) subjectName_ = *directives.subjectName;
            // A page says its language; data declares its namespace, so its schema applies.
            if (isData())
                node.attributes += serialiseAttribute("xmlns", kDocumentDataNamespace);
            else
                node.languageAttribute = true;
        }
        if (directives.condition) node.condition = expression(*directives.condition, line, "t:if");
        node.otherwise = directives.otherwise;

        const std::size_t scopeMark = scope_.size();
        const auto bind = [&](const std::string& variable, const std::string& directive) {
            if (!isName(variable)) throw TemplateError(where, directive, "'" + variable + "' is not a variable name");
            const auto& globals = globalVariables();
            if (std::find(globals.begin(), globals.end(), variable) != globals.end())
                throw TemplateError(where, directive, "$" + variable + " is a global variable and cannot be redefined");
            scope_.push_back(variable);
        };
        if (directives.each) {
            node.each = expression(*directives.each, line, "t:each");
            for (const auto& variable : loopVariables()) scope_.push_back(variable);
            if (directives.as) {
                node.itemName = *directives.as;
                bind(node.itemName, "t:as");
            }
        }
        for (const auto& [variable, text] : directives.lets) {
            node.lets.emplace_back(variable, expression(text, line, "t:let-" + variable));
            bind(variable, "t:let-" + variable);
        }

        if (directives.include) {
            node.tag.clear();
            compileInclude(*directives.include, node.children, line);
        } else if (directives.inlineStylesheet) {
            if (name != "link") throw TemplateError(where, "t:inline", "t:inline goes on <link rel=\"stylesheet\">");
            node.tag.clear();
            appendStatic(node.children, inlineStylesheet(directives, line));
        } else {
            node.isVoid = !isData() && !directiveElement && isVoidElement(name);
            node.keepsLines = !isData() && (name == "textarea" || inTextArea_);
            node.textOnly = !isData() && (name == "title" || node.keepsLines);
            for (const auto& [attribute, value] : directives.plain) {
                if (attribute == "class")
                    node.classes = value;
                else if (!(isRoot && (attribute == "lang" || attribute == "xml:lang")))
                    node.attributes += serialiseAttribute(attribute, value);
            }
            for (const auto& [attribute, text] : directives.attributes) {
                const std::string directive = "t:attr-" + attribute;
                if (!isName(attribute)) throw TemplateError(where, directive, "not an attribute name");
                // Only a page is opened by a browser: data attributes are plain values.
                if (!isData() && isDangerousAttribute(attribute) && !isLocalUrlExpression(attribute, text))
                    throw TemplateError(where, directive,
                                        "data may not set '" + attribute +
                                            "' (scripts, styles and URLs never come from data)");
                node.dynamicAttributes.emplace_back(attribute, expression(text, line, directive));
            }
            if (directives.text) {
                node.content = ContentKind::Text;
                node.text = expression(*directives.text, line, "t:text");
            } else if (directives.i18n) {
                node.content = ContentKind::Message;
                node.message = compileMessage(element, directives, line);
            } else if (node.isVoid) {
                for (xmlNode* child = element->children; child; child = child->next)
                    if (child->type == XML_ELEMENT_NODE ||
                        (child->type == XML_TEXT_NODE && !isBlank(xml::c(child->content))))
                        throw TemplateError(where, "", "<" + name + "> is a void element and cannot have content");
            } else {
                // What a textarea holds is its text: a t:block inside it writes the value as typed.
                const bool outerTextArea = inTextArea_;
                inTextArea_ = inTextArea_ || (!isData() && name == "textarea");
                compileChildren(element, node.children);
                inTextArea_ = outerTextArea;
            }
        }
        scope_.resize(scopeMark);

        const bool isStatic = node.condition < 0 && !node.otherwise && node.each < 0 && node.lets.empty() &&
                              node.dynamicAttributes.empty() && node.content == ContentKind::Children &&
                              !node.tag.empty() && !node.languageAttribute;
        if (!isStatic) {
            out.push_back(std::move(node));
            return directives.condition.has_value();
        }
        std::string start = "<" + node.tag + node.attributes;
        if (!node.classes.empty()) start += serialiseAttribute("class", node.classes);
        start += node.isVoid ? " />" : ">";
        appendStatic(out, start);
        for (auto& child : node.children) {
            if (child.kind == NodeKind::Static)
                appendStatic(out, child.markup);
            else
                out.push_back(std::move(child));
        }
        if (!node.isVoid) appendStatic(out, "</" + node.tag + ">");
        return false;
    }

    void compileChildren(xmlNode* parent, std::vector<Node>& out) {
        bool previousHadCondition = false;
        for (xmlNode* child = parent->children; child; child = child->next) {
            if (child->type == XML_TEXT_NODE) {
                const std::string text = xml::c(child->content);
                appendStatic(out, escapeText(text));
                if (!isBlank(text)) previousHadCondition = false;
            } else if (child->type == XML_ELEMENT_NODE) {
                previousHadCondition = compileElement(child, out, previousHadCondition);
            }
            // Comments and processing instructions are notes for the template's author.
        }
    }

    std::filesystem::path directory_;
    std::string displayDirectory_;
    std::shared_ptr<const Terms> terms_;
    TemplateKind kind_;
    std::string domain_;
    std::string extension_;        // of templates and fragments: ".xhtml" for pages, ".xml" for data
    xml::XPathContextPtr checker_; // every function registered: lookups and trial compilation
    std::vector<ExpressionSource> expressions_;
    std::vector<Message> messages_;
    std::vector<std::string> scope_;
    std::vector<std::string> includeStack_;
    bool inTextArea_ = false; // compiling what a <textarea> holds
    std::map<std::string, xml::Document> fragments_;
    std::string file_;
    xmlNode* root_ = nullptr;
    int subject_ = -1;
    std::string subjectName_;
};

} // namespace

TemplateCompiler::TemplateCompiler(std::filesystem::path directory, std::string displayDirectory,
                                   std::shared_ptr<const Terms> terms, std::string domain)
    : directory_(std::move(directory)), displayDirectory_(std::move(displayDirectory)), terms_(std::move(terms)),
      domain_(std::move(domain)) {}

std::shared_ptr<const CompiledTemplate> TemplateCompiler::compile(const std::string& name) const {
    return Compilation(directory_, displayDirectory_, terms_, TemplateKind::Page, domain_).run(name);
}

std::shared_ptr<const CompiledTemplate> TemplateCompiler::compileData(const std::string& name) const {
    return Compilation(directory_ / "data", displayDirectory_ + "/data", terms_, TemplateKind::Data, domain_).run(name);
}

} // namespace caseflow::render
