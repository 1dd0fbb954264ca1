"""Invitation codes: short enough to type on a phone, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

# No 0/O, 1/I/L: older officials read codes aloud and type them by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code a person meant, or None when the text cannot be a code."""
    cleaned = re.sub(r"[\s\-_.]", "", text).upper()
    return cleaned if _SHAPE.match(cleaned) else None


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
