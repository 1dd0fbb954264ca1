"""The calendar: working days, deadline semantics and occurrences, as tables of dates."""

import re
from datetime import date

import pytest
from pydantic import ValidationError

from scheduler.calendar import (
    DeadlineRule,
    WorkCalendar,
    aim_day,
    data_period,
    legal_last_day,
    next_occurrence,
    nominal_dates,
    occurrences,
)
from storage.plan_file import DeadlineSpec

CAL = WorkCalendar({date(2026, 1, 2): True, date(2026, 1, 10): False})  # the plan's 2026 correction
PLAIN = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # Tết Dương lịch
        (date(2025, 1, 2), True),
        (date(2025, 1, 4), False),  # Saturday
        (date(2025, 1, 27), False),  # Tết Nguyên đán 2025: 27/1 to 31/1
        (date(2025, 1, 31), False),
        (date(2025, 2, 3), True),
        (date(2025, 4, 7), False),  # Giỗ Tổ Hùng Vương (lunar 10/3)
        (date(2025, 4, 26), True),  # a Saturday worked, swapped for 2/5
        (date(2025, 5, 2), False),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2026, 1, 2), False),  # the correction: a Friday off (12729/VPCP-KGVX)...
        (date(2026, 1, 10), True),  # ...and a Saturday worked
        (date(2026, 2, 16), False),  # Tết 2026
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_the_2026_correction_is_missing_without_the_override() -> None:
    assert PLAIN.is_working_day(date(2026, 1, 2)) is True
    assert PLAIN.is_working_day(date(2026, 1, 10)) is False


@pytest.mark.parametrize(
    ("nominal", "inclusive", "aim", "legal"),
    [
        # "trước ngày 10/01/2025", a Friday: the period ends with Thursday 9/1, a working day: both
        (date(2025, 1, 10), False, date(2025, 1, 9), date(2025, 1, 9)),
        (date(2025, 1, 10), True, date(2025, 1, 10), date(2025, 1, 10)),  # "chậm nhất ngày 10/01"
        # a Sunday: X−1 is Saturday 14/6, so Art. 148.5 ends the period on Monday 16/6; aim for Friday 13/6
        (date(2025, 6, 15), False, date(2025, 6, 13), date(2025, 6, 16)),
        (date(2025, 6, 15), True, date(2025, 6, 13), date(2025, 6, 16)),  # inclusive on a Sunday: the same
        # a Monday: X−1 is Sunday 14/12, so the legal last day is the Monday itself; aim for Friday 12/12
        (date(2025, 12, 15), False, date(2025, 12, 12), date(2025, 12, 15)),
        (date(2025, 12, 15), True, date(2025, 12, 15), date(2025, 12, 15)),
        # Tết 2025 (27/1 to 31/1, then a weekend): aim for Friday 24/1, legal last day Monday 3/2
        (date(2025, 2, 1), False, date(2025, 1, 24), date(2025, 2, 3)),
        (date(2025, 1, 27), True, date(2025, 1, 24), date(2025, 2, 3)),
        # 2/1/2026 is off by the correction: X−1 = 2/1, aim for 31/12, legal last day Monday 5/1
        (date(2026, 1, 3), False, date(2025, 12, 31), date(2026, 1, 5)),
        (date(2026, 1, 11), False, date(2026, 1, 10), date(2026, 1, 10)),  # the worked Saturday counts
        (date(2025, 4, 30), True, date(2025, 4, 29), date(2025, 5, 5)),  # 30/4, 1/5, 2/5 off, then a weekend
        # Tết 2026 (16/2 to 20/2): the monthly report due "trước ngày 20/02/2026"
        (date(2026, 2, 20), False, date(2026, 2, 13), date(2026, 2, 23)),
    ],
)
def test_the_two_dates_of_a_deadline(nominal: date, inclusive: bool, aim: date, legal: date) -> None:
    assert aim_day(nominal, inclusive=inclusive, cal=CAL) == aim
    assert legal_last_day(nominal, inclusive=inclusive, cal=CAL) == legal
    assert CAL.is_working_day(aim)
    assert CAL.is_working_day(legal)


