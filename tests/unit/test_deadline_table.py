"""Every occurrence of the Mỹ Hào plan's deadline rules from 01/2025 to 12/2027, with both of its dates.

Built from the official days off: 2025 Tết 27-31/01, 7/4, 30/4-2/5 with Saturday 26/4 worked, 1-2/9;
2026 1/1 and 2/1 off with Saturday 10/1 worked (the plan's correction, 12729/VPCP-KGVX), Tết 16-20/02;
later years as the `holidays` package has them until the government's notices reach the plan's
corrections. The rules are the plan's, run for three years: the shipped plan stops most of them in 2025
(tests/integration/test_plan_seed.py), but a plan that keeps them must get every date right.

Each row: duty, the date the plan names ("trước ngày X"), the day to aim for ("nên gửi trước": the
last working day before X) and the legal last day ("hạn chót theo quy định": X−1, moved to the next
working day when it is a day off, Bộ luật Dân sự 2015 Art. 148).
"""

from datetime import date as d
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, occurrences
from scheduler.ladder import DEFAULT_LADDER, parse_ladder, schedule

CAL = WorkCalendar({d(2026, 1, 2): True, d(2026, 1, 10): False})  # the plan's 2026 correction
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
KH = "ke-hoach-2025"
THANG = "bao-cao-thang-cam-ket"
SAU_THANG = "bao-cao-6-thang"
NAM = "bao-cao-nam"
RULES = {
    KH: {"kind": "once", "date": "2025-01-10"},
    THANG: {"kind": "monthly", "day": 20, "from": "2025-01-01", "period": "monthly"},
    SAU_THANG: {"kind": "yearly", "month": 6, "day": 15, "from": "2025-01-01", "period": "half-year"},
    NAM: {"kind": "yearly", "month": 12, "day": 15, "from": "2025-01-01", "period": "annual"},
}

TABLE = [
    (KH, d(2025, 1, 10), d(2025, 1, 9), d(2025, 1, 9)),
    (THANG, d(2025, 1, 20), d(2025, 1, 17), d(2025, 1, 20)),  # Fri / Mon
    (THANG, d(2025, 2, 20), d(2025, 2, 19), d(2025, 2, 19)),
    (THANG, d(2025, 3, 20), d(2025, 3, 19), d(2025, 3, 19)),
    (THANG, d(2025, 4, 20), d(2025, 4, 18), d(2025, 4, 21)),  # Fri / Mon
    (THANG, d(2025, 5, 20), d(2025, 5, 19), d(2025, 5, 19)),
    (SAU_THANG, d(2025, 6, 15), d(2025, 6, 13), d(2025, 6, 16)),  # Fri / Mon
    (THANG, d(2025, 6, 20), d(2025, 6, 19), d(2025, 6, 19)),
    (THANG, d(2025, 7, 20), d(2025, 7, 18), d(2025, 7, 21)),  # Fri / Mon
    (THANG, d(2025, 8, 20), d(2025, 8, 19), d(2025, 8, 19)),
    (THANG, d(2025, 9, 20), d(2025, 9, 19), d(2025, 9, 19)),
    (THANG, d(2025, 10, 20), d(2025, 10, 17), d(2025, 10, 20)),  # Fri / Mon
    (THANG, d(2025, 11, 20), d(2025, 11, 19), d(2025, 11, 19)),
    (NAM, d(2025, 12, 15), d(2025, 12, 12), d(2025, 12, 15)),  # Fri / Mon
    (THANG, d(2025, 12, 20), d(2025, 12, 19), d(2025, 12, 19)),
    (THANG, d(2026, 1, 20), d(2026, 1, 19), d(2026, 1, 19)),
    (THANG, d(2026, 2, 20), d(2026, 2, 13), d(2026, 2, 23)),  # Fri / Mon
    (THANG, d(2026, 3, 20), d(2026, 3, 19), d(2026, 3, 19)),
    (THANG, d(2026, 4, 20), d(2026, 4, 17), d(2026, 4, 20)),  # Fri / Mon
    (THANG, d(2026, 5, 20), d(2026, 5, 19), d(2026, 5, 19)),
    (SAU_THANG, d(2026, 6, 15), d(2026, 6, 12), d(2026, 6, 15)),  # Fri / Mon
    (THANG, d(2026, 6, 20), d(2026, 6, 19), d(2026, 6, 19)),
    (THANG, d(2026, 7, 20), d(2026, 7, 17), d(2026, 7, 20)),  # Fri / Mon
    (THANG, d(2026, 8, 20), d(2026, 8, 19), d(2026, 8, 19)),
    (THANG, d(2026, 9, 20), d(2026, 9, 18), d(2026, 9, 21)),  # Fri / Mon
    (THANG, d(2026, 10, 20), d(2026, 10, 19), d(2026, 10, 19)),
    (THANG, d(2026, 11, 20), d(2026, 11, 19), d(2026, 11, 19)),
    (NAM, d(2026, 12, 15), d(2026, 12, 14), d(2026, 12, 14)),
    (THANG, d(2026, 12, 20), d(2026, 12, 18), d(2026, 12, 21)),  # Fri / Mon
    (THANG, d(2027, 1, 20), d(2027, 1, 19), d(2027, 1, 19)),
    (THANG, d(2027, 2, 20), d(2027, 2, 19), d(2027, 2, 19)),
    (THANG, d(2027, 3, 20), d(2027, 3, 19), d(2027, 3, 19)),
    (THANG, d(2027, 4, 20), d(2027, 4, 19), d(2027, 4, 19)),
    (THANG, d(2027, 5, 20), d(2027, 5, 19), d(2027, 5, 19)),
    (SAU_THANG, d(2027, 6, 15), d(2027, 6, 14), d(2027, 6, 14)),
    (THANG, d(2027, 6, 20), d(2027, 6, 18), d(2027, 6, 21)),  # Fri / Mon
    (THANG, d(2027, 7, 20), d(2027, 7, 19), d(2027, 7, 19)),
    (THANG, d(2027, 8, 20), d(2027, 8, 19), d(2027, 8, 19)),
    (THANG, d(2027, 9, 20), d(2027, 9, 17), d(2027, 9, 20)),  # Fri / Mon
    (THANG, d(2027, 10, 20), d(2027, 10, 19), d(2027, 10, 19)),
    (THANG, d(2027, 11, 20), d(2027, 11, 19), d(2027, 11, 19)),
    (NAM, d(2027, 12, 15), d(2027, 12, 14), d(2027, 12, 14)),
    (THANG, d(2027, 12, 20), d(2027, 12, 17), d(2027, 12, 20)),  # Fri / Mon
]


