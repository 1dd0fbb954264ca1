"""The exports, opened and read back cell by cell."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from bot.settings import SHIPPED_PLAN
from messages.workbook import HEADER_ROW
from scheduler.clock import FakeClock
from storage.plan_file import read_plan
from tests.conftest import ADMIN_ID
from tests.helpers import letter_lines, say, workbook_rows
from tests.integration.test_summaries import local, seed

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"


async def test_the_workbook_has_a_summary_and_a_sheet_per_deadline(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 8, 0))
    outcome = await say(app, ADMIN_ID, "/xuat")
    reply = outcome.replies[0]
    assert reply.document is not None
    assert reply.document.file_name == "tong-hop-2025-01-13.xlsx"
    assert reply.text.startswith("Tình hình báo cáo đến ngày 13/01/2025")
    book = load_workbook(BytesIO(reply.document.content))
    summary = book["Tổng hợp"]
    # the title block: who issues it, what it is, as of when
    assert [summary.cell(row, 1).value for row in range(1, HEADER_ROW)] == [
        "UBND THỊ XÃ MỸ HÀO",
        "VĂN PHÒNG HĐND VÀ UBND",
        "TÌNH HÌNH GỬI BÁO CÁO",
        "Tính đến 08:00 ngày 13/01/2025",
        None,
    ]
    assert summary["B2"].value is None  # names at the left, not stretched over the table
    assert summary["A2"].font.b
    assert summary["A3"].font.b
    assert summary["A4"].font.i
    assert summary["A3"].alignment.horizontal == "centerContinuous"  # centred over the table, unmerged
    assert [cell.value for cell in summary[HEADER_ROW]] == [
        "STT",
        "Nhiệm vụ",
        "Hạn",
        "Ngày đề nghị gửi",
        "Hạn chót theo quy định",
        "Số đơn vị",
        "Đã nộp",
        "Quá hạn",
        "Tỷ lệ đã nộp",
    ]
    reports = workbook_rows(summary)
    plan = next(row for row in reports if str(row[0]).startswith("Kế hoạch"))
    # Excel keeps days without a time zone: they come back as midnight; 24 units: 13 xã/phường, 11 phòng
    assert (plan[1].date(), plan[2].date(), plan[3].date(), plan[4], plan[5], plan[6]) == (
        date(2025, 1, 10),
        date(2025, 1, 9),
        date(2025, 1, 9),
        24,
        1,
        23,  # all but Bần Yên Nhân, who sent
    )
    assert abs(plan[7] - 1 / 24) < 1e-9  # the compliance rate
    assert [row[0] for row in summary.iter_rows(min_row=HEADER_ROW + 1, max_col=1, values_only=True)] == [1, 2]
    assert len(book.sheetnames) == 2 + len(reports)  # the summary, a sheet per report, the on-time rates
    # Excel allows 31 characters: the title is shortened at a word, once "Kế hoạch triển khai th 10-01-25"
    assert {"Kế hoạch triển khai… 10-01-25", "Báo cáo tháng kết quả… 20-01-25"} <= set(book.sheetnames)
    formats = [summary.cell(HEADER_ROW + 1, column).number_format for column in (3, 4, 5, 9)]
    assert formats == ["DD/MM/YYYY", "DD/MM/YYYY", "DD/MM/YYYY", "0.0%"]
    assert summary.column_dimensions["B"].width == 45  # the longest duty wraps at 45 characters
    assert summary.row_dimensions[HEADER_ROW + 2].height == 32  # and its row is two lines tall
    sheet = book[book.sheetnames[1]]
    assert sheet["A3"].value == "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
    assert sheet["A5"].value == (
        "Hạn: trước ngày 10/01/2025 (thứ Sáu); hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)"
    )
    assert [cell.value for cell in sheet[HEADER_ROW]] == [
        "STT",
        "Đơn vị",
        "Cán bộ",
        "Trạng thái",
        "Tỷ lệ hoàn thành (%)",
        "Ngày dự kiến",
        "Cập nhật cuối",
        "Số ngày làm việc quá hạn",
        "Đúng hạn",
        "Ghi chú",
    ]
    rows = {row[0]: row for row in workbook_rows(sheet)}
    # the plan's order of units, numbered
    assert list(rows) == [unit.name for unit in read_plan(SHIPPED_PLAN).units if unit.valid_to is not None][:24]
    assert rows["Phường Bần Yên Nhân"][1:3] == ("Lan (Telegram)", "Đã nộp")  # with the channel that reaches her
    minh = rows["Phường Phan Đình Phùng"]
    assert sheet.cell(HEADER_ROW + 1, 6).number_format == "DD/MM/YYYY"
    assert (minh[1], minh[2], minh[3], minh[4].date(), minh[5], minh[6]) == (
        "Minh (Telegram)",
        "Đang thực hiện",  # what Minh said; the days late have their own column
        60,
        date(2025, 1, 15),
        "09:00 08/01/2025",
        2,
    )
    assert rows["Xã Cẩm Xá"][1:3] == (
        None,
        "Chưa có cán bộ đăng ký nhận nhắc",
    )  # not "Không liên lạc được"  # an empty cell reads back as None


async def test_the_workbook_is_laid_out_to_read_and_to_print(app: App, clock: FakeClock) -> None:
    """Times New Roman, a bordered table under a frozen header, A4 landscape one page wide with the
    header row on every page."""
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 8, 0))
    content = (await say(app, ADMIN_ID, "/xuat")).replies[0].document
    assert content is not None
    for sheet in load_workbook(BytesIO(content.content)).worksheets:
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert {cell.font.name for cell in cells} == {"Times New Roman"}
        table = [cell for row in sheet.iter_rows(min_row=HEADER_ROW) for cell in row]
        assert all(cell.border.left.style == cell.border.bottom.style == "thin" for cell in table)
        assert all(cell.font.b for cell in sheet[HEADER_ROW])
        for letter, dimension in sheet.column_dimensions.items():
            assert 8 <= dimension.width <= 45, (sheet.title, letter)


async def test_the_follow_up_letter_lists_the_late_units(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 13, 9, 0))
    reply = (await say(app, ADMIN_ID, "/congvan")).replies[0]
    assert reply.document is not None
    lines = letter_lines(reply.document.content)
    assert lines[:4] == ["UBND THỊ XÃ MỸ HÀO", "VĂN PHÒNG HĐND VÀ UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert "Mỹ Hào, ngày 13 tháng 01 năm 2025" in lines
    assert "V/v đôn đốc gửi báo cáo theo Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025" in lines
    assert "- UBND các phường: Bạch Sam, Dị Sử, Minh Đức, Nhân Hòa, Phan Đình Phùng, Phùng Chí Kiên;" in lines
    assert f"1. {PLAN} (hạn trước ngày 10/01/2025; hạn chót theo quy định: ngày 09 tháng 01 năm 2025):" in lines
    assert "- UBND phường Phan Đình Phùng: chậm 2 ngày làm việc;" in lines
    assert not any("Bần Yên Nhân: chậm" in line for line in lines)  # it sent
    # three working days to reply: Thursday 16/01
    assert any("chậm nhất ngày 16/01/2025 để tổng hợp, báo cáo UBND thị xã Mỹ Hào./." in line for line in lines)
    assert lines[-5:] == ["", "", "", "", ""]  # room to sign; the name is the settings' (none by default)


async def test_exports_are_for_the_office_and_say_so_when_nothing_is_late(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    assert (await say(app, 3002, "/xuat")).replies[0].text == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /xuat."
    assert (await say(app, ADMIN_ID, "/congvan")).replies[0].text == "Không có đơn vị nào quá hạn."


def test_the_report_command_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    for fmt in ("xlsx", "docx", "text"):
        target = tmp_path / f"report.{fmt}"
        result = runner.invoke(cli, ["report", "--format", fmt, "--at", "2025-01-13", "-o", str(target)], env=env)
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
    assert load_workbook(tmp_path / "report.xlsx")["Tổng hợp"]["A4"].value == "Tính đến 12:00 ngày 13/01/2025"
    # the settings are a new database's first identity: another office signs its own letters
    signer = {"NHACVIEC_LETTER_SIGNER_NAME": "Nguyễn Văn An", "NHACVIEC_LETTER_PARENT": "UBND thị xã Đông Triều"}
    for database, parent, name in (
        ("r.db", "UBND THỊ XÃ MỸ HÀO", ""),
        ("s.db", "UBND THỊ XÃ ĐÔNG TRIỀU", "Nguyễn Văn An"),
    ):
        signed = runner.invoke(
            cli,
            ["report", "--format", "docx", "--at", "2025-01-13", "-o", str(tmp_path / "s.docx")],
            env=env | signer | {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / database}"},
        )
        assert signed.exit_code == 0, signed.output
        lines = letter_lines((tmp_path / "s.docx").read_bytes())
        assert (lines[0], lines[-1]) == (parent, name)  # the first start's identity stays until /vanphong
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
        "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025, hạn trước ngày 10/01/2025 (thứ Sáu): "
        "1/24 đơn vị đã nộp"
    )
    assert plan.photo is not None
    png = plan.photo.content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 400
    assert height > 200
