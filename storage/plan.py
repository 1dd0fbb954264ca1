"""The plan in the database: a plan file loaded without losing people or history, its revision, its holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Duty, GroupMember, HolidayOverride, PlanRevision, Unit
from storage.plan_file import PlanSpec


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
