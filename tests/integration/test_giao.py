"""`/giao`: the office gives a task in one message (issue 15). A preview first, kept in the database;
✅ makes it a duty of the office's own plan, tells the units' officials at once through the outbox,
with a reminder's buttons, and it shows wherever a plan duty shows."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from bot.app import App
from bot.core import Outcome
from bot.core.types import Attachment
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage.models import AuditEntry, Duty, Plan
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_reminders import register

NOI_VU, KINH_TE, STRANGER = 3001, 3002, 3999
TASK = "/giao Nội vụ, Kinh tế; trước 15/01/2025; Báo cáo rà soát biên chế năm 2025"


def taps(outcome: Outcome) -> list[str]:
    return [button.data for row in outcome.replies[0].buttons for button in row]


async def duties(app: App) -> list[Duty]:
    async with app.sessions() as session:
        return list((await session.exec(select(Duty).where(Duty.key.startswith("giao-")))).all())  # type: ignore[attr-defined]


async def test_a_task_given_in_one_message_reaches_both_units_and_shows_in_the_summary(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, NOI_VU, "Nội vụ")
    await register(app, KINH_TE, "Kinh tế")
    preview = await say(app, ADMIN_ID, TASK)
    text = text_of(preview)
    assert "Báo cáo rà soát biên chế năm 2025" in text
    assert "Phòng Nội vụ, Phòng Kinh tế" in text
    assert "trước ngày 15/01/2025 (thứ Tư)" in text
    assert "Hạn chót theo quy định: hết ngày 14/01/2025 (thứ Ba)" in text
    assert "Lịch nhắc:" in text
    ok, cancel = taps(preview)
    assert re.fullmatch(r"/giao ok \d+", ok)
    assert re.fullmatch(r"/giao huy \d+", cancel)
    assert await duties(app) == []  # nothing before ✅

    given = await say(app, ADMIN_ID, ok)
    assert "Đã giao nhiệm vụ cho 2 đơn vị" in text_of(given)
    assert given.tapped_note is not None
    assert given.tapped_note.startswith("Đã giao lúc")
    assert given.plan_changed
    [duty] = await duties(app)
    assert (duty.units, duty.created_by) == (["noi-vu", "kinh-te"], f"telegram:{ADMIN_ID}")
    async with app.sessions() as session:
        plan = await session.get(Plan, duty.plan_id)
        assert plan is not None
        assert (plan.key, plan.source) == ("nhiem-vu-van-phong", "office")
        actions = (await session.exec(select(AuditEntry.action))).all()
    assert "task_given" in actions

    await service.tick()
    for official in (NOI_VU, KINH_TE):
        [message] = [m for m in sender.to(official) if m.step == "new"]
        assert message.text.startswith("📌 Nhiệm vụ mới")
        assert "Báo cáo rà soát biên chế năm 2025" in message.text
        assert any(data.startswith("/baocao ") for row in message.buttons for _label, data in row)

    again = await say(app, ADMIN_ID, ok)  # a second tap gives nothing
    assert "đã được giao" in text_of(again)
    assert len(await duties(app)) == 1

    summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
    assert "Báo cáo rà soát biên chế năm 2025" in summary
    calendar = text_of(await say(app, NOI_VU, "/lich"))
    assert "Báo cáo rà soát biên chế năm 2025" in calendar
    [told] = [m for m in sender.to(NOI_VU) if m.step == "new"]
    done = await say(app, NOI_VU, f"/baocao {told.reminder_id} done")
    assert "Báo cáo rà soát biên chế năm 2025" in text_of(done)


async def test_cancel_creates_nothing_and_a_later_tap_says_so(app: App) -> None:
    ok, cancel = taps(await say(app, ADMIN_ID, TASK))
    cancelled = await say(app, ADMIN_ID, cancel)
    assert cancelled.tapped_note is not None
    assert cancelled.tapped_note.startswith("Đã hủy lúc")
    assert "đã được hủy" in text_of(await say(app, ADMIN_ID, ok))
    assert await duties(app) == []


async def test_a_preview_expires_after_a_day(app: App, clock: FakeClock) -> None:
    ok, _cancel = taps(await say(app, ADMIN_ID, TASK))
    clock.advance(timedelta(days=1, minutes=1))
    assert "hết hiệu lực" in text_of(await say(app, ADMIN_ID, ok))
    assert await duties(app) == []


async def test_an_official_or_a_stranger_may_not_give_a_task(app: App) -> None:
    await register(app, NOI_VU, "Nội vụ")
    for user in (NOI_VU, STRANGER):
        refused = text_of(await say(app, user, TASK))
        assert "Chỉ Văn phòng" in refused or "Văn phòng HĐND" in refused, refused
    ok, _cancel = taps(await say(app, ADMIN_ID, TASK))
    assert "Đã giao" not in text_of(await say(app, NOI_VU, ok))
    assert await duties(app) == []


async def test_what_cannot_be_read_is_asked_back_naming_the_part(app: App) -> None:
    cases = {
        "/giao Nội vu, Bộ Ngoại giao; trước 15/01/2025; Báo cáo": "Không tìm thấy đơn vị “Bộ Ngoại giao”",
        "/giao Nội vụ; 31/02/2027; Báo cáo": "Hạn “31/02/2027”: không có ngày này",
        "/giao Nội vụ; 01/12/2024; Báo cáo": "Hạn “01/12/2024”: ngày này đã qua",
        "/giao Nội vụ; trước 02/01/2025; Báo cáo": "Hạn “trước 02/01/2025”: ngày này đã qua",
        "/giao Nội vụ; sớm nhất có thể; Báo cáo": "Hạn “sớm nhất có thể” không đọc được",
        "/giao Nội vụ; trước 15/01/2025;  ": "Chưa ghi tên nhiệm vụ",
        "/giao Nội vụ; trước 15/01/2025": "Cần đủ ba phần",
        "/giao ; trước 15/01/2025; Báo cáo": "Chưa ghi đơn vị",
        "/giao Tài; trước 15/01/2025; Báo cáo": "có thể là",
    }
    for words, expected in cases.items():
        text = text_of(await say(app, ADMIN_ID, words))
        assert expected in text, (words, text)
        assert "Cách giao nhiệm vụ: /giao" in text
    assert "Cách giao nhiệm vụ" in text_of(await say(app, ADMIN_ID, "/giao"))
    assert await duties(app) == []


async def test_every_unit_and_a_group(app: App) -> None:
    text = text_of(await say(app, ADMIN_ID, "/giao tất cả; chậm nhất 20/01/2025; Báo cáo công tác dân vận"))
    assert "24 đơn vị" in text
    assert "Văn phòng" not in text.split("\n")[2]
    text = text_of(await say(app, ADMIN_ID, "/giao theo doi cam ket; trước 20/01/2025; Báo cáo cam kết"))
    assert "5 đơn vị" in text
    text = text_of(await say(app, ADMIN_ID, "/giao tat ca; ngày 20 hằng tháng; Báo cáo tháng"))
    assert "Hằng tháng, ngày 20" in text


async def test_the_incoming_document_is_kept_and_named_to_the_units(
    app: App, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, NOI_VU, "Nội vụ")
    preview = await say(app, ADMIN_ID, "/giao Nội vụ; trước 15/01/2025; Báo cáo rà soát biên chế")
    pdf = Attachment(kind="document", file_id="BQACAgUAAx0", file_name="1234-UBND-NV.pdf")
    kept = await say(app, ADMIN_ID, "", attachment=pdf, reply_to="77")
    assert "1234-UBND-NV.pdf" in text_of(kept)
    await say(app, ADMIN_ID, taps(preview)[0])
    await service.tick()
    [message] = [m for m in sender.to(NOI_VU) if m.step == "new"]
    assert "📎 Văn bản kèm theo: 1234-UBND-NV.pdf" in message.text


async def test_a_task_given_at_night_is_told_at_the_next_allowed_moment(app: App, clock: FakeClock) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from storage.models import Reminder

    await register(app, NOI_VU, "Nội vụ")
    clock.set(datetime(2025, 1, 3, 21, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC))  # a Friday night
    preview = await say(app, ADMIN_ID, TASK)
    assert "Các đơn vị được thông báo lúc 07:30 06/01/2025" in text_of(preview)
    await say(app, ADMIN_ID, taps(preview)[0])
    async with app.sessions() as session:
        [row] = (await session.exec(select(Reminder).where(Reminder.step == "new"))).all()
    assert row.due_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")) == datetime(
        2025, 1, 6, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )
