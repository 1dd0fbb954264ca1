"""The periods /dunghan reads (issue 25): each word, and the bad inputs, each refused with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from messages.period_words import Period, PeriodRefused, period_name, read_period, refused, year_so_far

TODAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("said", "start", "end", "name"),
    [
        ("tháng 11/2026", date(2026, 11, 1), date(2026, 11, 30), "tháng 11/2026"),
        ("thang 2/2028", date(2028, 2, 1), date(2028, 2, 29), "tháng 2/2028"),
        ("quý 4/2026", date(2026, 10, 1), date(2026, 12, 31), "quý 4/2026"),
        ("Quý IV", date(2026, 10, 1), date(2026, 12, 31), "quý 4/2026"),
        ("6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("6 tháng cuối năm 2025", date(2025, 7, 1), date(2025, 12, 31), "6 tháng cuối năm 2025"),
        ("9 tháng 2026", date(2026, 1, 1), date(2026, 9, 30), "9 tháng đầu năm 2026"),
        ("năm 2026", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
        ("nam 2025", date(2025, 1, 1), date(2025, 12, 31), "năm 2025"),
    ],
)
def test_each_period_word(said: str, start: date, end: date, name: str) -> None:
    found = read_period(said, today=TODAY)
    assert isinstance(found, Period)
    assert (found.start, found.end, period_name(found, "vi")) == (start, end, name)


def test_the_default_is_the_year_so_far() -> None:
    assert period_name(year_so_far(TODAY), "vi") == "năm 2026 (đến 08/12)"


@pytest.mark.parametrize(
    ("said", "sentence"),
    [
        ("quý 5", "Một năm có bốn quý: viết quý 1 đến quý 4, ví dụ /dunghan quý 4/2026."),
        ("tháng 13/2026", "“tháng 13/2026” không phải kỳ nào: viết tháng 11/2026 (tháng 1 đến 12)"),
        ("tháng mười", "“tháng mười” không phải kỳ nào"),
    ],
)
def test_bad_periods_are_refused_in_one_sentence(said: str, sentence: str) -> None:
    found = read_period(said, today=TODAY)
    assert isinstance(found, PeriodRefused)
    assert refused(found, "vi").startswith(sentence)


def test_a_unit_name_is_no_period() -> None:
    assert read_period("Bần Yên Nhân", today=TODAY) is None
