"""A reminder reaches a person once a day at most, whatever the ladder, the extensions and the audiences."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from storage import outbox
from storage.models import ChannelAccount, Reminder, Unit
from tests.integration.test_reminders import local, register

OFFICIAL = 2002


async def test_the_database_keeps_one_row_per_recipient_occurrence_unit_and_day(app: App, clock: FakeClock) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    async with app.sessions() as session:
        account = (await session.exec(select(ChannelAccount).where(ChannelAccount.user_id == str(OFFICIAL)))).one()
        unit = (await session.exec(select(Unit).where(Unit.key == "ban-yen-nhan"))).one()
        occurrence = await outbox.ensure_occurrence(
            session, duty_id=1, nominal=date(2025, 1, 10), last_day=date(2025, 1, 9), inclusive=False
        )
        base = {
            "occurrence_id": occurrence.id,
            "unit_id": unit.id,
            "account_id": account.id,
            "audience": "official",
            "local_day": date(2025, 1, 9),
            "created_at": clock.now(),
        }
        yesterday, today = local(2025, 1, 8, 8, 0), local(2025, 1, 9, 8, 0)
        first = {**base, "step": "-1w", "due_at": yesterday, "next_attempt_at": yesterday}
        second = {**base, "step": "0", "due_at": today, "next_attempt_at": today}
        # two planners racing: one at 07:59 writing the step it missed, one at 08:00
        assert await outbox.add_reminders(session, [first]) == 1
        assert await outbox.add_reminders(session, [second]) == 0
        assert await outbox.add_reminders(session, [first, second]) == 0
        rows = (await session.exec(select(Reminder).where(Reminder.occurrence_id == occurrence.id))).all()
        assert [row.step for row in rows] == ["-1w"]
        # rows without a day (a snooze the person asked for, a digest) are not held to it
        for step in ("later-202501090800", "later-202501091000"):
            snooze = {**base, "step": step, "local_day": None, "due_at": today, "next_attempt_at": today}
            assert await outbox.add_reminders(session, [snooze]) == 1
