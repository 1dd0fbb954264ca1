"""Steps 1 to 3 of reading a reply (messages/parser.py says the whole): prepare the text, take out
the percents and dates as tokens, and make the canonical words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from messages.reading import HEAD, MAX_FOUND, MAX_WORDS
from messages.text import fold

# --- 1. Preparing the text ------------------------------------------------------------------------------------

# Words whose meaning is lost by folding. Only applied when the reply was typed with diacritics; without them the
# ambiguity stays and context decides ("da nop" is done, "da" alone is an acknowledgement either way).
_WITH_DIACRITICS: dict[str, str] = {
    "dạ": "vang",  # polite yes, not đã
    "chùa": "pagoda",  # not chưa
    "chữa": "sua",  # "đang chữa lại" (correcting), not chưa
    "à": "ha",  # sentence-final question particle, not the polite ạ
}
_DIACRITIC_WORDS = re.compile(r"\b(?:" + "|".join(_WITH_DIACRITICS) + r")\b")
_CONTRACTION = re.compile(r"n['’]t\b")  # English "haven't" → "have not" so negation patterns see "not"


def prepare(text: str) -> str:
    lowered = unicodedata.normalize("NFC", text[:HEAD].lower())
    lowered = _DIACRITIC_WORDS.sub(lambda m: _WITH_DIACRITICS[m.group(0)], lowered)
    return _CONTRACTION.sub(" not", fold(lowered))


# --- 2. Percents and dates ------------------------------------------------------------------------------------

# Patterns that start with a digit put their "not preceded by" check after the first digit, not before it: a pattern
# that starts with a lookbehind makes `re` try every position, one that starts with [0-9] lets it skip to digits.

# "60%", "60 %", "12.5%" (floored: 99.9% is not done), "60 phan tram", "40 percent"; not the "5%" of "2.5%".
_PERCENT = re.compile(r"([0-9](?<![0-9.,][0-9])[0-9]{0,2})(?:[.,][0-9]+)?\s?(?:%|phan tram\b|percent\b|pct\b)")

# d/m, d/m/yy, d/m/yyyy, d-m, d.m; not part of a longer number ("12/2025/ND-CP"), not a range of days ("3-4 ngày").
_NUMERIC_DATE = re.compile(
    r"([0-9](?<![0-9][0-9])(?<![0-9][/.-][0-9])[0-9]?)([/.-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?"
    r"(?![0-9])(?![/.-][0-9])(?!\s?(?:ngay|hom|tuan|thang|days?|weeks?)\b)"
)
# "12 tháng 1", "ngày 12 tháng 1 năm 2025" ("ngày" stays as a word; the expected-date patterns allow it).
_WORDED_DATE = re.compile(r"([0-9](?<![0-9a-z][0-9])[0-9]?)\s(?:thang|thg)\s?([0-9]{1,2})(?:\s(?:nam\s)?([0-9]{4}))?\b")
# "thứ 6" (Friday), "chủ nhật", optionally "tuần sau": the next such day on or after today.
_WEEKDAY = re.compile(r"\b(?:thu\s?([2-7])|chu nhat)(\s(?:tuan|week)\s(?:sau|toi|next))?\b")
# Relative days, longest phrases first so "ngay mai" is not read as "ngay" + "mai".
_RELATIVE_DAYS: dict[str, int] = {
    "hom nay": 0,
    "chieu nay": 0,
    "sang nay": 0,
    "trua nay": 0,
    "toi nay": 0,
    "trong ngay": 0,
    "today": 0,
    "tonight": 0,
    "ngay mai": 1,
    "sang mai": 1,
    "trua mai": 1,
    "chieu mai": 1,
    "toi mai": 1,
    "tomorrow": 1,
    "mai": 1,
    "ngay kia": 2,
    "ngay mot": 2,
}
_RELATIVE = re.compile(r"\b(?:" + "|".join(_RELATIVE_DAYS) + r")\b")


def _nearest(day: int, month: int, today: date) -> date | None:
    """A date without a year: the valid occurrence closest to today (last, this or next year), ties toward the
    future. So on 28/12 "3/1" is next January, and on 6/1 "2/1" is four days ago. None when no year has it."""
    candidates: list[date] = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - today).days), d < today))


def _calendar_date(day: str, month: str, year: str | None, today: date) -> date | None:
    if year is None:
        return _nearest(int(day), int(month), today)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, int(month), int(day))
    except ValueError:  # 30/2, 32/1, 0/5, year 0
        return None


def shifted(today: date, days: int) -> date | None:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        return None


def _weekday(match: re.Match[str], today: date) -> date | None:
    # Vietnamese counts days from Sunday: thứ 2 is Monday (weekday 0) ... thứ 7 is Saturday (5); chủ nhật is 6.
    target = int(match.group(1)) - 2 if match.group(1) else 6
    ahead = (target - today.weekday()) % 7 + (7 if match.group(2) else 0)
    return shifted(today, ahead)


@dataclass
class Extracted:
    text: str  # folded, with PCT<i> / DATE<i> / BADDATE tokens in place of what was extracted
    percents: list[int | None]
    dates: list[date]


def extract(folded: str, today: date) -> Extracted:
    percents: list[int | None] = []
    dates: list[date] = []

    def percent(match: re.Match[str]) -> str:
        value = int(match.group(1))
        percents.append(value if value <= 100 else None)
        return f" PCT{len(percents) - 1} "

    def as_token(found: date | None) -> str:
        if found is None:
            return " BADDATE "
        dates.append(found)
        return f" DATE{len(dates) - 1} "

    def worded(match: re.Match[str]) -> str:
        return as_token(_calendar_date(match.group(1), match.group(2), match.group(3), today))

    def numeric(match: re.Match[str]) -> str:
        return as_token(_calendar_date(match.group(1), match.group(3), match.group(4), today))

    text = _PERCENT.sub(percent, folded, count=MAX_FOUND)
    text = _WORDED_DATE.sub(worded, text, count=MAX_FOUND)
    text = _NUMERIC_DATE.sub(numeric, text, count=MAX_FOUND)
    text = _WEEKDAY.sub(lambda m: as_token(_weekday(m, today)), text, count=MAX_FOUND)
    text = _RELATIVE.sub(lambda m: as_token(shifted(today, _RELATIVE_DAYS[m.group(0)])), text, count=MAX_FOUND)
    return Extracted(text, percents, dates)


# --- 3. Tokens and abbreviations ------------------------------------------------------------------------------

_TOKEN = re.compile(r"PCT[0-9]+|DATE[0-9]+|BADDATE|[a-z0-9]+")

_ABBREVIATIONS: dict[str, str] = {
    # không
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "kg": "khong",
    "hok": "khong",
    "hong": "khong",
    "khum": "khong",
    # chưa, đang, rồi, được, xong
    "chx": "chua",
    "dg": "dang",
    "dag": "dang",
    "wip": "dang",
    "r": "roi",
    "rui": "roi",
    "ruj": "roi",
    "roai": "roi",
    "dc": "duoc",
    "xg": "xong",
    "xog": "xong",
    # nouns of the trade
    "dk": "du kien",
    "dkien": "du kien",
    "sl": "so lieu",
    "bc": "bao cao",
    "bcao": "bao cao",
    "tl": "tra loi",
    "vs": "voi",
    "ld": "lanh dao",
    "ki": "ky",
    "tg": "thoi gian",
    "lm": "lam",
    "giahan": "gia han",
    "e": "em",
    "mk": "minh",
    "mik": "minh",
    # acknowledgements
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okay": "ok",
    "okela": "ok",
    "okey": "ok",
    # English contractions typed without the apostrophe
    "havent": "have not",
    "hasnt": "has not",
    "didnt": "did not",
    "dont": "do not",
    "doesnt": "does not",
    "isnt": "is not",
    "arent": "are not",
    "wont": "will not",
    "cannot": "can not",
}


def canonical_words(text: str) -> str:
    tokens = _TOKEN.findall(text)[:MAX_WORDS]
    return " ".join(_ABBREVIATIONS.get(token, token) for token in tokens)
