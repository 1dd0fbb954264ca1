"""Status updates: what units reported, kept as history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect
from storage.models import (
    Draft,
    Duty,
    Evidence,
    Extension,
    Occurrence,
    Person,
    Reminder,
    StatusUpdate,
    Unit,
    built,
    fitted,
    table_of,
)


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


async def reminder_by_message(session: AsyncSession, *, account_id: int, message_id: str) -> ReminderContext | None:
    """The reminder a person replied to, by the channel's message id."""
    query = select(Reminder.id).where(Reminder.account_id == account_id, Reminder.message_id == message_id)
    reminder_id = (await session.exec(query)).first()
    return await reminder_context(session, reminder_id=reminder_id) if reminder_id else None


# A status update runs these on every reply (the latest updates only when the identity did not bring
# them: replies to a reminder, taps, files). They are built once, with bound parameters (expanding
# ones for the IN lists): building and hashing them anew cost as much CPU as running them.
_LATEST = (
    select(StatusUpdate)
    .where(StatusUpdate.occurrence_id == bindparam("occurrence_id"), StatusUpdate.unit_id == bindparam("unit_id"))
    .order_by(col(StatusUpdate.id).desc())
    .limit(1)
)
_LATEST_PER_PAIR = select(StatusUpdate).where(
    col(StatusUpdate.id).in_(
        select(func.max(StatusUpdate.id))
        .where(
            col(StatusUpdate.occurrence_id).in_(bindparam("occurrences", expanding=True)),
            col(StatusUpdate.unit_id).in_(bindparam("units", expanding=True)),
        )
        .group_by(col(StatusUpdate.occurrence_id), col(StatusUpdate.unit_id))
    )
)
_TABLE = table_of(StatusUpdate)


def _appending(dialect_insert: Any) -> Any:
    """INSERT ... SELECT that numbers the update after the newest itself, unless an update newer than
    the one the writer saw already says the same ("done" after "done", or the same words from the
    same person): writers that take turns never meet a conflict, and a double tap writes nothing."""

    def param(name: str) -> Any:
        return bindparam(name, type_=_TABLE.c[name].type)

    newer = _TABLE.alias("newer")
    says_the_same = or_(
        and_(newer.c.status == "done", param("status") == "done"),
        and_(
            newer.c.person_id.is_not_distinct_from(param("person_id")),
            newer.c.status == param("status"),
            newer.c.percent.is_not_distinct_from(param("percent")),
            newer.c.expected_date.is_not_distinct_from(param("expected_date")),
        ),
    )
    already = (
        select(newer.c.id)
        .where(newer.c.occurrence_id == param("occurrence_id"), newer.c.unit_id == param("unit_id"))
        .where(newer.c.id > bindparam("after_id", type_=newer.c.id.type), says_the_same)
        .exists()
    )
    mine = and_(_TABLE.c.occurrence_id == param("occurrence_id"), _TABLE.c.unit_id == param("unit_id"))
    next_seq = select(func.coalesce(func.max(_TABLE.c.seq), 0) + 1).where(mine).scalar_subquery()
    columns = [column.name for column in _TABLE.c if column.name not in ("id", "seq")]
    source = select(*(param(name) for name in columns), next_seq).where(~already)  # type: ignore[call-overload]
    insert = dialect_insert(_TABLE).from_select([*columns, "seq"], source).on_conflict_do_nothing()
    return insert.returning(_TABLE.c.id, _TABLE.c.seq)  # the number the database chose


_APPEND = {"sqlite": _appending(sqlite.insert), "postgresql": _appending(postgresql.insert)}
# the columns a caller of append_status may leave out, with the values a new StatusUpdate would have
_DEFAULTS = {
    name: field.default
    for name, field in StatusUpdate.model_fields.items()
    if name not in ("id", "seq") and not field.is_required()
}
# PostgreSQL: writers of one occurrence and unit take turns until their transaction ends
_UNIT_LOCK = select(func.pg_advisory_xact_lock(bindparam("occurrence"), bindparam("unit")))


async def latest_status(session: AsyncSession, *, occurrence_id: int, unit_id: int) -> StatusUpdate | None:
    params = {"occurrence_id": occurrence_id, "unit_id": unit_id}
    return (await session.exec(_LATEST, params=params)).first()


async def latest_statuses(
    session: AsyncSession, *, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], StatusUpdate]:
    """The latest update of each (occurrence, unit) pair that has one."""
    if not pairs:
        return {}
    params = {
        "occurrences": sorted({occurrence for occurrence, _unit in pairs}),
        "units": sorted({unit for _occurrence, unit in pairs}),
    }
    rows = (await session.exec(_LATEST_PER_PAIR, params=params)).all()
    wanted = set(pairs)
    return {(row.occurrence_id, row.unit_id): row for row in rows if (row.occurrence_id, row.unit_id) in wanted}


async def append_status(session: AsyncSession, *, after: StatusUpdate | None, **values: Any) -> StatusUpdate | None:
    """Add an update after the newest; None when an update newer than `after` (the latest the writer
    saw) already says the same, so two taps or officials answering together neither write twice
    nor lose an update.

    The INSERT numbers the update itself; the caller commits (the store, with the message's other
    writes). On SQLite this process's writers take turns (the store's writer turn), so they meet no
    conflict; another process can still take the number in between, hence more tries. On PostgreSQL
    every writer first takes a transaction-scoped advisory lock on the occurrence and unit: a message
    is one transaction (the store commits at its end), and a writer that numbered its row while another
    writer's row was not yet committed would lose the number and could lose it again on each try under
    load (seen with twelve officials of three units at once). With the lock they take turns per unit,
    each sees the last one's row, and other units' writers run side by side.
    """
    postgres = dialect(session) == "postgresql"
    row = _DEFAULTS | fitted(StatusUpdate, values)
    params = row | {"after_id": after.id if after else 0}
    for _attempt in range(3):  # the second and third only after losing the number to another writer
        if postgres:
            lock = {"occurrence": row["occurrence_id"], "unit": row["unit_id"]}  # held to the COMMIT
            inserted = await session.run_sync(_insert, _APPEND["postgresql"], params, lock)
        else:
            inserted = await session.run_sync(_insert, _APPEND["sqlite"], params, None)
        if inserted is not None:
            return built(StatusUpdate, row | {"id": inserted[0], "seq": inserted[1]})
    return None


