#!/usr/bin/env python3
"""Writes locales/web.pot: every message of the web application's pages, from the templates of
templates/web/ (t:i18n texts, t:plural forms) and from engine/web/*.cpp (t("...") calls and the
label tables of Labels.cpp). tests/web_catalog_test.cpp checks the same set against the
catalogs, so a message added without its translations fails the suite.
Usage: scripts/extract-web-messages.py > locales/web.pot"""
import pathlib, re, sys
import xml.etree.ElementTree as ET

root = pathlib.Path(__file__).resolve().parent.parent
T = "{urn:caseflow:template:1}"
messages = {}  # (msgid, plural) -> locations

def add(msgid, plural, where):
    messages.setdefault((msgid, plural), []).append(where)

for path in sorted((root / "templates/web").rglob("*.xhtml")):
    tree = ET.parse(path)
    for element in tree.iter():
        if T + "i18n" in element.attrib or element.tag == T + "msg":
            text = " ".join("".join(element.itertext()).split())
            add(text, " ".join(element.attrib.get(T + "plural", "").split()), str(path.relative_to(root)))

for path in sorted((root / "engine/web").glob("*.cpp")):
    source = path.read_text()
    for match in re.finditer(r'\bt\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+),', source):
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
        add(text, "", str(path.relative_to(root)))
    if path.name == "Labels.cpp":
        for match in re.finditer(r'\{"[^"]+",\s*"((?:[^"\\]|\\.)*)"\}', source):
            add(match.group(1), "", str(path.relative_to(root)))

def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

out = ['# Messages of caseflow\'s web application: templates/web/, engine/web/ (scripts/extract-web-messages.py)',
       'msgid ""', 'msgstr ""', '"Project-Id-Version: caseflow\\n"', '"PO-Revision-Date: 2026-11-29\\n"',
       '"Last-Translator: caseflow\\n"', '"Language-Team: caseflow\\n"', '"MIME-Version: 1.0\\n"',
       '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"', ""]
for (msgid, plural), where in messages.items():
    out.append("#: " + " ".join(sorted(set(where))))
    out.append("msgid " + quote(msgid))
    if plural:
        out += ["msgid_plural " + quote(plural), 'msgstr[0] ""', 'msgstr[1] ""']
    else:
        out.append('msgstr ""')
    out.append("")
sys.stdout.write("\n".join(out))
