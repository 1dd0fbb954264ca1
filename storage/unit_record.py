"""What a unit sent and asked for, for its page (bot/web): evidence received and extensions."""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Duty, Evidence, Extension, Occurrence, Person


class RecordLine(NamedTuple):
    row: Evidence | Extension
    duty: Duty
    occurrence: Occurrence
    person: Person | None  # who sent the file, or asked for the time


async def unit_evidence(session: AsyncSession, *, unit_id: int, limit: int = 30) -> list[RecordLine]:
    """The unit's files kept as submissions, newest first, with their report and sender."""
    query = (
        select(Evidence, Occurrence, Duty, Person)
        .join(Occurrence, col(Occurrence.id) == col(Evidence.occurrence_id))
        .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
        .join(Person, col(Person.id) == col(Evidence.person_id), isouter=True)
        .where(col(Evidence.unit_id) == unit_id)
        .order_by(col(Evidence.id).desc())
        .limit(limit)
    )
    return [RecordLine(row, duty, occ, person) for row, occ, duty, person in (await session.exec(query)).all()]


async def unit_extensions(session: AsyncSession, *, unit_id: int, limit: int = 30) -> list[RecordLine]:
    """The unit's extension requests and their decisions, newest first."""
    query = (
        select(Extension, Occurrence, Duty, Person)
        .join(Occurrence, col(Occurrence.id) == col(Extension.occurrence_id))
        .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
        .join(Person, col(Person.id) == col(Extension.requested_by), isouter=True)
        .where(col(Extension.unit_id) == unit_id)
        .order_by(col(Extension.id).desc())
        .limit(limit)
    )
    return [RecordLine(row, duty, occ, person) for row, occ, duty, person in (await session.exec(query)).all()]
