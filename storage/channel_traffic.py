"""A channel's traffic: messages sent per month (for a quota), and messages received, each handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import ChannelAccount, ChannelUsage, ReceivedMessage, Reminder, ReminderStatus, table_of


async def count_sent(session: AsyncSession, *, channel: str, month: str, messages: int = 1) -> int:
    """Add to a channel's monthly count (one statement, safe under concurrency); returns the new count."""
    table = table_of(ChannelUsage)
    statement = (
        dialect_insert(session, ChannelUsage)
        .values(channel=channel, month=month, sent=messages)
        .on_conflict_do_update(index_elements=["channel", "month"], set_={"sent": table.c.sent + messages})
        .returning(table.c.sent)
    )
    sent = (await session.exec(statement)).one()[0]
    return int(sent)


RECEIVED_KEPT = timedelta(days=7)  # how long a delivered message's id is remembered


async def first_delivery(session: AsyncSession, *, channel: str, message_id: str, now: datetime) -> bool:
    """Whether a channel delivers this message for the first time; its id is kept (for a week) if so."""
    statement = (
        dialect_insert(session, ReceivedMessage)
        .values(channel=channel, message_id=message_id[:100], at=now)
        .on_conflict_do_nothing()
    )
    first: bool = (await session.exec(statement)).rowcount == 1
    if first:
        expired = delete(ReceivedMessage).where(col(ReceivedMessage.at) < now - RECEIVED_KEPT)
        await session.exec(expired)
    return first


async def quota_spent(session: AsyncSession, *, channel: str, month: str, quota: int) -> None:
    """The channel refused a message for its quota: this month's count is the quota at least (what was
    sent elsewhere, or before counting began, is counted as spent), so the office is told."""
    table = table_of(ChannelUsage)
    statement = (
        dialect_insert(session, ChannelUsage)
        .values(channel=channel, month=month, sent=quota)
        .on_conflict_do_update(
            index_elements=["channel", "month"], set_={"sent": case((table.c.sent < quota, quota), else_=table.c.sent)}
        )
    )
    await session.exec(statement)


async def sent_in_month(session: AsyncSession, *, channel: str, month: str) -> int:
    usage = await session.get(ChannelUsage, (channel, month))
    return usage.sent if usage else 0


async def waiting_on(session: AsyncSession, *, channel: str) -> int:
    """Reminders and digests not yet sent to this channel's accounts (each one message at least)."""
    query = (
        select(func.count())
        .select_from(Reminder)
        .join(ChannelAccount, col(ChannelAccount.id) == col(Reminder.account_id))
        .where(col(ChannelAccount.channel) == channel, col(Reminder.status) == ReminderStatus.PENDING)
    )
    return int((await session.exec(query)).one())
