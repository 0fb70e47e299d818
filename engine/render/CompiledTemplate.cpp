// Rendering a compiled template. What must stay true: one render touches only its own
// RenderRun and the evaluator it borrowed, so renders never share mutable state; every data
// value is escaped on its way out; a missing value renders as the translated "not provided"
// on a page and leaves its element out of a document's data; in a bilingual document every
// translated or formatted text is written once per language (each language formatting its
// own dates and amounts), each in an element tagged with its lang.
#include "render/CompiledTemplate.h"

#include "core/Text.h"
#include "xml/XPathFunctionKit.h"

#include "model/Date.h"
#include "render/Catalog.h"
#include "render/HtmlWriter.h"
#include "render/LocaleFormat.h"
#include "render/TemplateFunctions.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

namespace caseflow::render {

EvaluatorPool::Lease EvaluatorPool::acquire() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!idle_.empty()) {
            std::unique_ptr<Evaluator> evaluator = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(evaluator));
        }
    }
    return Lease(*this, create());
}

void EvaluatorPool::giveBack(std::unique_ptr<Evaluator> evaluator) {
    if (!evaluator) return;
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(evaluator));
}

std::unique_ptr<Evaluator> EvaluatorPool::create() const {
    auto evaluator = std::make_unique<Evaluator>();
    evaluator->context.reset(xmlXPathNewContext(nullptr));
    if (!evaluator->context) throw Error("out of memory creating an XPath context");
    xmlXPathContext* context = evaluator->context.get();
    registerTemplateFunctions(context);
    xmlXPathContextSetCache(context, 1, -1, 0); // reuse result objects between evaluations
    xml::ErrorCapture capture;
    for (const auto& source : sources_) {
        xml::XPathCompiledPtr compiled(xmlXPathCtxtCompile(context, xml::x(source.text.c_str())));
        // The compiler compiled each expression once already; failing now means memory ran out.
        if (!compiled) throw TemplateError(source.where, source.directive, "cannot compile '" + source.text + "'");
        evaluator->expressions.push_back(std::move(compiled));
    }
    return evaluator;
}

namespace {

const char* typeName(xmlXPathObjectType type) {
    switch (type) {
    case XPATH_NODESET:
        return "node-set";
    case XPATH_BOOLEAN:
        return "boolean";
    case XPATH_NUMBER:
        return "number";
    case XPATH_STRING:
        return "string";
    default:
        return "value";
    }
}

// One render in progress: the scope of variables, the language being written, the output.
class RenderRun final : public FunctionHost, public VariableSource {
public:
    RenderRun(const CompiledTemplate& compiled, Evaluator& evaluator, const RenderInputs& inputs)
        : template_(compiled), evaluator_(evaluator), inputs_(inputs), textLanguage_(inputs.language.first()) {
        if (!inputs.situation || !xml::root(inputs.situation)) throw UsageError("rendering needs a situation document");
        xml::takeFunctionError(); // a failure reported on this thread before is not ours
        xmlXPathContext* context = evaluator_.context.get();
        context->doc = const_cast<xmlDoc*>(inputs.situation);
        context->userData = static_cast<FunctionHost*>(this);
        xmlXPathRegisterVariableLookup(context, lookup, this);
        for (const auto& [name, node] : inputs.nodes) {
            if (name == "network") network_ = node;
        }
        bindGlobals();
    }

    ~RenderRun() override {
        xmlXPathContext* context = evaluator_.context.get();
        xmlXPathRegisterVariableLookup(context, nullptr, nullptr);
        context->userData = nullptr;
        context->doc = nullptr;
        context->node = nullptr;
    }

    RenderRun(const RenderRun&) = delete;
    RenderRun& operator=(const RenderRun&) = delete;

    // Evaluates t:subject and binds $subject; false when it selects nothing.
    bool bindSubject() {
        if (template_.subject() < 0) return true;
        xml::XPathObjectPtr subject = evaluate(template_.subject(), root());
        const bool found = subject->type == XPATH_NODESET && subject->nodesetval && subject->nodesetval->nodeNr > 0;
        subjectNode_ = found ? subject->nodesetval->nodeTab[0] : nullptr;
        for (auto& binding : bindings_)
            if (binding.name == "subject") binding.value = std::move(subject);
        return found;
    }

    xmlNode* subjectNode() const { return subjectNode_; }

