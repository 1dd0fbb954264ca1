"""Every reporting cycle of Decree 09/2019 (issue 25): occurrences on 2025-2027 dates with days off
(Tết 2026 and 2027, deadlines on a weekend), each with its data cut-off period by Art. 12, and the
words an office writes them in."""

from __future__ import annotations

from datetime import date

import pytest

from messages.deadline_words import deadline_text, read_deadline
from scheduler.calendar import DeadlineRule, WorkCalendar, occurrences
from scheduler.next_deadlines import next_deadlines

CAL = WorkCalendar()
D = date


def _found(rule: dict[str, object], start: date, end: date) -> list[tuple[date, date, date, date | None, date | None]]:
    return [
        (o.nominal, o.aim_day, o.legal_last_day, o.period_start, o.period_end)
        for o in occurrences("x", DeadlineRule.from_dict(rule), CAL, start=start, end=end)
    ]


QUARTERLY_15 = {"kind": "quarterly", "day": 15, "period": "quarterly"}  # trước ngày 15 tháng cuối quý


@pytest.mark.parametrize(
    ("rule", "start", "end", "expected"),
    [
        (  # 15/6/2025 a Sunday: aim Friday 13/6, legal last day Monday 16/6; the quarter 15/3-14/6
            QUARTERLY_15,
            D(2025, 4, 1),
            D(2025, 12, 31),
            [
                (D(2025, 6, 15), D(2025, 6, 13), D(2025, 6, 16), D(2025, 3, 15), D(2025, 6, 14)),
                (D(2025, 9, 15), D(2025, 9, 12), D(2025, 9, 15), D(2025, 6, 15), D(2025, 9, 14)),
                (D(2025, 12, 15), D(2025, 12, 12), D(2025, 12, 15), D(2025, 9, 15), D(2025, 12, 14)),
            ],
        ),
        (  # the first quarter's data begins on 15/12 of the year before
            QUARTERLY_15,
            D(2026, 1, 1),
            D(2026, 3, 31),
            [(D(2026, 3, 15), D(2026, 3, 13), D(2026, 3, 16), D(2025, 12, 15), D(2026, 3, 14))],
        ),
        (  # ngày 20 hằng quý, on a Sunday (20/9/2026, 20/12/2026): to Monday
            {"kind": "quarterly", "day": 20, "inclusive": True, "period": "quarterly"},
            D(2026, 7, 1),
            D(2026, 12, 31),
            [
                (D(2026, 9, 20), D(2026, 9, 18), D(2026, 9, 21), D(2026, 6, 15), D(2026, 9, 14)),
                (D(2026, 12, 20), D(2026, 12, 18), D(2026, 12, 21), D(2026, 9, 15), D(2026, 12, 14)),
            ],
        ),
        (  # trước ngày 20 tháng giữa quý, Tết 2026 (16-20/02): aim Friday 13/02, legal Monday 23/02
            {"kind": "quarterly", "day": 20, "month": 2, "period": "quarterly"},
            D(2026, 1, 1),
            D(2026, 3, 31),
            [(D(2026, 2, 20), D(2026, 2, 13), D(2026, 2, 23), D(2025, 12, 15), D(2026, 3, 14))],
        ),
        (  # ngày 10 tháng giữa quý, Tết 2027 (4-10/02): aim Wednesday 03/02, legal Thursday 11/02
            {"kind": "quarterly", "day": 10, "month": 2, "inclusive": True, "period": "quarterly"},
            D(2027, 1, 1),
            D(2027, 3, 31),
            [(D(2027, 2, 10), D(2027, 2, 3), D(2027, 2, 11), D(2026, 12, 15), D(2027, 3, 14))],
        ),
        (  # 6 tháng cuối năm: 15/6-14/12
            {"kind": "yearly", "month": 12, "day": 15, "period": "last-half"},
            D(2026, 1, 1),
            D(2027, 12, 31),
            [
                (D(2026, 12, 15), D(2026, 12, 14), D(2026, 12, 14), D(2026, 6, 15), D(2026, 12, 14)),
                (D(2027, 12, 15), D(2027, 12, 14), D(2027, 12, 14), D(2027, 6, 15), D(2027, 12, 14)),
            ],
        ),
        (  # 9 tháng: 15/12-14/9
            {"kind": "yearly", "month": 9, "day": 15, "period": "nine-months"},
            D(2025, 1, 1),
            D(2025, 12, 31),
            [(D(2025, 9, 15), D(2025, 9, 12), D(2025, 9, 15), D(2024, 12, 15), D(2025, 9, 14))],
        ),
        (  # 6 tháng đầu năm: 15/12-14/6, 15/6/2025 a Sunday
            {"kind": "yearly", "month": 6, "day": 15, "period": "half-year"},
            D(2025, 1, 1),
            D(2025, 12, 31),
            [(D(2025, 6, 15), D(2025, 6, 13), D(2025, 6, 16), D(2024, 12, 15), D(2025, 6, 14))],
        ),
        (  # the year: 15/12-14/12; 20/12/2026 a Sunday
            {"kind": "yearly", "month": 12, "day": 20, "inclusive": True, "period": "annual"},
            D(2026, 1, 1),
            D(2026, 12, 31),
            [(D(2026, 12, 20), D(2026, 12, 18), D(2026, 12, 21), D(2025, 12, 15), D(2026, 12, 14))],
        ),
        (  # monthly, Tết 2027: trước ngày 10 hằng tháng in February (04-10/02 off)
            {"kind": "monthly", "day": 10, "period": "monthly"},
            D(2027, 2, 1),
            D(2027, 2, 28),
            [(D(2027, 2, 10), D(2027, 2, 3), D(2027, 2, 11), D(2027, 1, 15), D(2027, 2, 14))],
        ),
    ],
)
def test_each_cycle(rule: dict[str, object], start: date, end: date, expected: list[tuple[date, ...]]) -> None:
    assert _found(rule, start, end) == expected


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("trước ngày 15 tháng cuối quý", {"kind": "quarterly", "day": 15, "inclusive": False}),
        ("hằng quý", {"kind": "quarterly", "day": 15, "inclusive": False}),
        ("ngày 20 hằng quý", {"kind": "quarterly", "day": 20, "inclusive": True}),
        ("truoc ngay 10 thang dau quy", {"kind": "quarterly", "day": 10, "inclusive": False, "month": 1}),
        ("6 tháng cuối năm", {"kind": "yearly", "month": 12, "day": 15, "inclusive": False, "period": "last-half"}),
        ("9 tháng", {"kind": "yearly", "month": 9, "day": 15, "inclusive": False, "period": "nine-months"}),
        (
            "trước 20/12 hằng năm 6 tháng cuối năm",
            {"kind": "yearly", "month": 12, "day": 20, "inclusive": False, "period": "last-half"},
        ),
    ],
)
def test_the_words_of_each_cycle_read_and_write_back(words: str, rule: dict[str, object]) -> None:
    today = D(2026, 12, 8)
    read = read_deadline(words, today=today).rule
    assert read is not None
    if rule["kind"] == "quarterly":
        rule = rule | {"from": "2026-12-08", "period": "quarterly"}
    assert read == rule
    assert read_deadline(deadline_text(read), today=today).rule == read
    DeadlineRule.from_dict(read)  # the calendar takes it


