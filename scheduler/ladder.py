"""The reminder ladder: when each step of an occurrence is due, as a pure function of the calendar.

A step is written "-7d" (calendar days before the day to aim for), "-3w" (working days before), "0"
(the day to aim for itself) or "+1w" (working days after the legal last day: an overdue nudge);
">head" and ">office" copy the step to the unit's head or to the office. Reminders count towards the
day to aim for, lateness from the legal last day (scheduler/calendar.py): between the two a unit is
on time, and no nudge goes out. Messages go out only on working days between 07:30 and
20:00. A reminder (a step before the day to aim for) that falls on days off moves earlier, to the last
working day before them: moved later it would crowd the deadline's eve. Any other moment outside moves
to the next allowed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar

DEFAULT_LADDER = ("-7d", "-3w", "-1w", "0", "+1w>head", "+3w>office", "+7w")
QUIET_START = time(7, 30)  # the first moment a message may go out
QUIET_END = time(20, 0)  # no message from this moment on
_STEP = re.compile(r"^(?:(?P<zero>0)|(?P<sign>[+-])(?P<n>\d{1,2})(?P<kind>[dw]))(?P<copies>(?:>(?:head|office))*)$")


@dataclass(frozen=True)
class Step:
    key: str  # "-7d", "0", "+1w": unique within a ladder
    offset: int
    working_days: bool
    copy_to: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.offset > 0


@dataclass(frozen=True)
class Due:
    step: Step
    at: datetime  # aware, UTC


def parse_step(text: str) -> Step:
    found = _STEP.match(text.strip())
    if found is None:
        raise ValueError(f"not a ladder step: {text!r} (examples: -7d, -3w, 0, +1w>head)")
    copies = tuple(part for part in found["copies"].split(">") if part)
    if found["zero"]:
        return Step("0", 0, True, copies)
    offset = int(found["n"]) * (-1 if found["sign"] == "-" else 1)
    kind = found["kind"]
    key = "0" if offset == 0 else f"{offset:+d}{kind}"
    return Step(key, offset, kind == "w", copies)


def parse_ladder(steps: Sequence[str]) -> list[Step]:
    parsed = [parse_step(step) for step in (steps or DEFAULT_LADDER)]
    keys = [step.key for step in parsed]
    if len(set(keys)) != len(keys):
        raise ValueError(f"a ladder step is given twice: {', '.join(steps)}")
    return parsed


def parse_hour(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def allowed_moment(moment: datetime, cal: WorkCalendar, tz: ZoneInfo) -> datetime:
    """The first moment at or after `moment` when a message may go out (a working day, 07:30-20:00)."""
    local = moment.astimezone(tz)
    day = local.date()
    if cal.is_working_day(day) and QUIET_START <= local.time() < QUIET_END:
        return moment
    if not cal.is_working_day(day) or local.time() >= QUIET_END:
        day = cal.on_or_after(day + timedelta(days=1)) if local.time() >= QUIET_END else cal.on_or_after(day)
    return datetime.combine(day, QUIET_START, tzinfo=tz).astimezone(moment.tzinfo)


def step_day(aim_day: date, legal_last_day: date, step: Step, cal: WorkCalendar) -> date:
    """The day a step falls on: reminders before the day to aim for, nudges after the legal last day."""
    base = legal_last_day if step.overdue else aim_day
    if step.working_days:
        return cal.add_working_days(base, step.offset)
    day = base + timedelta(days=step.offset)
    return cal.on_or_before(day) if step.offset < 0 else day


def schedule(
    aim_day: date, legal_last_day: date, ladder: Sequence[Step], *, hour: time, cal: WorkCalendar, tz: ZoneInfo
) -> list[Due]:
    """When each step is due, in order, every moment moved into the allowed hours."""
    result: list[Due] = []
    for step in ladder:
        wanted = datetime.combine(step_day(aim_day, legal_last_day, step, cal), hour, tzinfo=tz)
        result.append(Due(step, allowed_moment(wanted, cal, tz).astimezone(UTC)))
    result.sort(key=lambda due: (due.at, due.step.offset))
    # Two steps moved onto the same moment (a long holiday) make one message: the later step's.
    return [due for index, due in enumerate(result) if index + 1 == len(result) or result[index + 1].at != due.at]


def current_step(dues: Sequence[Due], now: datetime, *, grace: timedelta = timedelta(hours=24)) -> Due | None:
    """The step to send at `now`: the latest one already due, unless the whole ladder ended long ago.

    Older due steps are dropped, so after downtime a person gets one reminder, not a burst.
    """
    passed = [due for due in dues if due.at <= now]
    if not passed:
        return None
    latest = passed[-1]
    if latest is dues[-1] and now >= latest.at + grace:
        return None
    return latest
