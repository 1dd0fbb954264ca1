"""The calendar as pure functions: working days, deadlines and their occurrences.

Deadline law (DOMAIN.md section 2, Bộ luật Dân sự 2015 Art. 146-148): "trước ngày X" excludes X, so the
period's last named day is X−1; "chậm nhất ngày X" includes X. Every deadline has two dates:

- the **legal last day** ("hạn chót theo quy định"): the last named day, moved by Art. 148.5 to the
  end of the next working day when it is a day off. A unit is late only from the day after it;
- the **day to aim for** ("nên gửi trước"): the last working day on or before the last named day, the
  day offices like and the reminder ladder counts towards.

On an ordinary weekday both are the same day; around a weekend or Tết they can lie ten days apart.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

import holidays

from scheduler.cycles import data_period as cycle_period
from scheduler.cycles import quarterly_month

Kind = Literal["once", "monthly", "quarterly", "yearly"]
Period = Literal["none", "monthly", "quarterly", "half-year", "last-half", "nine-months", "annual"]
_KINDS: tuple[Kind, ...] = ("once", "monthly", "quarterly", "yearly")
_PERIODS: tuple[Period, ...] = ("none", "monthly", "quarterly", "half-year", "last-half", "nine-months", "annual")
_ONE_DAY = timedelta(days=1)


class WorkCalendar:
    """Vietnamese working days: weekends, the `holidays` package, swaps, and the plan's overrides."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self._overrides = dict(overrides or {})  # day -> True when the day is off
        self._vn = holidays.country_holidays("VN")

    def is_working_day(self, day: date) -> bool:
        if day in self._overrides:
            return not self._overrides[day]
        if day in self._vn:
            return False
        if day in getattr(self._vn, "weekend_workdays", ()):
            return True
        return day.weekday() < 5

    def on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The working day `count` working days after (or before, if negative) `day`."""
        step = _ONE_DAY if count >= 0 else -_ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return count


@dataclass(frozen=True)
class DeadlineRule:
    """A duty's deadline as the plan file writes it.

    `start` ("from") and `until` bound the deadlines a rule names; `year` makes a yearly rule one-off
    (that year's deadline only), as a plan for one year means "6 months" and "the year" of that year.
    """

    kind: Kind
    inclusive: bool = False
    date: dt.date | None = None
    month: int | None = None
    day: int | None = None
    start: dt.date | None = None
    until: dt.date | None = None
    period: Period = "none"
    year: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeadlineRule:
        """Build and check a rule; raises ValueError with a readable reason."""
        unknown = sorted(set(data) - _FIELDS)
        if unknown:  # a field this code does not know would be silently ignored: "yaer = 2025" or a newer rule
            raise ValueError(f"unknown deadline field {unknown[0]!r}: use {', '.join(sorted(_FIELDS))}")
        kind = data.get("kind")
        if kind not in _KINDS:
            raise ValueError(f"deadline kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        period = data.get("period", "none")
        if period not in _PERIODS:
            raise ValueError(f"period must be one of {', '.join(_PERIODS)}, not {period!r}")
        try:
            rule = cls(
                kind=kind,
                inclusive=bool(data.get("inclusive", False)),
                date=_as_date(data.get("date")),
                month=data.get("month"),
                day=data.get("day"),
                start=_as_date(data.get("from")),
                until=_as_date(data.get("until")),
                period=period,
                year=data.get("year"),
            )
        except ValueError as exc:
            raise ValueError(f"a deadline date must be written YYYY-MM-DD: {exc}") from exc
        rule._check()
        return rule

    def _check(self) -> None:
        if self.kind == "once" and self.date is None:
            raise ValueError("a 'once' deadline needs a date")
        if self.kind != "once" and not _int_between(self.day, 1, 31):
            raise ValueError("a recurring deadline needs a day between 1 and 31")
        if self.kind == "yearly" and not _int_between(self.month, 1, 12):
            raise ValueError("a yearly deadline needs a month between 1 and 12")
        if self.kind == "quarterly" and self.month is not None and not _int_between(self.month, 1, 3):
            raise ValueError("a quarterly deadline's month is the quarter's 1st, 2nd or 3rd (its last), not another")
        for name, kinds in _ONLY_FOR.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                raise ValueError(f"{name} is for a {' or '.join(kinds)} deadline only, not a {self.kind} one")
        if self.year is not None and not _int_between(self.year, dt.MINYEAR, dt.MAXYEAR):
            raise ValueError(f"year must be a year such as 2025, not {self.year!r}")
        if self.start and self.until and self.until < self.start:
            raise ValueError(f"the deadline's until ({self.until}) is before its from ({self.start})")
        bounds = self._bounds()
        if bounds is not None and next(nominal_dates(self, start=bounds[0], end=bounds[1]), None) is None:
            raise ValueError(f"the deadline never falls between {bounds[0]} and {bounds[1]}")

    def _bounds(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day a deadline can fall on, when the rule has both."""
        lower = [self.start] if self.start else []
        upper = [self.until] if self.until else []
        if self.kind == "once" and self.date is not None:
            lower.append(self.date)
            upper.append(self.date)
        if self.year is not None:
            lower.append(dt.date(self.year, 1, 1))
            upper.append(dt.date(self.year, 12, 31))
        if not (lower and upper):
            return None
        return max(lower), min(upper)

    def within(self, start: dt.date | None, end: dt.date | None) -> DeadlineRule:
        """The rule's deadlines that also fall in [start, end]: those of a plan while it is in force."""
        lower = max(day for day in (self.start, start) if day) if self.start or start else None
        upper = min(day for day in (self.until, end) if day) if self.until or end else None
        return replace(self, start=lower, until=upper)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "inclusive": self.inclusive, "period": self.period}
        for name, value in (("date", self.date), ("from", self.start), ("until", self.until)):
            if value is not None:
                data[name] = value.isoformat()
        for name, number in (("month", self.month), ("day", self.day), ("year", self.year)):
            if number is not None:
                data[name] = number
        return data