MONTHLY = DeadlineRule.from_dict({"kind": "monthly", "day": 20, "from": "2025-01-01", "period": "monthly"})


@pytest.mark.parametrize(
    ("month", "nominal_weekday", "aim", "legal"),
    [
        (1, "Mon", date(2025, 1, 17), date(2025, 1, 20)),  # X−1 is a Sunday: legally the Monday
        (4, "Sun", date(2025, 4, 18), date(2025, 4, 21)),  # the 20th on a Sunday: aim for Friday 18
        (7, "Sun", date(2025, 7, 18), date(2025, 7, 21)),
        (9, "Sat", date(2025, 9, 19), date(2025, 9, 19)),  # on a Saturday: X−1 is Friday 19, a working day
        (12, "Sat", date(2025, 12, 19), date(2025, 12, 19)),
    ],
)
def test_the_monthly_report_around_weekends(month: int, nominal_weekday: str, aim: date, legal: date) -> None:
    found = occurrences("m", MONTHLY, CAL, start=date(2025, month, 1), end=date(2025, month, 28))
    assert len(found) == 1
    assert found[0].nominal == date(2025, month, 20)
    assert found[0].nominal.strftime("%a") == nominal_weekday
    assert (found[0].aim_day, found[0].legal_last_day) == (aim, legal)


def test_the_monthly_duty_recurs_every_month() -> None:
    found = occurrences("m", MONTHLY, CAL, start=date(2024, 1, 1), end=date(2026, 12, 31))
    assert len(found) == 24  # from January 2025, every month, with no end
    assert found[0].nominal == date(2025, 1, 20)
    assert (found[0].period_start, found[0].period_end) == (date(2024, 12, 15), date(2025, 1, 14))


def test_yearly_and_once_duties() -> None:
    yearly = DeadlineRule.from_dict(
        {"kind": "yearly", "month": 6, "day": 15, "from": "2025-01-01", "period": "half-year"}
    )
    found = occurrences("h", yearly, CAL, start=date(2025, 1, 1), end=date(2027, 12, 31))
    assert [o.nominal for o in found] == [date(2025, 6, 15), date(2026, 6, 15), date(2027, 6, 15)]
    assert data_period(yearly, date(2025, 6, 15)) == (date(2024, 12, 15), date(2025, 6, 14))
    once = DeadlineRule.from_dict({"kind": "once", "date": "2025-01-10"})
    assert [o.nominal for o in occurrences("k", once, CAL, start=date(2024, 1, 1), end=date(2030, 1, 1))] == [
        date(2025, 1, 10)
    ]
    until = DeadlineRule.from_dict({"kind": "monthly", "day": 31, "from": "2025-01-01", "until": "2025-04-30"})
    assert [o.nominal for o in occurrences("u", until, CAL, start=date(2025, 1, 1), end=date(2025, 12, 31))] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]  # the 31st in a short month is its last day


def test_next_occurrence_skips_one_whose_legal_last_day_has_passed() -> None:
    yearly = DeadlineRule.from_dict({"kind": "yearly", "month": 6, "day": 15, "from": "2025-01-01"})
    # Saturday 14/6/2025: the day to aim for was Friday 13/6, but the period legally runs to Monday 16/6.
    found = next_occurrence("h", yearly, CAL, today=date(2025, 6, 14))
    assert found is not None
    assert found.nominal == date(2025, 6, 15)
    found = next_occurrence("h", yearly, CAL, today=date(2025, 6, 17))
    assert found is not None
    assert found.nominal == date(2026, 6, 15)
    inclusive = DeadlineRule.from_dict({"kind": "yearly", "month": 6, "day": 15, "inclusive": True})
    found = next_occurrence("h", inclusive, CAL, today=date(2025, 6, 16))
    assert found is not None
    assert found.nominal == date(2025, 6, 15)  # moved to Monday 16/6, still open today


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2025, 1, 2), date(2025, 1, 9), 5),  # Fri, Mon-Thu
        (date(2025, 1, 24), date(2025, 2, 3), 1),  # across Tết
        (date(2025, 1, 9), date(2025, 1, 9), 0),
        (date(2025, 1, 9), date(2025, 1, 2), -5),
    ],
)
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert CAL.working_days_between(start, end) == count


