"""Gettext catalogs: msgids in English, Vietnamese by default.

Catalogs are read from the .po files and compiled in memory on first use, so a stale .mo can never
hide a translation.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from messages.bodies import names_in_sentence

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"


def catalog_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def translations(locale: str) -> gettext.NullTranslations:
    path = catalog_path(locale)
    if locale not in LOCALES or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# Placeholders that carry units' names: inside a sentence each is written as a sentence writes it
# ("cán bộ của xã Cẩm Xá", "sắp xếp vào phường Mỹ Hào"; a phòng keeps "Phòng Nội vụ"), first in it
# or after a colon as the name is ("Xã Cẩm Xá: chưa có cập nhật nào.").
UNIT_FIELDS = ("unit", "units", "successor", "old", "new", "parts")


class Sentence(str):
    """A translated text whose `.format` writes units' names as they stand in the sentence: the one
    place that does it, for every `{unit}` of every catalog."""

    def format(self, *args: object, **kwargs: object) -> str:
        text = str(self)
        for key in UNIT_FIELDS:
            value = kwargs.get(key)
            if not isinstance(value, str) or "{" + key + "}" not in text:
                continue
            inside = names_in_sentence(value)
            if inside == value:
                continue
            parts = text.split("{" + key + "}")
            written = parts[0]
            for part in parts[1:]:
                written += ("{" + key + "__inside}" if _inside(written) else "{" + key + "}") + part
            text, kwargs[key + "__inside"] = written, inside
        return str.format(text, *args, **kwargs)


def _inside(before: str) -> bool:
    """Whether a placeholder after this text stands inside a sentence: after a lower-case word or a comma."""
    last = before.rstrip()[-1:]
    return bool(last) and (last.islower() or last in ",;")


def gettext_for(locale: str) -> Callable[[str], str]:
    found = translations(locale).gettext
    return lambda message: Sentence(found(message))


def ngettext_for(locale: str) -> Callable[[str, str, int], str]:
    found = translations(locale).ngettext
    return lambda singular, plural, n: Sentence(found(singular, plural, n))


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it yet."""
    return message
