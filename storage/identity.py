"""Who writes: the identity every message asks for first (the account, its person, their active roles
and units, whether they are an admin), in one round trip."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, or_
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver
from storage.models import Admin, ChannelAccount, Official, Person, StatusUpdate, Unit, built, table_of
from storage.people import Membership, is_admin


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
    # an admin, by any account of the person: stored (`nhacviec admin add`, an admin code) or in the settings
    stored_admin: bool
    latest: LatestUpdates | None = None  # of the units of `memberships`, when asked for with the identity


_IDENTITY_MODELS: tuple[type[SQLModel], ...] = (ChannelAccount, Person, Official, Unit)


def _identity_query(*, with_latest: bool) -> Any:
    """The account, its person, each active role with its unit, and (last) whether they are an admin.

    `with_latest`: each row also has one latest update of its unit among the occurrences given as
    `occurrences` (or none). Plain columns, not ORM entities: `_objects` builds the objects.
    """
    account, person, official, unit = (table_of(model) for model in _IDENTITY_MODELS)
    admin = _admin(account)
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
        select(*columns, admin.label("admin"))  # type: ignore[call-overload]  # typed for 4 columns
        .select_from(joined)
        .where(account.c.channel == bindparam("channel"), account.c.user_id == bindparam("user_id"))
        .order_by(official.c.id)
    )


def _admin(account: Any) -> Any:
    """Whether the person behind `account` is an admin by any of their accounts (a role is the person's,
    on whichever channel they write): a stored admin row of the person or of one of their accounts, or
    an account named in the settings (`settings_admins`, "<channel>:<user id>")."""
    admins, other = table_of(Admin), table_of(ChannelAccount).alias("other")
    same_person = other.c.person_id == account.c.person_id
    of_person = select(admins.c.id).where(admins.c.person_id == account.c.person_id).exists()
    of_account = (
        select(other.c.id)
        .join(admins, and_(admins.c.channel == other.c.channel, admins.c.user_id == other.c.user_id))
        .where(same_person)
        .exists()
    )
    ref = other.c.channel + ":" + other.c.user_id
    in_settings = select(other.c.id).where(same_person, ref.in_(bindparam("settings_admins", expanding=True))).exists()
    return or_(of_person, of_account, in_settings)


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


async def identity(
    session: AsyncSession,
    *,
    channel: str,
    user_id: str,
    latest_of: Sequence[int] = (),
    admins: Iterable[str] = (),
) -> Identity:
    """Who writes from this channel account, with their active roles, in one round trip.

    With `latest_of` (occurrence ids), the same round trip also reads the latest update of each of
    their units for those occurrences: a status update in words needs both, and a statement saved
    is ~0.5 ms of CPU on SQLite, an eighth of what the bot spends on one.

    The row is read as plain columns and the objects built from it as the ORM would build them,
    without its loading machinery (a fifth of the CPU of the identity). They are in no session.
    `admins`: the settings' ("<channel>:<user id>"), so that a person linked to one of them is one too.
    """
    params: dict[str, Any] = {"channel": channel, "user_id": user_id, "settings_admins": sorted(admins)}
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