def test_add_working_days() -> None:
    assert CAL.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert CAL.add_working_days(date(2025, 1, 9), -3) == date(2025, 1, 6)


def test_a_yearly_rule_with_a_year_is_one_off() -> None:
    six_months = DeadlineRule.from_dict({"kind": "yearly", "month": 6, "day": 15, "year": 2025, "period": "half-year"})
    found = occurrences("h", six_months, CAL, start=date(2020, 1, 1), end=date(2030, 12, 31))
    # Sunday 15/6/2025: aim for Friday 13/6; the legal last day is Monday 16/6
    assert [(o.nominal, o.aim_day, o.legal_last_day) for o in found] == [
        (date(2025, 6, 15), date(2025, 6, 13), date(2025, 6, 16))
    ]
    assert [o.nominal for o in occurrences("h", six_months, CAL, start=date(2026, 1, 1), end=date(2027, 12, 31))] == []
    assert nominal_dates_of(six_months, date(2025, 6, 16), date(2025, 12, 31)) == []
    found_next = next_occurrence("h", six_months, CAL, today=date(2025, 1, 2))
    assert found_next is not None
    assert found_next.nominal == date(2025, 6, 15)
    assert next_occurrence("h", six_months, CAL, today=date(2025, 6, 17)) is None  # not 15/6/2026 any more


def test_until_ends_a_recurring_rule_on_its_day() -> None:
    monthly = DeadlineRule.from_dict({"kind": "monthly", "day": 20, "from": "2025-01-01", "until": "2025-12-31"})
    found = occurrences("m", monthly, CAL, start=date(2024, 1, 1), end=date(2027, 12, 31))
    assert [o.nominal for o in found] == [date(2025, month, 20) for month in range(1, 13)]
    # Saturday 20/12/2025: the last day is Friday 19/12, and after it nothing is left
    last = next_occurrence("m", monthly, CAL, today=date(2025, 12, 19))
    assert last is not None
    assert (last.nominal, last.aim_day, last.legal_last_day) == (
        date(2025, 12, 20),
        date(2025, 12, 19),
        date(2025, 12, 19),
    )
    assert next_occurrence("m", monthly, CAL, today=date(2025, 12, 20)) is None
    on_the_day = DeadlineRule.from_dict({"kind": "monthly", "day": 20, "until": "2025-06-20"})
    assert nominal_dates_of(on_the_day, date(2025, 5, 1), date(2026, 1, 1)) == [date(2025, 5, 20), date(2025, 6, 20)]
    yearly = DeadlineRule.from_dict({"kind": "yearly", "month": 12, "day": 15, "until": "2026-12-14"})
    assert nominal_dates_of(yearly, date(2025, 1, 1), date(2030, 1, 1)) == [date(2025, 12, 15)]


def test_year_and_from_until_together_keep_what_both_allow() -> None:
    rule = DeadlineRule.from_dict({"kind": "yearly", "month": 2, "day": 30, "year": 2028, "from": "2028-01-01"})
    assert nominal_dates_of(rule, date(2020, 1, 1), date(2040, 1, 1)) == [date(2028, 2, 29)]  # clamped, leap year


def nominal_dates_of(rule: DeadlineRule, start: date, end: date) -> list[date]:
    return list(nominal_dates(rule, start=start, end=end))


