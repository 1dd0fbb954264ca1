#!/usr/bin/env bash
# Regenerate the gettext catalogs: extract the template, update vi and en, check they compile.
# English is the source language, so an empty English entry takes its msgid; Vietnamese entries are
# written by hand in messages/locale/vi/LC_MESSAGES/messages.po. tests/unit/test_catalogs.py fails
# while the template is stale or an entry is missing or fuzzy. The app compiles the .po files in
# memory at start, so no .mo is kept in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
"$BIN/pybabel" extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
    -o messages/locale/messages.pot .
for locale in vi en; do
    "$BIN/pybabel" update -i messages/locale/messages.pot -d messages/locale -D messages -l "$locale" \
        --ignore-obsolete --init-missing --no-wrap
done
"$BIN/python" - <<'PY'
from babel.messages.pofile import read_po, write_po
path = "messages/locale/en/LC_MESSAGES/messages.po"
with open(path, "rb") as handle:
    catalog = read_po(handle, locale="en")
for message in catalog:
    # English is the source language: every entry says its msgid. (pybabel fills a new entry with its
    # guess from a similar msgid, marked fuzzy; kept, those guesses had put wrong sentences and
    # placeholders into 40 English entries.)
    if message.id:
        message.string = message.id
    message.flags.discard("fuzzy")
with open(path, "wb") as handle:
    write_po(handle, catalog, no_location=True, width=0)
PY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r messages/locale/vi messages/locale/en "$tmp"/
"$BIN/pybabel" compile -d "$tmp" -D messages --statistics
