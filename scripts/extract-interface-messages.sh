#!/usr/bin/env bash
# Writes locales/interface.pot: what the CLI (and the explanations of invalid input both front
# ends give) says to a person, read from the sources by xgettext: tr("..."), trn("...", "...")
# in engine/cli and engine/views/FinanceViews.cpp (the accounting export's header), say("...") in
# engine/i18n/InputExplanation.cpp. Then merge into the catalogs:
#   for l in fr_BE nl_BE; do msgmerge --update --backup=none --no-wrap locales/$l/interface.po locales/interface.pot; done
set -euo pipefail
cd "$(dirname "$0")/.."
xgettext --language=C++ --from-code=UTF-8 --no-wrap --sort-by-file --add-location=file \
  --keyword= --keyword=tr:1 --keyword=trn:1,2 --keyword=say:1 --flag=tr:1:python-brace-format \
  --package-name=caseflow -o locales/interface.pot engine/cli/*.cpp engine/i18n/InputExplanation.cpp engine/views/FinanceViews.cpp engine/process/PaymentRuns.cpp
sed -i 's/charset=CHARSET/charset=UTF-8/' locales/interface.pot
echo "wrote locales/interface.pot ($(grep -c '^msgid "[^"]' locales/interface.pot) messages)"
