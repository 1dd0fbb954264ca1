"""What units report: status updates (history) and each unit's latest, drafts waiting for a choice,
extension requests, and evidence files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# Statuses after which a unit owes an occurrence nothing more: it sent the report, or the office closed
# it for the unit (the unit ended: "closed", counted as not sent in the on-time record; or the office
# exempted it, `/dong ... miễn`: "exempt", counted in neither). Reminders stop and no view counts it late.
FINISHED = ("done", "closed", "exempt")
# Why a report was closed without the office's /dong: its plan ended, its unit ended, or its unit was
# merged into another (the successor's name in the update's note). A "closed" update without a reason
# is the office's own decision (/dong).
ENDED_REASONS = ("plan_ended", "unit_ended", "merged")


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
    reason: str = Field(default="", max_length=24)  # "closed" only: one of ENDED_REASONS, or "" (/dong)
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
