// The XHTML-to-ODF mapping and the ODT package. What must stay true: content.xml is
// well-formed whatever the data (every text is escaped here), every table cell holds at
// least one paragraph, every row has as many cells as the table has columns, and text
// marked with another language keeps it (fo:language) so spell-checking works in both.
#include "render/OdtWriter.h"

#include "core/Errors.h"
#include "render/LocaleFormat.h"
#include "xml/Xml.h"

#include <Poco/DateTime.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace caseflow::render {
namespace {

constexpr const char* kNamespaces = " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                                    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
                                    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
                                    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
                                    " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
                                    " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""
                                    " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
                                    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
                                    " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                                    " office:version=\"1.2\"";

std::string escaped(std::string_view text) {
    std::string out;
    xml::appendEscaped(out, text);
    return out;
}

bool isSpace(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

std::string normalised(std::string_view text) {
    std::string result;
    bool space = false;
    for (const char ch : text) {
        if (isSpace(ch)) {
            space = !result.empty();
        } else {
            if (space) result += ' ';
            space = false;
            result += ch;
        }
    }
    return result;
}

std::string country(const std::string& language) {
    return language == "fr" || language == "nl" ? "BE" : "GB";
}

bool hasClass(const xmlNode* node, const char* name) {
    const auto classes = xml::attribute(node, "class");
    if (!classes) return false;
    std::istringstream words(*classes);
    for (std::string word; words >> word;)
        if (word == name) return true;
    return false;
}

bool isBlockElement(const std::string& name) {
    static const std::set<std::string> blocks = {
        "p",  "div",    "section", "article", "header", "footer", "main",     "nav",    "aside", "h1",
        "h2", "h3",     "h4",      "h5",      "h6",     "table",  "ul",       "ol",     "dl",    "blockquote",
        "hr", "figure", "pre",     "address", "body",   "form",   "fieldset", "details"};
    return blocks.count(name) > 0;
}

bool isSkipped(const xmlNode* node) {
    const std::string name = xml::name(node);
    return name == "head" || name == "style" || name == "script" || name == "title" || name == "template" ||
           hasClass(node, "page-label");
}

// Inline content being gathered into one paragraph, with HTML's whitespace collapsing.
struct InlineRun {
    std::string xml;
    bool content = false;      // something visible was written
    bool pendingSpace = false; // whitespace seen since the last visible character

    void text(std::string_view value) {
        for (const char ch : value) {
            if (isSpace(ch)) {
                pendingSpace = content;
                continue;
            }
            if (pendingSpace) xml += ' ';
            pendingSpace = false;
            xml::appendEscaped(xml, std::string_view(&ch, 1));
            content = true;
        }
    }
    void markup(std::string_view value, bool visible = false) {
        if (visible && pendingSpace) xml += ' ';
        if (visible) pendingSpace = false;
        xml += value;
        content = content || visible;
    }
};

class OdtBuilder {
public:
    explicit OdtBuilder(std::string language) : language_(std::move(language)) {}

    void convert(xmlNode* root) {
        collectRunningTexts(root);
        xmlNode* body = nullptr;
        for (xmlNode* child = root ? root->children : nullptr; child; child = child->next)
            if (child->type == XML_ELEMENT_NODE && xml::name(child) == "body") body = child;
        blocks(body ? body : root, "Text_20_body", false);
    }

    std::string contentXml() const {
        std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content";
        out += kNamespaces;
        out +=
            ">\n<office:font-face-decls><style:font-face style:name=\"DejaVu Sans\" svg:font-family=\"'DejaVu Sans'\""
            " style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/></office:font-face-decls>\n"
            "<office:automatic-styles>\n"
            "<style:style style:name=\"Table\" style:family=\"table\"><style:table-properties style:width=\"17cm\""
            " table:align=\"margins\" fo:margin-top=\"0.1cm\" fo:margin-bottom=\"0.25cm\"/></style:style>\n"
            "<style:style style:name=\"TableColumn\" style:family=\"table-column\"/>\n"
            "<style:style style:name=\"TableRow\" style:family=\"table-row\"><style:table-row-properties"
            " fo:keep-together=\"always\"/></style:style>\n"
            "<style:style style:name=\"TableCell\" style:family=\"table-cell\"><style:table-cell-properties"
            " fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #9fb3c2\"/></style:style>\n"
            "<style:style style:name=\"TableHeadingCell\" style:family=\"table-cell\"><style:table-cell-properties"
            " fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #9fb3c2\" fo:background-color=\"#e8eff4\"/>"
            "</style:style>\n";
        for (const auto& language : otherLanguages_) {
            out += "<style:style style:name=\"Language_" + language +
                   "\" style:family=\"text\">"
                   "<style:text-properties fo:language=\"" +
                   language + "\" fo:country=\"" + country(language) + "\" fo:color=\"#4b5a66\"/></style:style>\n";
        }
        out += "</office:automatic-styles>\n<office:body>\n<office:text>\n";
        out += body_;
        out += "</office:text>\n</office:body>\n</office:document-content>\n";
        return out;
    }

    std::string stylesXml() const {
        std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles";
        out += kNamespaces;
        out +=
            ">\n<office:font-face-decls><style:font-face style:name=\"DejaVu Sans\" svg:font-family=\"'DejaVu Sans'\""
            " style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/></office:font-face-decls>\n"
            "<office:styles>\n"
            "<style:default-style style:family=\"paragraph\"><style:paragraph-properties fo:margin-top=\"0cm\""
            " fo:margin-bottom=\"0.12cm\"/><style:text-properties style:font-name=\"DejaVu Sans\" "
            "fo:font-size=\"9.5pt\""
            " fo:language=\"" +
            language_ + "\" fo:country=\"" + country(language_) +
            "\"/></style:default-style>\n"
            "<style:default-style style:family=\"table-cell\"><style:table-cell-properties"
            " style:vertical-align=\"top\"/></style:default-style>\n"
            "<style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>\n"
            "<style:style style:name=\"Text_20_body\" style:display-name=\"Text body\" style:family=\"paragraph\""
            " style:parent-style-name=\"Standard\" style:class=\"text\"/>\n"
            "<style:style style:name=\"Heading\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
            " style:next-style-name=\"Text_20_body\" style:class=\"text\"><style:paragraph-properties"
            " fo:margin-top=\"0.35cm\" fo:margin-bottom=\"0.15cm\" fo:keep-with-next=\"always\"/>"
            "<style:text-properties fo:color=\"#2c5d7c\" fo:font-weight=\"bold\"/></style:style>\n";
        const char* sizes[] = {"16pt", "11.5pt", "10pt", "10pt", "9.5pt", "9.5pt"};
        for (int level = 1; level <= 6; ++level) {
            out += "<style:style style:name=\"Heading_20_" + std::to_string(level) +
                   "\" style:display-name=\"Heading " + std::to_string(level) +
                   "\" style:family=\"paragraph\" style:parent-style-name=\"Heading\""
                   " style:next-style-name=\"Text_20_body\" style:default-outline-level=\"" +
                   std::to_string(level) + "\" style:class=\"text\"><style:text-properties fo:font-size=\"" +
                   sizes[level - 1] + "\"/></style:style>\n";
        }
        out += "<style:style style:name=\"Table_20_Contents\" style:display-name=\"Table Contents\""
               " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"extra\">"
               "<style:paragraph-properties fo:margin-bottom=\"0cm\"/></style:style>\n"
               "<style:style style:name=\"Table_20_Heading\" style:display-name=\"Table Heading\""
               " style:family=\"paragraph\" style:parent-style-name=\"Table_20_Contents\" style:class=\"extra\">"
               "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
               "<style:style style:name=\"List_20_Contents\" style:display-name=\"List Contents\""
               " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"list\"/>\n"
               "<style:style style:name=\"Statement\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
               "<style:paragraph-properties fo:background-color=\"#f3f6f8\" fo:padding=\"0.1cm\""
               " fo:border-left=\"2.5pt solid #2c5d7c\" fo:keep-together=\"always\"/></style:style>\n"
               "<style:style style:name=\"Muted\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
               "<style:text-properties fo:font-size=\"8pt\" fo:color=\"#5a6570\"/></style:style>\n"
               "<style:style style:name=\"Network_20_name\" style:display-name=\"Network name\""
               " style:family=\"paragraph\" style:parent-style-name=\"Standard\"><style:text-properties"
               " fo:font-size=\"11pt\" fo:font-weight=\"bold\" fo:color=\"#2c5d7c\"/></style:style>\n"
               "<style:style style:name=\"Definition_20_Term\" style:display-name=\"Definition Term\""
               " style:family=\"paragraph\" style:parent-style-name=\"Standard\"><style:text-properties"
               " fo:font-weight=\"bold\"/></style:style>\n"
               "<style:style style:name=\"Definition\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
               "<style:paragraph-properties fo:margin-left=\"0.5cm\"/></style:style>\n"
               "<style:style style:name=\"Quotations\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
               "<style:paragraph-properties fo:margin-left=\"0.8cm\" fo:margin-right=\"0.8cm\"/></style:style>\n"
               "<style:style style:name=\"Horizontal_20_Line\" style:display-name=\"Horizontal Line\""
               " style:family=\"paragraph\" style:parent-style-name=\"Standard\"><style:paragraph-properties"
               " fo:border-bottom=\"0.5pt solid #9fb3c2\"/></style:style>\n"
               "<style:style style:name=\"Header\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
               " style:class=\"extra\"><style:text-properties fo:font-size=\"7.5pt\" "
               "fo:color=\"#5a6570\"/></style:style>\n"
               "<style:style style:name=\"Footer\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
               " style:class=\"extra\"><style:paragraph-properties><style:tab-stops><style:tab-stop"
               " style:position=\"17cm\" style:type=\"right\"/></style:tab-stops></style:paragraph-properties>"
               "<style:text-properties fo:font-size=\"7.5pt\" fo:color=\"#5a6570\"/></style:style>\n"
               "<style:style style:name=\"Strong\" style:family=\"text\"><style:text-properties"
               " fo:font-weight=\"bold\"/></style:style>\n"
               "<style:style style:name=\"Emphasis\" style:family=\"text\"><style:text-properties"
               " fo:font-style=\"italic\"/></style:style>\n"
               "<style:style style:name=\"Small\" style:family=\"text\"><style:text-properties"
               " fo:font-size=\"8pt\"/></style:style>\n"
               "<style:style style:name=\"Not_20_provided\" style:display-name=\"Not provided\" style:family=\"text\">"
               "<style:text-properties fo:font-style=\"italic\" fo:color=\"#a1262b\"/></style:style>\n"
               "<text:list-style style:name=\"Bullets\">";
        for (int level = 1; level <= 10; ++level) {
            out += "<text:list-level-style-bullet text:level=\"" + std::to_string(level) +
                   "\" text:bullet-char=\"•\"><style:list-level-properties"
                   " text:list-level-position-and-space-mode=\"label-alignment\"><style:list-level-label-alignment"
                   " text:label-followed-by=\"listtab\" fo:text-indent=\"-0.4cm\" fo:margin-left=\"" +
                   std::to_string(level * 6) + "mm\"/></style:list-level-properties></text:list-level-style-bullet>";
        }
        out += "</text:list-style>\n<text:list-style style:name=\"Numbering\">";
        for (int level = 1; level <= 10; ++level) {
            out += "<text:list-level-style-number text:level=\"" + std::to_string(level) +
                   "\" style:num-suffix=\".\" style:num-format=\"1\"><style:list-level-properties"
                   " text:list-level-position-and-space-mode=\"label-alignment\"><style:list-level-label-alignment"
                   " text:label-followed-by=\"listtab\" fo:text-indent=\"-0.5cm\" fo:margin-left=\"" +
                   std::to_string(level * 7) + "mm\"/></style:list-level-properties></text:list-level-style-number>";
        }
        out += "</text:list-style>\n</office:styles>\n"
               "<office:automatic-styles>\n"
               "<style:page-layout style:name=\"A4\"><style:page-layout-properties fo:page-width=\"21cm\""
               " fo:page-height=\"29.7cm\" style:print-orientation=\"portrait\" fo:margin-top=\"1.2cm\""
               " fo:margin-bottom=\"1.2cm\" fo:margin-left=\"1.8cm\" fo:margin-right=\"1.8cm\"/>"
               "<style:header-style><style:header-footer-properties fo:min-height=\"0.6cm\""
               " fo:margin-bottom=\"0.3cm\"/></style:header-style>"
               "<style:footer-style><style:header-footer-properties fo:min-height=\"0.6cm\""
               " fo:margin-top=\"0.3cm\"/></style:footer-style></style:page-layout>\n"
               "</office:automatic-styles>\n"
               "<office:master-styles>\n"
               "<style:master-page style:name=\"Standard\" style:page-layout-name=\"A4\">"
               "<style:header><text:p text:style-name=\"Header\">";
        xml::appendEscaped(out, networkName_);
        out += "</text:p></style:header><style:footer><text:p text:style-name=\"Footer\">";
        xml::appendEscaped(out, documentReference_);
        out += "<text:tab/>";
        xml::appendEscaped(out, pageLabel_.empty() ? "page" : pageLabel_);
        out += " <text:page-number text:select-page=\"current\">1</text:page-number> / "
               "<text:page-count>1</text:page-count></text:p></style:footer></style:master-page>\n"
               "</office:master-styles>\n</office:document-styles>\n";
        return out;
    }

private:
    static std::string textOf(xmlNode* node) { return normalised(xml::text(node)); }

    void collectRunningTexts(xmlNode* node) {
        for (; node; node = node->next) {
            if (node->type != XML_ELEMENT_NODE) continue;
            if (networkName_.empty() && hasClass(node, "network-name")) networkName_ = textOf(node);
            if (documentReference_.empty() && hasClass(node, "doc-ref")) documentReference_ = textOf(node);
            if (pageLabel_.empty() && hasClass(node, "page-label")) pageLabel_ = textOf(node);
            collectRunningTexts(node->children);
        }
    }

    static std::string paragraphStyleFor(xmlNode* element, const std::string& inherited) {
        if (hasClass(element, "statement")) return "Statement";
        if (hasClass(element, "muted")) return "Muted";
        if (hasClass(element, "network-name")) return "Network_20_name";
        return inherited;
    }

    void paragraph(InlineRun& run, const std::string& style, bool missing) {
        if (!run.content) {
            run = InlineRun();
            return;
        }
        body_ += "<text:p text:style-name=\"" + style + "\">";
        if (missing) body_ += "<text:span text:style-name=\"Not_20_provided\">";
        body_ += run.xml;
        if (missing) body_ += "</text:span>";
        body_ += "</text:p>\n";
        run = InlineRun();
    }

    // The children of a block container: inline runs become paragraphs, blocks convert.
    // Returns whether anything was written.
    bool blocks(xmlNode* parent, const std::string& style, bool missing) {
        const std::size_t before = body_.size();
        InlineRun run;
        for (xmlNode* child = parent ? parent->children : nullptr; child; child = child->next) {
            if (child->type == XML_TEXT_NODE) {
                run.text(xml::c(child->content));
            } else if (child->type == XML_ELEMENT_NODE && !isSkipped(child)) {
                if (isBlockElement(xml::name(child))) {
                    paragraph(run, style, missing);
                    block(child, style);
                } else {
                    inlineElement(child, run);
                }
            }
        }
        paragraph(run, style, missing);
        return body_.size() > before;
    }

    void block(xmlNode* element, const std::string& style) {
        const std::string name = xml::name(element);
        const bool missing = hasClass(element, "not-provided");
        if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
            const std::string level(1, name[1]);
            InlineRun run;
            inlineChildren(element, run);
            body_ += "<text:h text:style-name=\"Heading_20_" + level + "\" text:outline-level=\"" + level + "\">" +
                     run.xml + "</text:h>\n";
        } else if (name == "table") {
            table(element);
        } else if (name == "ul" || name == "ol") {
            list(element, name == "ol");
        } else if (name == "dl") {
            for (xmlNode* child = element->children; child; child = child->next) {
                if (child->type != XML_ELEMENT_NODE) continue;
                blocks(child, xml::name(child) == "dt" ? "Definition_20_Term" : "Definition",
                       hasClass(child, "not-provided"));
            }
        } else if (name == "hr") {
            body_ += "<text:p text:style-name=\"Horizontal_20_Line\"/>\n";
        } else if (name == "blockquote") {
            blocks(element, "Quotations", missing);
        } else if (name == "p") {
            InlineRun run;
            inlineChildren(element, run);
            paragraph(run, paragraphStyleFor(element, style), missing);
        } else {
            blocks(element, paragraphStyleFor(element, style), missing);
        }
    }

    void list(xmlNode* element, bool numbered) {
        body_ += std::string("<text:list text:style-name=\"") + (numbered ? "Numbering" : "Bullets") + "\">\n";
        for (xmlNode* item = element->children; item; item = item->next) {
            if (item->type != XML_ELEMENT_NODE || xml::name(item) != "li") continue;
            body_ += "<text:list-item>";
            if (!blocks(item, "List_20_Contents", hasClass(item, "not-provided")))
                body_ += "<text:p text:style-name=\"List_20_Contents\"/>";
            body_ += "</text:list-item>\n";
        }
        body_ += "</text:list>\n";
    }

    static void rowsOf(xmlNode* parent, std::vector<xmlNode*>& header, std::vector<xmlNode*>& rows, bool inHeader) {
        for (xmlNode* child = parent->children; child; child = child->next) {
            if (child->type != XML_ELEMENT_NODE) continue;
            const std::string name = xml::name(child);
            if (name == "tr")
                (inHeader ? header : rows).push_back(child);
            else if (name == "thead")
                rowsOf(child, header, rows, true);
            else if (name == "tbody" || name == "tfoot")
                rowsOf(child, header, rows, false);
        }
    }

    static int span(xmlNode* cell) {
        const int value = std::atoi(xml::attribute(cell, "colspan").value_or("1").c_str());
        return std::clamp(value, 1, 1000);
    }

    void row(xmlNode* tableRow, int columns) {
        body_ += "<table:table-row table:style-name=\"TableRow\">";
        int used = 0;
        for (xmlNode* cell = tableRow->children; cell; cell = cell->next) {
            if (cell->type != XML_ELEMENT_NODE || (xml::name(cell) != "td" && xml::name(cell) != "th")) continue;
            const bool heading = xml::name(cell) == "th";
            const int spanned = std::min(span(cell), columns - used);
            if (spanned <= 0) break;
            body_ += std::string("<table:table-cell table:style-name=\"") +
                     (heading ? "TableHeadingCell" : "TableCell") + "\" office:value-type=\"string\"";
            if (spanned > 1) body_ += " table:number-columns-spanned=\"" + std::to_string(spanned) + "\"";
            body_ += ">";
            const std::string style = heading ? "Table_20_Heading" : "Table_20_Contents";
            if (!blocks(cell, style, hasClass(cell, "not-provided")))
                body_ += "<text:p text:style-name=\"" + style + "\"/>";
            body_ += "</table:table-cell>";
            for (int covered = 1; covered < spanned; ++covered) body_ += "<table:covered-table-cell/>";
            used += spanned;
        }
        for (; used < columns; ++used)
            body_ += "<table:table-cell table:style-name=\"TableCell\" office:value-type=\"string\">"
                     "<text:p text:style-name=\"Table_20_Contents\"/></table:table-cell>";
        body_ += "</table:table-row>\n";
    }

    void table(xmlNode* element) {
        std::vector<xmlNode*> header, rows;
        rowsOf(element, header, rows, false);
        int columns = 1;
        for (const auto* list : {&header, &rows}) {
            for (xmlNode* tableRow : *list) {
                int count = 0;
                for (xmlNode* cell = tableRow->children; cell; cell = cell->next)
                    if (cell->type == XML_ELEMENT_NODE && (xml::name(cell) == "td" || xml::name(cell) == "th"))
                        count += span(cell);
                columns = std::max(columns, count);
            }
        }
        if (header.empty() && rows.empty()) return;
        ++tables_;
        body_ += "<table:table table:name=\"Table" + std::to_string(tables_) + "\" table:style-name=\"Table\">\n";
        body_ += "<table:table-column table:style-name=\"TableColumn\" table:number-columns-repeated=\"" +
                 std::to_string(columns) + "\"/>\n";
        if (!header.empty()) {
            body_ += "<table:table-header-rows>\n";
            for (xmlNode* tableRow : header) row(tableRow, columns);
            body_ += "</table:table-header-rows>\n";
        }
        for (xmlNode* tableRow : rows) row(tableRow, columns);
        body_ += "</table:table>\n";
    }

    void inlineChildren(xmlNode* element, InlineRun& run) {
        for (xmlNode* child = element->children; child; child = child->next) {
            if (child->type == XML_TEXT_NODE)
                run.text(xml::c(child->content));
            else if (child->type == XML_ELEMENT_NODE && !isSkipped(child))
                inlineElement(child, run);
        }
    }

    void spanned(xmlNode* element, InlineRun& run, const std::string& style) {
        // The opening tag is not visible, but a pending space belongs before it.
        if (run.pendingSpace && run.content) {
            run.xml += ' ';
            run.pendingSpace = false;
        }
        run.xml += "<text:span text:style-name=\"" + style + "\">";
        inlineChildren(element, run);
        run.xml += "</text:span>";
    }

    void inlineElement(xmlNode* element, InlineRun& run) {
        const std::string name = xml::name(element);
        const std::string lang = xml::attribute(element, "lang").value_or("");
        if (name == "br") {
            run.markup("<text:line-break/>", true);
            run.pendingSpace = false;
        } else if (name == "bdi") {
            // FSI ... PDI: the isolation <bdi> gives in HTML, as Unicode characters.
            run.markup("\xE2\x81\xA8", true);
            inlineChildren(element, run);
            run.markup("\xE2\x81\xA9", true);
        } else if (hasClass(element, "not-provided")) {
            spanned(element, run, "Not_20_provided");
        } else if (!lang.empty() && lang != language_ &&
                   (lang == "fr" || lang == "nl" || lang == "de" || lang == "en")) {
            otherLanguages_.insert(lang);
            spanned(element, run, "Language_" + lang);
        } else if (name == "strong" || name == "b") {
            spanned(element, run, "Strong");
        } else if (name == "em" || name == "i") {
            spanned(element, run, "Emphasis");
        } else if (name == "small") {
            spanned(element, run, "Small");
        } else if (isBlockElement(name)) {
            // A block inside inline content (not produced by our templates): keep its text.
            inlineChildren(element, run);
        } else {
            inlineChildren(element, run);
        }
    }

    std::string language_;
    std::string body_;
    std::set<std::string> otherLanguages_;
    std::string networkName_, documentReference_, pageLabel_;
    int tables_ = 0;
};

std::string metaXml(const OdtMetadata& metadata, const std::string& isoDate) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta";
    out += kNamespaces;
    out += "><office:meta><meta:generator>caseflow/" CASEFLOW_VERSION "</meta:generator><dc:title>";
    xml::appendEscaped(out, metadata.title);
    out += "</dc:title><dc:language>" + escaped(metadata.language) + "-" + country(metadata.language) +
           "</dc:language><dc:date>" + escaped(isoDate) + "</dc:date><meta:creation-date>" + escaped(isoDate) +
           "</meta:creation-date></office:meta></office:document-meta>\n";
    return out;
}

