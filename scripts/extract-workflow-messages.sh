#!/usr/bin/env bash
# Writes locales/workflow.pot: every rule message of every workflow, plus the state and
# event names users see. Then merge into the catalogs with:
#   for l in fr_BE nl_BE; do msgmerge --update --backup=none locales/$l/workflow.po locales/workflow.pot; done
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
  # The engine's own refusal headers (engine/process/RuleMessages.cpp, refusalHeader).
  printf '#: engine/process/RuleMessages.cpp\n#, python-brace-format\nmsgid "%s"\nmsgstr ""\n\n' \
    "event '{event}' is refused in state '{state}' by {rules}" \
    "event '{event}' is refused in state '{state}': the situation meets the condition of none of its transitions"
  # The event `caseflow situation new` records, which no transition takes.
  printf '#: engine/process/FundingProcess.cpp\nmsgctxt "event"\nmsgid "situation.registered"\nmsgstr ""\n\n'
  # The envelope's under-spending lines (engine/process/RuleMessages.cpp, envelopeProgress).
  printf '#: engine/process/RuleMessages.cpp\n#, python-brace-format\nmsgid "%s"\nmsgstr ""\n\n' \
    "{elapsed} of the year has passed; {committed} of the envelope is committed, {paid} paid." \
    "Under-spending (R18): the commitments lag the year by more than {points} points."
  for workflow in workflows/*.scxml; do
    xmllint --xpath '//*[local-name()="rule"]/@message' "$workflow" 2>/dev/null |
      sed -E 's/^ *message="(.*)"$/\1/' | sed 's/&quot;/\\"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' |
      while IFS= read -r message; do
        # A message naming a count agrees with it in number (engine/process/RuleMessages.cpp):
        # its entry has plural forms, the count being the first of these placeholders it names.
        if [[ $message =~ \{(minPartners|minMentalHealthPartners|followUpMinMonths)\} ]]; then
          printf '#: %s\n#, python-brace-format\nmsgid "%s"\nmsgid_plural "%s"\nmsgstr[0] ""\nmsgstr[1] ""\n\n' \
            "$workflow" "$message" "$message"
        else
          printf '#: %s\nmsgid "%s"\nmsgstr ""\n\n' "$workflow" "$message"
        fi
      done
    for kind in state final; do
      xmllint --xpath "//*[local-name()=\"$kind\"]/@id" "$workflow" 2>/dev/null | sed -E 's/^ *id="(.*)"$/\1/' |
        while IFS= read -r id; do printf '#: %s\nmsgctxt "state"\nmsgid "%s"\nmsgstr ""\n\n' "$workflow" "$id"; done
    done
    # Events: every name a transition takes (space-separated lists) and every declared one.
    { xmllint --xpath '//*[local-name()="transition"]/@event' "$workflow" 2>/dev/null | sed -E 's/^ *event="(.*)"$/\1/'
      xmllint --xpath '//*[local-name()="event"]/@name' "$workflow" 2>/dev/null | sed -E 's/^ *name="(.*)"$/\1/'; } |
      tr ' ' '\n' | grep -v '^$' | sort -u |
      while IFS= read -r id; do printf '#: %s\nmsgctxt "event"\nmsgid "%s"\nmsgstr ""\n\n' "$workflow" "$id"; done
  done
} > locales/workflow.pot.tmp
msguniq --no-wrap locales/workflow.pot.tmp -o locales/workflow.pot
rm locales/workflow.pot.tmp
echo "wrote locales/workflow.pot ($(grep -c '^msgid "[^"]' locales/workflow.pot) messages)"
