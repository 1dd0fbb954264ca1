"""What ended: the reports closed because their plan or unit ended (`scheduler/endings.py` closes them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OFFICE_KIND, Plan, StatusUpdate, Unit, plan_ends


async def anything_ended_on(session: AsyncSession, *, day: date) -> bool:
    """Whether a unit (not the office's own) or a plan had `day` as its last day."""
    units = select(Unit.id).where(Unit.valid_to == day, Unit.kind != OFFICE_KIND).limit(1)
    if (await session.exec(units)).first() is not None:
        return True
    return any(plan_ends(plan) == day for plan in (await session.exec(select(Plan))).all())


async def closed_since(session: AsyncSession, *, since: datetime) -> dict[int, int]:
    """How many reports of each unit were closed since `since` because their plan or unit ended."""
    query = (
        select(StatusUpdate.unit_id, func.count())
        .where(StatusUpdate.status == "closed", StatusUpdate.reason != "", col(StatusUpdate.at) >= since)
        .group_by(col(StatusUpdate.unit_id))
    )
    return {unit_id: count for unit_id, count in (await session.exec(query)).all()}
