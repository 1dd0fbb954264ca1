"""The one reading of a report every view uses (issue 25): on time, late by working days, not sent,
exempt, or not due yet, against a table worked out by hand from the 2025 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.on_time import Verdict, sent_day, verdict
from scheduler.calendar import WorkCalendar

CAL = WorkCalendar()
D = date
PLAN = D(2025, 1, 9)  # the 2025 plan, "trước ngày 10/01/2025": legal last day Thursday 09/01
SIX = D(2025, 6, 16)  # "trước ngày 15/6/2025": 14/6 a Saturday, legal last day Monday 16/06
TET = D(2026, 2, 23)  # "trước ngày 20/02/2026": Tết 16-20/02, legal last day Monday 23/02


@pytest.mark.parametrize(
    ("status", "sent_on", "legal", "today", "expected"),
    [
        ("done", D(2025, 1, 9), PLAN, D(2025, 1, 20), Verdict("on_time", 0)),  # on the legal last day
        ("done", D(2025, 1, 6), PLAN, D(2025, 1, 20), Verdict("on_time", 0)),
        ("done", D(2025, 1, 10), PLAN, D(2025, 1, 20), Verdict("late", 1)),
        ("done", D(2025, 1, 13), PLAN, D(2025, 1, 20), Verdict("late", 2)),  # Friday 10, Monday 13
        ("done", D(2025, 6, 18), SIX, D(2025, 7, 1), Verdict("late", 2)),  # Tuesday 17, Wednesday 18
        ("done", D(2025, 6, 16), SIX, D(2025, 7, 1), Verdict("on_time", 0)),  # the Monday after the weekend
        ("done", D(2026, 2, 23), TET, D(2026, 3, 1), Verdict("on_time", 0)),  # after Tết, still on time
        ("done", D(2026, 2, 24), TET, D(2026, 3, 1), Verdict("late", 1)),
        ("done", None, PLAN, D(2025, 1, 20), Verdict("on_time", 0)),  # no moment known
        ("done", D(2025, 1, 14), D(2025, 1, 15), D(2025, 1, 20), Verdict("on_time", 0)),  # within an extension
        (None, None, PLAN, D(2025, 1, 13), Verdict("not_sent", 2)),
        ("in_progress", None, PLAN, D(2025, 2, 3), Verdict("not_sent", 12)),  # Tết 27-31/01 not counted
        ("in_progress", None, PLAN, D(2025, 1, 9), Verdict("not_due", 0)),
        (None, None, SIX, D(2025, 6, 16), Verdict("not_due", 0)),
        ("closed", None, PLAN, D(2025, 3, 1), Verdict("not_sent", 0)),  # closed by the office: not sent
        ("exempt", None, PLAN, D(2025, 3, 1), Verdict("exempt", 0)),  # exempted: counts in neither
    ],
)
def test_the_verdict_table(
    status: str | None, sent_on: date | None, legal: date, today: date, expected: Verdict
) -> None:
    assert verdict(status, sent_on, legal_last_day=legal, today=today, cal=CAL) == expected


def test_the_day_sent_is_the_local_day() -> None:
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    assert sent_day(datetime(2025, 1, 9, 18, 30, tzinfo=UTC), tz) == D(2025, 1, 10)  # 01:30 on the 10th there
    assert sent_day(None, tz) is None
