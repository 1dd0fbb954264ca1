"""Messages through the channels: the reminder outbox, each channel's monthly count, and the ids of
messages received (handled once)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"  # the unit reported done, or the official left, before it went out
    UNDELIVERABLE = "undeliverable"  # blocked the bot, never pressed Start, or retries ran out


class Reminder(SQLModel, table=True):
    """The outbox: a reminder is a row before it is a message, unique per occurrence, recipient and step,
    and per occurrence, unit, recipient and local day (`local_day`): one a day at most, whichever
    planner or step writes first. Rows without a day (a snooze the person asked for, a digest) are
    not held to the second key."""

    __table_args__ = (
        UniqueConstraint("occurrence_id", "unit_id", "account_id", "step", name="uq_reminder_once"),
        # NULL days never collide; an occurrence's rows of one day are also what the planner reads
        Index("uq_reminder_day", "occurrence_id", "local_day", "unit_id", "account_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    account_id: int = Field(foreign_key="channel_account.id", index=True)
    step: str = Field(max_length=24)  # "-7d", "-3w", "0", "+1w", "snooze-1"...
    audience: str = Field(max_length=16)  # official | head | office
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=ReminderStatus.PENDING, max_length=16, index=True)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: int | None = Field(default=None, sa_type=BigInteger)  # whose claim (storage/claimer.py)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: str | None = Field(default=None, max_length=64)
    last_day: date | None = None  # the unit's own last day when an extension moved it
    local_day: date | None = None  # the day (Asia/Ho_Chi_Minh) it goes out: a ladder step's, not a snooze's
    created_at: datetime = Field(sa_type=UTCDateTime)


class ChannelUsage(SQLModel, table=True):
    """Messages sent per channel and month (Vietnam time), for channels with a monthly quota (Zalo)."""

    __tablename__ = "channel_usage"

    channel: str = Field(primary_key=True, max_length=16)
    month: str = Field(primary_key=True, max_length=7)  # "2025-01"
    sent: int = 0


class ReceivedMessage(SQLModel, table=True):
    """A message a channel delivered, by the channel's id for it: handled once even if delivered again.

    Zalo's getUpdates has no offset to acknowledge, and a webhook may be called again; the ids seen
    outlive a restart here. Rows older than a week are deleted as new ones come.
    """

    __tablename__ = "received_message"

    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=100)
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class SendPace(SQLModel, table=True):
    """Each channel's next free moment to send, shared by every instance on one PostgreSQL: a bot's
    limit (Telegram: about 30 messages a second) is the bot's, whichever process sends (storage/pace.py)."""

    __tablename__ = "send_pace"

    channel: str = Field(primary_key=True, max_length=16)
    next_at: datetime = Field(sa_type=UTCDateTime)
