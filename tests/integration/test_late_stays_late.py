"""Late stays late: a report a unit never sent stays in every view until it is sent (issue 12).

Played on the shipped plan: Phường Bần Yên Nhân registers in January and never sends the plan due
10/01/2025. Months later it is still late, in /quahan, /tonghop, the Monday digest, the workbook and
the letter; and a late reply that names a report lands on that report.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from storage.models import Duty, Occurrence, StatusUpdate
from tests.conftest import ADMIN_ID
from tests.helpers import late_by_report, letter_lines, recorded, say, text_of, workbook_rows
from tests.integration.test_reminders import OFFICIAL, local, register

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
SIX_MONTHS = "Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng"


async def _silent_unit(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan")


async def _recorded_against(app: App) -> list[tuple[str, str]]:
    async with app.sessions() as session:
        query = (
            select(Duty.key, StatusUpdate.status)
            .join(Occurrence, Occurrence.id == StatusUpdate.occurrence_id)
            .join(Duty, Duty.id == Occurrence.duty_id)
            .order_by(StatusUpdate.id)
        )
        return [(key, status) for key, status in (await session.exec(query)).all()]


async def test_a_report_never_sent_is_late_months_later(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 6, 9, 9, 0))
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert any(line.startswith("Phường Bần Yên Nhân: quá hạn") for line in late_by_report(late)[PLAN])
    summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
    assert f"📊 {PLAN}" in summary
    assert f"📊 {SIX_MONTHS}" in summary  # the coming report is there too

    workbook = (await say(app, ADMIN_ID, "/xuat")).replies[0].document
    assert workbook is not None
    sheet = load_workbook(BytesIO(workbook.content))["Tổng hợp"]
    duties = [row[0] for row in workbook_rows(sheet)]
    assert PLAN in duties

    letter = (await say(app, ADMIN_ID, "/congvan")).replies[0].document
    assert letter is not None
    lines = letter_lines(letter.content)
    assert any(line.startswith(f"1. {PLAN} (hạn trước ngày 10/01/2025; hạn chót theo quy định") for line in lines)
    assert any(line.startswith("- UBND phường Bần Yên Nhân: chậm") for line in lines)


async def test_the_monday_digest_keeps_naming_it(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 2, 10, 9, 0))  # a month after the deadline
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert "Không có đơn vị nào quá hạn" not in late
    assert any(line.startswith("Phường Bần Yên Nhân: quá hạn") for line in late_by_report(late)[PLAN])


async def test_a_report_sent_at_last_leaves_the_views(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 6, 9, 9, 0))
    answer = text_of(await say(app, OFFICIAL, "đã nộp kế hoạch năm 2025 rồi ạ"))
    assert recorded(answer).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {PLAN}: đã nộp")
    assert await _recorded_against(app) == [("ke-hoach-2025", "done")]
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert "Phường Bần Yên Nhân" not in late_by_report(late).get(PLAN, [])
    assert f"• Phường Bần Yên Nhân, {PLAN}: đã nộp muộn 99 ngày làm việc" in late  # sent late stays said (issue 25)


async def test_words_naming_a_report_choose_it_and_plain_words_ask(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 6, 9, 9, 0))
    asked = await say(app, OFFICIAL, "đã nộp")  # the late plan or the 6-month report?
    labels = [row[0].label for row in asked.replies[0].buttons]
    assert len(labels) == 2
    assert any(label.startswith("Kế hoạch") and label.endswith("(10/01)") for label in labels)
    assert any(label.startswith("Báo cáo") and label.endswith("(15/06)") for label in labels)
    assert await _recorded_against(app) == []

    answer = text_of(await say(app, OFFICIAL, "bc 6 thang dang thuc hien 50%"))
    assert recorded(answer).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {SIX_MONTHS}: đang thực hiện 50%")
    assert await _recorded_against(app) == [("bao-cao-6-thang", "in_progress")]


async def test_late_stays_late_until_the_merger_then_it_closes_with_the_unit(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 6, 30, 9, 0))  # the last day of the thị xã, its phòng and 13 xã/phường
    letter = (await say(app, ADMIN_ID, "/congvan")).replies[0].document
    assert letter is not None
    lines = letter_lines(letter.content)
    assert any(line.startswith("- UBND phường Bần Yên Nhân: chậm") for line in lines)
    clock.set(local(2025, 7, 1, 9, 0))  # merged into 3 phường today: what they owed closed with them
    assert (await say(app, ADMIN_ID, "/congvan")).replies[0].document is None
    assert "Bần Yên Nhân" not in text_of(await say(app, ADMIN_ID, "/quahan"))


async def test_the_office_closes_what_a_unit_owes_no_more(app: App, clock: FakeClock) -> None:
    await _silent_unit(app, clock)
    clock.set(local(2025, 6, 30, 9, 0))  # the thị xã's phòng end today with their reports unsent
    assert "Phòng Nội vụ" in text_of(await say(app, ADMIN_ID, "/quahan"))
    answer = text_of(await say(app, ADMIN_ID, "/dong Nội vụ"))
    assert answer.startswith("Đã đóng 8 báo cáo của Phòng Nội vụ")  # the plan, 6 monthly, the 6-month
    assert "Phòng Nội vụ" not in text_of(await say(app, ADMIN_ID, "/quahan"))
    history = text_of(await say(app, ADMIN_ID, "/lichsu Nội vụ"))
    assert "đã đóng" in history

    one = text_of(await say(app, ADMIN_ID, "/dong Bần Yên Nhân: kế hoạch"))
    assert one.startswith(f"Đã đóng 1 báo cáo của phường Bần Yên Nhân:\n• {PLAN}")
    late = late_by_report(text_of(await say(app, ADMIN_ID, "/quahan")))
    assert not any(line.startswith("Phường Bần Yên Nhân") for line in late.get(PLAN, []))
    assert any(line.startswith("Phường Bần Yên Nhân") for line in late[SIX_MONTHS])  # still owed

    assert text_of(await say(app, ADMIN_ID, "/dong")).startswith("Để đóng")
    assert "Không tìm thấy" in text_of(await say(app, ADMIN_ID, "/dong Xyz"))
    assert text_of(await say(app, ADMIN_ID, "/dong Nội vụ")) == "Phòng Nội vụ không còn báo cáo nào để đóng."
    assert text_of(await say(app, OFFICIAL, "/dong Bần Yên Nhân")).startswith("Chỉ Văn phòng")
