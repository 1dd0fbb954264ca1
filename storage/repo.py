"""Every query the application asks, named after the question it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver
from storage.db import dialect_insert
from storage.models import (
    Admin,
    AuditEntry,
    ChannelAccount,
    ChannelUsage,
    Duty,
    GroupMember,
    HolidayOverride,
    Invitation,
    Official,
    Person,
    ReceivedMessage,
    Role,
    StatusUpdate,
    Unit,
    built,
    table_of,
)


@dataclass(frozen=True)
class Membership:
    official: Official
    unit: Unit


@dataclass(frozen=True)
class OfficialView:
    official: Official
    person: Person
    unit: Unit
    accounts: list[ChannelAccount]


async def units(session: AsyncSession, *, in_plan_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(col(Unit.id))
    if in_plan_only:
        query = query.where(col(Unit.in_plan))
    return list((await session.exec(query)).all())


async def unit_by_key(session: AsyncSession, *, key: str) -> Unit | None:
    return (await session.exec(select(Unit).where(Unit.key == key))).first()


async def duties_for_unit(session: AsyncSession, *, unit_id: int) -> list[Duty]:
    groups = set((await session.exec(select(GroupMember.group_key).where(GroupMember.unit_id == unit_id))).all())
    duties = (await session.exec(select(Duty).where(col(Duty.in_plan)).order_by(col(Duty.id)))).all()
    return [duty for duty in duties if groups.intersection(duty.groups)]


async def holiday_overrides(session: AsyncSession) -> dict[date, bool]:
    return {row.day: row.off for row in (await session.exec(select(HolidayOverride))).all()}


@dataclass(frozen=True)
class LatestUpdates:
    """The latest update of each (occurrence, unit) pair of these occurrences and units (absent: none yet)."""

    occurrences: frozenset[int]
    units: frozenset[int]
    updates: dict[tuple[int, int], StatusUpdate]

    def covers(self, pairs: list[tuple[int, int]]) -> bool:
        return all(occurrence in self.occurrences and unit in self.units for occurrence, unit in pairs)


@dataclass(frozen=True)
class Identity:
    account: ChannelAccount | None
    person: Person | None
    memberships: list[Membership]
    stored_admin: bool  # added with `nhacviec admin add`
    latest: LatestUpdates | None = None  # of the units of `memberships`, when asked for with the identity


_IDENTITY_MODELS: tuple[type[SQLModel], ...] = (ChannelAccount, Person, Official, Unit)


def _identity_query(*, with_latest: bool) -> Any:
    """The account, its person, each active role with its unit, and (last) whether they are an admin.

    `with_latest`: each row also has one latest update of its unit among the occurrences given as
    `occurrences` (or none). Plain columns, not ORM entities: `_objects` builds the objects.
    """
    account, person, official, unit = (table_of(model) for model in _IDENTITY_MODELS)
    admin = select(Admin.id).where(Admin.channel == bindparam("channel"), Admin.user_id == bindparam("user_id"))
    joined = (
        account.join(person, person.c.id == account.c.person_id)
        .outerjoin(official, and_(official.c.person_id == person.c.id, official.c.active))
        .outerjoin(unit, unit.c.id == official.c.unit_id)
    )
    columns = [*account.c, *person.c, *official.c, *unit.c]
    if with_latest:
        updates = table_of(StatusUpdate)
        newer = updates.alias("newer")
        superseded = (
            select(newer.c.id)
            .where(
                newer.c.occurrence_id == updates.c.occurrence_id,
                newer.c.unit_id == updates.c.unit_id,
                newer.c.id > updates.c.id,
            )
            .exists()
        )
        latest = and_(
            updates.c.unit_id == unit.c.id,
            updates.c.occurrence_id.in_(bindparam("occurrences", expanding=True)),
            ~superseded,
        )
        joined = joined.outerjoin(updates, latest)
        columns += updates.c
    return (
        select(*columns, admin.exists().label("admin"))  # type: ignore[call-overload]  # typed for 4 columns
        .select_from(joined)
        .where(account.c.channel == bindparam("channel"), account.c.user_id == bindparam("user_id"))
        .order_by(official.c.id)
    )


# Every message asks this first. Built once with bound parameters: building a statement like this and
# hashing it for SQLAlchemy's compiled cache cost about as much CPU as running it (~1 ms on SQLite).
_IDENTITY = _identity_query(with_latest=False)
_IDENTITY_WITH_LATEST = _identity_query(with_latest=True)


def _row_layout() -> list[tuple[type[SQLModel], list[str], slice]]:
    """Where each table's columns sit in an identity row: the four models, then the update; `admin` last."""
    layout: list[tuple[type[SQLModel], list[str], slice]] = []
    start = 0
    models: tuple[type[SQLModel], ...] = (*_IDENTITY_MODELS, StatusUpdate)
    for model in models:
        names = [column.key for column in table_of(model).c]
        layout.append((model, names, slice(start, start + len(names))))
        start += len(names)
    return layout


