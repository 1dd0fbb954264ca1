"""Who has reported: the office's summaries, aggregated in SQL, a handful of queries per occurrence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect
from storage.models import (
    FINISHED,
    AudienceRevision,
    ChannelAccount,
    Evidence,
    Extension,
    Official,
    Person,
    Role,
    StatusUpdate,
    Unit,
    UnitStatus,
)
from storage.sent import sent_moments


class Contact(NamedTuple):  # a tuple: a province's workbook makes 100,000
    name: str
    channels: tuple[str, ...]  # channels that reach this person
    unreachable: tuple[str, ...]  # reasons for the channels that do not


@dataclass(slots=True)  # slots: a province's summary makes 10,000 per call
class UnitReport:
    """One unit's state for one occurrence."""

    unit_id: int
    occurrence_id: int = 0
    status: str | None = None  # the latest update's status; None: nothing reported yet
    latest: StatusUpdate | None = None  # the latest update itself, once loaded (`load_latest`)
    received: bool = False
    sent_at: datetime | None = None  # when a unit whose latest status is "done" sent it (`storage.sent`)
    granted_until: date | None = None
    contacts: tuple[Contact, ...] = ()  # a tuple: no list to allocate for each of 10,000 reports
    reachable_known: bool | None = None  # counted in SQL when the contacts were not all loaded

    @property
    def reachable(self) -> bool:
        if self.reachable_known is not None:
            return self.reachable_known
        return any(contact.channels for contact in self.contacts)


# Up to this many units are named in a query's IN list; for more (a province's summary) every unit
# is read and the others are dropped here: 10,000 bound parameters cost more to send than the rows.
FEW_UNITS = 500


async def occurrence_reports(
    session: AsyncSession,
    *,
    occurrence_id: int,
    unit_ids: Sequence[int],
    details: bool = True,
    unreachable: set[int] | None = None,
) -> dict[int, UnitReport]:
    """Every unit's latest status, evidence received, extension and reachability for one occurrence.

    With `details` (the exports, `/quahan`, the digests) each unit's latest update and its officials
    are loaded too. Without (the chat's summary, which names a few units a group), only the status
    (from `unit_status`) and whether anyone can reach the unit (one index probe per unit); the officials of the units
    nobody can reach (to say why); `load_latest` then fetches the updates of the units shown.
    `unreachable`, when the caller knows it already (`unreachable_units`, kept while the audience
    revision stands), spares the probe.
    """
    reports = {unit_id: UnitReport(unit_id, occurrence_id) for unit_id in unit_ids}
    if not reports:
        return reports
    units = list(reports)
    await _set_statuses(session, reports, occurrence_id, units, details=details)
    await _set_received_and_granted(session, reports, occurrence_id)
    done = [unit_id for unit_id, report in reports.items() if report.status == "done"]
    for unit_id, moment in (await sent_moments(session, occurrence_id=occurrence_id, unit_ids=done)).items():
        reports[unit_id].sent_at = moment
    if details:
        wanted = units
    else:
        if unreachable is None:
            unreachable = await unreachable_units(session, units)
        for unit_id, report in reports.items():
            report.reachable_known = unit_id not in unreachable
        wanted = [unit_id for unit_id in units if unit_id in unreachable]
    for unit_id, contact in await _contacts(session, wanted):
        reports[unit_id].contacts += (contact,)
    return reports


async def _set_statuses(
    session: AsyncSession, reports: dict[int, UnitReport], occurrence_id: int, units: list[int], *, details: bool
) -> None:
    """Each unit's latest status; with `details`, the update that set it too."""
    if details:
        for update in await _latest_updates(session, occurrence_id, units):
            if update.unit_id in reports:
                found = reports[update.unit_id]
                found.latest, found.status = update, update.status
        return
    for status, members in (await units_by_status(session, occurrence_id=occurrence_id, units=units)).items():
        for unit_id in members:
            report = reports.get(unit_id)
            if report is not None:
                report.status = status


async def _set_received_and_granted(session: AsyncSession, reports: dict[int, UnitReport], occurrence_id: int) -> None:
    """Whether each unit's evidence was received, and the new last day its latest granted extension gives it."""
    received = select(Evidence.unit_id).where(
        Evidence.occurrence_id == occurrence_id, col(Evidence.received_at).is_not(None)
    )
    for unit_id in (await session.exec(received.distinct())).all():
        if unit_id in reports:
            reports[unit_id].received = True
    granted = (
        select(col(Extension.unit_id), col(Extension.until))
        .where(Extension.occurrence_id == occurrence_id, Extension.decision == "granted")
        .order_by(col(Extension.id))
    )
    for unit_id, until in (await session.exec(granted)).all():
        if unit_id in reports:
            reports[unit_id].granted_until = until


async def _latest_updates(session: AsyncSession, occurrence_id: int, units: list[int]) -> Sequence[StatusUpdate]:
    query = (
        select(StatusUpdate)
        .join(UnitStatus, col(UnitStatus.update_id) == col(StatusUpdate.id))
        .where(UnitStatus.occurrence_id == occurrence_id)
    )
    if len(units) <= FEW_UNITS:
        query = query.where(col(UnitStatus.unit_id).in_(units))
    return (await session.exec(query)).all()


