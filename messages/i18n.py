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


def gettext_for(locale: str) -> Callable[[str], str]:
    return translations(locale).gettext


def ngettext_for(locale: str) -> Callable[[str, str, int], str]:
    return translations(locale).ngettext


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it yet."""
    return message
