"""A plan cited as an office cites it, and a deadline rule in an office's words (messages/plans.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from messages.deadline_words import read_deadline
from messages.plans import citation, cited, document_date, rule_words
from storage.models import Plan

TODAY = dt.date(2026, 3, 2)
ISSUER = "UBND thị xã Mỹ Hào"
TITLE = "Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025"


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (dt.date(2025, 1, 6), "06/01/2025"),
        (dt.date(2025, 3, 5), "05/3/2025"),
        (dt.date(2025, 2, 28), "28/02/2025"),
        (dt.date(2025, 12, 15), "15/12/2025"),
        (dt.date(2026, 10, 9), "09/10/2026"),
    ],
)
def test_documents_write_a_leading_zero_for_days_below_10_and_months_1_and_2(day: dt.date, written: str) -> None:
    assert document_date(day) == written


def test_a_plan_with_a_number_is_cited_by_its_number_date_and_issuer() -> None:
    plan = Plan(key="k", title=TITLE, number="12/KH-UBND", issued_on=dt.date(2025, 1, 6), issuer=ISSUER)
    assert cited(plan, "vi") == "Kế hoạch số 12/KH-UBND ngày 06/01/2025 của UBND thị xã Mỹ Hào"
    assert cited(plan, "en") == "Plan No. 12/KH-UBND dated 6 Jan 2025 of UBND thị xã Mỹ Hào"


def test_a_plan_without_a_number_is_cited_by_its_title() -> None:
    plan = Plan(key="k", title=TITLE, issuer=ISSUER)
    assert cited(plan, "vi") == "Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã Mỹ Hào"
    assert cited(plan, "en") == f"{TITLE} of {ISSUER}"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("45/QĐ-UBND", "Quyết định số 45/QĐ-UBND"),
        ("3/TB-UBND", "Thông báo số 3/TB-UBND"),
        ("123/UBND-VP", "Công văn số 123/UBND-VP"),  # a letter's number names no kind
        ("07/CT-UBND", "Chỉ thị số 07/CT-UBND"),
    ],
)
def test_the_number_names_the_kind_of_document(number: str, kind: str) -> None:
    assert citation("", number, dt.date(2025, 3, 5), "", "vi") == f"{kind} ngày 05/3/2025"


def test_what_is_missing_is_left_out() -> None:
    assert citation(TITLE, "", None, "", "vi") == TITLE
    assert citation(TITLE, " 12/KH-UBND ", None, " ", "vi") == "Kế hoạch số 12/KH-UBND"


@pytest.mark.parametrize(
    ("rule", "vi", "en"),
    [
        ({"kind": "once", "date": "2026-12-04", "inclusive": False}, "trước ngày 04/12/2026", "before 4 Dec 2026"),
        ({"kind": "once", "date": "2026-03-05", "inclusive": True}, "chậm nhất ngày 05/3/2026", "by 5 Mar 2026"),
        (
            {"kind": "monthly", "day": 20, "inclusive": False},
            "trước ngày 20 hằng tháng",
            "before day 20 of every month",
        ),
        (
            {"kind": "monthly", "day": 5, "inclusive": True, "from": "2026-01-01", "until": "2026-12-31"},
            "chậm nhất ngày 05 hằng tháng đến tháng 12/2026",
            "by day 5 of every month until Dec 2026",
        ),
        (
            {"kind": "monthly", "day": 20, "inclusive": False, "from": "2027-01-01"},
            "trước ngày 20 hằng tháng, từ tháng 01/2027",
            "before day 20 of every month, from Jan 2027",
        ),
        (
            {"kind": "yearly", "month": 6, "day": 15, "inclusive": False},
            "trước ngày 15/6 hằng năm",
            "before 15 Jun every year",
        ),
        (
            {"kind": "yearly", "month": 1, "day": 5, "inclusive": True},
            "chậm nhất ngày 05/01 hằng năm",
            "by 5 Jan every year",
        ),
        (  # the shipped plan's six-month report: one year's deadline only
            {"kind": "yearly", "month": 6, "day": 15, "year": 2025, "inclusive": False, "period": "half-year"},
            "trước ngày 15/6/2025",
            "before 15 Jun 2025",
        ),
    ],
)
def test_a_rule_in_words(rule: dict[str, Any], vi: str, en: str) -> None:
    assert rule_words(rule, "vi", today=TODAY) == vi
    assert rule_words(rule, "en", today=TODAY) == en


@pytest.mark.parametrize(
    "typed",
    [
        "trước 04/12/2026",
        "chậm nhất 04/12/2026",
        "05/3/2026",
        "ngày 20 hằng tháng",
        "trước ngày 20 hằng tháng",
        "ngày 20 hằng tháng đến tháng 12/2026",
        "chậm nhất ngày 10 hàng tháng đến tháng 01/2027",
        "15/6 hằng năm",
        "trước 29/2 hằng năm",
        "chậm nhất ngày 05/01 hằng năm",
    ],
)
def test_what_the_words_say_reads_back_as_the_same_rule(typed: str) -> None:
    rule = read_deadline(typed, today=TODAY).rule
    assert rule is not None
    assert read_deadline(rule_words(rule, "vi", today=TODAY), today=TODAY).rule == rule
