"""The office's admins kept in the database: made by a code or `nhacviec admin add`, listed, removed.

Admin is a person's role: a row names the account it was made for and, once known, its person, so
that any account linked to that person is the same admin (storage/identity.py reads it that way)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Admin, ChannelAccount, Person


@dataclass(frozen=True)
class AdminView:
    admin: Admin
    name: str | None  # the person's name, once they wrote to the bot
    accounts: list[str]  # "<channel>:<user id>" of every account of the person (or the row's own)


async def make_admin(session: AsyncSession, *, person_id: int, channel: str, user_id: str, now: datetime) -> bool:
    """Make the person (writing from this account) an admin; False when they already were one."""
    accounts = select(ChannelAccount.channel, ChannelAccount.user_id).where(ChannelAccount.person_id == person_id)
    refs = {(row[0], row[1]) for row in (await session.exec(accounts)).all()} | {(channel, user_id)}
    for admin in (await session.exec(select(Admin))).all():
        if admin.person_id == person_id or (admin.channel, admin.user_id) in refs:
            return False
    session.add(Admin(channel=channel, user_id=user_id, person_id=person_id, added_at=now))
    await session.flush()
    return True


async def add_account_admin(session: AsyncSession, *, channel: str, user_id: str, now: datetime) -> bool:
    """`nhacviec admin add`: an account, whose person may not be known yet; False when it already was."""
    found = (await session.exec(select(Admin).where(Admin.channel == channel, Admin.user_id == user_id))).first()
    if found is not None:
        return False
    account = (
        await session.exec(
            select(ChannelAccount).where(ChannelAccount.channel == channel, ChannelAccount.user_id == user_id)
        )
    ).first()
    person_id = account.person_id if account else None
    session.add(Admin(channel=channel, user_id=user_id, person_id=person_id, added_at=now))
    await session.flush()
    return True


async def stored_admins(session: AsyncSession) -> list[AdminView]:
    """Every stored admin, oldest first, with the person's name and accounts when known."""
    admins = (await session.exec(select(Admin).order_by(col(Admin.id)))).all()
    views = []
    for admin in admins:
        person_id = admin.person_id
        if person_id is None:
            account = (
                await session.exec(
                    select(ChannelAccount).where(
                        ChannelAccount.channel == admin.channel, ChannelAccount.user_id == admin.user_id
                    )
                )
            ).first()
            person_id = account.person_id if account else None
        person = await session.get(Person, person_id) if person_id is not None else None
        refs = [f"{admin.channel}:{admin.user_id}"]
        if person_id is not None:
            query = select(ChannelAccount).where(ChannelAccount.person_id == person_id).order_by(col(ChannelAccount.id))
            refs = sorted({*refs, *(f"{a.channel}:{a.user_id}" for a in (await session.exec(query)).all())})
        views.append(AdminView(admin, person.display_name if person else None, refs))
    return views


async def remove_admin(session: AsyncSession, *, admin_id: int) -> None:
    await session.exec(delete(Admin).where(col(Admin.id) == admin_id))