async def units_by_status(session: AsyncSession, *, occurrence_id: int, units: list[int]) -> dict[str, list[int]]:
    """The units that reported, grouped by their latest status (from `unit_status`).

    The database groups them and hands back one row per status with its units' ids aggregated:
    a handful of rows, where a row per unit cost ~1 µs each in the driver and as many in SQLAlchemy.
    """
    postgres = dialect(session) == "postgresql"
    members = func.array_agg(UnitStatus.unit_id) if postgres else func.group_concat(UnitStatus.unit_id)
    query = (
        select(UnitStatus.status, members)
        .where(UnitStatus.occurrence_id == occurrence_id)
        .group_by(col(UnitStatus.status))
    )
    if len(units) <= FEW_UNITS:
        query = query.where(col(UnitStatus.unit_id).in_(units))
    connection = await session.connection()
    found: dict[str, list[int]] = {}
    for status, ids in (await connection.execute(query)).all():
        found[status] = list(ids) if postgres else [int(unit_id) for unit_id in ids.split(",")]
    return found


async def units_done(session: AsyncSession, *, occurrence_ids: Sequence[int]) -> dict[int, int]:
    """How many units owe each occurrence nothing more (sent, or closed by the office); absent: none."""
    if not occurrence_ids:
        return {}
    query = (
        select(UnitStatus.occurrence_id, func.count())
        .where(col(UnitStatus.occurrence_id).in_(list(occurrence_ids)), col(UnitStatus.status).in_(FINISHED))
        .group_by(col(UnitStatus.occurrence_id))
    )
    connection = await session.connection()
    return {occurrence_id: count for occurrence_id, count in (await connection.execute(query)).all()}


async def load_latest(session: AsyncSession, reports: Iterable[UnitReport]) -> None:
    """Fill `latest` of these reports with their unit's latest update: one query per occurrence."""
    waiting: dict[int, dict[int, UnitReport]] = {}
    for report in reports:
        if report.status is not None and report.latest is None:
            waiting.setdefault(report.occurrence_id, {})[report.unit_id] = report
    for occurrence_id, by_unit in waiting.items():
        for chunk in _chunks(list(by_unit), FEW_UNITS):
            query = (
                select(StatusUpdate)
                .join(UnitStatus, col(UnitStatus.update_id) == col(StatusUpdate.id))
                .where(UnitStatus.occurrence_id == occurrence_id, col(UnitStatus.unit_id).in_(chunk))
            )
            for update in (await session.exec(query)).all():
                by_unit[update.unit_id].latest = update


async def load_details(session: AsyncSession, reports: Sequence[UnitReport]) -> None:
    """The latest update and the officials of these reports: the few lines a chat message names,
    when the reports were read without details."""
    await load_latest(session, reports)
    waiting: dict[int, list[UnitReport]] = {}
    for report in reports:
        if not report.contacts:  # those nobody can reach came with theirs
            waiting.setdefault(report.unit_id, []).append(report)
    for unit_id, contact in await _contacts(session, list(waiting)):
        for report in waiting[unit_id]:
            report.contacts += (contact,)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def audience_revision(session: AsyncSession) -> int:
    """A counter that moves whenever units, officials or channel accounts change (kept by triggers)."""
    found = (await session.exec(select(AudienceRevision.revision).where(AudienceRevision.id == 1))).first()
    return found or 0


async def unreachable_units(session: AsyncSession, units: list[int] | None = None) -> set[int]:
    """Units (of these, or of all) without an active official on a channel that reaches them.

    Asked as "the first reachable official of this unit, if any" per unit, a scalar subquery with
    LIMIT 1: each is an index-only probe that stops at the first hit. Written as NOT EXISTS,
    PostgreSQL turns it into an anti-join that hashes all 100,000 officials (200 ms instead of 35).
    """
    first_reachable = (
        select(col(Official.person_id))
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Official.person_id))
        .where(col(Official.unit_id) == col(Unit.id), col(Official.active), Official.role != Role.OFFICE.value)
        .where(col(ChannelAccount.unreachable_reason).is_(None))
        .limit(1)
        .correlate(Unit)
        .scalar_subquery()
    )
    query = select(col(Unit.id)).where(first_reachable.is_(None))
    if units is not None and len(units) <= FEW_UNITS:
        query = query.where(col(Unit.id).in_(units))
    found = {unit_id for unit_id in (await session.exec(query)).all() if unit_id is not None}
    return found if units is None else found & set(units)


async def _contacts(session: AsyncSession, units: list[int]) -> list[tuple[int, Contact]]:
    """Each unit's active officials with the channels that reach them and why the others do not.

    Read through the Core connection as plain rows: a province's workbook reads 100,000 of them,
    and the ORM's per-row bookkeeping was a third of the export's time.
    """
    if not units:
        return []
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
        .where(col(Official.active), Official.role != Role.OFFICE.value)
        .order_by(col(Official.id))
    )
    if len(units) <= FEW_UNITS:
        query = query.where(col(Official.unit_id).in_(units))
    wanted = set(units)
    found: list[tuple[int, Contact]] = []
    where: dict[tuple[int, int], int] = {}  # (unit, person) -> index in found: one contact each
    connection = await session.connection()
    for unit_id, person_id, name, channel, reason in (await connection.execute(query)).all():
        if unit_id not in wanted:
            continue
        channels = (channel,) if channel is not None and not reason else ()
        reasons = (reason,) if reason else ()
        at = where.get((unit_id, person_id))
        if at is None:
            where[(unit_id, person_id)] = len(found)
            found.append((unit_id, Contact(name, channels, reasons)))
        else:  # another account of the same person, or the same person in a second role
            known = found[at][1]
            found[at] = (unit_id, Contact(name, known.channels + channels, known.unreachable + reasons))
    return found
