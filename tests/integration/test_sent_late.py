"""Late stays visible after it is sent (issue 25): a report sent after its legal last day is "đã nộp
muộn N ngày làm việc" in every view; one sent on or before it is "đúng hạn".

Played on the shipped plan: the 2025 plan due "trước ngày 10/01/2025" (legal last day Thursday 09/01)
sent on Monday 13/01 is 2 working days late (Friday 10, Monday 13); the 6-month report due
"trước ngày 15/6/2025" (legal last day Monday 16/6, 14/6 being a Saturday) sent on Wednesday 18/06 is 2 late.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.app import App
from bot.web.overview import Choice, overview
from messages.workbook import HEADER_ROW
from scheduler.clock import FakeClock
from storage.store import Store
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of, workbook_rows
from tests.integration.test_reminders import local, register

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
SIX_MONTHS = "Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng"
LAN, MINH = 2101, 2102


async def _two_units(app: App) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, LAN, "Bần Yên Nhân", name="Lan")
    await register(app, MINH, "Phan Đình Phùng", name="Minh")


def _line(text: str, report: str, unit: str) -> str:
    block = next(part for part in text.split("\n\n") if part.startswith(f"📊 {report}"))
    return next(line for line in block.splitlines() if line.startswith(f"• {unit}"))


async def test_the_plan_sent_on_13_01_is_late_in_every_view(app: App, clock: FakeClock) -> None:
    await _two_units(app)
    clock.set(local(2025, 1, 9, 9, 0))
    await say(app, MINH, "đã nộp kế hoạch năm 2025", name="Minh")  # on its legal last day
    clock.set(local(2025, 1, 13, 9, 0))
    await say(app, LAN, "đã nộp kế hoạch năm 2025 rồi ạ", name="Lan")

    summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
    assert _line(summary, PLAN, "Phường Bần Yên Nhân").endswith("đã nộp muộn 2 ngày làm việc")
    assert _line(summary, PLAN, "Phường Phan Đình Phùng").endswith("đúng hạn")

    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert f"• Phường Bần Yên Nhân, {PLAN}: đã nộp muộn 2 ngày làm việc" in late
    assert "Phường Phan Đình Phùng, " not in late

    history = text_of(await say(app, ADMIN_ID, "/lichsu Bần Yên Nhân"))
    assert "đã nộp (đã nộp muộn 2 ngày làm việc)" in history
    assert "đã nộp (đúng hạn)" in text_of(await say(app, ADMIN_ID, "/lichsu Phan Đình Phùng"))

    workbook = (await say(app, ADMIN_ID, "/xuat")).replies[0].document
    assert workbook is not None
    book = load_workbook(BytesIO(workbook.content))
    sheet = next(book[name] for name in book.sheetnames if name.startswith("Kế hoạch"))
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    rows = {row[0]: row for row in workbook_rows(sheet)}
    days, said = headers.index("Số ngày làm việc quá hạn") - 1, headers.index("Đúng hạn") - 1
    assert (rows["Phường Bần Yên Nhân"][days], rows["Phường Bần Yên Nhân"][said]) == (
        2,
        "đã nộp muộn 2 ngày làm việc",
    )
    assert (rows["Phường Phan Đình Phùng"][days], rows["Phường Phan Đình Phùng"][said]) == (0, "đúng hạn")
    fills = {sheet.cell(row, 2).value: sheet.cell(row, 2).fill.fgColor.rgb for row in range(HEADER_ROW + 1, 40)}
    assert fills["Phường Bần Yên Nhân"] != fills["Phường Phan Đình Phùng"]  # a fill of its own

    async with app.sessions() as session:
        table = await overview(app.core, Store(session), today=clock.now().date(), locale="vi", choice=Choice())
    cells = {row.unit.name: row.cells[0] for _name, rows_ in table.sections for row in rows_}
    assert cells["Phường Bần Yên Nhân"] is not None
    assert cells["Phường Phan Đình Phùng"] is not None
    assert (cells["Phường Bần Yên Nhân"].text, cells["Phường Bần Yên Nhân"].group) == (
        "đã nộp 13/01/2025, muộn 2 ngày",
        "done-late",
    )
    assert cells["Phường Phan Đình Phùng"].group == "done"


async def test_the_six_month_report_sent_on_18_06_is_late(app: App, clock: FakeClock) -> None:
    await _two_units(app)
    clock.set(local(2025, 6, 16, 9, 0))
    await say(app, MINH, "đã nộp báo cáo 6 tháng", name="Minh")  # Monday 16/6: the legal last day
    clock.set(local(2025, 6, 18, 9, 0))
    await say(app, LAN, "đã nộp báo cáo 6 tháng", name="Lan")
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {SIX_MONTHS}"))
    assert _line(summary, SIX_MONTHS, "Phường Bần Yên Nhân").endswith("đã nộp muộn 2 ngày làm việc")
    assert _line(summary, SIX_MONTHS, "Phường Phan Đình Phùng").endswith("đúng hạn")
