"""A new office in December 2026, played in the terminal demo (issue 24): no plan loaded, its identity
set with /vanphong, its phòng added, a task given and let run late. Nothing of the thị xã anywhere.

Also: /vanphong's refusals and audit entry, the identity a plan file's start seeds, and the notice that
the body the identity names has ended."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.app import running
from bot.channels.console import ADMIN_ID, CHANNEL, ConsoleChat
from bot.settings import load_settings
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from storage.models import AuditEntry, Plan, Unit
from tests.helpers import letter_lines, workbook_rows
from tests.integration.test_console import Played

PHONG = ("Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội")
TASK = "Báo cáo kết quả chuyển đổi số năm 2026"
OLD = ("thị xã", "THỊ XÃ", "2025")  # nothing of the abolished thị xã, nor of its 2025 plan


class Office(Played):
    async def document(self, text: str) -> Path:
        said = await self.say(text)
        return Path(said.split("📎 ")[1].split()[0])


@pytest.fixture
async def office(database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Office]:
    """The terminal demo on a new database, no plan named, at 08:00 on Monday 07/12/2026."""
    monkeypatch.delenv("NHACVIEC_PLAN")
    monkeypatch.setenv("TMPDIR", str(Path.cwd()))  # the demo's files, this test's own
    settings = load_settings(database_url=database_url)
    clock = FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    out: list[str] = []
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CHANNEL}:{ADMIN_ID}"})) as application:
        chat = ConsoleChat(application.core, clock=clock, write=out.append)
        chat.reminders = application.reminders(chat, limits=Limits.off())
        played = Office(chat, out)
        played.app = application  # type: ignore[attr-defined]
        yield played


def _nothing_old(text: str) -> None:
    for word in OLD:
        assert word not in text, text


async def test_a_new_office_sets_itself_up_gives_a_task_and_follows_it_late(office: Office) -> None:
    welcome = await office.say("/start")
    assert "⬜ 1. thông tin Văn phòng: /vanphong" in welcome
    assert (await office.say("/kehoach tatca")).startswith("Chưa có kế hoạch nào.")  # no plan loaded
    changed = await office.say(
        "/vanphong cấp trên = UBND phường Mỹ Hào; cơ quan = Văn phòng HĐND và UBND; địa danh = Mỹ Hào"
    )
    assert changed.startswith("Đã cập nhật thông tin Văn phòng:\n• Cấp trên: UBND phường Mỹ Hào\n")
    assert "• Nơi nhận báo cáo: Văn phòng HĐND và UBND phường Mỹ Hào" in changed
    for name in PHONG:
        assert (await office.say(f"/themdonvi {name}; phòng")).startswith(f"Đã thêm {name}")
    steps = await office.say("/huongdan")
    assert steps.startswith("Các bước thiết lập, theo thứ tự:\n✅ 1.")
    assert "✅ 2." in steps
    assert "⬜ 3." in steps
    assert "⬜ 4." in steps
    preview = await office.say(f"/giao tất cả; trước ngày 10/12/2026; {TASK}")
    assert "🏢 2 đơn vị: Phòng Kinh tế, Hạ tầng và Đô thị, Phòng Văn hóa - Xã hội" in preview
    assert (await office.say("1")).startswith("✅ Đã giao nhiệm vụ cho 2 đơn vị")
    plans = await office.say("/kehoach")
    assert "📄 Nhiệm vụ Văn phòng giao của UBND phường Mỹ Hào" in plans
    assert "Nơi nhận báo cáo: Văn phòng HĐND và UBND phường Mỹ Hào" in plans

    digest = await office.say("/time 2026-12-14 09:00")  # the Monday after: late by 3 working days
    assert "🗓 Tuần từ 07/12/2026 đến 13/12/2026" in digest
    assert "⚠️ Kính báo Văn phòng: 2 đơn vị quá hạn chưa gửi báo cáo:" in digest
    assert "Theo Nhiệm vụ Văn phòng giao của UBND phường Mỹ Hào" in digest
    _nothing_old(digest.replace("năm 2026", ""))
    late = await office.say("/quahan")
    assert f"📋 {TASK} (hạn chót theo quy định 09/12/2026): 2 đơn vị, quá hạn 3 ngày làm việc" in late
    assert "• Phòng Văn hóa - Xã hội: quá hạn 3 ngày làm việc" in late
    summary = await office.say("/tonghop")
    assert summary.startswith(f"📊 {TASK}, hạn trước ngày 10/12/2026")
    for text in (late, summary):
        _nothing_old(text.replace("năm 2026", ""))

    lines = letter_lines((await office.document("/congvan")).read_bytes())
    assert lines[:2] == ["UBND PHƯỜNG MỸ HÀO", "VĂN PHÒNG HĐND VÀ UBND"]
    assert "Mỹ Hào, ngày 14 tháng 12 năm 2026" in lines
    assert any(line.startswith("Thực hiện nhiệm vụ do Văn phòng HĐND và UBND phường Mỹ Hào giao,") for line in lines)
    assert any(line.startswith("Văn phòng HĐND và UBND phường Mỹ Hào đề nghị") for line in lines)
    assert "- Phòng Văn hóa - Xã hội: chậm 3 ngày làm việc." in lines
    _nothing_old("\n".join(lines).replace("năm 2026", "").replace("/2026", ""))

    book = load_workbook(BytesIO((await office.document("/xuat")).read_bytes()))
    sheet = book["Tổng hợp"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("UBND PHƯỜNG MỸ HÀO", "VĂN PHÒNG HĐND VÀ UBND")
    assert [row[0] for row in workbook_rows(sheet)] == [TASK]
    for each in book:
        for row in each.iter_rows(values_only=True):
            _nothing_old(" ".join(str(cell) for cell in row if isinstance(cell, str)).replace("năm 2026", ""))


async def test_vanphong_refuses_nonsense_in_one_sentence_and_keeps_an_audit_entry(office: Office) -> None:
    assert (await office.say("/vanphong")).startswith("Thông tin Văn phòng:\n• Cấp trên: (chưa có)\n")
    assert (await office.say("/vanphong xyz = 1")).startswith(
        "Thông tin Văn phòng không có mục “xyz”. Các mục: cấp trên"
    )
    assert (await office.say("/vanphong cap tren =")).startswith("Mục “cấp trên” chưa có nội dung")
    assert (await office.say("/vanphong cấp trên")).startswith(
        "Để sửa thông tin Văn phòng: /vanphong <mục> = <nội dung>"
    )
    changed = await office.say("/vanphong cap tren = UBND xã Nghĩa Trụ; ky hieu = VPUB; nguoi ky = Nguyễn Văn An")
    assert "• Cấp trên: UBND xã Nghĩa Trụ" in changed
    assert "• Ký hiệu: VPUB" in changed
    assert "• Địa danh: Nghĩa Trụ" in changed
    assert "• Người ký: Nguyễn Văn An" in changed
    assert "• Quyền ký: (chưa có)" in await office.say("/vanphong quyền ký = -")  # the head signs in person
    invited = await office.say("/themdonvi Phòng Kinh tế; phòng")
    assert invited.startswith("Đã thêm")
    code = (await office.say("/moi Kinh tế")).split("Mã: ")[1].split()[0]
    await office.say("/as Kinh tế")
    await office.say(f"/dangky {code}")
    assert (await office.say("/vanphong cấp trên = X")).startswith(
        "Chỉ Văn phòng HĐND và UBND được dùng lệnh /vanphong"
    )
    await office.say("/as")
    async with office.app.sessions() as session:  # type: ignore[attr-defined]
        entries = (await session.exec(select(AuditEntry).where(AuditEntry.action == "office_identity_changed"))).all()
    assert len(entries) == 2
    assert entries[0].detail["parent"] == "UBND xã Nghĩa Trụ"  # type: ignore[index]


async def test_a_new_database_has_the_office_s_own_unit_and_no_plan(office: Office) -> None:
    async with office.app.sessions() as session:  # type: ignore[attr-defined]
        units = (await session.exec(select(Unit))).all()
        plans = (await session.exec(select(Plan))).all()
    assert [(unit.kind, unit.name) for unit in units] == [("van-phong", "Văn phòng HĐND và UBND")]
    assert plans == []
    assert await office.say("/quahan") == "Không có đơn vị nào quá hạn.\n"
    assert "Hiện không có báo cáo nào đang mở" in await office.say("/tonghop")
    assert "Hiện không có báo cáo nào đang mở" in await office.say("/xuat")
    refused = await office.say("/giao tất cả; trước ngày 20/12/2026; Báo cáo X")
    assert "• “tất cả” chưa có đơn vị nào phải báo cáo: thêm đơn vị trước bằng /themdonvi." in refused
    assert await office.say("/dong Văn hóa") == "Không tìm thấy đơn vị “Văn hóa”. Danh sách đơn vị: /donvi.\n"
    assert "Không có hạn nào trong những tuần tới." in await office.say("/lich")


@pytest.fixture
async def thi_xa(database_url: str) -> AsyncIterator[Office]:
    """The shipped 2025 plan's office in December 2026: its thị xã ended on 30/06/2025."""
    settings = load_settings(database_url=database_url)
    clock = FakeClock(datetime(2026, 12, 4, 1, 0, tzinfo=UTC))  # Friday 04/12/2026, 08:00
    out: list[str] = []
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CHANNEL}:{ADMIN_ID}"})) as application:
        chat = ConsoleChat(application.core, clock=clock, write=out.append)
        chat.reminders = application.reminders(chat, limits=Limits.off())
        yield Office(chat, out)


