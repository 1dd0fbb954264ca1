"""Planning the outbox: occurrences, who is to be reminded (and who already is today), and writing
the rows (storage/claims.py takes them for sending)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import (
    FINISHED,
    OFFICE_KIND,
    Admin,
    ChannelAccount,
    Duty,
    Extension,
    GroupMember,
    Occurrence,
    Official,
    Person,
    Plan,
    Reminder,
    Role,
    StatusUpdate,
    Unit,
    plan_ends,
)


@dataclass(frozen=True)
class Recipient:
    unit_id: int
    account: ChannelAccount
    audience: str  # official | head | office
    since: datetime | None = None  # from when this account reaches this role: a step due before is not theirs


@dataclass(frozen=True)
class Served:
    """Someone who already has a reminder of an occurrence going out on a given day."""

    unit_id: int
    person_id: int
    audience: str


async def duties_in_plan(session: AsyncSession) -> list[Duty]:
    return list((await session.exec(select(Duty).where(col(Duty.in_plan)).order_by(col(Duty.id)))).all())


async def plan_duties(session: AsyncSession) -> list[tuple[Duty, list[Unit]]]:
    """The plans' duties, each with its units: those of its groups and those it names itself."""
    return [(duty, await units_of_duty(session, duty)) for duty in await duties_in_plan(session)]


Window = tuple[date | None, date | None]


async def plan_windows(session: AsyncSession) -> dict[int, Window]:
    """Each plan's days in force, by its id: from its start to its end (`plan_ends`)."""
    return {plan.id or 0: (plan.valid_from, plan_ends(plan)) for plan in (await session.exec(select(Plan))).all()}


async def find_occurrence(session: AsyncSession, *, duty_id: int, nominal: date) -> Occurrence | None:
    query = select(Occurrence).where(Occurrence.duty_id == duty_id, Occurrence.nominal == nominal)
    return (await session.exec(query)).first()


async def ensure_occurrence(session: AsyncSession, *, duty_id: int, nominal: date, **values: Any) -> Occurrence:
    """The occurrence row for a duty's deadline, written the first time it is asked for (the caller commits)."""
    found = await find_occurrence(session, duty_id=duty_id, nominal=nominal)
    if found is not None:
        changed = any(getattr(found, name) != value for name, value in values.items())
        if changed:  # the calendar was corrected (an override in the plan file)
            for name, value in values.items():
                setattr(found, name, value)
            session.add(found)
            await session.flush()
        return found
    statement = dialect_insert(session, Occurrence).values(duty_id=duty_id, nominal=nominal, **values)
    await session.exec(statement.on_conflict_do_nothing())
    found = await find_occurrence(session, duty_id=duty_id, nominal=nominal)
    assert found is not None
    return found


async def occurrence_id(session: AsyncSession, *, duty_id: int, nominal: date) -> int | None:
    query = select(Occurrence.id).where(Occurrence.duty_id == duty_id, Occurrence.nominal == nominal)
    return (await session.exec(query)).first()


async def office_unit_id(session: AsyncSession) -> int | None:
    """The Văn phòng's own unit, which the office's digests are filed under."""
    query = select(Unit.id).where(Unit.kind == OFFICE_KIND, col(Unit.in_plan)).order_by(col(Unit.id))
    return (await session.exec(query)).first()


async def units_of_groups(session: AsyncSession, *, groups: Sequence[str]) -> list[Unit]:
    members = select(GroupMember.unit_id).where(col(GroupMember.group_key).in_(list(groups)))
    query = select(Unit).where(col(Unit.id).in_(members), col(Unit.in_plan)).order_by(col(Unit.id))
    return list((await session.exec(query)).all())


async def units_of_duty(session: AsyncSession, duty: Duty) -> list[Unit]:
    """A duty's units: its groups' and those it names itself (a task given to a few units)."""
    members = select(GroupMember.unit_id).where(col(GroupMember.group_key).in_(list(duty.groups)))
    mine = or_(col(Unit.id).in_(members), col(Unit.key).in_(list(duty.units)))
    query = select(Unit).where(mine, col(Unit.in_plan)).order_by(col(Unit.id))
    return list((await session.exec(query)).all())


async def units_done(session: AsyncSession, *, occurrence_id: int) -> set[int]:
    """Units whose latest update for the occurrence says the report was sent, or the office closed it."""
    latest = (
        select(StatusUpdate.unit_id, func.max(StatusUpdate.id).label("last_id"))
        .where(StatusUpdate.occurrence_id == occurrence_id)
        .group_by(col(StatusUpdate.unit_id))
        .subquery()
    )
    query = select(StatusUpdate.unit_id).join(latest, col(StatusUpdate.id) == latest.c.last_id)
    query = query.where(col(StatusUpdate.status).in_(FINISHED))
    return set((await session.exec(query)).all())


async def unit_recipients(session: AsyncSession, *, unit_ids: Iterable[int]) -> list[Recipient]:
    """Every channel account of the active officials and heads of these units, with the moment each
    came to it: the later of the registration and the account's link."""
    query = (
        select(Official.unit_id, Official.role, Official.created_at, ChannelAccount)
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Official.person_id))
        .join(Person, col(Person.id) == col(Official.person_id))
        .where(col(Official.active), col(Official.unit_id).in_(list(unit_ids)))
        .where(col(Official.role).in_([Role.OFFICIAL.value, Role.HEAD.value]))
        # a person who picked a channel (/kenh) is reminded there only
        .where(or_(col(Person.channel).is_(None), col(Person.channel) == col(ChannelAccount.channel)))
        .order_by(col(ChannelAccount.id))
    )
    rows = (await session.exec(query)).all()
    return [
        Recipient(unit_id, account, role, max(registered, account.linked_at))
        for unit_id, role, registered, account in rows
    ]


