"""Units as the office's data: a unit added in chat with its groups, a unit changed (renamed, ended,
merged), and the groups units belong to. Each change moves the plan's revision (the planner and the
core follow it) and marks the unit the office's, so a later plan load leaves it alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import GroupMember, Unit, fitted
from storage.plan import OFFICE_SOURCE, moved


async def add_unit(session: AsyncSession, *, groups: Sequence[str], **values: Any) -> Unit:
    """A new unit of the office's, in `groups` (the caller checked its key is free)."""
    unit = Unit(**fitted(Unit, {**values, "source": OFFICE_SOURCE}))
    session.add(unit)
    await session.flush()
    for group in sorted(set(groups)):
        session.add(GroupMember(group_key=group, unit_id=unit.id or 0))
    await session.flush()
    await moved(session)
    return unit


async def change_unit(session: AsyncSession, unit: Unit, **values: Any) -> Unit:
    """A unit's name, validity or successors changed in chat: the office's from now on."""
    for name, value in fitted(Unit, {**values, "source": OFFICE_SOURCE}).items():
        setattr(unit, name, value)
    session.add(unit)
    await session.flush()
    await moved(session)
    return unit


async def set_group(session: AsyncSession, *, key: str, unit_ids: Sequence[int]) -> None:
    """The group `key` is these units now (made, or its members replaced): the office's `/nhom`."""
    await session.exec(delete(GroupMember).where(col(GroupMember.group_key) == key))
    for unit_id in sorted(set(unit_ids)):
        session.add(GroupMember(group_key=key, unit_id=unit_id))
    await session.flush()
    await moved(session)
