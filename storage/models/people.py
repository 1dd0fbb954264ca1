"""People and how they are reached: persons, their channel accounts, their roles in units (officials),
admins, the invitations that make officials, the audit log, and the audience's revision."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Role(StrEnum):
    OFFICIAL = "official"  # cán bộ đầu mối
    HEAD = "head"  # thủ trưởng, chủ tịch UBND
    OFFICE = "office"  # Văn phòng HĐND và UBND


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
    """Office admins, beside those named in NHACVIEC_ADMINS: an account added with `nhacviec admin add`,
    or a person who sent an admin code (`nhacviec admin invite`, `/moi quản trị`). Either way the role is
    the person's: any account linked to them (`/lienket`) is the same admin."""

    __table_args__ = (UniqueConstraint("channel", "user_id", name="uq_admin_channel_user"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    added_at: datetime = Field(sa_type=UTCDateTime)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)  # known once they wrote


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


class AudienceRevision(SQLModel, table=True):
    """One row whose counter moves whenever units, officials or channel accounts change.

    Triggers (migration 0008) move it in the changing transaction, whatever code made the change,
    so "who can be reached", worked out once, is known to still hold while the counter stands.
    """

    __tablename__ = "audience_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = 0
