"""A recurring task's next deadlines for its previews (`/giao`, the plan sheet, `/nhiemvu`): issue 25."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from messages.cycles import Deadline
from scheduler.calendar import DeadlineRule, WorkCalendar
from scheduler.next_deadlines import next_deadlines


def upcoming(rule: Mapping[str, Any] | DeadlineRule, cal: WorkCalendar, *, today: date) -> list[Deadline]:
    """The next four deadlines of a recurring rule (within its plan's days in force, when it is given
    as a rule already bounded), each with both dates; none for a one-off one."""
    bounded = rule if isinstance(rule, DeadlineRule) else DeadlineRule.from_dict(rule)
    found = next_deadlines("preview", bounded, cal, today=today)
    return [Deadline(o.nominal, o.aim_day, o.legal_last_day, o.period_start, o.period_end) for o in found]
