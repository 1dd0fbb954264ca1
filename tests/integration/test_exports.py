"""The exports, opened and read back cell by cell."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say
from tests.integration.test_summaries import local, seed


async def test_the_workbook_has_a_summary_and_a_sheet_per_deadline(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 9, 0))
    outcome = await say(app, ADMIN_ID, "/xuat")
    reply = outcome.replies[0]
    assert reply.document is not None
    assert reply.document.file_name == "tong-hop-2025-01-13.xlsx"
    assert reply.text.startswith("Tình hình báo cáo đến ngày 13/01/2025")
    book = load_workbook(BytesIO(reply.document.content))
    summary = book["Tổng hợp"]
    assert summary["A1"].value == "Báo cáo ngày 13/01/2025"
    assert [cell.value for cell in summary[2]] == [
        "Nhiệm vụ",
        "Hạn",
        "Nên gửi trước",
        "Hạn chót theo quy định",
        "Số đơn vị",
        "Đã nộp",
        "Tỷ lệ",
    ]
    plan = next(row for row in summary.iter_rows(min_row=3, values_only=True) if str(row[0]).startswith("Kế hoạch"))
    # Excel keeps days without a time zone: they come back as midnight; 24 units: 13 xã/phường, 11 phòng
    assert (plan[1].date(), plan[2].date(), plan[3].date(), plan[4], plan[5]) == (
        date(2025, 1, 10),
        date(2025, 1, 9),
        date(2025, 1, 9),
        24,
        1,
    )
    assert abs(plan[6] - 1 / 24) < 1e-9
    assert len(book.sheetnames) == 1 + summary.max_row - 2
    # Excel allows 31 characters: the title is shortened at a word, once "Kế hoạch triển khai th 10-01-25"
    assert {"Kế hoạch triển khai… 10-01-25", "Báo cáo tháng kết quả… 20-01-25"} <= set(book.sheetnames)
    # laid out for reading: bold headings, the two top rows frozen, days and rates formatted
    assert summary["A1"].font.bold
    assert summary["A2"].font.bold
    assert summary.freeze_panes == "A3"
    formats = [summary[f"{column}3"].number_format for column in "BCDG"]
    assert formats == ["DD/MM/YYYY", "DD/MM/YYYY", "DD/MM/YYYY", "0.0%"]
    assert summary.column_dimensions["A"].width > 40  # the longest duty title fits
    sheet = book[book.sheetnames[1]]
    assert [cell.value for cell in sheet[2]] == [
        "Đơn vị",
        "Cán bộ",
        "Trạng thái",
        "Tỷ lệ hoàn thành (%)",
        "Ngày dự kiến",
        "Cập nhật cuối",
        "Số ngày làm việc quá hạn",
        "Ghi chú",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Phường Bần Yên Nhân"][1:3] == ("Lan (Telegram)", "Đã nộp")  # with the channel that reaches her
    minh = rows["Phường Phan Đình Phùng"]
    assert sheet["E3"].number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A3"
    assert (minh[1], minh[2], minh[3], minh[4].date(), minh[5], minh[6]) == (
        "Minh (Telegram)",
        "Đang thực hiện",  # what Minh said; the days late have their own column
        60,
        date(2025, 1, 15),
        "09:00 08/01/2025",
        2,
    )
    assert rows["Xã Cẩm Xá"][1:3] == (None, "Không liên lạc được")  # an empty cell reads back as None


async def test_the_follow_up_letter_lists_the_late_units(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 9, 0))
    reply = (await say(app, ADMIN_ID, "/congvan")).replies[0]
    assert reply.document is not None
    document = Document(BytesIO(reply.document.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Mỹ Hào, ngày 13 tháng 01 năm 2025" in text
    assert "V/v đôn đốc nộp báo cáo chậm hạn" in text
    assert "(hạn chót theo quy định: ngày 09 tháng 01 năm 2025):" in text
    assert "Phường Phan Đình Phùng: chậm 2 ngày làm việc" in text
    assert "Phường Bần Yên Nhân: chậm" not in text
    header = document.tables[0]
    assert header.cell(0, 1).text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.cell(1, 1).text == "Độc lập - Tự do - Hạnh phúc"


async def test_exports_are_for_the_office_and_say_so_when_nothing_is_late(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    assert (await say(app, 3002, "/xuat")).replies[0].text == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /xuat."
    assert (await say(app, ADMIN_ID, "/congvan")).replies[0].text == "Không có đơn vị nào quá hạn. 🎉"


def test_the_report_command_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    for fmt in ("xlsx", "docx", "text"):
        target = tmp_path / f"report.{fmt}"
        result = runner.invoke(cli, ["report", "--format", fmt, "--at", "2025-01-13", "-o", str(target)], env=env)
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
    assert load_workbook(tmp_path / "report.xlsx")["Tổng hợp"]["A1"].value == "Báo cáo ngày 13/01/2025"
    text = (tmp_path / "report.text").read_text(encoding="utf-8")
    assert "0/24 đơn vị đã nộp" in text
    bad = runner.invoke(cli, ["report", "--format", "pdf", "-o", str(tmp_path / "x")], env=env)
    assert bad.exit_code == 2
    assert "--format wants xlsx, docx or text" in bad.stderr


async def test_the_chart_is_a_png_of_submissions(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 9, 0))
    outcome = await say(app, ADMIN_ID, "/bieudo")
    plan = next(reply for reply in outcome.replies if reply.text.startswith("Kế hoạch"))
    assert plan.text == (
        "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025 (hạn trước ngày Thứ Sáu, 10/01/2025): "
        "1/24 đơn vị đã nộp"
    )
    assert plan.photo is not None
    png = plan.photo.content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 400
    assert height > 200
