"""People and units: the plan's units and a unit's duties, persons and their channel accounts, their
roles in units (officials), admins, and what a person chose (language, channel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Admin, ChannelAccount, Duty, GroupMember, Official, Person, Unit, fitted


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
    key = (await session.exec(select(Unit.key).where(Unit.id == unit_id))).first()
    duties = (await session.exec(select(Duty).where(col(Duty.in_plan)).order_by(col(Duty.id)))).all()
    return [duty for duty in duties if groups.intersection(duty.groups) or key in duty.units]


async def groups(session: AsyncSession) -> dict[str, list[int]]:
    """Each group's units' ids, by the group's key."""
    found: dict[str, list[int]] = {}
    query = select(GroupMember.group_key, GroupMember.unit_id).order_by(col(GroupMember.unit_id))
    for group, unit_id in (await session.exec(query)).all():
        found.setdefault(group, []).append(unit_id)
    return found


async def is_admin(session: AsyncSession, *, channel: str, user_id: str) -> bool:
    query = select(Admin.id).where(Admin.channel == channel, Admin.user_id == user_id)
    return (await session.exec(query)).first() is not None


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
    display_name = fitted(Person, {"display_name": display_name})["display_name"]
    username = fitted(ChannelAccount, {"username": username})["username"]
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


async def set_locale(session: AsyncSession, *, person_id: int, locale: str) -> None:
    await session.exec(update(Person).where(col(Person.id) == person_id).values(locale=locale))


async def set_channel(session: AsyncSession, *, person_id: int, channel: str | None) -> None:
    await session.exec(update(Person).where(col(Person.id) == person_id).values(channel=channel))
