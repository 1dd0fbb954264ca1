#!/usr/bin/env bash
# Regenerate the gettext catalogs: extract the template, update vi and en, check they compile.
# The app compiles the .po files in memory at start, so no .mo is kept in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
"$PYBABEL" extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
    -o messages/locale/messages.pot .
for locale in vi en; do
    po=messages/locale/$locale/LC_MESSAGES/messages.po
    if [ -f "$po" ]; then
        "$PYBABEL" update -i messages/locale/messages.pot -d messages/locale -D messages -l "$locale" \
            --no-location --omit-header --ignore-obsolete
    else
        "$PYBABEL" init -i messages/locale/messages.pot -d messages/locale -D messages -l "$locale"
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r messages/locale/vi messages/locale/en "$tmp"/
"$PYBABEL" compile -d "$tmp" -D messages --statistics