def test_a_quarterly_month_past_the_quarter_is_refused() -> None:
    with pytest.raises(ValueError, match="quarter's 1st, 2nd or 3rd"):
        DeadlineRule.from_dict({"kind": "quarterly", "day": 15, "month": 4})


def test_a_recurring_rule_previews_its_next_four_deadlines() -> None:
    found = next_deadlines("x", DeadlineRule.from_dict(QUARTERLY_15), CAL, today=D(2026, 12, 8))
    assert [(o.nominal, o.aim_day, o.legal_last_day) for o in found] == [
        (D(2026, 12, 15), D(2026, 12, 14), D(2026, 12, 14)),
        (D(2027, 3, 15), D(2027, 3, 12), D(2027, 3, 15)),
        (D(2027, 6, 15), D(2027, 6, 14), D(2027, 6, 14)),
        (D(2027, 9, 15), D(2027, 9, 14), D(2027, 9, 14)),
    ]
    assert (
        next_deadlines("x", DeadlineRule.from_dict({"kind": "once", "date": "2027-01-10"}), CAL, today=D(2026, 12, 8))
        == []
    )


def test_the_plan_file_takes_the_new_cycles() -> None:
    from storage.plan_file import DeadlineSpec

    for rule in (
        {"kind": "quarterly", "day": 15, "period": "quarterly"},
        {"kind": "quarterly", "day": 20, "month": 1, "inclusive": True, "period": "quarterly"},
        {"kind": "yearly", "month": 12, "day": 15, "period": "last-half"},
        {"kind": "yearly", "month": 9, "day": 15, "period": "nine-months"},
    ):
        assert DeadlineRule.from_dict(DeadlineSpec.model_validate(rule).as_rule()).kind == rule["kind"]
    with pytest.raises(ValueError, match="quarter's 1st, 2nd or 3rd"):
        DeadlineSpec.model_validate({"kind": "quarterly", "day": 15, "month": 5})
