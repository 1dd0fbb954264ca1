"""A unit's next deadline: the first one named on a day the unit is valid."""

from datetime import date

import pytest

from bot.core.context import next_for_unit
from scheduler.calendar import DeadlineRule, WorkCalendar
from storage.models import Unit

CAL = WorkCalendar()
MONTHLY = DeadlineRule.from_dict({"kind": "monthly", "day": 20, "from": "2025-01-01", "until": "2025-12-31"})


def unit(valid_from: date | None = None, valid_to: date | None = None) -> Unit:
    return Unit(key="u", name="U", short_name="U", kind="phuong", valid_from=valid_from, valid_to=valid_to)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "today", "nominal"),
    [
        (None, None, date(2025, 1, 2), date(2025, 1, 20)),
        (date(2025, 7, 1), None, date(2025, 1, 2), date(2025, 7, 20)),  # a unit that starts later: its first one
        (date(2025, 7, 21), None, date(2025, 1, 2), date(2025, 8, 20)),
        (None, date(2025, 6, 30), date(2025, 6, 21), None),  # ended before the next one
        (None, date(2025, 6, 30), date(2025, 6, 19), date(2025, 6, 20)),  # 19/6 is the last day of 20/6's
        (date(2026, 1, 1), None, date(2025, 1, 2), None),  # starts after the rule ends
    ],
)
def test_next_for_unit(valid_from: date | None, valid_to: date | None, today: date, nominal: date | None) -> None:
    found = next_for_unit("m", MONTHLY, CAL, unit(valid_from, valid_to), today=today)
    assert (found.nominal if found else None) == nominal
