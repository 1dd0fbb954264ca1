"""What an operator asks of the database: does it answer, what waits in the outbox and since when, and
how many people's accounts cannot be reached (bot/web: /readyz and /metrics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, func, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import _explained as explained  # the start's sentences for the same failures
from storage.models import ChannelAccount, Official, Reminder, ReminderStatus


@dataclass(frozen=True)
class Backlog:
    """A channel's reminders not yet sent, and the moment the longest-waiting due one became due."""

    channel: str
    pending: int  # due now or later (a step planned for the morning, a retry after a pause)
    oldest_due: datetime | None  # the earliest `next_attempt_at` at or before now; None when none is due


async def answers(engine: AsyncEngine) -> None:
    """One trivial statement on a connection of the pool: returns when the database answers, else raises
    `DatabaseError` saying why in a sentence."""
    with explained(engine):
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))


async def backlog(session: AsyncSession, *, now: datetime) -> list[Backlog]:
    """Each channel's pending reminders and the oldest due one, in one statement over the pending rows."""
    due_since = case((col(Reminder.next_attempt_at) <= now, col(Reminder.next_attempt_at)))
    query = (
        select(ChannelAccount.channel, func.count(), func.min(due_since))
        .join(ChannelAccount, col(ChannelAccount.id) == col(Reminder.account_id))
        .where(col(Reminder.status) == ReminderStatus.PENDING)
        .group_by(col(ChannelAccount.channel))
        .order_by(col(ChannelAccount.channel))
    )
    rows = (await session.exec(query)).all()
    return [Backlog(channel, pending, oldest) for channel, pending, oldest in rows]


async def unreachable_accounts(session: AsyncSession) -> dict[str, int]:
    """Per channel, the accounts a send found unreachable (blocked the bot, never pressed Start...) of
    people who still hold a role: those whose reminders go nowhere."""
    holds_a_role = exists().where(col(Official.person_id) == col(ChannelAccount.person_id), col(Official.active))
    query = (
        select(ChannelAccount.channel, func.count())
        .where(col(ChannelAccount.unreachable_reason).is_not(None), holds_a_role)
        .group_by(col(ChannelAccount.channel))
    )
    return {channel: count for channel, count in (await session.exec(query)).all()}
