"""A recurring duty's next deadlines, each with both dates: what a preview lists (issue 25)."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, occurrences

SHOWN = 4


def next_deadlines(duty_key: str, rule: DeadlineRule, cal: WorkCalendar, *, today: date) -> list[Occurrence]:
    """The first `SHOWN` occurrences whose legal last day is today or later (none for a one-off deadline)."""
    if rule.kind == "once" or (rule.kind == "yearly" and rule.year is not None):
        return []
    # four yearly deadlines take four years; a legal last day may move forward a couple of weeks (Tết)
    found = occurrences(duty_key, rule, cal, start=today - timedelta(days=15), end=today + timedelta(days=4 * 366))
    return [occurrence for occurrence in found if occurrence.legal_last_day >= today][:SHOWN]
