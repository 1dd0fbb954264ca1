"""The periods an office rates its units over, as people type them (issue 25, `/dunghan`).

"tháng 11/2026", "quý 4/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "9 tháng 2026",
"năm 2026"; without a year, the current one ("quý 4"). A period is calendar days (a report counts in
the period its legal last day falls in), and its name is said back the way it was asked.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from messages.i18n import gettext_for
from messages.text import fold

PeriodKind = Literal["month", "quarter", "first_half", "last_half", "nine_months", "year", "year_so_far"]


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int = 0  # the month or the quarter
    start: date = date.min
    end: date = date.max


@dataclass(frozen=True)
class PeriodRefused:
    """Words that look like a period but name none: why, in one sentence."""

    reason: Literal["month", "quarter", "year"]
    said: str


_YEAR = r"(?:\s*(?:/|nam)?\s*(\d{4}))?"
_FORMS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    ("first_half", re.compile(r"6 thang dau nam" + _YEAR)),
    ("last_half", re.compile(r"6 thang cuoi nam" + _YEAR)),
    ("nine_months", re.compile(r"9 thang(?: dau nam)?" + _YEAR)),
    ("month", re.compile(r"thang (\d{1,2})" + _YEAR)),
    ("quarter", re.compile(r"quy (\d{1,2}|i{1,3}|iv)" + _YEAR)),
    ("year", re.compile(r"nam (\d{4})")),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def looks_like_period(text: str) -> bool:
    folded = fold(text)
    return bool(re.match(r"(thang|quy|nam|6 thang|9 thang)\b", folded))


def read_period(text: str, *, today: date) -> Period | PeriodRefused | None:
    """The period these words name; a refusal when they try and fail; None when they are no period."""
    folded = fold(text).replace(" - ", "/")
    for kind, pattern in _FORMS:
        found = pattern.fullmatch(folded)
        if found is None:
            continue
        groups = list(found.groups())
        year = int(groups[-1]) if groups[-1] else today.year
        if not 1900 < year < 2200:
            return PeriodRefused("year", text.strip())
        number = 0
        if kind in ("month", "quarter"):
            raw = groups[0]
            number = _ROMAN[raw] if raw in _ROMAN else int(raw)
            if kind == "month" and not 1 <= number <= 12:
                return PeriodRefused("month", text.strip())
            if kind == "quarter" and not 1 <= number <= 4:
                return PeriodRefused("quarter", text.strip())
        start, end = _bounds(kind, year, number)
        return Period(kind, year, number, start, end)
    return PeriodRefused("month", text.strip()) if looks_like_period(text) else None


def month_of(day: date) -> Period:
    """The calendar month `day` is in."""
    start, end = _bounds("month", day.year, day.month)
    return Period("month", day.year, day.month, start, end)


def year_so_far(today: date) -> Period:
    return Period("year_so_far", today.year, 0, date(today.year, 1, 1), today)


def _bounds(kind: PeriodKind, year: int, number: int) -> tuple[date, date]:
    if kind == "month":
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if kind == "quarter":
        last = number * 3
        return date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1])
    if kind == "first_half":
        return date(year, 1, 1), date(year, 6, 30)
    if kind == "last_half":
        return date(year, 7, 1), date(year, 12, 31)
    if kind == "nine_months":
        return date(year, 1, 1), date(year, 9, 30)
    return date(year, 1, 1), date(year, 12, 31)


def period_name(period: Period, locale: str) -> str:
    """'quý 4/2026', 'tháng 11/2026', 'năm 2026 (đến 08/12)'."""
    _ = gettext_for(locale)
    names = {
        "month": _("month {number}/{year}"),
        "quarter": _("quarter {number}/{year}"),
        "first_half": _("the first 6 months of {year}"),
        "last_half": _("the last 6 months of {year}"),
        "nine_months": _("the first 9 months of {year}"),
        "year": _("the year {year}"),
        "year_so_far": _("{year} so far (to {day:%d/%m})"),
    }
    return names[period.kind].format(number=period.number, year=period.year, day=period.end)


def refused(refusal: PeriodRefused, locale: str) -> str:
    _ = gettext_for(locale)
    if refusal.reason == "quarter":
        return _("A year has four quarters: write quý 1 to quý 4, for example /dunghan quý 4/2026.")
    if refusal.reason == "year":
        return _("“{said}” names no year I can rate: write it as 2026, for example /dunghan năm 2026.").format(
            said=refusal.said[:60]
        )
    return _(
        "“{said}” is no period I know: write tháng 11/2026 (months 1 to 12), quý 4/2026, "
        "6 tháng đầu năm 2026, 6 tháng cuối năm 2026, 9 tháng 2026 or năm 2026."
    ).format(said=refusal.said[:60])


def not_begun(period: Period, locale: str) -> str:
    _ = gettext_for(locale)
    name = period_name(period, locale)
    return _("{period} has not begun yet: no report of it is due. Ask for a period that has begun.").format(
        period=name[:1].upper() + name[1:]
    )
