"""The plan's tables: plans (dated documents), units, their groups, duties, the calendar's corrections,
the plan's revision, and the occurrences (one deadline of one duty) the planner writes from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

OFFICE_KIND = "van-phong"  # the kind of the office's own unit, the plan's office_unit


class Plan(SQLModel, table=True):
    """A plan as the document that set it ("Kế hoạch số 12/KH-UBND ngày 06/01/2025 của UBND thị xã"):
    several are active at once, and every duty belongs to one. A plan file is one; the office's own
    tasks, given in chat or from a sheet, belong to a plan of the office's (`source` "office")."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=64)
    title: str = Field(max_length=300)
    number: str = Field(default="", max_length=64)  # "12/KH-UBND"; empty when the document has none
    issued_on: date | None = None
    issuer: str = Field(default="", max_length=200)  # "UBND thị xã Mỹ Hào"
    report_to: str = Field(default="", max_length=200)  # the body reports go to
    valid_from: date | None = None
    valid_to: date | None = None
    # the day the issuer itself ended (the thị xã on 30/06/2025): the plan ends with it unless carried over
    issuer_until: date | None = None
    carried_to: str = Field(default="", max_length=200)  # the successor body the office carried it over to
    active: bool = True
    source: str = Field(default="file", max_length=16)  # "file" | "office"
    # what the plan's file named, so loading another plan leaves this one's units and groups alone
    unit_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    group_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def plan_ends(plan: Plan) -> date | None:
    """The last day a plan is in force: its own end, or its issuer's if earlier, unless carried over."""
    ends = [plan.valid_to] + ([] if plan.carried_to else [plan.issuer_until])
    known = [day for day in ends if day is not None]
    return min(known) if known else None


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
    # "file": a plan file's; "office": added or changed in chat, which a later plan load leaves alone
    source: str = Field(default="file", max_length=16)

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
    # the plan it belongs to; no foreign key, so that SQLite can take the column away again (a downgrade
    # rebuilds the table, which other tables' keys forbid): plans are never deleted, only ended
    plan_id: int | None = Field(default=None, index=True)
    # units the duty names itself (a task given to "Nội vụ, Kinh tế"), besides its groups' units
    units: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", max_length=1000)
    created_by: str | None = Field(default=None, max_length=64)  # "telegram:<id>" for a task given in chat
    created_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the office's staff member who follows it (a person's id; no foreign key, as plan_id): they, not
    # every admin, get its escalations and its lines in the digests
    follower_id: int | None = None


class HolidayOverride(SQLModel, table=True):
    """A day declared off or working, correcting the holidays package: by a plan file, or by the office
    in chat (`/ngaynghi`, `/ngaylam`), whose corrections a later plan load keeps."""

    __tablename__ = "holiday_override"

    day: date = Field(primary_key=True)
    off: bool
    note: str = Field(default="", max_length=200)
    source: str = Field(default="file", max_length=16)  # "file" | "office"


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


class PlanImport(SQLModel, table=True):
    """A plan sheet read and shown to the office, waiting for ✅ (or ❌): the rows it will write, kept
    so that a tap after a restart still applies it, and used once (two taps apply it once)."""

    __tablename__ = "plan_import"

    id: int | None = Field(default=None, primary_key=True)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=64)  # "telegram:<id>"
    created_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # applied or cancelled
    applied: bool = False
