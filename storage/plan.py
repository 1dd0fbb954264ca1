"""The plan file (TOML): its schema, and loading it into the tables without losing people or history."""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OFFICE_KIND, Duty, GroupMember, HolidayOverride, PlanRevision, Unit

LADDER_STEP = r"^(0|[+-]\d{1,2}[dw])(>(head|office))*$"


class PlanError(Exception):
    """A plan file that cannot be loaded, with where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PlanMeta(_Strict):
    key: str
    title: str
    issuer: str = ""
    number: str = ""  # the plan's number and date, as letters citing it write them ("157/KH-UBND")
    issued: date | None = None
    office_unit: str | None = None


class UnitSpec(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    kind: str
    code: str | None = None
    aliases: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    successors: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to ({self.valid_to}) is before valid_from ({self.valid_from})")
        return self


# A deadline field the other kinds would silently ignore is refused.
_ONLY_FOR = {"date": ("once",), "day": ("monthly", "yearly"), "month": ("yearly",), "year": ("yearly",)}


class DeadlineSpec(_Strict):
    """A deadline as the file writes it; checked as scheduler.calendar.DeadlineRule checks it (the tests
    hold the two to the same answers), so a plan that loads never stops the planner."""

    kind: Literal["once", "monthly", "yearly"]
    inclusive: bool = False
    date: dt.date | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    year: int | None = Field(default=None, ge=dt.MINYEAR, le=dt.MAXYEAR)  # a yearly deadline of that year only
    start: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    period: Literal["none", "monthly", "half-year", "annual"] = "none"

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind == "once" and self.date is None:
            raise ValueError("a 'once' deadline needs a date")
        if self.kind != "once" and self.day is None:
            raise ValueError(f"a {self.kind} deadline needs a day")
        if self.kind == "yearly" and self.month is None:
            raise ValueError("a yearly deadline needs a month")
        for name, kinds in _ONLY_FOR.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                raise ValueError(f"{name} is for a {' or '.join(kinds)} deadline only, not a {self.kind} one")
        if self.start and self.until and self.until < self.start:
            raise ValueError(f"the deadline's until ({self.until}) is before its from ({self.start})")
        bounds = self._bounds()
        if bounds is not None and not self._falls_between(*bounds):
            raise ValueError(f"the deadline never falls between {bounds[0]} and {bounds[1]}")
        return self

    def _bounds(self) -> tuple[dt.date, dt.date] | None:
        lower = [day for day in (self.start, self.date) if day]  # a date is a once deadline's (checked above)
        upper = [day for day in (self.until, self.date) if day]
        if self.year is not None:
            lower.append(dt.date(self.year, 1, 1))
            upper.append(dt.date(self.year, 12, 31))
        return (max(lower), min(upper)) if lower and upper else None

    def _falls_between(self, lower: dt.date, upper: dt.date) -> bool:
        if self.date is not None:
            return lower <= self.date <= upper
        assert self.day is not None
        year, month = lower.year, lower.month
        while (year, month) <= (upper.year, upper.month):
            if self.kind == "monthly" or month == self.month:
                last = calendar.monthrange(year, month)[1]
                if lower <= dt.date(year, month, min(self.day, last)) <= upper:
                    return True
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return False

    def as_rule(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class DutySpec(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str
    title_en: str = ""
    wording: str = ""
    groups: list[str] = Field(min_length=1)
    deadline: DeadlineSpec
    # Reminder steps relative to the last day to send: "-7d" calendar days, "-3w" working days, "0" the
    # day itself; ">head" / ">office" copy that step up the hierarchy. Empty: the default ladder.
    ladder: list[Annotated[str, Field(pattern=LADDER_STEP)]] = Field(default_factory=list)
    remind_at: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @model_validator(mode="after")
    def _steps_once(self) -> Self:
        keys = [step.split(">")[0].lstrip("+") for step in self.ladder]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a ladder step is given twice: {', '.join(self.ladder)}")
        return self


class CalendarDay(_Strict):
    date: dt.date
    off: bool
    note: str = ""


class PlanSpec(_Strict):
    plan: PlanMeta
    units: list[UnitSpec]
    groups: dict[str, list[str]] = Field(default_factory=dict)
    duties: list[DutySpec] = Field(default_factory=list)
    calendar: list[CalendarDay] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Self:
        keys = [unit.key for unit in self.units]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise ValueError(f"unit keys used twice: {', '.join(sorted(duplicates))}")
        known = set(keys)
        for unit in self.units:
            for successor in unit.successors:
                if successor not in known:
                    raise ValueError(f"unit {unit.key}: unknown successor {successor!r}")
        for group, members in self.groups.items():
            for member in members:
                if member not in known:
                    raise ValueError(f"group {group}: unknown unit {member!r}")
        for duty in self.duties:
            for group in duty.groups:
                if group not in self.groups:
                    raise ValueError(f"duty {duty.key}: unknown group {group!r}")
        if self.plan.office_unit and self.plan.office_unit not in known:
            raise ValueError(f"plan.office_unit: unknown unit {self.plan.office_unit!r}")
        office = next((unit for unit in self.units if unit.key == self.plan.office_unit), None)
        if office is not None and office.kind != OFFICE_KIND:  # the bot finds the office by its kind
            raise ValueError(f"plan.office_unit: unit {office.key!r} must have kind = {OFFICE_KIND!r}")
        return self


def read_plan(path: Path) -> PlanSpec:
    """Parse and check a plan file; raises PlanError naming the file and the problem."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return PlanSpec.model_validate(data)
    except OSError as exc:
        raise PlanError(f"cannot read the plan file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"the plan file {path} is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise PlanError(f"the plan file {path} is wrong at {where or 'top level'}: {message}") from exc


@dataclass
class PlanChanges:
    """What a load changed, for the log and the operator. Empty: the database held this plan already."""

    added_units: list[str] = field(default_factory=list)
    updated_units: list[str] = field(default_factory=list)
    retired_units: list[str] = field(default_factory=list)
    added_duties: list[str] = field(default_factory=list)
    updated_duties: list[str] = field(default_factory=list)
    retired_duties: list[str] = field(default_factory=list)
    changed_groups: list[str] = field(default_factory=list)  # added, removed, or with other members
    added_days: list[date] = field(default_factory=list)  # calendar corrections
    updated_days: list[date] = field(default_factory=list)
    removed_days: list[date] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


async def load_plan(session: AsyncSession, spec: PlanSpec) -> PlanChanges:
    """Upsert units and duties by key, replace groups and calendar corrections; one transaction.

    Units and duties missing from the file are kept with `in_plan` false, so officials and history stay.
    A load that changed anything moves the plan's revision, so running bots work the plan out again.
    """
    changes = PlanChanges()
    units = {unit.key: unit for unit in (await session.exec(select(Unit))).all()}
    for unit_spec in spec.units:
        values: dict[str, Any] = {
            "name": unit_spec.name,
            "short_name": unit_spec.short,
            "kind": unit_spec.kind,
            "stat_code": unit_spec.code,
            "aliases": list(unit_spec.aliases),
            "valid_from": unit_spec.valid_from,
            "valid_to": unit_spec.valid_to,
            "successors": list(unit_spec.successors),
            "in_plan": True,
        }
        _upsert(session, Unit, units, unit_spec.key, values, changes.added_units, changes.updated_units)
    _retire(units, {u.key for u in spec.units}, changes.retired_units)
    await session.flush()

    await _replace_groups(session, spec, units, changes)

    duties = {duty.key: duty for duty in (await session.exec(select(Duty))).all()}
    for duty_spec in spec.duties:
        duty_values: dict[str, Any] = {
            "title": duty_spec.title,
            "title_en": duty_spec.title_en,
            "wording": duty_spec.wording,
            "rule": duty_spec.deadline.as_rule(),
            "groups": list(duty_spec.groups),
            "ladder": list(duty_spec.ladder),
            "remind_at": duty_spec.remind_at,
            "in_plan": True,
        }
        _upsert(session, Duty, duties, duty_spec.key, duty_values, changes.added_duties, changes.updated_duties)
    _retire(duties, {d.key for d in spec.duties}, changes.retired_duties)

    await _replace_calendar(session, spec, changes)
    if changes.changed:
        bump = update(PlanRevision).where(col(PlanRevision.id) == 1).values(revision=col(PlanRevision.revision) + 1)
        await session.exec(bump)
    await session.commit()
    return changes


async def plan_revision(session: AsyncSession) -> int:
    """The counter each plan load that changed something moved."""
    found = (await session.exec(select(PlanRevision.revision).where(PlanRevision.id == 1))).first()
    return found or 0


async def holiday_overrides(session: AsyncSession) -> dict[date, bool]:
    return {row.day: row.off for row in (await session.exec(select(HolidayOverride))).all()}


async def _replace_groups(session: AsyncSession, spec: PlanSpec, units: dict[str, Unit], changes: PlanChanges) -> None:
    before: dict[str, set[int]] = {}
    for group, unit_id in (await session.exec(select(GroupMember.group_key, GroupMember.unit_id))).all():
        before.setdefault(group, set()).add(unit_id)
    after = {group: {_id(units[member]) for member in members} for group, members in spec.groups.items()}
    groups = before.keys() | after.keys()
    changes.changed_groups = sorted(group for group in groups if before.get(group, set()) != after.get(group, set()))
    if not changes.changed_groups:
        return
    await session.exec(delete(GroupMember))
    for group, members in after.items():
        for unit_id in sorted(members):
            session.add(GroupMember(group_key=group, unit_id=unit_id))


async def _replace_calendar(session: AsyncSession, spec: PlanSpec, changes: PlanChanges) -> None:
    before = {row.day: (row.off, row.note) for row in (await session.exec(select(HolidayOverride))).all()}
    after = {day.date: (day.off, day.note) for day in spec.calendar}
    changes.added_days = sorted(after.keys() - before.keys())
    changes.removed_days = sorted(before.keys() - after.keys())
    changes.updated_days = sorted(day for day in after.keys() & before.keys() if after[day] != before[day])
    if not (changes.added_days or changes.removed_days or changes.updated_days):
        return
    await session.exec(delete(HolidayOverride))
    for day, (off, note) in sorted(after.items()):
        session.add(HolidayOverride(day=day, off=off, note=note))


def _upsert(
    session: AsyncSession,
    model: type[Unit] | type[Duty],
    existing: dict[str, Any],
    key: str,
    values: dict[str, Any],
    added: list[str],
    updated: list[str],
) -> None:
    row = existing.get(key)
    if row is None:
        row = model(key=key, **values)
        session.add(row)
        existing[key] = row
        added.append(key)
        return
    if any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        updated.append(key)


def _id(unit: Unit) -> int:
    assert unit.id is not None, "flushed units have ids"
    return unit.id


def _retire(existing: dict[str, Any], keep: set[str], retired: list[str]) -> None:
    for key, row in existing.items():
        if key not in keep and row.in_plan:
            row.in_plan = False
            retired.append(key)
