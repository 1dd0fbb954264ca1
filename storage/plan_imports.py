"""Plan sheets waiting for the office's ✅, and what a sheet is read against: the groups and their units."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Duty, GroupMember, Plan, PlanImport, Unit


async def take_plan_import(session: AsyncSession, *, import_id: int, apply: bool, now: datetime) -> PlanImport | None:
    """The waiting import, marked used (applied or cancelled) by this call only; None when it was used
    already or is not there: of two taps at once, one wins."""
    statement = (
        update(PlanImport)
        .where(col(PlanImport.id) == import_id, col(PlanImport.used_at).is_(None))
        .values(used_at=now, applied=apply)
    )
    result = await session.exec(statement)
    if result.rowcount != 1:
        return None
    return await session.get(PlanImport, import_id, populate_existing=True)


async def groups(session: AsyncSession) -> dict[str, list[str]]:
    """Each group's key with its units' keys, in the order of the units."""
    query = (
        select(GroupMember.group_key, Unit.key)
        .join(Unit, col(Unit.id) == col(GroupMember.unit_id))
        .order_by(col(GroupMember.group_key), col(Unit.id))
    )
    found: dict[str, list[str]] = {}
    for group, unit in (await session.exec(query)).all():
        found.setdefault(group, []).append(unit)
    return found


async def plan_by_key(session: AsyncSession, *, key: str) -> Plan | None:
    return (await session.exec(select(Plan).where(Plan.key == key))).first()


async def duty_keys(session: AsyncSession) -> set[str]:
    """Every duty's key, ended ones too: a new task's key must be none of them."""
    return set((await session.exec(select(Duty.key))).all())
