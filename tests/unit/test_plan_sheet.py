"""The plan sheet's cells (messages/plan_sheet.py) and their reading against a plan
(bot/core/plan_sheet_read.py), without a database."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from bot.core.plan_sheet_read import PlanState, read_plan_sheet
from messages.deadline_words import deadline_text, read_deadline
from messages.plan_sheet import FONT, Sheet, SheetRow, UnitLine, read_sheet, write_sheet
from messages.sheet_limits import SheetError
from storage.models import Duty, Plan, Unit

TODAY = date(2026, 11, 30)
UNITS = [
    Unit(id=1, key="noi-vu", name="Phòng Nội vụ", short_name="Nội vụ", kind="phong"),
    Unit(id=2, key="kinh-te", name="Phòng Kinh tế", short_name="Kinh tế", kind="phong"),
    Unit(id=3, key="my-hao", name="Phường Mỹ Hào", short_name="Mỹ Hào", kind="phuong"),
    Unit(id=4, key="van-phong", name="Văn phòng HĐND và UBND", short_name="Văn phòng", kind="van-phong"),
]
ROW = {"key": "", "title": "Báo cáo biên chế", "units": "Nội vụ", "deadline": "trước 04/12/2026", "note": ""}


def _book(**plan: str) -> bytes:
    rows = [ROW | {"repeat": "không"}]
    return write_sheet(plan, rows, [UnitLine("noi-vu", "Phòng Nội vụ", "phong")], {"g": ["Nội vụ"]}, locale="vi")


def test_a_written_sheet_reads_back_as_written() -> None:
    sheet = read_sheet(_book(key="kh-12", title="Kế hoạch 12", issued_on="06/01/2026"))
    assert sheet.plan["key"] == "kh-12"
    assert sheet.plan["issued_on"] == "06/01/2026"
    assert sheet.plan_cells["issued_on"] == "B4"
    assert sheet.rows == [SheetRow(11, ROW | {"repeat": "không"})]


def test_the_sheet_is_in_times_new_roman_with_its_header_frozen_and_a_list_to_choose_repeats() -> None:
    book = load_workbook(BytesIO(_book()))
    assert book.sheetnames == ["Kế hoạch", "Đơn vị"]
    sheet = book["Kế hoạch"]
    assert [cell.value for cell in sheet[10]] == ["Mã", "Nhiệm vụ", "Đơn vị", "Hạn", "Lặp lại", "Ghi chú"]
    assert sheet.freeze_panes == "A11"
    assert sheet["B11"].font.name == FONT
    assert sheet.column_dimensions["B"].width == 60
    assert [v.formula1 for v in sheet.data_validations.dataValidation] == ['"không,hằng tháng,hằng quý,hằng năm"']
    assert [cell.value for cell in book["Đơn vị"][2]] == ["noi-vu", "Phòng Nội vụ", "phong"]


def test_columns_are_found_by_their_words_wherever_they_stand_and_dates_typed_as_dates_are_read() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên kế hoạch", "KH"])
    sheet.append([])
    sheet.append(["Han", "Don vi", "nhiem vu"])  # no diacritics, another order
    sheet.append([datetime(2026, 12, 4), "Nội vụ", "Báo cáo"])  # noqa: DTZ001  # Excel keeps a date without a zone
    buffer = BytesIO()
    book.save(buffer)
    read = read_sheet(buffer.getvalue())
    assert read.plan == {"title": "KH"}
    assert read.rows == [SheetRow(4, {"deadline": "04/12/2026", "units": "Nội vụ", "title": "Báo cáo"})]


def test_a_missing_column_is_named_and_a_file_that_is_no_workbook_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nhiệm vụ", "Ghi chú"])
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(SheetError) as missing:
        read_sheet(buffer.getvalue())
    assert (missing.value.problem, missing.value.missing) == ("columns", ["units", "deadline"])
    for content in (b"%PDF-1.4", b"Nhiem vu\tHan\n", b""):
        with pytest.raises(SheetError) as refused:
            read_sheet(content)
        assert refused.value.problem == "excel"


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "once", "date": "2026-12-04", "inclusive": False},
        {"kind": "once", "date": "2026-12-04", "inclusive": True},
        {"kind": "monthly", "day": 20, "inclusive": False, "from": "2026-11-30"},
        {"kind": "monthly", "day": 20, "inclusive": True, "from": "2026-11-30", "until": "2027-12-31"},
        {"kind": "yearly", "month": 6, "day": 15, "inclusive": False},
        {"kind": "yearly", "month": 6, "day": 15, "inclusive": True},
    ],
)
def test_a_deadline_written_reads_back_as_the_same_rule(rule: dict[str, object]) -> None:
    assert read_deadline(deadline_text(rule), today=TODAY).rule == rule


def _state(duties: list[Duty] | None = None) -> PlanState:
    plan = Plan(id=7, key="kh-12", title="KH 12") if duties is not None else None
    keys = {duty.key for duty in duties or []}
    return PlanState(UNITS, {"phong-ban": ["noi-vu", "kinh-te"]}, plan, duties or [], keys, TODAY)


def _sheet(*rows: dict[str, str]) -> Sheet:
    return Sheet({"key": "kh-12", "title": "KH 12"}, {}, [SheetRow(11 + n, row) for n, row in enumerate(rows)])


def test_units_groups_and_everyone_are_read_and_an_unknown_unit_named() -> None:
    preview = read_plan_sheet(
        _sheet(
            ROW | {"units": "noi vu, Kinh tế"},
            ROW | {"title": "B", "units": "phong-ban"},
            ROW | {"title": "C", "units": "tất cả"},
            ROW | {"title": "D", "units": "Tài chính"},
        ),
        _state(),
    )
    assert [(item["groups"], item["units"]) for item in preview.created] == [
        ([], ["kinh-te", "noi-vu"]),
        (["phong-ban"], []),
        ([], ["kinh-te", "my-hao", "noi-vu"]),  # every unit but the office
    ]
    assert [(p.row, p.column, p.kind, p.detail) for p in preview.problems] == [(14, "units", "unit", "Tài chính")]


def test_a_task_whose_deadline_is_over_is_kept_as_it_is_when_the_sheet_says_what_the_plan_says() -> None:
    old = Duty(id=1, key="bc", title="Báo cáo", rule={"kind": "once", "date": "2025-01-10", "inclusive": False})
    old.units, old.plan_id = ["noi-vu"], 7
    other = Duty(id=2, key="bc2", title="Khác", rule={"kind": "once", "date": "2027-01-10", "inclusive": False})
    other.plan_id = 7
    same = {"key": "bc", "title": "Báo cáo", "units": "Nội vụ", "deadline": "trước 10/01/2025", "note": ""}
    preview = read_plan_sheet(_sheet(same), _state([old, other]))
    assert (preview.unchanged, preview.problems, preview.created, preview.changed) == (1, [], [], [])
    assert preview.ended == [{"key": "bc2", "title": "Khác"}]
    moved = read_plan_sheet(_sheet(same | {"deadline": "trước 10/01 hằng năm"}), _state([old, other]))
    assert moved.changed[0]["values"] == {"rule": {"kind": "yearly", "month": 1, "day": 10, "inclusive": False}}


def test_a_past_day_and_31_february_are_named_for_a_new_task() -> None:
    preview = read_plan_sheet(
        _sheet(ROW | {"deadline": "trước 01/01/2026"}, ROW | {"deadline": "31/02/2027"}), _state()
    )
    assert [(p.row, p.kind, p.detail) for p in preview.problems] == [(11, "deadline", "past"), (12, "deadline", "date")]
