"""The week's digest names the deadlines whose day to aim for or legal last day falls in the week
(issue 26, item 7)."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say
from tests.integration.test_reminders import fake_time_limiter, register, run_until
from tests.integration.test_summaries import local

MONTHLY = "Báo cáo tháng kết quả theo dõi, đôn đốc thực hiện Bản cam kết của các xã, phường"


async def _monday(app: App, clock: FakeClock, week: str, until: tuple[int, int, int]) -> str:
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await run_until(service, clock, local(*until, 12, 0), step=timedelta(hours=2))
    weekly = next(d for d in sender.delivered if d.message.step == week)
    return (await app.core.render_reminder(weekly.message)).text


async def test_the_monthly_reports_day_to_aim_for_is_in_its_week(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Nội vụ", name="Lan")
    clock.set(local(2025, 1, 12, 9, 0))
    text = await _monday(app, clock, "week-20250113", (2025, 1, 13))
    # 20/01/2025 is a Monday: the day to aim for is Friday 17/01, the legal last day 20/01
    assert "Tuần này không có hạn nào." not in text
    assert f"• {MONTHLY}" in text