    std::string render() {
        if (!bindSubject()) {
            std::string item;
            for (const auto& [name, value] : inputs_.strings)
                if (name == "item") item = value;
            const std::string& subject = template_.subjectName().empty() ? "subject" : template_.subjectName();
            throw NotApplicable("the situation has no " + subject + (item.empty() ? " yet" : " '" + item + "'"));
        }
        out_.reserve(48 * 1024);
        renderNodes(template_.nodes(), root());
        return std::move(out_);
    }

    const std::string& textLanguage() const override { return textLanguage_; }
    // Each language formats its own text: the language being written, in both blocks in turn.
    const std::string& formatLanguage() const override { return textLanguage_; }
    const Terms& terms() const override { return template_.terms(); }
    xmlNode* network() const override { return network_; }

private:
    struct Binding {
        std::string_view name; // points into the compiled tree or a literal: both outlive the run
        xml::XPathObjectPtr value;
    };

    xmlNode* root() const { return xmlDocGetRootElement(inputs_.situation); }

    static xmlXPathObjectPtr lookup(void* data, const xmlChar* name, const xmlChar* namespaceUri) noexcept {
        if (namespaceUri || !data || !name) return nullptr;
        return static_cast<RenderRun*>(data)->variable(xml::c(name));
    }

    xmlXPathObjectPtr variable(std::string_view name) const noexcept {
        if (name == "lang") return xmlXPathNewString(xml::x(textLanguage_.c_str()));
        for (auto binding = bindings_.rbegin(); binding != bindings_.rend(); ++binding)
            if (binding->name == name) return xmlXPathObjectCopy(binding->value.get());
        return nullptr;
    }

    void bindGlobals() {
        const auto node = [](xmlNode* value) { return xml::XPathObjectPtr(xmlXPathNewNodeSet(value)); };
        const auto text = [](const std::string& value) {
            return xml::XPathObjectPtr(xmlXPathNewString(xml::x(value.c_str())));
        };
        bindings_.push_back({"situation", node(root())});
        bindings_.push_back({"subject", node(nullptr)});
        for (const char* name : {"network", "record", "envelope", "signatures"}) {
            xmlNode* value = nullptr;
            for (const auto& [given, givenNode] : inputs_.nodes)
                if (given == name) value = givenNode;
            bindings_.push_back({name, node(value)});
        }
        for (const char* name : {"today", "document", "item"}) {
            std::optional<std::string> value;
            for (const auto& [given, givenValue] : inputs_.strings)
                if (given == name) value = givenValue;
            if (!value) value = std::string(name) == "today" ? Date::today().iso() : "";
            bindings_.push_back({name, text(*value)});
        }
    }

    [[noreturn]] void fail(int index, const std::string& why = "") {
        const ExpressionSource& source = template_.expressions()[static_cast<std::size_t>(index)];
        std::string reason = why;
        if (reason.empty()) reason = xml::takeFunctionError();
        if (reason.empty()) reason = errors_.lastMessage();
        if (reason.empty()) reason = errors_.genericText();
        throw TemplateError(source.where, source.directive,
                            "cannot evaluate '" + source.text + "'" + (reason.empty() ? "" : ": " + reason));
    }

    xml::XPathObjectPtr evaluate(int index, xmlNode* node) {
        const FastExpression& fast = template_.fastExpressions()[static_cast<std::size_t>(index)];
        if (fast.kind != FastExpression::Kind::None && fast_)
            if (xmlXPathObject* value = fast.object(node, *this, textLanguage_)) return xml::XPathObjectPtr(value);
        xmlXPathContext* context = evaluator_.context.get();
        context->node = node;
        xmlXPathObject* result =
            xmlXPathCompiledEval(evaluator_.expressions[static_cast<std::size_t>(index)].get(), context);
        if (!result) fail(index);
        return xml::XPathObjectPtr(result);
    }

    std::string evaluateString(int index, xmlNode* node) {
        const FastExpression& fast = template_.fastExpressions()[static_cast<std::size_t>(index)];
        if (fast.kind != FastExpression::Kind::None && fast_)
            if (auto value = fast.string(node, *this, textLanguage_)) {
                const std::string_view kept = text::trimmed(*value);
                if (kept.size() == value->size()) return std::move(*value);
                return std::string(kept);
            }
        return std::string(text::trimmed(xml::stringValue(evaluate(index, node).get())));
    }

