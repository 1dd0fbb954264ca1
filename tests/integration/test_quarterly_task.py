"""A quarterly task (issue 25): `/giao … trước ngày 15 tháng cuối quý` is read, its preview lists its
next four deadlines with both dates, /nhiemvu too, and its reminder says the quarter's data period."""

from __future__ import annotations

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_giao import duties, taps
from tests.integration.test_reminders import register

NOI_VU = 3101
TASK = "/giao Nội vụ; trước ngày 15 tháng cuối quý; Báo cáo công tác cải cách hành chính"


async def test_a_quarterly_task(app: App, clock: FakeClock, sender: FakeSender, service: ReminderService) -> None:
    await register(app, NOI_VU, "Nội vụ")
    preview = await say(app, ADMIN_ID, TASK)
    text = text_of(preview)
    assert "Hằng quý: trước ngày 15 tháng cuối quý." in text
    lines = text.splitlines()
    start = lines.index("Hạn sắp tới:")
    shown = lines[start : start + 5]
    assert shown[1] == (
        "• 15/03/2025: ngày đề nghị gửi 14/03/2025 (thứ Sáu), hạn chót theo quy định 14/03/2025 (thứ Sáu) "
        "(số liệu từ 15/12/2024 đến 14/03/2025)"
    )
    assert [line.split(":")[0] for line in shown[2:]] == ["• 15/06/2025", "• 15/09/2025", "• 15/12/2025"]
    assert "hạn chót theo quy định 16/06/2025 (thứ Hai)" in shown[2]  # 14/6 a Saturday
    assert "ngày đề nghị gửi 13/06/2025 (thứ Sáu)" in shown[2]
    await say(app, ADMIN_ID, taps(preview)[0])
    [duty] = await duties(app)
    assert duty.rule["kind"] == "quarterly"

    shown_duty = text_of(await say(app, ADMIN_ID, f"/nhiemvu {duty.id}"))
    assert "trước ngày 15 tháng cuối quý" in shown_duty
    assert (
        "• 15/06/2025: ngày đề nghị gửi 13/06/2025 (thứ Sáu), hạn chót theo quy định 16/06/2025 (thứ Hai)" in shown_duty
    )

    await service.tick()
    [told] = [m for m in sender.to(NOI_VU) if m.step == "new"]
    assert "15/12/2024" in told.text
    assert "14/03/2025" in told.text
