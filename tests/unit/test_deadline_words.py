"""The deadline words `/giao`, `/nhiemvu` and the plan sheet read (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest

from messages.deadline_words import read_deadline
from scheduler.calendar import DeadlineRule

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("trước 04/12/2026", {"kind": "once", "date": "2026-12-04", "inclusive": False}),
        ("truoc ngay 4/12/2026", {"kind": "once", "date": "2026-12-04", "inclusive": False}),
        ("chậm nhất 04/12/2026", {"kind": "once", "date": "2026-12-04", "inclusive": True}),
        ("04/12/2026", {"kind": "once", "date": "2026-12-04", "inclusive": True}),
        ("4.12.26", {"kind": "once", "date": "2026-12-04", "inclusive": True}),
        ("đến hết ngày 15/01/2027", {"kind": "once", "date": "2027-01-15", "inclusive": True}),
        ("trước 15/1", {"kind": "once", "date": "2027-01-15", "inclusive": False}),  # the next 15 January
        (
            "ngày 20 hằng tháng",
            {"kind": "monthly", "day": 20, "inclusive": True, "from": "2026-11-30"},
        ),
        (
            "trước ngày 20 hàng tháng đến tháng 12/2027",
            {"kind": "monthly", "day": 20, "inclusive": False, "from": "2026-11-30", "until": "2027-12-31"},
        ),
        ("15/6 hằng năm", {"kind": "yearly", "month": 6, "day": 15, "inclusive": True}),
        ("trước 15/12 hang nam", {"kind": "yearly", "month": 12, "day": 15, "inclusive": False}),
    ],
)
def test_the_words_an_office_writes_read_as_a_rule(words: str, rule: dict[str, object]) -> None:
    found = read_deadline(words, today=TODAY)
    assert found.rule == rule
    DeadlineRule.from_dict(rule)  # and the planner accepts it


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("trước 31/02/2027", "date"),
        ("30/02 hằng năm", "date"),
        ("trước 01/11/2026", "past"),
        ("trước 30/11/2026", "past"),  # today, excluded: already over
        ("ngày 20 hằng tháng đến tháng 10/2026", "past"),
        ("tuần sau", "words"),
        ("", "words"),
    ],
)
def test_what_cannot_be_read_is_named(words: str, problem: str) -> None:
    assert read_deadline(words, today=TODAY) == read_deadline(words, today=TODAY)
    found = read_deadline(words, today=TODAY)
    assert (found.rule, found.problem) == (None, problem)


def test_today_is_a_deadline_when_it_is_included() -> None:
    assert read_deadline("chậm nhất 30/11/2026", today=TODAY).rule == {
        "kind": "once",
        "date": "2026-11-30",
        "inclusive": True,
    }
