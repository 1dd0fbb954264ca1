"""The calendar this project ships for 2025-2027, day by day: the pinned `holidays` package plus the shipped
plan's corrections (`[[calendar]]` in storage/plans/my-hao-2025.toml), as scheduler/calendar.py reads them.

Every deadline's two dates come from this calendar, so an upgrade of `holidays` that moves a day (a new
holiday, a swap announced late, a lunar date computed anew) must be seen here first: then check the
government's announcement, and change this table, the plan's corrections or the pin in pyproject.toml
and requirements.lock, knowingly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.settings import SHIPPED_PLAN
from scheduler.calendar import WorkCalendar
from storage.plan_file import read_plan

# Monday to Friday days off: Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4 and 1/5, Quốc khánh,
# the days given in exchange for a Saturday worked, and from 2026 Ngày Văn hóa Việt Nam (24/11).
WEEKDAYS_OFF = {
    2025: [
        "01-01",
        "01-27", "01-28", "01-29", "01-30", "01-31",
        "04-07",
        "04-30", "05-01", "05-02",
        "09-01", "09-02",
    ],
    2026: [
        "01-01", "01-02",
        "02-16", "02-17", "02-18", "02-19", "02-20",
        "04-27",
        "04-30", "05-01",
        "08-31", "09-01", "09-02",
        "11-24",
    ],
    2027: [
        "01-01",
        "02-04", "02-05", "02-08", "02-09", "02-10",
        "04-16",
        "04-30", "05-03",
        "09-02", "09-03",
        "11-24",
    ],
}  # fmt: skip
# Saturdays and Sundays worked, in exchange for a weekday off.
WEEKENDS_WORKED = {
    2025: ["04-26"],
    2026: ["01-10", "08-22"],
    2027: [],
}


def _days(year: int, days: list[str]) -> set[date]:
    return {date.fromisoformat(f"{year}-{day}") for day in days}


@pytest.fixture(scope="module")
def shipped() -> WorkCalendar:
    plan = read_plan(SHIPPED_PLAN)
    return WorkCalendar({day.date: day.off for day in plan.calendar})


@pytest.mark.parametrize("year", sorted(WEEKDAYS_OFF))
def test_the_shipped_calendar_is_the_table(shipped: WorkCalendar, year: int) -> None:
    off, worked = _days(year, WEEKDAYS_OFF[year]), _days(year, WEEKENDS_WORKED[year])
    assert all(day.weekday() < 5 for day in off), "the table lists weekdays off only"
    assert all(day.weekday() >= 5 for day in worked), "the table lists weekend days worked only"
    day, found_off, found_worked = date(year, 1, 1), set(), set()
    while day.year == year:
        working = shipped.is_working_day(day)
        if day.weekday() < 5 and not working:
            found_off.add(day)
        if day.weekday() >= 5 and working:
            found_worked.add(day)
        day += timedelta(days=1)
    assert sorted(found_off) == sorted(off)
    assert sorted(found_worked) == sorted(worked)
