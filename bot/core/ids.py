"""Ids typed in commands or carried in button data, read once and read strictly."""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL (and SQLite)


def parse_id(text: str) -> int | None:
    """A row id written as ASCII digits ("12", "#12"), within the columns' range; None for anything
    else: "²" and "①" pass `str.isdigit()` but not `int()`, and 2^63 overflows every column."""
    candidate = text.strip().removeprefix("#")
    if not _ASCII_DIGITS.fullmatch(candidate):
        return None
    number = int(candidate)
    return number if 1 <= number <= MAX_ID else None


def choice_number(text: str, count: int) -> int | None:
    """A numbered choice typed as a bare number ("2"), between 1 and `count`; None for anything else."""
    candidate = text.strip()
    if not _ASCII_DIGITS.fullmatch(candidate):
        return None
    number = int(candidate)
    return number if 1 <= number <= count else None