    bool evaluateBoolean(int index, xmlNode* node) {
        const FastExpression& fast = template_.fastExpressions()[static_cast<std::size_t>(index)];
        if (fast.kind != FastExpression::Kind::None && fast_)
            if (const auto value = fast.boolean(node, *this, textLanguage_)) return *value;
        return xmlXPathCastToBoolean(evaluate(index, node).get()) != 0;
    }

    const xmlXPathObject* find(std::string_view name) const override {
        for (auto binding = bindings_.rbegin(); binding != bindings_.rend(); ++binding)
            if (binding->name == name) return binding->value.get();
        return nullptr;
    }
    const xmlDoc* rootDocument() const override { return inputs_.situation; }

    static const std::string& notProvidedText(const std::string& language) {
        // Translated once per thread and language; catalogs do not change while running.
        thread_local std::map<std::string, std::string> texts;
        auto found = texts.find(language);
        if (found == texts.end()) found = texts.emplace(language, translate("", kNotProvided, language)).first;
        return found->second;
    }

    // Writes writeOne(language) once per language of the document: alone in a one-language
    // document; in a bilingual one each in <span lang>, separated by " / " (plain text in
    // elements that cannot hold markup, such as <title>).
    template <typename WriteOne> void inEachLanguage(bool textOnly, WriteOne writeOne) {
        const auto& languages = inputs_.language.languages();
        if (languages.size() == 1) {
            writeOne(languages.front());
            return;
        }
        for (std::size_t i = 0; i < languages.size(); ++i) {
            if (i > 0) out_ += textOnly ? " / " : "<span class=\"sep\"> / </span>";
            if (!textOnly) {
                out_ += "<span lang=\"";
                out_ += languages[i];
                out_ += i == 0 ? "\">" : "\" class=\"l2\">";
            }
            textLanguage_ = languages[i];
            writeOne(languages[i]);
            if (!textOnly) out_ += "</span>";
        }
        textLanguage_ = languages.front();
    }

    // A data value: escaped, line breaks kept, isolated when it could reorder its neighbours.
    // In a data template the value is written as it is stored, only escaped.
    void writeData(std::string_view value, bool textOnly) {
        if (data_) {
            appendEscapedText(out_, value);
            return;
        }
        if (textOnly) {
            for (const char ch : value) {
                if (ch == '\n' || ch == '\r')
                    out_ += ' ';
                else
                    appendEscapedText(out_, std::string_view(&ch, 1));
            }
            return;
        }
        const bool isolate = needsBidiIsolation(value);
        if (isolate) out_ += "<bdi>";
        std::size_t start = 0;
        while (start <= value.size()) {
            std::size_t end = value.find('\n', start);
            if (end == std::string_view::npos) end = value.size();
            std::string_view line = value.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (start > 0) out_ += "<br />";
            appendEscapedText(out_, line);
            start = end + 1;
        }
        if (isolate) out_ += "</bdi>";
    }

    std::string attributeValue(int index, xmlNode* node) {
        const ExpressionSource& source = template_.expressions()[static_cast<std::size_t>(index)];
        if (!inputs_.language.bilingual() || !source.languageDependent) return evaluateString(index, node);
        std::string joined;
        for (const auto& language : inputs_.language.languages()) {
            textLanguage_ = language;
            const std::string value = evaluateString(index, node);
            if (!value.empty()) joined += (joined.empty() ? "" : " / ") + value;
        }
        textLanguage_ = inputs_.language.first();
        return joined;
    }

    long messageCount(const Message& message, xmlNode* node) {
        xml::XPathObjectPtr value = evaluate(message.count, node);
        const double number = xmlXPathCastToNumber(value.get());
        if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > 1e15)
            fail(message.count, "the count is not a whole number");
        return static_cast<long>(number);
    }

