"""Text helpers shared by matching and parsing: folding Vietnamese and splitting long messages."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 and C1 control characters but tab and newline, DEL, and lone surrogates: PostgreSQL refuses
# U+0000 in text, and none of them means anything in a message.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


# Characters that turn the text around or show nothing: the bidirectional controls (U+202E makes
# "Phường Xfdp.exe" read otherwise), zero-width ones, the soft hyphen, line and paragraph separators and
# the blank fillers. A name may not have them; what is shown has them taken out.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0e\ufeff\uffa0\ufff9-\ufffb]"
)


def visible(text: str) -> str:
    """The text without the characters that show nothing or change its direction."""
    return _INVISIBLE.sub("", text)


def has_invisible(text: str) -> bool:
    return _INVISIBLE.search(text) is not None


def printable(text: str) -> str:
    """The text without control characters; a carriage return is a line end."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def fold(text: str) -> str:
    """Lowercase, strip diacritics and map đ to d, so 'Bần Yên Nhân' and 'ban yen nhan' compare equal."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters: cut at a word boundary and marked with "…", so no word is cut in half
    (a single word longer than the room is cut, there is nothing else to do)."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in kept.strip():
        kept = kept[: kept.rstrip().rfind(" ")]
    return kept.rstrip(" ,;:-–") + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Split at line boundaries into chunks of at most `limit` characters; cut overlong lines."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip() or not chunks:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [text[:limit]]


def in_language(vietnamese: str, english: str | None, locale: str) -> str:
    """A name given in both languages (a duty's title), in the reader's: the Vietnamese one when there is no other."""
    return english if locale == "en" and english else vietnamese
