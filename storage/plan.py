"""The plan in the database: a plan file loaded without losing people or history, its revision, its holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Duty, GroupMember, HolidayOverride, Plan, PlanRevision, Unit
from storage.plan_file import PlanSpec

OFFICE_SOURCE = "office"  # a unit or calendar correction the office set in chat: plan loads leave it alone


@dataclass
class PlanChanges:
    """What a load changed, for the log and the operator. Empty: the database held this plan already."""

    added_plans: list[str] = field(default_factory=list)
    updated_plans: list[str] = field(default_factory=list)
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
    """Upsert the plan, its units and its duties by key, its groups and the calendar corrections; one
    transaction.

    Several plans stand at once: the duties of this plan missing from the file are kept with `in_plan`
    false (officials and history stay), and so are units and groups missing from it that no other active
    plan names; other plans' duties are left alone. A load that changed anything moves the plan's
    revision, so running bots work the plan out again.
    """
    changes = PlanChanges()
    plan = await _upsert_plan(session, spec, changes)
    others = (await session.exec(select(Plan).where(col(Plan.active), col(Plan.id) != plan.id))).all()
    units = await _load_units(session, spec, {key for other in others for key in other.unit_keys}, changes)
    await _replace_groups(session, spec, units, {key for other in others for key in other.group_keys}, changes)
    await _load_duties(session, spec, plan, changes)
    await _replace_calendar(session, spec, changes)
    if changes.changed:
        await moved(session)
    await session.commit()
    return changes


async def _load_units(
    session: AsyncSession, spec: PlanSpec, elsewhere: set[str], changes: PlanChanges
) -> dict[str, Unit]:
    """The file's units upserted; a unit it does not name is retired unless another active plan names it.
    A unit the office added or changed in chat is the office's: the file changes and retires it no more."""
    units = {unit.key: unit for unit in (await session.exec(select(Unit))).all()}
    office = {key for key, unit in units.items() if unit.source == OFFICE_SOURCE}
    for unit_spec in spec.units:
        if unit_spec.key in office:
            continue
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
    _retire(units, {u.key for u in spec.units} | elsewhere | office, changes.retired_units)
    await session.flush()
    return units


async def _load_duties(session: AsyncSession, spec: PlanSpec, plan: Plan, changes: PlanChanges) -> None:
    """The file's duties upserted into this plan; this plan's duties it does not name are retired."""
    duties = {duty.key: duty for duty in (await session.exec(select(Duty))).all()}
    for duty_spec in spec.duties:
        values: dict[str, Any] = {
            "title": duty_spec.title,
            "title_en": duty_spec.title_en,
            "wording": duty_spec.wording,
            "rule": duty_spec.deadline.as_rule(),
            "groups": list(duty_spec.groups),
            "ladder": list(duty_spec.ladder),
            "remind_at": duty_spec.remind_at,
            "in_plan": True,
            "plan_id": plan.id,
            "units": [],  # a file names groups only: units given to the duty in chat are set back too
        }
        _upsert(session, Duty, duties, duty_spec.key, values, changes.added_duties, changes.updated_duties)
    mine = {key: duty for key, duty in duties.items() if duty.plan_id in (plan.id, None)}
    _retire(mine, {d.key for d in spec.duties}, changes.retired_duties)


async def moved(session: AsyncSession) -> None:
    """Move the plan's revision (the caller commits with the change): running bots follow it."""
    bump = update(PlanRevision).where(col(PlanRevision.id) == 1).values(revision=col(PlanRevision.revision) + 1)
    await session.exec(bump)


async def plans(session: AsyncSession, *, active_only: bool = True) -> list[Plan]:
    # the latest document first; one of no date last, on PostgreSQL as on SQLite (and the FakeStore)
    query = select(Plan).order_by(col(Plan.issued_on).desc().nulls_last(), col(Plan.id))
    if active_only:
        query = query.where(col(Plan.active))
    return list((await session.exec(query)).all())


async def duties_of_plan(session: AsyncSession, *, plan_id: int, in_plan_only: bool = True) -> list[Duty]:
    query = select(Duty).where(Duty.plan_id == plan_id).order_by(col(Duty.id))
    if in_plan_only:
        query = query.where(col(Duty.in_plan))
    return list((await session.exec(query)).all())


