"""Plan sheets as an office fills them, for the tests: the template's cells set by their headers."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import load_workbook

from messages.plan_sheet import COLUMNS, PLAN_FIELDS

TABLE_ROW = len(PLAN_FIELDS) + 2  # the task table's header row in a written sheet
FIRST_ROW = TABLE_ROW + 1


def filled(
    workbook: bytes,
    *,
    plan: dict[str, str] | None = None,
    rows: Sequence[dict[str, str]] = (),
    start: int = FIRST_ROW,
    drop_column: str | None = None,
) -> bytes:
    """The workbook with the plan's header fields and task rows (by column key) written in; a column
    taken away (its header emptied) when `drop_column` names it."""
    book = load_workbook(BytesIO(workbook))
    sheet = book.worksheets[0]
    fields = [key for key, _name in PLAN_FIELDS]
    for key, value in (plan or {}).items():
        sheet.cell(row=fields.index(key) + 1, column=2, value=value)
    columns = [key for key, _name in COLUMNS]
    for number, row in enumerate(rows, start=start):
        for key, value in row.items():
            sheet.cell(row=number, column=columns.index(key) + 1, value=value)
    if drop_column is not None:
        sheet.cell(row=TABLE_ROW, column=columns.index(drop_column) + 1).value = None
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PLAN_2025 = {
    "key": "ra-soat-2025",
    "title": "Kế hoạch rà soát biên chế năm 2025",
    "number": "12/KH-UBND",
    "issued_on": "06/01/2025",
    "issuer": "UBND thị xã Mỹ Hào",
    "report_to": "Phòng Nội vụ",
}
TASKS = [
    {"title": "Báo cáo rà soát biên chế", "units": "Nội vụ, Kinh tế", "deadline": "trước 04/12/2025"},
    {"title": "Báo cáo tháng về cải cách hành chính", "units": "phong-ban", "deadline": "ngày 20 hằng tháng"},
    {"title": "Báo cáo thi đua", "units": "tất cả", "deadline": "15/6", "repeat": "hằng năm", "note": "Gửi bản giấy"},
]