_LAYOUT = _row_layout()
_PEOPLE, _ROLES, _LATEST = slice(0, 2), slice(2, 4), slice(4, 5)  # of _LAYOUT


def _objects(row: Sequence[Any], models: slice) -> list[Any]:
    """The objects of these tables in an identity row (None where an outer join found nothing)."""
    objects = []
    for model, names, where in _LAYOUT[models]:
        values = dict(zip(names, row[where], strict=True))
        objects.append(built(model, values) if values["id"] is not None else None)
    return objects


def _short_read(session: Session, statement: Any, params: dict[str, Any]) -> list[Any]:
    """The rows of an indexed lookup of a few rows, on the session's connection, in one greenlet.

    A Core statement: the ORM's layer around it cost more than it. One greenlet: each call of the
    async session runs in a greenlet of its own, whose frames Python 3.11 maps and unmaps from the
    system. On SQLite it runs in the event loop's thread: its ~25 µs cost less than a trip to the
    connection's own thread (storage/sqlite_driver.py).
    """
    connection = session.connection()
    with sqlite_driver.in_this_thread(connection):
        return list(connection.execute(statement, params).all())


async def identity(session: AsyncSession, *, channel: str, user_id: str, latest_of: Sequence[int] = ()) -> Identity:
    """Who writes from this channel account, with their active roles, in one round trip.

    With `latest_of` (occurrence ids), the same round trip also reads the latest update of each of
    their units for those occurrences: a status update in words needs both, and a statement saved
    is ~0.5 ms of CPU on SQLite, an eighth of what the bot spends on one.

    The row is read as plain columns and the objects built from it as the ORM would build them,
    without its loading machinery (a fifth of the CPU of the identity). They are in no session.
    """
    params: dict[str, Any] = {"channel": channel, "user_id": user_id}
    if latest_of:
        params["occurrences"] = sorted(set(latest_of))
    rows = await session.run_sync(_short_read, _IDENTITY_WITH_LATEST if latest_of else _IDENTITY, params)
    if not rows:
        return Identity(None, None, [], await is_admin(session, channel=channel, user_id=user_id))
    memberships: list[Membership] = []
    seen: set[int | None] = set()
    updates: dict[tuple[int, int], StatusUpdate] = {}
    account, person = _objects(rows[0], _PEOPLE)
    for row in rows:
        official, unit = _objects(row, _ROLES)
        if official is not None and official.id not in seen:
            seen.add(official.id)
            memberships.append(Membership(official, unit))
        (update,) = _objects(row, _LATEST) if latest_of else (None,)
        if update is not None:
            updates[(update.occurrence_id, update.unit_id)] = update
    latest = None
    if latest_of:
        units = frozenset(m.unit.id for m in memberships if m.unit.id is not None)
        latest = LatestUpdates(frozenset(latest_of), units, updates)
    return Identity(account, person, memberships, bool(rows[0][-1]), latest)


async def is_admin(session: AsyncSession, *, channel: str, user_id: str) -> bool:
    query = select(Admin.id).where(Admin.channel == channel, Admin.user_id == user_id)
    return (await session.exec(query)).first() is not None


async def add_admin(session: AsyncSession, *, channel: str, user_id: str, now: datetime) -> bool:
    """Add an admin; False when they already were one."""
    if await is_admin(session, channel=channel, user_id=user_id):
        return False
    session.add(Admin(channel=channel, user_id=user_id, added_at=now))
    await session.commit()
    return True


async def account(session: AsyncSession, *, channel: str, user_id: str) -> ChannelAccount | None:
    query = select(ChannelAccount).where(ChannelAccount.channel == channel, ChannelAccount.user_id == user_id)
    return (await session.exec(query)).first()


async def accounts_of(session: AsyncSession, *, person_id: int) -> list[ChannelAccount]:
    query = select(ChannelAccount).where(ChannelAccount.person_id == person_id).order_by(col(ChannelAccount.id))
    return list((await session.exec(query)).all())


async def ensure_person(
    session: AsyncSession,
    *,
    channel: str,
    user_id: str,
    chat_id: str,
    display_name: str,
    username: str | None,
    now: datetime,
) -> tuple[Person, ChannelAccount]:
    """The person behind a channel account, created on first contact; keeps name and chat up to date."""
    existing = await account(session, channel=channel, user_id=user_id)
    if existing is not None:
        person = await session.get(Person, existing.person_id)
        assert person is not None
        if (existing.chat_id, existing.username) != (chat_id, username):
            existing.chat_id, existing.username = chat_id, username
            session.add(existing)
        return person, existing
    person = Person(display_name=display_name, created_at=now)
    session.add(person)
    await session.flush()
    assert person.id is not None
    link = ChannelAccount(
        person_id=person.id, channel=channel, user_id=user_id, chat_id=chat_id, username=username, linked_at=now
    )
    session.add(link)
    await session.flush()
    return person, link


