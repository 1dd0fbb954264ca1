"""The reminder ladder under a fake clock: steps, quiet hours, catch-up."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import WorkCalendar
from scheduler.ladder import DEFAULT_LADDER, allowed_moment, current_step, parse_ladder, parse_step, schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def test_the_default_ladder_for_the_2025_plan() -> None:
    dues = schedule(date(2025, 1, 9), date(2025, 1, 9), parse_ladder([]), hour=time(8), cal=CAL, tz=TZ)
    got = [(due.step.key, due.step.copy_to, due.at.astimezone(TZ)) for due in dues]
    assert got == [
        ("-7d", (), local(2025, 1, 2, 8)),
        ("-3w", (), local(2025, 1, 6, 8)),
        ("-1w", (), local(2025, 1, 8, 8)),
        ("0", (), local(2025, 1, 9, 8)),
        ("+1w", ("head",), local(2025, 1, 10, 8)),
        ("+3w", ("office",), local(2025, 1, 14, 8)),
        ("+7w", (), local(2025, 1, 20, 8)),
    ]
    assert all(due.at.tzinfo is not None for due in dues)


def test_reminders_count_to_the_aim_and_nudges_from_the_legal_last_day() -> None:
    # "trước ngày 20/02/2026", Tết 16-20/02: aim for Friday 13/02, legal last day Monday 23/02.
    cal = WorkCalendar({date(2026, 1, 2): True, date(2026, 1, 10): False})
    dues = schedule(date(2026, 2, 13), date(2026, 2, 23), parse_ladder([]), hour=time(8), cal=cal, tz=TZ)
    got = [(due.step.key, due.at.astimezone(TZ)) for due in dues]
    assert got == [
        ("-7d", local(2026, 2, 6, 8)),
        ("-3w", local(2026, 2, 10, 8)),
        ("-1w", local(2026, 2, 12, 8)),
        ("0", local(2026, 2, 13, 8)),
        ("+1w", local(2026, 2, 24, 8)),  # not Monday 23/02: the unit is on time until that day ends
        ("+3w", local(2026, 2, 26, 8)),
        ("+7w", local(2026, 3, 4, 8)),
    ]


def test_a_reminder_on_days_off_moves_earlier_to_the_last_working_day_before_them() -> None:
    # "trước 04/02/2025": aim for Monday 3/2, right after Tết (25/1-2/2). 7 days before is 27/1, inside
    # Tết: the reminder goes on Friday 24/1, the last working day before it, never on the deadline's eve.
    dues = schedule(date(2025, 2, 3), date(2025, 2, 3), parse_ladder(["-7d"]), hour=time(8), cal=CAL, tz=TZ)
    assert dues[0].at.astimezone(TZ) == local(2025, 1, 24, 8, 0)


def test_the_default_ladder_of_a_deadline_after_tet() -> None:
    dues = schedule(date(2025, 2, 3), date(2025, 2, 3), parse_ladder([]), hour=time(8), cal=CAL, tz=TZ)
    assert [(due.step.key, due.at.astimezone(TZ)) for due in dues] == [
        ("-3w", local(2025, 1, 22, 8)),
        ("-1w", local(2025, 1, 24, 8)),  # and -7d (27/1, in Tết), moved to the same moment: one message
        ("0", local(2025, 2, 3, 8)),
        ("+1w", local(2025, 2, 4, 8)),
        ("+3w", local(2025, 2, 6, 8)),
        ("+7w", local(2025, 2, 12, 8)),
    ]


def test_steps_that_land_on_the_same_moment_make_one_message() -> None:
    # Aim for Monday 3/2/2025, right after Tết: -7d (27/1) and -5d (29/1) both move to Friday 24/1.
    dues = schedule(date(2025, 2, 3), date(2025, 2, 3), parse_ladder(["-7d", "-5d", "0"]), hour=time(8), cal=CAL, tz=TZ)
    assert [(due.step.key, due.at.astimezone(TZ)) for due in dues] == [
        ("-5d", local(2025, 1, 24, 8, 0)),
        ("0", local(2025, 2, 3, 8, 0)),
    ]


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (local(2025, 1, 6, 8, 0), local(2025, 1, 6, 8, 0)),  # Monday morning: as is
        (local(2025, 1, 6, 6, 0), local(2025, 1, 6, 7, 30)),  # too early: 07:30
        (local(2025, 1, 6, 19, 59), local(2025, 1, 6, 19, 59)),
        (local(2025, 1, 6, 20, 0), local(2025, 1, 7, 7, 30)),  # 20:00 is quiet: next morning
        (local(2025, 1, 3, 21, 0), local(2025, 1, 6, 7, 30)),  # Friday night: Monday
        (local(2025, 1, 4, 10, 0), local(2025, 1, 6, 7, 30)),  # Saturday
        (local(2025, 1, 24, 22, 0), local(2025, 2, 3, 7, 30)),  # Friday night before Tết
        (local(2025, 1, 1, 9, 0), local(2025, 1, 2, 7, 30)),  # New Year's Day
    ],
)
def test_quiet_hours_and_days_off(moment: datetime, allowed: datetime) -> None:
    assert allowed_moment(moment, CAL, TZ) == allowed


def test_hour_of_the_plan_file_is_used() -> None:
    dues = schedule(date(2025, 1, 9), date(2025, 1, 9), parse_ladder(["0"]), hour=time(14, 30), cal=CAL, tz=TZ)
    assert dues[0].at.astimezone(TZ) == local(2025, 1, 9, 14, 30)


DUES = schedule(date(2025, 1, 9), date(2025, 1, 9), parse_ladder([]), hour=time(8), cal=CAL, tz=TZ)


@pytest.mark.parametrize(
    ("now", "step"),
    [
        (local(2025, 1, 2, 7, 59), None),  # nothing due yet
        (local(2025, 1, 2, 8, 0), "-7d"),
        (local(2025, 1, 5, 12, 0), "-7d"),
        (local(2025, 1, 8, 9, 0), "-1w"),  # after downtime from 1/1 to 8/1: only the latest step
        (local(2025, 1, 20, 8, 0), "+7w"),
        (local(2025, 1, 21, 7, 59), "+7w"),  # the last step is still worth sending within a day
        (local(2025, 1, 21, 8, 0), None),  # ...not after
    ],
)
def test_the_current_step_replaces_missed_ones(now: datetime, step: str | None) -> None:
    due = current_step(DUES, now.astimezone(UTC))
    assert (due.step.key if due else None) == step


@pytest.mark.parametrize(
    ("text", "key", "offset", "working", "copies"),
    [
        ("-7d", "-7d", -7, False, ()),
        ("-3w", "-3w", -3, True, ()),
        ("0", "0", 0, True, ()),
        ("+1w>head", "+1w", 1, True, ("head",)),
        ("+3w>office>head", "+3w", 3, True, ("office", "head")),
    ],
)
def test_parse_step(text: str, key: str, offset: int, working: bool, copies: tuple[str, ...]) -> None:
    step = parse_step(text)
    assert (step.key, step.offset, step.working_days, step.copy_to) == (key, offset, working, copies)


@pytest.mark.parametrize("bad", ["7", "-7x", "+1w>boss", "", "--1d", "+100d"])
def test_bad_steps_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a ladder step"):
        parse_step(bad)


def test_a_step_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        parse_ladder(["-1w", "-1w>head"])


def test_the_default_ladder_is_used_when_the_plan_gives_none() -> None:
    assert [step.key for step in parse_ladder([])] == [parse_step(s).key for s in DEFAULT_LADDER]


def test_all_moments_are_aware() -> None:
    for due in DUES:
        assert due.at.utcoffset() == timedelta(0)