    void writeMessage(const Message& message, xmlNode* node, bool textOnly) {
        const long count = message.count >= 0 ? messageCount(message, node) : 0;

        // Data arguments are evaluated once; translated ones once per language.
        std::vector<std::optional<std::string>> data(message.arguments.size());
        for (std::size_t i = 0; i < message.arguments.size(); ++i) {
            const int index = message.arguments[i].second;
            if (!template_.expressions()[static_cast<std::size_t>(index)].languageDependent)
                data[i] = evaluateString(index, node);
        }
        inEachLanguage(textOnly, [&](const std::string& language) {
            // A message without a plural is translated once, at compile time: no copy of it per render.
            std::string plural;
            if (!message.plural.empty())
                plural =
                    translatePlural(message.domain, message.context, message.msgid, message.plural, count, language);
            const std::string& text = message.plural.empty()
                                          ? message.translations[static_cast<std::size_t>(languageIndex(language))]
                                          : plural;
            if (message.arguments.empty() && message.count < 0 && text.find('{') == std::string::npos) {
                appendEscapedText(out_, text);
                return;
            }
            const std::string filled =
                text::fillPlaceholders(text, [&](std::string_view name) -> std::optional<std::string> {
                    if (message.count >= 0 && name == "count") return formatInteger(count, language);
                    for (std::size_t i = 0; i < message.arguments.size(); ++i) {
                        if (message.arguments[i].first != name) continue;
                        std::string value = data[i] ? *data[i] : evaluateString(message.arguments[i].second, node);
                        return value.empty() ? notProvidedText(language) : value;
                    }
                    return std::nullopt;
                });
            appendEscapedText(out_, filled);
        });
    }

    void renderNodes(const std::vector<Node>& nodes, xmlNode* context) {
        bool chainRendered = false; // some branch of the current t:if / t:else chain rendered
        for (const Node& node : nodes) {
            if (node.kind == NodeKind::Static) {
                out_ += node.markup;
                continue;
            }
            if (node.otherwise) {
                if (chainRendered) continue;
                if (node.condition >= 0 && !evaluateBoolean(node.condition, context)) continue;
                chainRendered = true;
            } else if (node.condition >= 0) {
                chainRendered = evaluateBoolean(node.condition, context);
                if (!chainRendered) continue;
            }
            if (node.each >= 0)
                renderLoop(node, context);
            else
                renderElement(node, context);
        }
    }

    void renderLoop(const Node& node, xmlNode* context) {
        xml::XPathObjectPtr result = evaluate(node.each, context);
        if (result->type != XPATH_NODESET)
            fail(node.each, std::string("t:each needs a node-set, this gives a ") + typeName(result->type));
        std::vector<xmlNode*> items;
        if (result->nodesetval)
            for (int i = 0; i < result->nodesetval->nodeNr; ++i)
                if (result->nodesetval->nodeTab[i]->type != XML_NAMESPACE_DECL)
                    items.push_back(result->nodesetval->nodeTab[i]);
        const std::size_t mark = bindings_.size();
        for (std::size_t i = 0; i < items.size(); ++i) {
            bindings_.push_back({"index", xml::XPathObjectPtr(xmlXPathNewFloat(static_cast<double>(i + 1)))});
            bindings_.push_back({"first", xml::XPathObjectPtr(xmlXPathNewBoolean(i == 0))});
            bindings_.push_back({"last", xml::XPathObjectPtr(xmlXPathNewBoolean(i + 1 == items.size()))});
            bindings_.push_back({"count", xml::XPathObjectPtr(xmlXPathNewFloat(static_cast<double>(items.size())))});
            if (!node.itemName.empty())
                bindings_.push_back({node.itemName, xml::XPathObjectPtr(xmlXPathNewNodeSet(items[i]))});
            renderElement(node, items[i]);
            bindings_.resize(mark);
        }
    }