_FIELDS = frozenset({"kind", "inclusive", "date", "month", "day", "from", "until", "period", "year"})
# A field the other kinds would silently ignore is refused.
_ONLY_FOR: dict[str, tuple[Kind, ...]] = {
    "date": ("once",),
    "day": ("monthly", "quarterly", "yearly"),
    "month": ("quarterly", "yearly"),
    "year": ("yearly",),
}


def _int_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Occurrence:
    """One deadline of one duty: the date the plan names, the day to aim for and the legal last day."""

    duty_key: str
    nominal: date
    inclusive: bool
    aim_day: date  # "nên gửi trước": reminders count towards it
    legal_last_day: date  # "hạn chót theo quy định": late only from the day after it
    period_start: date | None = None
    period_end: date | None = None

    @property
    def key(self) -> str:
        return f"{self.duty_key}@{self.nominal.isoformat()}"


def last_named_day(nominal: date, *, inclusive: bool) -> date:
    """The last day the plan's words allow: X for "chậm nhất ngày X", X−1 for "trước ngày X"."""
    return nominal if inclusive else nominal - _ONE_DAY


def aim_day(nominal: date, *, inclusive: bool, cal: WorkCalendar) -> date:
    """The day to aim for: the last working day on or before the last named day."""
    return cal.on_or_before(last_named_day(nominal, inclusive=inclusive))


def legal_last_day(nominal: date, *, inclusive: bool, cal: WorkCalendar) -> date:
    """The legal last day (Art. 148.5): the last named day, or the next working day when it is a day off."""
    return cal.on_or_after(last_named_day(nominal, inclusive=inclusive))


def nominal_dates(rule: DeadlineRule, *, start: date, end: date) -> Iterator[date]:
    """The deadlines the plan names that fall in [start, end] and within the rule's own bounds, in order."""
    lower = max(start, rule.start) if rule.start else start
    upper = min(end, rule.until) if rule.until else end
    if rule.year is not None:
        lower, upper = max(lower, date(rule.year, 1, 1)), min(upper, date(rule.year, 12, 31))
    if rule.kind == "once":
        assert rule.date is not None
        if lower <= rule.date <= upper:
            yield rule.date
        return
    assert rule.day is not None
    year, month = lower.year, lower.month
    while date(year, month, 1) <= upper:
        if rule.kind == "monthly" or _in_cycle(rule, month):
            nominal = date(year, month, min(rule.day, _stdcal.monthrange(year, month)[1]))
            if lower <= nominal <= upper:
                yield nominal
        if (year, month) == (dt.MAXYEAR, 12):
            return
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _in_cycle(rule: DeadlineRule, month: int) -> bool:
    if rule.kind == "quarterly":  # its month in the quarter: the last one unless the rule says
        return quarterly_month(month, rule.month or 3)
    return month == rule.month


def data_period(rule: DeadlineRule, nominal: date) -> tuple[date, date] | None:
    """The reporting period a report covers (Decree 09/2019 Art. 12: `scheduler.cycles`)."""
    return cycle_period(rule.period, nominal)


def occurrences(duty_key: str, rule: DeadlineRule, cal: WorkCalendar, *, start: date, end: date) -> list[Occurrence]:
    """Every occurrence whose named deadline falls in [start, end]."""
    result = []
    for nominal in nominal_dates(rule, start=start, end=end):
        period = data_period(rule, nominal)
        result.append(
            Occurrence(
                duty_key=duty_key,
                nominal=nominal,
                inclusive=rule.inclusive,
                aim_day=aim_day(nominal, inclusive=rule.inclusive, cal=cal),
                legal_last_day=legal_last_day(nominal, inclusive=rule.inclusive, cal=cal),
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
            )
        )
    return result


def next_occurrence(duty_key: str, rule: DeadlineRule, cal: WorkCalendar, *, today: date) -> Occurrence | None:
    """The first occurrence whose legal last day is today or later, if the rule has one."""
    # A legal last day on a day off moves forward, at most a couple of weeks (Tết).
    window_start = today - timedelta(days=15)
    for occurrence in occurrences(duty_key, rule, cal, start=window_start, end=today + timedelta(days=800)):
        if occurrence.legal_last_day >= today:
            return occurrence
    return None
