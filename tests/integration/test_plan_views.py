"""/kehoach and /nhiemvu (issue 15): the plans as dated documents, one duty with its two dates and its
ladder, and the office's changes to it, played as a clerk and an official would."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.app import App
from bot.settings import SHIPPED_PLAN
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage.models import AuditEntry, Duty
from storage.plan import load_plan
from storage.plan_file import read_plan
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_plans import SECOND_PLAN
from tests.integration.test_reminders import local, register, run_until

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BYN, NOI_VU, STRANGER = 2002, 2004, 9999
CITED = "Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã Mỹ Hào"
PLAN_1 = "1. Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025 — trước ngày 10/01/2025"
MONTHLY_2 = (
    "2. Báo cáo tháng kết quả theo dõi, đôn đốc thực hiện Bản cam kết của các xã, phường"
    " — trước ngày 20 hằng tháng đến tháng 12/2025"
)
UNKNOWN_2 = "Không có nhiệm vụ số {n} trong các nhiệm vụ của anh/chị. Danh sách nhiệm vụ: /kehoach."


async def load_text(app: App, text: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    async with app.sessions() as session:
        await load_plan(session, read_plan(path))


async def audit_actions(app: App) -> list[str]:
    async with app.sessions() as session:
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    return [entry.action for entry in entries if entry.action.startswith("duty_")]


async def test_the_office_sees_every_plan_in_force_with_its_numbered_duties(app: App, tmp_path) -> None:  # type: ignore[no-untyped-def]
    await load_text(app, SECOND_PLAN, tmp_path)
    text = text_of(await say(app, ADMIN_ID, "/kehoach"))
    assert text.startswith("Các kế hoạch đang có hiệu lực:\n\n📄 Kế hoạch số 12/KH-UBND")  # the latest first
    assert "\n\n📄 " + CITED + "\n" in text
    assert "Nơi nhận báo cáo: Văn phòng HĐND và UBND thị xã\nHiệu lực: từ ngày 01/01/2025 đến ngày 31/12/2025\n" in text
    assert PLAN_1 in text
    assert MONTHLY_2 in text
    assert "3. Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng — trước ngày 15/6/2025" in text
    # a plan with a number is cited by it, its title under it
    assert (
        "📄 Kế hoạch số 12/KH-UBND ngày 06/01/2026 của UBND thị xã Mỹ Hào\nKế hoạch rà soát biên chế năm 2026\n" in text
    )
    assert "5. Báo cáo rà soát biên chế năm 2026 — trước ngày 04/12/2026" in text
    assert text.endswith("Xem một nhiệm vụ: /nhiemvu <số>")


async def test_an_official_sees_the_plans_and_duties_of_his_unit_a_stranger_nothing(app: App, tmp_path) -> None:  # type: ignore[no-untyped-def]
    await load_text(app, SECOND_PLAN, tmp_path)
    await register(app, BYN, "Bần Yên Nhân")
    mine = text_of(await say(app, BYN, "/kehoach"))
    assert CITED in mine
    assert PLAN_1 in mine
    assert "Báo cáo tháng" not in mine  # the monthly report is the phòng's
    assert "12/KH-UBND" not in mine  # the second plan asks nothing of a phường
    assert text_of(await say(app, STRANGER, "/kehoach")).startswith("Anh/chị chưa đăng ký")
    assert text_of(await say(app, BYN, "/kehoach linh tinh")).startswith("Gửi /kehoach để xem")


async def test_a_plan_past_its_valid_to_is_shown_as_ended_only_when_asked(app: App, clock: FakeClock) -> None:
    clock.set(local(2026, 1, 5, 9, 0))
    now = text_of(await say(app, ADMIN_ID, "/kehoach"))
    assert now.startswith("Hiện không có kế hoạch nào đang có hiệu lực.")
    assert "1 kế hoạch đã hết hiệu lực: xem bằng /kehoach tatca." in now
    every = text_of(await say(app, ADMIN_ID, "/kehoach tất cả"))
    assert every.startswith("Các kế hoạch, kể cả kế hoạch đã hết hiệu lực:\n\n📄 " + CITED)
    assert "Hiệu lực: từ ngày 01/01/2025 đến ngày 31/12/2025 (đã hết hiệu lực)" in every
    assert PLAN_1 in every


async def test_one_duty_with_both_dates_and_its_ladder(app: App) -> None:
    await register(app, NOI_VU, "Nội vụ")
    shown = (await say(app, ADMIN_ID, "/nhiemvu 2")).replies[0]
    assert shown.text.splitlines() == [
        "Nhiệm vụ số 2: Báo cáo tháng kết quả theo dõi, đôn đốc thực hiện Bản cam kết của các xã, phường",
        "Theo " + CITED,
        "🏢 Đơn vị thực hiện (5): Phòng Nội vụ, Phòng Tài chính - Kế hoạch, Phòng Tài nguyên và Môi trường, "
        "Phòng Kinh tế, Phòng Quản lý đô thị",
        "Hạn: trước ngày 20 hằng tháng đến tháng 12/2025",
        "Hạn lần tới: trước ngày 20/01/2025 (thứ Hai)",
        "Đề nghị gửi chậm nhất ngày 17/01/2025 (thứ Sáu)",
        "Hạn chót theo quy định: hết ngày 20/01/2025 (thứ Hai)",
        "Lịch nhắc: 08:00 10/01/2025, 08:00 14/01/2025, 08:00 16/01/2025, 08:00 17/01/2025, 08:00 21/01/2025, "
        "08:00 23/01/2025, 08:00 05/02/2025",
        "Hạn sắp tới:",  # its next four, each with both dates and its data period (issue 25)
        "• 20/01/2025: ngày đề nghị gửi 17/01/2025 (thứ Sáu), hạn chót theo quy định 20/01/2025 (thứ Hai) "
        "(số liệu từ 15/12/2024 đến 14/01/2025)",
        "• 20/02/2025: ngày đề nghị gửi 19/02/2025 (thứ Tư), hạn chót theo quy định 19/02/2025 (thứ Tư) "
        "(số liệu từ 15/01/2025 đến 14/02/2025)",
        "• 20/03/2025: ngày đề nghị gửi 19/03/2025 (thứ Tư), hạn chót theo quy định 19/03/2025 (thứ Tư) "
        "(số liệu từ 15/02/2025 đến 14/03/2025)",
        "• 20/04/2025: ngày đề nghị gửi 18/04/2025 (thứ Sáu), hạn chót theo quy định 21/04/2025 (thứ Hai) "
        "(số liệu từ 15/03/2025 đến 14/04/2025)",
    ]
    assert [[(b.label, b.data) for b in row] for row in shown.buttons] == [
        [("📅 Đổi hạn", "/nhiemvu 2 han"), ("🏢 Đổi đơn vị", "/nhiemvu 2 donvi")],
        [("⛔ Kết thúc", "/nhiemvu 2 ketthuc")],
    ]
    # the buttons answer with the command to type
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 2 han")).startswith("Gửi hạn mới: /nhiemvu 2 hạn <hạn mới>")
    units = text_of(await say(app, ADMIN_ID, "/nhiemvu 2 donvi"))
    assert units.startswith("Gửi các đơn vị thực hiện: /nhiemvu 2 đơn vị <đơn vị, nhóm>")
    assert "Các nhóm: phong-ban, theo-doi-cam-ket, xa-phuong" in units
    # the unit's official sees it read-only; another unit's official does not see it
    official = (await say(app, NOI_VU, "/nhiemvu 2")).replies[0]
    assert official.text == shown.text
    assert official.buttons == []
    await register(app, BYN, "Bần Yên Nhân")
    assert text_of(await say(app, BYN, "/nhiemvu 2")) == UNKNOWN_2.format(n=2)
    assert text_of(await say(app, STRANGER, "/nhiemvu 2")).startswith("Anh/chị chưa đăng ký")


@pytest.mark.parametrize("typed", ["/nhiemvu", "/nhiemvu -1", "/nhiemvu 999999999999", "/nhiemvu ²", "/nhiemvu hai"])
async def test_a_duty_number_that_is_no_number(app: App, typed: str) -> None:
    assert text_of(await say(app, ADMIN_ID, typed)) == "Gửi /nhiemvu <số>, với số của nhiệm vụ trong /kehoach."


async def test_bad_changes_are_named_back_and_change_nothing(app: App) -> None:
    await register(app, NOI_VU, "Nội vụ")
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 999")) == UNKNOWN_2.format(n=999)
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 999 hạn trước 04/12/2026")) == UNKNOWN_2.format(n=999)
    answers = {
        "/nhiemvu 2 hạn 31/02/2026": "“31/02/2026” không phải là ngày có thật. Đề nghị kiểm tra lại ngày, tháng.",
        "/nhiemvu 2 han truoc 01/01/2025": "“truoc 01/01/2025” đã qua: hạn mới phải là ngày sắp tới.",
        "/nhiemvu 2 hạn khi nào xong": "Chưa đọc được hạn “khi nào xong”.",
        "/nhiemvu 2 đơn vị Nội vụ, Sao Hỏa": "Không tìm thấy đơn vị hoặc nhóm nào tên “Sao Hỏa”.\nChưa thay đổi gì.",
        "/nhiemvu 2 don vi phuong b": "“phuong b” trùng với nhiều đơn vị: Phường Bần Yên Nhân, Phường Bạch Sam.",
        "/nhiemvu 2 lung tung": "Để thay đổi nhiệm vụ số 2, gửi một trong các lệnh:\n/nhiemvu 2 hạn <hạn mới>",
    }
    for typed, answer in answers.items():
        assert text_of(await say(app, ADMIN_ID, typed)).startswith(answer), typed
    refused = "Chỉ Văn phòng mới thay đổi được nhiệm vụ."
    for typed in ("/nhiemvu 2 hạn trước 04/12/2026", "/nhiemvu 2 đơn vị Nội vụ", "/nhiemvu 2 kết thúc xác nhận"):
        assert text_of(await say(app, NOI_VU, typed)).startswith(refused), typed
    assert await audit_actions(app) == []
    assert "Hạn: trước ngày 20 hằng tháng đến tháng 12/2025" in text_of(await say(app, ADMIN_ID, "/nhiemvu 2"))


async def test_the_office_changes_units_and_ends_a_duty_with_its_history_kept(app: App) -> None:
    changed = text_of(await say(app, ADMIN_ID, "/nhiemvu 2 đơn vị Nội vụ, kinh te"))
    assert changed.startswith("Đã đổi đơn vị thực hiện nhiệm vụ số 2. Nhiệm vụ hiện nay:\n\nNhiệm vụ số 2: ")
    assert "🏢 Đơn vị thực hiện (2): Phòng Nội vụ, Phòng Kinh tế" in changed
    assert changed.endswith("khi tệp đó được nạp lại, nhiệm vụ sẽ trở lại như trong tệp. Đề nghị sửa cả tệp kế hoạch.")
    grouped = text_of(await say(app, ADMIN_ID, "/nhiemvu 2 don vi theo doi cam ket"))
    assert "🏢 Đơn vị thực hiện (5): Phòng Nội vụ, Phòng Tài chính - Kế hoạch" in grouped

    asked = (await say(app, ADMIN_ID, "/nhiemvu 2 kết thúc")).replies[0]
    assert asked.text.startswith("Kết thúc nhiệm vụ số 2 “Báo cáo tháng")
    assert [(b.label, b.data) for b in asked.buttons[0]] == [
        ("✅ Kết thúc", "/nhiemvu 2 ketthuc xacnhan"),
        ("❌ Không kết thúc", "/nhiemvu 2"),
    ]
    ended = text_of(await say(app, ADMIN_ID, "/nhiemvu 2 ketthuc xacnhan"))
    assert ended.startswith("Đã kết thúc nhiệm vụ số 2.")
    assert "⛔ Nhiệm vụ đã kết thúc" in ended
    assert "Hạn lần tới" not in ended
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 2 kết thúc xác nhận")) == "Nhiệm vụ số 2 đã kết thúc từ trước."
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 2 kết thúc")) == "Nhiệm vụ số 2 đã kết thúc từ trước."
    assert "Báo cáo tháng" not in text_of(await say(app, ADMIN_ID, "/kehoach"))
    assert "Báo cáo tháng" not in text_of(await say(app, ADMIN_ID, "/lich"))
    async with app.sessions() as session:
        duty = await session.get(Duty, 2)
    assert duty is not None
    assert not duty.in_plan
    assert await audit_actions(app) == ["duty_units", "duty_units", "duty_end"]


async def test_a_new_deadline_shows_in_lich_and_the_reminders_follow_it(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    changed = text_of(await say(app, ADMIN_ID, "/nhiemvu 1 hạn trước ngày 20/01/2025"))
    assert changed.startswith("Đã đổi hạn của nhiệm vụ số 1.")
    assert "Hạn: trước ngày 20/01/2025\nHạn lần tới: trước ngày 20/01/2025 (thứ Hai)\n" in changed
    assert (
        "Đề nghị gửi chậm nhất ngày 17/01/2025 (thứ Sáu)\nHạn chót theo quy định: hết ngày 20/01/2025 (thứ Hai)"
        in changed
    )
    calendar = text_of(await say(app, BYN, "/lich"))
    assert "📋 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025\ntrước ngày 20/01/2025 (thứ Hai)" in calendar
    assert "Thứ Sáu, 10/01/2025" not in calendar  # the old deadline is gone
    await run_until(service, clock, local(2025, 1, 22, 0, 0))
    steps = [(d.message.step, d.at.astimezone(TZ)) for d in sender.delivered if d.message.chat_id == str(BYN)]
    assert steps == [
        ("-7d", datetime(2025, 1, 10, 8, 0, tzinfo=TZ)),
        ("-3w", datetime(2025, 1, 14, 8, 0, tzinfo=TZ)),
        ("-1w", datetime(2025, 1, 16, 8, 0, tzinfo=TZ)),
        ("0", datetime(2025, 1, 17, 8, 0, tzinfo=TZ)),
        ("+1w", datetime(2025, 1, 21, 8, 0, tzinfo=TZ)),
    ]
    assert await audit_actions(app) == ["duty_deadline"]


async def test_a_reminder_cites_its_plan_by_number_and_date(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    shipped = SHIPPED_PLAN.read_text(encoding="utf-8")
    assert '# number = "15/KH-UBND"' in shipped  # the shipped file leaves the number to the office
    numbered = shipped.replace('# number = "15/KH-UBND"', 'number = "12/KH-UBND"\nissued_on = 2025-01-06')
    await load_text(app, numbered, tmp_path)
    await register(app, BYN, "Bần Yên Nhân")
    await service.tick()
    [reminder] = sender.to(BYN)
    assert reminder.text.splitlines()[:4] == [
        "🔔 Nhắc hạn báo cáo",
        "📋 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025",
        "Theo Kế hoạch số 12/KH-UBND ngày 06/01/2025 của UBND thị xã Mỹ Hào",
        "🏢 Phường Bần Yên Nhân",
    ]


async def test_the_next_load_of_the_plan_file_sets_a_chat_change_back(app: App, tmp_path) -> None:  # type: ignore[no-untyped-def]
    await say(app, ADMIN_ID, "/nhiemvu 2 đơn vị Nội vụ")
    await say(app, ADMIN_ID, "/nhiemvu 2 hạn ngày 25 hằng tháng")
    await say(app, ADMIN_ID, "/nhiemvu 3 kết thúc xác nhận")
    await load_text(app, SHIPPED_PLAN.read_text(encoding="utf-8"), tmp_path)  # as `nhacviec plan load` would
    again = text_of(await say(app, ADMIN_ID, "/nhiemvu 2"))
    assert "🏢 Đơn vị thực hiện (5): " in again
    assert "Hạn: trước ngày 20 hằng tháng đến tháng 12/2025" in again
    assert "⛔" not in text_of(await say(app, ADMIN_ID, "/nhiemvu 3"))