    void renderElement(const Node& node, xmlNode* context) {
        const std::size_t mark = bindings_.size();
        for (const auto& [name, index] : node.lets) bindings_.push_back({name, evaluate(index, context)});

        // Text content is evaluated first: a missing value changes the element's class.
        std::vector<std::string> values;
        bool missing = false;
        if (node.content == ContentKind::Text) {
            const ExpressionSource& source = template_.expressions()[static_cast<std::size_t>(node.text)];
            if (inputs_.language.bilingual() && source.languageDependent) {
                for (const auto& language : inputs_.language.languages()) {
                    textLanguage_ = language;
                    values.push_back(evaluateString(node.text, context));
                }
                textLanguage_ = inputs_.language.first();
                missing = std::all_of(values.begin(), values.end(), [](const auto& value) { return value.empty(); });
            } else {
                values.push_back(evaluateString(node.text, context));
                missing = values.front().empty();
            }
        }
        // Data says "not provided" by leaving the element out, as its schema allows.
        if (missing && data_) {
            bindings_.resize(mark);
            return;
        }

        if (!node.tag.empty()) {
            out_ += '<';
            out_ += node.tag;
            out_ += node.attributes;
            if (node.languageAttribute) {
                out_ += " lang=\"";
                out_ += inputs_.language.first();
                out_ += '"';
            }
            std::string classes = node.classes;
            for (const auto& [name, index] : node.dynamicAttributes) {
                const std::string value = attributeValue(index, context);
                if (value.empty()) continue;
                if (name == "class") {
                    classes += (classes.empty() ? "" : " ") + value;
                    continue;
                }
                out_ += ' ';
                out_ += name;
                out_ += "=\"";
                appendEscapedAttribute(out_, value);
                out_ += '"';
            }
            if (missing && !node.keepsLines) classes += classes.empty() ? "not-provided" : " not-provided";
            if (!classes.empty()) {
                out_ += " class=\"";
                appendEscapedAttribute(out_, classes);
                out_ += '"';
            }
            out_ += node.isVoid ? " />" : ">";
        }

        switch (node.content) {
        case ContentKind::Text:
            if (node.keepsLines) {
                // A form's field: one value, as typed (values are trimmed, so none starts with
                // the line break an HTML parser would drop after <textarea>).
                if (!missing) appendEscapedText(out_, values.front());
            } else if (missing) {
                inEachLanguage(node.textOnly, [&](const std::string& language) {
                    appendEscapedText(out_, notProvidedText(language));
                });
            } else if (values.size() == 1 ||
                       std::all_of(values.begin(), values.end(), [&](const auto& v) { return v == values.front(); })) {
                // Written once when every language writes it alike (an id, a numeric date).
                writeData(values.front(), node.textOnly);
            } else {
                std::size_t i = 0;
                inEachLanguage(node.textOnly, [&](const std::string& language) {
                    const std::string& value = values[i++];
                    if (value.empty())
                        appendEscapedText(out_, notProvidedText(language));
                    else
                        writeData(value, node.textOnly);
                });
            }
            break;
        case ContentKind::Message:
            writeMessage(template_.messages()[static_cast<std::size_t>(node.message)], context, node.textOnly);
            break;
        case ContentKind::Children:
            renderNodes(node.children, context);
            break;
        }

        if (!node.tag.empty() && !node.isVoid) {
            out_ += "</";
            out_ += node.tag;
            out_ += '>';
        }
        bindings_.resize(mark);
    }

    const CompiledTemplate& template_;
    Evaluator& evaluator_;
    const RenderInputs& inputs_;
    std::string textLanguage_;
    xmlNode* network_ = nullptr;
    xmlNode* subjectNode_ = nullptr;
    const bool data_ = template_.kind() == TemplateKind::Data;
    const bool fast_ = fastExpressionsEnabled(); // read once: a render never mixes the two paths
    std::vector<Binding> bindings_;
    std::string out_;
    xml::ErrorCapture errors_;
};

} // namespace

CompiledTemplate::CompiledTemplate(std::string name, SourceLocation where, std::vector<Node> nodes,
                                   std::vector<ExpressionSource> expressions, std::vector<Message> messages,
                                   int subject, std::string subjectName, std::shared_ptr<const Terms> terms,
                                   TemplateKind kind)
    : name_(std::move(name)), where_(std::move(where)), nodes_(std::move(nodes)), expressions_(std::move(expressions)),
      messages_(std::move(messages)), subject_(subject), subjectName_(std::move(subjectName)), terms_(std::move(terms)),
      kind_(kind), pool_(expressions_) {
    fast_.reserve(expressions_.size());
    for (const auto& expression : expressions_) fast_.push_back(FastExpression::parse(expression.text));
}

std::string CompiledTemplate::render(const RenderInputs& inputs) const {
    EvaluatorPool::Lease evaluator = pool_.acquire();
    RenderRun run(*this, *evaluator, inputs);
    return run.render();
}

xmlNode* CompiledTemplate::subjectNode(const RenderInputs& inputs) const {
    if (subject_ < 0) return nullptr;
    EvaluatorPool::Lease evaluator = pool_.acquire();
    RenderRun run(*this, *evaluator, inputs);
    run.bindSubject();
    return run.subjectNode();
}

bool CompiledTemplate::applies(const RenderInputs& inputs) const {
    if (subject_ < 0) return true;
    EvaluatorPool::Lease evaluator = pool_.acquire();
    RenderRun run(*this, *evaluator, inputs);
    return run.bindSubject();
}

} // namespace caseflow::render
