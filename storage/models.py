"""The data model: units and duties from the plan, people, their channels and roles, invitations, audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import JSON, Column, Index, Table, UniqueConstraint
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Role(StrEnum):
    OFFICIAL = "official"  # cán bộ đầu mối
    HEAD = "head"  # thủ trưởng, chủ tịch UBND
    OFFICE = "office"  # Văn phòng HĐND và UBND


OFFICE_KIND = "van-phong"  # the kind of the office's own unit, the plan's office_unit


class Unit(SQLModel, table=True):
    """A department, commune or ward. Merged units stay, with a validity period and successors."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=120)
    kind: str = Field(max_length=32)
    stat_code: str | None = Field(default=None, max_length=16)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    valid_from: date | None = None
    valid_to: date | None = None
    successors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    in_plan: bool = True

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"

    group_key: str = Field(primary_key=True, max_length=64)
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")


class Duty(SQLModel, table=True):
    """A reporting duty of the plan; `rule` holds the deadline rule as written in the plan file."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=64)
    title: str = Field(max_length=300)
    title_en: str = Field(default="", max_length=300)
    wording: str = Field(default="", max_length=200)
    rule: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ladder: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # empty: the default
    remind_at: str = Field(default="08:00", max_length=5)  # local time of each reminder step
    in_plan: bool = True


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    locale: str | None = Field(default=None, max_length=8)
    channel: str | None = Field(default=None, max_length=16)  # reminders only here; None: every linked channel
    created_at: datetime = Field(sa_type=UTCDateTime)


class ChannelAccount(SQLModel, table=True):
    """How one person is reached on one channel (Telegram, Zalo, console)."""

    __tablename__ = "channel_account"
    __table_args__ = (
        UniqueConstraint("channel", "user_id", name="uq_channel_user"),
        # a person's accounts and whether they still reach them, read from the index alone (summaries)
        Index("ix_channel_account_person_reach", "person_id", "unreachable_reason"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    channel: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    username: str | None = Field(default=None, max_length=64)
    linked_at: datetime = Field(sa_type=UTCDateTime)
    unreachable_reason: str | None = Field(default=None, max_length=300)


class Official(SQLModel, table=True):
    """A person's role in a unit. Revoking keeps the row (history) and clears `active`."""

    # a unit's officials and their roles, read from the index alone: whether anyone can reach a unit
    # is one probe per unit (summaries at 10,000 units)
    __table_args__ = (Index("ix_official_unit_reach", "unit_id", "person_id", "active", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(max_length=16)  # a Role value
    active: bool = True
    invitation_id: int | None = Field(default=None, foreign_key="invitation.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Admin(SQLModel, table=True):
    """Office admins added with `nhacviec admin add`, beside those named in NHACVIEC_ADMINS."""

    __table_args__ = (UniqueConstraint("channel", "user_id", name="uq_admin_channel_user"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    added_at: datetime = Field(sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    """A single-use code; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, max_length=64)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(max_length=16)  # a Role value, or "link" for a /lienket code
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=40)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    official_id: int | None = Field(default=None, foreign_key="official.id")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class HolidayOverride(SQLModel, table=True):
    """A day the plan file declares off or working, correcting the holidays package."""

    __tablename__ = "holiday_override"

    day: date = Field(primary_key=True)
    off: bool
    note: str = Field(default="", max_length=200)


class PlanRevision(SQLModel, table=True):
    """One row whose counter a plan load moves when it changed units, groups, duties or the calendar.

    A running bot keeps what it worked out from the plan (the day's occurrences, the calendar's
    corrections) while the counter stands, and works it out again when it moved (`nhacviec plan load`).
    """

    __tablename__ = "plan_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = 0


class Occurrence(SQLModel, table=True):
    """One deadline of one duty, written when the planner first looks at it."""

    __table_args__ = (UniqueConstraint("duty_id", "nominal", name="uq_occurrence_duty_nominal"),)

    id: int | None = Field(default=None, primary_key=True)
    duty_id: int = Field(foreign_key="duty.id", index=True)
    nominal: date  # the date the plan names
    aim_day: date  # "nên gửi trước": the last working day on or before the last named day
    legal_last_day: date  # "hạn chót theo quy định": late only from the day after it
    inclusive: bool = False
    period_start: date | None = None
    period_end: date | None = None


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
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: str | None = Field(default=None, max_length=64)
    last_day: date | None = None  # the unit's own last day when an extension moved it
    local_day: date | None = None  # the day (Asia/Ho_Chi_Minh) it goes out: a ladder step's, not a snooze's
    created_at: datetime = Field(sa_type=UTCDateTime)


# Statuses after which a unit owes an occurrence nothing more: it sent the report, or the office closed
# it for the unit (the unit ended, or was exempted). Reminders stop and no view counts it late.
FINISHED = ("done", "closed")


class StatusUpdate(SQLModel, table=True):
    """What a unit reported for an occurrence. History: rows are added, never changed."""

    __tablename__ = "status_update"
    # seq counts a unit's updates for one occurrence: two updates made at once from the same state
    # want the same number, and the database lets exactly one of them in.
    __table_args__ = (
        UniqueConstraint("occurrence_id", "unit_id", "seq", name="uq_status_update_seq"),
        # the latest update per unit of an occurrence, read by an index-only scan (PostgreSQL)
        Index("ix_status_update_latest", "occurrence_id", "unit_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    seq: int = 1
    status: str = Field(max_length=24)  # done | in_progress | waiting_signature | no_data | extension_requested...
    percent: int | None = None
    expected_date: date | None = None
    note: str = Field(default="", max_length=500)
    raw_text: str = Field(default="", max_length=2000)
    channel: str = Field(max_length=16)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    by_office: bool = False
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id")
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class UnitStatus(SQLModel, table=True):
    """The latest update of each unit for each occurrence: what the office's summary counts.

    Kept by the database itself: a trigger on every insert into `status_update` (migration 0007)
    moves the row forward, in the same transaction, whatever code wrote the update. Reading 10,000
    units' states from here is a range scan; finding each one's latest among a million updates was
    most of a province-wide summary's time.
    """

    __tablename__ = "unit_status"
    __table_args__ = (
        # an occurrence's units grouped by status straight from the index (PostgreSQL: an index-only scan)
        Index("ix_unit_status_by_status", "occurrence_id", "status", "unit_id"),
        # SQLite keeps the rows in key order: an occurrence's rows are one range, not 10,000 lookups
        {"sqlite_with_rowid": False},
    )

    occurrence_id: int = Field(foreign_key="occurrence.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    update_id: int = Field(foreign_key="status_update.id")
    status: str = Field(max_length=24)


class AudienceRevision(SQLModel, table=True):
    """One row whose counter moves whenever units, officials or channel accounts change.

    Triggers (migration 0008) move it in the changing transaction, whatever code made the change,
    so "who can be reached", worked out once, is known to still hold while the counter stands.
    """

    __tablename__ = "audience_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = 0


class Draft(SQLModel, table=True):
    """A reply the bot could not place yet (which duty? what status?), kept until the person chooses."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="channel_account.id", index=True)
    text: str = Field(max_length=2000)
    status: str = Field(max_length=24)
    percent: int | None = None
    expected_date: date | None = None
    extension_days: int | None = None
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Extension(SQLModel, table=True):
    """A unit's request for more time on one occurrence, and the office's decision."""

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    requested_by: int | None = Field(default=None, foreign_key="person.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    until: date  # the new last day to send, if granted
    reason: str = Field(default="", max_length=500)
    decision: str = Field(default="requested", max_length=16)  # requested | granted | refused
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Evidence(SQLModel, table=True):
    """A document or photo sent as a submission, kept by the channel's file id."""

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    channel: str = Field(max_length=16)
    kind: str = Field(max_length=16)  # document | photo
    file_id: str = Field(max_length=300)
    file_name: str = Field(default="", max_length=300)
    caption: str = Field(default="", max_length=1024)
    at: datetime = Field(sa_type=UTCDateTime)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_by: int | None = Field(default=None, foreign_key="person.id")


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


Model = TypeVar("Model", bound=SQLModel)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, for statements built on columns (SQLModel hides `__table__`)."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_LENGTHS: dict[type[SQLModel], dict[str, int]] = {}


def column_length(model: type[SQLModel], name: str) -> int | None:
    """The most characters a text column keeps (None: any number)."""
    lengths = _LENGTHS.get(model)
    if lengths is None:
        columns = table_of(model).c
        lengths = {c.name: length for c in columns if isinstance(length := getattr(c.type, "length", None), int)}
        _LENGTHS[model] = lengths
    return lengths.get(name)


def fitted(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """`values` with each text cut to its column's length. A person's words (a reply, a name, a file's
    name) may be longer than what is kept of them: PostgreSQL refuses such a value ("value too long for
    type character varying"), where SQLite would keep it whole."""
    kept = dict(values)
    for name, value in values.items():
        if isinstance(value, str) and (length := column_length(model, name)) is not None and len(value) > length:
            kept[name] = value[:length]
    return kept


def built(model: type[Model], values: Mapping[str, Any]) -> Model:
    """A row of a table as an object, from values the database gave back (or took) as they are.

    Made the way SQLAlchemy's ORM makes an object it loads: the instance with its state, then the
    values, then detached, as if loaded by a session since closed. SQLModel's `__init__` checks every
    field again, which for the few objects a status update needs had been a tenth of the CPU the core
    spends on one (bench/README.md). `values` must hold the primary key.
    """
    mapper = model.__mapper__  # type: ignore[attr-defined]
    if not mapper.configured:  # attributes are read through the mapping, set up once
        configure_mappers()
    instance: Model = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance
