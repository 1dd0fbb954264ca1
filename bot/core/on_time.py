"""On time, late or not sent: the one reading of a report every view and the on-time record use (issue 25).

Sent on or before the legal last day (a granted extension's day, when there is one) is "đúng hạn";
after it, late by the working days between, and that stays visible after the report arrives. A report
the office closed counts as not sent; one it exempted counts in neither.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar

Kind = Literal["on_time", "late", "not_sent", "exempt", "not_due"]


class Verdict(NamedTuple):
    kind: Kind
    late: int  # working days past the legal last day: when it was sent, or until today when it was not


def sent_day(sent_at: datetime | None, tz: ZoneInfo) -> date | None:
    """The local day a report was sent (storage keeps UTC)."""
    return sent_at.astimezone(tz).date() if sent_at is not None else None


def verdict(
    status: str | None, sent_on: date | None, *, legal_last_day: date, today: date, cal: WorkCalendar
) -> Verdict:
    """How a unit stands with one report on `today`."""
    if status == "exempt":
        return Verdict("exempt", 0)
    if status == "done":
        if sent_on is None or sent_on <= legal_last_day:  # no moment known: the office said it came
            return Verdict("on_time", 0)
        return Verdict("late", cal.working_days_between(legal_last_day, sent_on))
    if status == "closed":
        return Verdict("not_sent", 0)  # the office closed it: no reminder, no lateness that grows
    if today > legal_last_day:
        return Verdict("not_sent", cal.working_days_between(legal_last_day, today))
    return Verdict("not_due", 0)
