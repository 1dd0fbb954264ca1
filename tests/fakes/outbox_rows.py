"""Due reminders written straight into the outbox, for tests and benchmarks of the fan-out.

People, their Telegram accounts, their official roles and the outbox rows are bulk inserts, not the
registration conversation: the fastest honest way to get N due reminders to N different chats, and
the dispatcher sees exactly the rows the planner would write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import select

from bot.app import App
from scheduler.calendar import DeadlineRule, next_occurrence
from storage import outbox
from storage.models import ChannelAccount, Duty, Official, Person, Role

DUTY_KEY = "ke-hoach-2025"
FIRST_CHAT = 100_000
CHUNK = 500  # rows per INSERT: far below SQLite's limit on bound variables


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


async def seed_reminders(app: App, n: int, *, first_chat: int = FIRST_CHAT) -> list[int]:
    """N people, each an official of a unit (round robin) with a Telegram account in their own chat,
    and one due outbox row each (step "0" of ke-hoach-2025). Returns the chat ids, in order."""
    now = app.clock.now()
    today = now.astimezone(app.core.config.tz).date()
    async with app.sessions() as session:
        duty = (await session.exec(select(Duty).where(Duty.key == DUTY_KEY))).one()
        assert duty.id is not None
        units = await outbox.units_of_groups(session, groups=duty.groups)
        unit_ids = [unit.id for unit in units if unit.id is not None]
        if not unit_ids:
            raise RuntimeError(f"the plan gives {DUTY_KEY} no units")
        found = next_occurrence(duty.key, DeadlineRule.from_dict(duty.rule), app.core.calendar, today=today)
        if found is None:
            raise RuntimeError(f"{DUTY_KEY} has no occurrence after {today}")
        occurrence = await outbox.ensure_occurrence(
            session,
            duty_id=duty.id,
            nominal=found.nominal,
            aim_day=found.aim_day,
            legal_last_day=found.legal_last_day,
            inclusive=found.inclusive,
            period_start=found.period_start,
            period_end=found.period_end,
        )
        first_person = (await session.exec(select(func.max(Person.id)))).one() or 0
        first_account = (await session.exec(select(func.max(ChannelAccount.id)))).one() or 0

        chats = [first_chat + i for i in range(n)]
        people, accounts, officials, reminders = [], [], [], []
        for i, chat in enumerate(chats):
            person_id, account_id, unit_id = first_person + 1 + i, first_account + 1 + i, unit_ids[i % len(unit_ids)]
            people.append({"id": person_id, "display_name": f"Cán bộ {chat}", "locale": None, "created_at": now})
            accounts.append(
                {
                    "id": account_id,
                    "person_id": person_id,
                    "channel": "telegram",
                    "user_id": str(chat),
                    "chat_id": str(chat),
                    "linked_at": now,
                }
            )
            officials.append(
                {
                    "person_id": person_id,
                    "unit_id": unit_id,
                    "role": Role.OFFICIAL.value,
                    "active": True,
                    "created_at": now,
                }
            )
            reminders.append(
                {
                    "occurrence_id": occurrence.id,
                    "unit_id": unit_id,
                    "account_id": account_id,
                    "step": "0",
                    "audience": Role.OFFICIAL.value,
                    "due_at": now,
                    "next_attempt_at": now,
                    "local_day": today,  # as the planner writes it: no second reminder that day
                    "created_at": now,
                }
            )
        for model, rows in ((Person, people), (ChannelAccount, accounts), (Official, officials)):
            for chunk in _chunks(rows):
                await session.exec(insert(model).values(list(chunk)))
        await session.commit()
        added = 0
        for chunk in _chunks(reminders):
            added += await outbox.add_reminders(session, chunk)
        await session.commit()
    if added != n:
        raise RuntimeError(f"seeded {added} outbox rows, wanted {n}")
    return chats
