"""Who has reported: the office's summaries, aggregated in SQL, a handful of queries per occurrence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChannelAccount, Evidence, Extension, Official, Person, Role, StatusUpdate


@dataclass(frozen=True)
class Contact:
    name: str
    channels: tuple[str, ...]  # channels that reach this person
    unreachable: tuple[str, ...]  # reasons for the channels that do not


@dataclass
class UnitReport:
    """One unit's state for one occurrence."""

    unit_id: int
    latest: StatusUpdate | None = None
    received: bool = False
    granted_until: date | None = None
    contacts: list[Contact] = field(default_factory=list)
    reachable_known: bool | None = None  # counted in SQL when the contacts were not all loaded

    @property
    def reachable(self) -> bool:
        if self.reachable_known is not None:
            return self.reachable_known
        return any(contact.channels for contact in self.contacts)


async def occurrence_reports(
    session: AsyncSession, *, occurrence_id: int, unit_ids: Sequence[int], contacts: bool = True
) -> dict[int, UnitReport]:
    """Every unit's latest update, evidence received, extension and officials for one occurrence.

    With `contacts=False` only the units nobody can reach get their officials loaded (to say why);
    whether the others can be reached is counted in SQL: the chat's summary needs no more.
    """
    reports = {unit_id: UnitReport(unit_id) for unit_id in unit_ids}
    if not reports:
        return reports
    units = list(reports)
    latest_ids = (
        select(func.max(StatusUpdate.id))
        .where(StatusUpdate.occurrence_id == occurrence_id, col(StatusUpdate.unit_id).in_(units))
        .group_by(col(StatusUpdate.unit_id))
    )
    for update in (await session.exec(select(StatusUpdate).where(col(StatusUpdate.id).in_(latest_ids)))).all():
        reports[update.unit_id].latest = update
    received = select(Evidence.unit_id).where(
        Evidence.occurrence_id == occurrence_id,
        col(Evidence.received_at).is_not(None),
        col(Evidence.unit_id).in_(units),
    )
    for unit_id in (await session.exec(received.distinct())).all():
        reports[unit_id].received = True
    granted = (
        select(col(Extension.unit_id), col(Extension.until))
        .where(Extension.occurrence_id == occurrence_id, Extension.decision == "granted")
        .order_by(col(Extension.id))
    )
    for unit_id, until in (await session.exec(granted)).all():
        if unit_id in reports:
            reports[unit_id].granted_until = until
    wanted = units
    if not contacts:
        reachable = await _reachable_units(session, units)
        for unit_id, report in reports.items():
            report.reachable_known = unit_id in reachable
        wanted = [unit_id for unit_id in units if unit_id not in reachable]
    for unit_id, contact in await _contacts(session, wanted):
        reports[unit_id].contacts.append(contact)
    return reports


async def _reachable_units(session: AsyncSession, units: list[int]) -> set[int]:
    """Units with at least one active official on a channel that reaches them."""
    query = (
        select(Official.unit_id)
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Official.person_id))
        .where(col(Official.active), col(Official.unit_id).in_(units), Official.role != Role.OFFICE.value)
        .where(col(ChannelAccount.unreachable_reason).is_(None))
        .distinct()
    )
    return set((await session.exec(query)).all())


async def _contacts(session: AsyncSession, units: list[int]) -> list[tuple[int, Contact]]:
    columns = (
        Official.unit_id,
        Person.id,
        Person.display_name,
        ChannelAccount.channel,
        ChannelAccount.unreachable_reason,
    )
    query = (
        select(*columns)  # type: ignore[call-overload]  # select() is typed for 4 columns at most
        .join(Person, col(Person.id) == col(Official.person_id))
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Person.id), isouter=True)
        .where(col(Official.active), col(Official.unit_id).in_(units), Official.role != Role.OFFICE.value)
        .order_by(col(Official.id))
    )
    people: dict[tuple[int, int], tuple[str, list[str], list[str]]] = {}
    for unit_id, person_id, name, channel, reason in (await session.exec(query)).all():
        entry = people.setdefault((unit_id, person_id), (name, [], []))
        if channel is None:
            continue
        if reason:
            entry[2].append(reason)
        else:
            entry[1].append(channel)
    return [
        (unit_id, Contact(name, tuple(channels), tuple(reasons)))
        for (unit_id, _person), (name, channels, reasons) in people.items()
    ]


async def first_submissions(session: AsyncSession, *, occurrence_id: int) -> list[datetime]:
    """When each unit first reported the occurrence done, in order."""
    query = (
        select(func.min(StatusUpdate.at))
        .where(StatusUpdate.occurrence_id == occurrence_id, StatusUpdate.status == "done")
        .group_by(col(StatusUpdate.unit_id))
    )
    return sorted(moment for moment in (await session.exec(query)).all() if moment is not None)
