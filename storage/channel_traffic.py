"""A channel's traffic: messages sent per month (for a quota), and messages received, each handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import ChannelUsage, ReceivedMessage, table_of


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


async def sent_in_month(session: AsyncSession, *, channel: str, month: str) -> int:
    usage = await session.get(ChannelUsage, (channel, month))
    return usage.sent if usage else 0
