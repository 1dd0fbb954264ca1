"""Status updates: what units reported, kept as history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Duty, Occurrence, Reminder, StatusUpdate, Unit


@dataclass(frozen=True)
class ReminderContext:
    reminder: Reminder
    occurrence: Occurrence
    duty: Duty
    unit: Unit


async def reminder_context(session: AsyncSession, *, reminder_id: int) -> ReminderContext | None:
    query = (
        select(Reminder, Occurrence, Duty, Unit)
        .join(Occurrence, col(Occurrence.id) == col(Reminder.occurrence_id))
        .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
        .join(Unit, col(Unit.id) == col(Reminder.unit_id))
        .where(Reminder.id == reminder_id)
    )
    row = (await session.exec(query)).first()
    return ReminderContext(*row) if row else None


async def add_status(
    session: AsyncSession,
    *,
    occurrence_id: int,
    unit_id: int,
    status: str,
    channel: str,
    at: datetime,
    person_id: int | None,
    by_office: bool = False,
    reminder_id: int | None = None,
    raw_text: str = "",
    percent: int | None = None,
    expected_date: date | None = None,
    note: str = "",
) -> StatusUpdate:
    update = StatusUpdate(
        occurrence_id=occurrence_id,
        unit_id=unit_id,
        status=status,
        channel=channel,
        at=at,
        person_id=person_id,
        by_office=by_office,
        reminder_id=reminder_id,
        raw_text=raw_text[:2000],
        percent=percent,
        expected_date=expected_date,
        note=note[:500],
    )
    session.add(update)
    await session.commit()
    return update


async def history(session: AsyncSession, *, unit_id: int, occurrence_id: int | None = None) -> list[StatusUpdate]:
    query = select(StatusUpdate).where(StatusUpdate.unit_id == unit_id)
    if occurrence_id is not None:
        query = query.where(StatusUpdate.occurrence_id == occurrence_id)
    return list((await session.exec(query.order_by(col(StatusUpdate.id)))).all())
