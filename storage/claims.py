"""Claiming due outbox rows for sending, and what the dispatcher needs of them: their words' facts,
which are no longer wanted, and handing back or holding what it did not send (storage/outcomes.py
records how each send went)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BigInteger, and_, func, or_, text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.claimer import process_is_running
from storage.models import (
    FINISHED,
    ChannelAccount,
    Duty,
    Occurrence,
    Official,
    Person,
    Plan,
    Reminder,
    ReminderStatus,
    Unit,
    UnitStatus,
)


@dataclass(frozen=True, slots=True)
class ReminderRow:
    """A claimed reminder with everything needed to word it: plain columns, as the dispatcher reads
    thousands of them (ORM objects of six tables, with their JSON columns, had cost more than the rest
    of the dispatcher's own work)."""

    id: int
    occurrence_id: int
    unit_id: int
    account_id: int
    step: str
    audience: str
    attempts: int
    aim_day: date  # the unit's own day (an extension), else the occurrence's day to aim for
    legal_last_day: date  # the unit's own day (an extension), else the occurrence's legal last day
    nominal: date
    inclusive: bool
    period_start: date | None
    period_end: date | None
    duty_title: str
    duty_title_en: str
    unit_name: str
    channel: str
    chat_id: str
    person_id: int
    locale: str | None
    # the duty's plan, for its citation (None: a duty of no plan)
    plan_title: str | None
    plan_number: str | None
    plan_issued_on: date | None
    plan_issuer: str | None


async def claim_due(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int, claimed_by: int | None = None
) -> list[int]:
    """Take up to `limit` due reminders for sending, in the name of `claimed_by` (storage/claimer.py);
    a claim left by a crashed sender expires with its lease, or sooner (`release_orphans`).

    One UPDATE ... RETURNING decides, so two dispatchers (or two instances) never claim the same row:
    SQLite runs writers one at a time, and PostgreSQL skips rows another claim has locked. On
    PostgreSQL the rows are chosen in a materialized CTE: written as `id IN (SELECT ... LIMIT n FOR
    UPDATE SKIP LOCKED)`, the planner may run the subquery again for each row it updates, and one
    claim took every due row (458 of 500 with a limit of 200), leaving a second instance nothing.
    """
    claimable = and_(
        col(Reminder.status) == ReminderStatus.PENDING,
        col(Reminder.next_attempt_at) <= now,
        or_(col(Reminder.claimed_until).is_(None), col(Reminder.claimed_until) < now),
    )
    due = select(Reminder.id).where(claimable).order_by(col(Reminder.next_attempt_at), col(Reminder.id)).limit(limit)
    connection = await session.connection()  # Core statements: no ORM objects, no ORM bulk-update machinery
    if (await connection.execute(due.limit(1))).first() is None:  # the common case: nothing due, no write
        return []
    if connection.dialect.name == "postgresql":
        chosen = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        taken = col(Reminder.id) == chosen.c.id
    else:
        taken = col(Reminder.id).in_(due.scalar_subquery())
    claim = (
        update(Reminder)
        .where(taken, claimable)
        .values(claimed_until=lease_until, claimed_by=claimed_by)
        .returning(col(Reminder.id))
    )
    ids = sorted(row_id for row_id in (await connection.execute(claim)).scalars() if row_id is not None)
    await session.commit()
    return ids


# The claimers holding their advisory lock now (storage/claimer.py: positive keys, so the two halves
# pg_locks shows put back together give the key).
_LIVE_CLAIMERS = text(
    "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks "
    "WHERE locktype = 'advisory' AND granted AND objsubid = 1"
)


async def release_orphans(session: AsyncSession, *, mine: int, now: datetime) -> int:
    """Hand back the live claims of claimers that are gone (a process killed, a pass that ended):
    on PostgreSQL those whose advisory lock nobody holds, on SQLite those of a process not running.
    How many were handed back."""
    connection = await session.connection()
    held = and_(
        col(Reminder.status) == ReminderStatus.PENDING,
        col(Reminder.claimed_until) >= now,
        col(Reminder.claimed_by).is_not(None),
        col(Reminder.claimed_by) != mine,
    )
    if connection.dialect.name == "postgresql":
        gone = col(Reminder.claimed_by).not_in(_LIVE_CLAIMERS.columns(claimer=BigInteger()).scalar_subquery())
    else:
        claimers = {row[0] for row in (await connection.execute(select(Reminder.claimed_by).where(held))).all()}
        dead = [pid for pid in claimers if pid is not None and not process_is_running(pid)]
        if not dead:
            return 0
        gone = col(Reminder.claimed_by).in_(dead)
    released = await connection.execute(
        update(Reminder).where(held, gone).values(claimed_until=None, claimed_by=None).returning(col(Reminder.id))
    )
    count = len(released.all())
    await session.commit()
    return count


async def reminder_rows(session: AsyncSession, *, ids: Sequence[int]) -> list[ReminderRow]:
    query = (
        select(  # type: ignore[call-overload, misc]  # typed for 4 columns at most
            Reminder.id,
            Reminder.occurrence_id,
            Reminder.unit_id,
            Reminder.account_id,
            Reminder.step,
            Reminder.audience,
            Reminder.attempts,
            func.coalesce(Reminder.last_day, Occurrence.aim_day),
            func.coalesce(Reminder.last_day, Occurrence.legal_last_day),
            Occurrence.nominal,
            Occurrence.inclusive,
            Occurrence.period_start,
            Occurrence.period_end,
            Duty.title,
            Duty.title_en,
            Unit.name,
            ChannelAccount.channel,
            ChannelAccount.chat_id,
            ChannelAccount.person_id,
            Person.locale,
            Plan.title,
            Plan.number,
            Plan.issued_on,
            Plan.issuer,
        )
        .join(Occurrence, col(Occurrence.id) == col(Reminder.occurrence_id))
        .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
        .join(Unit, col(Unit.id) == col(Reminder.unit_id))
        .join(ChannelAccount, col(ChannelAccount.id) == col(Reminder.account_id))
        .join(Person, col(Person.id) == col(ChannelAccount.person_id))
        .outerjoin(Plan, col(Plan.id) == col(Duty.plan_id))
        .where(col(Reminder.id).in_(list(ids)))
        .order_by(col(Reminder.next_attempt_at), col(Reminder.id))
    )
    connection = await session.connection()
    return [ReminderRow(*row) for row in (await connection.execute(query)).all()]


async def release(session: AsyncSession, *, ids: Sequence[int], claimed_until: datetime | None = None) -> None:
    """Hand claimed but unsent reminders back, so another dispatcher takes them at once.

    With `claimed_until`, only rows still under that claim: a row whose lease ran out may have been
    claimed since by another dispatcher, whose claim is not ours to clear.
    """
    statement = update(Reminder).where(col(Reminder.id).in_(list(ids)))
    if claimed_until is not None:
        statement = statement.where(col(Reminder.claimed_until) == claimed_until)
    await session.exec(statement.values(claimed_until=None))
    await session.commit()


async def postpone(session: AsyncSession, *, ids: Sequence[int], until: datetime) -> None:
    """Hold claimed reminders until `until` (night or a day off) and release them: one statement."""
    statement = update(Reminder).where(col(Reminder.id).in_(list(ids)))
    await session.exec(statement.values(next_attempt_at=until, claimed_until=None))
    await session.commit()


async def unwanted(session: AsyncSession, *, rows: Sequence[ReminderRow]) -> set[int]:
    """Reminders of a claimed batch no longer worth sending: the unit reported done, or the recipient
    left the unit, since they were planned. Two queries for the whole batch."""
    if not rows:
        return set()
    occurrences = {row.occurrence_id for row in rows}
    units = {row.unit_id for row in rows}
    done_query = select(UnitStatus.occurrence_id, UnitStatus.unit_id).where(  # each unit's latest status
        col(UnitStatus.occurrence_id).in_(occurrences),
        col(UnitStatus.unit_id).in_(units),
        col(UnitStatus.status).in_(FINISHED),
    )
    connection = await session.connection()
    done = {(occurrence, unit) for occurrence, unit in (await connection.execute(done_query)).all()}
    people = {row.person_id for row in rows}
    roles_query = select(Official.person_id, Official.unit_id, Official.role).where(
        col(Official.active), col(Official.person_id).in_(people), col(Official.unit_id).in_(units)
    )
    roles = {(person, unit, role) for person, unit, role in (await connection.execute(roles_query)).all()}
    result = set()
    for row in rows:
        if row.audience == "digest":  # the office's digest goes out whatever the units did
            continue
        # a head is reminded as the official of a unit that has none (the planner decides when)
        allowed = ("official", "head") if row.audience == "official" else (row.audience,)
        holds = any((row.person_id, row.unit_id, role) in roles for role in allowed)
        if (row.occurrence_id, row.unit_id) in done or (row.audience != "office" and not holds):
            result.add(row.id)
    return result