constexpr const char* kManifest =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
    "manifest:version=\"1.2\">\n"
    " <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\""
    " manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\n"
    " <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n"
    " <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\n"
    " <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\n"
    "</manifest:manifest>\n";

} // namespace

std::string htmlToOdt(const std::string& html, const OdtMetadata& metadata) {
    std::string_view text(html);
    if (text.rfind("<!DOCTYPE", 0) == 0) text.remove_prefix(std::min(text.find('>') + 1, text.size()));
    xml::Document document = xml::parseString(text, "rendered document", xml::Whitespace::Keep);
    OdtBuilder builder(metadata.language.empty() ? "fr" : metadata.language);
    builder.convert(xml::root(document.get()));

    // The package's time stamps are the situation's last update, so the same situation
    // version always gives the same bytes.
    const auto instant = parseUtcInstant(metadata.modified);
    const Poco::Timestamp stamp =
        instant ? Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(*instant) * 1000) : Poco::Timestamp();
    const Poco::DateTime modified(stamp);
    char isoDate[64];
    std::snprintf(isoDate, sizeof isoDate, "%04d-%02d-%02dT%02d:%02d:%02dZ", modified.year(), modified.month(),
                  modified.day(), modified.hour(), modified.minute(), modified.second());

    std::ostringstream package(std::ios::out | std::ios::binary);
    Poco::Zip::Compress zip(package, true);
    const auto add = [&](const std::string& name, const std::string& content,
                         Poco::Zip::ZipCommon::CompressionMethod method) {
        std::istringstream input(content, std::ios::in | std::ios::binary);
        zip.addFile(input, modified, name, method, Poco::Zip::ZipCommon::CL_MAXIMUM);
    };
    // ODF 1.2 part 3, 3.3: "mimetype" first, stored, so tools can sniff the type at offset 38.
    add("mimetype", "application/vnd.oasis.opendocument.text", Poco::Zip::ZipCommon::CM_STORE);
    add("META-INF/manifest.xml", kManifest, Poco::Zip::ZipCommon::CM_DEFLATE);
    add("content.xml", builder.contentXml(), Poco::Zip::ZipCommon::CM_DEFLATE);
    add("styles.xml", builder.stylesXml(), Poco::Zip::ZipCommon::CM_DEFLATE);
    add("meta.xml", metaXml(metadata, isoDate), Poco::Zip::ZipCommon::CM_DEFLATE);
    zip.close();
    return package.str();
}

} // namespace caseflow::render