def _insert(session: Session, insert: Any, params: dict[str, Any], lock: dict[str, int] | None) -> Any:
    """The append (after the per-unit lock, if given), in one greenlet.

    A Core statement on the session's connection: the ORM's layer around the statement cost more than
    the statement, and each of the async session's calls runs in a greenlet of its own, whose frames
    Python 3.11 maps and unmaps from the system. The lock is held until the transaction ends.
    """
    connection = session.connection()
    if lock is not None:
        connection.execute(_UNIT_LOCK, lock)
    return connection.execute(insert, params).first()


async def last_update_by(session: AsyncSession, *, person_id: int) -> StatusUpdate | None:
    query = select(StatusUpdate).where(StatusUpdate.person_id == person_id).order_by(col(StatusUpdate.id).desc())
    return (await session.exec(query.limit(1))).first()


@dataclass(frozen=True)
class HistoryLine:
    update: StatusUpdate
    duty: Duty
    occurrence: Occurrence
    person: Person | None


async def unit_history(
    session: AsyncSession, *, unit_id: int, limit: int = 30, occurrence_id: int | None = None
) -> list[HistoryLine]:
    """The unit's latest updates (of one deadline: chosen before the limit), newest first, with their authors."""
    chosen = [] if occurrence_id is None else [col(StatusUpdate.occurrence_id) == occurrence_id]
    query = (
        select(StatusUpdate, Occurrence, Duty, Person)
        .join(Occurrence, col(Occurrence.id) == col(StatusUpdate.occurrence_id))
        .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
        .join(Person, col(Person.id) == col(StatusUpdate.person_id), isouter=True)
        .where(StatusUpdate.unit_id == unit_id, *chosen)
        .order_by(col(StatusUpdate.id).desc())
        .limit(limit)
    )
    return [
        HistoryLine(update, duty, occurrence, person)
        for update, occurrence, duty, person in (await session.exec(query)).all()
    ]


async def add_draft(session: AsyncSession, **values: Any) -> Draft:
    draft = Draft(**values)
    session.add(draft)
    await session.flush()
    return draft


async def take_draft(session: AsyncSession, *, draft_id: int, account_id: int, now: datetime) -> Draft | None:
    """A person's own unused draft, marked used; None when it is not theirs or was used already."""
    claim = (
        update(Draft)
        .where(col(Draft.id) == draft_id, col(Draft.account_id) == account_id, col(Draft.used_at).is_(None))
        .values(used_at=now)
    )
    result = await session.exec(claim)
    if result.rowcount != 1:
        return None
    return await session.get(Draft, draft_id)


async def add_extension(session: AsyncSession, **values: Any) -> Extension:
    extension = Extension(**values)
    session.add(extension)
    await session.flush()
    return extension


async def decide_extension(
    session: AsyncSession, *, extension_id: int, decision: str, person_id: int | None, now: datetime
) -> Extension | None:
    """Grant or refuse a request still waiting; None when it was decided already (two office taps)."""
    statement = (
        update(Extension)
        .where(col(Extension.id) == extension_id, col(Extension.decision) == "requested")
        .values(decision=decision, decided_by=person_id, decided_at=now)
    )
    result = await session.exec(statement)
    if result.rowcount != 1:
        return None
    extension = await session.get(Extension, extension_id)
    if extension is not None:
        await session.refresh(extension)
    return extension


async def granted_until(session: AsyncSession, *, occurrence_id: int) -> dict[int, date]:
    """Units whose last day an extension moved, with the new last day (the latest grant wins)."""
    query = (
        select(col(Extension.unit_id), col(Extension.until))
        .where(Extension.occurrence_id == occurrence_id, Extension.decision == "granted")
        .order_by(col(Extension.id))
    )
    return dict((await session.exec(query)).all())


async def granted_days(session: AsyncSession, *, unit_id: int, since: date) -> dict[tuple[int, date], date]:
    """A unit's days granted from `since` on, by (duty, the date the plan names); the latest grant wins."""
    query = (
        select(col(Occurrence.duty_id), col(Occurrence.nominal), col(Extension.until))
        .join(Occurrence, col(Occurrence.id) == col(Extension.occurrence_id))
        .where(Extension.unit_id == unit_id, Extension.decision == "granted", col(Extension.until) >= since)
        .order_by(col(Extension.id))
    )
    return {(duty_id, nominal): until for duty_id, nominal, until in (await session.exec(query)).all()}


async def add_evidence(session: AsyncSession, **values: Any) -> Evidence:
    evidence = Evidence(**fitted(Evidence, values))
    session.add(evidence)
    await session.flush()
    return evidence


async def mark_received(
    session: AsyncSession, *, evidence_id: int, person_id: int | None, now: datetime
) -> Evidence | None:
    statement = (
        update(Evidence)
        .where(col(Evidence.id) == evidence_id, col(Evidence.received_at).is_(None))
        .values(received_at=now, received_by=person_id)
    )
    result = await session.exec(statement)
    return await session.get(Evidence, evidence_id) if result.rowcount == 1 else None
