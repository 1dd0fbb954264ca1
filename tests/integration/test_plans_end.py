"""Plans and units end, and what they owed closes with them (issue 24).

Played on the shipped plan, whose issuer (the thị xã Mỹ Hào) ended on 30/6/2025 with its 11 phòng and
13 xã/phường: in December 2026 nothing of the 2025 plan is late any more, while its own workbook still
says what each unit did and did not send. A plan valid from 2027 asks nothing in December 2026.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlmodel import select

from bot.app import App
from bot.web.overview import Choice, overview
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage.models import StatusUpdate
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import letter_lines, say, text_of, workbook_rows
from tests.integration.test_plan_sheet import sheet_sender, template
from tests.integration.test_reminders import local, register, run_until
from tests.sheets import filled

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
THEME = "Chủ đề công tác"  # in every duty of the 2025 plan


async def _closed(app: App) -> list[tuple[int, str, str]]:
    async with app.core.stores() as store:
        query = select(StatusUpdate).where(StatusUpdate.status == "closed").order_by(StatusUpdate.id)
        return [(row.unit_id, row.reason, row.note) for row in (await store.session.exec(query)).all()]


async def test_in_december_2026_nothing_of_the_2025_plan_is_late(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    clock.set(local(2026, 12, 7, 7, 30))  # a Monday
    preview = await say(app, ADMIN_ID, "/giao Mỹ Hào; trước 10/12/2026; Báo cáo công tác tháng 12")
    assert "Phường Mỹ Hào" in text_of(preview)
    await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)  # Giao
    await run_until(service, clock, local(2026, 12, 7, 8, 30), step=timedelta(minutes=30))
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert "475" not in late, late
    assert THEME not in late
    assert THEME not in text_of(await say(app, ADMIN_ID, "/tonghop"))
    digest = next((d for d in sender.delivered if d.message.step == "week-20261207"), None)
    assert digest is not None, [(d.message.step, d.message.chat_id) for d in sender.delivered]
    assert THEME not in (await app.core.render_reminder(digest.message)).text
    letter = (await say(app, ADMIN_ID, "/congvan")).replies
    assert letter[0].document is None or not any(THEME in line for line in letter_lines(letter[0].document.content))

    # the web page's overview: the task of today only, unless the office asks to see what ended
    async with app.core.stores() as store:
        today = clock.now().astimezone(TZ).date()
        live = await overview(app.core, store, today=today, locale="vi", choice=Choice())
        assert [column.title for column in live.columns] == ["Báo cáo công tác tháng 12"]
        found = await overview(app.core, store, today=today, locale="vi", choice=Choice(ended=True))
    plan_id = next(plan.id for plan in found.plans if plan.key == "my-hao-2025")
    async with app.core.stores() as store:
        found = await overview(app.core, store, today=today, locale="vi", choice=Choice(plan=plan_id, ended=True))
    assert PLAN in [column.title for column in found.columns]
    cells = {row.unit.name: row.cells[0].text for _kind, rows in found.sections for row in rows if row.cells[0]}
    assert cells["Phường Bần Yên Nhân"] == "không nộp (đã sắp xếp vào phường Mỹ Hào)"

    closed = await _closed(app)
    assert len(closed) == 24 + 24 + 5 * 6  # the plan and the 6-month report (24 units each), 6 monthly reports
    reasons = {reason for _unit, reason, _note in closed}
    assert reasons == {"merged", "unit_ended"}  # they ended with the thị xã, before its plan did
    assert ("merged", "Phường Mỹ Hào") in {(reason, note) for _unit, reason, note in closed}

    # the plan's own workbook keeps what each unit did and did not send
    outcome = await say(app, ADMIN_ID, "/xuat my-hao-2025")
    workbook = outcome.replies[0].document
    assert workbook is not None, text_of(outcome)
    book = load_workbook(BytesIO(workbook.content))
    assert any(row[0] == PLAN for row in workbook_rows(book["Tổng hợp"]))
    unit_rows = [row for sheet in book.worksheets[1:] for row in workbook_rows(sheet)]
    assert ("Phường Bần Yên Nhân", "Không nộp (đã sắp xếp vào phường Mỹ Hào)") in {row[:3:2] for row in unit_rows}
    assert ("Phòng Nội vụ", "Không nộp (đơn vị đã kết thúc)") in {row[:3:2] for row in unit_rows}


async def test_late_stays_late_until_the_unit_ends(app: App, clock: FakeClock, service: ReminderService) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    clock.set(local(2025, 6, 30, 9, 0))
    await service.tick()
    assert "Phòng Nội vụ: quá hạn" in text_of(await say(app, ADMIN_ID, "/quahan"))
    assert await _closed(app) == []
    clock.set(local(2025, 7, 1, 9, 0))
    await service.tick()
    assert "Phòng Nội vụ" not in text_of(await say(app, ADMIN_ID, "/quahan"))
    history = text_of(await say(app, ADMIN_ID, "/lichsu Nội vụ"))
    assert "không nộp" in history


async def test_nothing_is_asked_before_a_plans_start(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    clock.set(local(2026, 12, 7, 9, 0))
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Mỹ Hào", name="Lan")
    send = sheet_sender(app)
    plan = {"key": "ke-hoach-2027", "title": "Kế hoạch năm 2027", "issuer": "UBND phường Mỹ Hào"}
    plan |= {"valid_from": "01/01/2027", "valid_to": "31/12/2027"}
    task = {"title": "Báo cáo tháng về cải cách hành chính", "units": "Mỹ Hào", "deadline": "ngày 20 hằng tháng"}
    preview = await send(ADMIN_ID, filled(await template(app), plan=plan, rows=[task]))
    applied = await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    assert text_of(applied).startswith("✅"), text_of(applied)
    async with app.core.stores() as store:
        found = await store.plan_by_key("ke-hoach-2027")
        assert found is not None
        duty = (await store.duties_of_plan(found.id or 0))[0]
    shown = text_of(await say(app, ADMIN_ID, f"/nhiemvu {duty.id}"))
    assert "20/12/2026" not in shown
    assert "Hạn lần tới: chậm nhất ngày 20/01/2027" in shown, shown
    await run_until(service, clock, local(2026, 12, 31, 9, 0), step=timedelta(hours=6))
    assert not [d for d in sender.delivered if d.message.chat_id == "3001"]


async def test_an_ended_unit_named_says_it_ended_when_and_its_successor(app: App, clock: FakeClock) -> None:
    clock.set(local(2026, 12, 7, 9, 0))
    ended = "Phòng Nội vụ đã kết thúc hoạt động ngày 30/06/2025. Không có đơn vị nào kế thừa."
    assert text_of(await say(app, ADMIN_ID, "/moi Nội vụ")) == ended
    assert text_of(await say(app, ADMIN_ID, "/tonghop Nội vụ")) == ended
    assert ended in text_of(await say(app, ADMIN_ID, "/giao Nội vụ; trước 20/12/2026; Báo cáo biên chế"))
    # a merged unit leads to what it became
    assert "phường Mỹ Hào" in text_of(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))


async def test_the_office_carries_a_plan_over_to_the_successor_body(app: App, clock: FakeClock) -> None:
    clock.set(local(2025, 7, 2, 9, 0))
    await register(app, 3001, "Mỹ Hào", name="Lan")
    assert "1 kế hoạch đã hết hiệu lực" in text_of(await say(app, ADMIN_ID, "/kehoach"))
    listed = text_of(await say(app, ADMIN_ID, "/kehoach tatca"))
    assert "Cơ quan ban hành đã kết thúc ngày 30/06/2025: kế hoạch kết thúc theo." in listed
    assert "/kehoach 1 chuyển cho <cơ quan>" in listed
    assert "Chỉ Văn phòng" in text_of(await say(app, 3001, "/kehoach 1 chuyển cho UBND phường Mỹ Hào"))
    assert "/kehoach <số>" in text_of(await say(app, ADMIN_ID, "/kehoach 1 chuyển cho"))
    assert "“9”" in text_of(await say(app, ADMIN_ID, "/kehoach 9 chuyển cho UBND phường Mỹ Hào"))
    answer = text_of(await say(app, ADMIN_ID, "/kehoach 1 chuyển cho UBND phường Mỹ Hào"))
    assert answer.endswith("được chuyển cho UBND phường Mỹ Hào. Kế hoạch còn hiệu lực đến 31/12/2025."), answer
    assert "Đã chuyển cho UBND phường Mỹ Hào theo quyết định của Văn phòng." in text_of(
        await say(app, ADMIN_ID, "/kehoach")
    )
    clock.set(local(2025, 12, 10, 9, 0))  # the annual report is asked of the phường of today
    assert "Báo cáo kết quả thực hiện Chủ đề công tác năm" in text_of(await say(app, ADMIN_ID, "/tonghop"))


async def test_on_the_day_units_end_the_office_is_told_and_asked_official_by_official(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    clock.set(local(2025, 6, 30, 9, 0))
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    await register(app, 3002, "Nội vụ", name="Hùng")
    await run_until(service, clock, local(2025, 7, 1, 9, 0), step=timedelta(hours=1))
    ended = [d for d in sender.delivered if d.message.step == "ended-20250701"]
    assert len(ended) == 1
    reply = await app.core.render_reminder(ended[0].message)
    assert reply.text.startswith("🏁 Kết thúc hoạt động từ sau ngày 30/06/2025:\n• Kế hoạch")
    assert "• Phường Bần Yên Nhân" in reply.text
    assert "78 báo cáo chưa nộp được đóng theo" in reply.text
    assert "• Phường Bần Yên Nhân\nChờ Văn phòng quyết định" in reply.text
    datas = [button.data for row in reply.buttons for button in row]
    assert any(data.startswith("/donvi ban-yen-nhan cb ") and data.endswith(" chuyen") for data in datas)
    # the officials of the units that ended stay in sight until the office decides
    listed = text_of(await say(app, ADMIN_ID, "/donvi"))
    assert "⏳ Phường Bần Yên Nhân: 1 cán bộ · /donvi ban-yen-nhan" in listed
    assert "⏳ Phòng Nội vụ: 1 cán bộ · /donvi noi-vu" in listed
    await run_until(service, clock, local(2025, 7, 7, 9, 0), step=timedelta(hours=3))
    monday = next(d for d in sender.delivered if d.message.step == "week-20250707")
    text = (await app.core.render_reminder(monday.message)).text
    assert "🏁 Kết thúc trong tuần trước: " in text
    assert "78 báo cáo chưa nộp được đóng theo" in text


async def test_themdonvi_takes_todays_kinds_and_keeps_an_organisations_name(app: App, clock: FakeClock) -> None:
    clock.set(local(2026, 12, 7, 9, 0))
    cases = {
        "/themdonvi Trung tâm Phục vụ hành chính công; phòng": "Trung tâm Phục vụ hành chính công",
        "/themdonvi Bộ phận Tư pháp - Hộ tịch; phòng": "Bộ phận Tư pháp - Hộ tịch",
        "/themdonvi Văn hóa - Xã hội; phòng": "Phòng Văn hóa - Xã hội",
        "/themdonvi Kinh tế, Hạ tầng và Đô thị; phong": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "/themdonvi Ban Chỉ huy Quân sự; ban": "Ban Chỉ huy Quân sự",
        "/themdonvi Bần Yên Nhân; tổ dân phố": "Tổ dân phố Bần Yên Nhân",
        "/themdonvi Thôn Cẩm Xá; thôn": "Thôn Cẩm Xá",
        "/themdonvi Cô Tô; đặc khu": "Đặc khu Cô Tô",
        "/themdonvi Nội vụ; sở": "Sở Nội vụ",
        "/themdonvi Hội Nông dân; đơn vị": "Hội Nông dân",
    }
    for command, name in cases.items():
        answer = text_of(await say(app, ADMIN_ID, command))
        assert name in answer, (command, answer)
        assert f"Phòng {name}" not in answer
    assert "phòng, ban, xã, phường, đặc khu" in text_of(await say(app, ADMIN_ID, "/themdonvi Ấp 3; ấp"))


async def test_nhom_makes_a_group_the_office_gives_a_task_to(app: App, clock: FakeClock) -> None:
    clock.set(local(2026, 12, 7, 9, 0))
    await say(app, ADMIN_ID, "/themdonvi Văn hóa - Xã hội; phòng")
    await say(app, ADMIN_ID, "/themdonvi Kinh tế, Hạ tầng và Đô thị; phòng")
    made = text_of(await say(app, ADMIN_ID, "/nhom khối phòng: Văn hóa - Xã hội, Mỹ Hào"))
    assert made.startswith("✅"), made
    assert "Nhóm “khoi-phong” (2 đơn vị):\n• Phòng Văn hóa - Xã hội\n• Phường Mỹ Hào" in made
    shown = text_of(await say(app, ADMIN_ID, "/nhom khối phòng"))
    assert shown.startswith("Nhóm “khoi-phong” (2 đơn vị):")
    unknown = text_of(await say(app, ADMIN_ID, "/nhom khối phòng: Văn hóa - Xã hội, Tài chính ngân sách"))
    assert "“Tài chính ngân sách”" in unknown
    assert "(2 đơn vị)" in text_of(await say(app, ADMIN_ID, "/nhom khối phòng"))
    assert "/nhom" in text_of(await say(app, ADMIN_ID, "/nhom"))
    assert "Chỉ Văn phòng" in text_of(await say(app, 3001, "/nhom a: Mỹ Hào"))
    preview = text_of(await say(app, ADMIN_ID, "/giao khoi-phong; trước 20/12/2026; Báo cáo quý IV"))
    assert "2 đơn vị" in preview, preview