async def office_accounts(session: AsyncSession, *, admins: Iterable[str]) -> list[ChannelAccount]:
    """Accounts of office staff and of admins (from the settings, `nhacviec admin add` or an admin code):
    every account of such a person, since the role is the person's."""
    refs = {tuple(ref.split(":", 1)) for ref in admins}
    refs |= {(row[0], row[1]) for row in (await session.exec(select(Admin.channel, Admin.user_id))).all()}
    admin_accounts = [and_(col(ChannelAccount.channel) == ch, col(ChannelAccount.user_id) == uid) for ch, uid in refs]
    people = {row for row in (await session.exec(select(Admin.person_id))).all() if row is not None}
    if admin_accounts:
        named = select(ChannelAccount.person_id).where(or_(*admin_accounts))
        people |= set((await session.exec(named)).all())
    office = select(Official.person_id).where(col(Official.active), Official.role == Role.OFFICE.value)
    query = select(ChannelAccount).where(
        or_(col(ChannelAccount.person_id).in_(office), col(ChannelAccount.person_id).in_(sorted(people)))
    )
    return list((await session.exec(query.order_by(col(ChannelAccount.id)))).all())


async def office_recipients(session: AsyncSession, *, admins: Iterable[str]) -> list[tuple[ChannelAccount, datetime]]:
    """The office's accounts (`office_accounts`), each with the moment it came to the office: the later
    of its link and of the person's joining the office or being made admin (an admin named in the
    settings, from the link)."""
    refs = {tuple(ref.split(":", 1)) for ref in admins}
    accounts = await office_accounts(session, admins=admins)
    people = {account.person_id for account in accounts}
    # a person who picked a channel (/kenh) is reminded there only, the office's copies too
    chosen_query = select(Person.id, Person.channel).where(col(Person.id).in_(people), col(Person.channel).is_not(None))
    chosen = dict((await session.exec(chosen_query)).all())
    accounts = [account for account in accounts if chosen.get(account.person_id, account.channel) == account.channel]
    joined_query = select(Official.person_id, Official.created_at).where(
        col(Official.active), Official.role == Role.OFFICE.value, col(Official.person_id).in_(people)
    )
    joined: dict[int, datetime] = {}
    for person_id, created_at in (await session.exec(joined_query)).all():
        joined[person_id] = min(created_at, joined.get(person_id, created_at))
    added = {
        (row[0], row[1]): row[2] for row in (await session.exec(select(Admin.channel, Admin.user_id, Admin.added_at)))
    }
    result = []
    for account in accounts:
        key = (account.channel, account.user_id)
        became = [moment for moment in (joined.get(account.person_id), added.get(key)) if moment is not None]
        if key in refs or not became:
            became.append(account.linked_at)
        result.append((account, max(min(became), account.linked_at)))
    return result


async def served_on(
    session: AsyncSession, *, occurrence_id: int, day: date, start: datetime, end: datetime
) -> list[Served]:
    """Who already has a reminder of the occurrence for `day`: rows planned for that day, and rows
    without a day (a snooze, a row written before days were kept) due to go out in [start, end)."""
    undated = and_(
        col(Reminder.local_day).is_(None),
        col(Reminder.audience).in_([Role.OFFICIAL.value, Role.HEAD.value, Role.OFFICE.value]),
        col(Reminder.next_attempt_at) >= start,
        col(Reminder.next_attempt_at) < end,
    )
    query = (
        select(Reminder.unit_id, ChannelAccount.person_id, Reminder.audience)
        .join(ChannelAccount, col(ChannelAccount.id) == col(Reminder.account_id))
        .where(Reminder.occurrence_id == occurrence_id, or_(col(Reminder.local_day) == day, undated))
    )
    return [Served(unit_id, person_id, audience) for unit_id, person_id, audience in (await session.exec(query)).all()]


async def audience_version(session: AsyncSession) -> tuple[object, ...]:
    """Changes whenever someone registers, leaves, links a channel, becomes admin or reports a status."""
    query = select(  # type: ignore[call-overload]  # typed for 4 columns at most
        select(func.max(Official.id)).scalar_subquery(),
        select(func.count()).where(col(Official.active)).scalar_subquery(),
        select(func.max(ChannelAccount.id)).scalar_subquery(),
        select(func.max(StatusUpdate.id)).scalar_subquery(),
        select(func.max(Admin.id)).scalar_subquery(),
        select(func.count()).where(col(Extension.decision) == "granted").scalar_subquery(),
    )
    return tuple((await session.exec(query)).one())


async def add_reminders(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert outbox rows; a row that exists already is left alone: the same occurrence, unit, account and
    step, or the same occurrence, unit, account and `local_day` (one a day, whichever was written first).
    The caller commits."""
    if not rows:
        return 0
    result = await session.exec(dialect_insert(session, Reminder).values(list(rows)).on_conflict_do_nothing())
    return max(int(result.rowcount or 0), 0)


async def latest_reminded(session: AsyncSession, *, account_id: int, occurrences: list[int]) -> int | None:
    """Of these occurrences, the one this account was last sent a reminder of (a channel without
    replies, such as Zalo: a file sent then answers the reminder it came after)."""
    query = (
        select(Reminder.occurrence_id)
        .where(
            Reminder.account_id == account_id,
            col(Reminder.occurrence_id).in_(occurrences),
            col(Reminder.sent_at).is_not(None),
        )
        .order_by(col(Reminder.sent_at).desc(), col(Reminder.id).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()
