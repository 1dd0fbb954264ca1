"""When units sent a report: the moment an on-time record is judged by (issue 25)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import StatusUpdate

FEW_UNITS = 500  # as in storage.summary: more units than this are read whole and filtered here


async def sent_moments(session: AsyncSession, *, occurrence_id: int, unit_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these units sent the report it has sent now: the first "done" after its last other
    update (a "done" later corrected to "50%" is no submission; sent again, it counts anew). Units whose
    latest update is not "done" are absent."""
    wanted = set(unit_ids)
    if not wanted:
        return {}
    query = (
        select(StatusUpdate.unit_id, StatusUpdate.at, StatusUpdate.status)
        .where(StatusUpdate.occurrence_id == occurrence_id)
        .order_by(col(StatusUpdate.unit_id), col(StatusUpdate.id))
    )
    if len(wanted) <= FEW_UNITS:
        query = query.where(col(StatusUpdate.unit_id).in_(sorted(wanted)))
    since: dict[int, datetime | None] = {}
    for unit_id, at, status in (await session.exec(query)).all():
        if unit_id in wanted:
            since[unit_id] = (since.get(unit_id) or at) if status == "done" else None
    return {unit_id: moment for unit_id, moment in since.items() if moment is not None}


async def submissions(session: AsyncSession, *, occurrence_id: int, unit_ids: Iterable[int]) -> list[datetime]:
    """When each of these units sent the report it has sent now, in order (the chart's steps)."""
    return sorted((await sent_moments(session, occurrence_id=occurrence_id, unit_ids=unit_ids)).values())