def _all() -> list[Occurrence]:
    found = [
        occurrence
        for key, rule in RULES.items()
        for occurrence in occurrences(key, DeadlineRule.from_dict(rule), CAL, start=d(2025, 1, 1), end=d(2027, 12, 31))
    ]
    return sorted(found, key=lambda o: (o.nominal, o.duty_key))


def test_the_table_is_every_occurrence() -> None:
    assert [(o.duty_key, o.nominal) for o in _all()] == [(row[0], row[1]) for row in TABLE]


@pytest.mark.parametrize(("duty", "nominal", "aim", "legal"), TABLE, ids=[f"{r[0]}@{r[1]}" for r in TABLE])
def test_both_dates(duty: str, nominal: d, aim: d, legal: d) -> None:
    (found,) = [o for o in _all() if o.duty_key == duty and o.nominal == nominal]
    assert (found.aim_day, found.legal_last_day) == (aim, legal)


def test_fifteen_deadlines_lie_on_two_days() -> None:
    """Where the two dates differ, the old rule nudged a unit that was legally on time (issue 11)."""
    apart = [row for row in TABLE if row[2] != row[3]]
    assert len(apart) == 15
    assert (THANG, d(2026, 2, 20), d(2026, 2, 13), d(2026, 2, 23)) in apart  # Tết 2026
    assert (SAU_THANG, d(2025, 6, 15), d(2025, 6, 13), d(2025, 6, 16)) in apart
    assert (NAM, d(2025, 12, 15), d(2025, 12, 12), d(2025, 12, 15)) in apart


@pytest.mark.parametrize(("duty", "nominal", "aim", "legal"), TABLE, ids=[f"{r[0]}@{r[1]}" for r in TABLE])
def test_reminders_count_to_the_aim_and_nudges_start_after_the_legal_last_day(
    duty: str, nominal: d, aim: d, legal: d
) -> None:
    for due in schedule(aim, legal, parse_ladder(DEFAULT_LADDER), hour=time(8), cal=CAL, tz=TZ):
        local = due.at.astimezone(TZ).date()
        if due.step.overdue:
            assert local > legal, (due.step.key, local)
        else:
            assert local <= aim, (due.step.key, local)