BAD_RULES = [
    ({"kind": "weekly"}, "deadline kind must be one of"),
    ({"kind": "once"}, "needs a date"),
    ({"kind": "monthly", "day": 0}, "day between 1 and 31"),
    ({"kind": "yearly", "day": 15}, "month between 1 and 12"),
    ({"kind": "once", "date": "2025-01-10", "period": "weekly"}, "period must be one of"),
    ({"kind": "monthly", "day": 20, "year": 2025}, "year is for a yearly deadline only, not a monthly one"),
    ({"kind": "once", "date": "2025-01-10", "year": 2025}, "year is for a yearly deadline only, not a once one"),
    ({"kind": "monthly", "day": 20, "month": 6}, "month is for a quarterly or yearly deadline only, not a monthly one"),
    ({"kind": "monthly", "day": 20, "date": "2025-01-10"}, "date is for a once deadline only, not a monthly one"),
    (
        {"kind": "once", "date": "2025-01-10", "day": 10},
        "day is for a monthly or quarterly or yearly deadline only, not a once",
    ),
    ({"kind": "yearly", "month": 6, "day": 15, "year": 0}, "year must be a year such as 2025"),
    (
        {"kind": "monthly", "day": 20, "from": "2025-06-01", "until": "2025-01-31"},
        "the deadline's until (2025-01-31) is before its from (2025-06-01)",
    ),
    (
        {"kind": "yearly", "month": 6, "day": 15, "year": 2025, "until": "2025-06-14"},
        "the deadline never falls between 2025-01-01 and 2025-06-14",
    ),
    (
        {"kind": "once", "date": "2025-01-10", "from": "2025-02-01"},
        "the deadline never falls between 2025-02-01 and 2025-01-10",
    ),
    (
        {"kind": "monthly", "day": 20, "from": "2025-01-21", "until": "2025-02-19"},
        "the deadline never falls between 2025-01-21 and 2025-02-19",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_RULES)
def test_bad_rules_are_explained(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        DeadlineRule.from_dict(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "monthly", "day": 20, "yaer": 2025}, "unknown deadline field 'yaer'"),
        ({"kind": "once", "date": "10/01/2025"}, "a deadline date must be written YYYY-MM-DD"),
        ({"kind": "yearly", "month": 6, "day": 15, "year": "2025"}, "year must be a year such as 2025"),
    ],
)
def test_rules_from_the_database_are_explained_too(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        DeadlineRule.from_dict(data)


@pytest.mark.parametrize(("data", "message"), BAD_RULES)
def test_the_plan_file_refuses_what_the_calendar_refuses(data: dict[str, object], message: str) -> None:
    """A plan that loads never stops the planner: the file's schema refuses every rule the calendar does."""
    with pytest.raises(ValidationError) as caught:
        DeadlineSpec.model_validate(data)
    if not any(words in message for words in PYDANTIC_WORDS_IT):
        assert message in str(caught.value)


# a field's type or range: pydantic words these itself ("Input should be less than or equal to 31")
PYDANTIC_WORDS_IT = ("deadline kind", "between 1 and", "period must", "year must")


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "once", "date": "2025-01-10"},
        {"kind": "monthly", "day": 20, "inclusive": True, "from": "2025-01-01", "until": "2025-12-31"},
        {"kind": "yearly", "month": 6, "day": 15, "year": 2025, "period": "half-year"},
        {"kind": "yearly", "month": 12, "day": 15, "from": "2025-01-01", "period": "annual"},
    ],
)
def test_rules_round_trip_through_the_plan_file_and_the_database(data: dict[str, object]) -> None:
    rule = DeadlineRule.from_dict(DeadlineSpec.model_validate(data).as_rule())
    assert DeadlineRule.from_dict(rule.to_dict()) == rule
    assert rule.to_dict() == {"inclusive": False, "period": "none", **data}


def test_rules_round_trip() -> None:
    assert DeadlineRule.from_dict(MONTHLY.to_dict()) == MONTHLY
