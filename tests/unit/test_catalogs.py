"""Every text a person can read is in both catalogs, translated and not fuzzy, and the template is current."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from messages.i18n import LOCALES, catalog_path, gettext_for

ROOT = Path(__file__).resolve().parents[2]


def _msgids_in_code() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for package in ("bot", "messages", "scheduler", "storage"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalog_ids(path: Path) -> set[str | tuple[str, ...]]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}


def test_the_template_matches_the_code() -> None:
    template = _catalog_ids(ROOT / "messages" / "locale" / "messages.pot")
    in_code = _msgids_in_code()
    assert in_code - template == set(), "run scripts/i18n.sh: texts in code are missing from the template"
    assert template - in_code == set(), "run scripts/i18n.sh: the template has texts no code uses"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_text_is_translated_and_none_is_fuzzy(locale: str) -> None:
    with catalog_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    assert _msgids_in_code() <= ids
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{locale}: untranslated {message.id!r}"


def test_vietnamese_is_what_people_read_by_default() -> None:
    assert gettext_for("vi")("Commands:") == "Các lệnh:"
    assert gettext_for("en")("Commands:") == "Commands:"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale: str) -> None:
    """Singular and plural forms alike: a placeholder lost or invented fails `.format` at run time."""
    import re

    def names(text: str) -> set[str]:
        return set(re.findall(r"{\w+}", text))

    with catalog_path(locale).open("rb") as handle:
        for message in read_po(handle, locale=locale):
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            wanted = set().union(*(names(text) for text in ids))
            for text in strings:
                assert names(text) <= wanted, f"{locale}: {message.id!r} has {text!r}"
                if isinstance(message.id, str):
                    assert names(text) == wanted, f"{locale}: {message.id!r} has {text!r}"


def test_english_says_what_the_code_says() -> None:
    """English is the source language: each entry is its msgid (pybabel's fuzzy guesses once were not)."""
    with catalog_path("en").open("rb") as handle:
        for message in read_po(handle, locale="en"):
            if message.id:
                assert message.string == message.id, message.id