async def invitation_by_hash(session: AsyncSession, *, code_hash: str) -> Invitation | None:
    return (await session.exec(select(Invitation).where(Invitation.code_hash == code_hash))).first()


async def claim_invitation(session: AsyncSession, *, invitation_id: int, now: datetime) -> bool:
    """Mark an invitation used if it still can be; exactly one of several concurrent claims wins.

    This is the first write of the caller's transaction, so SQLite takes its write lock here and
    PostgreSQL re-checks the row after a concurrent claim commits.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(used_at=now)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def pending_invitations(session: AsyncSession, *, now: datetime) -> list[tuple[Invitation, Unit]]:
    """Invitations to a role still waiting; a /lienket code is a person's own, not the office's to list."""
    query = (
        select(Invitation, Unit)
        .join(Unit, col(Unit.id) == col(Invitation.unit_id))
        .where(
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > now,
            col(Invitation.role).in_([role.value for role in Role]),
        )
        .order_by(col(Invitation.expires_at))
    )
    return [(invitation, unit) for invitation, unit in (await session.exec(query)).all()]


async def official_counts(session: AsyncSession) -> dict[int, int]:
    """Active officials per unit id (units with none are absent)."""
    query = select(Official.unit_id, func.count()).where(col(Official.active)).group_by(col(Official.unit_id))
    return {unit_id: count for unit_id, count in (await session.exec(query)).all()}


async def active_officials(session: AsyncSession, *, unit_id: int | None = None) -> list[OfficialView]:
    """Active officials with their person, unit and channel accounts, optionally of one unit."""
    query = (
        select(Official, Person, Unit)
        .join(Person, col(Person.id) == col(Official.person_id))
        .join(Unit, col(Unit.id) == col(Official.unit_id))
        .where(col(Official.active))
        .order_by(col(Official.id))
    )
    if unit_id is not None:
        query = query.where(Official.unit_id == unit_id)
    rows = (await session.exec(query)).all()
    person_ids = {person.id for _, person, _ in rows}
    accounts: dict[int, list[ChannelAccount]] = {}
    if person_ids:
        found = await session.exec(select(ChannelAccount).where(col(ChannelAccount.person_id).in_(person_ids)))
        for link in found.all():
            accounts.setdefault(link.person_id, []).append(link)
    return [OfficialView(official, person, unit, accounts.get(person.id or 0, [])) for official, person, unit in rows]


async def audit(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    unit_id: int | None = None,
    official_id: int | None = None,
    **detail: Any,
) -> None:
    """Record what happened; the caller commits with the change it describes."""
    session.add(AuditEntry(at=at, actor=actor, action=action, unit_id=unit_id, official_id=official_id, detail=detail))


FAILED_CODE = "register_failed"  # the audit action of an invitation code that matched nothing


async def failed_codes(session: AsyncSession, *, actor: str, since: datetime) -> list[datetime]:
    """When this account tried invitation codes that matched nothing, since then, oldest first."""
    query = (
        select(AuditEntry.at)
        .where(col(AuditEntry.at) > since, AuditEntry.actor == actor, AuditEntry.action == FAILED_CODE)
        .order_by(col(AuditEntry.at))
    )
    return list((await session.exec(query)).all())


async def set_locale(session: AsyncSession, *, person_id: int, locale: str) -> None:
    await session.exec(update(Person).where(col(Person.id) == person_id).values(locale=locale))
    await session.commit()


async def set_channel(session: AsyncSession, *, person_id: int, channel: str | None) -> None:
    await session.exec(update(Person).where(col(Person.id) == person_id).values(channel=channel))
    await session.commit()


async def count_sent(session: AsyncSession, *, channel: str, month: str, messages: int = 1) -> int:
    """Add to a channel's monthly count (one statement, safe under concurrency); returns the new count."""
    table = table_of(ChannelUsage)
    statement = (
        dialect_insert(session, ChannelUsage)
        .values(channel=channel, month=month, sent=messages)
        .on_conflict_do_update(index_elements=["channel", "month"], set_={"sent": table.c.sent + messages})
        .returning(table.c.sent)
    )
    sent = (await session.exec(statement)).one()[0]
    await session.commit()
    return int(sent)


RECEIVED_KEPT = timedelta(days=7)  # how long a delivered message's id is remembered


async def first_delivery(session: AsyncSession, *, channel: str, message_id: str, now: datetime) -> bool:
    """Whether a channel delivers this message for the first time; its id is kept (for a week) if so."""
    statement = (
        dialect_insert(session, ReceivedMessage)
        .values(channel=channel, message_id=message_id[:100], at=now)
        .on_conflict_do_nothing()
    )
    first: bool = (await session.exec(statement)).rowcount == 1
    if first:
        expired = delete(ReceivedMessage).where(col(ReceivedMessage.at) < now - RECEIVED_KEPT)
        await session.exec(expired)
    await session.commit()
    return first


async def sent_in_month(session: AsyncSession, *, channel: str, month: str) -> int:
    usage = await session.get(ChannelUsage, (channel, month))
    return usage.sent if usage else 0