async def test_the_admins_are_told_weekly_that_the_body_ended_until_the_identity_names_todays(thi_xa: Office) -> None:
    assert "• Cấp trên: UBND thị xã Mỹ Hào" in await thi_xa.say("/vanphong")  # seeded from the plan file
    monday = await thi_xa.say("/time 2026-12-07 09:00")
    notice = "⚠️ UBND thị xã Mỹ Hào đã chấm dứt hoạt động từ ngày 30/06/2025"
    assert notice in monday
    assert "gửi:\n/vanphong cấp trên = <tên cơ quan cấp trên hiện nay>\n\n🗓 Tuần từ 07/12/2026" in monday
    assert notice in await thi_xa.say("/time 2026-12-14 09:00")  # every week until it is changed
    await thi_xa.say("/vanphong cấp trên = UBND phường Mỹ Hào")
    after = await thi_xa.say("/time 2026-12-21 09:00")
    assert after == "Đồng hồ của bản chạy thử đang là 09:00 21/12/2026.\n"  # nothing open, nothing ended: no digest


async def test_the_office_s_tasks_cite_today_s_identity_and_a_plan_file_its_own_issuer(thi_xa: Office) -> None:
    await thi_xa.say("/themdonvi Phòng Văn hóa - Xã hội; phòng")
    await thi_xa.say("/giao Văn hóa; trước ngày 20/12/2026; Báo cáo công tác văn hóa năm 2026")
    await thi_xa.say("1")
    before = await thi_xa.say("/kehoach")
    assert "📄 Nhiệm vụ Văn phòng giao của UBND thị xã Mỹ Hào" in before  # the identity the plan file seeded
    assert "Nơi nhận báo cáo: Văn phòng HĐND và UBND thị xã" in before
    await thi_xa.say("/vanphong cấp trên = UBND phường Mỹ Hào")
    after = await thi_xa.say("/kehoach tatca")
    assert "📄 Nhiệm vụ Văn phòng giao của UBND phường Mỹ Hào" in after
    assert "Nơi nhận báo cáo: Văn phòng HĐND và UBND phường Mỹ Hào" in after
    assert "📄 Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã Mỹ Hào" in after  # its own


def test_a_database_a_plan_was_loaded_into_keeps_its_issuer_as_the_office_s_first_identity(tmp_path: Path) -> None:
    """Before, each start loaded the shipped plan: such a database started with no plan named keeps it."""
    from typer.testing import CliRunner

    from bot.cli import app as cli
    from bot.settings import SHIPPED_PLAN

    runner = CliRunner()
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}", "NHACVIEC_PLAN": ""}
    assert runner.invoke(cli, ["plan", "load", str(SHIPPED_PLAN)], env=env).exit_code == 0
    written = runner.invoke(
        cli, ["report", "--format", "docx", "--at", "2025-01-13", "-o", str(tmp_path / "l.docx")], env=env
    )
    assert written.exit_code == 0, written.output
    assert letter_lines((tmp_path / "l.docx").read_bytes())[:2] == ["UBND THỊ XÃ MỸ HÀO", "VĂN PHÒNG HĐND VÀ UBND"]
