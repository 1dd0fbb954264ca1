"""A deadline as an office writes it, read into a deadline rule (the plan file's `deadline`, checked by
scheduler.calendar.DeadlineRule): `/giao`, `/nhiemvu` and the plan sheet read the same words.

- "trước 04/12/2026" (or "trước ngày ..."): the named day is excluded (inclusive false);
- "chậm nhất 04/12/2026", "hạn 04/12/2026", "đến hết ngày 04/12/2026" or a bare "04/12/2026": the named
  day is included;
- "ngày 20 hằng tháng" (also "hàng tháng", "mỗi tháng"), optionally "... đến tháng 12/2026": monthly,
  the 20th, before it ("trước ngày 20 hằng tháng") or on it;
- "15/6 hằng năm" (also "ngày 15/6 hàng năm", "trước 15/6 hằng năm"): yearly.
- "ngày 20 hằng quý", "trước ngày 15 tháng cuối quý" (also "tháng đầu quý", "tháng giữa quý"): quarterly,
  its data period the quarter's (Decree 09/2019 Art. 12);
- a data period after a deadline ("trước 15/12 hằng năm 6 tháng cuối năm", "... 9 tháng"), or alone
  ("6 tháng đầu năm", "6 tháng cuối năm", "9 tháng": before the 15th of the period's last month).
Diacritics may be left out ("truoc 4/12/2026", "ngay 20 hang thang"). A year may be written with two
digits ("4/12/26"). A bare day and month ("04/12") means the next such day from today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from messages.text import fold

_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?"
_BEFORE = re.compile(r"^truoc(?:\s+ngay)?\s+")
_INCLUDED = re.compile(r"^(?:cham nhat(?: ngay)?|han(?: chot)?(?: ngay)?|den het(?: ngay)?|den ngay|ngay)\s+")
_UNTIL_MONTH = r"(?:\s+den\s+(?:het\s+)?thang\s+(\d{1,2})\s*[/.-]\s*(\d{4}))?"
_EVERY_MONTH = re.compile(rf"^(?:ngay\s+)?(\d{{1,2}})\s+(?:hang|moi)\s+thang{_UNTIL_MONTH}$")
_EVERY_YEAR = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s+(?:hang|moi)\s+nam$")
_ONE_DAY = re.compile(rf"^{_DATE}$")
_EVERY_QUARTER = re.compile(
    rf"^(?:ngay\s+)?(\d{{1,2}})\s+(?:(?:hang|moi)\s+quy|thang\s+(dau|giua|cuoi)\s+(?:cua\s+)?(?:(?:hang|moi)\s+)?quy)"
    rf"{_UNTIL_MONTH}$"
)
_PERIOD_WORDS = {"6 thang dau nam": "half-year", "6 thang cuoi nam": "last-half", "9 thang": "nine-months"}
_PERIOD_TAIL = re.compile(
    r"^(?:(.*?)\s+)?(?:\(?(?:bao cao|ky)\s+)?(6 thang dau nam|6 thang cuoi nam|9 thang)(?: dau nam)?\)?$"
)
_PERIOD_ALONE = {"half-year": 6, "last-half": 12, "nine-months": 9}  # the month of its "trước ngày 15"
_IN_QUARTER = {"dau": 1, "giua": 2, "cuoi": 3}


@dataclass(frozen=True)
class DeadlineWords:
    """What was read: the rule (the plan file's `deadline` table), or the reason it could not be read."""

    rule: dict[str, Any] | None
    problem: str | None = None  # "date" (no such day), "past" (the day is over), "words" (not a deadline)


def read_deadline(text: str, *, today: dt.date) -> DeadlineWords:
    """The deadline these words name; `problem` says what could not be read."""
    words = " ".join(fold(text).replace(",", " ").split())
    period = None
    if (tail := _PERIOD_TAIL.match(words)) is not None:
        words, period = (tail[1] or "").strip(), _PERIOD_WORDS[tail[2]]
        if not words:  # "6 tháng cuối năm" alone: before the 15th of the period's last month
            rule = {"kind": "yearly", "month": _PERIOD_ALONE[period], "day": 15, "inclusive": False}
            return DeadlineWords(rule | {"period": period})
    found = _read(words, today)
    if period is not None and found.rule is not None and found.rule["kind"] in ("once", "yearly"):
        return DeadlineWords(found.rule | {"period": period})
    return found


def _read(words: str, today: dt.date) -> DeadlineWords:
    inclusive = True
    if (before := _BEFORE.match(words)) is not None:
        words, inclusive = words[before.end() :], False
    elif (included := _INCLUDED.match(words)) is not None and not (
        _EVERY_MONTH.match(words) or _EVERY_QUARTER.match(words)
    ):
        words = words[included.end() :]
    if (monthly := _EVERY_MONTH.match(words)) is not None:
        return _monthly(monthly, inclusive, today)
    if (quarterly := _EVERY_QUARTER.match(words)) is not None:
        return _quarterly(int(quarterly[1]), quarterly[2], (quarterly[3], quarterly[4]), inclusive, today)
    if words in ("hang quy", "moi quy"):  # the cut-off ends on the 14th of the quarter's last month
        return _quarterly(15, None, (None, None), False, today)
    if (yearly := _EVERY_YEAR.match(words)) is not None:
        day, month = int(yearly[1]), int(yearly[2])
        if not _exists(2024, month, day):  # a leap year: 29/2 is a day
            return DeadlineWords(None, "date")
        return DeadlineWords({"kind": "yearly", "month": month, "day": day, "inclusive": inclusive})
    if (once := _ONE_DAY.match(words)) is not None:
        return _once(once, inclusive, today)
    return DeadlineWords(None, "words")


def _once(found: re.Match[str], inclusive: bool, today: dt.date) -> DeadlineWords:
    day, month = int(found[1]), int(found[2])
    year = _year(found[3], today)
    if year is None:  # "04/12": the next such day
        year = (
            today.year
            if _exists(today.year, month, day) and dt.date(today.year, month, day) >= today
            else today.year + 1
        )
    if not _exists(year, month, day):
        return DeadlineWords(None, "date")
    named = dt.date(year, month, day)
    if named < today or (named == today and not inclusive):
        return DeadlineWords(None, "past")
    return DeadlineWords({"kind": "once", "date": named.isoformat(), "inclusive": inclusive})


def _quarterly(
    day: int, which: str | None, until: tuple[str | None, ...], inclusive: bool, today: dt.date
) -> DeadlineWords:
    """ "ngày 20 hằng quý" (the quarter's last month), "trước ngày 15 tháng cuối quý", "... tháng đầu quý"."""
    if not 1 <= day <= 31:
        return DeadlineWords(None, "date")
    rule: dict[str, Any] = {"kind": "quarterly", "day": day, "inclusive": inclusive, "from": today.isoformat()}
    if which is not None and _IN_QUARTER[which] != 3:
        rule["month"] = _IN_QUARTER[which]
    return _until(rule | {"period": "quarterly"}, until[0], until[1], today)


def _monthly(found: re.Match[str], inclusive: bool, today: dt.date) -> DeadlineWords:
    day = int(found[1])
    if not 1 <= day <= 31:
        return DeadlineWords(None, "date")
    rule: dict[str, Any] = {"kind": "monthly", "day": day, "inclusive": inclusive, "from": today.isoformat()}
    return _until(rule, found[2], found[3], today)


def _until(rule: dict[str, Any], month_said: str | None, year_said: str | None, today: dt.date) -> DeadlineWords:
    """A recurring rule's "đến tháng 12/2026": its last month."""
    if month_said is not None and year_said is not None:
        month, year = int(month_said), int(year_said)
        if not 1 <= month <= 12:
            return DeadlineWords(None, "date")
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if last < today:
            return DeadlineWords(None, "past")
        rule["until"] = last.isoformat()
    return DeadlineWords(rule)


def _year(written: str | None, today: dt.date) -> int | None:
    if written is None:
        return None
    year = int(written)
    return 2000 + year if year < 100 else year


def _exists(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def read_day(text: str, *, today: dt.date) -> tuple[dt.date | None, str | None]:
    """One day as an office writes it ("24/11/2026", "24/11"), today or later: the day, or the problem
    ("date": no such day, "past", "words": not a day)."""
    if not _ONE_DAY.match(" ".join(fold(text).split())):
        return None, "words"
    found = read_deadline(text, today=today)
    if found.rule is None:
        return None, found.problem
    return dt.date.fromisoformat(found.rule["date"]), None


def deadline_text(rule: dict[str, Any]) -> str:
    """A deadline rule in the words `read_deadline` reads ("trước 04/12/2026", "ngày 20 hằng tháng đến
    tháng 12/2026", "trước 15/06 hằng năm"): what the plan sheet shows, and reads back to the same rule
    (a rule's first day and data period are not written)."""
    before = not rule.get("inclusive", False)
    kind = rule.get("kind")
    if kind == "once":
        day = dt.date.fromisoformat(str(rule["date"]))
        return _with_period(("trước " if before else "chậm nhất ") + f"{day:%d/%m/%Y}", rule)
    if kind in ("monthly", "quarterly"):
        if kind == "monthly":
            words = ("trước ngày " if before else "ngày ") + f"{rule['day']} hằng tháng"
        else:
            which = {1: "đầu", 2: "giữa"}.get(int(rule.get("month") or 3), "cuối")
            words = ("trước ngày " if before else "ngày ") + f"{rule['day']} tháng {which} quý"
        if rule.get("until"):
            until = dt.date.fromisoformat(str(rule["until"]))
            words += f" đến tháng {until:%m/%Y}"
        return words
    return _with_period(_yearly_text(rule, before=before), rule)


def _yearly_text(rule: dict[str, Any], *, before: bool) -> str:
    named = f"{int(rule['day']):02d}/{int(rule['month']):02d}"
    if rule.get("year"):  # that year's deadline only
        return ("trước " if before else "chậm nhất ") + f"{named}/{rule['year']}"
    return ("trước " if before else "") + f"{named} hằng năm"


def _with_period(words: str, rule: dict[str, Any]) -> str:
    """The data period the new cycles name in words (the older ones are the plan file's)."""
    tail = {"half-year": "6 tháng đầu năm", "last-half": "6 tháng cuối năm", "nine-months": "9 tháng"}.get(
        str(rule.get("period"))
    )
    return f"{words} {tail}" if tail else words
