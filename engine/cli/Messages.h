// What the CLI says to a person, in that person's language: success lines, table headers,
// labels and error prefixes go through the "interface" gettext catalogs; state and event
// names through the workflow catalogs (the ids stay beside them, for scripts and docs).
// What must stay true: one language per run, chosen as documented in docs/cli.md —
// --lang, else $LANGUAGE/$LC_ALL/$LC_MESSAGES/$LANG when it names fr, nl or en, else the
// network's first language once a database is opened, else English. --help stays English
// (it is the source of docs/cli.md).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace caseflow {
class NetworkSettings;
}

namespace caseflow::cli {

class Invocation;

// The language asked for explicitly (--lang, or the environment when it names a supported
// language); nullopt when nothing chose one.
std::optional<std::string> chosenLanguage(const std::optional<std::string>& langOption);

// The run's message language; "en" until something sets it.
const std::string& messageLanguage();
// Sets it from an invocation (explicit choice) or, when nothing chose one, from `network`'s
// first language; returns it.
const std::string& settleMessageLanguage(const Invocation& invocation, const NetworkSettings* network = nullptr);
void setMessageLanguage(const std::string& language);

// msgid (English) in the run's language; {name} placeholders filled from `values`.
std::string tr(const char* msgid, std::initializer_list<std::pair<const char*, std::string>> values = {});
// Plural form chosen by `count`; {count} is filled too.
std::string trn(const char* singular, const char* plural, long count,
                std::initializer_list<std::pair<const char*, std::string>> values = {});

// "vérification budgétaire (budget-check)": the label, with the id a script or the docs use.
std::string stateWords(const std::string& states);
// The label alone ("vérification budgétaire"), for narrow table columns.
std::string stateLabel(const std::string& states);
std::string eventWords(const std::string& event);

// Left-pads or right-pads to a width counted in characters (UTF-8), for aligned tables whose
// headers are translated.
std::string padded(const std::string& text, std::size_t width, bool alignRight = false);

} // namespace caseflow::cli