async def plan_revision(session: AsyncSession) -> int:
    """The counter each plan load that changed something moved."""
    found = (await session.exec(select(PlanRevision.revision).where(PlanRevision.id == 1))).first()
    return found or 0


async def holiday_overrides(session: AsyncSession) -> dict[date, bool]:
    return {row.day: row.off for row in (await session.exec(select(HolidayOverride))).all()}


async def calendar_days(session: AsyncSession, *, since: date) -> list[HolidayOverride]:
    """The calendar's corrections from `since` on, by day."""
    query = select(HolidayOverride).where(col(HolidayOverride.day) >= since).order_by(col(HolidayOverride.day))
    return list((await session.exec(query)).all())


async def set_calendar_day(session: AsyncSession, *, day: date, off: bool, note: str) -> None:
    """The office's correction of one day (replacing any on that day), and the plan's revision moved."""
    found = await session.get(HolidayOverride, day)
    if found is None:
        found = HolidayOverride(day=day, off=off)
    found.off, found.note, found.source = off, note, OFFICE_SOURCE
    session.add(found)
    await session.flush()
    await moved(session)


async def remove_calendar_day(session: AsyncSession, *, day: date) -> None:
    await session.exec(delete(HolidayOverride).where(col(HolidayOverride.day) == day))
    await moved(session)


async def _upsert_plan(session: AsyncSession, spec: PlanSpec, changes: PlanChanges) -> Plan:
    meta = spec.plan
    values: dict[str, Any] = {
        "title": meta.title,
        "number": meta.number,
        "issued_on": meta.issued_on,
        "issuer": meta.issuer,
        "report_to": meta.report_to,
        "valid_from": meta.valid_from,
        "valid_to": meta.valid_to,
        "issuer_until": meta.issuer_until,
        "active": True,
        "source": "file",
        "unit_keys": [unit.key for unit in spec.units],
        "group_keys": sorted(spec.groups),
    }
    plans = {plan.key: plan for plan in (await session.exec(select(Plan).where(Plan.key == meta.key))).all()}
    _upsert(session, Plan, plans, meta.key, values, changes.added_plans, changes.updated_plans)
    await session.flush()
    return plans[meta.key]


async def _replace_groups(
    session: AsyncSession, spec: PlanSpec, units: dict[str, Unit], kept: set[str], changes: PlanChanges
) -> None:
    """The file's groups as it says; a group it does not name is dropped unless another plan names it."""
    before: dict[str, set[int]] = {}
    for group, unit_id in (await session.exec(select(GroupMember.group_key, GroupMember.unit_id))).all():
        before.setdefault(group, set()).add(unit_id)
    after = {group: {_id(units[member]) for member in members} for group, members in spec.groups.items()}
    after |= {group: members for group, members in before.items() if group in kept and group not in after}
    groups = before.keys() | after.keys()
    changes.changed_groups = sorted(group for group in groups if before.get(group, set()) != after.get(group, set()))
    if not changes.changed_groups:
        return
    await session.exec(delete(GroupMember).where(col(GroupMember.group_key).in_(changes.changed_groups)))
    for group in changes.changed_groups:
        for unit_id in sorted(after.get(group, set())):
            session.add(GroupMember(group_key=group, unit_id=unit_id))


async def _replace_calendar(session: AsyncSession, spec: PlanSpec, changes: PlanChanges) -> None:
    """The file's corrections as it says; those the office set in chat stay, and win on their days."""
    rows = (await session.exec(select(HolidayOverride))).all()
    before = {row.day: (row.off, row.note) for row in rows if row.source != OFFICE_SOURCE}
    office = {row.day for row in rows if row.source == OFFICE_SOURCE}
    after = {day.date: (day.off, day.note) for day in spec.calendar if day.date not in office}
    changes.added_days = sorted(after.keys() - before.keys())
    changes.removed_days = sorted(before.keys() - after.keys())
    changes.updated_days = sorted(day for day in after.keys() & before.keys() if after[day] != before[day])
    if not (changes.added_days or changes.removed_days or changes.updated_days):
        return
    await session.exec(delete(HolidayOverride).where(col(HolidayOverride.source) != OFFICE_SOURCE))
    for day, (off, note) in sorted(after.items()):
        session.add(HolidayOverride(day=day, off=off, note=note))


def _upsert(
    session: AsyncSession,
    model: type[Unit] | type[Duty] | type[Plan],
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
